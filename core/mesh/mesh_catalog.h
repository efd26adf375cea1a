// The merged mesh catalog: every peer's catalog message, merged by model_id
// (PROTOCOL.md): one entry per model_id with the peers that have it, de-duped
// by model_id + node_id, ranked by (1) a direct HTTP endpoint, (2) lower
// latency, (3) higher reliability. Entries expire when their node's TTL runs
// out without a refresh.
//
// Peers that offer a model_id with a different sha256 (or size) than the
// majority (ties: the best-ranked peer) do not count as having that model;
// they are listed as conflicting so the user sees it and a downloader never
// mixes their bytes.
//
// Ranking is lexicographic on (direct HTTP, latency band, reliability, node
// id): latency is compared in bands (log2 of milliseconds) so that 3 ms vs 4 ms
// does not outweigh a peer that failed half its transfers, and the order is a
// strict weak ordering. Unknown latency ranks after any measured one.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/mesh/catalog_wire.h"

namespace atmo {

using Clock = std::chrono::system_clock;

// What this node knows about a peer's quality.
struct PeerQuality {
    bool directHttp = false;                 // has a transfer_endpoints.http
    std::optional<double> latencyMs;         // last measured round trip
    std::uint32_t transfersOk = 0;           // past transfers that verified
    std::uint32_t transfersFailed = 0;       // failed, wrong bytes, stalled
    // (ok + 1) / (ok + failed + 2): a peer with no history is 0.5, one good
    // transfer does not make a peer perfect.
    double reliability() const;
};

// True when peer a should be preferred over peer b.
bool rankedBefore(const std::string& aNode, const PeerQuality& a,
                  const std::string& bNode, const PeerQuality& b);

struct MergedEntry {
    CatalogEntry entry;                   // from the best-ranked peer that has it
    std::vector<std::string> peers;       // node ids, best first
    std::vector<std::string> conflicting; // node ids offering other bytes under this id, best first
};

class MeshCatalog {
public:
    // Replaces everything known from message.nodeId; entries live until
    // receivedAt + ttl.
    void update(const CatalogMessage& message, Clock::time_point receivedAt);
    void removeNode(const std::string& nodeId);
    // Drops nodes whose TTL ran out; returns the node ids dropped.
    std::vector<std::string> expire(Clock::time_point now);

    // Replaces what is known of a node's quality. update() sets directHttp
    // from each message (whether it has transfer_endpoints.http) and keeps the
    // rest; mergeCatalogs() derives directHttp the same way for a node it has
    // no quality for.
    void setQuality(const std::string& nodeId, const PeerQuality& quality);
    PeerQuality quality(const std::string& nodeId) const;
    void recordTransfer(const std::string& nodeId, bool ok);

    std::vector<std::string> nodes() const;
    std::optional<Clock::time_point> expiresAt(const std::string& nodeId) const;
    std::size_t modelCount(const std::string& nodeId) const;
    std::string httpEndpoint(const std::string& nodeId) const;

    // The merge, sorted by model_id.
    std::vector<MergedEntry> merged() const;

private:
    struct NodeCatalog {
        CatalogMessage message;
        Clock::time_point expiresAt;
    };
    std::map<std::string, NodeCatalog> nodes_;
    std::map<std::string, PeerQuality> quality_;
};

// The merge as a free function, for the benchmark and tests.
std::vector<MergedEntry> mergeCatalogs(const std::vector<const CatalogMessage*>& messages,
                                       const std::map<std::string, PeerQuality>& quality);

} // namespace atmo
