// Holds a job's worker at the first progress report that reaches a point,
// until released, so screenshot mode can show a real job in flight (the demo
// workspace's files take milliseconds to build or write). A job without one
// never waits; cancelling the job releases it.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>

#include "core/base/progress.h"

class ProgressHold {
public:
    using Point = std::function<bool(const atmo::Progress&)>;
    explicit ProgressHold(Point at) : at_(std::move(at)) {}

    // Worker threads: at the point (once), blocks until release().
    void reached(const atmo::Progress& progress)
    {
        std::unique_lock lock(mutex_);
        if (released_ || !at_(progress))
            return;
        holding_ = true;
        changed_.wait(lock, [this] { return released_; });
        holding_ = false;
    }
    // Any thread; for good: later reports pass.
    void release()
    {
        {
            std::lock_guard lock(mutex_);
            released_ = true;
        }
        changed_.notify_all();
    }
    bool isHolding() const
    {
        std::lock_guard lock(mutex_);
        return holding_;
    }

private:
    Point at_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool released_ = false;
    bool holding_ = false;
};
