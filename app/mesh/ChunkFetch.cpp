#include "app/mesh/ChunkFetch.h"

ChunkFetch::ChunkFetch(Host& host, atmo::RangePlan& plan, const QString& peer, const atmo::Assignment& assignment)
    : host_(host), plan_(plan), peer_(peer), peerKey_(peer.toStdString()), a_(assignment), chunk_(assignment.first),
      lastByte_(std::chrono::steady_clock::now()), windowStart_(lastByte_)
{
}

void ChunkFetch::heldBack(atmo::SteadyTime now)
{
    lastByte_ = windowStart_ = now;
    windowBytes_ = 0;
}

void ChunkFetch::arrived(std::uint64_t n, atmo::SteadyTime now)
{
    lastByte_ = now;
    windowBytes_ += n;
}

ChunkFetch::Status ChunkFetch::fail(const QString& why, Fault fault)
{
    failure_ = why;
    fault_ = fault;
    status_ = Status::Failed;
    return status_;
}

std::optional<std::uint64_t> ChunkFetch::tooSlow(atmo::SteadyTime now, std::uint64_t minBytesPerSecond,
                                                 std::chrono::milliseconds window)
{
    if (now - windowStart_ < window)
        return std::nullopt;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - windowStart_).count();
    const std::uint64_t bytes = windowBytes_;
    if (bytes * 1000 < minBytesPerSecond * static_cast<std::uint64_t>(ms))
        return bytes;
    windowStart_ = now;
    windowBytes_ = 0;
    return std::nullopt;
}
