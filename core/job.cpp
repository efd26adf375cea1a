#include "core/job.h"

#include "core/result.h"

namespace atmo {

void CancelToken::check() const
{
    if (cancelled())
        throw Cancelled();
}

ProgressReporter::ProgressReporter(Observer* observer, std::chrono::milliseconds interval)
    : observer_(observer), interval_(interval)
{
}

void ProgressReporter::phase(std::string phase, std::uint64_t total)
{
    std::lock_guard lock(mutex_);
    current_.phase = std::move(phase);
    current_.total = total;
    current_.done = 0;
    maybeReport(true);
}

void ProgressReporter::item(std::string item)
{
    std::lock_guard lock(mutex_);
    current_.item = std::move(item);
    maybeReport(false);
}

void ProgressReporter::add(std::uint64_t bytes)
{
    std::lock_guard lock(mutex_);
    current_.done += bytes;
    maybeReport(false);
}

void ProgressReporter::set(std::uint64_t done)
{
    std::lock_guard lock(mutex_);
    current_.done = done;
    maybeReport(false);
}

void ProgressReporter::finish()
{
    std::lock_guard lock(mutex_);
    maybeReport(true);
}

Progress ProgressReporter::snapshot() const
{
    std::lock_guard lock(mutex_);
    return current_;
}

void ProgressReporter::maybeReport(bool force)
{
    if (!observer_)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < interval_)
        return;
    last_ = now;
    observer_->onProgress(current_);
}

} // namespace atmo
