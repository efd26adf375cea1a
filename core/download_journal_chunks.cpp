// DownloadJournal, part two: chunk writers, committing a chunk, the running
// whole-file hash, the chunk state queries, and finishing (download_journal.h
// says why it works this way).
#include "core/download_journal.h"
#include "core/download_journal_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace atmo {

using namespace journal_detail;

ChunkWriter::ChunkWriter(DownloadJournal* journal, std::uint32_t index, std::uint64_t offset,
                         std::uint64_t length, bool buffered, bool hashing)
    : journal_(journal), index_(index), offset_(offset), length_(length), buffered_(buffered)
{
    if (hashing)
        hash_ = std::make_unique<Sha256>();
}

ChunkWriter::ChunkWriter(ChunkWriter&& o) noexcept
    : journal_(std::exchange(o.journal_, nullptr)), index_(o.index_), offset_(o.offset_), length_(o.length_),
      written_(o.written_), flushed_(o.flushed_), buffered_(o.buffered_), buffer_(std::move(o.buffer_)),
      hash_(std::move(o.hash_))
{
}

ChunkWriter& ChunkWriter::operator=(ChunkWriter&& o) noexcept
{
    if (this != &o) {
        release();
        journal_ = std::exchange(o.journal_, nullptr);
        index_ = o.index_;
        offset_ = o.offset_;
        length_ = o.length_;
        written_ = o.written_;
        flushed_ = o.flushed_;
        buffered_ = o.buffered_;
        buffer_ = std::move(o.buffer_);
        hash_ = std::move(o.hash_);
    }
    return *this;
}

ChunkWriter::~ChunkWriter() { release(); }

void ChunkWriter::release()
{
    if (journal_)
        journal_->releaseWriter(*this);
    journal_ = nullptr;
}

Status ChunkWriter::write(const void* data, std::size_t size)
{
    if (!journal_)
        return fail("chunk " + std::to_string(index_) + ": this writer is spent");
    if (size > length_ - written_)
        return fail("chunk " + std::to_string(index_) + ": more than its " + std::to_string(length_) +
                    " bytes arrived");
    return guarded([&]() -> Status {
        if (buffered_) {
            if (buffer_.empty())
                buffer_.reserve(std::size_t(length_));
            buffer_.append(static_cast<const char*>(data), size);
        } else {
            journal_->writeDirect(index_, offset_ + written_, data, size);
        }
        if (hash_)
            hash_->update(data, size);
        written_ += size;
        // Start writeback early so the fdatasync at commit has little left.
        if (!buffered_ && written_ - flushed_ >= kWritebackEvery) {
            ::sync_file_range(journal_->s_->partFd.get(), static_cast<off_t>(offset_ + flushed_),
                              static_cast<off_t>(written_ - flushed_), SYNC_FILE_RANGE_WRITE);
            flushed_ = written_;
        }
        return {};
    });
}

void DownloadJournal::writeDirect(std::uint32_t chunk, std::uint64_t offset, const void* data, std::size_t size)
{
    std::lock_guard lock(s_->mutex);
    if (s_->spent)
        throw Failure(target_.modelId + ": the download was closed");
    if (s_->chunk[chunk] != Missing)
        throw Failure("chunk " + std::to_string(chunk) + " was completed by another peer");
    pwriteAll(s_->partFd.get(), s_->part, static_cast<const char*>(data), size, offset);
}

void DownloadJournal::releaseWriter(const ChunkWriter& writer)
{
    std::lock_guard lock(s_->mutex);
    if (!writer.buffered_ && writer.index_ < s_->directWriter.size())
        s_->directWriter[writer.index_] = false;
}

Result<ChunkWriter> DownloadJournal::beginChunk(std::uint32_t chunk)
{
    std::lock_guard lock(s_->mutex);
    if (s_->spent)
        return fail(target_.modelId + ": the download was closed");
    if (chunk >= layout_.count())
        return fail(target_.modelId + ": there is no chunk " + std::to_string(chunk) + " (" +
                    std::to_string(layout_.count()) + " chunks)");
    if (s_->chunk[chunk] != Missing)
        return fail(target_.modelId + ": chunk " + std::to_string(chunk) + " is already done");
    const bool buffered = s_->directWriter[chunk];
    s_->directWriter[chunk] = true;
    return ChunkWriter(this, chunk, layout_.offset(chunk), layout_.length(chunk), buffered, !hashes_.empty());
}

