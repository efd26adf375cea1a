// A download in progress, on disk: `<dest>/.<name>.part` holds the data
// (preallocated to the full size, so a full disk fails at the start, not at
// 90 %) and `<dest>/.<name>.journal` beside it says which chunks of the part
// file are complete, durable and verified. The final name appears only after
// the whole file's SHA-256 matched the catalog's.
//
// Why an append-only journal. Marking a chunk done costs one short append and
// one fdatasync of the journal; an atomic rewrite would cost a temporary
// file, two fsyncs and a rename per chunk, and rewrite the whole per-chunk
// hash list (1.6 MiB for 100 GB) each time. Each record is one text line
// ending in a check (the first 16 hex digits of the SHA-256 of the line), so a
// record torn by a crash is recognised and it and anything after it are
// ignored. The journal is rewritten atomically (temporary file, fsync,
// rename, fsync of the directory) only when it is opened, which also compacts
// it. Records:
//   H {"model_id",..,"size","sha256","chunk_size","dev","ino"}  header (first)
//   K {"chunks":[hex,...]}   the per-chunk hashes, when known
//   D <index> [<sha256>]     chunk done: its bytes as written hashed to this
//   C <mtime_ns>             closed cleanly (only meaningful as the last record)
//   F                        verified, being renamed into place
//
// Why the order of a chunk's commit is what it is: the chunk's data is
// written, then the part file is fdatasync'ed, and only then is its D record
// appended and the journal fdatasync'ed. So after a kill or a power cut a
// chunk marked done is on the device; a chunk not yet marked is fetched
// again. A resume therefore re-fetches at most the chunks that were in flight.
//
// Opening never trusts the journal blindly. A missing part file, a journal
// that is unreadable or for other bytes (model id, size or sha256 differ)
// starts over. A part file that was truncated loses the chunks past its end;
// one that was replaced (another inode), grew, or was modified while the
// download was closed (its mtime differs from the clean-close record) has its
// done chunks re-read and checked against their hashes, and those that fail
// or have no hash to check against are fetched again. After a crash (no
// clean-close record) the fsync order above is what is trusted, not a
// re-read: re-reading would make every resume after a kill cost a read of
// everything downloaded so far.
//
// Per-chunk hashes: when known (a peer's list), every chunk is hashed as it
// is written and a mismatch is refused at commit, so the peer that sent it is
// known. A list offered on a later resume (same chunk size) is adopted: done
// chunks are checked against it from their recorded hashes, or re-read.
// Without a list chunks are not hashed one by one (it would be a second
// SHA-256 pass over every byte), and only the final hash checks them.
//
// The whole-file hash is a running hash: whenever the chunk after the hashed
// prefix is done, it and the done chunks after it are read back from the part
// file (after their fdatasync) and fed in, so on an in-order download the
// final check costs nothing extra, yet it covers the bytes the part file
// holds, not the bytes the network delivered. Nothing writes to a chunk once
// it is done (late writers of a duplicated chunk are refused), so those are
// the bytes that get renamed. After a resume the running hash starts again
// from byte 0, reading the done prefix back from disk.
//
// Two processes never work on one download: the journal is flock()ed while
// open, and a second open fails with "already being downloaded".
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/chunk_layout.h"
#include "core/job.h"
#include "core/result.h"

namespace atmo {

class Sha256;
namespace detail {
struct JournalRecords;
}

struct DownloadTarget {
    std::string modelId;
    std::uint64_t size = 0;
    std::string sha256;                    // lowercase hex of the whole file (the catalog's)
    std::uint64_t chunkSize = kDownloadChunkSize;
    std::vector<std::string> chunkHashes;  // empty, or one lowercase hex per chunk
};

struct JournalOpenReport {
    enum Kind {
        Fresh,           // nothing was there
        Resumed,         // the journal was used (some chunks may have been dropped)
        Restarted,       // something was there and was thrown away; reason says why
        AlreadyComplete, // a crash hit between the verified rename and removing the journal
    } kind = Fresh;
    std::string reason;              // "part file is missing", "part file was truncated", ...
    std::uint32_t chunksKept = 0;
    std::uint32_t chunksDropped = 0; // done chunks that had to be fetched again
    std::uint64_t bytesRechecked = 0;
};

enum class ChunkCheck {
    Verified,    // matched its per-chunk hash; durable and recorded
    Unverified,  // no per-chunk hash known; durable and recorded, the final hash decides
    Mismatch,    // did not match its per-chunk hash: not recorded, the chunk is still missing
    Superseded,  // another writer of the same chunk committed first; nothing done
};

struct FinishReport {
    bool verified = false;
    std::string actualSha256;
    // When !verified: the chunks whose bytes on disk differ from their
    // per-chunk hash (the peer's list, else the hash recorded when written).
    std::vector<std::uint32_t> badChunks;
    std::string message;                // one line when !verified
    std::filesystem::path finalPath;
};

class DownloadJournal;

// Writes one chunk's bytes, in order. The first writer of a chunk writes
// straight into the part file; a second, concurrent writer of the same chunk
// (end-game duplicate) collects its bytes in memory (at most one chunk) and
// writes them only if it commits first, so a slow loser can never overwrite a
// winner's verified bytes. Must not outlive its journal. Destroying it
// without commit abandons the chunk (it stays missing).
class ChunkWriter {
public:
    ChunkWriter(ChunkWriter&& other) noexcept;
    ChunkWriter& operator=(ChunkWriter&& other) noexcept;
    ~ChunkWriter();

