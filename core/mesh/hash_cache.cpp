#include "core/mesh/hash_cache.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>

#include "core/base/fs_util.h"

namespace atmo {

namespace fs = std::filesystem;
using json = nlohmann::json;

// Cache format (<station home>/cache/model-hashes.json by default):
//   {"format": "atmosphere-hash-cache", "version": 1,
//    "files": {"/abs/path": {"size": N, "mtime_ns": N, "sha256": "<hex>",
//                            "chunk_size": N, "chunks": ["<hex>", ...]}}}
// It is only a cache: anything that does not parse is dropped (the whole file,
// or the one record), and the next save writes a good file in its place.

namespace {

constexpr const char* kFormat = "atmosphere-hash-cache";

bool isHex64(const std::string& s)
{
    if (s.size() != 64)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

std::uint64_t chunkCount(std::uint64_t size, std::uint64_t chunkSize)
{
    return chunkSize == 0 ? 0 : (size + chunkSize - 1) / chunkSize;
}

std::string key(const fs::path& file)
{
    std::error_code ec;
    fs::path abs = fs::absolute(file, ec);
    return (ec ? file : abs).lexically_normal().string();
}

} // namespace

HashCache::HashCache(fs::path file) : file_(std::move(file))
{
    if (file_.empty())
        return;
    std::error_code ec;
    if (!fs::exists(file_, ec))
        return;
    auto text = readFile(file_, 256u << 20);
    if (!text)
        return;
    const json doc = json::parse(*text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || doc.value("format", std::string()) != kFormat)
        return;
    const auto files = doc.find("files");
    if (files == doc.end() || !files->is_object())
        return;
    for (const auto& [path, r] : files->items()) {
        if (!r.is_object() || path.empty() || path[0] != '/')
            continue;
        Record rec;
        try {
            rec.size = r.at("size").get<std::uint64_t>();
            rec.mtimeNs = r.at("mtime_ns").get<std::int64_t>();
            rec.sha256 = r.value("sha256", std::string());
            rec.chunkSize = r.value("chunk_size", std::uint64_t(0));
            if (r.contains("chunks"))
                rec.chunks = r.at("chunks").get<std::vector<std::string>>();
        } catch (const json::exception&) {
            continue;
        }
        if (!rec.sha256.empty() && !isHex64(rec.sha256))
            continue;
        bool chunksOk = rec.chunkSize > 0 && rec.chunks.size() == chunkCount(rec.size, rec.chunkSize);
        for (const auto& c : rec.chunks)
            chunksOk = chunksOk && isHex64(c);
        if (!chunksOk) {
            rec.chunkSize = 0;
            rec.chunks.clear();
        }
        if (rec.sha256.empty() && rec.chunks.empty())
            continue;
        records_.emplace(path, std::move(rec));
    }
}

std::optional<std::string> HashCache::wholeHash(const fs::path& file, std::uint64_t size,
                                                std::int64_t mtimeNs) const
{
    std::lock_guard lock(mutex_);
    const auto it = records_.find(key(file));
    if (it == records_.end() || it->second.size != size || it->second.mtimeNs != mtimeNs || it->second.sha256.empty())
        return std::nullopt;
    return it->second.sha256;
}

std::optional<std::vector<std::string>> HashCache::chunkHashes(const fs::path& file, std::uint64_t size,
                                                               std::int64_t mtimeNs, std::uint64_t chunkSize) const
{
    std::lock_guard lock(mutex_);
    const auto it = records_.find(key(file));
    if (it == records_.end() || it->second.size != size || it->second.mtimeNs != mtimeNs || chunkSize == 0
        || it->second.chunkSize != chunkSize)
        return std::nullopt;
    return it->second.chunks;
}

void HashCache::storeWhole(const fs::path& file, std::uint64_t size, std::int64_t mtimeNs, std::string sha256)
{
    std::lock_guard lock(mutex_);
    Record& r = records_[key(file)];
    if (r.size != size || r.mtimeNs != mtimeNs)
        r = Record{size, mtimeNs, {}, 0, {}};
    r.sha256 = std::move(sha256);
}

void HashCache::storeChunks(const fs::path& file, std::uint64_t size, std::int64_t mtimeNs,
                            std::uint64_t chunkSize, std::vector<std::string> hashes)
{
    if (chunkSize == 0 || hashes.size() != chunkCount(size, chunkSize))
        return; // not a list chunkHashes could ever hand out
    std::lock_guard lock(mutex_);
    Record& r = records_[key(file)];
    if (r.size != size || r.mtimeNs != mtimeNs)
        r = Record{size, mtimeNs, {}, 0, {}};
    r.chunkSize = chunkSize;
    r.chunks = std::move(hashes);
}

Status HashCache::save() const
{
    if (file_.empty())
        return {};
    json files = json::object();
    {
        std::lock_guard lock(mutex_);
        for (const auto& [path, r] : records_) {
            struct stat st {};
            if (::stat(path.c_str(), &st) != 0 && errno == ENOENT)
                continue;
            json e = json::object();
            e["size"] = r.size;
            e["mtime_ns"] = r.mtimeNs;
            if (!r.sha256.empty())
                e["sha256"] = r.sha256;
            if (r.chunkSize > 0) {
                e["chunk_size"] = r.chunkSize;
                e["chunks"] = r.chunks;
            }
            files[path] = std::move(e);
        }
    }
    json doc = json::object();
    doc["format"] = kFormat;
    doc["version"] = 1;
    doc["files"] = std::move(files);
    std::error_code ec;
    if (file_.has_parent_path())
        fs::create_directories(file_.parent_path(), ec);
    if (ec)
        return fail(file_.parent_path().string() + ": cannot create the cache directory: " + ec.message());
    return writeFileAtomic(file_, doc.dump());
}

std::size_t HashCache::size() const
{
    std::lock_guard lock(mutex_);
    return records_.size();
}

} // namespace atmo
