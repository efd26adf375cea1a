#include "ui/DownloadRow.h"

#include <QDir>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>

#include "app/Format.h"
#include "app/ModelRoles.h"
#include "app/mesh/DownloadListModel.h"
#include "app/mesh/DownloadNote.h"
#include "app/mesh/DownloadSpec.h"
#include "ui/ElidedLabel.h"
#include "ui/Icons.h"
#include "ui/StatusColors.h"

namespace {

QLabel* line(QWidget* parent, const QString& name, const QString& style = {})
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setAccessibleName(name);
    if (!style.isEmpty())
        label->setStyleSheet(style);
    label->hide();
    return label;
}

QPushButton* button(QWidget* parent, const QIcon& icon, const QString& text)
{
    auto* b = new QPushButton(icon, text, parent);
    b->setAutoDefault(false);
    b->hide();
    return b;
}
} // namespace

DownloadRow::DownloadRow(QWidget* parent) : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(4, 6, 4, 6);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(3);
    rule_ = new QFrame(this);
    rule_->setFrameShape(QFrame::HLine);
    rule_->setFrameShadow(QFrame::Sunken);
    rule_->hide();
    icon_ = new QLabel(this);
    icon_->setFixedSize(24, 24);
    icon_->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    title_ = new ElidedLabel(this, Qt::ElideMiddle);
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    title_->setAccessibleName(tr("Download"));
    stateLabel_ = new QLabel(this);
    stateLabel_->setAccessibleName(tr("State"));
    stateLabel_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    bar_ = new QProgressBar(this);
    bar_->setRange(0, 1000);
    bar_->setTextVisible(true);
    bar_->setFormat(QString());
    detail_ = line(this, tr("Details"));
    detail_->setWordWrap(false);
    // Wide enough for the longest usual line, so the bar does not jump as the numbers change.
    detail_->setMinimumWidth(detail_->fontMetrics().horizontalAdvance(
        tr("%1 of %2").arg(QStringLiteral("888.8 MiB"), QStringLiteral("888.8 MiB")) +
        QStringLiteral(" · 888.8 MiB/s · ") + Format::timeLeft(59 * 60 + 58)));
    peers_ = line(this, tr("Source peers"), QStringLiteral("color:#5f6b76"));
    problem_ = line(this, tr("Peer problem"), StatusColors::warningStyle());
    error_ = line(this, tr("Error"), StatusColors::errorStyle());

    pause_ = button(this, style()->standardIcon(QStyle::SP_MediaPause), tr("Pause"));
    resume_ = button(this, style()->standardIcon(QStyle::SP_MediaPlay), tr("Resume"));
    cancel_ = button(this, Icons::get(QStringLiteral("cancel")), tr("Cancel"));
    retry_ = button(this, Icons::get(QStringLiteral("refresh")), tr("Retry"));
    open_ = button(this, Icons::get(QStringLiteral("verify")), tr("Open in Import && Verify"));
    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    for (QPushButton* b : {pause_, resume_, retry_, cancel_, open_})
        buttons->addWidget(b);

    // Three lines: what and how far; the bar with bytes, rate and time left;
    // where from (or where it went). Problems and errors below, only when there.
    grid->addWidget(rule_, 0, 0, 1, 4);
    grid->addWidget(icon_, 1, 0, 5, 1);
    grid->addWidget(title_, 1, 1);
    grid->addWidget(stateLabel_, 1, 2);
    grid->addLayout(buttons, 1, 3, 2, 1, Qt::AlignTop | Qt::AlignRight);
    grid->addWidget(bar_, 2, 1);
    grid->addWidget(detail_, 2, 2);
    grid->addWidget(peers_, 3, 1, 1, 3);
    grid->addWidget(problem_, 4, 1, 1, 3);
    grid->addWidget(error_, 5, 1, 1, 3);
    grid->setColumnStretch(1, 1);

    connect(pause_, &QPushButton::clicked, this, [this] { emit pauseClicked(id_); });
    connect(resume_, &QPushButton::clicked, this, [this] { emit resumeClicked(id_); });
    connect(cancel_, &QPushButton::clicked, this, [this] { emit cancelClicked(id_); });
    connect(retry_, &QPushButton::clicked, this, [this] { emit retryClicked(id_); });
    connect(open_, &QPushButton::clicked, this, [this] { emit openClicked(path_); });
}

void DownloadRow::setRuleVisible(bool on) { rule_->setVisible(on); }

QString DownloadRow::title() const { return title_->fullText(); }

