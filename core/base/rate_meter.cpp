#include "core/base/rate_meter.h"

#include <algorithm>

namespace atmo {

RateMeter::RateMeter(std::chrono::milliseconds window, std::chrono::milliseconds bucket)
    : window_(std::max(window, bucket)), bucket_(std::max(bucket, std::chrono::milliseconds(1)))
{
}

void RateMeter::add(std::uint64_t bytes, SteadyTime now)
{
    if (!first_)
        first_ = now;
    total_ += bytes;
    // Buckets start on multiples of the bucket width after the first add, so
    // the sums do not depend on how the bytes were split into calls.
    const auto index = (now - *first_) / bucket_;
    const SteadyTime start = *first_ + index * bucket_;
    if (buckets_.empty() || buckets_.back().first != start)
        buckets_.emplace_back(start, 0);
    buckets_.back().second += bytes;
    while (!buckets_.empty() && buckets_.front().first + window_ <= now - bucket_)
        buckets_.pop_front();
}

void RateMeter::addTotal(std::uint64_t doneSoFar, SteadyTime now)
{
    if (lastDone_ && doneSoFar < *lastDone_)
        reset();
    const std::uint64_t grown = lastDone_ ? doneSoFar - *lastDone_ : 0;
    lastDone_ = doneSoFar;
    add(grown, now);
}

double RateMeter::rate(SteadyTime now) const
{
    if (!first_ || now < *first_)
        return 0;
    // The window ends at the end of the current bucket.
    const SteadyTime end = *first_ + ((now - *first_) / bucket_ + 1) * bucket_;
    const SteadyTime from = std::max(*first_, end - window_);
    std::uint64_t bytes = 0;
    for (const auto& [start, n] : buckets_)
        if (start >= from && start < end)
            bytes += n;
    const auto span = std::max<std::chrono::nanoseconds>(std::min(now, end) - from, bucket_);
    return double(bytes) / std::chrono::duration<double>(span).count();
}

std::chrono::nanoseconds RateMeter::measured(SteadyTime now) const
{
    return first_ && now > *first_ ? now - *first_ : std::chrono::nanoseconds(0);
}

void RateMeter::reset()
{
    buckets_.clear();
    first_.reset();
    total_ = 0;
    lastDone_.reset();
}

std::optional<double> secondsLeft(std::uint64_t left, double bytesPerSecond)
{
    if (left == 0)
        return 0.0;
    if (bytesPerSecond > 0)
        return double(left) / bytesPerSecond;
    return std::nullopt;
}

} // namespace atmo
