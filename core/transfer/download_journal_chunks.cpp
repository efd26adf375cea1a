// DownloadJournal, part two: chunk writers, committing a chunk, the batches
// that make commits durable, and the chunk state queries
// (download_journal.h says why it works this way).
#include "core/transfer/download_journal.h"
#include "core/transfer/download_journal_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace atmo {

using namespace journal_detail;

ChunkWriter::ChunkWriter(DownloadJournal* journal, std::uint32_t index, std::uint64_t offset,
                         std::uint64_t length, bool buffered, bool duplicate, bool hashing)
    : journal_(journal), index_(index), offset_(offset), length_(length), buffered_(buffered),
      duplicate_(duplicate)
{
    if (hashing)
        hash_ = std::make_unique<Sha256>();
}

ChunkWriter::ChunkWriter(ChunkWriter&& o) noexcept
    : journal_(std::exchange(o.journal_, nullptr)), index_(o.index_), offset_(o.offset_), length_(o.length_),
      written_(o.written_), flushed_(o.flushed_), buffered_(o.buffered_), duplicate_(o.duplicate_),
      buffer_(std::move(o.buffer_)), hash_(std::move(o.hash_))
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
        duplicate_ = o.duplicate_;
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
            journal_->checkWritable(index_);
            if (written_ == 0)
                buffer_ = journal_->s_->takeBuffer(std::size_t(length_));
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

Status ChunkWriter::write(AlignedBuffer&& bytes)
{
    if (!journal_ || !buffered_ || written_ != 0 || bytes.size() != length_)
        return write(bytes.data(), bytes.size());
    return guarded([&]() -> Status {
        journal_->checkWritable(index_);
        if (hash_)
            hash_->update(bytes.data(), bytes.size());
        journal_->s_->recycle(std::move(buffer_));
        buffer_ = std::move(bytes);
        written_ = length_;
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

void DownloadJournal::checkWritable(std::uint32_t chunk) const
{
    std::lock_guard lock(s_->mutex);
    if (s_->spent)
        throw Failure(target_.modelId + ": the download was closed");
    if (s_->chunk[chunk] != Missing)
        throw Failure("chunk " + std::to_string(chunk) + " was completed by another peer");
}

void DownloadJournal::releaseWriter(ChunkWriter& writer)
{
    {
        std::lock_guard lock(s_->mutex);
        if (writer.index_ < s_->writers.size()) {
            --s_->writers[writer.index_];
            if (!writer.buffered_)
                s_->directWriter[writer.index_] = false;
        }
    }
    s_->recycle(std::move(writer.buffer_));
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
    if (s_->writers[chunk] == UINT16_MAX)
        return fail(target_.modelId + ": chunk " + std::to_string(chunk) + " has too many writers");
    const bool duplicate = s_->writers[chunk] > 0;
    const bool buffered = layout_.length(chunk) <= kMaxBufferedChunk || s_->directWriter[chunk];
    if (!buffered)
        s_->directWriter[chunk] = true;
    ++s_->writers[chunk];
    return ChunkWriter(this, chunk, layout_.offset(chunk), layout_.length(chunk), buffered, duplicate,
                       !hashes_.empty());
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
            // Claimed before our bytes land: from here on every other writer
            // of this chunk is refused, and a direct write that was under way
            // held this lock, so it is over.
            s.chunk[i] = Claimed;
        }
        try {
            if (w.buffered_)
                s.writeChunk(w.buffer_.data(), w.buffer_.size(), w.offset_);
            else
                startWriteback(s.partFd.get(), w.offset_ + w.flushed_, w.length_ - w.flushed_);
            // No fdatasync here: a kill loses nothing the page cache (or the
            // device, for a direct write) holds, and a power cut loses at
            // most the batch since the last sync point.
            s.appendDone("D " + std::to_string(i) + (digest.empty() ? "" : " " + digest), w.length_);
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
        // The hash first: a batch's fdatasync waits for the device, and the
        // running hash should not wait for it.
        feedRunningHash(i, w.buffered_ ? std::move(w.buffer_) : AlignedBuffer());
        syncBatch(false);
        return hashes_.empty() ? ChunkCheck::Unverified : ChunkCheck::Verified;
    });
}

// A sync point: the part file is fdatasync'ed, then "S n" says the first n D
// records are on the device, n counting only records appended before the
// fdatasync began (their pwrite had returned, so it covers them). One batch
// at a time; a commit that finds one under way goes on without waiting.
void DownloadJournal::syncBatch(bool force)
{
    State& s = *s_;
    std::unique_lock syncLock(s.syncMutex, std::defer_lock);
    if (force) {
        syncLock.lock();
    } else {
        {
            std::lock_guard lock(s.journalMutex);
            if (s.records == s.syncedRecords ||
                (s.unsyncedBytes < s.options.syncEveryBytes &&
                 std::chrono::steady_clock::now() - s.lastSync < s.options.syncEvery))
                return;
        }
        if (!syncLock.try_lock())
            return;
    }
    std::uint64_t upTo = 0, bytes = 0;
    {
        std::lock_guard lock(s.journalMutex);
        upTo = s.records;
        bytes = s.unsyncedBytes;
        if (upTo == s.syncedRecords)
            return;
    }
    syncData(s.partFd.get(), s.part);
    {
        const std::string line = record("S " + std::to_string(upTo));
        std::lock_guard lock(s.journalMutex);
        writeAll(s.journalFd.get(), line.data(), line.size(), s.journal.string());
    }
    syncData(s.journalFd.get(), s.journal);
    std::lock_guard lock(s.journalMutex);
    s.syncedRecords = upTo;
    s.unsyncedBytes -= bytes;
    s.lastSync = std::chrono::steady_clock::now();
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

JournalHashStats DownloadJournal::hashStats() const
{
    std::lock_guard lock(s_->hashMutex);
    return s_->stats;
}

} // namespace atmo
