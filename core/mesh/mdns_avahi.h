// Internal to core/mesh/mdns.cpp and core/mesh/mdns_peers.cpp: the Avahi client behind
// atmo::Mdns, on an AvahiThreadedPoll. Everything that touches Avahi objects
// runs either on the poll's thread (callbacks, which Avahi calls with the
// poll's lock held) or under avahi_threaded_poll_lock() from the caller's
// thread. The lock is not recursive, so a thread-local marks "inside one of
// this object's callbacks" and public calls made from there skip it.
//
// Every pointer an Avahi callback receives (names, host, TXT) belongs to the
// object that called it: what outlives the call is copied into std::strings
// first, before anything may free that object.
//
// mdns.cpp: the connection, its life and death, and publishing our service.
// mdns_peers.cpp: browsing, resolving and retrying peers.
#pragma once

#include "core/mesh/mdns.h"

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-client/publish.h>
#include <avahi-common/error.h>
#include <avahi-common/strlst.h>
#include <avahi-common/thread-watch.h>

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace atmo::mdns_detail {

extern thread_local const void* tlInCallbackOf;

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

using SteadyClock = std::chrono::steady_clock;

inline std::string avahiError(int code) { return avahi_strerror(code); }

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
    std::vector<MdnsPeer> pending() override;

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
    // What the next resolve asks for: an IPv4 address first (what most
    // peers connect to), then any address (an IPv6-only peer still counts),
    // then no address at all, only to learn what an unresolvable peer's TXT
    // records say.
    enum class Stage { Ipv4, AnyFamily, TxtOnly };
    struct Peer {
        std::string domain;
        std::set<Link> links;           // where the browser sees the service
        AvahiServiceResolver* resolver = nullptr;
        Link resolving{};
        Stage stage = Stage::Ipv4;
        std::string failure;            // why the last address lookup failed
        unsigned retryDelayMs = 0;      // the last back-off step; 0 = none yet
        std::optional<SteadyClock::time_point> retryAt;
        std::optional<MdnsPeer> reported; // found, or unresolved (resolved == false)
        bool admitted = false;          // holds one of the kMdnsMaxPeers slots
        bool tried = false;             // gave its slot up as useless before
        bool useless = false;           // unresolvable, no node_id, or ourselves
        bool queued = false;            // in resolveQueue_, waiting for a lookup slot
        bool monitoring = false;        // resolver has answered and stays for changes
        std::uint64_t order = 0;        // when it (last) began to wait
    };
    using PeerIt = std::map<std::string, Peer>::iterator;

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
    static void onResolveTimer(AvahiTimeout* t, void* self);
    static void onBrowseTimer(AvahiTimeout* t, void* self);

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
    void startBrowser();
    void browserFailed(const std::string& message);
    std::size_t inFlight() const;
    std::size_t admittedCount() const;
    std::optional<PeerIt> nextWaiting(bool freshOnly);
    std::optional<PeerIt> mostUseless();
    void admit(PeerIt it);
    void evict(PeerIt it);
    void settle();
    void dequeue(const std::string& name);
    void resolve(const std::string& name, Peer& peer);
    void startResolve(const std::string& name, Peer& peer);
    void resolveFailed(const std::string& name, Peer& peer, const std::string& error);
    void unresolved(const std::string& name, Peer& peer, MdnsPeer p);
    void report(const std::string& name, Peer& peer, MdnsPeer p);
    void scheduleRetry(Peer& peer);
    void armResolveTimer();
    void retryDue();
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
    AvahiTimeout* retry_ = nullptr;          // reconnecting to the daemon
    AvahiTimeout* resolveTimer_ = nullptr;   // the next unresolved peer's retry
    AvahiTimeout* browseTimer_ = nullptr;    // asking for a browser again
    unsigned browseRetryMs_ = 0;             // its back-off step; 0 = none yet
    std::optional<MdnsAdvert> advert_;  // what should be published
    std::string name_;                  // the name in use (after collisions)
    bool browsing_ = false;
    std::string ownNodeId_;
    std::map<std::string, Peer> peers_;   // tracked (admitted) and waiting
    std::deque<std::string> resolveQueue_; // admitted peers waiting for a lookup slot
    std::uint64_t nextOrder_ = 0;
    bool fullReported_ = false;            // "waiting for a slot" said
    bool ignoringReported_ = false;        // "ignoring names" said
};

} // namespace atmo::mdns_detail
