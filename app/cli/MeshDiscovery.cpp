#include "MeshDiscovery.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QMap>
#include <QTimer>

#include <iostream>

#include "app/mesh/MdnsService.h"
#include "core/mesh/remembered_peers.h"

namespace cli {

namespace {

// How the look-around went, for "not found" messages.
struct Looked {
    bool mdnsRan = false;
    QString mdnsProblem; // why mDNS was not asked ("" when it ran)
    double waitSeconds = 0;
};

std::optional<double> waitSeconds(const Context& ctx, const QCommandLineParser& parser)
{
    bool ok = false;
    const double seconds = parser.value("wait").toDouble(&ok);
    if (!ok || seconds < 0 || seconds > 3600) {
        ctx.usage("--wait: \"" + parser.value("wait") + "\" is not a number of seconds between 0 and 3600");
        return std::nullopt;
    }
    return seconds;
}

atmo::RememberedPeers loadRemembered(const Context& ctx)
{
    atmo::RememberedPeers store(ctx.home().rememberedPeersFile());
    store.load();
    if (!store.warning().empty())
        std::cerr << "atmosphere: warning: " << store.warning() << "\n";
    return store;
}

void remember(atmo::RememberedPeers& store, const PeerDirectory& directory)
{
    bool any = false;
    for (int row = 0; row < directory.peerCount(); ++row) {
        const PeerState& p = directory.peer(row);
        if (!p.resolved || !p.fetched || !p.lastSeen.isValid())
            continue;
        store.reached({s(p.nodeId), s(p.nodeName), s(p.endpoint), p.lastSeen.toMSecsSinceEpoch(), false});
        any = true;
    }
    if (!any)
        return;
    if (auto st = store.save(); !st)
        std::cerr << "atmosphere: note: cannot remember peers: " << st.message() << "\n";
}

// Lists as unresolved the services mDNS has seen but not resolved yet: a
// peer without any address (the mesh's Python discovery registers none)
// takes Avahi's 5 s resolve timeout before it is reported unresolved, and
// should not be missing from a shorter wait.
void addStillResolving(const MdnsService& mdns, double wait, PeerDirectory& directory)
{
    for (const MdnsPeerInfo& p : mdns.pending()) {
        bool listed = false;
        for (int row = 0; row < directory.peerCount() && !listed; ++row)
            listed = directory.peer(row).origin == atmo::PeerOrigin::Mdns && directory.peer(row).name == p.instanceName;
        if (!listed)
            directory.addUnresolved(p.instanceName, p.nodeId,
                                    "mDNS: peer '" + p.instanceName + "' has no address yet (still resolving when the "
                                        + QString::number(wait) + " s wait ended; a longer --wait may tell more)");
    }
}

// Browses mDNS (unless useMdns is false) for `wait` seconds and asks every
// remembered peer, beside what `directory` already holds; then lets every
// fetch under way finish (each has its own time limit).
Looked look(double wait, bool useMdns, const atmo::RememberedPeers& remembered, const QString& ownNodeId,
            PeerDirectory& directory)
{
    Looked looked;
    looked.waitSeconds = wait;
    for (const auto& r : remembered.peers())
        directory.addPeer(q(r.endpoint), atmo::PeerOrigin::Remembered, q(r.nodeName), q(r.nodeId));

    MdnsService mdns;
    if (!useMdns) {
        looked.mdnsProblem = QStringLiteral("--no-mdns");
    } else if (mdns.start() && mdns.browse(ownNodeId)) {
        looked.mdnsRan = true;
        QObject::connect(&mdns, &MdnsService::peerFound, &directory, [&directory](const MdnsPeerInfo& p) {
            directory.addPeer(p.endpoint(), atmo::PeerOrigin::Mdns, p.instanceName, p.nodeId);
        });
        QObject::connect(&mdns, &MdnsService::peerUnresolved, &directory,
                         [&directory](const MdnsPeerInfo& p, const QString& reason) {
                             directory.addUnresolved(p.instanceName, p.nodeId, reason);
                         });
        QObject::connect(&mdns, &MdnsService::peerLost, &directory, &PeerDirectory::mdnsPeerLost);
        QObject::connect(&mdns, &MdnsService::problem, &directory, [](const QString& message) {
            std::cerr << "atmosphere: note: " << s(message) << "\n";
        });
    } else {
        looked.mdnsProblem = mdns.error();
    }

    // A remembered peer may be long gone (another subnet, switched off): it
    // gets kRememberedGraceMs past the listening time, not its whole
    // request time limit, unless something else is still under way.
    constexpr qint64 kRememberedGraceMs = 3000;
    auto onlyRememberedPending = [&directory] {
        for (int row = 0; row < directory.peerCount(); ++row) {
            const PeerState& p = directory.peer(row);
            if (p.resolved && !p.fetched && p.error.isEmpty() && p.origin != atmo::PeerOrigin::Remembered)
                return false;
        }
        return true;
    };
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    const qint64 listenMs = looked.mdnsRan ? static_cast<qint64>(wait * 1000) : 0;
    QTimer tick;
    tick.setInterval(50);
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        const qint64 elapsed = clock.elapsed();
        if (elapsed >= listenMs &&
            (!directory.busy() || (elapsed >= listenMs + kRememberedGraceMs && onlyRememberedPending()))) {
            if (looked.mdnsRan)
                addStillResolving(mdns, wait, directory);
            loop.quit();
        }
    });
    tick.start();
    loop.exec();
    return looked;
}

