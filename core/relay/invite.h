// Invites (PROTOCOL.md "The relay"): a join token with what a new device
// needs to use it: the mesh's name, where to reach it ("local:host:port" for
// a station on the same network, "relay:wss://..." for a relay) and the mesh
// public key that signed the token. Shared as JSON, then base64url without
// padding, as `atmosphere://join?invite=<that>` (a link, or a QR code of it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/relay/join_token.h"

namespace atmo {

struct Invite {
    JoinToken token;
    std::string meshName;
    std::vector<std::string> endpoints; // "local:host:port", "relay:ws(s)://host[:port][/path]"
    std::string meshPublicKey;          // standard base64 of the raw 32-byte mesh key
};

inline constexpr std::string_view kInviteLinkPrefix = "atmosphere://join?invite=";

// Why `endpoint` is not one an invite may carry, one phrase; "" when it is.
// "local:HOST:PORT" (port 1..65535; an IPv6 host in brackets) or
// "relay:ws://..." / "relay:wss://...".
std::string inviteEndpointProblem(std::string_view endpoint);

std::string inviteJson(const Invite& invite);  // {token, mesh_name, endpoints, mesh_public_key}
std::string inviteText(const Invite& invite);  // base64url of inviteJson(), no padding
std::string inviteLink(const Invite& invite);  // kInviteLinkPrefix + inviteText()

// Reads an invite from a link (atmosphere://join?invite=..., other query
// parameters ignored), or from the bare base64url text; white space around
// it is ignored, and "=" padding tolerated. BadData with a one-line reason
// ("invite: ...") for anything else, a token that does not parse (its field
// named), a mesh_public_key that is not a key, an endpoint that is not a
// string. Checks nothing about the signature: see checkInvite().
Result<Invite> parseInvite(std::string_view linkOrText);
Result<Invite> parseInviteJson(std::string_view json);

// checkJoinToken() with the invite's own mesh key.
Status checkInvite(const Invite& invite, std::int64_t now, std::string_view joiningNodeId = {});

} // namespace atmo
