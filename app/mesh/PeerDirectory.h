// The peers this station knows and their merged catalog. Peers come from
// mDNS, are added by hand, or are learned from other peers' /v1/peers. For
// each one the directory measures latency (GET /health), fetches its catalog
// (GET /v1/catalog from stations; /v1/models from a model bridge, which has
// no /v1/catalog), refreshes it before its TTL runs out, and lets entries
// expire when a peer stays silent past its TTL. The merge and the ranking are
// core code (core/mesh/mesh_catalog.h); this class only does the networking.
#pragma once

#include <QDateTime>
#include <QHash>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QTimer>

#include <optional>
#include <vector>

#include "app/mesh/DownloadSpec.h"
#include "core/mesh/mesh_catalog.h"
#include "core/mesh/mesh_peer.h"

class QNetworkAccessManager;
class QNetworkReply;

struct PeerState {
    QString endpoint;          // "http://host:port", the key; "" when not resolved
    QString nodeId;            // from TXT or /v1/catalog; "" until known
    QString name;              // node name, mDNS instance or the endpoint
    QString nodeName;          // the node's own name (its catalog's node_name, or remembered); "" until known
    atmo::PeerOrigin origin = atmo::PeerOrigin::Manual;
    QString via;               // for ViaPeer: the endpoint that told us
    bool remembered = false;   // among this station's remembered peers (also when found otherwise now)
    bool reachable = false;
    bool fetched = false;      // at least one catalog arrived
    QString error;             // last failure, "" when fine
    std::optional<double> latencyMs;
    int models = 0;
    QDateTime lastSeen;        // last successful answer
    // false: an mDNS peer whose address could not be resolved (the mesh's
    // Python discovery advertises none). Listed, never asked or used;
    // error says why.
    bool resolved = true;
    // What to call it: its node name when known, else name.
    QString displayName() const { return nodeName.isEmpty() ? name : nodeName; }
    // An unresolved peer has no catalog of its own: "".
    QString catalogKey() const { return !resolved ? QString() : nodeId.isEmpty() ? endpoint : nodeId; }
};

class PeerDirectory : public QObject {
    Q_OBJECT
public:
    explicit PeerDirectory(QObject* parent = nullptr);

    // Our own node id: peers claiming it (ourselves, seen over mDNS or via a
    // peer) are ignored.
    void setOwnNodeId(const QString& nodeId) { ownNodeId_ = nodeId; }
    // Peers learned via other peers are capped, so a hostile peer cannot
    // make us crawl thousands of addresses.
    void setMaxPeers(int n) { maxPeers_ = n; }
    // Each request's overall deadline (PeerReply: headers and body included,
    // so a peer trickling bytes is given up too).
    void setRequestTimeoutMs(int ms) { timeoutMs_ = ms; }

    // Adds (or updates how we know) a peer and fetches its catalog now.
    // Returns false with error for an endpoint that is not "http://host:port".
    // How we know a peer only improves: from another peer < remembered <
    // mDNS or by hand. For a remembered peer nameHint is its node name.
    bool addPeer(const QString& endpoint, atmo::PeerOrigin origin, const QString& nameHint = {},
                 const QString& nodeIdHint = {}, QString* error = nullptr);
    void removePeer(const QString& endpoint);
    // When a peer last answered, from before this run (remembered peers);
    // kept only while the peer has not answered in this run.
    void setLastSeen(const QString& endpoint, const QDateTime& when);
    // An mDNS peer said goodbye: it and its catalog go; a peer that was also
    // added by hand stays, marked as gone, and keeps being retried; a
    // remembered one stays as remembered.
    void markLost(const QString& endpoint);
    // An mDNS peer seen but not resolved (core/mesh/mdns.h keeps retrying it): a
    // row of its own, named by its instance, until addPeer() for the same
    // instance replaces it or mdnsPeerLost() removes it. A peer resolved
    // before keeps its row.
    void addUnresolved(const QString& instanceName, const QString& nodeIdHint, const QString& reason);
    // An mDNS instance said goodbye: its row goes, resolved or not (see markLost).
    void mdnsPeerLost(const QString& instanceName);
    void refreshAll();

    // The mesh's relay (app/mesh/PeerDirectoryRelay.cpp). A catalog a node
    // gossiped there (`fromNodeId`: who the relay says sent it, whatever the
    // payload claims). A node this station reaches over HTTP keeps its row
    // and catalog and is only noted as being on the relay too; any other
    // gets a row of its own (origin Relay, endpoint
    // DownloadSource::relayKey(node id)) whose catalog joins the merge, and
    // the HTTP endpoint it advertises is tried: once that answers, the node
    // is a peer like any other and its relay row goes ("direct HTTP when
    // the peer's endpoint answers from here, the relay otherwise").
    void addRelayCatalog(const QString& fromNodeId, const QByteArray& payload);
    void relayPeerLeft(const QString& nodeId);
    void relayLost(); // the link is down: the relay rows and their catalogs go
    bool onRelay(const QString& nodeId) const { return relayNodes_.contains(nodeId); }

    int peerCount() const { return static_cast<int>(peers_.size()); }
    const PeerState& peer(int row) const { return peers_[static_cast<std::size_t>(row)]; }
    int rowOf(const QString& endpoint) const; // resolved peers only
    std::vector<atmo::PeerRecord> peerRecords() const; // for /v1/peers
    // True while some fetch is still in flight (the CLI waits for it).
    bool busy() const { return inFlight_ > 0; }

    const atmo::MeshCatalog& catalog() const { return catalog_; }
    std::vector<atmo::MergedEntry> merged() const { return catalog_.merged(); }
    // Feeds a finished transfer's outcome into the ranking.
    void recordTransfer(const QString& nodeKey, bool ok);
    // The peers a download of this entry can use, in the entry's ranking
    // order: HTTP where the node answers over HTTP, else through the relay.
    std::vector<DownloadSource> sourcesFor(const atmo::MergedEntry& entry) const;

signals:
    void peerAdded(int row);
    void peerChanged(int row);
    void peerAboutToBeRemoved(int row); // the row is still there (for item models)
    void peerRemoved(int row);
    void catalogChanged();
    void idle(); // nothing in flight any more

private:
    void fetch(const QString& endpoint);
    void onHealth(const QString& endpoint, QNetworkReply* reply, qint64 startedMs);
    void onCatalog(const QString& endpoint, QNetworkReply* reply, bool bridgeStyle);
    void onPeers(const QString& endpoint, QNetworkReply* reply);
    void failed(const QString& endpoint, const QString& error);
    void heardCatalog(PeerState& p, const atmo::CatalogMessage& message);
    QNetworkReply* get(const QString& url, qint64 maxBytes);
    void finishedOne();
    void expire();
    void changed(const QString& endpoint);
    void removeUnresolved(const QString& instanceName);
    void scheduleRefresh(const QString& endpoint, qint64 ttlSeconds);
    void scheduleRefreshMs(const QString& endpoint, qint64 ms);

    QNetworkAccessManager* net_;
    QString ownNodeId_;
    int maxPeers_ = 256;
    int timeoutMs_ = 10000;
    int inFlight_ = 0;
    PeerState* find(const QString& endpoint);
    std::vector<PeerState> peers_; // rows, in the order peers became known
    QHash<QString, QPointer<QTimer>> refresh_;
    atmo::MeshCatalog catalog_;
    QTimer expiry_;
    QSet<QString> relayNodes_; // node ids on the relay now
};
