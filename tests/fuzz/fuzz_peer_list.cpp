// GET /v1/peers from any peer (core/mesh/mesh_peer.h parsePeerList): what is
// kept must be valid and survive being listed again to the next peer.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/mesh/catalog_wire.h"
#include "core/mesh/mesh_peer.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)atmo::isValidPeerEndpoint(text);
    auto peers = atmo::parsePeerList(text);
    if (!peers)
        return 0;
    for (const auto& p : *peers)
        FUZZ_CHECK(atmo::isValidNodeId(p.nodeId));
    auto again = atmo::parsePeerList(atmo::peerListToJson(*peers));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->size() == peers->size());
    for (std::size_t i = 0; i < peers->size(); ++i) {
        FUZZ_CHECK((*again)[i].nodeId == (*peers)[i].nodeId);
        FUZZ_CHECK((*again)[i].endpoint == (*peers)[i].endpoint);
    }
    return 0;
}
