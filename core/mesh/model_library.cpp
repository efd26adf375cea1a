#include "core/mesh/model_library.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <set>

#include "core/base/fs_util.h"
#include "core/mesh/library_layouts.h"
#include "core/base/sha256.h"
#include "core/package/station_home.h"
#include "core/base/thread_pool.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

std::int64_t mtimeNsOf(const struct stat& st)
{
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
}

// ---- hashing -----------------------------------------------------------------

struct Hashed {
    std::uint64_t size = 0;
    std::int64_t mtimeNs = 0;
    std::string sha256;
    std::vector<std::string> chunks;
};

// Whole-file and per-chunk SHA-256 in one read. Throws Failure with the reason
// (the caller names the file), Cancelled when cancelled.
Hashed hashFile(const fs::path& file, std::uint64_t chunkSize, const CancelToken& cancel,
                const std::function<void(std::uint64_t)>& onBytes)
{
    // O_NONBLOCK: a FIFO swapped in after the scan must not block the open.
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (!fd)
        throw Failure(errno == ENOENT ? std::string("disappeared before it could be hashed")
                                      : std::string("cannot open: ") + std::strerror(errno));
    struct stat before {};
    if (::fstat(fd.get(), &before) != 0)
        throw Failure(std::string("cannot stat: ") + std::strerror(errno));
    if (!S_ISREG(before.st_mode))
        throw Failure("not a regular file");
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);

    Hashed h;
    h.size = static_cast<std::uint64_t>(before.st_size);
    h.mtimeNs = mtimeNsOf(before);
    Sha256 whole, chunk;
    std::uint64_t inChunk = 0, total = 0;
    std::vector<std::uint8_t> buf(1 << 20);
    for (;;) {
        cancel.check();
        const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw Failure(std::string("read failed: ") + std::strerror(errno));
        }
        if (n == 0)
            break;
        whole.update(buf.data(), static_cast<std::size_t>(n));
        std::size_t off = 0;
        while (chunkSize && off < static_cast<std::size_t>(n)) {
            const std::uint64_t left = static_cast<std::uint64_t>(n) - off;
            const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(chunkSize - inChunk, left));
            chunk.update(buf.data() + off, take);
            off += take;
            inChunk += take;
            if (inChunk == chunkSize) {
                h.chunks.push_back(chunk.finishHex());
                inChunk = 0;
            }
        }
        total += static_cast<std::uint64_t>(n);
        if (onBytes)
            onBytes(static_cast<std::uint64_t>(n));
    }
    if (inChunk > 0)
        h.chunks.push_back(chunk.finishHex());
    struct stat after {};
    if (::fstat(fd.get(), &after) != 0 || total != h.size || static_cast<std::uint64_t>(after.st_size) != h.size
        || mtimeNsOf(after) != h.mtimeNs)
        throw Failure("changed while being hashed; skipped until the next scan");
    h.sha256 = whole.finishHex();
    return h;
}

struct FileResult {
    bool ok = false;
    std::uint64_t size = 0;
    std::int64_t mtimeNs = 0;
    std::string sha256;
    std::string error;
};

