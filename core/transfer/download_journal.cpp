#include "core/transfer/download_journal.h"
#include "core/transfer/download_journal_state.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "core/mesh/catalog_wire.h"
#include "core/base/fs_util.h"
#include "core/base/sha256.h"
#include "core/base/text.h"

namespace atmo {

namespace fs = std::filesystem;
using json = nlohmann::json;

using namespace journal_detail;

namespace {

constexpr std::uint64_t kMaxJournalBytes = 128ull << 20;
constexpr int kJournalVersion = 2;

std::string readBootId()
{
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    while (!id.empty() && std::isspace(static_cast<unsigned char>(id.back())))
        id.pop_back();
    return id;
}

FileId fileId(int fd)
{
    struct statx sx {};
    if (::statx(fd, "", AT_EMPTY_PATH, STATX_INO | STATX_BTIME, &sx) != 0)
        throw Failure(std::string("cannot stat the part file: ") + errnoText());
    FileId id{(std::uint64_t(sx.stx_dev_major) << 32) | sx.stx_dev_minor, sx.stx_ino, 0};
    if (sx.stx_mask & STATX_BTIME)
        id.birthNs = std::int64_t(sx.stx_btime.tv_sec) * 1000000000 + sx.stx_btime.tv_nsec;
    return id;
}

struct PartStat {
    std::uint64_t size = 0;
    std::int64_t mtimeNs = 0;
};

PartStat partStat(int fd, const fs::path& path)
{
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw Failure(path.string() + ": cannot stat: " + errnoText());
    return {std::uint64_t(st.st_size), std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

// Opens (creating if absent) and locks the journal. The lock is on the inode,
// and an open rewrites the journal by rename, so a lock won on an inode that
// is no longer the one at the path is worth nothing: try again.
UniqueFd lockJournal(const fs::path& path, const std::string& modelId)
{
    for (int attempt = 0; attempt < 16; ++attempt) {
        UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644));
        if (!fd)
            throw Failure(path.string() + ": cannot open: " + errnoText());
        if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
            if (errno == EWOULDBLOCK)
                throw Failure(ErrorCode::Busy, modelId + ": already being downloaded into " + path.parent_path().string() +
                                  " (by another process or window)",
                              modelId);
            throw Failure(path.string() + ": cannot lock: " + errnoText());
        }
        struct stat held {}, named {};
        if (::fstat(fd.get(), &held) == 0 && ::stat(path.c_str(), &named) == 0 &&
            held.st_dev == named.st_dev && held.st_ino == named.st_ino)
            return fd;
    }
    throw Failure(path.string() + ": keeps being replaced while it is opened");
}

} // namespace

namespace detail {

struct JournalRecords {
    struct Done {
        std::string hash;       // recorded hash ("" if none)
        std::uint64_t ordinal;  // 1 for the file's first D record
    };
    bool ok = false;
    int version = 0;
    std::string modelId, sha256, bootId;
    std::uint64_t size = 0, chunkSize = 0;
    FileId part;
    std::vector<std::string> hashes;
    std::map<std::uint32_t, Done> done;
    std::uint64_t records = 0;                 // D records read
    std::uint64_t synced = 0;                  // the last sync point's count
    std::optional<std::int64_t> closedMtimeNs; // the last record was a clean close
    bool finished = false;
};

} // namespace detail

