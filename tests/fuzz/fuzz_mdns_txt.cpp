// The TXT records of an mDNS advertisement from any host on the LAN
// (core/mesh/mdns_txt.h decodeMdnsTxt). The input is split into records at each
// 0x00 byte, as a TXT rdata is a list of strings (an empty input is one
// empty record; a trailing separator adds an empty one).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/mesh/mdns_txt.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::vector<std::string> records(1);
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == 0)
            records.emplace_back();
        else
            records.back().push_back(static_cast<char>(data[i]));
    }
    const atmo::MdnsTxt txt = atmo::decodeMdnsTxt(records);
    std::size_t total = 0;
    for (const auto& c : txt.capabilities)
        total += c.size();
    FUZZ_CHECK(txt.nodeId.size() <= size && txt.meshId.size() <= size && total <= size);
    return 0;
}
