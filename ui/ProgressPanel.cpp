#include "ui/ProgressPanel.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include "app/Format.h"
#include "ui/Icons.h"

ProgressPanel::ProgressPanel(QWidget* parent) : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    phase_ = new QLabel(this);
    QFont bold = phase_->font();
    bold.setBold(true);
    phase_->setFont(bold);
    item_ = new QLabel(this);
    item_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    item_->setMinimumWidth(100);
    speed_ = new QLabel(this);
    speed_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    bar_ = new QProgressBar(this);
    bar_->setRange(0, 1000);
    bar_->setAccessibleName(tr("Progress"));
    cancel_ = new QPushButton(Icons::get(QStringLiteral("cancel")), tr("Cancel"), this);
    cancel_->setAccessibleName(tr("Cancel the running job"));
    cancel_->setToolTip(tr("Cancel (Esc)"));
    cancel_->setShortcut(QKeySequence(Qt::Key_Escape));
    grid->addWidget(phase_, 0, 0);
    grid->addWidget(item_, 0, 1);
    grid->addWidget(speed_, 0, 2);
    grid->addWidget(bar_, 1, 0, 1, 3);
    grid->addWidget(cancel_, 1, 3);
    grid->setColumnStretch(1, 1);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (job_)
            job_->cancel();
        cancel_->setEnabled(false);
        phase_->setText(tr("Cancelling…"));
    });
    hide();
}

void ProgressPanel::track(Job* job)
{
    if (job_)
        disconnect(job_, nullptr, this, nullptr);
    job_ = job;
    if (!job) {
        done();
        return;
    }
    cancel_->setEnabled(true);
    phase_->setText(job->title());
    item_->clear();
    speed_->clear();
    bar_->setRange(0, 0); // busy until the first report
    connect(job, &Job::progressChanged, this, &ProgressPanel::update);
    connect(job, &Job::finished, this, &ProgressPanel::done);
    show();
    emit titleProgress(job->title());
}

QString ProgressPanel::speedText() const { return speed_->text(); }

void ProgressPanel::update(const JobProgress& p)
{
    const QString phase = Format::phase(p.phase);
    phase_->setText(phase);
    // A big file says how far it is itself ("models/x.gguf · 42 %").
    const QString itemPercent = p.itemTotal > 0 && p.itemDone < p.itemTotal
                                    ? tr(" · %1 %").arg(static_cast<int>(100 * p.itemDone / p.itemTotal))
                                    : QString();
    const int room = qMax(100, item_->width() - fontMetrics().horizontalAdvance(itemPercent));
    item_->setText(fontMetrics().elidedText(p.item, Qt::ElideMiddle, room) + itemPercent);
    item_->setToolTip(p.item);
    const int percent = p.percent();
    if (percent < 0) {
        bar_->setRange(0, 0);
    } else {
        bar_->setRange(0, 1000);
        const double share = p.overall >= 0 ? p.overall : static_cast<double>(p.done) / static_cast<double>(p.total);
        bar_->setValue(static_cast<int>(1000.0 * share));
        bar_->setFormat(QStringLiteral("%1 %").arg(percent));
    }
    QStringList parts;
    if (p.total > 0)
        parts << tr("%1 of %2").arg(Format::bytes(p.done), Format::bytes(p.total));
    if (p.bytesPerSecond > 0)
        parts << Format::speed(p.bytesPerSecond);
    if (p.secondsLeft >= 0)
        parts << Format::timeLeft(p.secondsLeft);
    speed_->setText(parts.join(QStringLiteral(" · ")));
    emit titleProgress(percent < 0 ? phase : tr("%1 % %2").arg(percent).arg(phase));
}

void ProgressPanel::done()
{
    job_ = nullptr;
    hide();
    emit titleProgress(QString());
}
