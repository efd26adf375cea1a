// Whether a model (or any verified file a download would write) is already
// on this station, decided once for the CLI (`model pull`) and the window
// (the mesh view's "In library", the download manager's "already here"),
// over one index of the library.
//
// Never reads a model: the library index is the latest scan's result (the
// scan hashed, off the GUI thread), the hash cache is in memory, and the
// rest is stat. So the window may ask on every selection; it never parses a
// catalog entry's JSON on the GUI thread to find out (its SHA-256 is a claim,
// not a check: only the scan and the hash cache have read the bytes).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/mesh/model_library.h"

namespace atmo {

// The library by model id, as the latest scan found it.
class LibraryIndex {
public:
    LibraryIndex() = default;
    explicit LibraryIndex(const std::vector<LocalModel>& models);
    const LocalModel* find(const std::string& modelId) const;
    std::size_t size() const { return byId_.size(); }

private:
    std::map<std::string, LocalModel> byId_;
};

struct WantedFile {
    std::string modelId;           // empty: not a model; the library is not asked
    std::string sha256;            // lowercase hex, as catalogs carry it
    std::uint64_t sizeBytes = 0;
    std::filesystem::path file;    // where a download of it lands
    bool needsEntryFile = false;   // a model needs <model_id>.json beside `file`, or the scan skips it
};

// The file already holding the wanted bytes: the library's model with the
// same id, SHA-256 and size whose file still has that size; else `file`
// when it has the size and the hash cache knows it (by size and mtime) with
// the same SHA-256 (and, if needed, the entry file is beside it). nullopt
// when neither: then a caller may hash `file` (and store the hash in the
// cache) and ask again, or download.
std::optional<std::filesystem::path> alreadyHere(const LibraryIndex& library, const WantedFile& wanted,
                                                 const HashCache* cache);

// The key the hash cache uses for a file: its canonical path, as the scan stores it.
std::filesystem::path hashCacheKey(const std::filesystem::path& file);

} // namespace atmo