void DownloadRow::refresh(const QModelIndex& index)
{
    using M = DownloadListModel;
    auto v = [&](int role) { return index.data(role); };
    id_ = v(M::IdRole).toULongLong();
    state_ = v(M::StateRole).value<atmo::TransferState>();
    path_ = v(ModelRole::Path).toString();
    const QString title = v(M::TitleRole).toString();
    const bool package = v(M::KindRole).value<DownloadManager::Kind>() == DownloadManager::Kind::Package;
    const bool done = state_ == atmo::TransferState::Done;
    const bool failed = state_ == atmo::TransferState::Failed;
    const bool cancelled = state_ == atmo::TransferState::Cancelled;
    const bool active = state_ == atmo::TransferState::Active;
    const bool finished = done || failed || cancelled;

    setAccessibleName(title);
    title_->setFullText(title);
    icon_->setPixmap(Icons::forStatus(v(ModelRole::Status).value<ItemStatus>()).pixmap(QSize(22, 22), devicePixelRatioF()));
    stateLabel_->setText(v(M::StateTextRole).toString());
    stateLabel_->setStyleSheet(failed ? StatusColors::errorStyle(true)
                               : done ? QStringLiteral("color:#1e7b34;font-weight:bold")
                                      : QString());

    const double percent = v(M::PercentRole).toDouble();
    const int value = done ? 1000 : static_cast<int>(percent * 10.0);
    bar_->setValue(qBound(0, value, 1000));
    // A failed or cancelled bar says nothing: its percentage would read as progress.
    bar_->setFormat(state_ == atmo::TransferState::Queued || failed || cancelled ? QString()
                                                                                 : QStringLiteral("%1 %").arg(value / 10));
    QPalette pal = bar_->palette();
    pal.setColor(QPalette::Highlight, failed ? StatusColors::errorFill() : done ? StatusColors::success() : palette().color(QPalette::Highlight));
    bar_->setPalette(pal);
    bar_->setAccessibleName(tr("Progress of %1").arg(title));

    const quint64 doneBytes = v(M::BytesDoneRole).toULongLong();
    const quint64 total = v(M::BytesTotalRole).toULongLong();
    // Each source with the way it is reached: direct HTTP, or the mesh's relay.
    QStringList peers;
    for (const QString& peer : v(M::PeersRole).toStringList())
        peers << (DownloadSource::isRelayKey(peer) ? DownloadNote::source(peer) : tr("%1 (direct HTTP)").arg(peer));
    QStringList parts, info;
    if (done) {
        parts << Format::bytes(total);
        if (!path_.isEmpty())
            info << tr("Saved as %1").arg(QDir::toNativeSeparators(path_));
        if (!peers.isEmpty())
            info << tr("from %1").arg(peers.join(QStringLiteral(", ")));
        if (package && v(M::InstallAfterRole).toBool())
            info << tr("opened in Import & Verify to install");
    } else if (cancelled) {
        info << tr("Cancelled; the partial data was removed.");
    } else if (!failed) {
        if (total > 0)
            parts << tr("%1 of %2").arg(Format::bytes(doneBytes), Format::bytes(total));
        if (active) {
            const double rate = v(M::RateRole).toDouble();
            const QVariant left = v(M::TimeLeftRole);
            if (rate > 0)
                parts << Format::speed(rate);
            if (left.isValid() && rate > 0)
                parts << Format::timeLeft(left.toLongLong());
        }
        if (!peers.isEmpty())
            info << (active ? tr("From %1") : tr("Peers: %1")).arg(peers.join(QStringLiteral(", ")));
        const uint chunks = v(M::ChunksTotalRole).toUInt();
        if (chunks > 1)
            info << tr("chunk %1 of %2").arg(v(M::ChunksDoneRole).toUInt()).arg(chunks);
        if (package && v(M::InstallAfterRole).toBool())
            info << tr("installs after verifying");
    }
    detail_->setText(parts.join(QStringLiteral(" · ")));
    detail_->setVisible(!detail_->text().isEmpty());
    peers_->setText(info.join(QStringLiteral(" · ")));
    peers_->setVisible(!info.isEmpty());

    const QString problem = finished ? QString() : v(M::ProblemRole).toString();
    problem_->setText(problem);
    problem_->setToolTip(problem.isEmpty() ? QString() : v(M::ProblemDetailRole).toString());
    problem_->setVisible(!problem.isEmpty());
    const QString error = failed ? v(M::ErrorRole).toString() : QString();
    error_->setText(error);
    error_->setToolTip(error.isEmpty() ? QString() : v(M::ErrorDetailRole).toString());
    error_->setVisible(!error.isEmpty());

    pause_->setVisible(v(M::CanPauseRole).toBool());
    resume_->setVisible(v(M::CanResumeRole).toBool());
    cancel_->setVisible(v(M::CanCancelRole).toBool());
    retry_->setVisible(v(M::CanRetryRole).toBool());
    open_->setVisible(done && package && !path_.isEmpty());
    pause_->setAccessibleName(tr("Pause %1").arg(title));
    resume_->setAccessibleName(tr("Resume %1").arg(title));
    cancel_->setAccessibleName(tr("Cancel %1").arg(title));
    retry_->setAccessibleName(tr("Retry %1").arg(title));
    open_->setAccessibleName(tr("Open %1 in Import and Verify").arg(title));
}
