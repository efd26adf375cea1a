// The mesh's bandwidth caps for a model sent through the relay (PROTOCOL.md
// "Transfer messages"): under 10 MB unthrottled, 10-500 MB at 5 Mbps, over
// 500 MB at 2 Mbps. The relay is shared by the whole mesh and often sits
// behind a slow uplink, so a large model must not take all of it; a LAN
// HTTP transfer is never capped by these. The protocol asks for the caps to
// be settings: RelayCaps holds them, protocolDefaults() the mesh's values.
// MB here is the protocol's decimal megabyte (10^6 bytes), Mbps 10^6 bit/s.
#pragma once

#include <cstdint>

namespace atmo {

struct RelayCaps {
    bool enabled = true;
    std::uint64_t freeBelowBytes = 10'000'000;   // smaller models: no cap
    std::uint64_t largeAboveBytes = 500'000'000; // larger models: the large cap
    std::uint64_t mediumBitsPerSecond = 5'000'000;
    std::uint64_t largeBitsPerSecond = 2'000'000;

    static RelayCaps protocolDefaults() { return {}; }
    static RelayCaps none() { return {.enabled = false}; }
};

// Bytes per second for a model of this size; 0 = unlimited (RateLimiter's
// convention).
std::uint64_t relayRateFor(const RelayCaps& caps, std::uint64_t modelBytes);

} // namespace atmo
