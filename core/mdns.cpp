// Avahi client on an AvahiThreadedPoll. Everything that touches Avahi objects
// runs either on the poll's thread (callbacks, which Avahi calls with the
// poll's lock held) or under avahi_threaded_poll_lock() from the caller's
// thread. The lock is not recursive, so a thread-local marks "inside one of
// this object's callbacks" and public calls made from there skip it.
#include "core/mdns.h"

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/domain.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
#include <avahi-common/thread-watch.h>
#include <avahi-common/timeval.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace atmo {

namespace {

thread_local const void* tlInCallbackOf = nullptr;

// Marks the current thread as running a callback of `self` for its lifetime.
class InCallback {
public:
    explicit InCallback(const void* self) : previous_(tlInCallbackOf) { tlInCallbackOf = self; }
    ~InCallback() { tlInCallbackOf = previous_; }
    InCallback(const InCallback&) = delete;
    InCallback& operator=(const InCallback&) = delete;

private:
    const void* previous_;
};

// Without the daemon there is nothing to wait for on the bus; retry this often.
constexpr unsigned kReconnectMs = 2000;
// RFC 6763 allows at most 255 bytes per TXT string.
constexpr std::size_t kTxtStringMax = 255;
// Bounds the rename loop when every alternative name is also taken locally.
constexpr int kMaxRenames = 50;

std::string avahiError(int code) { return avahi_strerror(code); }

std::string lower(std::string s)
{
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string trimmed(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> splitCapabilities(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string::npos)
            comma = text.size();
        auto item = trimmed(text.substr(start, comma - start));
        if (!item.empty())
            out.push_back(std::move(item));
        start = comma + 1;
    }
    return out;
}

std::string joinCapabilities(const std::vector<std::string>& caps)
{
    std::string s;
    for (const auto& c : caps) {
        if (!s.empty())
            s += ',';
        s += c;
    }
    return s;
}

bool samePeer(const MdnsPeer& a, const MdnsPeer& b)
{
    return a.instanceName == b.instanceName && a.host == b.host && a.address == b.address
        && a.port == b.port && a.nodeId == b.nodeId && a.meshId == b.meshId
        && a.capabilities == b.capabilities && a.interfaceIndex == b.interfaceIndex;
}

// Owns an AvahiStringList.
struct Txt {
    AvahiStringList* list = nullptr;
    Txt() = default;
    Txt(const Txt&) = delete;
    Txt& operator=(const Txt&) = delete;
    ~Txt() { avahi_string_list_free(list); }
};

class AvahiMdns final : public Mdns {
public:
    explicit AvahiMdns(MdnsEvents events) : events_(std::move(events)) {}
    ~AvahiMdns() override;

    Status open();
    Status advertise(const MdnsAdvert& advert) override;
    void withdraw() override;
    Status browse(const std::string& ownNodeId) override;

private:
    // Takes the poll's lock unless this thread is inside one of our callbacks
    // (where Avahi already holds it) or the poll thread is not running yet.
    class Lock {
    public:
        explicit Lock(AvahiMdns& m)
            : poll_(tlInCallbackOf == &m || !m.pollRunning_ ? nullptr : m.poll_)
        {
            if (poll_)
                avahi_threaded_poll_lock(poll_);
        }
        ~Lock()
        {
            if (poll_)
                avahi_threaded_poll_unlock(poll_);
        }
        Lock(const Lock&) = delete;
        Lock& operator=(const Lock&) = delete;

    private:
        AvahiThreadedPoll* poll_;
    };

    struct Link {
        AvahiIfIndex iface;
        AvahiProtocol proto;
        auto operator<=>(const Link&) const = default;
    };
    struct Peer {
        std::string domain;
        std::set<Link> links;           // where the browser sees the service
        AvahiServiceResolver* resolver = nullptr;
        Link resolving{};
        bool anyAddressFamily = false;  // IPv4 was asked for and not found
        std::optional<MdnsPeer> reported;
    };

