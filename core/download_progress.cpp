#include "core/download_progress.h"

#include <nlohmann/json.hpp>

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

void completeProgress(DownloadProgress& p)
{
    p.percent = p.totalBytes == 0 ? 100.0 : 100.0 * double(p.bytesDownloaded) / double(p.totalBytes);
    const std::uint64_t left = p.totalBytes > p.bytesDownloaded ? p.totalBytes - p.bytesDownloaded : 0;
    if (left == 0)
        p.etaSeconds = 0.0;
    else if (p.rate > 0)
        p.etaSeconds = double(left) / p.rate;
    else
        p.etaSeconds.reset();
}

std::string progressEventJson(const DownloadProgress& p)
{
    nlohmann::json peers = nlohmann::json::array();
    for (const auto& peer : p.peers)
        peers.push_back({{"node_id", peer.peer}, {"bytes", peer.bytes}, {"rate_bps", peer.rate}});
    nlohmann::json j = {{"bytes_downloaded", p.bytesDownloaded},
                        {"total_bytes", p.totalBytes},
                        {"progress_percent", p.percent},
                        {"transfer_rate_mbps", p.rateMbps()},
                        {"eta_seconds", p.etaSeconds ? nlohmann::json(*p.etaSeconds) : nlohmann::json()},
                        {"chunks_received", p.chunksReceived},
                        {"total_chunks", p.totalChunks},
                        {"peers", peers}};
    return j.dump();
}

} // namespace atmo
