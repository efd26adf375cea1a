// atmosphere serve: the station's peer server, headless, until SIGINT/SIGTERM
// (then it stops cleanly and exits 0). Under systemd (installer/systemd/) it
// tells the service manager when it is ready and when it stops.
// Scans the model library (the default roots and any --models folders), then
// serves the models and the station's package store on the mesh HTTP API
// (docs/mesh-api.md). In a mesh on a relay (atmosphere mesh join|register) it
// stays joined and serves the same models through the relay too
// (app/relay/RelayModelServer.h).
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonObject>
#include <QTimer>

#include <iostream>
#include <memory>

#include <unistd.h>

#include "CliContext.h"
#include "Commands.h"
#include "ServiceNotify.h"

#include "app/mesh/LlamaFarmApi.h"
#include "app/mesh/MeshNode.h"
#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerServer.h"
#include "app/relay/RelayClient.h"
#include "app/relay/RelayModelServer.h"
#include "app/relay/RelayConfig.h"
#include "core/base/fs_util.h"
#include "core/mesh/model_library.h"
#include "core/base/node_name.h"
#include "core/package/package_store.h"
#include "core/relay/relay_membership.h"

namespace cli {

namespace {

std::optional<QHostAddress> parseBind(const QString& text)
{
    if (text == "localhost")
        return QHostAddress(QHostAddress::LocalHost);
    if (text == "any" || text == "*")
        return QHostAddress(QHostAddress::Any);
    QHostAddress a;
    if (!a.setAddress(text))
        return std::nullopt;
    return a;
}

} // namespace

int serve(const QStringList& args)
{
    Context ctx("serve", args);
    QCommandLineParser p;
    p.addOption({"port", "TCP port to listen on (default 14345; 0 picks a free one).", "port"});
    p.addOption({"bind", "Address to listen on (default: every address; also localhost).", "addr"});
    p.addOption({"models", "Also serve the models in this folder (repeatable).", "dir"});
    p.addOption({"name", "The station's node name for this run (default: the name set in the window's settings, "
                         "else the host name).", "name"});
    p.addOption({"no-mdns", "Do not advertise the station over mDNS."});
    p.addOption({"no-relay-caps", "Send models through the mesh's relay at full speed, not at the mesh's caps "
                                  "(none under 10 MB, 5 Mbps up to 500 MB, 2 Mbps above)."});
    p.addOption({"no-library-defaults",
                 "Serve only the --models folders, not the default library (Hugging Face cache, "
                 "LlamaFarm vision models, the station's downloads and installed packages)."});
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    // One access line per reply on stderr (app/mesh/AccessLog.h), which
    // journald keeps; QT_LOGGING_RULES still has the last word.
    enableLogRule(QStringLiteral("atmosphere.mesh.server.info=true"));

    PeerServer::Config config;
    if (p.isSet("port")) {
        bool ok = false;
        const uint port = p.value("port").toUInt(&ok);
        if (!ok || port > 65535)
            return ctx.usage(QString("--port: \"%1\" is not a port number (0 to 65535)").arg(p.value("port")));
        config.port = quint16(port);
    }
    if (p.isSet("bind")) {
        const auto a = parseBind(p.value("bind"));
        if (!a)
            return ctx.usage(QString("--bind: \"%1\" is not an IP address").arg(p.value("bind")));
        config.address = *a;
    }
    if (p.isSet("name")) {
        if (const std::string problem = atmo::nodeNameProblem(s(p.value("name"))); !problem.empty())
            return ctx.usage("--name: \"" + p.value("name") + "\" " + q(problem) +
                             " (a node name is 1 to 63 bytes, no control characters)");
    }
    std::vector<atmo::LibraryRoot> roots;
    const atmo::StationHome home = ctx.home();
    if (!p.isSet("no-library-defaults"))
        roots = atmo::defaultLibraryRoots(home.root());
    for (const QString& dir : p.values("models")) {
        const QFileInfo info(dir);
        if (!info.exists())
            return ctx.fail(QString("--models %1: no such folder").arg(dir));
        if (!info.isDir())
            return ctx.fail(QString("--models %1: not a folder").arg(dir));
        roots.push_back({atmo::LibraryRootKind::Folder, s(info.absoluteFilePath())});
    }

    if (auto ensured = home.ensure(); !ensured)
        return ctx.fail(ensured.error());
    const auto nodeId = home.nodeId();
    if (!nodeId)
        return ctx.fail(nodeId.error());

    // Listen before the scan, so a port in use fails at once, not after hashing.
    PeerServer server;
    QString error;
    if (!server.configure(config, &error))
        return ctx.fail(error);

    atmo::CancelToken cancel;
    installCancelOnSignal(cancel);
    auto cache = std::make_shared<atmo::HashCache>(home.cacheDir() / "model-hashes.json");
    atmo::Result<atmo::LibraryScan> scan = atmo::LibraryScan{};
    {
        TerminalProgress progress(!ctx.json() && isatty(STDERR_FILENO));
        scan = atmo::scanLibrary(roots, *cache, &progress, cancel);
        progress.done();
    }
    if (!scan)
        return ctx.fail(about("model library", scan.message()));
    if (!p.isSet("no-library-defaults")) // LlamaFarm's vision models, as the bridge reads them
        mergeLlamaFarmModels(*scan, scanLlamaFarmApi(llamaFarmUrl(), *cache, cancel));
    for (const std::string& problem : scan->problems)
        std::cerr << "atmosphere: skipped " << problem << "\n";
    if (scan->bytesHashed > 0)
        std::cerr << "atmosphere: hashed " << atmo::humanBytes(scan->bytesHashed) << " of new or changed models\n";

    const std::size_t modelCount = scan->models.size();
    std::vector<atmo::LocalModel> relayModels = scan->models; // the same models through the relay, if joined
    server.setModels(std::move(scan->models));
    server.setHashCache(cache);
    server.setPackageStore(q(home.storeIndex().string()));
    PeerServer::Identity identity;
    identity.nodeId = q(*nodeId);
    identity.name = p.isSet("name") ? p.value("name") : q(home.nodeName(*nodeId));
    identity.meshId = q(home.meshId());
    // A server bound to one address names it; bound to every address, each
    // client is told the address it reached us on.
    identity.httpEndpoint = server.advertisedUrl();
    server.setIdentity(identity);

    // Advertise on mDNS and learn peers (for /v1/peers). Without avahi-daemon
    // the station still serves; it says so once.
    PeerDirectory directory;
    MeshNode node(server, directory);
    node.setRememberedPeersFile(q(home.rememberedPeersFile().string()));
    MeshNode::Identity nodeIdentity;
    nodeIdentity.nodeId = identity.nodeId;
    nodeIdentity.name = identity.name;
    nodeIdentity.meshId = identity.meshId;
    // Avahi renames a taken instance name ("gateway-01 #2"): say so once per name.
    QString toldName = nodeIdentity.name;
    QObject::connect(&node, &MeshNode::statusChanged, &node, [&] {
        const QString advertised = node.advertisedName();
        if (!advertised.isEmpty() && advertised != toldName) {
            toldName = advertised;
            std::cerr << "atmosphere: note: mDNS: \"" << s(nodeIdentity.name) << "\" is taken on the network; advertised as \""
                      << s(advertised) << "\"\n";
        }
    });
    if (!node.start(nodeIdentity, !p.isSet("no-mdns")))
        std::cerr << "atmosphere: note: " << s(node.mdnsError()) << "; serving without mDNS\n";

    // Stay joined to the relay remembered by `atmosphere mesh join|register`
    // (none: LAN only). Every change of its state is one line on stderr.
    RelayClient relay;
    QString relayUrl;
    auto membership = atmo::loadRelayMembership(atmo::relayMembershipFile(home));
    if (!membership && membership.code() != atmo::ErrorCode::NotFound)
        std::cerr << "atmosphere: note: " << membership.message() << "; serving without the relay\n";
    if (membership) {
        QObject::connect(&relay, &RelayClient::stateChanged, &relay, [](RelayClient::State, const QString& message) {
            std::cerr << "atmosphere: " << s(message) << std::endl;
        });
        auto relayConfig = relayConfigFor(home, *membership, identity.name);
        QString relayError;
        if (!relayConfig)
            std::cerr << "atmosphere: note: " << relayConfig.message() << "; serving without the relay\n";
        else if (!relay.start(*relayConfig, &relayError))
            std::cerr << "atmosphere: note: " << s(relayError) << "; serving without the relay\n";
        else
            relayUrl = relay.url().toDisplayString();
    }
    // The models to the mesh's other networks: catalog gossip and
    // websocket_chunked transfers through the relay, one line per transfer.
    std::unique_ptr<RelayModelServer> relayServer;
    if (!relayUrl.isEmpty()) {
        RelayModelServer::Options relayOptions;
        if (p.isSet("no-relay-caps"))
            relayOptions.caps = atmo::RelayCaps::none();
        relayServer = std::make_unique<RelayModelServer>(
            &relay, RelayModelServer::Identity{identity.nodeId, identity.name, identity.httpEndpoint}, relayOptions);
        relayServer->setModels(std::move(relayModels));
        QObject::connect(relayServer.get(), &RelayModelServer::transferStarted, relayServer.get(),
                         [](const QString&, const QString& model, const QString& peer) {
                             std::cerr << "atmosphere: relay: sending " << s(model) << " to " << s(peer) << std::endl;
                         });
        QObject::connect(relayServer.get(), &RelayModelServer::transferEnded, relayServer.get(),
                         [](const QString&, const QString& model, const QString& peer, bool, const QString& how) {
                             std::cerr << "atmosphere: relay: " << s(model) << " to " << s(peer) << ": " << s(how)
                                       << std::endl;
                         });
    }

    if (ctx.json()) {
        QJsonObject ready{{"serving", true}, {"models", qint64(modelCount)}, {"url", server.url()}, {"port", server.port()},
                          {"node_name", identity.name}, {"node_id", identity.nodeId}};
        if (!relayUrl.isEmpty())
            ready["relay"] = relayUrl;
        ctx.printJson(ready);
    } else {
        ctx.print(QString("serving %1 %2 on %3").arg(modelCount).arg(modelCount == 1 ? "model" : "models").arg(server.url()) +
                  (relayUrl.isEmpty() ? QString() : "; staying joined to mesh " + q(membership->meshId) + " on relay " + relayUrl));
    }

    // Under systemd (Type=notify): ready once the port is open and the
    // library scanned, so units ordered after this one find it serving.
    notifyServiceManager("READY=1\nSTATUS=" + s(QString("serving %1 %2 on %3").arg(modelCount)
                                                    .arg(modelCount == 1 ? "model" : "models").arg(server.url())) +
                         "\nMAINPID=" + std::to_string(::getpid()));

    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (cancel.cancelled())
            QCoreApplication::quit();
    });
    poll.start(100);
    QCoreApplication::exec();
    notifyServiceManager("STOPPING=1\nSTATUS=stopping");
    relayServer.reset();
    relay.stop();
    server.configure({.enabled = false});
    if (!ctx.json())
        std::cerr << "atmosphere: stopped serving" << std::endl;
    return Ok;
}

} // namespace cli
