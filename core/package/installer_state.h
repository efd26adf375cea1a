// Internals of the installer shared by its source files: the installed
// state of one package (state.json, the VersionRecord/StateRecord it holds,
// its reconciliation with the `current` link) and the steps that change it on
// disk (the package directory's lock, switching `current`, pruning after a
// commit). installer.cpp installs and rolls back, install_sink.cpp writes
// verified content into staging and commits it; installer_state.cpp holds
// the state and these steps. Not an API: include only from those.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/base/fs_util.h"
#include "core/package/installer.h"

namespace atmo::installer_detail {

namespace fs = std::filesystem;

inline constexpr const char* kCurrent = "current";
inline constexpr const char* kState = "state.json";

struct VersionRecord {
    std::string version;
    std::string installedAt;
    int tier = 1;
    bool downgradeOverride = false;
};

struct StateRecord {
    std::string id;
    std::string name;
    VersionRecord current;
    std::optional<VersionRecord> previous;
    std::vector<std::string> history;
    std::string manifestSha256;
    std::string packageFile;
};

std::string stateText(const StateRecord& s);
std::optional<StateRecord> readState(const fs::path& idDir);
bool isDir(const fs::path& p);
std::optional<std::string> readCurrent(const fs::path& idDir);
std::optional<StateRecord> loadInstalled(const fs::path& idDir, const std::string& id);
InstalledPackage toInstalled(const fs::path& idDir, const StateRecord& s);

// ---- steps on the package directory ----------------------------------------

[[noreturn]] void sysFail(const std::string& what, int err); // throws Failure("what: strerror")
bool lexists(const fs::path& p);                              // exists, links not followed
// An exclusive flock on <root>/<id>: installs and rollbacks of one package
// refuse to run concurrently.
UniqueFd lockPackageDir(const fs::path& idDir, const std::string& id);
// Points <idDir>/current at `version` atomically.
void switchCurrent(const fs::path& idDir, const std::string& version);
void removeTree(const fs::path& p);
// After a successful install: everything but `keep` versions and the
// bookkeeping files goes (crash leftovers, versions older than the previous).
void pruneAfterCommit(const fs::path& idDir, const std::set<std::string>& keep);

} // namespace atmo::installer_detail
