// Making a delta package (delta_section.h): what changed between a base
// package and a mission's new version, and the .delta files that carry it.
//  - the base package is verified against the trust store while the base
//    files that have a counterpart in the target are extracted into a work
//    directory (a delta made from a damaged or forged base would not apply);
//  - each target file is matched with its counterpart in the base: the same
//    path, else the same kind, id (knowledge: domain), extension and tiers;
//  - same hash: unchanged (taken from the base on the device); changed
//    models and knowledge become a .delta (core/delta; JSONL record by
//    record) when that is smaller than the file, everything else travels
//    whole; a target file without a counterpart is added, a base file
//    without one removed.
// package_writer.cpp calls this when CreateOptions::deltaFrom is set.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/base/cancel_token.h"
#include "core/base/progress.h"
#include "core/package/manifest.h"

namespace atmo {

class TrustStore;

struct DeltaBuild {
    DeltaSection section;
    std::map<std::string, std::filesystem::path> deltaFiles; // archive path -> made .delta file
    std::uint64_t baseArchiveBytes = 0;
};

// Before anything is hashed: the base package's signature checks out
// against `trust` and its signed manifest is of `id`, older than `version`
// and not a delta itself. Reads only the archive's head. Throws Failure
// naming the base package ("--delta-from X: it is a package of other, not
// production-inspection").
void checkDeltaBase(const std::filesystem::path& basePackage, const TrustStore& trust, const std::string& id,
                    const std::string& version, const CancelToken& cancel);

// `target` is the new version's manifest with every hash; `sources` where
// each of its files is (by archive path); `tier` limits the delta to one
// tier's files (nullopt: every tier). Writes into `workDir`, which the caller
// creates and removes. Throws Failure naming the base package or the file.
DeltaBuild buildDelta(const Manifest& target, const std::map<std::string, std::filesystem::path>& sources,
                      std::optional<int> tier, const std::filesystem::path& basePackage, const TrustStore& trust,
                      const std::filesystem::path& workDir, Observer* observer, const CancelToken& cancel);

} // namespace atmo
