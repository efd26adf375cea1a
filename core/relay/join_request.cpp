#include "core/relay/join_request.h"

#include "core/base/text.h"
#include "core/relay/invite.h"
#include "core/relay/join_token.h"

namespace atmo {

Result<RelayMembership> membershipFromCredential(std::string_view credential, std::string_view relayUrl,
                                                 std::string_view joiningNodeId, std::int64_t now)
{
    const std::string text = trimmed(credential);
    if (text.empty())
        return fail(ErrorCode::Usage, "no invite or join token given");
    RelayMembership m;
    m.relayUrl = trimmed(relayUrl);
    if (text.front() == '{') {
        auto token = parseJoinToken(text);
        if (!token)
            return token.error();
        m.meshId = token->meshId;
        m.tokenJson = joinTokenJson(*token);
        if (m.relayUrl.empty())
            return fail(ErrorCode::Usage, "a join token names no relay: give the relay's URL");
        return m;
    }
    auto invite = parseInvite(text);
    if (!invite)
        return invite.error();
    if (auto checked = checkInvite(*invite, now, joiningNodeId); !checked)
        return checked.error();
    m.meshId = invite->token.meshId;
    m.tokenJson = joinTokenJson(invite->token);
    if (m.relayUrl.empty())
        for (const std::string& e : invite->endpoints)
            if (e.rfind("relay:", 0) == 0) {
                m.relayUrl = e.substr(6);
                break;
            }
    if (m.relayUrl.empty())
        return fail(ErrorCode::Usage, "the invite names no relay: give the relay's URL");
    return m;
}

} // namespace atmo
