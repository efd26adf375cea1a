#include "app/mesh/MeshNode.h"

#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerServer.h"
#include "core/base/node_name.h"
#include "core/mesh/remembered_peers.h"

MeshNode::MeshNode(PeerServer& server, PeerDirectory& directory, QObject* parent)
    : QObject(parent), server_(server), directory_(directory)
{
    connect(&directory_, &PeerDirectory::peerAdded, this, &MeshNode::syncPeers);
    connect(&directory_, &PeerDirectory::peerChanged, this, &MeshNode::syncPeers);
    connect(&directory_, &PeerDirectory::peerRemoved, this, &MeshNode::syncPeers);
    connect(&server_, &PeerServer::listeningChanged, this, &MeshNode::serverChanged);
    // Remembering: batched, since catalogs refresh peer after peer.
    rememberTimer_.setSingleShot(true);
    rememberTimer_.setInterval(3000);
    connect(&rememberTimer_, &QTimer::timeout, this, &MeshNode::rememberPeers);
    connect(&directory_, &PeerDirectory::peerChanged, this, [this](int row) {
        if (!rememberedFile_.isEmpty() && directory_.peer(row).fetched && !rememberTimer_.isActive())
            rememberTimer_.start();
    });
    connect(&mdns_, &MdnsService::peerFound, this, [this](const MdnsPeerInfo& p) {
        directory_.addPeer(p.endpoint(), atmo::PeerOrigin::Mdns, p.instanceName, p.nodeId);
    });
    connect(&mdns_, &MdnsService::peerUnresolved, this, [this](const MdnsPeerInfo& p, const QString& reason) {
        directory_.addUnresolved(p.instanceName, p.nodeId, reason);
    });
    connect(&mdns_, &MdnsService::peerLost, &directory_, &PeerDirectory::mdnsPeerLost);
    connect(&mdns_, &MdnsService::advertised, this, [this](const QString& name) {
        advertised_ = name;
        emit statusChanged();
    });
    connect(&mdns_, &MdnsService::problem, this, [this](const QString& message) {
        mdnsError_ = message;
        emit statusChanged();
    });
}

MeshNode::~MeshNode()
{
    mdns_.withdraw();
}

void MeshNode::rememberPeers()
{
    if (rememberedFile_.isEmpty())
        return;
    atmo::RememberedPeers store(rememberedFile_.toStdString());
    store.load(); // a corrupt file starts over empty (moved aside)
    for (int row = 0; row < directory_.peerCount(); ++row) {
        const PeerState& p = directory_.peer(row);
        if (p.resolved && p.fetched && p.lastSeen.isValid())
            store.reached({p.nodeId.toStdString(), p.nodeName.toStdString(), p.endpoint.toStdString(),
                           p.lastSeen.toMSecsSinceEpoch(), false});
    }
    if (auto st = store.save(); !st)
        qWarning("cannot remember peers: %s", st.message().c_str());
}

void MeshNode::listRememberedPeers()
{
    if (rememberedFile_.isEmpty())
        return;
    atmo::RememberedPeers store(rememberedFile_.toStdString());
    store.load();
    if (!store.warning().empty())
        qWarning("%s", store.warning().c_str());
    for (const atmo::RememberedPeer& r : store.peers()) {
        const QString endpoint = QString::fromStdString(r.endpoint);
        if (!directory_.addPeer(endpoint, r.addedByHand ? atmo::PeerOrigin::Manual : atmo::PeerOrigin::Remembered,
                                QString::fromStdString(r.nodeName), QString::fromStdString(r.nodeId)))
            continue;
        if (r.lastReachableMs > 0)
            directory_.setLastSeen(endpoint, QDateTime::fromMSecsSinceEpoch(r.lastReachableMs, Qt::UTC));
    }
}

bool MeshNode::rememberByHand(const QString& endpoint, QString* error)
{
    if (rememberedFile_.isEmpty())
        return true;
    atmo::RememberedPeers store(rememberedFile_.toStdString());
    store.load();
    atmo::Status st = store.add(endpoint.toStdString());
    if (st)
        st = store.save();
    if (!st && error)
        *error = QString::fromStdString(st.message());
    return st.ok();
}

bool MeshNode::forget(const QString& endpoint, QString* error)
{
    // Out of the directory first, so the next batch of rememberPeers()
    // does not write it back.
    directory_.removePeer(endpoint);
    if (rememberedFile_.isEmpty())
        return true;
    atmo::RememberedPeers store(rememberedFile_.toStdString());
    store.load();
    if (!store.remove(endpoint.toStdString()))
        return true;
    const atmo::Status st = store.save();
    if (!st && error)
        *error = QString::fromStdString(st.message());
    return st.ok();
}

bool MeshNode::start(const Identity& identity, bool useMdns)
{
    identity_ = identity;
    directory_.setOwnNodeId(identity.nodeId);
    if (!useMdns) {
        if (advertising_)
            mdns_.withdraw();
        advertising_ = false;
        advertised_.clear();
        mdnsError_ = tr("switched off");
        emit statusChanged();
        return true;
    }
    if (mdns_.running()) { // started again, e.g. after a settings change: browsing goes on
        mdnsError_.clear();
        serverChanged();
        return true;
    }
    if (!mdns_.start() || !mdns_.browse(identity.nodeId)) {
        mdnsError_ = mdns_.error();
        emit statusChanged();
        return false;
    }
    mdnsError_.clear();
    serverChanged();
    return true;
}

void MeshNode::serverChanged()
{
    if (!mdns_.running())
        return;
    if (!server_.isListening()) {
        if (advertising_)
            mdns_.withdraw();
        advertising_ = false;
        advertised_.clear();
        emit statusChanged();
        return;
    }
    atmo::MdnsAdvert advert;
    // The node name (Avahi renames it on a collision: advertised() tells the
    // final one); without one, PROTOCOL.md's default.
    advert.instanceName = identity_.name.isEmpty() ? atmo::defaultInstanceName(identity_.nodeId.toStdString())
                                                   : identity_.name.toStdString();
    advert.port = server_.port();
    advert.nodeId = identity_.nodeId.toStdString();
    advert.meshId = identity_.meshId.toStdString();
    for (const QString& c : identity_.capabilities)
        advert.capabilities.push_back(c.toStdString());
    if (mdns_.advertise(advert)) {
        advertising_ = true;
        advertised_ = QString::fromStdString(advert.instanceName);
        mdnsError_.clear();
    } else {
        mdnsError_ = mdns_.error();
    }
    emit statusChanged();
}

void MeshNode::syncPeers()
{
    server_.setPeers(directory_.peerRecords());
}
