#include "core/relay/invite_issuer.h"

#include "core/package/station_home.h"

namespace atmo {

namespace {

struct Signed {
    JoinToken token;
    NodeKey meshKey;
};

Result<Signed> sign(const StationHome& home, const InviteRequest& request, std::int64_t now)
{
    JoinTokenRequest r;
    r.meshId = request.meshId.empty() ? home.meshId() : request.meshId;
    r.nodeId = request.nodeId;
    r.capabilities = request.capabilities;
    r.lifetimeSeconds = request.lifetimeSeconds;
    auto meshKey = home.meshKey(r.meshId);
    if (!meshKey)
        return meshKey.error();
    auto issuer = home.nodeId();
    if (!issuer)
        return issuer.error();
    r.issuerId = *issuer;
    auto token = issueJoinToken(*meshKey, r, now);
    if (!token)
        return token.error();
    return Signed{std::move(*token), *meshKey};
}

} // namespace

Result<JoinToken> issueMeshToken(const StationHome& home, const InviteRequest& request, std::int64_t now)
{
    auto made = sign(home, request, now);
    if (!made)
        return made.error();
    return std::move(made->token);
}

Result<Invite> issueInvite(const StationHome& home, const InviteRequest& request, std::int64_t now)
{
    if (request.endpoints.empty())
        return fail(ErrorCode::Usage, "an invite needs at least one endpoint: where the new device finds the mesh");
    for (const std::string& e : request.endpoints)
        if (const std::string problem = inviteEndpointProblem(e); !problem.empty())
            return fail(ErrorCode::Usage, "endpoint \"" + e + "\" " + problem, e);
    auto made = sign(home, request, now);
    if (!made)
        return made.error();
    Invite invite;
    invite.meshName = home.meshName(made->token.meshId);
    invite.endpoints = request.endpoints;
    invite.meshPublicKey = made->meshKey.publicKeyBase64();
    invite.token = std::move(made->token);
    return invite;
}

} // namespace atmo
