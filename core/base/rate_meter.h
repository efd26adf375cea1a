// Speed and time left, measured one way for every progress the station
// shows: a download's (core/transfer/download_progress.h), a job's in the window
// (app/ProgressMeter.h) and the CLI's progress line.
//
// The rate is smoothed over a sliding window (5 s by default), so the time
// left does not jump with every burst, yet drops to zero within the window
// when a transfer stalls. Every time is passed in, never read from a clock
// here, so the arithmetic is exact in tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

namespace atmo {

using SteadyTime = std::chrono::steady_clock::time_point;

class RateMeter {
public:
    explicit RateMeter(std::chrono::milliseconds window = std::chrono::seconds(5),
                       std::chrono::milliseconds bucket = std::chrono::milliseconds(250));
    // `bytes` more since the last call.
    void add(std::uint64_t bytes, SteadyTime now);
    // For a counter of bytes done so far: adds what it grew by since the
    // last call. The first call only sets where counting starts; a counter
    // that went back starts the measurement again from there.
    void addTotal(std::uint64_t doneSoFar, SteadyTime now);
    // Bytes per second over the last window (or since the first add, if that
    // is shorter, but never over less than one bucket); 0 before any add.
    double rate(SteadyTime now) const;
    // How long this meter has measured: since its first add (0 before).
    std::chrono::nanoseconds measured(SteadyTime now) const;
    std::uint64_t total() const { return total_; }
    void reset();

private:
    std::chrono::nanoseconds window_, bucket_;
    std::deque<std::pair<SteadyTime, std::uint64_t>> buckets_; // bucket start, bytes
    std::optional<SteadyTime> first_;
    std::uint64_t total_ = 0;
    std::optional<std::uint64_t> lastDone_; // addTotal's counter
};

// Seconds until `left` more bytes are through at `bytesPerSecond`: 0 when
// nothing is left, nullopt (unknown) while the rate is 0.
std::optional<double> secondsLeft(std::uint64_t left, double bytesPerSecond);

} // namespace atmo
