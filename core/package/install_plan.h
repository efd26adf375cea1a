// What installing one package into one root needs and finds, decided once
// for both front ends: core/package/installer refuses by it, the window's "This
// machine" panel (app/DeviceFit) shows it and enables Install by it, so the
// window can never offer an install that core then refuses.
//
// The margin. The tier's files need their bytes plus 1 % plus 16 MiB. The
// two parts cover different things and add up: 1 % for what grows with the
// content (each file rounded up to whole filesystem blocks, a large model's
// extents), 16 MiB for what does not (staging and version directories, the
// signed manifest kept beside the content, state.json and its temporary
// copy, the journal's share on ext4). A rule of max(1 %, 16 MiB), as the
// window once used, drops one of the two: the 1 % below 1.6 GiB of files,
// the fixed 16 MiB above it, where running out hurts most. Of the two rules
// this is the one core already enforced, so no install that worked before
// is refused now.
//
// Unknown free space. statvfs can fail (some FUSE and network mounts, a
// path the user may not search). Then the plan says "unknown", not 0: an
// install is allowed, and both front ends show a warning naming the root.
// Why allowed: the installer writes into a staging directory and removes it
// on any failure, "no space" included, so trying costs nothing and leaves
// the old version in place; refusing would leave a technician in the field
// with no way to install onto such a mount at all. A reported 0 is a full
// disk and refuses like any other shortfall.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/package/manifest.h"

namespace atmo {

struct InstalledPackage;

inline constexpr std::uint64_t kInstallFixedMargin = 16ull << 20;

// The headroom on top of `fileBytes`: 1 % of them plus 16 MiB (see above).
std::uint64_t installMargin(std::uint64_t fileBytes);

// Bytes available to this user on the filesystem holding `path` (its nearest
// existing ancestor); nullopt when the filesystem cannot say.
std::optional<std::uint64_t> freeSpaceIfKnown(const std::filesystem::path& path);

// Where a plan gets the free space: freeSpaceIfKnown unless tests say
// otherwise (a figure, or nullopt for "cannot tell").
using FreeSpaceProbe = std::function<std::optional<std::uint64_t>(const std::filesystem::path&)>;
FreeSpaceProbe fixedFreeSpace(std::optional<std::uint64_t> bytes);

enum class SpaceCheck { Enough, Short, Unknown };

// Whether a delta package's base is what is installed (see deltaBaseCheck).
enum class DeltaBaseState {
    Matches,          // the installed version is the base, by version and signed manifest
    NotInstalled,     // nothing of this package id is installed
    OtherVersion,     // another version is installed
    OtherBuild,       // the base version is installed, but another build of it
    AlreadyInstalled, // the delta's target is installed already
};

struct DeltaBaseCheck {
    DeltaBaseState state = DeltaBaseState::NotInstalled;
    std::string baseVersion;      // what the delta needs
    std::string installedVersion; // what is installed; empty if nothing
    bool ok() const { return state == DeltaBaseState::Matches; }
};

struct InstallPlan {
    std::filesystem::path root;
    std::string id;
    std::string version;
    int tier = 1;                          // the package tier that gets installed
    std::uint64_t fileBytes = 0;           // the tier's files
    std::uint64_t marginBytes = 0;         // installMargin(fileBytes)
    std::optional<std::uint64_t> freeBytes; // nullopt: the filesystem cannot say
    std::optional<std::string> installedVersion;
    bool downgrade = false;                // installed, and this version is not newer
    // A delta package: its base check, and why it cannot go onto what is
    // installed (nullopt: the installed version is its base).
    std::optional<DeltaBaseCheck> deltaBase;
    std::optional<std::string> deltaRefusal;

    std::uint64_t bytesNeeded() const { return fileBytes + marginBytes; }
    SpaceCheck space() const;
    // Why core refuses this install, one line naming the root or the
    // package; nullopt when it goes ahead. A delta without its base is
    // refused first. A downgrade (or reinstall) is
    // refused unless the operator consented (--allow-downgrade, or the
    // window's confirmation).
    std::optional<std::string> refusal(bool allowDowngrade) const;
    // The warning both front ends show when the free space is unknown;
    // empty otherwise.
    std::string warning() const;
};

// The effective tier for a device: its own when the package has it, else the
// highest of the package's tiers below it; nullopt when none suits.
std::optional<int> installTierFor(int deviceTier, const Manifest& manifest);

// Whether the delta package `m` can go onto `installed`: the installed
// version must be its base by version and by signed manifest (the
// manifest.yaml kept beside the installed files).
DeltaBaseCheck deltaBaseCheck(const Manifest& m, const std::optional<InstalledPackage>& installed);
// The same as one English line when it cannot (nullopt: it can): "needs
// production-inspection 1.2 installed; this device has 1.1".
std::optional<std::string> deltaBaseRefusal(const Manifest& m, const DeltaBaseCheck& check);
std::optional<std::string> deltaBaseRefusal(const Manifest& m, const std::optional<InstalledPackage>& installed);

// The SHA-256 of the signed manifest.yaml kept beside an installed
// version's files: what a delta names as its base. nullopt when it cannot
// be read.
std::optional<std::string> installedManifestSha256(const InstalledPackage& installed);

// Plans installing `manifest`'s `tier` into `root`: reads the installed
// state under root and the free space (probe, or statvfs). Cheap: one small
// state file and one statvfs (and, for a delta package, the installed
// manifest's hash). A delta package needs room for what it rebuilds or
// carries; the files it takes unchanged are linked.
InstallPlan planInstall(const Manifest& manifest, int tier, const std::filesystem::path& root,
                        const FreeSpaceProbe& probe = {});

} // namespace atmo
