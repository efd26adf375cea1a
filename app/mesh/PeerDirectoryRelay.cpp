// PeerDirectory's side of the mesh's relay: nodes heard there, their
// gossiped catalogs, and which way a download reaches them (PeerDirectory.h).
#include "app/mesh/PeerDirectory.h"

#include "core/mesh/catalog_wire.h"

void PeerDirectory::addRelayCatalog(const QString& fromNodeId, const QByteArray& payload)
{
    if (fromNodeId.isEmpty() || (!ownNodeId_.isEmpty() && fromNodeId == ownNodeId_))
        return;
    auto parsed = atmo::parseCatalogMessage(std::string_view(payload.constData(), std::size_t(payload.size())));
    if (!parsed)
        return; // not a catalog (a transfer message, another node's chatter) or a malformed one
    atmo::CatalogMessage message = std::move(parsed.value());
    const std::string advertised = message.httpEndpoint;
    // The relay vouches for who sent it, not for what the payload claims.
    message.nodeId = fromNodeId.toStdString();
    relayNodes_.insert(fromNodeId);
    for (const auto& p : peers_)
        if (p.origin != atmo::PeerOrigin::Relay && p.nodeId == fromNodeId && p.reachable)
            return; // reached over HTTP: that catalog and that way stay
    const QString key = DownloadSource::relayKey(fromNodeId);
    PeerState* p = find(key);
    if (!p) {
        PeerState row;
        row.endpoint = key;
        row.nodeId = fromNodeId;
        row.origin = atmo::PeerOrigin::Relay;
        peers_.push_back(row);
        emit peerAdded(peerCount() - 1);
        p = &peers_.back();
    }
    message.httpEndpoint.clear(); // downloads go through the relay until HTTP answers from here
    catalog_.update(message, atmo::Clock::now());
    atmo::PeerQuality quality = catalog_.quality(message.nodeId);
    quality.directHttp = false;
    catalog_.setQuality(message.nodeId, quality);
    p->name = message.nodeName.empty() ? fromNodeId : QString::fromStdString(message.nodeName);
    p->nodeName = QString::fromStdString(message.nodeName);
    heardCatalog(*p, message);
    changed(key);
    emit catalogChanged();
    // The direct way first: the HTTP endpoint it advertises, if it answers from here.
    const QString http = QString::fromStdString(advertised);
    if (!http.isEmpty() && rowOf(http) < 0 && addPeer(http, atmo::PeerOrigin::ViaPeer, p->name, fromNodeId)) {
        if (PeerState* direct = find(http))
            direct->via = tr("the mesh's relay");
    }
}

void PeerDirectory::relayPeerLeft(const QString& nodeId)
{
    relayNodes_.remove(nodeId);
    removePeer(DownloadSource::relayKey(nodeId)); // its catalog goes with it
}

void PeerDirectory::relayLost()
{
    const QSet<QString> nodes = relayNodes_;
    for (const auto& node : nodes)
        relayPeerLeft(node);
}
