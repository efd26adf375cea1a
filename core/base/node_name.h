// A station's node name: what other nodes see in /health, in its
// model_catalog (`node_name`) and as its mDNS instance name, and what
// `--from`/`--peer` accept in place of an address. It is one DNS-SD instance
// label (RFC 6763 4.1.1): 1 to 63 bytes of UTF-8, no control characters; we
// also refuse leading or trailing white space and "://" (so a name can never
// be taken for a URL on the command line).
// Default: the host name's first label; when that is unusable (empty,
// "localhost", "(none)"), PROTOCOL.md's default instance name
// `atmosphere-{first 8 of node_id}`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace atmo {

inline constexpr std::size_t kMaxNodeNameBytes = 63;

// Why `name` is not a node name, one phrase; "" when it is one.
std::string nodeNameProblem(std::string_view name);
inline bool isValidNodeName(std::string_view name) { return nodeNameProblem(name).empty(); }

// Text (a name file, a host name) made into a node name: the first line,
// control characters as spaces, trimmed, cut to 63 bytes on a character
// boundary. "" when nothing usable is left.
std::string sanitizeNodeName(std::string_view text);

// The host name as a node name: its first label, sanitised; "" when the
// host name is unusable (empty, "localhost", "(none)", ...).
std::string nodeNameFromHost(std::string_view host);

// PROTOCOL.md's default instance name: "atmosphere-" + the first 8 of node_id.
std::string defaultInstanceName(std::string_view nodeId);

} // namespace atmo
