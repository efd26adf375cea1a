#include "core/transfer/download_progress.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace atmo {

void completeProgress(DownloadProgress& p)
{
    p.percent = p.totalBytes == 0 ? 100.0 : 100.0 * double(p.bytesDownloaded) / double(p.totalBytes);
    const std::uint64_t left = p.totalBytes > p.bytesDownloaded ? p.totalBytes - p.bytesDownloaded : 0;
    p.etaSeconds = secondsLeft(left, p.rate);
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
