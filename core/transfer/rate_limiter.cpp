#include "core/transfer/rate_limiter.h"

#include <algorithm>
#include <limits>

namespace atmo {

namespace {

using u128 = unsigned __int128;
constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::int64_t kMaxTokens = std::numeric_limits<std::int64_t>::max() / 4;

std::int64_t clampTokens(u128 v) { return v > u128(kMaxTokens) ? kMaxTokens : std::int64_t(v); }

} // namespace

std::uint64_t RateLimiter::defaultBurst(std::uint64_t bytesPerSecond)
{
    return std::max<std::uint64_t>(bytesPerSecond / 4, 64 * 1024);
}

RateLimiter::RateLimiter(std::uint64_t bytesPerSecond, std::uint64_t burstBytes)
    : rate_(bytesPerSecond), burst_(burstBytes ? burstBytes : defaultBurst(bytesPerSecond))
{
    burst_ = std::min<std::uint64_t>(burst_, std::uint64_t(kMaxTokens));
    tokens_ = std::int64_t(burst_); // a fresh transfer may start with a burst
}

void RateLimiter::refill(TimePoint now)
{
    if (!started_) {
        started_ = true;
        last_ = now;
        return;
    }
    if (now <= last_ || rate_ == 0)
        return;
    if (tokens_ >= std::int64_t(burst_)) {
        last_ = now; // a full bucket earns nothing while it waits
        return;
    }
    const auto elapsed = std::uint64_t((now - last_).count());
    const u128 earned = u128(elapsed) * rate_ / kNsPerSecond;
    if (earned == 0)
        return; // not a whole byte yet: keep the time for later
    const u128 room = u128(std::int64_t(burst_) - tokens_);
    if (earned >= room) {
        tokens_ = std::int64_t(burst_);
        last_ = now;
        return;
    }
    tokens_ += clampTokens(earned);
    // Credit exactly the time those bytes took; the remainder carries over.
    last_ += std::chrono::nanoseconds(std::int64_t(earned * kNsPerSecond / rate_));
}

void RateLimiter::setRate(std::uint64_t bytesPerSecond, std::uint64_t burstBytes, TimePoint now)
{
    refill(now);
    const bool wasUnlimited = rate_ == 0;
    rate_ = bytesPerSecond;
    burst_ = std::min<std::uint64_t>(burstBytes ? burstBytes : defaultBurst(bytesPerSecond), std::uint64_t(kMaxTokens));
    // Capping an unlimited transfer starts like a new limiter, with a full bucket.
    tokens_ = wasUnlimited ? std::int64_t(burst_) : std::min(tokens_, std::int64_t(burst_));
    last_ = now;
    started_ = true;
}

std::uint64_t RateLimiter::available(TimePoint now)
{
    if (rate_ == 0)
        return std::numeric_limits<std::uint64_t>::max();
    refill(now);
    return tokens_ > 0 ? std::uint64_t(tokens_) : 0;
}

void RateLimiter::consume(std::uint64_t bytes, TimePoint now)
{
    if (rate_ == 0)
        return;
    refill(now);
    tokens_ -= clampTokens(bytes);
    tokens_ = std::max(tokens_, -kMaxTokens);
}

std::chrono::nanoseconds RateLimiter::waitFor(std::uint64_t bytes, TimePoint now)
{
    if (rate_ == 0)
        return std::chrono::nanoseconds(0);
    refill(now);
    const std::int64_t want = clampTokens(std::min<std::uint64_t>(std::max<std::uint64_t>(bytes, 1), burst_));
    if (tokens_ >= want)
        return std::chrono::nanoseconds(0);
    // The time at which enough whole bytes have been earned since last_.
    const u128 deficit = u128(want - tokens_);
    const u128 ns = (deficit * kNsPerSecond + rate_ - 1) / rate_;
    const TimePoint ready = last_ + std::chrono::nanoseconds(std::int64_t(std::min<u128>(ns, u128(kMaxTokens))));
    return ready > now ? std::chrono::nanoseconds(ready - now) : std::chrono::nanoseconds(0);
}

} // namespace atmo