namespace {

using Parsed = detail::JournalRecords;

// Reads records until the first one that is torn or fails its check: a crash
// can only damage the tail of an append-only file.
Parsed parseJournal(const std::string& text)
{
    Parsed p;
    std::size_t pos = 0;
    bool header = false;
    while (pos < text.size()) {
        const std::size_t end = text.find('\n', pos);
        if (end == std::string::npos)
            break;
        const std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        const std::size_t sp = line.rfind(' ');
        if (sp == std::string::npos)
            break;
        const std::string payload = line.substr(0, sp);
        if (line.substr(sp + 1) != sha256Hex(payload).substr(0, 16))
            break;
        const char kind = payload.empty() ? '?' : payload[0];
        const std::string rest = payload.size() > 2 ? payload.substr(2) : std::string();
        if (!header) {
            if (kind != 'H')
                return p;
            json h = json::parse(rest, nullptr, false);
            // Whole numbers only: get<> converts a float (1e22) to an integer
            // with undefined behaviour when it is out of range (fuzz_download_journal).
            const auto whole = [&h](const char* key, bool isSigned) -> const json& {
                const json& v = h.at(key);
                if (!(isSigned ? v.is_number_integer() : v.is_number_unsigned()))
                    throw std::invalid_argument(key);
                return v;
            };
            try {
                if (!h.is_object())
                    return p;
                const std::int64_t version = whole("v", true).get<std::int64_t>();
                if (version != 1 && version != kJournalVersion)
                    return p;
                p.version = static_cast<int>(version);
                p.bootId = h.value("boot_id", std::string());
                p.modelId = h.at("model_id").get<std::string>();
                p.sha256 = h.at("sha256").get<std::string>();
                p.size = whole("size", false).get<std::uint64_t>();
                p.chunkSize = whole("chunk_size", false).get<std::uint64_t>();
                p.part = {whole("dev", false).get<std::uint64_t>(), whole("ino", false).get<std::uint64_t>(),
                          whole("btime_ns", true).get<std::int64_t>()};
            } catch (const std::exception&) { // json::exception, or not a whole number
                p.version = 0;
                return p;
            }
            auto layout = makeChunkLayout(p.size, p.chunkSize);
            if (!layout)
                return p;
            header = true;
            p.ok = true;
            continue;
        }
        p.closedMtimeNs.reset();
        const std::uint32_t count = ChunkLayout{p.size, p.chunkSize}.count();
        if (kind == 'K') {
            json k = json::parse(rest, nullptr, false);
            std::vector<std::string> hashes;
            if (!k.is_discarded() && k.contains("chunks") && k["chunks"].is_array())
                for (const auto& h : k["chunks"])
                    if (h.is_string() && isSha256Hex(h.get<std::string>()))
                        hashes.push_back(h.get<std::string>());
            if (hashes.size() == count)
                p.hashes = std::move(hashes);
        } else if (kind == 'D') {
            char* after = nullptr;
            const unsigned long long i = std::strtoull(rest.c_str(), &after, 10);
            std::string hash = (after && *after == ' ') ? std::string(after + 1) : std::string();
            if (after != rest.c_str() && i < count && (hash.empty() || isSha256Hex(hash))) {
                ++p.records;
                p.done.try_emplace(std::uint32_t(i), Parsed::Done{hash, p.records});
            }
        } else if (kind == 'S') {
            // It counts D records appended before its fdatasync began, all of
            // which precede it in the file.
            p.synced = std::min<std::uint64_t>(std::strtoull(rest.c_str(), nullptr, 10), p.records);
        } else if (kind == 'C') {
            p.closedMtimeNs = std::strtoll(rest.c_str(), nullptr, 10);
        } else if (kind == 'F') {
            p.finished = true;
        }
    }
    return p;
}

} // namespace

fs::path DownloadJournal::partPath(const fs::path& finalPath)
{
    return finalPath.parent_path() / ("." + finalPath.filename().string() + ".part");
}

fs::path DownloadJournal::journalPath(const fs::path& finalPath)
{
    return finalPath.parent_path() / ("." + finalPath.filename().string() + ".journal");
}

DownloadJournal::DownloadJournal(fs::path finalPath, DownloadTarget target)
    : final_(std::move(finalPath)), target_(std::move(target)), s_(std::make_unique<State>())
{
}

DownloadJournal::~DownloadJournal()
{
    if (s_ && !s_->spent)
        close();
}

Result<std::unique_ptr<DownloadJournal>> DownloadJournal::open(const fs::path& finalPath,
                                                               const DownloadTarget& target,
                                                               Observer* observer, const CancelToken& cancel,
                                                               const JournalOptions& options)
{
    return guarded([&]() -> Result<std::unique_ptr<DownloadJournal>> {
        std::unique_ptr<DownloadJournal> j(new DownloadJournal(finalPath, target));
        j->s_->options = options;
        j->s_->bootId = options.bootId.empty() ? readBootId() : options.bootId;
        try {
            j->openImpl(observer, cancel);
        } catch (...) {
            // No clean-close record for a half-validated download: it would
            // vouch for chunks a cancelled re-check never looked at.
            j->s_->spent = true;
            throw;
        }
        return j;
    });
}

