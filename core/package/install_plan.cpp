#include "core/package/install_plan.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <system_error>

#include "core/base/fs_util.h"
#include "core/base/sha256.h"
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
    if (deltaRefusal)
        return id + " " + version + ": " + *deltaRefusal;
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

DeltaBaseCheck deltaBaseCheck(const Manifest& m, const std::optional<InstalledPackage>& installed)
{
    DeltaBaseCheck c;
    c.baseVersion = m.delta->baseVersion;
    if (!installed)
        return c;
    c.installedVersion = installed->version;
    if (c.installedVersion == m.version)
        c.state = DeltaBaseState::AlreadyInstalled;
    else if (c.installedVersion != c.baseVersion)
        c.state = DeltaBaseState::OtherVersion;
    else
        c.state = installedManifestSha256(*installed) == m.delta->baseManifestSha256 ? DeltaBaseState::Matches
                                                                                     : DeltaBaseState::OtherBuild;
    return c;
}

std::optional<std::string> installedManifestSha256(const InstalledPackage& installed)
{
    const auto signedManifest = readFile(installed.dir / kManifestName, 16u << 20);
    if (!signedManifest)
        return std::nullopt;
    return sha256Hex(*signedManifest);
}

std::optional<std::string> deltaBaseRefusal(const Manifest& m, const std::optional<InstalledPackage>& installed)
{
    return deltaBaseRefusal(m, deltaBaseCheck(m, installed));
}

std::optional<std::string> deltaBaseRefusal(const Manifest& m, const DeltaBaseCheck& c)
{
    const std::string needs = "needs " + m.id + " " + c.baseVersion + " installed";
    switch (c.state) {
    case DeltaBaseState::Matches: return std::nullopt;
    case DeltaBaseState::NotInstalled:
        return needs + "; this device has no " + m.id + " (install the full " + m.version + " package)";
    case DeltaBaseState::AlreadyInstalled:
        return m.id + " " + m.version + " is already installed (this delta updates " + c.baseVersion + " to it)";
    case DeltaBaseState::OtherVersion: return needs + "; this device has " + c.installedVersion;
    case DeltaBaseState::OtherBuild:
        return needs + " as it was signed; the installed " + c.installedVersion +
               " has another manifest (built again or on another station): use the full " + m.version + " package";
    }
    return std::nullopt;
}

InstallPlan planInstall(const Manifest& manifest, int tier, const fs::path& root, const FreeSpaceProbe& probe)
{
    InstallPlan plan;
    plan.root = root;
    plan.id = manifest.id;
    plan.version = manifest.version;
    plan.tier = tier;
    plan.fileBytes = manifest.sizeForTier(tier);
    if (manifest.delta) {
        plan.fileBytes = 0;
        for (const ContentFile* f : manifest.filesForTier(tier))
            plan.fileBytes += manifest.delta->isUnchanged(f->path) ? 0 : f->size;
        for (const ContentFile* f : manifest.archiveFilesForTier(tier))
            plan.fileBytes += manifest.delta->changeByDelta(f->path) ? f->size : 0;
    }
    plan.marginBytes = installMargin(plan.fileBytes);
    plan.freeBytes = probe ? probe(root) : freeSpaceIfKnown(root);
    const auto installed = findInstalled(root, manifest.id);
    if (installed) {
        plan.installedVersion = installed->version;
        plan.downgrade = compareVersions(manifest.version, installed->version) <= 0;
    }
    if (manifest.delta) {
        plan.deltaBase = deltaBaseCheck(manifest, installed);
        plan.deltaRefusal = deltaBaseRefusal(manifest, *plan.deltaBase);
    }
    return plan;
}

} // namespace atmo