Result<ChunkCheck> DownloadJournal::commitChunk(ChunkWriter& w)
{
    if (w.journal_ != this)
        return fail(target_.modelId + ": chunk " + std::to_string(w.index_) + ": not a writer of this download");
    struct Spend {
        ChunkWriter& w;
        ~Spend() { w.release(); }
    } spend{w};
    const std::uint32_t i = w.index_;
    {
        // A loser of an end-game race may have stopped short: it is
        // superseded, not broken.
        std::lock_guard lock(s_->mutex);
        if (!s_->spent && s_->chunk[i] != Missing)
            return ChunkCheck::Superseded;
    }
    if (w.written_ != w.length_)
        return fail(target_.modelId + ": chunk " + std::to_string(i) + ": " + std::to_string(w.written_) + " of " +
                    std::to_string(w.length_) + " bytes arrived");
    const std::string digest = w.hash_ ? w.hash_->finishHex() : std::string();
    if (!hashes_.empty() && digest != hashes_[i])
        return ChunkCheck::Mismatch;

    return guarded([&]() -> Result<ChunkCheck> {
        State& s = *s_;
        {
            std::lock_guard lock(s.mutex);
            if (s.spent)
                throw Failure(target_.modelId + ": the download was closed");
            if (s.chunk[i] != Missing)
                return ChunkCheck::Superseded;
            // Claimed before the duplicate's bytes land: from here on the
            // other writer of this chunk is refused.
            s.chunk[i] = Claimed;
            if (w.buffered_) {
                try {
                    pwriteAll(s.partFd.get(), s.part, w.buffer_.data(), w.buffer_.size(), w.offset_);
                } catch (...) {
                    s.chunk[i] = Missing;
                    throw;
                }
            }
        }
        try {
            syncData(s.partFd.get(), s.part);
            s.append("D " + std::to_string(i) + (digest.empty() ? "" : " " + digest));
        } catch (...) {
            std::lock_guard lock(s.mutex);
            s.chunk[i] = Missing;
            throw;
        }
        {
            std::lock_guard lock(s.mutex);
            s.chunk[i] = Done;
            s.recorded[i] = digest;
            ++s.doneCount;
            s.doneBytes += w.length_;
        }
        try {
            advanceRunningHash(nullptr, nullptr);
        } catch (const Failure&) {
            // finish() starts the whole-file hash again from byte 0.
            std::lock_guard lock(s.hashMutex);
            s.hashBroken = true;
        }
        return hashes_.empty() ? ChunkCheck::Unverified : ChunkCheck::Verified;
    });
}

// Feeds done chunks that follow the hashed prefix, read back from the file.
void DownloadJournal::advanceRunningHash(ProgressReporter* progress, const CancelToken* cancel)
{
    State& s = *s_;
    std::lock_guard hashLock(s.hashMutex);
    if (s.hashBroken) {
        s.running.finish(); // resets
        s.hashedUpTo = 0;
        s.hashBroken = false;
    }
    std::string buf;
    for (;;) {
        {
            std::lock_guard lock(s.mutex);
            if (s.hashedUpTo >= layout_.count() || s.chunk[s.hashedUpTo] != Done)
                return;
        }
        if (cancel)
            cancel->check();
        const std::uint32_t i = s.hashedUpTo;
        try {
            readRange(s.partFd.get(), s.part, layout_.offset(i), layout_.length(i), buf,
                      [&](const char* d, std::size_t n) {
                          s.running.update(d, n);
                          if (progress)
                              progress->add(n);
                      });
        } catch (...) {
            s.hashBroken = true;
            throw;
        }
        ++s.hashedUpTo;
    }
}

std::vector<bool> DownloadJournal::doneChunks() const
{
    std::lock_guard lock(s_->mutex);
    std::vector<bool> out(s_->chunk.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = s_->chunk[i] == Done;
    return out;
}

std::vector<std::uint32_t> DownloadJournal::missingChunks() const
{
    std::lock_guard lock(s_->mutex);
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < s_->chunk.size(); ++i)
        if (s_->chunk[i] != Done)
            out.push_back(i);
    return out;
}

bool DownloadJournal::isDone(std::uint32_t chunk) const
{
    std::lock_guard lock(s_->mutex);
    return chunk < s_->chunk.size() && s_->chunk[chunk] == Done;
}

std::uint32_t DownloadJournal::chunksDone() const
{
    std::lock_guard lock(s_->mutex);
    return s_->doneCount;
}

std::uint64_t DownloadJournal::bytesDone() const
{
    std::lock_guard lock(s_->mutex);
    return s_->doneBytes;
}

bool DownloadJournal::complete() const { return chunksDone() == layout_.count(); }

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
        ProgressReporter progress(observer);
        {
            std::lock_guard hashLock(s.hashMutex);
            std::uint64_t left = 0;
            for (std::uint32_t i = s.hashBroken ? 0 : s.hashedUpTo; i < layout_.count(); ++i)
                left += layout_.length(i);
            progress.phase("verifying", left);
        }
        advanceRunningHash(&progress, &cancel);
        progress.finish();
        {
            std::lock_guard hashLock(s.hashMutex);
            report.actualSha256 = s.running.finishHex();
        }
        {
            std::lock_guard lock(s.mutex);
            s.spent = true; // no writer may touch the file from here on
        }

        if (report.actualSha256 == target_.sha256) {
            s.append("F");
            if (::fsync(s.partFd.get()) != 0)
                throw Failure(s.part.string() + ": cannot flush to the device: " + errnoText());
            s.partFd.reset();
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
