// A download in progress, on disk: `<dest>/.<name>.part` holds the data
// (preallocated to the full size, so a full disk fails at the start, not at
// 90 %) and `<dest>/.<name>.journal` beside it says which chunks of the part
// file are complete. The final name appears only after the whole file's
// SHA-256 matched the catalog's.
//
// Why an append-only journal. Marking a chunk done costs one short append;
// an atomic rewrite would cost a temporary file, two fsyncs and a rename per
// chunk, and rewrite the whole per-chunk hash list (1.6 MiB for 100 GB) each
// time. Each record is one text line ending in a check (the first 16 hex
// digits of the SHA-256 of the line), so a record torn by a crash is
// recognised and it and anything after it are ignored. The journal is
// rewritten atomically (temporary file, fsync, rename, fsync of the
// directory) only when it is opened, which also compacts it. Records:
//   H {"v":2,"model_id",..,"size","sha256","chunk_size","dev","ino","boot_id"}  header (first)
//   K {"chunks":[hex,...]}   the per-chunk hashes, when known
//   D <index> [<sha256>]     chunk done: its bytes as written hashed to this
//   S <n>                    sync point: the first n D records of this file are on the device
//   C <mtime_ns>             closed cleanly (only meaningful as the last record)
//   F                        verified, being renamed into place
//
// Durability, and why fdatasync is not on every chunk's path. A chunk's data
// is written, then its D record is appended, with no fdatasync in between: an
// fdatasync per chunk serialised every commit behind the device. The write is
// an O_DIRECT pwrite where the filesystem allows it (whole chunks from
// aligned buffers: no copy into the page cache, which was a third of the CPU
// a pull spent outside SHA-256 here), else a pwrite whose writeback is
// started at once. Data is made durable in batches, every
// JournalOptions::syncEveryBytes (64 MiB) or syncEvery (1 s), whichever comes
// first, by the commit that crosses the line while the others go on: the part
// file is fdatasync'ed, then "S n" is appended, n counting only D records
// appended before that fdatasync began, and the journal is fdatasync'ed. The
// header records the boot it was written in (/proc/sys/kernel/random/boot_id).
// On open after a crash (no clean-close record last):
//   - same boot (the process was killed): a completed write is in the page
//     cache or handed to the device, both survive a kill and are what every
//     later read sees, so every D record is trusted; the chunks lost are the
//     ones in flight, at most one per writer;
//   - another boot (power cut, reboot, kernel crash): only D records before
//     the last sync point are trusted; the rest may be zeros or stale on the
//     device and are fetched again, at most one batch.
// A clean close (pause, Ctrl-C/SIGTERM in the CLI, the window closing) syncs
// the part file and the journal before its C record, so a clean reboot loses
// nothing. Opening a resumed download fdatasyncs the part file before the
// compacted journal (whose D records are all covered by its S record) takes
// the old one's place. Version 1 journals (every D record written after its
// own fdatasync) are trusted whole.
//
// Opening never trusts the journal blindly. A missing part file, a journal
// that is unreadable or for other bytes (model id, size or sha256 differ)
// starts over. A part file that was truncated loses the chunks past its end;
// one that was replaced (another inode), grew, or was modified while the
// download was closed (its mtime differs from the clean-close record) has its
// done chunks re-read and checked against their hashes, and those that fail
// or have no hash to check against are fetched again. After a crash the rules
// above are what is trusted, not a re-read: re-reading would make every
// resume after a kill cost a read of everything downloaded so far.
//
// Per-chunk hashes: when known (a peer's list), every chunk is hashed as it
// is written and a mismatch is refused at commit, so the peer that sent it is
// known and its bytes never reach the part file. A list offered on a later
// resume (same chunk size) is adopted: done chunks are checked against it from
// their recorded hashes, or re-read. Without a list chunks are not hashed one
// by one (it would be a second SHA-256 pass over every byte), and only the
// final hash checks them.
//
// The whole-file hash is a running hash fed while the download runs, so the
// final check costs nothing extra on an in-order download. A writer keeps its
// chunk in memory (chunks up to 64 MiB) and writes it at commit; a committed
// chunk within a small window after the hashed prefix (<= 8 chunks, <= 32
// MiB) is handed to the hash from that memory, so an in-order download never
// reads its bytes back. Commits run on several threads and may finish chunks
// i and i+1 in either order: a chunk ahead of the prefix waits in the window;
// one a little beyond it waits (its commit blocks) while the hash is making
// progress, which holds back the network instead of spilling; one far ahead
// (several peers, a gap some slow peer is filling) or done before a resume is
// read back from the part file when its turn comes. Only one thread feeds the
// hash at a time: a committer that finds the next chunk ready takes the job
// for at most one window of chunks and hands it on, so no commit waits long
// and the hashing never runs on the caller's network thread. Nothing writes
// to a chunk once it is done (late writers of a duplicated chunk are refused),
// so memory and part file hold the same bytes unless another program writes
// into the part file meanwhile: the final hash covers the bytes handed to
// pwrite for chunks hashed from memory, and what the part file held at
// read-back for the others (a read-back never saw later writes either). After
// a resume the running hash starts again from byte 0, reading the done prefix
// back from disk.
//
// Two processes never work on one download: the journal is flock()ed while
// open, and a second open fails with "already being downloaded".
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/base/aligned_buffer.h"
#include "core/mesh/chunk_layout.h"
#include "core/base/progress.h"
#include "core/base/result.h"

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

