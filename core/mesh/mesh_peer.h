// A peer this node knows about, as GET /v1/peers lists it (station extension):
// {"peers":[{"node_id","name","endpoint","last_seen_ms","found_by"}]}.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace atmo {

// Remembered: known only from this station's remembered peers (core/mesh/remembered_peers.h).
// Relay: a node of the mesh heard only through its relay (no HTTP endpoint
// that answers from here); never listed in /v1/peers.
enum class PeerOrigin { Mdns, Manual, ViaPeer, Remembered, Relay };
std::string_view peerOriginName(PeerOrigin origin);   // "mdns", "manual", "peer", "remembered", "relay"

struct PeerRecord {
    std::string nodeId;
    std::string name;
    std::string endpoint;        // "http://host:port"
    std::int64_t lastSeenMs = 0; // Unix ms
    PeerOrigin origin = PeerOrigin::Manual;
};

std::string peerListToJson(const std::vector<PeerRecord>& peers);
// Lenient per peer like parseModelList: malformed peers are skipped.
Result<std::vector<PeerRecord>> parsePeerList(std::string_view json);

// "http://host:port" with host a name, IPv4 or [IPv6]; no path, user or query.
bool isValidPeerEndpoint(std::string_view endpoint);

} // namespace atmo
