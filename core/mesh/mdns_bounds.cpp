// The bounds on what a LAN can make us track and resolve (the rules are in
// core/mesh/mdns.h): the kMdnsMaxPeers slots, the list of names waiting for one,
// which tracked peer gives its slot up, and the queue of lookups beyond
// kMdnsMaxResolving. Everything here runs with Avahi's lock held, at the end
// of each event (settle()), so the table is within its bounds between events.
#include "core/mesh/mdns_avahi.h"

#include <algorithm>

namespace atmo::mdns_detail {

std::size_t AvahiMdns::inFlight() const
{
    return static_cast<std::size_t>(std::count_if(peers_.begin(), peers_.end(), [](const auto& kv) {
        return kv.second.resolver && !kv.second.monitoring;
    }));
}

std::size_t AvahiMdns::admittedCount() const
{
    return static_cast<std::size_t>(
        std::count_if(peers_.begin(), peers_.end(), [](const auto& kv) { return kv.second.admitted; }));
}

// The name that has waited longest; names never tried before go first.
std::optional<AvahiMdns::PeerIt> AvahiMdns::nextWaiting(bool freshOnly)
{
    std::optional<PeerIt> best;
    for (auto it = peers_.begin(); it != peers_.end(); ++it) {
        const Peer& p = it->second;
        if (p.admitted || p.links.empty() || (freshOnly && p.tried))
            continue;
        if (!best || (p.tried != (*best)->second.tried ? !p.tried : p.order < (*best)->second.order))
            best = it;
    }
    return best;
}

// The tracked peer to push out for a fresh name: a useless one, the one that
// has held its slot longest.
std::optional<AvahiMdns::PeerIt> AvahiMdns::mostUseless()
{
    std::optional<PeerIt> worst;
    for (auto it = peers_.begin(); it != peers_.end(); ++it) {
        const Peer& p = it->second;
        if (p.admitted && p.useless && (!worst || p.order < (*worst)->second.order))
            worst = it;
    }
    return worst;
}

void AvahiMdns::admit(PeerIt it)
{
    Peer& peer = it->second;
    peer.admitted = true;
    peer.useless = false;
    peer.stage = Stage::Ipv4;
    peer.retryAt.reset();
    resolve(it->first, peer);
}

void AvahiMdns::evict(PeerIt it)
{
    Peer& peer = it->second;
    if (peer.queued)
        dequeue(it->first);
    peer.queued = false;
    if (peer.resolver)
        avahi_service_resolver_free(peer.resolver);
    peer.resolver = nullptr;
    peer.monitoring = false;
    peer.admitted = false;
    peer.tried = true;
    peer.useless = false;
    peer.failure.clear();
    peer.retryDelayMs = 0;
    peer.retryAt.reset();
    peer.order = nextOrder_++; // to the back of the waiting list
    if (peer.reported) {
        peer.reported.reset();
        if (events_.peerLost)
            events_.peerLost(it->first);
    }
}

void AvahiMdns::dequeue(const std::string& name)
{
    resolveQueue_.erase(std::remove(resolveQueue_.begin(), resolveQueue_.end(), name), resolveQueue_.end());
}

void AvahiMdns::settle()
{
    // Free slots go to the names that waited longest (fresh ones first).
    for (std::size_t admitted = admittedCount(); admitted < kMdnsMaxPeers; ++admitted) {
        auto next = nextWaiting(false);
        if (!next)
            break;
        admit(*next);
    }
    // A fresh name takes the slot of a peer that proved useless; each fresh
    // name does so at most once (it is then tried, win or lose).
    for (;;) {
        auto fresh = nextWaiting(true);
        if (!fresh)
            break;
        auto useless = mostUseless();
        if (!useless)
            break;
        evict(*useless);
        admit(*fresh);
    }
    const bool waiting = nextWaiting(false).has_value();
    if (waiting && !fullReported_)
        problem("mDNS: more than " + std::to_string(kMdnsMaxPeers) + " " + kMeshServiceType
                + " services on the network; the others wait for a free slot");
    fullReported_ = waiting;
    if (peers_.size() < kMdnsMaxPeers + kMdnsMaxWaiting)
        ignoringReported_ = false;
    armResolveTimer(); // evictions may have cancelled the earliest retry

    // Lookups beyond kMdnsMaxResolving wait their turn.
    while (!resolveQueue_.empty() && inFlight() < kMdnsMaxResolving) {
        const std::string name = resolveQueue_.front();
        resolveQueue_.pop_front();
        auto it = peers_.find(name);
        if (it == peers_.end() || !it->second.queued)
            continue;
        it->second.queued = false;
        if (it->second.admitted && !it->second.resolver)
            startResolve(name, it->second);
    }
}

} // namespace atmo::mdns_detail
