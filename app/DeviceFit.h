// Whether a verified package fits this machine: the tier the hardware gives
// (and why: by the package's own requirements when it carries them, else by
// the station's thresholds), whether the package is complete for that tier, the space the
// tier's files need against the free space under the install root, and the
// version already installed there (a downgrade needs explicit consent).
#pragma once

#include <QString>

#include <cstdint>
#include <filesystem>
#include <optional>

#include "core/package/install_plan.h"
#include "core/package/package_verifier.h"
#include "core/package/tier.h"

struct DeviceFit {
    bool known = false;             // false until a manifest was read
    atmo::HardwareInfo hardware;
    atmo::TierDecision tier;
    bool tierOverridden = false;
    bool packageOk = false;         // the package verified
    bool packageCoversTier = false; // every file of the tier present and good
    // Core's install plan (core/package/install_plan.h), the one the installer
    // refuses by: set once a manifest was read and one of its tiers suits.
    std::optional<atmo::InstallPlan> plan;
    std::uint64_t bytesNeeded = 0;  // the tier's files plus the margin (plan)
    std::optional<std::uint64_t> freeBytes; // nullopt: the filesystem cannot say
    atmo::SpaceCheck space = atmo::SpaceCheck::Unknown;
    QString refusal;                // why core would refuse it, the downgrade consented; empty: it installs
    QString warning;                // free space unknown: installing is allowed, with this said
                                    // (core's English line, as the CLI prints it; spaceWarning() words it)
    QString policyError;            // <home>/tiers.yaml is bad: the CLI's one-line reason; no tier
                                    // is decided by defaults and nothing installs until it is fixed
    QString policyFile;             // that file's name, when policyError is set
    QString installRoot;
    QString installedVersion;       // empty if not installed
    bool downgrade = false;         // this version <= the installed one
    // A delta package: the version it updates and whether that is what is
    // installed (from the plan; unset for a full package).
    std::optional<atmo::DeltaBaseCheck> deltaBase;

    // The free space for display: "12.0 GiB", or "unknown".
    QString freeText() const;
    // In the window's language: the free-space warning (empty when there is
    // none), and why no tier is known when the thresholds do not load.
    QString spaceWarning() const;
    QString policyText() const;
    // Whether Install may be offered: what core would refuse never is.
    bool installable() const
    {
        return known && packageOk && packageCoversTier && plan && refusal.isEmpty() && policyError.isEmpty();
    }

    // As evaluate(), with the station's tier thresholds read from
    // `tiersFile` by core's loader (absent: the defaults). A file that does
    // not load gives a fit with policyError set, as the CLI fails on it.
    static DeviceFit forStation(const atmo::VerifyReport& report, const QString& installRoot,
                                const std::filesystem::path& tiersFile, std::optional<int> tierOverride = std::nullopt);
    // Reads the hardware and the install root; cheap (proc/sys files, statvfs,
    // one small state file), so it may run on the GUI thread.
    static DeviceFit evaluate(const atmo::VerifyReport& report, const QString& installRoot,
                              const atmo::TierPolicy& policy, std::optional<int> tierOverride = std::nullopt,
                              const atmo::HardwareProbe& hardwareProbe = {},
                              const atmo::FreeSpaceProbe& freeSpace = {});
};