    std::uint32_t index() const { return index_; }
    std::uint64_t offset() const { return offset_; }
    std::uint64_t length() const { return length_; }
    std::uint64_t written() const { return written_; }
    bool duplicate() const { return buffered_; }

    // Appends the next bytes. Fails on a write error (one line naming the
    // file), on more bytes than the chunk holds, or when another writer of
    // this chunk committed it meanwhile.
    Status write(const void* data, std::size_t size);

private:
    friend class DownloadJournal;
    ChunkWriter(DownloadJournal* journal, std::uint32_t index, std::uint64_t offset,
                std::uint64_t length, bool buffered, bool hashing);
    void release();

    DownloadJournal* journal_ = nullptr;
    std::uint32_t index_ = 0;
    std::uint64_t offset_ = 0, length_ = 0, written_ = 0, flushed_ = 0;
    bool buffered_ = false;
    std::string buffer_;
    std::unique_ptr<Sha256> hash_;
};

// Thread-safe: writers of different chunks may write and commit on several
// threads at once. commitChunk() and finish() block on fdatasync and hashing:
// call them off a GUI thread.
class DownloadJournal {
public:
    static std::filesystem::path partPath(const std::filesystem::path& finalPath);
    static std::filesystem::path journalPath(const std::filesystem::path& finalPath);

    // Opens or creates the download of `target` into `finalPath` (its
    // directory must exist). Checks the target (valid model id, 64-hex
    // sha256, chunk layout, hash count), validates an existing journal
    // against its part file as described above (phase "checking" when chunks
    // are re-read), preallocates the part file, and writes a compacted
    // journal. Fails with one line: busy, no space, unwritable, cancelled.
    // On a resume the journal's chunk size wins over target.chunkSize (its
    // chunks are what is on disk); a hash list of another chunk size is then
    // not used.
    static Result<std::unique_ptr<DownloadJournal>> open(const std::filesystem::path& finalPath,
                                                         const DownloadTarget& target,
                                                         Observer* observer, const CancelToken& cancel);
    ~DownloadJournal(); // close()s unless finished or discarded

    DownloadJournal(const DownloadJournal&) = delete;
    DownloadJournal& operator=(const DownloadJournal&) = delete;

    const JournalOpenReport& openReport() const { return report_; }
    const ChunkLayout& layout() const { return layout_; }
    bool hasChunkHashes() const { return !hashes_.empty(); }
    const std::filesystem::path& finalPath() const { return final_; }

    std::vector<bool> doneChunks() const;          // one flag per chunk
    std::vector<std::uint32_t> missingChunks() const;
    bool isDone(std::uint32_t chunk) const;
    std::uint32_t chunksDone() const;
    std::uint64_t bytesDone() const;
    bool complete() const;                         // every chunk done

    // A writer for `chunk`; fails if it is out of range or already done.
    Result<ChunkWriter> beginChunk(std::uint32_t chunk);
    // Ends a writer: checks its length and hash, makes it durable and records
    // it. Fails (an Error) on a short chunk or an I/O error; a hash mismatch is
    // not an error but ChunkCheck::Mismatch. The writer is spent either way.
    Result<ChunkCheck> commitChunk(ChunkWriter& writer);

    // Every chunk must be done. Completes the running hash (phase
    // "verifying"), and on a match fsyncs, renames the part file to the final
    // name (replacing a file there), fsyncs the directory and removes the
    // journal. On a mismatch it finds the bad chunks if any hash can tell,
    // removes the part file and the journal, and returns verified = false.
    // Either way the journal is spent afterwards.
    Result<FinishReport> finish(Observer* observer, const CancelToken& cancel);

    // Pause: records a clean close and releases the lock. Spent afterwards.
    void close();
    // Cancel: removes the part file and the journal. Spent afterwards.
    void discard();

private:
    friend class ChunkWriter;
    struct State;
    DownloadJournal(std::filesystem::path finalPath, DownloadTarget target);
    void openImpl(Observer* observer, const CancelToken& cancel);
    void resume(const detail::JournalRecords& records, Observer* observer, const CancelToken& cancel);
    void rewrite();
    void writeDirect(std::uint32_t chunk, std::uint64_t offset, const void* data, std::size_t size);
    void releaseWriter(const ChunkWriter& writer);
    void advanceRunningHash(ProgressReporter* progress, const CancelToken* cancel);

    std::filesystem::path final_;
    DownloadTarget target_;
    ChunkLayout layout_;
    std::vector<std::string> hashes_;  // per-chunk hashes in use (empty: none)
    JournalOpenReport report_;
    std::unique_ptr<State> s_;
};

} // namespace atmo