namespace {

void checkTarget(DownloadTarget& t)
{
    if (!isValidModelId(t.modelId))
        throw Failure("download: \"" + t.modelId + "\" is not a valid model id");
    t.sha256 = lower(t.sha256);
    if (!isSha256Hex(t.sha256))
        throw Failure(t.modelId + ": sha256 is not 64 hex digits");
    auto layout = makeChunkLayout(t.size, t.chunkSize);
    if (!layout)
        throw Failure(t.modelId + ": " + layout.message());
    if (!t.chunkHashes.empty() && t.chunkHashes.size() != layout->count())
        throw Failure(t.modelId + ": " + std::to_string(t.chunkHashes.size()) + " chunk hashes for " +
                      std::to_string(layout->count()) + " chunks");
    for (auto& h : t.chunkHashes) {
        h = lower(h);
        if (!isSha256Hex(h))
            throw Failure(t.modelId + ": a chunk hash is not 64 hex digits");
    }
}

} // namespace

void DownloadJournal::openImpl(Observer* observer, const CancelToken& cancel)
{
    checkTarget(target_);
    State& s = *s_;
    s.dir = final_.has_parent_path() ? final_.parent_path() : fs::path(".");
    s.part = partPath(final_);
    s.journal = journalPath(final_);
    if (!fs::is_directory(s.dir))
        throw Failure(s.dir.string() + ": is not a directory");
    s.journalFd = lockJournal(s.journal, target_.modelId);

    // Our lock excludes any other writer of this download, so temporary
    // journals left here are from a crash mid-rewrite.
    const std::string tmpPrefix = s.journal.filename().string() + ".tmp-";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(s.dir, ec))
        if (e.path().filename().string().rfind(tmpPrefix, 0) == 0)
            fs::remove(e.path(), ec);

    std::string text;
    {
        char buf[65536];
        for (off_t off = 0;;) {
            const ssize_t n = ::pread(s.journalFd.get(), buf, sizeof buf, off);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                throw Failure(s.journal.string() + ": cannot read: " + errnoText());
            if (n == 0)
                break;
            text.append(buf, std::size_t(n));
            off += n;
            if (text.size() > kMaxJournalBytes)
                break;
        }
    }

    auto startOver = [&](JournalOpenReport::Kind kind, std::string reason) {
        report_ = {kind, std::move(reason), 0, 0, 0};
        layout_ = {target_.size, target_.chunkSize};
        hashes_ = target_.chunkHashes;
        s.partFd.reset();
        ::unlink(s.part.c_str());
        s.partFd.reset(::open(s.part.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644));
        if (!s.partFd)
            throw Failure(s.part.string() + ": cannot create: " + errnoText());
        try {
            if (s.options.reserveOnOpen)
                preallocate(s.partFd.get(), s.part, layout_.size, kFreeSpaceMarginBytes, target_.modelId);
        } catch (...) {
            s.partFd.reset();
            ::unlink(s.part.c_str());
            ::unlink(s.journal.c_str());
            throw;
        }
        s.chunk.assign(layout_.count(), Missing);
        s.recorded.assign(layout_.count(), {});
    };

    const Parsed p = parseJournal(text);
    if (text.empty()) {
        startOver(JournalOpenReport::Fresh, "");
    } else if (!p.ok) {
        startOver(JournalOpenReport::Restarted, "the journal is unreadable");
    } else if (p.modelId != target_.modelId || p.size != target_.size || p.sha256 != target_.sha256) {
        startOver(JournalOpenReport::Restarted, "the journal is for other bytes");
    } else {
        layout_ = {p.size, p.chunkSize};
        hashes_ = p.hashes;
        s.partFd.reset(::open(s.part.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW));
        std::error_code sizeEc;
        if (!s.partFd && p.finished && fs::file_size(final_, sizeEc) == p.size && !sizeEc) {
            // Verified and renamed; only removing the journal was left to do.
            report_ = {JournalOpenReport::AlreadyComplete, "", layout_.count(), 0, 0};
            s.chunk.assign(layout_.count(), Done);
            s.recorded.assign(layout_.count(), {});
            s.doneCount = layout_.count();
            s.doneBytes = layout_.size;
            s.alreadyComplete = true;
            ::unlink(s.journal.c_str());
            fsyncDirectory(s.dir);
            return;
        }
        if (!s.partFd) {
            startOver(JournalOpenReport::Restarted, "the part file is missing");
        } else {
            resume(p, observer, cancel);
            // Chunks trusted from the page cache after a kill become durable
            // before the compacted journal's sync point vouches for them.
            syncData(s.partFd.get(), s.part);
        }
    }

    const std::uint32_t count = layout_.count();
    s.source.assign(count, NotReady);
    for (std::uint32_t i = 0; i < count; ++i)
        if (s.chunk[i] == Done) {
            ++s.doneCount;
            s.doneBytes += layout_.length(i);
            s.source[i] = FromFile;
        }
    s.writers.assign(count, 0);
    s.directWriter.assign(count, false);
    s.window = layout_.chunkSize > kMaxBufferedChunk
                   ? 1
                   : std::uint32_t(std::clamp<std::uint64_t>(kStashBytes / layout_.chunkSize, 1, kStashChunks));
    s.partId = fileId(s.partFd.get());
    if (s.options.directIo)
        openDirect();
    rewrite();
}