    static void onClient(AvahiClient* c, AvahiClientState state, void* self);
    static void onGroup(AvahiEntryGroup* g, AvahiEntryGroupState state, void* self);
    static void onBrowse(AvahiServiceBrowser* b, AvahiIfIndex iface, AvahiProtocol proto,
                         AvahiBrowserEvent event, const char* name, const char* type,
                         const char* domain, AvahiLookupResultFlags flags, void* self);
    static void onResolve(AvahiServiceResolver* r, AvahiIfIndex iface, AvahiProtocol proto,
                          AvahiResolverEvent event, const char* name, const char* type,
                          const char* domain, const char* host, const AvahiAddress* address,
                          std::uint16_t port, AvahiStringList* txt, AvahiLookupResultFlags flags,
                          void* self);
    static void onRetry(AvahiTimeout* t, void* self);

    void clientChanged(AvahiClient* c, AvahiClientState state);
    void groupChanged(AvahiEntryGroup* g, AvahiEntryGroupState state);
    void browsed(AvahiIfIndex iface, AvahiProtocol proto, AvahiBrowserEvent event,
                 const char* name, const char* domain);
    void resolved(AvahiServiceResolver* r, AvahiIfIndex iface, AvahiResolverEvent event,
                  const char* name, const char* host, const AvahiAddress* address,
                  std::uint16_t port, AvahiStringList* txt);

    void connectionLost(AvahiClient* c);
    void reconnect();
    Status publish();
    Status buildTxt(const MdnsAdvert& advert, Txt& txt) const;
    Status startBrowser();
    void resolve(const std::string& name, Peer& peer);
    void lose(std::map<std::string, Peer>::iterator it);
    void loseAll();
    void problem(const std::string& message);

