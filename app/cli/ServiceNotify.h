// Readiness and stop notices for a service manager (systemd's sd_notify
// protocol, without libsystemd): one datagram to the unix socket named by
// $NOTIFY_SOCKET ("@name" is in the abstract namespace). Without the
// variable, or when the socket cannot be reached, nothing is sent and
// nothing fails: the service runs the same outside systemd.
#pragma once

#include <string>

namespace cli {

// Sends `state` ("READY=1\nSTATUS=...") and returns whether it was sent.
bool notifyServiceManager(const std::string& state);

} // namespace cli
