// The missions this station has built packages from, by id, so that
// `package create --mission <id>` finds a mission the wizard or an earlier
// `package create` used without its folder being named again. Stored as
// <home>/missions.json; one entry per id, the folder of its latest build.
// The index records where each mission is; nothing is copied.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"

namespace atmo {

struct KnownMission {
    std::string id;
    std::filesystem::path dir;   // absolute
    std::string builtAt;         // UTC, when a package was last built from it
};

class MissionRegistry {
public:
    explicit MissionRegistry(std::filesystem::path indexFile);
    // Records (or moves) the mission `id` to `dir`; safe against concurrent writers.
    Status record(const std::string& id, const std::filesystem::path& dir);
    // Every entry, sorted by id (folders that no longer exist included).
    Result<std::vector<KnownMission>> list() const;
    std::optional<KnownMission> find(const std::string& id) const;
    const std::filesystem::path& indexFile() const { return index_; }

private:
    std::filesystem::path index_;
};

} // namespace atmo
