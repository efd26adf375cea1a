#include "core/transfer/relay_caps.h"

namespace atmo {

std::uint64_t relayRateFor(const RelayCaps& caps, std::uint64_t modelBytes)
{
    if (!caps.enabled || modelBytes < caps.freeBelowBytes)
        return 0;
    const std::uint64_t bits = modelBytes > caps.largeAboveBytes ? caps.largeBitsPerSecond : caps.mediumBitsPerSecond;
    return bits / 8;
}

} // namespace atmo
