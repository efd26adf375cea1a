#include "MeshDiscovery.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <iostream>

#include "app/mesh/MdnsService.h"

namespace cli {

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

void addDiscoveryOptions(QCommandLineParser& parser)
{
    parser.addOption({"peer", "Ask this peer directly (http://host:port); repeatable.", "url"});
    parser.addOption({"wait", "Seconds to listen for peers on mDNS (default 3).", "seconds", "3"});
    parser.addOption({"no-mdns", "Do not look for peers on mDNS; ask only --peer addresses."});
}

DiscoveryOutcome discoverPeers(const Context& ctx, const QCommandLineParser& parser, PeerDirectory& directory)
{
    DiscoveryOutcome outcome;
    bool waitOk = false;
    const double waitSeconds = parser.value("wait").toDouble(&waitOk);
    if (!waitOk || waitSeconds < 0 || waitSeconds > 3600) {
        ctx.usage("--wait: \"" + parser.value("wait") + "\" is not a number of seconds between 0 and 3600");
        return outcome;
    }
    QString ownNodeId;
    if (auto id = ctx.home().nodeId())
        ownNodeId = q(*id);
    directory.setOwnNodeId(ownNodeId);

    const QStringList named = parser.values("peer");
    for (const QString& url : named) {
        QString error;
        if (!directory.addPeer(url, atmo::PeerOrigin::Manual, {}, {}, &error)) {
            ctx.usage(error);
            return outcome;
        }
    }

    MdnsService mdns;
    const bool useMdns = !parser.isSet("no-mdns");
    if (useMdns) {
        if (mdns.start() && mdns.browse(ownNodeId)) {
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
        } else if (named.isEmpty()) {
            std::cerr << "atmosphere: " << s(mdns.error())
                      << " (ask a peer directly with --peer http://host:port)\n";
            outcome.exitCode = Failed;
            return outcome;
        } else {
            std::cerr << "atmosphere: note: " << s(mdns.error()) << "; asking only --peer addresses\n";
        }
    }

    // Listen for the whole --wait when browsing; then let every fetch that is
    // under way finish (each has its own time limit).
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    const qint64 listenMs = (useMdns && mdns.running()) ? static_cast<qint64>(waitSeconds * 1000) : 0;
    QTimer tick;
    tick.setInterval(50);
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (clock.elapsed() >= listenMs && !directory.busy())
            loop.quit();
    });
    tick.start();
    loop.exec();

    for (const QString& url : named) {
        QString endpoint = url.trimmed();
        while (endpoint.endsWith('/'))
            endpoint.chop(1);
        const int row = directory.rowOf(endpoint);
        if (row >= 0 && !directory.peer(row).fetched) {
            std::cerr << "atmosphere: " << s(endpoint) << ": " << s(directory.peer(row).error) << "\n";
            outcome.exitCode = Failed;
        }
    }
    outcome.ok = true;
    return outcome;
}

} // namespace cli
