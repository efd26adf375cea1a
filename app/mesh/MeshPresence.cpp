#include "app/mesh/MeshPresence.h"

#include <QLocale>
#include <QHostAddress>

#include "app/Executors.h"
#include "app/Settings.h"
#include "app/mesh/DownloadManager.h"
#include "app/mesh/LlamaFarmApi.h"
#include "app/mesh/MeshNode.h"
#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerServer.h"
#include "app/relay/RelayPresence.h"
#include "core/package/station_home.h"

MeshPresence::MeshPresence(atmo::StationHome home, QObject* parent)
    : QObject(parent),
      home_(std::move(home)),
      directory_(std::make_unique<PeerDirectory>()),
      server_(std::make_unique<PeerServer>()),
      node_(std::make_unique<MeshNode>(*server_, *directory_))
{
    connect(node_.get(), &MeshNode::statusChanged, this, &MeshPresence::statusChanged);
    connect(&watcher_, &QFutureWatcher<void>::finished, this, &MeshPresence::scanFinished);
}

MeshPresence::~MeshPresence()
{
    cancel_.cancel();
    watcher_.waitForFinished();
    node_.reset();
}

MeshPresence::Options MeshPresence::fromSettings(const Settings& settings)
{
    Options o;
    o.serve = settings.meshServe();
    o.bind = settings.meshBind();
    o.port = settings.meshPort();
    o.mdns = settings.meshMdns();
    o.peers = settings.meshPeers();
    return o;
}

void MeshPresence::start(const Options& options)
{
    options_ = options;
    const atmo::StationHome& home = home_;
    if (auto st = home.ensure(); !st)
        serverError_ = QString::fromStdString(st.message());
    const auto nodeId = home.nodeId();
    cache_ = std::make_shared<atmo::HashCache>(home.cacheDir() / "model-hashes.json");

    PeerServer::Config config;
    config.enabled = options.serve;
    config.port = static_cast<quint16>(options.port);
    if (!options.bind.isEmpty())
        config.address = QHostAddress(options.bind);
    QString error;
    if (!server_->configure(config, &error))
        serverError_ = error;
    server_->setHashCache(cache_);
    if (downloads_)
        downloads_->setHashCache(cache_);
    server_->setPackageStore(QString::fromStdString(home.storeIndex().string()));
    PeerServer::Identity identity;
    identity.nodeId = nodeId ? QString::fromStdString(*nodeId) : QString();
    identity.name = QString::fromStdString(home.nodeName(nodeId ? *nodeId : std::string()));
    identity.meshId = QString::fromStdString(home.meshId());
    server_->setIdentity(identity);

    MeshNode::Identity nodeIdentity;
    nodeIdentity.nodeId = identity.nodeId;
    nodeIdentity.name = identity.name;
    nodeIdentity.meshId = identity.meshId;
    node_->setRememberedPeersFile(QString::fromStdString(home.rememberedPeersFile().string()));
    node_->start(nodeIdentity, options.mdns);
    // Peers added by hand live in peers.json (remembered at once, with
    // when each last answered); the settings' older list moves there.
    for (const QString& peer : options.peers)
        node_->rememberByHand(peer);
    node_->listRememberedPeers();
    for (const QString& peer : options.peers)
        directory_->addPeer(peer, atmo::PeerOrigin::Manual);
    started_ = true;
    rescanLibrary();
    emit statusChanged();
}

void MeshPresence::attachRelay(RelayPresence* relay)
{
    if (relay_)
        relay_->disconnect(directory_.get());
    relay_ = relay;
    if (!relay)
        return;
    connect(relay, &RelayPresence::relayCatalog, directory_.get(), &PeerDirectory::addRelayCatalog);
    connect(relay, &RelayPresence::relayPeerLeft, directory_.get(), &PeerDirectory::relayPeerLeft);
    connect(relay, &RelayPresence::relayLinkDown, directory_.get(), &PeerDirectory::relayLost);
    if (started_)
        rescanLibrary(); // so it learns what to offer
}

void MeshPresence::attachDownloads(DownloadManager* downloads)
{
    if (downloads_)
        downloads_->disconnect(this);
    downloads_ = downloads;
    if (!downloads)
        return;
    connect(downloads, &DownloadManager::libraryChanged, this, &MeshPresence::rescanLibrary);
    if (cache_)
        downloads->setHashCache(cache_);
    if (started_)
        rescanLibrary(); // so it learns what the library has
}

