// What the station remembers of its membership of a mesh on a relay, so
// `atmosphere serve` and `atmosphere mesh status` can connect again without
// being told: <home>/station/relay.json,
//   {"relay_url":"wss://relay.example:8765","mesh_id":"...","mode":"founder"|"member","token":{..}}
// The token (member mode) is a credential: the file is written atomically
// with mode 0600, and read back only from a file that is a JSON object with
// these fields. A founder keeps no token; it proves itself with the mesh key
// in the home on every connection.
#pragma once

#include <filesystem>
#include <string>

#include "core/base/result.h"
#include "core/package/station_home.h"

namespace atmo {

struct RelayMembership {
    std::string relayUrl;   // as given: ws(s)://host:port, with or without /relay/{mesh_id}
    std::string meshId;
    bool founder = false;
    std::string tokenJson;  // member mode: the join token object, compact JSON; "" for none
    bool operator==(const RelayMembership&) const = default;
};

std::filesystem::path relayMembershipFile(const StationHome& home);

// NotFound when the station has joined no relay; BadData naming the file
// when it is not one this function wrote.
Result<RelayMembership> loadRelayMembership(const std::filesystem::path& file);
Status saveRelayMembership(const std::filesystem::path& file, const RelayMembership& membership);
// Leaving: the file goes (with the token in it). Nothing to forget is fine.
Status forgetRelayMembership(const std::filesystem::path& file);

} // namespace atmo
