// The model library's hash cache: whole-file and per-chunk SHA-256s by
// absolute path, trusted only while size and mtime match
// (<station home>/cache/model-hashes.json; format in core/mesh/hash_cache.cpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"

namespace atmo {

// Whole-file SHA-256 plus, on demand, per-chunk SHA-256s, cached in a JSON file
// keyed by absolute path and validated by size and mtime (ns). One chunk size
// per file is kept (storing another replaces it). Thread-safe.
class HashCache {
public:
    // Loads `file` if present; a damaged cache is ignored (and overwritten by
    // the next save). An empty path keeps the cache in memory only.
    explicit HashCache(std::filesystem::path file);
    const std::filesystem::path& file() const { return file_; }
    std::optional<std::string> wholeHash(const std::filesystem::path& file, std::uint64_t size,
                                         std::int64_t mtimeNs) const;
    std::optional<std::vector<std::string>> chunkHashes(const std::filesystem::path& file,
                                                        std::uint64_t size, std::int64_t mtimeNs,
                                                        std::uint64_t chunkSize) const;
    void storeWhole(const std::filesystem::path& file, std::uint64_t size, std::int64_t mtimeNs,
                    std::string sha256);
    void storeChunks(const std::filesystem::path& file, std::uint64_t size, std::int64_t mtimeNs,
                     std::uint64_t chunkSize, std::vector<std::string> hashes);
    // Atomic write (the directory is created if missing); entries for files
    // that no longer exist are dropped.
    Status save() const;
    std::size_t size() const;

private:
    struct Record {
        std::uint64_t size = 0;
        std::int64_t mtimeNs = 0;
        std::string sha256;
        std::uint64_t chunkSize = 0;
        std::vector<std::string> chunks;
    };
    std::filesystem::path file_;
    mutable std::mutex mutex_;
    std::map<std::string, Record> records_;
};

} // namespace atmo
