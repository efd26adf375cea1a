// Installs a verified package into a root directory, crash-safely:
//   <root>/<id>/<version>/...        one directory per installed version, with
//                                    its signed manifest.yaml beside the content
//   <root>/<id>/current -> <version> symlink, swapped atomically (rename)
//   <root>/<id>/state.json           the installed-state record (atomic write)
//   <root>/<id>/.staging-XXXXXX/     while installing; removed on any failure
// Content is hashed while it is extracted into staging (same filesystem),
// fsynced, renamed to <version>, then `current` is switched. The previous
// version is kept for rollback; older ones are removed. A crash at any moment
// leaves `current` pointing at a complete version.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/package/install_plan.h"
#include "core/base/progress.h"
#include "core/package/package_verifier.h"
#include "core/base/result.h"
#include "core/package/tier.h"

namespace atmo {

class TrustStore;

struct InstallOptions {
    std::filesystem::path root;
    const TrustStore* trust = nullptr;
    std::optional<int> tier;     // nullopt: decided from the hardware with `policy`
    TierPolicy policy = TierPolicy::defaults();
    bool allowDowngrade = false; // install an older or equal version; recorded
    // Free space is checked by the install plan (core/package/install_plan.h); tests
    // may supply the figure, or "unknown", instead of statvfs.
    FreeSpaceProbe freeSpace;
};

struct InstalledPackage {
    std::string id;
    std::string name;
    std::string version;
    std::string previousVersion;  // kept for rollback; empty if none
    std::string installedAt;
    int tier = 1;
    bool downgradeOverride = false;
    std::filesystem::path dir;    // <root>/<id>/<version>
    std::vector<std::string> history; // "2026-11-21T16:00:00Z install 1.3 (tier 1)", ...
};

struct InstallResult {
    VerifyReport report;
    std::optional<InstalledPackage> installed; // set on success
    TierDecision tier;
    std::optional<InstallPlan> plan; // once the manifest was read: what was checked
};

// Verifies and installs in one pass. On failure report.ok is false, report.reason
// says why, and nothing under <root> changed.
InstallResult installPackage(const std::filesystem::path& file, const InstallOptions& options,
                             VerifyObserver* observer, const CancelToken& cancel);

std::vector<InstalledPackage> listInstalled(const std::filesystem::path& root);
std::optional<InstalledPackage> findInstalled(const std::filesystem::path& root, const std::string& id);
// Switches `current` back to the previous version.
Status rollbackPackage(const std::filesystem::path& root, const std::string& id);

} // namespace atmo