QString lookedWhere(const Looked& looked)
{
    if (looked.mdnsRan)
        return "looked for " + QString::number(looked.waitSeconds) + " s on mDNS and in remembered peers";
    return "looked in remembered peers; mDNS not asked: " + looked.mdnsProblem;
}

bool sameText(const QString& a, const QString& b) { return !a.isEmpty() && a.compare(b, Qt::CaseInsensitive) == 0; }

// The endpoint a node name or id stands for among the directory's peers.
// Peers sharing a node id are one node; when several nodes match, the ones
// that answered decide, and more than one is ambiguous.
std::optional<QString> matchPeer(const Context& ctx, const PeerDirectory& directory, const QString& token,
                                 const QString& option, const Looked& looked, int& exitCode)
{
    QMap<QString, int> nodes; // node key -> best row
    for (int row = 0; row < directory.peerCount(); ++row) {
        const PeerState& p = directory.peer(row);
        if (!sameText(p.nodeId, token) && !sameText(p.nodeName, token) && !sameText(p.name, token))
            continue;
        const QString key = !p.nodeId.isEmpty() ? p.nodeId : p.resolved ? p.endpoint : "mdns:" + p.name;
        auto score = [&directory](int r) {
            const PeerState& x = directory.peer(r);
            return (x.resolved ? 2 : 0) + (x.reachable ? 4 : 0) + (x.origin != atmo::PeerOrigin::Remembered ? 1 : 0);
        };
        if (!nodes.contains(key) || score(row) > score(nodes[key]))
            nodes[key] = row;
    }
    QList<int> answered, all = nodes.values();
    for (int row : all)
        if (directory.peer(row).resolved && directory.peer(row).reachable)
            answered.append(row);
    const QList<int> candidates = answered.size() >= 1 ? answered : all;
    if (candidates.isEmpty()) {
        exitCode = ctx.fail("no peer named " + token + " (" + lookedWhere(looked) + ")");
        return std::nullopt;
    }
    if (candidates.size() > 1) {
        QStringList which;
        for (int row : candidates) {
            const PeerState& p = directory.peer(row);
            which.append((p.nodeId.isEmpty() ? QString() : "node " + p.nodeId + " at ") + peerLabel(p));
        }
        exitCode = ctx.usage(option + " " + token + ": " + QString::number(candidates.size()) +
                             " peers have that name: " + which.join(", ") + "; name one by node id or address");
        return std::nullopt;
    }
    const PeerState& p = directory.peer(candidates.front());
    if (!p.resolved) {
        exitCode = ctx.fail(token + ": seen on mDNS, but its address could not be resolved (" + p.error + ")");
        return std::nullopt;
    }
    return p.endpoint;
}

QString normalized(const QString& endpoint)
{
    QString e = endpoint.trimmed();
    while (e.endsWith('/'))
        e.chop(1);
    return e;
}

} // namespace

bool isPeerAddress(const QString& value) { return value.contains(QStringLiteral("://")); }

QString peerLabel(const PeerState& peer)
{
    if (!peer.endpoint.isEmpty())
        return peer.endpoint;
    if (!peer.name.isEmpty())
        return peer.name;
    if (!peer.nodeId.isEmpty())
        return "node " + peer.nodeId;
    return QStringLiteral("an unnamed mDNS peer");
}

void addLookupOptions(QCommandLineParser& parser)
{
    parser.addOption({"wait", "Seconds to listen for peers on mDNS (default 3).", "seconds", "3"});
    parser.addOption({"no-mdns", "Do not look for peers on mDNS; ask only the peers named and the remembered ones."});
}

void addDiscoveryOptions(QCommandLineParser& parser)
{
    parser.addOption({"peer", "Ask this peer too: http://host:port, a node name or a node id; repeatable.", "peer"});
    addLookupOptions(parser);
}

