// What a download reports to its watchers: the fields of PROTOCOL.md's
// progress event (bytes_downloaded, total_bytes, progress_percent,
// transfer_rate_mbps, eta_seconds, chunks_received, total_chunks) plus the
// bytes each peer sent, which the downloads panel shows as "source peers".
//
// The rate comes from a RateMeter (core/base/rate_meter.h), smoothed over 5 s.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/rate_meter.h"

namespace atmo {

struct PeerProgress {
    std::string peer;            // node id
    std::uint64_t bytes = 0;     // bytes received from it in this session
    double rate = 0;             // bytes/s, smoothed
};

struct DownloadProgress {
    std::uint64_t bytesDownloaded = 0; // done chunks plus what in-flight chunks hold
    std::uint64_t totalBytes = 0;
    double percent = 0;                // 0..100; 100 for an empty file
    double rate = 0;                   // bytes/s, smoothed
    std::optional<double> etaSeconds;  // unknown while the rate is 0
    std::uint32_t chunksReceived = 0;
    std::uint32_t totalChunks = 0;
    std::vector<PeerProgress> peers;

    // PROTOCOL.md's transfer_rate_mbps, read as megabits per second (10^6
    // bits), the unit of its bandwidth caps ("5 Mbps").
    double rateMbps() const { return rate * 8 / 1e6; }
};

// Fills percent and etaSeconds from the other fields.
void completeProgress(DownloadProgress& p);

// The progress event as JSON: PROTOCOL.md's fields (eta_seconds is null when
// unknown) plus, as a station extension, "peers": [{"node_id","bytes","rate_bps"}].
std::string progressEventJson(const DownloadProgress& p);

} // namespace atmo
