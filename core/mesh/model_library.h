// The station's local model library: models found in the folders a model
// bridge looks in (PROTOCOL.md "Where a bridge finds models"), the station's
// own downloads, and the models of installed packages, turned into catalog
// entries. Hashes are cached by path, size and modification time, so a rescan
// does not re-read unchanged gigabytes; new or changed files are hashed on the
// core thread pool with progress. Local paths stay here: catalog entries never
// carry them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mesh/catalog_wire.h"
#include "core/mesh/hash_cache.h"
#include "core/base/progress.h"
#include "core/base/result.h"

namespace atmo {

enum class LibraryRootKind {
    HuggingFaceHub,    // <root>/models--{org}--{name}/snapshots/{rev}/{file}: exactly the
                       // bridge's rules (PROTOCOL.md "How a bridge builds its catalog"): the
                       // newest snapshot by mtime, files directly in it of at least 1,000,000
                       // bytes, model_id "{name}-{stem}"; links followed only inside the repo
    LlamaFarmVision,   // <root>/{name}_{timestamp}/model.pt  -> model_id {name}_{timestamp},
                       // vision/pt, source_ref "local", capabilities by task, as the bridge
    Downloads,         // <root>/{model_id}.{format} with {model_id}.json beside it: the entry
                       // as received (only size, sha256 and chunk_size are the station's)
    InstalledPackages, // an install root: <root>/<id>/current/models/*, checked against
                       // <root>/<id>/current/manifest.yaml
    Folder,            // any folder, recursively: model files by extension, model_id from the
                       // file stem (modelIdFromName)
};

struct LibraryRoot {
    LibraryRootKind kind = LibraryRootKind::Folder;
    std::filesystem::path path;
};

// Default roots for this machine: ~/.cache/huggingface/hub (or $HF_HUB_CACHE,
// $HF_HOME/hub), ~/.llamafarm/models/vision, <station home>/models, and the
// station's install root.
std::vector<LibraryRoot> defaultLibraryRoots(const std::filesystem::path& stationHome);

struct LocalModel {
    CatalogEntry entry;
    std::filesystem::path file;   // canonical (links resolved: a hub file's blob); never sent to peers
};

inline constexpr std::uint64_t kDefaultChunkHashSize = 4ull << 20; // 4 MiB

struct LibraryScan {
    std::vector<LocalModel> models;        // sorted by model_id, ids unique
    std::vector<std::string> problems;     // "<path>: <reason>" for files skipped
    std::uint64_t bytesHashed = 0;         // 0 on a rescan of unchanged files
};

// Scans every root (missing roots are skipped silently), hashes what the cache
// lacks on ThreadPool::shared() (phase "hashing", item = file name), and saves
// the cache. Two files claiming one model_id: the first root wins (within a
// hub cache, the file the bridge would keep: the later one), the other is
// reported in problems and used only if the winner cannot be hashed. The hashing pass also computes the per-chunk hashes
// at kDefaultChunkHashSize (one read serves both), and every entry says so in
// chunkSize, so chunkHashesFor(model, entry.chunkSize, ...) normally reads
// nothing. A rescan reads only files whose whole hash is not cached.
// Unreadable files and directories, broken links, link loops, links out of a
// Hugging Face repo, files that vanish or change while being hashed, and file
// names that make no valid model_id are problems, never a failed scan; the
// scan fails only when cancelled ("cancelled"; what was hashed is cached).
// A .json or manifest hash is never taken on trust: the file is hashed (once,
// then cached) and a mismatch is a problem. Blocks the calling thread; do not
// call it from a ThreadPool::shared() worker (it waits for that pool).
Result<LibraryScan> scanLibrary(const std::vector<LibraryRoot>& roots, HashCache& cache,
                                Observer* observer, const CancelToken& cancel);

// Per-chunk hashes of a library file (cached): chunk i covers
// [i*chunkSize, min(size, (i+1)*chunkSize)); an empty file has none. Fails if
// the file no longer matches the entry's size and sha256 (changed since the
// scan), so a peer is never handed hashes of other bytes than it downloads.
// A newly computed list is saved to the cache file.
Result<std::vector<std::string>> chunkHashesFor(const LocalModel& model, std::uint64_t chunkSize,
                                                HashCache& cache, const CancelToken& cancel);

// A model_id made from a file or folder name: each run of bytes outside
// [A-Za-z0-9._-] becomes one '_', leading characters that are not a letter or a
// digit are dropped, and it is cut to 200 bytes; nullopt when nothing valid
// (isValidModelId) remains.
std::optional<std::string> modelIdFromName(std::string_view name);

} // namespace atmo
