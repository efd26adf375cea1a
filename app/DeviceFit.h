// Whether a verified package fits this machine: the tier the hardware gives
// (and why: by the package's own requirements when it carries them, else by
// the station's thresholds), whether the package is complete for that tier, the space the
// tier's files need against the free space under the install root, and the
// version already installed there (a downgrade needs explicit consent).
#pragma once

#include <QString>

#include <cstdint>
#include <optional>

#include "core/package_verifier.h"
#include "core/tier.h"

struct DeviceFit {
    bool known = false;             // false until a manifest was read
    atmo::HardwareInfo hardware;
    atmo::TierDecision tier;
    bool tierOverridden = false;
    bool packageOk = false;         // the package verified
    bool packageCoversTier = false; // every file of the tier present and good
    std::uint64_t bytesNeeded = 0;  // the tier's files plus staging headroom
    std::uint64_t freeBytes = 0;
    bool enoughSpace = false;
    QString installRoot;
    QString installedVersion;       // empty if not installed
    bool downgrade = false;         // this version <= the installed one

    // Reads the hardware and the install root; cheap (proc/sys files, statvfs,
    // one small state file), so it may run on the GUI thread.
    static DeviceFit evaluate(const atmo::VerifyReport& report, const QString& installRoot,
                              const atmo::TierPolicy& policy, std::optional<int> tierOverride = std::nullopt,
                              const atmo::HardwareProbe& hardwareProbe = {});
    // The headroom the installer needs on top of the files (staging metadata).
    static std::uint64_t stagingHeadroom(std::uint64_t bytes);
};