// A second descriptor of the part file for direct writes, if the filesystem
// offers direct I/O with alignments our buffers and chunk offsets meet.
void DownloadJournal::openDirect()
{
    State& s = *s_;
    UniqueFd fd(::open(s.part.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC | O_NOFOLLOW));
    if (!fd)
        return;
    struct statx sx {};
    if (::statx(fd.get(), "", AT_EMPTY_PATH, STATX_DIOALIGN, &sx) != 0 || !(sx.stx_mask & STATX_DIOALIGN) ||
        sx.stx_dio_mem_align == 0 || sx.stx_dio_offset_align == 0 || sx.stx_dio_mem_align > AlignedBuffer::kAlign ||
        sx.stx_dio_offset_align > AlignedBuffer::kAlign)
        return;
    if (!(fileId(fd.get()) == s.partId)) // replaced between the two opens
        return;
    s.directAlign = sx.stx_dio_offset_align;
    s.directFd = std::move(fd);
    s.directOk = true;
}

void DownloadJournal::resume(const Parsed& p, Observer* observer, const CancelToken& cancel)
{
    State& s = *s_;
    const std::uint32_t count = layout_.count();
    s.chunk.assign(count, Missing);
    s.recorded.assign(count, {});
    std::uint32_t dropped = 0;
    std::string reason;
    auto note = [&](const char* why) {
        if (reason.empty())
            reason = why;
    };
    // After a kill the page cache holds every chunk recorded; after a power
    // cut only those before the last sync point are known to be on the device.
    const bool trustAll =
        p.version == 1 || p.closedMtimeNs || (!s.bootId.empty() && p.bootId == s.bootId);
    std::uint32_t unsynced = 0;
    for (const auto& [i, d] : p.done) {
        if (!trustAll && d.ordinal > p.synced) {
            ++unsynced;
            continue;
        }
        s.chunk[i] = Done;
        s.recorded[i] = d.hash;
    }
    dropped = unsynced;
    std::vector<bool> recheck(count, false);
    auto drop = [&](std::uint32_t i) {
        if (s.chunk[i] == Done) {
            s.chunk[i] = Missing;
            s.recorded[i].clear();
            ++dropped;
        }
    };
    auto recheckAll = [&] { recheck.assign(count, true); };

    const PartStat st = partStat(s.partFd.get(), s.part);
    if (!(fileId(s.partFd.get()) == p.part)) {
        note("the part file was replaced");
        recheckAll();
    }
    if (st.size < layout_.size) {
        note("the part file was truncated");
        for (std::uint32_t i = 0; i < count; ++i)
            if (layout_.offset(i) + layout_.length(i) > st.size)
                drop(i);
        if (s.options.reserveOnOpen)
            preallocate(s.partFd.get(), s.part, layout_.size, kFreeSpaceMarginBytes, target_.modelId);
    } else if (st.size > layout_.size) {
        note("the part file grew");
        if (::ftruncate(s.partFd.get(), static_cast<off_t>(layout_.size)) != 0)
            throw Failure(s.part.string() + ": cannot truncate: " + errnoText());
        recheckAll();
    }
    if (p.closedMtimeNs && *p.closedMtimeNs != st.mtimeNs) {
        note("the part file was modified while the download was paused");
        recheckAll();
    }
    if (unsynced > 0)
        note("the computer restarted before the last chunks reached the disk");
    // A hash list for the journal's chunk size replaces the one it had:
    // recorded hashes are compared for free, unhashed chunks are re-read.
    if (!target_.chunkHashes.empty() && target_.chunkSize == layout_.chunkSize && target_.chunkHashes != hashes_) {
        hashes_ = target_.chunkHashes;
        for (std::uint32_t i = 0; i < count; ++i) {
            if (s.chunk[i] != Done)
                continue;
            if (s.recorded[i].empty())
                recheck[i] = true;
            else if (s.recorded[i] != hashes_[i])
                drop(i);
        }
    }

    std::uint64_t total = 0;
    for (std::uint32_t i = 0; i < count; ++i)
        if (recheck[i] && s.chunk[i] == Done)
            total += layout_.length(i);
    ProgressReporter progress(observer);
    if (total > 0)
        progress.phase(Phase::Checking, total);
    std::string buf;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (!recheck[i] || s.chunk[i] != Done)
            continue;
        const std::string& ref = hashes_.empty() ? s.recorded[i] : hashes_[i];
        if (ref.empty()) {
            drop(i);
            continue;
        }
        cancel.check();
        Sha256 h;
        readRange(s.partFd.get(), s.part, layout_.offset(i), layout_.length(i), buf,
                  [&](const char* d, std::size_t n) {
                      h.update(d, n);
                      progress.add(n);
                  });
        const std::string got = h.finishHex();
        if (got != ref)
            drop(i);
        else
            s.recorded[i] = got;
        report_.bytesRechecked += layout_.length(i);
    }
    if (total > 0)
        progress.finish();

    report_.kind = JournalOpenReport::Resumed;
    report_.reason = reason;
    report_.chunksDropped = dropped;
    report_.chunksKept = std::uint32_t(std::count(s.chunk.begin(), s.chunk.end(), Done));
}

