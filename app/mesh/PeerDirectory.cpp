#include "app/mesh/PeerDirectory.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

#include <algorithm>

#include "app/mesh/PeerReply.h"

namespace {

constexpr int kRetryMs = 30'000;

QString normalizedEndpoint(const QString& endpoint)
{
    QString e = endpoint.trimmed();
    while (e.endsWith('/'))
        e.chop(1);
    return e;
}

// "/health: no complete answer within 10 s": what failed, for one line.
QString replyError(QNetworkReply* reply)
{
    const QString problem = peerreply::problem(reply);
    return problem.startsWith("HTTP ") ? problem : reply->url().path() + ": " + problem;
}

} // namespace

PeerDirectory::PeerDirectory(QObject* parent) : QObject(parent), net_(new QNetworkAccessManager(this))
{
    // Mesh peers are on the LAN: a desktop's HTTP proxy must not sit between.
    net_->setProxy(QNetworkProxy::NoProxy);
    expiry_.setInterval(5000);
    connect(&expiry_, &QTimer::timeout, this, &PeerDirectory::expire);
    expiry_.start();
}

PeerState* PeerDirectory::find(const QString& endpoint)
{
    for (auto& p : peers_)
        if (p.resolved && p.endpoint == endpoint)
            return &p;
    return nullptr;
}

int PeerDirectory::rowOf(const QString& endpoint) const
{
    for (std::size_t i = 0; i < peers_.size(); ++i)
        if (peers_[i].resolved && peers_[i].endpoint == endpoint)
            return static_cast<int>(i);
    return -1;
}

bool PeerDirectory::addPeer(const QString& endpointIn, atmo::PeerOrigin origin, const QString& nameHint,
                            const QString& nodeIdHint, QString* error)
{
    const QString endpoint = normalizedEndpoint(endpointIn);
    if (!atmo::isValidPeerEndpoint(endpoint.toStdString())) {
        if (error)
            *error = tr("%1: not a peer address (expected http://host:port)").arg(endpointIn);
        return false;
    }
    if (!ownNodeId_.isEmpty() && nodeIdHint == ownNodeId_)
        return true; // ourselves
    if (origin == atmo::PeerOrigin::Mdns && !nameHint.isEmpty())
        removeUnresolved(nameHint); // resolved at last: the row with an address replaces it
    if (PeerState* known = find(endpoint)) {
        // A manual add or mDNS sighting beats memory, which beats hearsay
        // from another peer.
        auto rank = [](atmo::PeerOrigin o) {
            return o == atmo::PeerOrigin::ViaPeer ? 0 : o == atmo::PeerOrigin::Remembered ? 1 : 2;
        };
        if (rank(origin) > rank(known->origin))
            known->origin = origin;
        known->remembered = known->remembered || origin == atmo::PeerOrigin::Remembered;
        // Seen on mDNS: the row goes by its instance name from now on (an
        // mDNS goodbye finds it by that name).
        if (origin == atmo::PeerOrigin::Mdns && !nameHint.isEmpty() && known->origin == atmo::PeerOrigin::Mdns)
            known->name = nameHint;
        if (!nodeIdHint.isEmpty() && known->nodeId.isEmpty())
            known->nodeId = nodeIdHint;
        if (origin != atmo::PeerOrigin::ViaPeer)
            fetch(endpoint);
        changed(endpoint);
        return true;
    }
    if (origin == atmo::PeerOrigin::ViaPeer && peerCount() >= maxPeers_)
        return true;
    PeerState p;
    p.endpoint = endpoint;
    p.nodeId = nodeIdHint;
    p.name = nameHint.isEmpty() ? endpoint : nameHint;
    p.origin = origin;
    if (origin == atmo::PeerOrigin::Remembered) {
        p.nodeName = nameHint;
        p.remembered = true;
    }
    peers_.push_back(p);
    emit peerAdded(peerCount() - 1);
    fetch(endpoint);
    return true;
}

void PeerDirectory::removePeer(const QString& endpoint)
{
    const int row = rowOf(endpoint);
    if (row < 0)
        return;
    const QString key = peers_[static_cast<std::size_t>(row)].catalogKey();
    if (auto timer = refresh_.take(endpoint))
        timer->deleteLater();
    emit peerAboutToBeRemoved(row);
    peers_.erase(peers_.begin() + row);
    emit peerRemoved(row);
    if (catalog_.modelCount(key.toStdString()) > 0 || catalog_.expiresAt(key.toStdString())) {
        catalog_.removeNode(key.toStdString());
        emit catalogChanged();
    }
}

