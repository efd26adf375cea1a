// The frames of the mesh's WebSocket relay (PROTOCOL.md "The relay"): the
// ones the station sends, built as JSON text, and the ones the relay sends,
// parsed strictly. The relay forwards whatever other nodes send, so every
// frame it delivers is hostile input: wrong types, missing fields, huge
// frames, deep nesting and too many peers each fail with a one-line
// ErrorCode::BadData reason, never a crash. Unknown fields are ignored, and so
// are unknown frame types (RelayFrameType::Other): the mesh's relay has more
// (llm_request, peer_updated) than the station uses.
//
// Payloads stay opaque here: a broadcast's or a direct message's payload is a
// JSON object kept as compact text; catalog gossip and transfer messages are
// parsed by their own code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace atmo {

// A frame larger than this is refused before it is parsed, in both
// directions. The mesh's relay takes up to 16 MiB (uvicorn's default); a
// 64 KiB transfer chunk is about 90 KB as base64 in its frame, a catalog of
// thousands of models a few MB.
inline constexpr std::size_t kMaxRelayFrameBytes = 16u * 1024 * 1024;
inline constexpr std::size_t kMaxRelayPeers = 4096;          // in one `peers` frame
inline constexpr std::size_t kMaxRelayCapabilities = 64;     // per peer
inline constexpr std::size_t kMaxRelayTextBytes = 256;       // a name, a capability
inline constexpr std::size_t kMaxRelayMessageBytes = 1024;   // an error's message
inline constexpr int kMaxRelayFrameDepth = 32;               // nesting, payload included

// What the station says first, as founder: the mesh key, and a proof that
// whoever sends this holds its secret key (Ed25519 over the UTF-8 mesh id).
struct RelayRegistration {
    std::string nodeId;
    std::string meshPublicKey;   // base64 of the raw 32-byte Ed25519 mesh key
    std::string founderProof;    // base64 of the 64-byte signature over the mesh id
    std::string nodePublicKey;   // base64, the key that made the proof; "" = omitted (the mesh key made it)
    std::string meshName;        // "name": the mesh's name
    std::string displayName;     // "display_name": this node's name
    std::vector<std::string> capabilities;
};

// What the station says first, as member (or as a registered founder without a token).
struct RelayJoin {
    std::string nodeId;
    std::string name;
    std::vector<std::string> capabilities;
    std::string tokenJson;       // the join token, a JSON object as text; "" = no token
};

std::string registerMeshFrame(const RelayRegistration& r);
// Fails (BadData) when tokenJson is given and is not one JSON object.
Result<std::string> joinFrame(const RelayJoin& j);
// Fail (BadData) when the payload is not one JSON object or the frame would
// be larger than kMaxRelayFrameBytes; (Usage) for an invalid target node id.
Result<std::string> broadcastFrame(std::string_view payloadJson);
Result<std::string> directFrame(std::string_view targetNodeId, std::string_view payloadJson);
std::string pingFrame();

enum class RelayFrameType {
    MeshRegistered, // {"type":"mesh_registered","success":true}
    Joined,         // {"type":"joined","mesh":..,"mesh_id":..,"node_count":N}
    Peers,          // {"type":"peers","peers":[{node_id,name,capabilities,...}]}
    PeerJoined,     // {"type":"peer_joined",node_id,name,capabilities}
    PeerLeft,       // {"type":"peer_left","node_id":..}
    Message,        // {"type":"message","from":..,"payload":{..}}
    Error,          // {"type":"error","code"?:..,"message":..}
    Pong,           // {"type":"pong","timestamp":..}
    Other,          // a type the station does not use; typeName says which
};

struct RelayPeer {
    std::string nodeId;
    std::string name;                       // "" when the relay gave none
    std::vector<std::string> capabilities;
    bool isFounder = false;
    bool operator==(const RelayPeer&) const = default;
};

struct RelayFrame {
    RelayFrameType type = RelayFrameType::Other;
    std::string typeName;                   // as sent ("peer_joined")
    // Joined
    std::string meshName;
    std::string meshId;
    std::optional<std::int64_t> nodeCount;
    // Peers: the others in the mesh; PeerJoined / PeerLeft: the one (PeerLeft: node id only)
    std::vector<RelayPeer> peers;
    RelayPeer peer;
    // Message
    std::string from;
    std::string payloadJson;                // the payload object, compact JSON text
    // Error
    std::string errorCode;                  // "" when the relay gave none (e.g. "Peer X not found")
    std::string errorMessage;
    // Pong
    double timestamp = 0;
    // MeshRegistered
    bool success = false;
};

// One frame of the relay's. BadData names the frame and the field.
Result<RelayFrame> parseRelayFrame(std::string_view text);

// How a refusal from the relay (an error frame, or the reason of a 1008
// close) is to be taken. The relay says it only in words and a broad code
// (TOKEN_INVALID covers both an expired token and a mesh its founder has
// not registered again yet since the relay restarted), so this is the one
// place that reads them.
enum class RelayRefusal {
    Final,  // retrying cannot fix it: a bad, expired, foreign or replayed token, another founder's mesh
    Retry,  // it may pass later: the mesh is not registered (yet), a registration timeout
};
RelayRefusal classifyRelayRefusal(std::string_view code, std::string_view message);

// The node id X of the relay's answer "Peer X not found" to a direct
// message, if that is what message says.
std::optional<std::string> unknownPeerIn(std::string_view message);

// The relay closed this connection because a newer one of the same node
// replaced it (close code 1000, reason "Replaced by new connection").
bool isReplacedCloseReason(std::string_view reason);

} // namespace atmo
