// Internals of the installer shared by its two source files: the installed
// state of one package (state.json, the VersionRecord/StateRecord it holds,
// and its reconciliation with the `current` link). installer.cpp installs and
// rolls back; installer_state.cpp reads and writes the record. Not an API:
// include only from those.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/installer.h"

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

} // namespace atmo::installer_detail
