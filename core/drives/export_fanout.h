// The write side of an export (internal to package_export.cpp): one stream
// of archive bytes fanned out to every target, each target written by its own
// thread, the stream hashed once by another.
//
// Why threads: written one after another from the thread that reads the
// source, every 1 MiB block waited for each drive in turn, so the write phase
// took the sum of the drives' times, a drive stuck in dirty-page throttling
// stalled the fast ones block by block, and reading and hashing the source
// never overlapped with writing. Now the source is read and verified on the
// caller's thread, the archive is hashed on one thread, and each drive writes
// at its own pace; as soon as a drive has its last block it syncs, reads back
// and commits, whatever the others are doing.
//
// What is compared: the stream is hashed once, on its own thread, with
// SHA-256 (the file's identity, reported) and with a Poly1305 tag under a
// key made for this export (see readback_tag.h); each drive's read-back is
// checked against the tag, so reading back costs what the drive costs.
//
// Why memory stays bounded: blocks come from a fixed pool (kPoolBlocks ×
// 1 MiB) shared by all targets and are returned when the last target has
// written them. A drive more than a pool behind makes the source wait: with
// one read of the source and bounded memory, the stream as a whole moves at
// the pace of the slowest live drive (the alternative, reading the source
// once per drive, costs more on the station's own disk than it saves).
#pragma once

#include <atomic>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/base/progress.h"
#include "core/drives/package_export.h"
#include "core/drives/readback_tag.h"

namespace atmo::detail {

struct ExportTargetState {
    std::unique_ptr<ExportTarget> target;
    TargetResult result;
    std::atomic<bool> alive{true};
};

class BlockPool;
class BlockLane;

class ExportFanOut {
public:
    static constexpr std::size_t kBlockSize = 1u << 20;
    static constexpr std::size_t kPoolBlocks = 16;

    ExportFanOut(std::vector<std::unique_ptr<ExportTargetState>>& targets, ExportObserver* observer,
                 CancelToken cancel);
    ~ExportFanOut(); // aborts and joins whatever still runs
    ExportFanOut(const ExportFanOut&) = delete;
    ExportFanOut& operator=(const ExportFanOut&) = delete;

    // Marks target i failed (once), discards its temporary file, reports it.
    // Before start() from the caller's thread; afterwards only from i's writer.
    void fail(std::size_t i, const Error& error, DriveProblem problem);
    bool anyAlive() const;

    // One writer thread per live target, plus the hashing thread.
    void start(std::string item, std::uint64_t contentTotal);
    bool started() const { return started_; }
    // Queues a copy of the bytes for every live target; waits while the pool
    // is empty. Throws Failure when no target is left, Cancelled on cancel.
    void push(const void* data, std::size_t size, std::uint64_t contentDone);
    // End of the stream: each writer syncs, reads back, compares and commits.
    // Returns when every target is done.
    void finish();
    // The source failed: writers discard their temporary files. Returns when
    // every writer has stopped. Safe to call more than once.
    void abort();

    const std::string& sha256() const { return sha256_; } // after finish()
    std::uint64_t bytes() const { return bytes_; }

private:
    void flushCurrent(bool last);
    void writerLoop(std::size_t i);
    void hashLoop();
    void finishTarget(std::size_t i);
    void notifyDone(std::size_t i);
    void stop(bool ok);

    std::vector<std::unique_ptr<ExportTargetState>>& targets_;
    ExportObserver* observer_;
    CancelToken cancel_;
    std::string item_;
    std::uint64_t contentTotal_ = 0;
    std::unique_ptr<BlockPool> pool_;
    std::vector<std::unique_ptr<BlockLane>> lanes_; // one per target
    std::unique_ptr<BlockLane> hashLane_;
    std::vector<std::thread> threads_;
    std::shared_ptr<struct Block> current_;
    struct Written {
        std::string sha256;
        ReadBackDigest tag{};
    };
    ReadBackKey key_{};
    std::promise<Written> writtenPromise_;
    std::shared_future<Written> written_;
    std::string sha256_;
    std::uint64_t bytes_ = 0;
    bool started_ = false;
    bool stopped_ = false;
};

} // namespace atmo::detail
