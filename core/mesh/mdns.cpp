// atmo::Mdns on Avahi: the connection to the daemon (and getting it back when
// the daemon goes away), and publishing this node's service. Browsing and
// resolving peers is in mdns_peers.cpp; core/mesh/mdns_avahi.h has the class and
// its threading rules.
#include "core/mesh/mdns_avahi.h"

#include <avahi-common/alternative.h>
#include <avahi-common/domain.h>
#include <avahi-common/malloc.h>
#include <avahi-common/timeval.h>

#include <cstdio>
#include <cstdlib>

namespace atmo::mdns_detail {

thread_local const void* tlInCallbackOf = nullptr;

namespace {

// Without the daemon there is nothing to wait for on the bus; retry this often.
constexpr unsigned kReconnectMs = 2000;
// RFC 6763 allows at most 255 bytes per TXT string.
constexpr std::size_t kTxtStringMax = 255;
// Bounds the rename loop when every alternative name is also taken locally.
constexpr int kMaxRenames = 50;

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

} // namespace

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
    if (resolveTimer_)
        avahi_threaded_poll_get(poll_)->timeout_free(resolveTimer_);
    if (browseTimer_)
        avahi_threaded_poll_get(poll_)->timeout_free(browseTimer_);
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
        startBrowser();
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

// --- helpers (lock held) -----------------------------------------------------

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

} // namespace atmo::mdns_detail

namespace atmo {

Result<std::unique_ptr<Mdns>> Mdns::start(MdnsEvents events)
{
    auto mdns = std::make_unique<mdns_detail::AvahiMdns>(std::move(events));
    if (auto st = mdns->open(); !st)
        return st.error();
    return std::unique_ptr<Mdns>(std::move(mdns));
}

} // namespace atmo
