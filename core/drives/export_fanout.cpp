#include "core/drives/export_fanout.h"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>

#include "core/base/sha256.h"

namespace atmo::detail {

// 4 KiB-aligned buffers, not zeroed (their pages are touched when filled):
// what direct I/O needs (see export_target.cpp).
struct AlignedFree {
    void operator()(char* p) const { std::free(p); }
};
using AlignedBuffer = std::unique_ptr<char[], AlignedFree>;

AlignedBuffer alignedBuffer(std::size_t size)
{
    auto* p = static_cast<char*>(std::aligned_alloc(4096, size));
    if (!p)
        throw std::bad_alloc();
    return AlignedBuffer(p);
}

struct Block {
    AlignedBuffer data = alignedBuffer(ExportFanOut::kBlockSize);
    std::size_t size = 0;
    std::uint64_t contentDone = 0; // content bytes of the package streamed when the block was queued
};

// A fixed number of blocks, made on first use; acquire() waits for one to come back.
class BlockPool {
public:
    explicit BlockPool(std::size_t count) : capacity_(count) {}
    ~BlockPool() = default;

    template <class StillWanted>
    std::shared_ptr<Block> acquire(const CancelToken& cancel, StillWanted stillWanted)
    {
        std::unique_lock lock(mutex_);
        while (free_.empty() && made_ >= capacity_) {
            // Wake up now and then: a cancel, or every target gone, must not wait for a slow drive.
            cv_.wait_for(lock, std::chrono::milliseconds(50));
            cancel.check();
            if (!stillWanted())
                throw Failure("every target failed");
        }
        std::unique_ptr<Block> b;
        if (!free_.empty()) {
            b = std::move(free_.back());
            free_.pop_back();
        } else {
            b = std::make_unique<Block>();
            ++made_;
        }
        b->size = 0;
        return std::shared_ptr<Block>(b.release(), [this](Block* p) { release(p); });
    }

private:
    void release(Block* p)
    {
        {
            std::lock_guard lock(mutex_);
            free_.emplace_back(p);
        }
        cv_.notify_one();
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Block>> free_;
    std::size_t made_ = 0;
    const std::size_t capacity_;
};

// The blocks one consumer has yet to handle, then how the stream ended.
class BlockLane {
public:
    enum class End { Open, Finish, Abort };

    void push(std::shared_ptr<const Block> b)
    {
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(std::move(b));
        }
        cv_.notify_one();
    }

    void close(End how)
    {
        {
            std::lock_guard lock(mutex_);
            if (end_ == End::Open)
                end_ = how;
            if (how == End::Abort)
                queue_.clear();
        }
        cv_.notify_one();
    }

    // The next block, or nullptr once the lane is closed and drained (how says why).
    std::shared_ptr<const Block> pop(End& how)
    {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return !queue_.empty() || end_ != End::Open; });
        how = end_;
        if (queue_.empty())
            return nullptr;
        auto b = std::move(queue_.front());
        queue_.pop_front();
        return b;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::shared_ptr<const Block>> queue_;
    End end_ = End::Open;
};

ExportFanOut::ExportFanOut(std::vector<std::unique_ptr<ExportTargetState>>& targets, ExportObserver* observer,
                           CancelToken cancel)
    : targets_(targets), observer_(observer), cancel_(std::move(cancel)),
      pool_(std::make_unique<BlockPool>(kPoolBlocks)), hashLane_(std::make_unique<BlockLane>()),
      written_(writtenPromise_.get_future().share())
{
    for (std::size_t i = 0; i < targets_.size(); ++i)
        lanes_.push_back(std::make_unique<BlockLane>());
}

ExportFanOut::~ExportFanOut()
{
    abort();
}

bool ExportFanOut::anyAlive() const
{
    for (const auto& t : targets_)
        if (t->alive.load())
            return true;
    return false;
}

