#include "app/DeviceFit.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <QCoreApplication>

#include "app/Format.h"
#include "app/PathConversion.h"
#include "core/package/install_plan.h"
#include "core/package/package_tier.h"

namespace {
// The nearest existing directory at or above path, for statvfs.
std::filesystem::path existingAncestor(std::filesystem::path path)
{
    std::error_code ec;
    while (!path.empty() && !std::filesystem::exists(path, ec)) {
        const auto parent = path.parent_path();
        if (parent == path)
            break;
        path = parent;
    }
    return path.empty() ? std::filesystem::path("/") : path;
}
} // namespace

QString DeviceFit::freeText() const
{
    return freeBytes ? Format::bytes(*freeBytes) : QCoreApplication::translate("DeviceFit", "unknown");
}

QString DeviceFit::spaceWarning() const
{
    if (warning.isEmpty() || !plan)
        return {};
    return QCoreApplication::translate("DeviceFit",
                                       "The free space in %1 is unknown (the filesystem does not say). Installing "
                                       "needs %2; a full disk stops the install with nothing changed.")
        .arg(installRoot, Format::bytes(bytesNeeded));
}

QString DeviceFit::policyText() const
{
    if (policyError.isEmpty())
        return {};
    return QCoreApplication::translate("DeviceFit", "The tier thresholds in %1 cannot be used: fix or remove the file.")
        .arg(policyFile);
}

DeviceFit DeviceFit::evaluate(const atmo::VerifyReport& report, const QString& installRoot,
                              const atmo::TierPolicy& policy, std::optional<int> tierOverride,
                              const atmo::HardwareProbe& hardwareProbe, const atmo::FreeSpaceProbe& freeSpace)
{
    DeviceFit fit;
    fit.installRoot = installRoot;
    const auto root = toFsPath(installRoot);
    const auto probe = existingAncestor(root);
    fit.hardware = atmo::detectHardware(probe, hardwareProbe);
    if (tierOverride) {
        fit.tier.tier = *tierOverride; // the panel says it was set in the settings
        fit.tierOverridden = true;
    } else if (report.manifest) {
        // The package's own requirements when it carries them, as the installer decides.
        fit.tier = atmo::decidePackageTier(fit.hardware, *report.manifest, policy);
    } else {
        fit.tier = atmo::decideTier(fit.hardware, policy);
    }
    fit.freeBytes = freeSpace ? freeSpace(root) : atmo::freeSpaceIfKnown(root);
    if (!report.manifest)
        return fit;
    fit.known = true;
    fit.packageOk = report.ok;
    const atmo::Manifest& m = *report.manifest;
    // The tier the installer would install: the device's, or the highest of
    // the package's below it.
    const auto tier = atmo::installTierFor(fit.tier.tier, m);
    if (!tier)
        return fit;
    fit.packageCoversTier = report.ok && std::find(report.completeTiers.begin(), report.completeTiers.end(), *tier)
                                             != report.completeTiers.end();
    // The window asks before a downgrade, so the plan is judged with consent.
    fit.plan = atmo::planInstall(m, *tier, root, freeSpace);
    fit.bytesNeeded = fit.plan->bytesNeeded();
    fit.freeBytes = fit.plan->freeBytes;
    fit.space = fit.plan->space();
    if (const auto why = fit.plan->refusal(true))
        fit.refusal = QString::fromStdString(*why);
    fit.warning = QString::fromStdString(fit.plan->warning());
    if (fit.plan->installedVersion)
        fit.installedVersion = QString::fromStdString(*fit.plan->installedVersion);
    fit.downgrade = fit.plan->downgrade;
    fit.deltaBase = fit.plan->deltaBase;
    return fit;
}

DeviceFit DeviceFit::forStation(const atmo::VerifyReport& report, const QString& installRoot,
                                const std::filesystem::path& tiersFile, std::optional<int> tierOverride)
{
    const auto policy = atmo::TierPolicy::loadOrDefaults(tiersFile);
    if (policy)
        return evaluate(report, installRoot, *policy, tierOverride);
    // Not the defaults in silence: the panel shows why, and Install stays off.
    DeviceFit fit;
    fit.installRoot = installRoot;
    fit.known = report.manifest.has_value();
    fit.packageOk = report.ok;
    fit.policyError = QString::fromStdString(policy.message());
    fit.policyFile = fromFsPath(tiersFile.filename());
    fit.refusal = fit.policyError;
    fit.freeBytes = atmo::freeSpaceIfKnown(toFsPath(installRoot));
    return fit;
}