void PeerDirectory::setLastSeen(const QString& endpoint, const QDateTime& when)
{
    PeerState* p = find(normalizedEndpoint(endpoint));
    if (!p || p->fetched || (p->lastSeen.isValid() && p->lastSeen >= when))
        return;
    p->lastSeen = when;
    changed(p->endpoint);
}

void PeerDirectory::markLost(const QString& endpoint)
{
    PeerState* p = find(normalizedEndpoint(endpoint));
    if (!p)
        return;
    if (p->origin == atmo::PeerOrigin::Mdns && p->remembered) {
        // Gone from mDNS, not from memory: still asked at its address.
        p->origin = atmo::PeerOrigin::Remembered;
        p->name = p->nodeName.isEmpty() ? p->endpoint : p->nodeName;
        changed(p->endpoint);
        return;
    }
    if (p->origin == atmo::PeerOrigin::Mdns) {
        // An mDNS goodbye is an explicit departure: the peer and what it
        // offered go now rather than at the end of the TTL.
        removePeer(p->endpoint);
        return;
    }
    p->reachable = false;
    p->error = tr("left the network (mDNS)");
    if (auto timer = refresh_.take(p->endpoint))
        timer->deleteLater();
    changed(p->endpoint);
}

void PeerDirectory::addUnresolved(const QString& instanceName, const QString& nodeIdHint, const QString& reason)
{
    if (!ownNodeId_.isEmpty() && nodeIdHint == ownNodeId_)
        return;
    for (std::size_t row = 0; row < peers_.size(); ++row) {
        PeerState& p = peers_[row];
        if (p.origin != atmo::PeerOrigin::Mdns || p.name != instanceName)
            continue;
        if (p.resolved)
            return; // its address worked before; its own fetches say whether it still does
        p.nodeId = nodeIdHint;
        p.error = reason;
        emit peerChanged(static_cast<int>(row));
        return;
    }
    PeerState p;
    p.name = instanceName;
    p.nodeId = nodeIdHint;
    p.origin = atmo::PeerOrigin::Mdns;
    p.resolved = false;
    p.error = reason;
    peers_.push_back(p);
    emit peerAdded(peerCount() - 1);
}

void PeerDirectory::removeUnresolved(const QString& instanceName)
{
    for (int row = peerCount() - 1; row >= 0; --row) {
        const PeerState& p = peers_[static_cast<std::size_t>(row)];
        if (!p.resolved && p.name == instanceName) {
            emit peerAboutToBeRemoved(row);
            peers_.erase(peers_.begin() + row);
            emit peerRemoved(row);
        }
    }
}

void PeerDirectory::mdnsPeerLost(const QString& instanceName)
{
    removeUnresolved(instanceName);
    for (int row = peerCount() - 1; row >= 0; --row) {
        if (row >= peerCount())
            continue; // markLost removed more than one row
        const PeerState& p = peers_[static_cast<std::size_t>(row)];
        if (p.origin == atmo::PeerOrigin::Mdns && p.name == instanceName) {
            const QString endpoint = p.endpoint; // p goes with the row
            markLost(endpoint);
        }
    }
}

void PeerDirectory::refreshAll()
{
    for (const auto& p : peers_)
        if (p.resolved && p.origin != atmo::PeerOrigin::Relay)
            fetch(p.endpoint);
}

void PeerDirectory::recordTransfer(const QString& nodeKey, bool ok)
{
    catalog_.recordTransfer(nodeKey.toStdString(), ok);
    emit catalogChanged();
}

std::vector<atmo::PeerRecord> PeerDirectory::peerRecords() const
{
    std::vector<atmo::PeerRecord> out;
    for (const auto& p : peers_) {
        if (!p.fetched || p.origin == atmo::PeerOrigin::Relay)
            continue; // only peers we have heard from ourselves, at an address others can use
        atmo::PeerRecord r;
        r.nodeId = p.nodeId.toStdString();
        r.name = p.displayName().toStdString();
        r.endpoint = p.endpoint.toStdString();
        r.lastSeenMs = p.lastSeen.toMSecsSinceEpoch();
        r.origin = p.origin;
        out.push_back(std::move(r));
    }
    return out;
}

QNetworkReply* PeerDirectory::get(const QString& url, qint64 maxBytes)
{
    QNetworkReply* reply = peerreply::get(*net_, QUrl(url), {maxBytes, timeoutMs_});
    ++inFlight_;
    return reply;
}