void ExportFanOut::fail(std::size_t i, const Error& error, DriveProblem problem)
{
    auto& t = *targets_[i];
    if (!t.alive.exchange(false))
        return;
    t.result.ok = false;
    t.result.error = error.message;
    t.result.code = error.code;
    t.result.problem = problem;
    try {
        t.target->discard();
    } catch (...) {
    }
    notifyDone(i);
}

// An observer that throws must not take a writer thread (and the process) down.
void ExportFanOut::notifyDone(std::size_t i)
{
    if (!observer_)
        return;
    try {
        observer_->onTargetDone(i, targets_[i]->result);
    } catch (...) {
    }
}

void ExportFanOut::start(std::string item, std::uint64_t contentTotal)
{
    item_ = std::move(item);
    contentTotal_ = contentTotal;
    key_ = randomReadBackKey();
    started_ = true;
    threads_.emplace_back([this] { hashLoop(); });
    for (std::size_t i = 0; i < targets_.size(); ++i)
        if (targets_[i]->alive)
            threads_.emplace_back([this, i] { writerLoop(i); });
}

void ExportFanOut::push(const void* data, std::size_t size, std::uint64_t contentDone)
{
    auto p = static_cast<const char*>(data);
    while (size > 0) {
        if (!current_)
            current_ = pool_->acquire(cancel_, [this] { return anyAlive(); });
        const std::size_t n = std::min(size, kBlockSize - current_->size);
        std::memcpy(current_->data.get() + current_->size, p, n);
        current_->size += n;
        current_->contentDone = contentDone;
        p += n;
        size -= n;
        if (current_->size == kBlockSize)
            flushCurrent(false);
    }
}

void ExportFanOut::flushCurrent(bool last)
{
    if (current_ && current_->size > 0) {
        if (last)
            current_->contentDone = contentTotal_;
        std::shared_ptr<const Block> b = std::move(current_);
        hashLane_->push(b);
        for (std::size_t i = 0; i < targets_.size(); ++i)
            if (targets_[i]->alive)
                lanes_[i]->push(b);
    }
    current_.reset();
    if (!anyAlive())
        throw Failure("every target failed");
}

void ExportFanOut::finish()
{
    flushCurrent(true);
    stop(true);
}

void ExportFanOut::abort()
{
    current_.reset();
    stop(false);
}

void ExportFanOut::stop(bool ok)
{
    if (stopped_)
        return;
    stopped_ = true;
    const auto how = ok ? BlockLane::End::Finish : BlockLane::End::Abort;
    hashLane_->close(how);
    for (auto& lane : lanes_)
        lane->close(how);
    for (auto& t : threads_)
        t.join();
    threads_.clear();
    if (ok && started_)
        sha256_ = written_.get().sha256;
}

void ExportFanOut::hashLoop()
{
    Written w;
    std::unique_ptr<Sha256> hash;
    std::unique_ptr<ReadBackTag> tag;
    try {
        hash = std::make_unique<Sha256>();
        tag = std::make_unique<ReadBackTag>(key_);
    } catch (...) {
        // OpenSSL failed: the empty sha256 fails every target, with a reason.
    }
    std::uint64_t bytes = 0;
    BlockLane::End how;
    // Drains the lane whatever happens: the blocks go back to the pool.
    while (auto b = hashLane_->pop(how)) {
        if (hash && tag) {
            try {
                hash->update(b->data.get(), b->size);
                tag->update(b->data.get(), b->size);
            } catch (...) {
                hash.reset();
            }
        }
        bytes += b->size;
    }
    bytes_ = bytes;
    if (how == BlockLane::End::Finish && hash && tag) {
        try {
            w.sha256 = hash->finishHex();
            w.tag = tag->finish();
        } catch (...) {
            w.sha256.clear();
        }
    }
    writtenPromise_.set_value(w);
}

