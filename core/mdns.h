// DNS-SD over the system's Avahi daemon (avahi-client on its own threaded
// poll, so nothing here needs an event loop from the caller). Advertises this
// node as `_atmosphere._tcp` with the TXT records of PROTOCOL.md and browses
// for the others. Callbacks run on Avahi's thread: the app layer queues them
// onto its own.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace atmo {

inline constexpr const char* kMeshServiceType = "_atmosphere._tcp";

struct MdnsAdvert {
    std::string instanceName;              // default "atmosphere-{first 8 of node_id}"
    std::uint16_t port = 14345;
    std::string nodeId;
    std::string meshId;
    std::vector<std::string> capabilities; // TXT capabilities=a,b,c
};

struct MdnsPeer {
    std::string instanceName;
    std::string host;          // resolved host name
    std::string address;       // resolved address (IPv4 preferred), text
    std::uint16_t port = 0;
    std::string nodeId;        // TXT node_id ("" if the peer sent none)
    std::string meshId;
    std::vector<std::string> capabilities;
    int interfaceIndex = -1;
};

struct MdnsEvents {
    std::function<void(const MdnsPeer&)> peerFound;      // resolved (again: updated)
    std::function<void(const std::string& instanceName)> peerLost;
    std::function<void(const std::string& message)> problem; // daemon gone, name collision, ...
};

// One connection to avahi-daemon for both advertising and browsing.
// Construction fails with a clear reason when the daemon is not reachable
// ("mDNS: avahi-daemon is not running (...)").
class Mdns {
public:
    static Result<std::unique_ptr<Mdns>> start(MdnsEvents events);
    virtual ~Mdns() = default;
    // Publishes (or re-publishes with new data) this node's service.
    virtual Status advertise(const MdnsAdvert& advert) = 0;
    virtual void withdraw() = 0;
    // Starts browsing; peers whose TXT node_id equals ownNodeId are skipped.
    virtual Status browse(const std::string& ownNodeId) = 0;
};

} // namespace atmo
