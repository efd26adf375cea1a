// Every limit the peer server puts on a client, in one place. The defaults
// are the station's; docs/mesh-api.md ("Limits") lists them for peers.
//
// A test or a benchmark can change them for one process with the environment
// variable ATMOSPHERE_SERVE_LIMITS, e.g.
//   ATMOSPHERE_SERVE_LIMITS="header_timeout_ms=300,idle_timeout_ms=500,per_client=4"
// Keys: request_line, head, fields, body (bytes), header_timeout_ms,
// idle_timeout_ms, min_send_rate (bytes/s), send_rate_window_ms, per_client,
// connections. An unknown key or a bad number is reported and ignored.
#pragma once

#include <cstdint>

#include "core/transfer/http_request.h"

struct ServeLimits {
    // Request line 8 KiB (414), head 32 KiB or 100 fields (431), body 16 KiB
    // and no Transfer-Encoding (413): checked before anything is buffered.
    atmo::HttpHeadLimits request;
    // From the first byte of a request to the last byte of its head (and of
    // its small body): 408 and close.
    int headerTimeoutMs = 10'000;
    // A kept-alive connection with no request in progress and nothing left
    // to send is closed after this long.
    int idleTimeoutMs = 60'000;
    // While a reply is being sent, the client must take at least this many
    // bytes per second, averaged over each window, or it is dropped.
    std::uint64_t minSendRate = 1024;
    int sendRateWindowMs = 30'000;
    // Open connections from one address, and in all; beyond either the new
    // connection gets a 503 and is closed without a byte of it being read.
    int maxPerClient = 32;
    int maxConnections = 512;
    // What a socket may hold of unread input in user space; the kernel's
    // buffer (and TCP flow control) holds the rest.
    std::int64_t socketReadBuffer = 64 * 1024;

    // The defaults above with ATMOSPHERE_SERVE_LIMITS applied.
    static ServeLimits defaults();
};
