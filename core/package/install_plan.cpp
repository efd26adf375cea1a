#include "core/package/install_plan.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <system_error>

#include "core/base/fs_util.h"
#include "core/package/installer.h"
#include "core/package/tier.h"

namespace atmo {

namespace fs = std::filesystem;

std::uint64_t installMargin(std::uint64_t fileBytes) { return fileBytes / 100 + kInstallFixedMargin; }

std::optional<std::uint64_t> freeSpaceIfKnown(const fs::path& path)
{
    fs::path p = path;
    std::error_code ec;
    while (!p.empty() && !fs::exists(p, ec)) {
        const fs::path parent = p.parent_path();
        if (parent == p)
            break;
        p = parent;
    }
    if (p.empty())
        p = ".";
    struct statvfs st {};
    if (::statvfs(p.c_str(), &st) != 0)
        return std::nullopt;
    return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

FreeSpaceProbe fixedFreeSpace(std::optional<std::uint64_t> bytes)
{
    return [bytes](const fs::path&) { return bytes; };
}

SpaceCheck InstallPlan::space() const
{
    if (!freeBytes)
        return SpaceCheck::Unknown;
    return *freeBytes >= bytesNeeded() ? SpaceCheck::Enough : SpaceCheck::Short;
}

std::optional<std::string> InstallPlan::refusal(bool allowDowngrade) const
{
    if (downgrade && installedVersion && !allowDowngrade)
        return id + " " + *installedVersion + " is already installed; " + version
               + (compareVersions(version, *installedVersion) == 0 ? " is the same version" : " is older")
               + " (use --allow-downgrade to install it anyway)";
    if (space() == SpaceCheck::Short)
        return root.string() + ": not enough free space to install " + id + " " + version + " (" + tierName(tier)
               + "): needs " + humanBytes(bytesNeeded()) + " (" + humanBytes(fileBytes) + " of files plus "
               + humanBytes(marginBytes) + " margin), " + humanBytes(*freeBytes) + " available";
    return std::nullopt;
}

std::string InstallPlan::warning() const
{
    if (space() != SpaceCheck::Unknown)
        return {};
    return root.string() + ": free space unknown (the filesystem does not say); installing " + id + " " + version
           + " needs " + humanBytes(bytesNeeded()) + ", and a full disk stops the install with nothing changed";
}

std::optional<int> installTierFor(int deviceTier, const Manifest& manifest)
{
    if (std::find(manifest.tiers.begin(), manifest.tiers.end(), deviceTier) != manifest.tiers.end())
        return deviceTier;
    std::optional<int> best;
    for (int t : manifest.tiers)
        if (t < deviceTier)
            best = t;
    return best;
}

InstallPlan planInstall(const Manifest& manifest, int tier, const fs::path& root, const FreeSpaceProbe& probe)
{
    InstallPlan plan;
    plan.root = root;
    plan.id = manifest.id;
    plan.version = manifest.version;
    plan.tier = tier;
    plan.fileBytes = manifest.sizeForTier(tier);
    plan.marginBytes = installMargin(plan.fileBytes);
    plan.freeBytes = probe ? probe(root) : freeSpaceIfKnown(root);
    if (const auto installed = findInstalled(root, manifest.id)) {
        plan.installedVersion = installed->version;
        plan.downgrade = compareVersions(manifest.version, installed->version) <= 0;
    }
    return plan;
}

} // namespace atmo
