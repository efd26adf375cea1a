// Internals of DownloadJournal shared by its source files
// (download_journal.cpp: open, validate, rewrite, close; download_journal_chunks.cpp:
// writing and committing chunks, finish; download_journal_hash.cpp: the
// running hash; download_journal_space.cpp: preallocation;
// download_journal_io.cpp: the POSIX I/O helpers). Not an API: include only
// from those.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/transfer/download_journal.h"
#include "core/base/fs_util.h"
#include "core/base/sha256.h"

namespace atmo::journal_detail {

enum ChunkState : std::uint8_t { Missing, Claimed, Done };
// Where the running hash finds a chunk: not handed over yet, in the stash, in the part file.
enum HashSource : std::uint8_t { NotReady, FromMemory, FromFile };

inline constexpr std::uint64_t kWritebackEvery = 1u << 20;
// Writers of chunks up to this size buffer them (and the hash may take them
// from memory); bigger chunks are written straight through and read back.
inline constexpr std::uint64_t kMaxBufferedChunk = 64ull << 20;
// The stash of committed chunks waiting for the running hash: at most this
// many bytes and kStashChunks chunks ahead of the hashed prefix.
inline constexpr std::uint64_t kStashBytes = 32ull << 20;
inline constexpr std::uint32_t kStashChunks = 8;
inline constexpr std::size_t kSpareBuffers = 4;

std::string errnoText();
// One journal line: the payload, a space, and a check over the payload.
std::string record(const std::string& payload);
void syncData(int fd, const std::filesystem::path& path);
// Starts writeback of a range without waiting for it, so a later fdatasync has little left.
void startWriteback(int fd, std::uint64_t offset, std::uint64_t length);
void pwriteAll(int fd, const std::filesystem::path& path, const char* data, std::size_t size,
               std::uint64_t offset);
// Writes through an O_DIRECT descriptor; returns how much it wrote before the
// filesystem refused (EINVAL), so the caller writes the rest through the page
// cache. Other errors throw.
std::size_t pwriteDirect(int fd, const std::filesystem::path& path, const char* data, std::size_t size,
                         std::uint64_t offset);
// Reads [offset, offset + length) in blocks, handing each to `sink`; a file
// that ends early is a Failure.
void readRange(int fd, const std::filesystem::path& path, std::uint64_t offset, std::uint64_t length,
               std::string& buf, const std::function<void(const char*, std::size_t)>& sink);

// Gives the part file's space for `size` bytes (fallocate; ftruncate where the
// filesystem cannot), never more than the free space minus `marginBytes`:
// only what is not allocated yet counts. Throws Failure: "<model>: not enough
// space in <dir>: needs X (and M kept free), Y free", or the error.
void preallocate(int fd, const std::filesystem::path& path, std::uint64_t size, std::uint64_t marginBytes,
                 const std::string& modelId);

struct FileId {
    std::uint64_t dev = 0, ino = 0;
    std::int64_t birthNs = 0; // 0 where the filesystem does not tell
    bool operator==(const FileId&) const = default;
};

} // namespace atmo::journal_detail

namespace atmo {

struct DownloadJournal::State {
    std::filesystem::path dir, part, journal;
    UniqueFd partFd, journalFd;
    UniqueFd directFd;                // the part file opened O_DIRECT, where the filesystem allows it
    std::size_t directAlign = 0;      // what it needs aligned (offset and length)
    std::atomic<bool> directOk{false}; // cleared when the filesystem refuses a direct write
    journal_detail::FileId partId;
    JournalOptions options;
    std::string bootId;

    std::mutex mutex; // chunk states; pwrite against claims
    std::vector<std::uint8_t> chunk;
    std::vector<std::uint16_t> writers; // writers begun and not yet spent, per chunk
    std::vector<bool> directWriter;     // a big chunk's writer writes straight through
    std::vector<std::string> recorded;  // each done chunk's hash as written ("" if not hashed)
    std::uint32_t doneCount = 0;
    std::uint64_t doneBytes = 0;
    bool spent = false;
    bool alreadyComplete = false;

    // Appends to the journal, and the batches that make them durable.
    std::mutex journalMutex;
    std::uint64_t records = 0;        // D records in the journal file
    std::uint64_t syncedRecords = 0;  // the first syncedRecords of them are covered by an S record
    std::uint64_t unsyncedBytes = 0;  // chunk bytes whose D records are not covered yet
    std::chrono::steady_clock::time_point lastSync;
    std::mutex syncMutex;             // one batch at a time

    // The running whole-file hash. `running` belongs to whoever set
    // `hashing`; everything else here is under hashMutex.
    std::mutex hashMutex;
    std::condition_variable hashCv;   // the hashed prefix grew, or the hasher stopped
    Sha256 running;
    std::uint32_t hashedUpTo = 0;     // chunks [0, hashedUpTo) are in `running`
    bool hashing = false;
    bool hashBroken = false;          // a read-back failed: finish() starts again from byte 0
    std::uint32_t window = 1;         // chunks the stash may hold ahead of the prefix
    std::vector<std::uint8_t> source; // HashSource per chunk
    std::map<std::uint32_t, AlignedBuffer> stash;
    JournalHashStats stats;

    std::mutex spareMutex;
    std::vector<AlignedBuffer> spare; // chunk buffers to reuse (no page faults per chunk)

    AlignedBuffer takeBuffer(std::size_t size)
    {
        AlignedBuffer b;
        {
            std::lock_guard lock(spareMutex);
            if (!spare.empty()) {
                b = std::move(spare.back());
                spare.pop_back();
            }
        }
        b.clear();
        b.reserve(size);
        return b;
    }
    void recycle(AlignedBuffer&& b)
    {
        if (b.capacity() < 4096 || b.capacity() > journal_detail::kMaxBufferedChunk)
            return;
        std::lock_guard lock(spareMutex);
        if (spare.size() < journal_detail::kSpareBuffers) {
            b.clear();
            spare.push_back(std::move(b));
        }
    }

    // A committed chunk's bytes. Direct I/O skips the copy into the page
    // cache (a third of the CPU a pull spends outside SHA-256 on a CPU
    // without SHA extensions) and leaves no dirty pages for the batch's
    // fdatasync; a kill cannot lose what it wrote either.
    void writeChunk(const char* data, std::size_t size, std::uint64_t offset)
    {
        std::size_t done = 0;
        if (directOk.load(std::memory_order_relaxed) && offset % directAlign == 0 && size % directAlign == 0) {
            done = journal_detail::pwriteDirect(directFd.get(), part, data, size, offset);
            if (done < size)
                directOk.store(false, std::memory_order_relaxed);
        }
        if (done < size) {
            journal_detail::pwriteAll(partFd.get(), part, data + done, size - done, offset + done);
            journal_detail::startWriteback(partFd.get(), offset + done, size - done);
        }
    }

    // A record that must be on the device before anything else happens (C, F).
    void append(const std::string& payload)
    {
        const std::string line = journal_detail::record(payload);
        std::lock_guard lock(journalMutex);
        writeAll(journalFd.get(), line.data(), line.size(), journal.string());
        journal_detail::syncData(journalFd.get(), journal);
    }
    // A chunk's D record: durable with the next batch.
    void appendDone(const std::string& payload, std::uint64_t bytes)
    {
        const std::string line = journal_detail::record(payload);
        std::lock_guard lock(journalMutex);
        writeAll(journalFd.get(), line.data(), line.size(), journal.string());
        ++records;
        unsyncedBytes += bytes;
    }
};

} // namespace atmo