// The compacted journal, published atomically: a crash leaves the old one or
// the new one, both describing what is on disk.
void DownloadJournal::rewrite()
{
    State& s = *s_;
    const FileId& id = s.partId;
    json h = {{"v", kJournalVersion},
              {"model_id", target_.modelId},
              {"size", layout_.size},
              {"sha256", target_.sha256},
              {"chunk_size", layout_.chunkSize},
              {"dev", id.dev},
              {"ino", id.ino},
              {"btime_ns", id.birthNs},
              {"boot_id", s.bootId}};
    std::string text = record("H " + h.dump());
    if (!hashes_.empty())
        text += record("K " + json{{"chunks", hashes_}}.dump());
    std::uint64_t records = 0;
    for (std::uint32_t i = 0; i < layout_.count(); ++i)
        if (s.chunk[i] == Done) {
            text += record("D " + std::to_string(i) + (s.recorded[i].empty() ? "" : " " + s.recorded[i]));
            ++records;
        }
    // openImpl synced the part file: every chunk listed is on the device.
    if (records > 0)
        text += record("S " + std::to_string(records));

    const fs::path temp = s.journal.string() + ".tmp-" + randomSuffix(6);
    UniqueFd fd(::open(temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644));
    if (!fd)
        throw Failure(temp.string() + ": cannot create: " + errnoText());
    try {
        if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0)
            throw Failure(temp.string() + ": cannot lock: " + errnoText());
        writeAll(fd.get(), text.data(), text.size(), s.journal.string());
        syncData(fd.get(), temp);
        if (::rename(temp.c_str(), s.journal.c_str()) != 0)
            throw Failure(s.journal.string() + ": cannot replace: " + errnoText());
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    s.journalFd = std::move(fd); // the old inode's lock goes with its descriptor
    fsyncDirectory(s.dir);
    std::lock_guard lock(s.journalMutex);
    s.records = s.syncedRecords = records;
    s.unsyncedBytes = 0;
    s.lastSync = std::chrono::steady_clock::now();
}

void DownloadJournal::close()
{
    State& s = *s_;
    {
        std::lock_guard lock(s.mutex);
        if (s.spent)
            return;
        s.spent = true;
    }
    // Best effort: without the record a resume goes by the sync points and
    // the boot, as after a crash.
    try {
        if (s.partFd) {
            syncBatch(true);
            const PartStat st = partStat(s.partFd.get(), s.part);
            s.append("C " + std::to_string(st.mtimeNs));
        }
    } catch (const Failure&) {
    }
    s.partFd.reset();
    s.directFd.reset();
    s.journalFd.reset();
}

void DownloadJournal::discard()
{
    State& s = *s_;
    {
        std::lock_guard lock(s.mutex);
        if (s.spent && !s.journalFd)
            return;
        s.spent = true;
    }
    s.partFd.reset();
    s.directFd.reset();
    if (!s.alreadyComplete) {
        ::unlink(s.part.c_str());
        ::unlink(s.journal.c_str());
        try {
            fsyncDirectory(s.dir);
        } catch (const Failure&) {
        }
    }
    s.journalFd.reset();
}

} // namespace atmo
