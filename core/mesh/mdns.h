// DNS-SD over the system's Avahi daemon (avahi-client on its own threaded
// poll, so nothing here needs an event loop from the caller). Advertises this
// node as `_atmosphere._tcp` with the TXT records of PROTOCOL.md and browses
// for the others.
//
// Threading: events run on Avahi's thread (except what advertise() or
// browse() find at once, such as a name taken by another client of the same
// daemon, reported from inside that call), always with Avahi's lock held; the
// app layer queues them onto its own. An event handler may call advertise(),
// withdraw() and browse() (the lock is not taken twice), but must not destroy
// the Mdns: the destructor stops Avahi's thread and joins it, and no event
// runs once it has returned.
//
// The daemon going away (restart, crash, D-Bus restart) is reported through
// `problem`, every peer found so far is reported lost (nothing vouches for
// them any more), and the connection is re-made in the background: when the
// daemon is back the service is published again and browsing resumes, so the
// peers are found again.
//
// A browser the daemon refuses or fails (AVAHI_BROWSER_FAILURE) is reported
// through `problem`, its peers are reported lost, and browsing is asked for
// again after 2 s, then 4, 8 ... up to every 60 s, until it works.
//
// A peer that is browsed but cannot be resolved (the mesh's Python discovery
// registers its service without any address record, so resolving it always
// times out) is reported through `peerUnresolved` with what its TXT records
// say, and resolved again while it is still browsed: after 5 s, then 10, 20,
// 40 and every 60 s. It never becomes a usable peer until a retry finds an
// address; then `peerFound` reports it.
//
// Bounded, whatever the LAN does (a hostile host can register thousands of
// names in a second):
// - At most kMdnsMaxPeers services are tracked (resolved, retried, reported)
//   at a time. A name browsed while every slot is taken waits, unreported,
//   in a list of at most kMdnsMaxWaiting names; one beyond that is ignored
//   (until a new browser reports it again). Each of those two is said once
//   through `problem` (again only after it cleared). A tracked service that
//   leaves frees its slot for a waiting name: one never tried first, then
//   the one that has waited longest.
// - Which peers keep a slot when the table is full: a tracked peer that has
//   proved useless (unresolvable, or resolved without a node_id or with our
//   own) gives its slot to a waiting name that has not been tried yet and
//   queues at the back itself. A resolved peer with a node_id is never
//   pushed out, and a legitimate peer gets in as soon as a useless one has
//   been tried. A new name pushes out at most one, so a flood cannot churn
//   the table faster than it registers names.
// - At most kMdnsMaxResolving lookups are in flight (first resolves and
//   retries alike); the others queue in order. A resolved peer keeps its
//   resolver open to hear about changes (at most kMdnsMaxPeers of them);
//   those are not lookups in flight.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/base/result.h"

namespace atmo {

inline constexpr const char* kMeshServiceType = "_atmosphere._tcp";
inline constexpr std::size_t kMdnsMaxPeers = 256;
inline constexpr std::size_t kMdnsMaxWaiting = 1024;
inline constexpr std::size_t kMdnsMaxResolving = 16;

struct MdnsAdvert {
    std::string instanceName;              // default "atmosphere-{first 8 of node_id}"; at most 63 bytes
    std::uint16_t port = 14345;
    std::string nodeId;                    // required
    std::string meshId;
    std::vector<std::string> capabilities; // TXT capabilities=a,b,c (so none may contain a comma)
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
    // false: browsed, but no address could be resolved (host, address and
    // port may be empty; the TXT fields are there when the peer sent them).
    bool resolved = true;
};

struct MdnsEvents {
    // Resolved; called again only when something about the peer changed.
    std::function<void(const MdnsPeer&)> peerFound;
    // Browsed but not resolved (peer.resolved is false); reason is one line
    // ("mDNS: cannot resolve peer 'name' (Timeout reached)"). Called again
    // only when what is known about the peer changed; peerFound follows when
    // a retry resolves it.
    std::function<void(const MdnsPeer& peer, const std::string& reason)> peerUnresolved;
    // Only for peers that peerFound or peerUnresolved reported.
    std::function<void(const std::string& instanceName)> peerLost;
    std::function<void(const std::string& message)> problem; // daemon gone, name collision, ...
    // Our service is registered under this name (which differs from the
    // requested one after a name collision); again after every re-publish.
    std::function<void(const std::string& instanceName)> advertised;
};

// One connection to avahi-daemon for both advertising and browsing.
// Construction fails with a clear reason when the daemon is not reachable
// ("mDNS: avahi-daemon is not running (...)").
class Mdns {
public:
    static Result<std::unique_ptr<Mdns>> start(MdnsEvents events);
    virtual ~Mdns() = default;
    // Publishes (or re-publishes with new data) this node's service. Fails at
    // once on bad input (no node_id, port 0, a name or TXT record too long);
    // what the network says later (a collision) arrives as events. While the
    // daemon is away the advert is kept and published when it is back.
    virtual Status advertise(const MdnsAdvert& advert) = 0;
    virtual void withdraw() = 0;
    // Starts browsing; peers whose TXT node_id equals ownNodeId are skipped.
    // Calling it again only changes ownNodeId. A browser the daemon refuses
    // is not an error here: it is reported through `problem` and asked for
    // again (see above).
    virtual Status browse(const std::string& ownNodeId) = 0;
    // A snapshot of the services browsed and being resolved that neither
    // peerFound nor peerUnresolved has reported yet: a peer without any
    // address is one of them for the first 5 s or more (Avahi's resolve
    // timeout), before peerUnresolved says so. Only instanceName is set and
    // resolved is false. Tracked services only (at most kMdnsMaxPeers; not
    // those waiting for a slot, nor any found to be ourselves). Any thread,
    // also from inside an event.
    virtual std::vector<MdnsPeer> pending() = 0;
};

} // namespace atmo
