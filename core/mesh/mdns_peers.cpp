// Browsing for `_atmosphere._tcp` and resolving what is found, with the
// retries of unresolved peers (see core/mesh/mdns_avahi.h for the threading).
// How many are tracked and resolved at once is mdns_bounds.cpp's business.
#include "core/mesh/mdns_avahi.h"
#include "core/mesh/mdns_txt.h"

#include <avahi-common/malloc.h>
#include <avahi-common/timeval.h>

#include <algorithm>

namespace atmo::mdns_detail {

namespace {

// An unresolved peer is resolved again after 5 s, then 10, 20, 40, and every
// 60 s while it is browsed.
constexpr unsigned kResolveRetryFirstMs = 5000;
constexpr unsigned kResolveRetryMaxMs = 60000;
// A browser that failed is asked for again after 2 s, then 4, 8 ... 60 s.
constexpr unsigned kBrowseRetryFirstMs = 2000;
constexpr unsigned kBrowseRetryMaxMs = 60000;

bool samePeer(const MdnsPeer& a, const MdnsPeer& b)
{
    return a.instanceName == b.instanceName && a.host == b.host && a.address == b.address
        && a.port == b.port && a.nodeId == b.nodeId && a.meshId == b.meshId
        && a.capabilities == b.capabilities && a.interfaceIndex == b.interfaceIndex
        && a.resolved == b.resolved;
}

// The TXT strings exactly as received, in list order.
std::vector<std::string> txtRecords(AvahiStringList* txt)
{
    std::vector<std::string> records;
    for (AvahiStringList* l = txt; l; l = avahi_string_list_get_next(l))
        records.emplace_back(reinterpret_cast<const char*>(avahi_string_list_get_text(l)),
                             avahi_string_list_get_size(l));
    return records;
}

} // namespace

void AvahiMdns::onBrowse(AvahiServiceBrowser*, AvahiIfIndex iface, AvahiProtocol proto,
                         AvahiBrowserEvent event, const char* name, const char*,
                         const char* domain, AvahiLookupResultFlags, void* self)
{
    InCallback in(self);
    static_cast<AvahiMdns*>(self)->browsed(iface, proto, event, name, domain);
}

void AvahiMdns::onResolve(AvahiServiceResolver* r, AvahiIfIndex iface, AvahiProtocol,
                          AvahiResolverEvent event, const char* name, const char*, const char*,
                          const char* host, const AvahiAddress* address, std::uint16_t port,
                          AvahiStringList* txt, AvahiLookupResultFlags, void* self)
{
    InCallback in(self);
    static_cast<AvahiMdns*>(self)->resolved(r, iface, event, name, host, address, port, txt);
}

void AvahiMdns::onResolveTimer(AvahiTimeout*, void* self)
{
    InCallback in(self);
    static_cast<AvahiMdns*>(self)->retryDue();
}

void AvahiMdns::onBrowseTimer(AvahiTimeout*, void* self)
{
    InCallback in(self);
    static_cast<AvahiMdns*>(self)->startBrowser();
}

void AvahiMdns::browsed(AvahiIfIndex iface, AvahiProtocol proto, AvahiBrowserEvent event,
                        const char* nameIn, const char* domain)
{
    // The browser owns nameIn, and the FAILURE case frees the browser.
    const std::string name = nameIn ? nameIn : "";
    switch (event) {
    case AVAHI_BROWSER_NEW: {
        browseRetryMs_ = 0; // the browser works
        if (name.empty())
            break;
        auto it = peers_.find(name);
        if (it == peers_.end()) {
            if (peers_.size() >= kMdnsMaxPeers + kMdnsMaxWaiting) {
                if (!ignoringReported_)
                    problem("mDNS: more than " + std::to_string(kMdnsMaxPeers + kMdnsMaxWaiting) + " "
                            + kMeshServiceType + " services on the network; ignoring the others");
                ignoringReported_ = true;
                break;
            }
            it = peers_.emplace(name, Peer{}).first;
            it->second.order = nextOrder_++; // settle() below admits it, or it waits
        }
        Peer& peer = it->second;
        peer.domain = domain ? domain : "";
        peer.links.insert({iface, proto});
        if (peer.admitted && !peer.resolver && !peer.queued) {
            // New, or seen again on another link while waiting for a retry:
            // try now, from the start (the back-off step is kept).
            peer.stage = Stage::Ipv4;
            peer.retryAt.reset();
            resolve(name, peer);
        }
        break;
    }
    case AVAHI_BROWSER_REMOVE: {
        auto it = peers_.find(name);
        if (it == peers_.end())
            break;
        Peer& peer = it->second;
        const Link gone{iface, proto};
        peer.links.erase(gone);
        if (peer.links.empty()) {
            lose(it);
        } else if (peer.resolver && peer.resolving == gone) {
            avahi_service_resolver_free(peer.resolver);
            peer.resolver = nullptr;
            peer.monitoring = false;
            resolve(name, peer);
        }
        break;
    }
    case AVAHI_BROWSER_FAILURE:
        browserFailed("mDNS: browsing for " + std::string(kMeshServiceType) + " failed ("
                      + avahiError(avahi_client_errno(client_)) + ")");
        break;
    case AVAHI_BROWSER_ALL_FOR_NOW:
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
        browseRetryMs_ = 0;
        break;
    }
    settle();
}

void AvahiMdns::resolved(AvahiServiceResolver* r, AvahiIfIndex iface, AvahiResolverEvent event,
                         const char* nameIn, const char* host, const AvahiAddress* address,
                         std::uint16_t port, AvahiStringList* txt)
{
    // nameIn, host and txt belong to the resolver: copied here, since the
    // resolver may be freed below and its name is needed after that.
    const std::string name = nameIn ? nameIn : "";
    auto it = peers_.find(name);
    if (it == peers_.end() || it->second.resolver != r)
        return; // a resolver we have already let go of
    Peer& peer = it->second;

    if (event == AVAHI_RESOLVER_FAILURE) {
        const std::string error = avahiError(avahi_client_errno(client_));
        avahi_service_resolver_free(r);
        peer.resolver = nullptr;
        peer.monitoring = false;
        resolveFailed(name, peer, error);
        settle();
        return;
    }

    MdnsPeer p;
    p.instanceName = name;
    p.host = host ? host : "";
    if (address) {
        char text[AVAHI_ADDRESS_STR_MAX];
        avahi_address_snprint(text, sizeof text, address);
        p.address = text;
    }
    p.port = port;
    p.interfaceIndex = iface;
    MdnsTxt decoded = decodeMdnsTxt(txtRecords(txt));
    p.nodeId = std::move(decoded.nodeId);
    p.meshId = std::move(decoded.meshId);
    p.capabilities = std::move(decoded.capabilities);

    if (!address) {
        // The TXT-only lookup after the address lookups failed.
        avahi_service_resolver_free(r);
        peer.resolver = nullptr;
        p.resolved = false;
        unresolved(name, peer, std::move(p));
        settle();
        return;
    }
    // Resolved: the resolver stays and reports changes (no longer a lookup
    // in flight). Should it have to be made again (its link went away), that
    // starts from the beginning.
    peer.monitoring = true;
    peer.stage = Stage::Ipv4;
    peer.failure.clear();
    peer.retryDelayMs = 0;
    peer.retryAt.reset();
    report(name, peer, std::move(p));
    settle();
}

void AvahiMdns::resolveFailed(const std::string& name, Peer& peer, const std::string& error)
{
    switch (peer.stage) {
    case Stage::Ipv4:
        peer.failure = error;
        peer.stage = Stage::AnyFamily;
        resolve(name, peer);
        return;
    case Stage::AnyFamily:
        // No address at all (the mesh's Python discovery publishes none):
        // learn at least what its TXT records say, for the report.
        peer.failure = error;
        peer.stage = Stage::TxtOnly;
        resolve(name, peer);
        return;
    case Stage::TxtOnly: {
        MdnsPeer p;
        p.instanceName = name;
        p.resolved = false;
        unresolved(name, peer, std::move(p));
        return;
    }
    }
}

void AvahiMdns::unresolved(const std::string& name, Peer& peer, MdnsPeer p)
{
    peer.useless = true;
    scheduleRetry(peer);
    if (!ownNodeId_.empty() && p.nodeId == ownNodeId_) {
        report(name, peer, std::move(p)); // drops it as ourselves
        return;
    }
    if (peer.reported && samePeer(*peer.reported, p))
        return;
    peer.reported = p;
    if (events_.peerUnresolved)
        events_.peerUnresolved(p, "mDNS: cannot resolve peer '" + name + "' ("
                                      + (peer.failure.empty() ? std::string("no address") : peer.failure) + ")");
}

void AvahiMdns::report(const std::string& name, Peer& peer, MdnsPeer p)
{
    peer.useless = !p.resolved || p.nodeId.empty() || (!ownNodeId_.empty() && p.nodeId == ownNodeId_);
    if (!ownNodeId_.empty() && p.nodeId == ownNodeId_) {
        // Ourselves (or another instance of this node): never a peer. If the
        // name was a peer before (it changed its TXT), it is one no longer.
        if (peer.reported) {
            peer.reported.reset();
            if (events_.peerLost)
                events_.peerLost(name);
        }
        return;
    }
    if (peer.reported && samePeer(*peer.reported, p))
        return;
    peer.reported = p;
    if (events_.peerFound)
        events_.peerFound(p);
}

void AvahiMdns::scheduleRetry(Peer& peer)
{
    peer.retryDelayMs = peer.retryDelayMs == 0 ? kResolveRetryFirstMs
                                               : std::min(peer.retryDelayMs * 2, kResolveRetryMaxMs);
    peer.retryAt = SteadyClock::now() + std::chrono::milliseconds(peer.retryDelayMs);
    peer.stage = Stage::Ipv4;
    armResolveTimer();
}

void AvahiMdns::armResolveTimer()
{
    std::optional<SteadyClock::time_point> next;
    for (const auto& [name, peer] : peers_)
        if (peer.retryAt && (!next || *peer.retryAt < *next))
            next = peer.retryAt;
    const AvahiPoll* api = avahi_threaded_poll_get(poll_);
    if (!next) {
        if (resolveTimer_)
            api->timeout_update(resolveTimer_, nullptr);
        return;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*next - SteadyClock::now()).count();
    struct timeval tv;
    avahi_elapse_time(&tv, static_cast<unsigned>(std::max<long long>(0, ms)), 0);
    if (resolveTimer_)
        api->timeout_update(resolveTimer_, &tv);
    else
        resolveTimer_ = api->timeout_new(api, &tv, &AvahiMdns::onResolveTimer, this);
}

void AvahiMdns::retryDue()
{
    const auto now = SteadyClock::now();
    // resolve() may report events, but never adds or removes a peer.
    for (auto& [name, peer] : peers_) {
        if (!peer.retryAt || *peer.retryAt > now)
            continue;
        peer.retryAt.reset();
        if (peer.admitted && !peer.resolver && !peer.queued) {
            peer.stage = Stage::Ipv4;
            resolve(name, peer);
        }
    }
    armResolveTimer();
    settle();
}

void AvahiMdns::resolve(const std::string& name, Peer& peer)
{
    if (peer.links.empty() || !client_ || !peer.admitted)
        return;
    if (inFlight() >= kMdnsMaxResolving) {
        if (!peer.queued) {
            peer.queued = true;
            resolveQueue_.push_back(name);
        }
        return;
    }
    startResolve(name, peer);
}

void AvahiMdns::startResolve(const std::string& name, Peer& peer)
{
    if (peer.links.empty() || !client_)
        return;
    // Prefer a link seen over IPv4: its address is what most peers connect to.
    Link link = *peer.links.begin();
    for (const auto& l : peer.links)
        if (l.proto == AVAHI_PROTO_INET)
            link = l;
    peer.resolving = link;
    const AvahiProtocol want = peer.stage == Stage::Ipv4 ? AVAHI_PROTO_INET : AVAHI_PROTO_UNSPEC;
    const auto flags = peer.stage == Stage::TxtOnly ? AVAHI_LOOKUP_NO_ADDRESS : AvahiLookupFlags(0);
    peer.resolver = avahi_service_resolver_new(client_, link.iface, link.proto, name.c_str(),
                                               kMeshServiceType, peer.domain.c_str(), want, flags,
                                               &AvahiMdns::onResolve, this);
    if (!peer.resolver) {
        // The daemon refused (out of resources, say): unresolved for now,
        // tried again later like any other.
        peer.failure = avahiError(avahi_client_errno(client_));
        MdnsPeer p;
        p.instanceName = name;
        p.resolved = false;
        unresolved(name, peer, std::move(p));
    }
}

void AvahiMdns::lose(std::map<std::string, Peer>::iterator it)
{
    if (it->second.queued)
        dequeue(it->first);
    if (it->second.resolver)
        avahi_service_resolver_free(it->second.resolver);
    const bool wasReported = it->second.reported.has_value();
    const std::string name = it->first;
    peers_.erase(it);
    if (wasReported && events_.peerLost)
        events_.peerLost(name);
}

void AvahiMdns::loseAll()
{
    while (!peers_.empty())
        lose(peers_.begin());
    resolveQueue_.clear();
    fullReported_ = false;
    ignoringReported_ = false;
}

void AvahiMdns::startBrowser()
{
    if (!browsing_ || !client_ || !running_ || browser_)
        return; // not wanted yet, or done when the client is running again
    browser_ = avahi_service_browser_new(client_, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, kMeshServiceType,
                                         nullptr, AvahiLookupFlags(0), &AvahiMdns::onBrowse, this);
    if (!browser_)
        browserFailed("mDNS: cannot browse for " + std::string(kMeshServiceType) + " ("
                      + avahiError(avahi_client_errno(client_)) + ")");
}

void AvahiMdns::browserFailed(const std::string& message)
{
    // Without a browser nothing tells us when a peer leaves: every peer is
    // lost now, and the next browser finds again those still there.
    if (browser_)
        avahi_service_browser_free(browser_);
    browser_ = nullptr;
    loseAll();
    browseRetryMs_ = browseRetryMs_ == 0 ? kBrowseRetryFirstMs : std::min(browseRetryMs_ * 2, kBrowseRetryMaxMs);
    problem(message + "; trying again in " + std::to_string(browseRetryMs_ / 1000) + " s");
    const AvahiPoll* api = avahi_threaded_poll_get(poll_);
    struct timeval tv;
    avahi_elapse_time(&tv, browseRetryMs_, 0);
    if (browseTimer_)
        api->timeout_update(browseTimer_, &tv);
    else
        browseTimer_ = api->timeout_new(api, &tv, &AvahiMdns::onBrowseTimer, this);
}

Status AvahiMdns::browse(const std::string& ownNodeId)
{
    Lock lock(*this);
    ownNodeId_ = ownNodeId;
    browsing_ = true;
    if (!ownNodeId_.empty())
        for (auto it = peers_.begin(); it != peers_.end(); ++it)
            if (it->second.reported && it->second.reported->nodeId == ownNodeId_) {
                it->second.reported.reset();
                it->second.useless = true;
                if (events_.peerLost)
                    events_.peerLost(it->first);
            }
    startBrowser();
    settle();
    return {};
}

std::vector<MdnsPeer> AvahiMdns::pending()
{
    Lock lock(*this);
    std::vector<MdnsPeer> list;
    // Not yet reported, and not found useless: a peer found to be ourselves
    // is useless without ever having been reported.
    for (const auto& [name, peer] : peers_)
        if (peer.admitted && !peer.reported && !peer.useless && !peer.links.empty()) {
            MdnsPeer p;
            p.instanceName = name;
            p.resolved = false;
            list.push_back(std::move(p));
        }
    return list;
}

} // namespace atmo::mdns_detail
