// What happened to a stored package on this station after it was built or
// received: when it was last verified (and whether it passed), written to
// drives, installed. PackageStore keeps one PackageHistory per entry and
// PackageStore::record() updates it; the Build list shows it as a status.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace atmo {

struct VerifyReport;

enum class PackageEvent {
    Verified,     // every signature and file checked out
    VerifyFailed, // a check failed (not a cancelled one)
    Exported,     // written to drives and read back
    Installed,    // verified and installed
};

struct PackageHistory {
    std::string verifiedAt;     // UTC timestamp of the last verification; empty: never
    bool verifiedOk = false;    // that verification's outcome
    std::string verifiedStamp;  // fileStamp() of the file when it was verified
    std::string exportedAt;     // last write to drives; empty: never
    int exportedDrives = 0;     // drives written and read back that time
    std::string installedAt;    // last install; empty: never

    bool empty() const { return verifiedAt.empty() && exportedAt.empty() && installedAt.empty(); }
    // Applies an event at time `at`. Exported and Installed imply a passed
    // verification of the same file (both verify it first).
    void apply(PackageEvent event, const std::string& at, const std::string& stamp, int drives);
};

// The file's size and modification time ("<bytes>:<ns>"), empty when it
// cannot be read: a verification holds only while the stamp is unchanged.
std::string fileStamp(const std::filesystem::path& file);

// What a finished check (or install, when `installed`) says about the
// package: Verified or Installed when it passed; VerifyFailed when the
// package itself is at fault (not a package, damaged, altered, unsigned,
// untrusted, malformed); nothing when it says nothing about the package
// (cancelled, unreadable, or refused for this device or this install root).
std::optional<PackageEvent> eventOf(const VerifyReport& report, bool installed);

// The file was verified, and has been replaced or changed since.
bool changedSinceVerified(const PackageHistory& history, const std::filesystem::path& file);

// Where a stored package stands, for a status line (the window's Build
// list, `atmosphere package stored`): the one order both apply.
enum class PackageState {
    NotVerified, // never checked here
    Changed,     // checked, then the file was replaced or changed
    Failed,      // the last check failed
    Good,        // the last check passed (and it may be on drives, installed)
};
PackageState packageState(const PackageHistory& history, const std::filesystem::path& file);

} // namespace atmo