void ExportFanOut::writerLoop(std::size_t i)
{
    auto& t = *targets_[i];
    BlockLane& lane = *lanes_[i];
    BlockLane::End how;
    while (auto b = lane.pop(how)) {
        if (!t.alive)
            continue; // a failed target only drains its lane, handing the blocks back
        try {
            cancel_.check();
            t.target->write(b->data.get(), b->size);
            t.result.bytes += b->size;
            if (observer_)
                observer_->onTargetProgress(i, Progress{Phase::Writing, b->contentDone, contentTotal_, item_});
        } catch (const Cancelled&) {
            fail(i, Error{"cancelled", ErrorCode::Cancelled}, DriveProblem::Cancelled);
        } catch (const DriveFailure& e) {
            fail(i, currentError(), e.problem());
        } catch (const std::exception&) {
            fail(i, currentError(), DriveProblem::WriteFailed);
        } catch (...) {
            fail(i, Error{t.target->name() + ": write failed", ErrorCode::Io, t.target->name()}, DriveProblem::WriteFailed);
        }
    }
    if (!t.alive)
        return;
    if (how == BlockLane::End::Finish) {
        finishTarget(i);
    } else {
        // The source failed: the export fails as a whole, this target did nothing wrong.
        try {
            t.target->discard();
        } catch (...) {
        }
    }
}

// Sync, drop the cache, read back and compare; then rename into place.
void ExportFanOut::finishTarget(std::size_t i)
{
    auto& t = *targets_[i];
    try {
        const Written& expected = written_.get();
        if (expected.sha256.empty())
            throw Failure(t.target->name() + ": could not hash what was written (OpenSSL failed)");
        const std::uint64_t bytes = t.result.bytes;
        Progress p{Phase::Syncing, 0, bytes, t.target->name()};
        if (observer_)
            observer_->onTargetProgress(i, p);
        t.target->sync();
        t.target->dropCache();
        p.phase = Phase::ReadingBack;
        const std::size_t bufSize = 1 << 20;
        const AlignedBuffer buf = alignedBuffer(bufSize);
        ReadBackTag tag(key_);
        std::uint64_t offset = 0;
        auto last = std::chrono::steady_clock::now();
        for (;;) {
            cancel_.check();
            const std::size_t n = t.target->readBack(offset, buf.get(), bufSize);
            if (n == 0)
                break;
            tag.update(buf.get(), n);
            offset += n;
            const auto now = std::chrono::steady_clock::now();
            if (observer_ && now - last > std::chrono::milliseconds(100)) {
                last = now;
                p.done = offset;
                observer_->onTargetProgress(i, p);
            }
        }
        if (offset != bytes)
            throw DriveFailure(DriveProblem::ReadBackDiffers, ErrorCode::Io,
                               t.target->name() + ": read back " + std::to_string(offset) + " bytes, wrote " +
                                   std::to_string(bytes),
                               t.target->name());
        if (tag.finish() != expected.tag)
            throw DriveFailure(DriveProblem::ReadBackDiffers, ErrorCode::Io,
                               t.target->name() + ": the data read back differs from what was written (faulty drive?)",
                               t.target->name());
        if (observer_) {
            p.done = offset;
            observer_->onTargetProgress(i, p);
        }
        t.target->commit();
        t.result.ok = true;
        t.result.sha256 = expected.sha256; // of the bytes written, which the read-back matched
    } catch (const Cancelled&) {
        fail(i, Error{"cancelled", ErrorCode::Cancelled}, DriveProblem::Cancelled);
        return;
    } catch (const DriveFailure& e) {
        fail(i, currentError(), e.problem());
        return;
    } catch (const std::exception&) {
        fail(i, currentError(), DriveProblem::Other);
        return;
    } catch (...) {
        fail(i, Error{t.target->name() + ": the read-back failed", ErrorCode::Io, t.target->name()},
             DriveProblem::ReadBackFailed);
        return;
    }
    t.alive = false;
    notifyDone(i);
}

} // namespace atmo::detail