// How a journal batches durability, and which boot this is. The defaults are
// what a download wants; tests make the batches small and pick the boot.
struct JournalOptions {
    std::uint64_t syncEveryBytes = 64ull << 20;
    std::chrono::milliseconds syncEvery{1000};
    std::string bootId; // empty: /proc/sys/kernel/random/boot_id ("" where unreadable: no boot is the same)
    bool directIo = true; // write whole chunks with O_DIRECT where the filesystem allows it
    // Preallocate the part file's space when opening. false: the part file is
    // created (or resumed) as it is, and grows as chunks are written, until
    // reserve() is called; for a caller that first wants the size proven
    // (MeshDownload: the catalog's size is only a peer's claim).
    bool reserveOnOpen = true;
};

// Space left free beyond a download's part file: a reservation that would eat
// into it fails up front instead.
inline constexpr std::uint64_t kFreeSpaceMarginBytes = 128ull << 20;

// Where the running whole-file hash got its bytes (diagnostics, benchmarks).
struct JournalHashStats {
    std::uint64_t fromMemory = 0; // chunks handed over by their writer
    std::uint64_t readBack = 0;   // chunks read back from the part file
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

// Writes one chunk's bytes, in order. A writer collects its bytes in memory
// (at most one chunk) and writes them only if it commits first, so a slow
// loser of an end-game duplicate can never overwrite a winner's bytes, and
// the running hash can take them from memory. Chunks over 64 MiB are the
// exception: their first writer writes straight into the part file and a
// second, concurrent one (duplicate()) buffers. Must not outlive its journal.
// Destroying it without commit abandons the chunk (it stays missing).
class ChunkWriter {
public:
    ChunkWriter(ChunkWriter&& other) noexcept;
    ChunkWriter& operator=(ChunkWriter&& other) noexcept;
    ~ChunkWriter();

    std::uint32_t index() const { return index_; }
    std::uint64_t offset() const { return offset_; }
    std::uint64_t length() const { return length_; }
    std::uint64_t written() const { return written_; }
    bool duplicate() const { return duplicate_; }

    // Appends the next bytes. Fails on a write error (one line naming the
    // file), on more bytes than the chunk holds, or when another writer of
    // this chunk committed it meanwhile.
    Status write(const void* data, std::size_t size);
    // The same for bytes the caller collected in an AlignedBuffer: a writer
    // with nothing written yet takes a buffer holding the whole chunk itself
    // instead of copying it (a caller reading the network straight into one
    // saves a copy of every byte); anything else is copied as above.
    Status write(AlignedBuffer&& bytes);

private:
    friend class DownloadJournal;
    ChunkWriter(DownloadJournal* journal, std::uint32_t index, std::uint64_t offset,
                std::uint64_t length, bool buffered, bool duplicate, bool hashing);
    void release();

    DownloadJournal* journal_ = nullptr;
    std::uint32_t index_ = 0;
    std::uint64_t offset_ = 0, length_ = 0, written_ = 0, flushed_ = 0;
    bool buffered_ = false;
    bool duplicate_ = false;
    AlignedBuffer buffer_;
    std::unique_ptr<Sha256> hash_;
};

// Thread-safe: writers of different chunks may write and commit on several
// threads at once. commitChunk() and finish() may block on fdatasync and
// hashing: call them off a GUI thread.
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
                                                         Observer* observer, const CancelToken& cancel,
                                                         const JournalOptions& options = {});
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
    JournalHashStats hashStats() const;

    // A writer for `chunk`; fails if it is out of range or already done.
    Result<ChunkWriter> beginChunk(std::uint32_t chunk);
    // Ends a writer: checks its length and hash, writes and records it (made
    // durable with its batch, see above) and feeds the running hash when its
    // turn has come. Fails (an Error) on a short chunk or an I/O error; a hash
    // mismatch is not an error but ChunkCheck::Mismatch. The writer is spent
    // either way.
    Result<ChunkCheck> commitChunk(ChunkWriter& writer);

    // Every chunk must be done. Completes the running hash (phase
    // "verifying"), and on a match fsyncs, renames the part file to the final
    // name (replacing a file there), fsyncs the directory and removes the
    // journal. On a mismatch it finds the bad chunks if any hash can tell,
    // removes the part file and the journal, and returns verified = false.
    // Either way the journal is spent afterwards.
    Result<FinishReport> finish(Observer* observer, const CancelToken& cancel);

    // Reserves the part file's full size now (see reserveOnOpen), never
    // beyond the free space minus `marginBytes`: fails with "<model>: not
    // enough space in <dir>: needs X ..., Y free". Only the part not yet
    // allocated counts, so calling it again is cheap. Safe beside writers.
    Status reserve(std::uint64_t marginBytes = kFreeSpaceMarginBytes);

    // Pause: makes everything durable, records a clean close and releases the
    // lock. Spent afterwards.
    void close();
    // Cancel: removes the part file and the journal. Spent afterwards.
    void discard();

private:
    friend class ChunkWriter;
    struct State;
    DownloadJournal(std::filesystem::path finalPath, DownloadTarget target);
    void openImpl(Observer* observer, const CancelToken& cancel);
    void openDirect();
    void resume(const detail::JournalRecords& records, Observer* observer, const CancelToken& cancel);
    void rewrite();
    void writeDirect(std::uint32_t chunk, std::uint64_t offset, const void* data, std::size_t size);
    void checkWritable(std::uint32_t chunk) const;
    void releaseWriter(ChunkWriter& writer);
    void syncBatch(bool force);
    void feedRunningHash(std::uint32_t chunk, AlignedBuffer bytes);
    void drainRunningHash(std::uint32_t limit, ProgressReporter* progress, const CancelToken* cancel);

    std::filesystem::path final_;
    DownloadTarget target_;
    ChunkLayout layout_;
    std::vector<std::string> hashes_;  // per-chunk hashes in use (empty: none)
    JournalOpenReport report_;
    std::unique_ptr<State> s_;
};

} // namespace atmo