std::uint64_t sizeOf(const fs::path& file)
{
    struct stat st {};
    return ::stat(file.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

// Whole and chunk hashes of every file the cache cannot answer for, on the
// core pool, largest first; results for every file asked about.
// `files`: (canonical path, name to show in progress).
std::map<fs::path, FileResult> hashFiles(const std::vector<std::pair<fs::path, std::string>>& files, HashCache& cache,
                                         ProgressReporter& progress, std::atomic<std::uint64_t>& bytesHashed,
                                         const CancelToken& cancel)
{
    std::map<fs::path, FileResult> results;
    struct Todo {
        fs::path file;
        std::string name;
        std::uint64_t size;
    };
    std::vector<Todo> todo;
    std::uint64_t total = 0;
    for (const auto& [file, name] : files) {
        if (results.count(file))
            continue;
        FileResult& r = results[file];
        struct stat st {};
        if (::stat(file.c_str(), &st) == 0) {
            const auto size = static_cast<std::uint64_t>(st.st_size);
            // The whole hash is enough: chunk hashes the scan made may since have
            // been replaced by another size (chunkHashesFor makes them again).
            const auto whole = cache.wholeHash(file, size, mtimeNsOf(st));
            if (whole) {
                r = FileResult{true, size, mtimeNsOf(st), *whole, {}};
                continue;
            }
        }
        todo.push_back({file, name, sizeOf(file)});
        total += todo.back().size;
    }
    if (todo.empty())
        return results;
    std::stable_sort(todo.begin(), todo.end(), [](const Todo& a, const Todo& b) { return a.size > b.size; });
    progress.phase(Phase::Hashing, total);
    std::vector<std::future<void>> running;
    for (const Todo& t : todo) {
        FileResult* slot = &results[t.file]; // std::map nodes stay put
        running.push_back(ThreadPool::shared().submit([&, slot, file = t.file, name = t.name, size = t.size] {
            if (cancel.cancelled())
                return;
            const ProgressItem named(progress, name, size);
            try {
                Hashed h = hashFile(file, kDefaultChunkHashSize, cancel, [&](std::uint64_t n) {
                    bytesHashed += n;
                    progress.add(n);
                });
                cache.storeWhole(file, h.size, h.mtimeNs, h.sha256);
                cache.storeChunks(file, h.size, h.mtimeNs, kDefaultChunkHashSize, std::move(h.chunks));
                *slot = FileResult{true, h.size, h.mtimeNs, std::move(h.sha256), {}};
            } catch (const Cancelled&) {
            } catch (const std::exception& e) {
                slot->error = e.what();
            }
        }));
    }
    for (auto& f : running)
        f.get(); // every task references locals: wait for all, even when cancelled
    progress.finish();
    return results;
}

} // namespace

std::optional<std::string> modelIdFromName(std::string_view name)
{
    std::string id;
    bool lastReplaced = false;
    for (char c : name) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (id.empty() && !alnum)
            continue;
        if (alnum || c == '.' || c == '_' || c == '-') {
            id += c;
            lastReplaced = false;
        } else if (!lastReplaced) { // one '_' for a multi-byte character
            id += '_';
            lastReplaced = true;
        }
    }
    if (id.size() > 200)
        id.resize(200);
    if (!isValidModelId(id))
        return std::nullopt;
    return id;
}

std::vector<LibraryRoot> defaultLibraryRoots(const fs::path& stationHome)
{
    auto env = [](const char* name) -> std::string {
        const char* v = std::getenv(name);
        return v ? v : "";
    };
    fs::path home = env("HOME");
    if (home.empty())
        if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir)
            home = pw->pw_dir;
    fs::path hub;
    if (!env("HF_HUB_CACHE").empty())
        hub = env("HF_HUB_CACHE");
    else if (!env("HUGGINGFACE_HUB_CACHE").empty()) // the older name, still honoured by huggingface_hub
        hub = env("HUGGINGFACE_HUB_CACHE");
    else if (!env("HF_HOME").empty())
        hub = fs::path(env("HF_HOME")) / "hub";
    else if (!env("XDG_CACHE_HOME").empty())
        hub = fs::path(env("XDG_CACHE_HOME")) / "huggingface" / "hub";
    else if (!home.empty())
        hub = home / ".cache" / "huggingface" / "hub";

    std::vector<LibraryRoot> roots;
    if (!hub.empty())
        roots.push_back({LibraryRootKind::HuggingFaceHub, hub});
    if (!home.empty())
        roots.push_back({LibraryRootKind::LlamaFarmVision, home / ".llamafarm" / "models" / "vision"});
    const StationHome station(stationHome);
    roots.push_back({LibraryRootKind::Downloads, station.modelsDir()});
    roots.push_back({LibraryRootKind::InstalledPackages, station.defaultInstallRoot()});
    return roots;
}