    MdnsEvents events_;
    AvahiThreadedPoll* poll_ = nullptr;
    bool pollRunning_ = false;
    AvahiClient* client_ = nullptr;
    bool running_ = false;              // client in AVAHI_CLIENT_S_RUNNING
    AvahiEntryGroup* group_ = nullptr;
    AvahiServiceBrowser* browser_ = nullptr;
    AvahiTimeout* retry_ = nullptr;
    std::optional<MdnsAdvert> advert_;  // what should be published
    std::string name_;                  // the name in use (after collisions)
    bool browsing_ = false;
    std::string ownNodeId_;
    std::map<std::string, Peer> peers_;
};

AvahiMdns::~AvahiMdns()
{
    if (tlInCallbackOf == this) {
        // Joining Avahi's thread from itself would hang forever; say why instead.
        std::fputs("atmo::Mdns destroyed from inside one of its own events\n", stderr);
        std::abort();
    }
    // After stop() returns Avahi's thread is gone: no event can run any more,
    // and the objects below are ours alone.
    if (pollRunning_)
        avahi_threaded_poll_stop(poll_);
    pollRunning_ = false;
    if (retry_)
        avahi_threaded_poll_get(poll_)->timeout_free(retry_);
    // Frees the entry group, browser and resolvers too; the daemon withdraws
    // our service (with goodbye packets) when our connection closes.
    if (client_)
        avahi_client_free(client_);
    if (poll_)
        avahi_threaded_poll_free(poll_);
}

Status AvahiMdns::open()
{
    poll_ = avahi_threaded_poll_new();
    if (!poll_)
        return fail("mDNS: cannot create Avahi's event loop (out of memory)");
    int error = 0;
    // Without AVAHI_CLIENT_NO_FAIL, so that a missing daemon is an error the
    // caller sees now; reconnects later use NO_FAIL and wait for it instead.
    client_ = avahi_client_new(avahi_threaded_poll_get(poll_), AvahiClientFlags(0), &AvahiMdns::onClient,
                               this, &error);
    if (!client_) {
        if (error == AVAHI_ERR_NO_DAEMON)
            return fail("mDNS: avahi-daemon is not running (" + avahiError(error) + ")");
        return fail("mDNS: cannot connect to avahi-daemon (" + avahiError(error) + ")");
    }
    if (avahi_threaded_poll_start(poll_) < 0)
        return fail("mDNS: cannot start Avahi's event thread");
    pollRunning_ = true;
    return {};
}

void AvahiMdns::problem(const std::string& message)
{
    if (events_.problem)
        events_.problem(message);
}

// --- callbacks (Avahi's thread, lock held) ---------------------------------

void AvahiMdns::onClient(AvahiClient* c, AvahiClientState state, void* self)
{
    InCallback in(self);
    static_cast<AvahiMdns*>(self)->clientChanged(c, state);
}

void AvahiMdns::onGroup(AvahiEntryGroup* g, AvahiEntryGroupState state, void* self)
{
    InCallback in(self);
    static_cast<AvahiMdns*>(self)->groupChanged(g, state);
}

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

void AvahiMdns::onRetry(AvahiTimeout* t, void* self)
{
    InCallback in(self);
    auto* m = static_cast<AvahiMdns*>(self);
    avahi_threaded_poll_get(m->poll_)->timeout_free(t);
    m->retry_ = nullptr;
    m->reconnect();
}

void AvahiMdns::clientChanged(AvahiClient* c, AvahiClientState state)
{
    // The first call comes from inside avahi_client_new(), before client_ is set.
    client_ = c;
    running_ = state == AVAHI_CLIENT_S_RUNNING;
    switch (state) {
    case AVAHI_CLIENT_S_RUNNING:
        if (advert_) {
            if (auto st = publish(); !st)
                problem(st.message());
        }
        if (browsing_ && !browser_) {
            if (auto st = startBrowser(); !st)
                problem(st.message());
        }
        break;
    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
        // The daemon is (re)registering its host name; our records name the
        // host, so they are withdrawn and added again once it is running.
        if (group_)
            avahi_entry_group_reset(group_);
        break;
    case AVAHI_CLIENT_FAILURE:
        connectionLost(c);
        break;
    case AVAHI_CLIENT_CONNECTING:
        break;
    }
}

void AvahiMdns::connectionLost(AvahiClient* c)
{
    problem("mDNS: lost the connection to avahi-daemon (" + avahiError(avahi_client_errno(c))
            + "); reconnecting");
    loseAll();
    // Freeing the client frees its group, browser and resolvers. Avahi's own
    // avahi-browse does this from inside this callback.
    avahi_client_free(c);
    client_ = nullptr;
    group_ = nullptr;
    browser_ = nullptr;
    running_ = false;
    reconnect();
}

void AvahiMdns::reconnect()
{
    int error = 0;
    // NO_FAIL: while the daemon is away the client waits on the bus for it to
    // come back (AVAHI_CLIENT_CONNECTING); it fails only without a bus at all.
    AvahiClient* c = avahi_client_new(avahi_threaded_poll_get(poll_), AVAHI_CLIENT_NO_FAIL,
                                      &AvahiMdns::onClient, this, &error);
    if (c) {
        client_ = c;
        return;
    }
    struct timeval tv;
    retry_ = avahi_threaded_poll_get(poll_)->timeout_new(avahi_threaded_poll_get(poll_),
                                                         avahi_elapse_time(&tv, kReconnectMs, 0),
                                                         &AvahiMdns::onRetry, this);
}

void AvahiMdns::groupChanged(AvahiEntryGroup* g, AvahiEntryGroupState state)
{
    group_ = g; // the first call can come from inside avahi_entry_group_new()
    switch (state) {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
        if (events_.advertised)
            events_.advertised(name_);
        break;
    case AVAHI_ENTRY_GROUP_COLLISION: {
        // Someone else on the network already uses this name: pick the next
        // one ("name #2") as RFC 6762 says, and publish again.
        char* next = avahi_alternative_service_name(name_.c_str());
        const std::string taken = name_;
        name_ = next;
        avahi_free(next);
        problem("mDNS: the service name '" + taken + "' is taken on the network; advertising as '"
                + name_ + "'");
        if (auto st = publish(); !st)
            problem(st.message());
        break;
    }
    case AVAHI_ENTRY_GROUP_FAILURE:
        problem("mDNS: publishing '" + name_ + "' failed ("
                + avahiError(avahi_client_errno(avahi_entry_group_get_client(g))) + ")");
        break;
    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
        break;
    }
}

void AvahiMdns::browsed(AvahiIfIndex iface, AvahiProtocol proto, AvahiBrowserEvent event,
                        const char* name, const char* domain)
{
    switch (event) {
    case AVAHI_BROWSER_NEW: {
        auto& peer = peers_[name];
        peer.domain = domain ? domain : "";
        peer.links.insert({iface, proto});
        if (!peer.resolver)
            resolve(name, peer);
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
            resolve(name, peer);
        }
        break;
    }
    case AVAHI_BROWSER_FAILURE:
        problem("mDNS: browsing for " + std::string(kMeshServiceType) + " failed ("
                + avahiError(avahi_client_errno(client_)) + ")");
        if (browser_)
            avahi_service_browser_free(browser_);
        browser_ = nullptr;
        break;
    case AVAHI_BROWSER_ALL_FOR_NOW:
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
        break;
    }
}

