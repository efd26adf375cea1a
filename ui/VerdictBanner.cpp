#include "ui/VerdictBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "ui/Icons.h"
#include "ui/StatusColors.h"

VerdictBanner::VerdictBanner(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("verdictBanner"));
    setFrameShape(QFrame::NoFrame);
    setAutoFillBackground(true);
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(18, 14, 18, 14);
    row->setSpacing(16);
    icon_ = new QLabel(this);
    icon_->setFixedSize(56, 56);
    row->addWidget(icon_, 0, Qt::AlignTop);
    auto* text = new QVBoxLayout;
    text->setSpacing(4);
    headline_ = new QLabel(this);
    QFont big = headline_->font();
    big.setPointSizeF(big.pointSizeF() * 1.9);
    big.setBold(true);
    headline_->setFont(big);
    headline_->setWordWrap(true);
    headline_->setAccessibleName(tr("Verdict"));
    detail_ = new QLabel(this);
    QFont medium = detail_->font();
    medium.setPointSizeF(medium.pointSizeF() * 1.15);
    detail_->setFont(medium);
    detail_->setWordWrap(true);
    detail_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    detail_->setAccessibleName(tr("Reason"));
    text->addWidget(headline_);
    text->addWidget(detail_);
    row->addLayout(text, 1);
    setVerdict(Verdict::none());
}

QString VerdictBanner::headline() const { return headline_->text(); }

void VerdictBanner::setVerdict(const Verdict& verdict)
{
    verdict_ = verdict;
    headline_->setText(verdict.headline);
    detail_->setText(verdict.detail);
    detail_->setToolTip(verdict.technical);
    QString background, foreground = QStringLiteral("#ffffff"), icon;
    switch (verdict.kind) {
    case Verdict::Kind::Good:
        background = QStringLiteral("#1e7b34");
        icon = QStringLiteral("verdict-good");
        break;
    case Verdict::Kind::Bad:
        background = StatusColors::errorFill().name();
        icon = QStringLiteral("verdict-bad");
        break;
    case Verdict::Kind::Cancelled:
        background = QStringLiteral("#8a5a00");
        icon = QStringLiteral("status-warning");
        break;
    case Verdict::Kind::Checking:
        background = QStringLiteral("#2d4f7c");
        icon = QStringLiteral("verify");
        break;
    case Verdict::Kind::None:
        background = QStringLiteral("#e8ebef");
        foreground = QStringLiteral("#26323f");
        icon = QStringLiteral("package");
        break;
    }
    setStyleSheet(QStringLiteral("#verdictBanner{background:%1;border-radius:8px}"
                                 "#verdictBanner QLabel{color:%2;background:transparent}")
                      .arg(background, foreground));
    icon_->setPixmap(Icons::get(icon).pixmap(QSize(56, 56), devicePixelRatioF()));
    setAccessibleDescription(verdict.headline + QStringLiteral(". ") + verdict.detail);
}