Result<LibraryScan> scanLibrary(const std::vector<LibraryRoot>& roots, HashCache& cache, Observer* observer,
                                const CancelToken& cancel)
{
    std::atomic<std::uint64_t> bytesHashed{0};
    auto result = guarded([&]() -> Result<LibraryScan> {
        ProgressReporter progress(observer);
        progress.phase(Phase::Scanning, 0);
        LibraryDiscovery found = discoverLibrary(roots, cancel);
        auto& cands = found.candidates;
        auto& problems = found.problems;

        // Candidates in priority order per id. Only the first is hashed; if it
        // fails its check the next one gets its turn, so a damaged download
        // does not hide a good copy elsewhere.
        std::map<std::string, std::vector<std::size_t>> byId;
        for (std::size_t i = 0; i < cands.size(); ++i)
            byId[cands[i].entry.modelId].push_back(i);
        std::map<std::string, std::size_t> next; // index into byId[id]
        std::set<std::string> pending;
        for (const auto& [id, list] : byId)
            pending.insert(id);

        LibraryScan out;
        std::vector<std::string> hashProblems;
        while (!pending.empty()) {
            std::vector<std::pair<fs::path, std::string>> files;
            for (const auto& id : pending) {
                const LibraryCandidate& c = cands[byId[id][next[id]]];
                files.emplace_back(c.file, c.shown.filename().string());
            }
            const auto hashed = hashFiles(files, cache, progress, bytesHashed, cancel);
            if (cancel.cancelled()) {
                (void)cache.save(); // keep what was hashed
                throw Cancelled();
            }
            std::set<std::string> still;
            for (const auto& id : pending) {
                const auto& list = byId[id];
                LibraryCandidate& c = cands[list[next[id]]];
                const FileResult& r = hashed.at(c.file);
                std::string why;
                if (!r.ok)
                    why = r.error;
                else if (!c.expectedSha.empty() && c.expectedSha != r.sha256)
                    why = "SHA-256 differs from " + c.expectedFrom + "; skipped";
                if (!why.empty()) {
                    hashProblems.push_back(c.shown.string() + ": " + why);
                    if (++next[id] < list.size())
                        still.insert(id);
                    continue;
                }
                c.entry.sizeBytes = r.size;
                c.entry.sha256 = r.sha256;
                c.entry.chunkSize = kDefaultChunkHashSize;
                if (c.versionFromHash) // never for an entry received as it is (a download's .json)
                    c.entry.version = r.sha256.substr(0, 12);
                for (std::size_t k = next[id] + 1; k < list.size(); ++k)
                    hashProblems.push_back(cands[list[k]].shown.string() + ": model_id '" + id + "' is already taken by "
                                           + c.shown.string() + "; skipped");
                out.models.push_back(LocalModel{c.entry, c.file});
            }
            pending = std::move(still);
        }
        std::sort(out.models.begin(), out.models.end(),
                  [](const LocalModel& a, const LocalModel& b) { return a.entry.modelId < b.entry.modelId; });
        std::sort(hashProblems.begin(), hashProblems.end());
        out.problems = std::move(problems);
        out.problems.insert(out.problems.end(), hashProblems.begin(), hashProblems.end());
        if (const Status saved = cache.save(); !saved)
            out.problems.push_back(saved.message() + " (the hash cache was not saved)");
        progress.finish();
        return out;
    });
    if (result)
        result->bytesHashed = bytesHashed.load();
    return result;
}

Result<std::vector<std::string>> chunkHashesFor(const LocalModel& model, std::uint64_t chunkSize, HashCache& cache,
                                                const CancelToken& cancel)
{
    const std::string& id = model.entry.modelId;
    return guarded([&]() -> Result<std::vector<std::string>> {
        if (chunkSize == 0)
            return fail(id + ": the chunk size must be at least 1 byte");
        const std::string changed = id + ": the file changed since the library scan; rescan the library";
        struct stat st {};
        if (::stat(model.file.c_str(), &st) != 0)
            return fail(id + ": the file is no longer there (" + std::string(std::strerror(errno)) + ")");
        const auto size = static_cast<std::uint64_t>(st.st_size);
        if (size != model.entry.sizeBytes)
            return fail(changed);
        const auto whole = cache.wholeHash(model.file, size, mtimeNsOf(st));
        if (whole && *whole != model.entry.sha256)
            return fail(changed);
        if (auto chunks = cache.chunkHashes(model.file, size, mtimeNsOf(st), chunkSize); chunks && whole)
            return std::move(*chunks);
        Hashed h;
        try {
            h = hashFile(model.file, chunkSize, cancel, {});
        } catch (const Failure& e) {
            return fail(id + ": " + e.what());
        }
        if (h.sha256 != model.entry.sha256)
            return fail(changed);
        cache.storeWhole(model.file, h.size, h.mtimeNs, h.sha256);
        cache.storeChunks(model.file, h.size, h.mtimeNs, chunkSize, h.chunks);
        (void)cache.save(); // only a cache: failing to save costs a rehash later
        return std::move(h.chunks);
    });
}

} // namespace atmo