void PeerDirectory::finishedOne()
{
    if (--inFlight_ == 0)
        emit idle();
}

void PeerDirectory::fetch(const QString& endpoint)
{
    QElapsedTimer clock;
    clock.start();
    QNetworkReply* reply = get(endpoint + "/health", peerreply::kHealthBytes);
    connect(reply, &QNetworkReply::finished, this, [this, endpoint, reply, clock] {
        reply->deleteLater();
        onHealth(endpoint, reply, clock.elapsed());
        finishedOne();
    });
}

void PeerDirectory::onHealth(const QString& endpoint, QNetworkReply* reply, qint64 elapsedMs)
{
    PeerState* p = find(endpoint);
    if (!p)
        return;
    if (!peerreply::problem(reply).isEmpty()) {
        failed(endpoint, replyError(reply));
        return;
    }
    p->latencyMs = static_cast<double>(elapsedMs);
    p->reachable = true;
    p->error.clear();
    p->lastSeen = QDateTime::currentDateTimeUtc();
    changed(endpoint);
    QNetworkReply* catalog = get(endpoint + "/v1/catalog", peerreply::kCatalogBytes);
    connect(catalog, &QNetworkReply::finished, this, [this, endpoint, catalog] {
        catalog->deleteLater();
        const int status = catalog->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 404) {
            // A model bridge: it serves /v1/models but not the station's /v1/catalog.
            QNetworkReply* models = get(endpoint + "/v1/models", peerreply::kCatalogBytes);
            connect(models, &QNetworkReply::finished, this, [this, endpoint, models] {
                models->deleteLater();
                onCatalog(endpoint, models, true);
                finishedOne();
            });
        } else {
            onCatalog(endpoint, catalog, false);
        }
        finishedOne();
    });
}

void PeerDirectory::onCatalog(const QString& endpoint, QNetworkReply* reply, bool bridgeStyle)
{
    PeerState* p = find(endpoint);
    if (!p)
        return;
    if (!peerreply::problem(reply).isEmpty()) {
        failed(endpoint, replyError(reply));
        return;
    }
    const std::string body = peerreply::body(reply).toStdString();
    atmo::CatalogMessage message;
    if (bridgeStyle) {
        auto list = atmo::parseModelList(body);
        if (!list) {
            failed(endpoint, tr("/v1/models: %1").arg(QString::fromStdString(list.message())));
            return;
        }
        message.nodeId = (p->nodeId.isEmpty() ? p->endpoint : p->nodeId).toStdString();
        message.nodeName = p->name.toStdString();
        message.models = std::move(list->models);
        message.rejected = std::move(list->rejected);
    } else {
        auto parsed = atmo::parseCatalogMessage(body);
        if (!parsed) {
            failed(endpoint, tr("/v1/catalog: %1").arg(QString::fromStdString(parsed.message())));
            return;
        }
        message = std::move(parsed.value());
        const QString nodeId = QString::fromStdString(message.nodeId);
        if (!ownNodeId_.isEmpty() && nodeId == ownNodeId_) {
            removePeer(endpoint); // it is us, seen from outside
            return;
        }
        for (const auto& other : peers_) {
            if (other.origin == atmo::PeerOrigin::Relay && other.nodeId == nodeId) {
                // Heard through the relay before, and it answers over HTTP
                // from here: the direct way wins. Its catalog is replaced below.
                const QString relayRow = other.endpoint;
                removePeer(relayRow);
                p = find(endpoint);
                break;
            }
        }
        for (const auto& other : peers_) {
            if (other.endpoint != endpoint && other.nodeId == nodeId && other.fetched) {
                // The same node under a second address (a host name and its
                // IP, or mDNS and a manual entry): keep the first.
                removePeer(endpoint);
                return;
            }
        }
        if (p->nodeId != nodeId && !p->nodeId.isEmpty())
            catalog_.removeNode(p->catalogKey().toStdString());
        p->nodeId = nodeId;
        if (!message.nodeName.empty() && (p->name == p->endpoint || p->origin != atmo::PeerOrigin::Mdns))
            p->name = QString::fromStdString(message.nodeName);
        if (!message.nodeName.empty())
            p->nodeName = QString::fromStdString(message.nodeName);
    }
    // Downloads go to the address that answered us, whatever the peer
    // advertises (it may advertise 0.0.0.0 or a name we cannot resolve).
    message.httpEndpoint = endpoint.toStdString();
    catalog_.update(message, atmo::Clock::now());
    atmo::PeerQuality q = catalog_.quality(message.nodeId);
    q.directHttp = true;
    q.latencyMs = p->latencyMs;
    catalog_.setQuality(message.nodeId, q);

    heardCatalog(*p, message);
    changed(endpoint);
    emit catalogChanged();
    scheduleRefresh(endpoint, message.ttlSeconds);

    if (!bridgeStyle) {
        QNetworkReply* peers = get(endpoint + "/v1/peers", peerreply::kPeerListBytes);
        connect(peers, &QNetworkReply::finished, this, [this, endpoint, peers] {
            peers->deleteLater();
            onPeers(endpoint, peers);
            finishedOne();
        });
    }
}

