#include "app/DeviceFit.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "app/PathConversion.h"
#include "core/fs_util.h"
#include "core/installer.h"
#include "core/package_tier.h"

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

std::uint64_t DeviceFit::stagingHeadroom(std::uint64_t bytes)
{
    // One per cent, at least 16 MiB: directory entries, the state record,
    // filesystem block rounding of many small files.
    return std::max<std::uint64_t>(bytes / 100, 16u << 20);
}

DeviceFit DeviceFit::evaluate(const atmo::VerifyReport& report, const QString& installRoot,
                              const atmo::TierPolicy& policy, std::optional<int> tierOverride,
                              const atmo::HardwareProbe& hardwareProbe)
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
    fit.freeBytes = atmo::freeSpace(probe);
    if (!report.manifest)
        return fit;
    fit.known = true;
    fit.packageOk = report.ok;
    const atmo::Manifest& m = *report.manifest;
    fit.packageCoversTier = report.ok && std::find(report.completeTiers.begin(), report.completeTiers.end(),
                                                   fit.tier.tier) != report.completeTiers.end();
    const std::uint64_t size = m.sizeForTier(fit.tier.tier);
    fit.bytesNeeded = size + stagingHeadroom(size);
    fit.enoughSpace = fit.freeBytes == 0 || fit.freeBytes >= fit.bytesNeeded;
    if (const auto installed = atmo::findInstalled(root, m.id)) {
        fit.installedVersion = QString::fromStdString(installed->version);
        fit.downgrade = atmo::compareVersions(m.version, installed->version) <= 0;
    }
    return fit;
}
