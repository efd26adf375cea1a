// `package create`: hashes a mission's files in parallel on the core thread
// pool, writes the signed manifest, and streams everything into a .atmo
// archive that appears under its final name only when complete and synced.
#pragma once

#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/package/archive_writer.h"
#include "core/base/progress.h"
#include "core/package/manifest.h"
#include "core/package/minisign.h"
#include "core/base/result.h"

namespace atmo {

class TrustStore;

struct CreateOptions {
    std::filesystem::path missionDir;
    std::string version;
    std::filesystem::path outputDir;
    SecretKey meshKey;                    // mesh authority, required
    std::optional<SecretKey> founderKey;  // optional second signature
    std::optional<int> tier;              // one tier's export; nullopt = the full package
    Compression compression = Compression::None;
    std::string stationName;              // created_by
    std::optional<SecretKey> stationKey;  // signs the "created" custody entry when set
    // The time a source file's ctime is compared with to decide whether it is
    // "racy" (hashed again while copied); 0 = the clock. Tests set it ahead
    // instead of waiting: a ctime cannot be back-dated.
    std::time_t racyClock = 0;
    // A delta package (delta_package.h) from this earlier package of the
    // same mission, checked against `trust` first; empty: a full package.
    std::filesystem::path deltaFrom;
    const TrustStore* trust = nullptr;
};

struct CreateResult {
    std::filesystem::path file;
    Manifest manifest;
    std::uint64_t archiveBytes = 0;
    std::uint64_t baseArchiveBytes = 0; // a delta package: the size of the package it was made from
};

// The signed manifest and checksums for a mission (no archive written):
// hashing phase only. Used by createPackage and by the wizard's preview.
Result<Manifest> buildManifest(const CreateOptions& options, Observer* observer, const CancelToken& cancel);

Result<CreateResult> createPackage(const CreateOptions& options, Observer* observer, const CancelToken& cancel);

} // namespace atmo