DiscoveryOutcome discoverPeers(const Context& ctx, const QCommandLineParser& parser, PeerDirectory& directory,
                               const QString& nobodyToAsk, const QString& otherWay)
{
    DiscoveryOutcome outcome;
    const auto wait = waitSeconds(ctx, parser);
    if (!wait)
        return outcome;
    QString ownNodeId;
    if (auto id = ctx.home().nodeId())
        ownNodeId = q(*id);
    directory.setOwnNodeId(ownNodeId);

    const QStringList named = parser.values("peer");
    QStringList names;
    for (const QString& value : named) {
        if (!isPeerAddress(value)) {
            names.append(value.trimmed());
            continue;
        }
        QString error;
        if (!directory.addPeer(value, atmo::PeerOrigin::Manual, {}, {}, &error)) {
            ctx.usage(error);
            return outcome;
        }
    }

    atmo::RememberedPeers remembered = loadRemembered(ctx);
    const bool useMdns = !parser.isSet("no-mdns");
    if (!useMdns && named.isEmpty() && remembered.peers().empty() && !nobodyToAsk.isEmpty()) {
        ctx.usage(nobodyToAsk);
        return outcome;
    }
    const Looked looked = look(*wait, useMdns, remembered, ownNodeId, directory);
    if (useMdns && !looked.mdnsRan) {
        if (named.isEmpty() && remembered.peers().empty() && !otherWay.isEmpty()) {
            std::cerr << "atmosphere: note: " << s(looked.mdnsProblem) << "; " << s(otherWay) << "\n";
            outcome.ok = true;
            return outcome;
        }
        if (named.isEmpty() && remembered.peers().empty()) {
            std::cerr << "atmosphere: " << s(looked.mdnsProblem)
                      << " (ask a peer directly with --peer http://host:port)\n";
            outcome.exitCode = Failed;
            return outcome;
        }
        std::cerr << "atmosphere: note: " << s(looked.mdnsProblem) << "; asking only the peers named and remembered\n";
    }
    remember(remembered, directory);

    QStringList endpoints;
    for (const QString& value : named)
        if (isPeerAddress(value))
            endpoints.append(normalized(value));
    for (const QString& name : names) {
        int code = Ok;
        const auto endpoint = matchPeer(ctx, directory, name, "--peer", looked, code);
        if (!endpoint) {
            outcome.exitCode = code;
            return outcome;
        }
        endpoints.append(*endpoint);
    }
    for (const QString& endpoint : endpoints) {
        const int row = directory.rowOf(endpoint);
        if (row >= 0 && !directory.peer(row).fetched) {
            std::cerr << "atmosphere: " << s(endpoint) << ": " << s(directory.peer(row).error) << "\n";
            outcome.exitCode = Failed;
        }
    }
    outcome.ok = true;
    return outcome;
}

std::optional<QStringList> resolvePeers(const Context& ctx, const QCommandLineParser& parser, const QStringList& values,
                                        const QString& option, int& exitCode)
{
    QStringList endpoints;
    bool anyName = false;
    for (const QString& value : values) {
        if (!isPeerAddress(value)) {
            anyName = true;
            continue;
        }
        const QString endpoint = normalized(value);
        if (!atmo::isValidPeerEndpoint(s(endpoint))) {
            exitCode = ctx.usage(option + ": " + value + ": not a peer address (expected http://host:port)");
            return std::nullopt;
        }
    }
    if (!anyName) {
        for (const QString& value : values)
            endpoints.append(normalized(value));
        return endpoints;
    }
    const auto wait = waitSeconds(ctx, parser);
    if (!wait) {
        exitCode = Usage;
        return std::nullopt;
    }
    PeerDirectory directory;
    QString ownNodeId;
    if (auto id = ctx.home().nodeId())
        ownNodeId = q(*id);
    directory.setOwnNodeId(ownNodeId);
    atmo::RememberedPeers remembered = loadRemembered(ctx);
    const Looked looked = look(*wait, !parser.isSet("no-mdns"), remembered, ownNodeId, directory);
    remember(remembered, directory);
    for (const QString& value : values) {
        if (isPeerAddress(value)) {
            endpoints.append(normalized(value));
            continue;
        }
        const auto endpoint = matchPeer(ctx, directory, value.trimmed(), option, looked, exitCode);
        if (!endpoint)
            return std::nullopt;
        endpoints.append(*endpoint);
    }
    return endpoints;
}

void rememberReached(const Context& ctx, const PeerDirectory& directory)
{
    atmo::RememberedPeers store = loadRemembered(ctx);
    remember(store, directory);
}

} // namespace cli
