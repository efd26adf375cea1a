// Decoding the TXT records of an `_atmosphere._tcp` service (PROTOCOL.md,
// "mDNS / DNS-SD"). Pure and total, so it can be fuzzed: any bytes in, a
// plain struct out, never an exception.
//
// What a peer sends is taken as it is, within bounds:
//  - A record is "key=value" or "key" (the attribute with no value); keys
//    compare case-insensitively (RFC 6763 §6.4) and only the first record
//    with a key counts, even when its value is then dropped (§6.4: the
//    others "MUST be silently ignored"). A record with an empty key, or a key
//    that is not printable ASCII, is ignored.
//  - node_id and mesh_id are identifiers: a value that is not valid UTF-8,
//    holds a control character, or is longer than kMdnsNodeIdMax /
//    kMdnsMeshIdMax bytes is dropped whole (empty), never truncated: a cut
//    identifier would name some other node or mesh.
//  - capabilities is a comma-separated list: items are trimmed of spaces and
//    tabs; an empty item, a duplicate, or one that is not valid UTF-8, holds
//    a control character, or is longer than kMdnsCapabilityMax bytes is
//    dropped; the list is truncated after kMdnsCapabilitiesMax items.
//  - Missing records, empty values and unknown keys are simply that: empty
//    fields, and nothing else changes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace atmo {

inline constexpr std::size_t kMdnsNodeIdMax = 64;
inline constexpr std::size_t kMdnsMeshIdMax = 128;
inline constexpr std::size_t kMdnsCapabilitiesMax = 32;
inline constexpr std::size_t kMdnsCapabilityMax = 64;

struct MdnsTxt {
    std::string nodeId;
    std::string meshId;
    std::vector<std::string> capabilities;
};

// records: the raw TXT strings as received ("key=value" or "key", any bytes,
// any length), in wire order.
MdnsTxt decodeMdnsTxt(const std::vector<std::string>& records);

} // namespace atmo
