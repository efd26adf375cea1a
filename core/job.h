// How long core work talks to its caller: a cancel token it polls and an
// observer it reports progress to. Core never calls into Qt; the app layer
// implements Observer and forwards to signals.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace atmo {

struct Progress {
    std::string phase;      // "hashing", "writing", "verifying", "reading back", ...
    std::uint64_t done = 0; // bytes done in this phase
    std::uint64_t total = 0;
    std::string item;       // current file or entry
};

class Observer {
public:
    virtual ~Observer() = default;
    virtual void onProgress(const Progress&) {}
};

// Copyable handle onto one shared flag.
class CancelToken {
public:
    CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
    void cancel() const { flag_->store(true, std::memory_order_relaxed); }
    bool cancelled() const { return flag_->load(std::memory_order_relaxed); }
    // Throws atmo::Cancelled when cancelled.
    void check() const;

private:
    std::shared_ptr<std::atomic<bool>> flag_;
};

// Forwards progress to an Observer at most every `interval` (default 100 ms),
// plus always on a phase change and on finish(). Thread-safe; observer may be null.
class ProgressReporter {
public:
    explicit ProgressReporter(Observer* observer,
                              std::chrono::milliseconds interval = std::chrono::milliseconds(100));
    void phase(std::string phase, std::uint64_t total);
    void item(std::string item);
    void add(std::uint64_t bytes);  // adds to done, reports when due
    void set(std::uint64_t done);
    void finish();                  // reports the current state unconditionally
    Progress snapshot() const;

private:
    void maybeReport(bool force);
    Observer* observer_;
    std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;
    Progress current_;
    std::chrono::steady_clock::time_point last_{};
};

} // namespace atmo
