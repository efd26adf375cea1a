// What joining a mesh on a relay starts from, as `atmosphere mesh join` and
// the window's Join dialog both take it: an invite (the atmosphere://join
// link, or the text after invite=) or a join token's JSON, and the relay's
// URL, which an invite may carry itself. One place for the rules both apply.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/relay/relay_membership.h"

namespace atmo {

// A member's membership from `credential` (a token's JSON when it starts
// with '{', else an invite) and `relayUrl` ("" with an invite: the invite's
// first relay: endpoint). An invite carries the mesh key, so a forged,
// expired or foreign one (bound to another node than joiningNodeId) is
// refused here, before anything is sent to a relay; a bare token is checked
// by the relay. Usage when there is no relay to go to; BadData, one line,
// for what cannot be read.
Result<RelayMembership> membershipFromCredential(std::string_view credential, std::string_view relayUrl,
                                                 std::string_view joiningNodeId, std::int64_t now);

} // namespace atmo