// A peer's catalog arrived (over HTTP or through the relay): its row says so.
void PeerDirectory::heardCatalog(PeerState& p, const atmo::CatalogMessage& message)
{
    p.fetched = true;
    p.reachable = true;
    p.models = static_cast<int>(message.models.size());
    p.lastSeen = QDateTime::currentDateTimeUtc();
    p.error = message.rejected.empty()
                  ? QString()
                  : tr("%n catalog entries rejected, first: %1", nullptr, int(message.rejected.size()))
                        .arg(QString::fromStdString(message.rejected.front().modelId + ": " +
                                                    message.rejected.front().reason));
}

void PeerDirectory::onPeers(const QString& endpoint, QNetworkReply* reply)
{
    if (!peerreply::problem(reply).isEmpty())
        return; // an older station without /v1/peers (or a bad answer): nothing to learn
    auto list = atmo::parsePeerList(peerreply::body(reply).toStdString());
    if (!list)
        return;
    for (const auto& r : *list) {
        const QString nodeId = QString::fromStdString(r.nodeId);
        if (!ownNodeId_.isEmpty() && nodeId == ownNodeId_)
            continue;
        bool known = false;
        for (const auto& p : peers_)
            known = known || (p.resolved && !nodeId.isEmpty() && p.nodeId == nodeId);
        if (known)
            continue;
        const int before = peerCount();
        addPeer(QString::fromStdString(r.endpoint), atmo::PeerOrigin::ViaPeer, QString::fromStdString(r.name),
                nodeId);
        if (peerCount() > before)
            peers_.back().via = endpoint;
    }
}

void PeerDirectory::failed(const QString& endpoint, const QString& error)
{
    PeerState* p = find(endpoint);
    if (!p)
        return;
    p->reachable = false;
    p->error = error;
    changed(endpoint);
    // Keep trying while the peer is listed; its catalog entries expire on
    // their own TTL meanwhile.
    scheduleRefreshMs(endpoint, kRetryMs);
}

void PeerDirectory::scheduleRefresh(const QString& endpoint, qint64 ttlSeconds)
{
    // Refresh at 80% of the TTL so the entries never lapse while the peer is up.
    scheduleRefreshMs(endpoint, std::clamp<qint64>(ttlSeconds * 800, 5'000, 3'600'000));
}

void PeerDirectory::scheduleRefreshMs(const QString& endpoint, qint64 ms)
{
    QPointer<QTimer>& timer = refresh_[endpoint];
    if (!timer) {
        timer = new QTimer(this);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, [this, endpoint] { fetch(endpoint); });
    }
    timer->start(static_cast<int>(ms));
}

void PeerDirectory::expire()
{
    const auto dropped = catalog_.expire(atmo::Clock::now());
    if (dropped.empty())
        return;
    for (const auto& key : dropped) {
        for (auto& p : peers_) {
            if (p.catalogKey().toStdString() == key) {
                p.models = 0;
                changed(p.endpoint);
            }
        }
    }
    emit catalogChanged();
}

void PeerDirectory::changed(const QString& endpoint)
{
    const int row = rowOf(endpoint);
    if (row >= 0)
        emit peerChanged(row);
}

std::vector<DownloadSource> PeerDirectory::sourcesFor(const atmo::MergedEntry& entry) const
{
    std::vector<DownloadSource> out;
    for (const auto& key : entry.peers) {
        const std::string endpoint = catalog_.httpEndpoint(key);
        const QString node = QString::fromStdString(key);
        if (!endpoint.empty())
            out.emplace_back(QString::fromStdString(endpoint), node);
        else if (relayNodes_.contains(node))
            out.push_back(DownloadSource::viaRelay(node));
    }
    return out;
}