void AvahiMdns::resolved(AvahiServiceResolver* r, AvahiIfIndex iface, AvahiResolverEvent event,
                         const char* name, const char* host, const AvahiAddress* address,
                         std::uint16_t port, AvahiStringList* txt)
{
    auto it = peers_.find(name);
    if (it == peers_.end() || it->second.resolver != r)
        return; // a resolver we have already let go of
    Peer& peer = it->second;

    if (event == AVAHI_RESOLVER_FAILURE) {
        const int error = avahi_client_errno(client_);
        avahi_service_resolver_free(r);
        peer.resolver = nullptr;
        if (!peer.anyAddressFamily) {
            // Asked for IPv4 first; an IPv6-only peer still counts.
            peer.anyAddressFamily = true;
            resolve(name, peer);
        } else {
            problem("mDNS: cannot resolve peer '" + std::string(name) + "' (" + avahiError(error) + ")");
        }
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
    for (AvahiStringList* l = txt; l; l = avahi_string_list_get_next(l)) {
        char* key = nullptr;
        char* value = nullptr;
        std::size_t size = 0;
        if (avahi_string_list_get_pair(l, &key, &value, &size) < 0)
            continue;
        const std::string k = lower(key);
        const std::string v = value ? std::string(value, size) : std::string();
        avahi_free(key);
        avahi_free(value);
        if (k == "node_id")
            p.nodeId = v;
        else if (k == "mesh_id")
            p.meshId = v;
        else if (k == "capabilities")
            p.capabilities = splitCapabilities(v);
    }

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

// --- helpers (lock held) -----------------------------------------------------

void AvahiMdns::resolve(const std::string& name, Peer& peer)
{
    if (peer.links.empty() || !client_)
        return;
    // Prefer a link seen over IPv4: its address is what most peers connect to.
    Link link = *peer.links.begin();
    for (const auto& l : peer.links)
        if (l.proto == AVAHI_PROTO_INET)
            link = l;
    peer.resolving = link;
    const AvahiProtocol want = peer.anyAddressFamily ? AVAHI_PROTO_UNSPEC : AVAHI_PROTO_INET;
    peer.resolver = avahi_service_resolver_new(client_, link.iface, link.proto, name.c_str(),
                                               kMeshServiceType, peer.domain.c_str(), want,
                                               AvahiLookupFlags(0), &AvahiMdns::onResolve, this);
    if (!peer.resolver)
        problem("mDNS: cannot resolve peer '" + name + "' ("
                + avahiError(avahi_client_errno(client_)) + ")");
}

void AvahiMdns::lose(std::map<std::string, Peer>::iterator it)
{
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
}

Status AvahiMdns::buildTxt(const MdnsAdvert& advert, Txt& txt) const
{
    const std::pair<const char*, std::string> records[] = {
        {"node_id", advert.nodeId},
        {"mesh_id", advert.meshId},
        {"capabilities", joinCapabilities(advert.capabilities)},
    };
    // avahi_string_list_add prepends; add in reverse so the wire order is ours.
    for (auto r = std::rbegin(records); r != std::rend(records); ++r) {
        if (std::string(r->first).size() + 1 + r->second.size() > kTxtStringMax)
            return fail("mDNS: TXT record " + std::string(r->first) + " is longer than 255 bytes");
        txt.list = avahi_string_list_add_pair_arbitrary(
            txt.list, r->first, reinterpret_cast<const std::uint8_t*>(r->second.data()), r->second.size());
    }
    return {};
}

Status AvahiMdns::publish()
{
    if (!advert_ || !client_ || !running_)
        return {}; // done when the client reaches AVAHI_CLIENT_S_RUNNING
    if (!group_) {
        group_ = avahi_entry_group_new(client_, &AvahiMdns::onGroup, this);
        if (!group_)
            return fail("mDNS: cannot create an entry group ("
                        + avahiError(avahi_client_errno(client_)) + ")");
    } else {
        avahi_entry_group_reset(group_);
    }
    Txt txt;
    if (auto st = buildTxt(*advert_, txt); !st)
        return st;
    for (int renames = 0;; ++renames) {
        const int r = avahi_entry_group_add_service_strlst(
            group_, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, AvahiPublishFlags(0), name_.c_str(),
            kMeshServiceType, nullptr, nullptr, advert_->port, txt.list);
        if (r == AVAHI_ERR_COLLISION && renames < kMaxRenames) {
            // Taken by another client of the same daemon: caught here, before
            // anything reaches the network.
            char* next = avahi_alternative_service_name(name_.c_str());
            const std::string taken = name_;
            name_ = next;
            avahi_free(next);
            problem("mDNS: the service name '" + taken + "' is taken on this host; advertising as '"
                    + name_ + "'");
            continue;
        }
        if (r < 0)
            return fail("mDNS: cannot advertise '" + name_ + "' (" + avahiError(r) + ")");
        break;
    }
    if (const int r = avahi_entry_group_commit(group_); r < 0)
        return fail("mDNS: cannot advertise '" + name_ + "' (" + avahiError(r) + ")");
    return {};
}

Status AvahiMdns::startBrowser()
{
    if (!client_ || !running_ || browser_)
        return {};
    browser_ = avahi_service_browser_new(client_, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, kMeshServiceType,
                                         nullptr, AvahiLookupFlags(0), &AvahiMdns::onBrowse, this);
    if (!browser_)
        return fail("mDNS: cannot browse for " + std::string(kMeshServiceType) + " ("
                    + avahiError(avahi_client_errno(client_)) + ")");
    return {};
}

// --- public API (caller's thread) -------------------------------------------

Status AvahiMdns::advertise(const MdnsAdvert& in)
{
    MdnsAdvert advert = in;
    if (advert.nodeId.empty())
        return fail("mDNS: cannot advertise without a node_id");
    if (advert.port == 0)
        return fail("mDNS: cannot advertise port 0");
    if (advert.instanceName.empty())
        advert.instanceName = "atmosphere-" + advert.nodeId.substr(0, 8);
    if (advert.instanceName.size() >= AVAHI_LABEL_MAX
        || !avahi_is_valid_service_name(advert.instanceName.c_str()))
        return fail("mDNS: instance name '" + advert.instanceName
                    + "' is not a valid service name (1 to 63 bytes)");
    for (const auto& c : advert.capabilities)
        if (c.find(',') != std::string::npos)
            return fail("mDNS: capability '" + c + "' contains a comma");
    {
        Txt check;
        if (auto st = buildTxt(advert, check); !st)
            return st;
    }

    Lock lock(*this);
    const bool sameService = advert_ && advert_->instanceName == advert.instanceName
        && advert_->port == advert.port;
    if (sameService && group_ && running_ && !avahi_entry_group_is_empty(group_)) {
        // Only the TXT data changed: update it in place, without probing the
        // name again (and without peers seeing us vanish and come back).
        advert_ = advert;
        Txt txt;
        (void)buildTxt(advert, txt);
        const int r = avahi_entry_group_update_service_txt_strlst(
            group_, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, AvahiPublishFlags(0), name_.c_str(),
            kMeshServiceType, nullptr, txt.list);
        if (r < 0)
            return fail("mDNS: cannot update the TXT records of '" + name_ + "' (" + avahiError(r) + ")");
        return {};
    }
    if (!sameService)
        name_ = advert.instanceName;
    advert_ = advert;
    return publish();
}

void AvahiMdns::withdraw()
{
    Lock lock(*this);
    advert_.reset();
    if (group_)
        avahi_entry_group_reset(group_);
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
                if (events_.peerLost)
                    events_.peerLost(it->first);
            }
    return startBrowser();
}

} // namespace

Result<std::unique_ptr<Mdns>> Mdns::start(MdnsEvents events)
{
    auto mdns = std::make_unique<AvahiMdns>(std::move(events));
    if (auto st = mdns->open(); !st)
        return st.error();
    return std::unique_ptr<Mdns>(std::move(mdns));
}

} // namespace atmo
