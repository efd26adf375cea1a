// Join tokens (PROTOCOL.md "The relay"): a mesh's permission for one node, or
// any node, to join it on a relay, signed with the mesh key.
//
// The signature is base64 Ed25519 by the mesh key over the canonical JSON of
// the seven other fields: keys sorted, capabilities sorted, separators ","
// and ":" without spaces, node_id null for any node. That is exactly
// Python's json.dumps(d, sort_keys=True, separators=(",", ":")).encode(),
// what the mesh's relay computes, and like it with the default
// ensure_ascii=True: a character outside ASCII is written \uXXXX (lowercase
// hex, UTF-16 surrogate pairs above U+FFFF), so the canonical bytes are
// ASCII and also valid UTF-8. checkJoinToken() also accepts a signature over
// the unescaped UTF-8 form (ensure_ascii=False), which differs only when a
// field holds non-ASCII text; tokens the station issues use the escaped form.
// tests/tst_join_token.cpp checks both against python3-nacl.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/node_key.h"
#include "core/base/result.h"

namespace atmo {

inline constexpr std::int64_t kDefaultJoinTokenLifetime = 24 * 3600;
inline constexpr std::int64_t kMaxJoinTokenLifetime = 7 * 24 * 3600;

// Now in Unix seconds, the clock tokens are issued and checked by.
inline std::int64_t unixSecondsNow()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct JoinToken {
    std::string meshId;
    std::optional<std::string> nodeId;    // nullopt (JSON null): any node may use it
    std::int64_t issuedAt = 0;            // Unix seconds
    std::int64_t expiresAt = 0;           // Unix seconds; expired once now > expiresAt
    std::vector<std::string> capabilities;
    std::string issuerId;                 // node_id of the station that issued it
    std::string nonce;                    // 32 random hex digits; the relay refuses its reuse by another node
    std::string signature;                // base64 Ed25519 by the mesh key
};

struct JoinTokenRequest {
    std::string meshId;
    std::string issuerId;                              // the issuing station's node id
    std::optional<std::string> nodeId;                 // nullopt: any node
    std::vector<std::string> capabilities = {"participant"};
    std::int64_t lifetimeSeconds = kDefaultJoinTokenLifetime;
};

// A lifetime as the CLI and settings write it: "3600s", "90m", "24h", "3d"
// or plain seconds. Usage when it is not one, is 0, or exceeds 7 days.
Result<std::int64_t> parseJoinTokenLifetime(std::string_view text);

// Signs a new token with a fresh random nonce. Usage when the lifetime is
// not 1 s .. 7 days, the mesh id, node id or issuer id is not valid, or a
// capability is empty, longer than 64 bytes or not printable ASCII.
Result<JoinToken> issueJoinToken(const NodeKey& meshKey, const JoinTokenRequest& request, std::int64_t now);

// The bytes the signature covers (see above).
std::string joinTokenSignedPayload(const JoinToken& token);

// The token as one line of JSON with all eight fields (keys sorted).
std::string joinTokenJson(const JoinToken& token);
// Reads a token from JSON text. BadData naming the field for a missing or
// mistyped field, a string that is too long, or text that is not JSON.
// node_id may be absent (any node); unknown fields (delegation_chain) are
// ignored. Checks nothing about the signature: see checkJoinToken().
Result<JoinToken> parseJoinToken(std::string_view json);

// Whether the relay would let `joiningNodeId` (empty: skip that check) in
// with this token: signed by the mesh key, not expired at `now`, not bound
// to another node, a lifetime of at most 7 days. Untrusted with a one-line
// reason ("join token expired at 2026-12-03T12:00:00Z"), BadData when the
// signature is not base64 of 64 bytes.
Status checkJoinToken(const JoinToken& token, const Ed25519PublicKey& meshPublicKey, std::int64_t now,
                      std::string_view joiningNodeId = {});

} // namespace atmo
