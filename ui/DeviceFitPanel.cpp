#include "ui/DeviceFitPanel.h"

#include "ui/StatusColors.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "app/Format.h"
#include "app/TierReason.h"

namespace {
QLabel* valueLabel(QWidget* parent)
{
    auto* l = new QLabel(parent);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}
const QString kGood = QStringLiteral("color:#1e7b34");
const QString kWarn = QStringLiteral("color:#8a5a00");
} // namespace

DeviceFitPanel::DeviceFitPanel(QWidget* parent) : QGroupBox(tr("This machine"), parent)
{
    auto* form = new QFormLayout(this);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    tier_ = valueLabel(this);
    reason_ = valueLabel(this);
    reason_->setStyleSheet(QStringLiteral("color:#5f6b76"));
    QFont small = reason_->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    reason_->setFont(small);
    space_ = valueLabel(this);
    version_ = valueLabel(this);
    tier_->setAccessibleName(tr("Tier of this machine"));
    reason_->setAccessibleName(tr("Why this tier"));
    space_->setAccessibleName(tr("Space needed and free"));
    version_->setAccessibleName(tr("Installed version"));
    auto* tierBox = new QWidget(this);
    auto* tierLines = new QVBoxLayout(tierBox);
    tierLines->setContentsMargins(0, 0, 0, 0);
    tierLines->setSpacing(2);
    tierLines->addWidget(tier_);
    tierLines->addWidget(reason_);
    form->addRow(tr("Tier:"), tierBox);
    form->addRow(tr("Space:"), space_);
    form->addRow(tr("Installed:"), version_);
    update_ = valueLabel(this);
    base_ = valueLabel(this);
    update_->setAccessibleName(tr("Delta update"));
    base_->setAccessibleName(tr("Base version check"));
    form->addRow(tr("Update:"), update_);
    form->addRow(tr("Base:"), base_);
    updateLabel_ = form->labelForField(update_);
    baseLabel_ = form->labelForField(base_);
    clear();
}

QString DeviceFitPanel::updateText() const { return update_->isVisibleTo(this) ? update_->text() : QString(); }
QString DeviceFitPanel::baseText() const { return base_->isVisibleTo(this) ? base_->text() : QString(); }

QString DeviceFitPanel::tierText() const { return tier_->text(); }
QString DeviceFitPanel::reasonText() const { return reason_->text(); }
QString DeviceFitPanel::versionText() const { return version_->text(); }

void DeviceFitPanel::clear()
{
    tier_->setText(tr("—"));
    reason_->clear();
    reason_->hide();
    space_->setText(tr("—"));
    version_->setText(tr("—"));
    for (QLabel* l : {tier_, space_, version_})
        l->setStyleSheet({});
    for (QWidget* w : {static_cast<QWidget*>(update_), static_cast<QWidget*>(base_), updateLabel_, baseLabel_})
        w->hide();
}

void DeviceFitPanel::setFit(const DeviceFit& fit, const QString& packageVersion)
{
    // A delta update: what it updates, and whether that is installed here.
    const bool delta = fit.deltaBase.has_value() && fit.policyError.isEmpty();
    for (QWidget* w : {static_cast<QWidget*>(update_), static_cast<QWidget*>(base_), updateLabel_, baseLabel_})
        w->setVisible(delta);
    if (delta) {
        update_->setText(tr("Delta update %1 → %2: only what changed; the rest comes from the installed version")
                             .arg(QString::fromStdString(fit.deltaBase->baseVersion), packageVersion));
        base_->setText(Format::deltaBase(*fit.deltaBase, packageVersion));
        base_->setStyleSheet(fit.deltaBase->ok() ? kGood : StatusColors::errorStyle(true));
    }
    if (!fit.policyError.isEmpty()) {
        // The station's tier thresholds do not load: no tier, the reason instead.
        tier_->setText(tr("Unknown: %1").arg(fit.policyText()));
        tier_->setToolTip(fit.policyError); // core's line, as the CLI prints it
        tier_->setStyleSheet(StatusColors::errorStyle(true));
        reason_->clear();
        reason_->hide();
        space_->setText(tr("%1 free").arg(fit.freeText()));
        space_->setStyleSheet({});
        version_->setText(tr("—"));
        version_->setStyleSheet({});
        return;
    }
    tier_->setToolTip({});
    const QString tierLine = fit.tierOverridden ? tr("%1 (set in settings)").arg(Format::tier(fit.tier.tier))
                                                : Format::tier(fit.tier.tier);
    if (!fit.known || !fit.packageOk) {
        tier_->setText(tierLine);
        tier_->setStyleSheet({});
    } else if (fit.packageCoversTier) {
        tier_->setText(tr("%1 — this package has every file it needs").arg(tierLine));
        tier_->setStyleSheet(kGood);
    } else {
        tier_->setText(tr("%1 — this package lacks files this tier needs").arg(tierLine));
        tier_->setStyleSheet(StatusColors::errorStyle(true));
    }
    reason_->setText(TierReason::text(fit.tier));
    reason_->setToolTip(QString::fromStdString(fit.tier.reason));
    reason_->setVisible(!fit.tier.reason.empty());
    if (!fit.known) {
        space_->setText(tr("%1 free").arg(fit.freeText()));
        space_->setStyleSheet({});
        version_->setText(tr("—"));
        version_->setStyleSheet({});
        return;
    }
    space_->setText(tr("%1 needed, %2 free").arg(Format::bytes(fit.bytesNeeded), fit.freeText()));
    space_->setStyleSheet(fit.space == atmo::SpaceCheck::Enough ? kGood
                          : fit.space == atmo::SpaceCheck::Short ? StatusColors::errorStyle(true)
                                                                 : kWarn);
    space_->setToolTip(fit.spaceWarning()); // the warning the CLI prints, in the window's language
    if (fit.installedVersion.isEmpty()) {
        version_->setText(tr("Not installed yet; this is version %1").arg(packageVersion));
        version_->setStyleSheet({});
    } else if (fit.downgrade) {
        version_->setText(tr("Version %1 is installed; this package (%2) is not newer").arg(fit.installedVersion, packageVersion));
        version_->setStyleSheet(StatusColors::errorStyle(true));
    } else {
        version_->setText(tr("Version %1 is installed; this package updates it to %2").arg(fit.installedVersion, packageVersion));
        version_->setStyleSheet(kGood);
    }
}
