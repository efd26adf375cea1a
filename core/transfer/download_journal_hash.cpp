// DownloadJournal, part three: the running whole-file hash (fed from the
// committers' memory when chunks come in order, read back from the part file
// when they do not) and finishing (download_journal.h says why).
#include "core/transfer/download_journal.h"
#include "core/transfer/download_journal_state.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

namespace atmo {

using namespace journal_detail;

// Chunk i is done; `bytes` is its content when its writer kept it (else
// empty). Stashes it for the hash, or lets the hash read it back, and takes
// the hasher's job if nobody has it and the next chunk is ready.
void DownloadJournal::feedRunningHash(std::uint32_t i, AlignedBuffer bytes)
{
    State& s = *s_;
    const std::uint32_t count = layout_.count();
    const bool keep = bytes.size() == layout_.length(i);
    bool stashed = false;
    std::unique_lock lock(s.hashMutex);
    // Takes the job for at most one window of chunks, so this commit returns
    // soon and the next committer carries on.
    auto help = [&] {
        if (s.hashing || s.hashBroken || s.hashedUpTo >= count || s.source[s.hashedUpTo] == NotReady)
            return false;
        s.hashing = true;
        lock.unlock();
        try {
            drainRunningHash(s.window, nullptr, nullptr);
        } catch (const std::exception&) {
            // A read-back failed: hashBroken is set, finish() starts again from byte 0.
        }
        lock.lock();
        return true;
    };
    for (;;) {
        if (!keep || s.hashBroken || i < s.hashedUpTo) {
            s.source[i] = FromFile;
            break;
        }
        const std::uint64_t ahead = i - s.hashedUpTo;
        if (ahead < s.window) {
            s.stash[i] = std::move(bytes);
            s.source[i] = FromMemory;
            stashed = true;
            break;
        }
        // Just beyond the window: while the hash moves, waiting here holds
        // the network back (the caller's commits are bounded) instead of
        // spilling to a read-back.
        if (ahead < 2 * std::uint64_t(s.window)) {
            if (s.hashing) {
                s.hashCv.wait(lock);
                continue;
            }
            if (help())
                continue;
        }
        s.source[i] = FromFile;
        break;
    }
    help();
    lock.unlock();
    if (!stashed) // bytes were moved only into the stash (stashed)
        s.recycle(std::move(bytes)); // NOLINT(bugprone-use-after-move)
}

// Feeds the chunks after the hashed prefix while they are ready, at most
// `limit` of them (0: no limit). The caller has set `hashing`; it is cleared
// on the way out, however that is.
void DownloadJournal::drainRunningHash(std::uint32_t limit, ProgressReporter* progress, const CancelToken* cancel)
{
    State& s = *s_;
    const std::uint32_t count = layout_.count();
    std::string buf;
    std::uint32_t fed = 0;
    auto stop = [&] {
        s.hashing = false;
        s.hashCv.notify_all();
    };
    for (;;) {
        AlignedBuffer bytes;
        std::uint32_t i = 0;
        bool fromMemory = false;
        {
            std::lock_guard lock(s.hashMutex);
            i = s.hashedUpTo;
            if (i >= count || s.source[i] == NotReady || (limit && fed >= limit) || s.hashBroken) {
                stop();
                return;
            }
            if (cancel && cancel->cancelled()) {
                stop();
                cancel->check();
            }
            if (s.source[i] == FromMemory)
                if (auto it = s.stash.find(i); it != s.stash.end()) {
                    bytes = std::move(it->second);
                    s.stash.erase(it);
                    fromMemory = true;
                }
        }
        try {
            if (fromMemory) {
                s.running.update(bytes.data(), bytes.size());
                if (progress)
                    progress->add(bytes.size());
            } else {
                readRange(s.partFd.get(), s.part, layout_.offset(i), layout_.length(i), buf,
                          [&](const char* d, std::size_t n) {
                              s.running.update(d, n);
                              if (progress)
                                  progress->add(n);
                          });
            }
        } catch (...) {
            std::lock_guard lock(s.hashMutex);
            s.hashBroken = true;
            stop();
            throw;
        }
        s.recycle(std::move(bytes));
        std::lock_guard lock(s.hashMutex);
        ++s.hashedUpTo;
        ++fed;
        (fromMemory ? s.stats.fromMemory : s.stats.readBack) += layout_.length(i);
        s.hashCv.notify_all();
    }
}

Result<FinishReport> DownloadJournal::finish(Observer* observer, const CancelToken& cancel)
{
    return guarded([&]() -> Result<FinishReport> {
        State& s = *s_;
        FinishReport report;
        report.finalPath = final_;
        if (s.alreadyComplete) {
            report.verified = true;
            report.actualSha256 = target_.sha256;
            return report;
        }
        {
            std::lock_guard lock(s.mutex);
            if (s.spent)
                throw Failure(target_.modelId + ": the download was closed");
            if (s.doneCount != layout_.count())
                throw Failure(target_.modelId + ": " + std::to_string(layout_.count() - s.doneCount) + " of " +
                              std::to_string(layout_.count()) + " chunks are still missing");
        }
        const std::uint32_t count = layout_.count();
        ProgressReporter progress(observer);
        {
            std::unique_lock hashLock(s.hashMutex);
            s.hashCv.wait(hashLock, [&] { return !s.hashing; });
            // A commit between marking its chunk done and handing it over:
            // its bytes are in the part file.
            for (auto& from : s.source)
                if (from == NotReady)
                    from = FromFile;
            if (s.hashBroken) {
                s.running.finish(); // resets
                s.hashedUpTo = 0;
                s.stash.clear();
                std::fill(s.source.begin(), s.source.end(), std::uint8_t(FromFile));
                s.hashBroken = false;
            }
            std::uint64_t left = 0;
            for (std::uint32_t i = s.hashedUpTo; i < count; ++i)
                left += layout_.length(i);
            progress.phase(Phase::Verifying, left);
            s.hashing = true;
        }
        drainRunningHash(0, &progress, &cancel);
        progress.finish();
        {
            std::lock_guard hashLock(s.hashMutex);
            if (s.hashedUpTo != count)
                throw Failure(target_.modelId + ": the whole-file hash stopped at chunk " + std::to_string(s.hashedUpTo));
            report.actualSha256 = s.running.finishHex();
        }
        {
            std::lock_guard lock(s.mutex);
            s.spent = true; // no writer may touch the file from here on
        }

        if (report.actualSha256 == target_.sha256) {
            if (::fsync(s.partFd.get()) != 0)
                throw Failure(s.part.string() + ": cannot flush to the device: " + errnoText());
            s.append("F");
            s.partFd.reset();
            s.directFd.reset();
            if (::rename(s.part.c_str(), final_.c_str()) != 0)
                throw Failure(final_.string() + ": cannot rename into place: " + errnoText());
            fsyncDirectory(s.dir);
            ::unlink(s.journal.c_str());
            fsyncDirectory(s.dir);
            s.journalFd.reset();
            report.verified = true;
            return report;
        }

        // Which chunks are wrong, where some hash can tell.
        std::string buf;
        bool anyReference = false;
        for (std::uint32_t i = 0; i < layout_.count(); ++i) {
            const std::string& ref = hashes_.empty() ? s.recorded[i] : hashes_[i];
            if (ref.empty())
                continue;
            anyReference = true;
            Sha256 h;
            readRange(s.partFd.get(), s.part, layout_.offset(i), layout_.length(i), buf,
                      [&](const char* d, std::size_t n) { h.update(d, n); });
            if (h.finishHex() != ref)
                report.badChunks.push_back(i);
        }
        s.partFd.reset();
        s.directFd.reset();
        ::unlink(s.part.c_str());
        ::unlink(s.journal.c_str());
        s.journalFd.reset();
        fsyncDirectory(s.dir);

        report.message = target_.modelId + ": the downloaded file's SHA-256 is " + report.actualSha256 +
                         ", the catalog says " + target_.sha256;
        if (!report.badChunks.empty()) {
            std::string list;
            for (std::size_t k = 0; k < report.badChunks.size() && k < 8; ++k)
                list += (k ? ", " : "") + std::to_string(report.badChunks[k]);
            if (report.badChunks.size() > 8)
                list += ", ...";
            report.message += "; wrong chunks: " + list;
        } else if (!hashes_.empty()) {
            report.message += "; every chunk matches the peer's per-chunk hashes, so that list is for other bytes";
        } else if (anyReference) {
            report.message += "; every chunk is as it was written, so a peer sent wrong bytes";
        }
        return report;
    });
}

} // namespace atmo
