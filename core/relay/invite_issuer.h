// Issuing an invite from a station home: a join token for the home's mesh
// signed with the mesh key the home holds (only the station that founded the
// mesh, `atmosphere mesh create`, holds it), issued by this station's node
// id, wrapped with the mesh's name, public key and where to find it. The
// one code path behind `atmosphere mesh token|invite` and the window's
// Invite dialog.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/relay/invite.h"
#include "core/relay/join_token.h"

namespace atmo {

class StationHome;

struct InviteRequest {
    std::string meshId;                                // "": the home's mesh (StationHome::meshId())
    std::optional<std::string> nodeId;                 // nullopt: any device
    std::vector<std::string> capabilities = {"participant"};
    std::int64_t lifetimeSeconds = kDefaultJoinTokenLifetime;
    std::vector<std::string> endpoints;                // "local:HOST:PORT", "relay:wss://..."; at least one for an invite
};

// A token for the request's mesh. NotFound when the home holds no key for that
// mesh ("this station holds no key for mesh X: ..."), Usage for a request the
// token rules refuse (issueJoinToken()).
Result<JoinToken> issueMeshToken(const StationHome& home, const InviteRequest& request, std::int64_t now);
// The same token as an invite. Usage when there is no endpoint or one is not
// an invite endpoint (inviteEndpointProblem()).
Result<Invite> issueInvite(const StationHome& home, const InviteRequest& request, std::int64_t now);

} // namespace atmo
