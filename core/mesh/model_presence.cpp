#include "core/mesh/model_presence.h"

#include <sys/stat.h>

#include <system_error>

namespace atmo {

namespace fs = std::filesystem;

namespace {

// A regular file of exactly `size` bytes, with its mtime in ns.
std::optional<std::int64_t> sizedFileMtime(const fs::path& file, std::uint64_t size)
{
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) != size)
        return std::nullopt;
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
}

} // namespace

LibraryIndex::LibraryIndex(const std::vector<LocalModel>& models)
{
    for (const auto& m : models)
        byId_.emplace(m.entry.modelId, m);
}

const LocalModel* LibraryIndex::find(const std::string& modelId) const
{
    const auto it = byId_.find(modelId);
    return it == byId_.end() ? nullptr : &it->second;
}

fs::path hashCacheKey(const fs::path& file)
{
    std::error_code ec;
    fs::path real = fs::canonical(file, ec);
    return ec ? file : real;
}

std::optional<fs::path> alreadyHere(const LibraryIndex& library, const WantedFile& wanted, const HashCache* cache)
{
    if (!wanted.modelId.empty())
        if (const LocalModel* m = library.find(wanted.modelId))
            if (m->entry.sha256 == wanted.sha256 && m->entry.sizeBytes == wanted.sizeBytes &&
                sizedFileMtime(m->file, wanted.sizeBytes))
                return m->file;
    if (wanted.file.empty() || !cache)
        return std::nullopt;
    const auto mtime = sizedFileMtime(wanted.file, wanted.sizeBytes);
    if (!mtime)
        return std::nullopt;
    const auto known = cache->wholeHash(hashCacheKey(wanted.file), wanted.sizeBytes, *mtime);
    if (!known || *known != wanted.sha256)
        return std::nullopt;
    std::error_code ec;
    if (wanted.needsEntryFile && !fs::exists(wanted.file.parent_path() / (wanted.modelId + ".json"), ec))
        return std::nullopt;
    return wanted.file;
}

} // namespace atmo
