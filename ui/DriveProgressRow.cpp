#include "ui/DriveProgressRow.h"

#include <algorithm>

#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include "app/Format.h"
#include "ui/Icons.h"
#include "ui/StatusColors.h"

DriveProgressRow::DriveProgressRow(const QString& name, const QString& directory, QWidget* parent) : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(4, 6, 4, 6);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(3);
    icon_ = new QLabel(this);
    icon_->setFixedSize(28, 28);
    icon_->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    name_ = new QLabel(
        tr("<b>%1</b>&nbsp;&nbsp;<span style='color:#5f6b76'>%2</span>")
            .arg(name.toHtmlEscaped(), QDir::toNativeSeparators(directory).toHtmlEscaped()),
        this);
    name_->setTextFormat(Qt::RichText);
    name_->setAccessibleName(tr("Drive"));
    phaseLabel_ = new QLabel(this);
    phaseLabel_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    phaseLabel_->setAccessibleName(tr("Phase"));
    QFont bold = phaseLabel_->font();
    bold.setBold(true);
    phaseLabel_->setFont(bold);
    bar_ = new QProgressBar(this);
    bar_->setRange(0, 1000);
    bar_->setValue(0);
    bar_->setTextVisible(true);
    bar_->setFormat(QString());
    bar_->setAccessibleName(tr("Progress of %1").arg(name));
    detail_ = new QLabel(this);
    detail_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    detail_->setWordWrap(true);
    detail_->setAccessibleName(tr("Details"));
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error_->setStyleSheet(StatusColors::errorStyle());
    error_->setAccessibleName(tr("Error"));
    error_->hide();
    eject_ = new QPushButton(Icons::get(QStringLiteral("eject")), tr("E&ject"), this);
    eject_->setAccessibleName(tr("Eject %1").arg(name));
    eject_->setToolTip(tr("Unmount and power off this drive so it can be pulled"));
    eject_->hide();
    connect(eject_, &QPushButton::clicked, this, &DriveProgressRow::ejectRequested);
    grid->addWidget(icon_, 0, 0, 4, 1);
    grid->addWidget(name_, 0, 1);
    grid->addWidget(phaseLabel_, 0, 2);
    grid->addWidget(bar_, 1, 1, 1, 2);
    grid->addWidget(detail_, 2, 1);
    grid->addWidget(eject_, 2, 2, Qt::AlignRight);
    grid->addWidget(error_, 3, 1, 1, 2);
    grid->setColumnStretch(1, 1);
    update(UsbExportJob::DriveState{});
}

void DriveProgressRow::update(const UsbExportJob::DriveState& s)
{
    using Phase = UsbExportJob::Phase;
    phase_ = s.phase;
    const JobProgress& p = s.progress;
    QString icon;
    switch (s.phase) {
    case Phase::Waiting: icon = QStringLiteral("status-pending"); break;
    case Phase::Verified: icon = s.ejectFailed ? QStringLiteral("status-warning") : QStringLiteral("status-ok"); break;
    case Phase::Ejected: icon = QStringLiteral("status-ok"); break;
    case Phase::Failed: icon = QStringLiteral("status-failed"); break;
    default: icon = QStringLiteral("drive"); break;
    }
    icon_->setPixmap(Icons::get(icon).pixmap(QSize(24, 24), devicePixelRatioF()));
    phaseLabel_->setText(UsbExportJob::phaseText(s.phase));
    const bool finished = s.phase == Phase::Verified || s.phase == Phase::Ejected || s.phase == Phase::Failed;
    QPalette pal = bar_->palette();
    pal.setColor(QPalette::Highlight, s.phase == Phase::Failed ? StatusColors::errorFill() : finished ? StatusColors::success() : palette().color(QPalette::Highlight));
    bar_->setPalette(pal);
    phaseLabel_->setStyleSheet(s.phase == Phase::Failed ? StatusColors::errorStyle()
                               : finished              ? QStringLiteral("color:#1e7b34")
                                                       : QString());

    // One bar for the drive's whole job: the flush holds it where writing
    // left it, reading back fills the rest, so it never starts over.
    const int value = finished && s.ok ? 1000 : static_cast<int>(1000.0 * s.fraction);
    bar_->setValue(std::max(value, s.phase == Phase::Failed ? bar_->value() : 0));
    bar_->setFormat(s.phase == Phase::Waiting || s.phase == Phase::Failed ? QString()
                                                                          : QStringLiteral("%1 %").arg(bar_->value() / 10));

    QStringList parts;
    if (s.ok) {
        parts << tr("%1 (%2)").arg(QFileInfo(s.file).fileName(), Format::bytes(s.bytes));
        if (!s.sha256.isEmpty())
            parts << tr("SHA-256 %1").arg(Format::shortHash(s.sha256.toStdString()));
        if (!s.ejectNote.isEmpty() && !s.ejectFailed)
            parts << s.ejectNote;
    } else if (s.phase == Phase::Flushing) {
        parts << tr("%1 written; waiting for the drive to store it").arg(Format::bytes(p.total));
    } else if (!finished && s.phase != Phase::Waiting) {
        if (p.total > 0)
            parts << tr("%1 of %2").arg(Format::bytes(p.done), Format::bytes(p.total));
        if (p.bytesPerSecond > 0)
            parts << Format::speed(p.bytesPerSecond);
        if (p.secondsLeft >= 0)
            parts << Format::timeLeft(p.secondsLeft);
    }
    detailText_ = parts.join(QStringLiteral(" · "));
    if (s.phase != Phase::Verified || !s.ok)
        ejectOffered_ = false;
    showDetail();
    detail_->setToolTip(s.ok ? tr("%1\nSHA-256 of the file written: %2").arg(QDir::toNativeSeparators(s.file), s.sha256)
                             : QString());
    detail_->setVisible(!detail_->text().isEmpty() || !finished);

    const QString problem = s.phase == Phase::Failed ? s.error : s.ejectFailed ? s.ejectNote : QString();
    error_->setText(problem);
    error_->setToolTip(s.phase == Phase::Failed ? s.errorDetail : s.ejectFailed ? s.ejectDetail : QString());
    error_->setVisible(!problem.isEmpty());
}

void DriveProgressRow::setEjectOffered(bool offered)
{
    ejectOffered_ = offered && phase_ == UsbExportJob::Phase::Verified;
    showDetail();
}

void DriveProgressRow::showDetail()
{
    detail_->setText(ejectOffered_ ? tr("%1 · Safe to remove after ejecting").arg(detailText_) : detailText_);
    eject_->setVisible(ejectOffered_);
}