QStringList MeshPresence::peersAddedByHand() const
{
    QStringList list;
    for (int row = 0; row < directory_->peerCount(); ++row)
        if (directory_->peer(row).origin == atmo::PeerOrigin::Manual)
            list << directory_->peer(row).endpoint;
    return list;
}

void MeshPresence::rescanLibrary()
{
    if (!started_)
        return; // start() scans (a download can land before the presence started)
    if (watcher_.isRunning()) {
        rescanWanted_ = true;
        return;
    }
    std::vector<atmo::LibraryRoot> roots = options_.roots;
    const bool defaults = roots.empty(); // the default library includes LlamaFarm's API, as the bridge's
    if (defaults)
        roots = atmo::defaultLibraryRoots(home_.root());
    auto result = std::make_shared<std::optional<atmo::Result<atmo::LibraryScan>>>();
    scan_ = result;
    auto cache = cache_;
    auto cancel = cancel_;
    // The scan waits on the core's pool, so it runs on a Qt pool thread:
    // the hashing one, never where download writes or the drive poll run.
    watcher_.setFuture(Executors::hashing([result, roots, cache, cancel, defaults] {
        result->emplace(atmo::scanLibrary(roots, *cache, nullptr, cancel));
        if (defaults && result->value().ok())
            mergeLlamaFarmModels(*result->value(), scanLlamaFarmApi(llamaFarmUrl(), *cache, cancel));
    }));
    emit statusChanged();
}

void MeshPresence::scanFinished()
{
    if (scan_ && scan_->has_value()) {
        auto& r = **scan_;
        if (r.ok()) {
            problems_.clear();
            for (const auto& p : r->problems)
                problems_ << QString::fromStdString(p);
            const int count = static_cast<int>(r->models.size());
            if (downloads_)
                downloads_->setLibrary(r->models);
            if (relay_)
                relay_->setModels(r->models, server_->advertisedUrl());
            server_->setModels(std::move(r->models));
            emit libraryScanned(count, problems_);
        } else if (!cancel_.cancelled()) {
            problems_ = {tr("model library: %1").arg(QString::fromStdString(r.message()))};
            emit libraryScanned(0, problems_);
        }
    }
    scan_.reset();
    emit statusChanged();
    if (rescanWanted_) {
        rescanWanted_ = false;
        rescanLibrary();
    }
}

QString MeshPresence::statusText() const
{
    if (!started_)
        return {};
    QStringList parts;
    if (server_->isListening()) {
        // The addresses a colleague can use; bound to every address that is
        // each LAN address, never "0.0.0.0".
        const QStringList urls = server_->reachableUrls();
        const QString where = urls.isEmpty()
                                  ? tr("this computer only (http://127.0.0.1:%1; no network connection)").arg(server_->port())
                                  : QLocale().createSeparatedList(urls);
        if (scanning())
            parts << tr("Serving on %1; looking for models in the library…").arg(where);
        else
            parts << tr("Serving %n model(s) on %1.", nullptr, static_cast<int>(server_->modelCount())).arg(where);
    } else if (serverError_.isEmpty()) {
        parts << tr("Serving is switched off (Settings).");
    }
    if (node_->mdnsActive() && !node_->advertisedName().isEmpty())
        parts << tr("Advertised on mDNS as %1.").arg(node_->advertisedName());
    else if (!options_.mdns)
        parts << tr("mDNS is switched off: peers add this station by its address.");
    if (!problems_.isEmpty())
        parts << tr("%n library file(s) skipped.", nullptr, static_cast<int>(problems_.size()));
    return parts.join(QLatin1Char(' '));
}

QString MeshPresence::warningText() const
{
    if (!started_)
        return {};
    if (!serverError_.isEmpty())
        return tr("This station is not serving: its port cannot be opened. Choose another port or address in "
                  "Settings.");
    if (options_.mdns && !node_->mdnsActive())
        return tr("Other stations cannot find this one by themselves: mDNS is not available. Start avahi-daemon "
                  "(systemctl start avahi-daemon), or give colleagues an address above to add by hand.");
    return {};
}

QString MeshPresence::warningDetail() const
{
    if (!serverError_.isEmpty())
        return serverError_;
    if (options_.mdns && !node_->mdnsActive())
        return node_->mdnsError();
    return {};
}
