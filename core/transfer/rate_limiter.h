// A token bucket: the app layer asks "how many bytes may I read now?" and
// "when may I read again?", reads that much from the socket, and says what it
// read. Reading less from a socket is what slows a TCP sender down, so capping
// the reads caps the transfer without any help from the peer.
//
// Why a bucket and not a fixed pause per block: the bucket allows a short
// burst (a quarter second's worth by default, at least 64 KiB) after an idle
// moment and then holds the long-run rate exactly, however the reads are
// sized. Tokens are whole bytes and time is credited in the exact nanoseconds
// those bytes took, so rounding never drifts the rate. Reading more than was
// allowed (a socket hands over what it has) goes into debt that the next
// waits pay off.
//
// Every time is passed in (a steady clock's now), so tests check the
// arithmetic without sleeping. Not thread-safe: one limiter per transfer,
// used from one thread.
#pragma once

#include <chrono>
#include <cstdint>

namespace atmo {

class RateLimiter {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    // bytesPerSecond 0 = unlimited. burstBytes 0 = the default burst.
    explicit RateLimiter(std::uint64_t bytesPerSecond = 0, std::uint64_t burstBytes = 0);

    // Changes the rate (a settings change mid-transfer); tokens earned so far
    // are kept, up to the new burst (from unlimited: a full bucket).
    void setRate(std::uint64_t bytesPerSecond, std::uint64_t burstBytes, TimePoint now);
    std::uint64_t rate() const { return rate_; }
    std::uint64_t burst() const { return burst_; }
    bool unlimited() const { return rate_ == 0; }

    // Bytes that may be read now (UINT64_MAX when unlimited; 0 while in debt).
    std::uint64_t available(TimePoint now);
    // Records bytes read (may exceed available(): that is debt).
    void consume(std::uint64_t bytes, TimePoint now);
    // How long until `bytes` (capped at the burst) may be read; zero if now.
    std::chrono::nanoseconds waitFor(std::uint64_t bytes, TimePoint now);

    static std::uint64_t defaultBurst(std::uint64_t bytesPerSecond);

private:
    void refill(TimePoint now);

    std::uint64_t rate_ = 0;
    std::uint64_t burst_ = 0;
    std::int64_t tokens_ = 0;     // negative: debt
    TimePoint last_{};            // time credited up to
    bool started_ = false;
};

} // namespace atmo
