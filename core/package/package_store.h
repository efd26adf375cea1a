// The station's package store: an index (<home>/store.json) of the packages
// this station built or received, by id and version, so they can be named as
// "<id>-<version>" instead of a path. The index records where each file is;
// nothing is copied.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/package/package_history.h"

namespace atmo {

struct StoredPackage {
    std::string id;
    std::string version;
    std::optional<int> tier;      // nullopt: the full package
    std::filesystem::path file;
    std::uint64_t bytes = 0;
    std::string addedAt;
    std::string deltaFrom;        // a delta package: the base version it updates
    PackageHistory history;       // verified, written to drives, installed
};

class PackageStore {
public:
    explicit PackageStore(std::filesystem::path indexFile);
    Status add(const StoredPackage& package);  // replaces an entry with the same file
    // Records what happened to the entry whose file is `file` (the same file,
    // however named). A file the store does not hold is left alone: the
    // result is then false. `drives` counts drives for Exported.
    Result<bool> record(const std::filesystem::path& file, PackageEvent event, int drives = 0);
    std::vector<StoredPackage> list() const;   // entries whose file still exists
    // "<id>-<version>" or "<id>-v<version>", full package preferred; a
    // delta package only by its file name ("<id>-v1.3-from-v1.2").
    std::optional<StoredPackage> find(const std::string& ref) const;
    std::optional<std::string> latestVersion(const std::string& id) const;

private:
    std::filesystem::path index_;
};

} // namespace atmo
