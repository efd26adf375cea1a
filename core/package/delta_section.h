// What a delta package says about itself: the `delta:` section of its
// manifest (the Offline Distribution Protocol's "Delta Updates"). A delta
// package is an .atmo like any other - signed manifest, checksums, custody,
// tiers - whose `contents` still list every file of the target version with
// its SHA-256 and size; the archive carries only what the base lacks:
//
//   delta:
//     base_version: "1.2"
//     target_version: "1.3"            # = package.version
//     base_manifest: sha256:<hex>      # the installed base's signed manifest
//     changes:
//       models:
//         updated:
//           - id: "tinyyolo-defects"
//             from: "1.2"
//             to: "1.3"
//             path: "models/tinyyolo-defects-1.3.onnx"       # in contents
//             base_path: "models/tinyyolo-defects-1.2.onnx"
//             base_size: 6291456
//             base_hash: sha256:<hex>
//             delta: "models/tinyyolo-defects-1.2-to-1.3.delta"  # in the archive
//             delta_size: 2097152
//             delta_hash: sha256:<hex>
//         added: [{id, version, path}]       # travel whole
//         removed: [{id, version, path}]     # base files the target drops
//       agents: {updated: [...]}             # no delta: travel whole
//       knowledge:
//         updated: [{domain, path, base_path, ..., delta, ...}]
//         chunks_added: 47
//         chunks_removed: 12
//         chunks_updated: 89
//     unchanged: ["config/mission.yaml"]  # taken from the base as they are
//
// Every file of `contents` is exactly one of: unchanged (same path and
// hash in the base), updated or added. The signature covers all of it, so
// a device knows before it reads any content which base it needs and what
// every rebuilt file must hash to.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace atmo {

enum class ContentKind;

enum class DeltaChangeType { Updated, Added, Removed };

struct DeltaChange {
    ContentKind kind{};
    DeltaChangeType type = DeltaChangeType::Updated;
    std::string id;      // models, agents, tools, config; the domain for knowledge
    std::string from;    // the base's version of it (updated, removed), if the kind has versions
    std::string to;      // the target's (updated, added)
    std::string path;    // the target file (updated, added); the base file (removed)
    // Updated: the base file it replaces.
    std::string basePath;
    std::uint64_t baseSize = 0;
    std::string baseSha256;
    // Updated and carried as a delta (models, knowledge): the .delta in the
    // archive. Empty: the new file travels whole.
    std::string delta;
    std::uint64_t deltaSize = 0;
    std::string deltaSha256;

    bool viaDelta() const { return !delta.empty(); }
};

struct RecordCounts {
    std::uint64_t added = 0;
    std::uint64_t removed = 0;
    std::uint64_t updated = 0;
};

struct DeltaSection {
    std::string baseVersion;
    std::string targetVersion;
    std::string baseManifestSha256; // hex
    std::vector<DeltaChange> changes;   // by kind in section order; updated, added, removed
    std::vector<std::string> unchanged; // target paths, in contents order
    RecordCounts chunks;                // knowledge records, over all knowledge files

    const DeltaChange* changeFor(const std::string& targetPath) const; // updated or added
    const DeltaChange* changeByDelta(const std::string& deltaPath) const;
    bool isUnchanged(const std::string& targetPath) const;
    // One English line: "models: 1 updated (1 as a delta); agents: 1 added;
    // knowledge: 47 records added, 12 removed, 89 updated; 3 files unchanged"
    std::string summary() const;
};

} // namespace atmo
