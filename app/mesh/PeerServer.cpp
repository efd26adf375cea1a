#include "app/mesh/PeerServer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkInterface>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include "app/Executors.h"
#include "app/mesh/BodyPump.h"
#include "app/mesh/HttpListener.h"
#include "app/mesh/HttpReply.h"
#include "app/mesh/ServedPackages.h"
#include "core/base/text.h"
#include "core/mesh/catalog_wire.h"
#include "core/mesh/package_offers.h"
#include "core/package/manifest.h"

namespace {

enum class Route { None, Health, Models, Model, Download, Chunks, Catalog, Peers, Packages, PackageFile };

// The path of a request target ("/a/b?q" or "http://host/a/b"), through
// QUrl's tolerant parsing as Qt HTTP Server did, so odd bytes get one spelling.
QUrl targetUrl(const std::string& target)
{
    QByteArray t = QByteArray::fromStdString(target);
    QString path;
    if (t.startsWith('/')) {
        qsizetype cut = t.size();
        for (char c : {'?', '#'})
            if (const qsizetype at = t.indexOf(c); at >= 0)
                cut = std::min(cut, at);
        path = QString::fromLatin1(t.left(cut));
    } else if (t.contains("://")) {
        path = QUrl(QString::fromLatin1(t), QUrl::TolerantMode).path(QUrl::FullyEncoded); // absolute-form
    }
    QUrl url;
    url.setPath(path, QUrl::TolerantMode);
    return url;
}

// The path as percent-decoded segments, split on the *encoded* "/" only, so
// "a%2Fb" stays one segment (and is then just an id nobody has).
std::vector<QString> splitPath(const QUrl& url)
{
    const QByteArray raw = url.path(QUrl::FullyEncoded).toUtf8();
    if (!raw.startsWith('/'))
        return {};
    std::vector<QString> out;
    for (const QByteArray& part : raw.mid(1).split('/'))
        out.push_back(QString::fromUtf8(QByteArray::fromPercentEncoding(part)));
    return out;
}

Route match(const std::vector<QString>& p)
{
    for (const QString& s : p)
        if (s.isEmpty())
            return Route::None; // "//", a trailing "/"
    const auto n = p.size();
    if (n == 1 && p[0] == "health")
        return Route::Health;
    if (n < 2 || p[0] != "v1")
        return Route::None;
    if (p[1] == "models") {
        if (n == 2)
            return Route::Models;
        if (n == 3)
            return Route::Model;
        if (n == 4 && p[2] == "download") // the bridge's route wins over a model named "download"
            return Route::Download;
        if (n == 4 && p[3] == "chunks")
            return Route::Chunks;
        return Route::None;
    }
    if (n == 2 && p[1] == "catalog")
        return Route::Catalog;
    if (n == 2 && p[1] == "peers")
        return Route::Peers;
    if (p[1] == "packages" && n == 2)
        return Route::Packages;
    if (p[1] == "packages" && n == 5)
        return Route::PackageFile;
    return Route::None;
}

QByteArray toBytes(const std::string& s) { return QByteArray::fromStdString(s); }

HttpReply modelNotFound() { return HttpReply::error(404, QStringLiteral("Model not found")); }
HttpReply packageNotFound() { return HttpReply::error(404, QStringLiteral("Package not found")); }

QString packageBase(const ServedPackages::Package& p)
{
    return QString::fromStdString("/v1/packages/" + atmo::percentEncode(p.id) + "/" + atmo::percentEncode(p.version) + "/");
}

QJsonObject fileEntry(const ServedPackages::Package& p, const ServedPackages::Variant& v)
{
    const bool delta = !v.deltaFrom.empty();
    atmo::PackageFileOffer named;
    named.tier = v.tier;
    named.deltaFrom = v.deltaFrom;
    QJsonObject o{
        {"variant", QString::fromStdString(named.variant())},
        {"tier", v.tier ? QJsonValue(*v.tier) : QJsonValue(QJsonValue::Null)},
        {"file_name", QString::fromStdString(delta ? atmo::deltaPackageFileName(p.id, v.deltaFrom, p.version, v.tier)
                                                   : atmo::packageFileName(p.id, p.version, v.tier))},
        {"size_bytes", qint64(v.size)},
        {"sha256", QString::fromStdString(v.sha256)},
        {"url", QString::fromStdString(delta ? atmo::packageDeltaUrl(p.id, p.version, v.deltaFrom, v.tier)
                                             : atmo::packageFileUrl(p.id, p.version, v.tier))},
    };
    if (delta) {
        o.insert("from", QString::fromStdString(v.deltaFrom));
        o.insert("base_manifest_sha256", QString::fromStdString(v.baseManifestSha256));
    }
    return o;
}

HttpReply packageList(const std::vector<ServedPackages::Package>& packages)
{
    QJsonArray list;
    for (const auto& p : packages) {
        QJsonArray tiers, files, deltas;
        for (int t : p.tiers)
            tiers.append(t);
        for (const auto& v : p.variants)
            files.append(fileEntry(p, v));
        for (const auto& v : p.deltas)
            deltas.append(fileEntry(p, v));
        QJsonObject o{{"id", QString::fromStdString(p.id)},
                      {"version", QString::fromStdString(p.version)},
                      {"name", QString::fromStdString(p.name)},
                      {"created", QString::fromStdString(p.created)},
                      {"tiers", tiers},
                      {"files", files}};
        if (!p.manifest.isEmpty())
            o.insert("manifest_url", packageBase(p) + "manifest.yaml");
        if (!p.signature.isEmpty())
            o.insert("signature_url", packageBase(p) + "manifest.yaml.minisig");
        if (!deltas.isEmpty())
            o.insert("deltas", deltas);
        list.append(o);
    }
    return HttpReply::json(200, QJsonDocument(QJsonObject{{"packages", list}}).toJson(QJsonDocument::Compact));
}

// "tier3.atmo" -> 3; the canonical spelling only, so one file has one URL.
std::optional<int> tierOf(const QString& name)
{
    if (!name.startsWith("tier") || !name.endsWith(".atmo"))
        return std::nullopt;
    bool ok = false;
    const int n = name.mid(4, name.size() - 9).toInt(&ok);
    if (!ok || n < 1 || name != QString("tier%1.atmo").arg(n))
        return std::nullopt;
    return n;
}

HttpReply packageFile(const RequestFacts& f, const std::vector<ServedPackages::Package>& packages,
                      const std::vector<QString>& path)
{
    const std::string id = path[2].toStdString(), version = path[3].toStdString();
    const QString& file = path[4];
    const ServedPackages::Package* pkg = nullptr;
    for (const auto& p : packages)
        if (p.id == id && p.version == version)
            pkg = &p;
    if (!pkg)
        return packageNotFound();
    HttpReply::Download d;
    if (file == "manifest.yaml" || file == "manifest.yaml.minisig") {
        d.bytes = file == "manifest.yaml" ? pkg->manifest : pkg->signature;
        if (d.bytes.isEmpty())
            return HttpReply::error(404, QStringLiteral("Not found"));
        d.size = std::uint64_t(d.bytes.size());
        d.contentType = file == "manifest.yaml" ? "application/yaml" : "text/plain; charset=utf-8";
        return HttpReply::ranged(f, d);
    }
    // A delta is looked up by the name the listing gives it, never parsed.
    if (file.startsWith("from-")) {
        for (const auto& v : pkg->deltas) {
            if (file.toStdString() != atmo::packageDeltaFileSegment(v.deltaFrom, v.tier))
                continue;
            d.size = v.size;
            d.path = v.path;
            d.fileName = toBytes(atmo::deltaPackageFileName(pkg->id, v.deltaFrom, pkg->version, v.tier));
            d.etag = toBytes(v.sha256);
            return HttpReply::ranged(f, d);
        }
        return packageNotFound();
    }
    std::optional<int> tier;
    if (file != "package.atmo") {
        tier = tierOf(file);
        if (!tier)
            return HttpReply::notFound();
    }
    const ServedPackages::Variant* v = pkg->variant(tier);
    if (!v)
        return packageNotFound();
    d.size = v->size;
    d.path = v->path;
    d.fileName = toBytes(atmo::packageFileName(pkg->id, pkg->version, tier));
    d.etag = toBytes(v->sha256);
    return HttpReply::ranged(f, d);
}

} // namespace

PeerServer::PeerServer(QObject* parent) : QObject(parent), packages_(new ServedPackages(this)) {}

PeerServer::~PeerServer() { cancel_.cancel(); }

bool PeerServer::configure(const Config& config, QString* error)
{
    config_ = config;
    if (listener_) {
        // Open connections are the listener's children and go with it.
        listener_->close();
        listener_->deleteLater();
        listener_ = nullptr;
        emit listeningChanged(false);
    }
    if (!config.enabled)
        return true;
    auto* tcp = new HttpListener(config.limits, [this](const atmo::HttpRequestHead& request, QTcpSocket* socket) {
        handle(request, socket);
    }, this);
    if (!tcp->listen(config.address, config.port)) {
        QString why;
        switch (tcp->serverError()) {
        case QAbstractSocket::AddressInUseError: why = "the port is already in use"; break;
        case QAbstractSocket::SocketAccessError: why = "permission denied"; break;
        case QAbstractSocket::SocketAddressNotAvailableError: why = "this machine has no such address"; break;
        default: why = tcp->errorString(); break;
        }
        if (error) {
            const QString host = config.address.protocol() == QAbstractSocket::IPv6Protocol
                                     ? "[" + config.address.toString() + "]"
                                     : config.address.toString();
            *error = QString("cannot listen on %1:%2: %3").arg(host).arg(config.port).arg(why);
        }
        delete tcp;
        return false;
    }
    listener_ = tcp;
    emit listeningChanged(true);
    return true;
}

bool PeerServer::isListening() const { return listener_ && listener_->isListening(); }
quint16 PeerServer::port() const { return isListening() ? listener_->serverPort() : 0; }
QHostAddress PeerServer::address() const { return isListening() ? listener_->serverAddress() : QHostAddress(); }

QString PeerServer::url() const
{
    const QHostAddress a = address();
    QString host = a == QHostAddress(QHostAddress::Any) || a == QHostAddress(QHostAddress::AnyIPv4) ? "0.0.0.0"
                   : a == QHostAddress(QHostAddress::AnyIPv6)                                      ? "[::]"
                   : a.protocol() == QAbstractSocket::IPv6Protocol                                 ? "[" + a.toString() + "]"
                                                                                                   : a.toString();
    return QString("http://%1:%2").arg(host).arg(port());
}

QString PeerServer::advertisedUrl() const
{
    const QHostAddress a = address();
    if (!isListening() || a == QHostAddress(QHostAddress::Any) || a == QHostAddress(QHostAddress::AnyIPv4) ||
        a == QHostAddress(QHostAddress::AnyIPv6))
        return {};
    return url();
}

QStringList PeerServer::reachableUrls() const
{
    if (!isListening())
        return {};
    if (const QString one = advertisedUrl(); !one.isEmpty())
        return {one};
    QStringList urls;
    for (const QNetworkInterface& nif : QNetworkInterface::allInterfaces()) {
        const auto flags = nif.flags();
        if (!(flags & QNetworkInterface::IsUp) || !(flags & QNetworkInterface::IsRunning) ||
            (flags & QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry& e : nif.addressEntries()) {
            const QHostAddress a = e.ip();
            if (a.protocol() != QAbstractSocket::IPv4Protocol || a.isLoopback() || a.isLinkLocal())
                continue;
            const QString url = QString("http://%1:%2").arg(a.toString()).arg(port());
            if (!urls.contains(url))
                urls << url;
        }
    }
    return urls;
}

void PeerServer::setModels(std::vector<atmo::LocalModel> models)
{
    models_.clear();
    for (auto& m : models) {
        if (!atmo::isValidModelId(m.entry.modelId)) {
            qWarning("peer server: not serving model \"%s\": not a valid model id", m.entry.modelId.c_str());
            continue;
        }
        if (m.entry.chunkSize == 0)
            m.entry.chunkSize = atmo::kDefaultChunkHashSize;
        models_.emplace(m.entry.modelId, std::move(m)); // the first of two equal ids wins
    }
    chunkHashes_.clear();
    ++generation_;
}

void PeerServer::setIdentity(const Identity& identity) { identity_ = identity; }
void PeerServer::setPeers(std::vector<atmo::PeerRecord> peers) { peers_ = std::move(peers); }
void PeerServer::setPackageStore(const QString& indexFile) { packages_->setStore(indexFile, hashCache_); indexFile_ = indexFile; }

void PeerServer::setHashCache(std::shared_ptr<atmo::HashCache> cache)
{
    hashCache_ = std::move(cache);
    packages_->setStore(indexFile_, hashCache_);
}

void PeerServer::handle(const atmo::HttpRequestHead& request, QTcpSocket* socket)
{
    BodyPump* pump = BodyPump::of(socket);
    const RequestFacts facts = RequestFacts::of(request);
    const std::vector<QString> path = splitPath(targetUrl(request.target));
    const Route route = match(path);
    if (route == Route::None) {
        pump->send(HttpReply::notFound().apply(facts));
        return;
    }
    if (request.method != "GET" && request.method != "HEAD") {
        pump->send(HttpReply::methodNotAllowed().apply(facts));
        return;
    }
    switch (route) {
    case Route::Health: pump->send(health().apply(facts)); return;
    case Route::Models: pump->send(models().apply(facts)); return;
    case Route::Model: pump->send(model(path[2]).apply(facts)); return;
    case Route::Download: pump->send(modelDownload(facts, path[3]).apply(facts)); return;
    case Route::Chunks: modelChunks(facts, pump, path[2]); return;
    case Route::Catalog: pump->send(catalog(socket).apply(facts)); return;
    case Route::Peers: pump->send(peers().apply(facts)); return;
    case Route::Packages:
    case Route::PackageFile: packages(facts, pump, path); return;
    case Route::None: break;
    }
}

HttpReply PeerServer::health() const
{
    const QJsonObject o{{"status", "ok"},
                        {"models_available", qint64(models_.size())},
                        {"http_port", int(port())},
                        {"node_id", identity_.nodeId},
                        {"node_name", identity_.name}};
    return HttpReply::json(200, QJsonDocument(o).toJson(QJsonDocument::Compact));
}

HttpReply PeerServer::models() const
{
    std::vector<atmo::CatalogEntry> entries;
    entries.reserve(models_.size());
    for (const auto& [id, m] : models_)
        entries.push_back(m.entry);
    return HttpReply::json(200, toBytes(atmo::modelListToJson(entries)));
}

HttpReply PeerServer::model(const QString& id) const
{
    const auto it = models_.find(id.toStdString());
    return it == models_.end() ? modelNotFound() : HttpReply::json(200, toBytes(atmo::catalogEntryToJson(it->second.entry)));
}

HttpReply PeerServer::catalog(QTcpSocket* socket) const
{
    atmo::CatalogMessage m;
    m.nodeId = identity_.nodeId.toStdString();
    m.nodeName = identity_.name.toStdString();
    m.timestampMs = QDateTime::currentMSecsSinceEpoch();
    for (const auto& [id, model] : models_)
        m.models.push_back(model.entry);
    m.httpEndpoint = (identity_.httpEndpoint.isEmpty() ? endpointFor(socket) : identity_.httpEndpoint).toStdString();
    m.websocket = false; // this server offers HTTP Range transfers only
    m.ttlSeconds = identity_.ttlSeconds;
    return HttpReply::json(200, toBytes(atmo::catalogMessageToJson(m)));
}

HttpReply PeerServer::peers() const { return HttpReply::json(200, toBytes(atmo::peerListToJson(peers_))); }

// The address this client reached us on: the one endpoint we know works for it.
QString PeerServer::endpointFor(QTcpSocket* socket) const
{
    QHostAddress a = socket->localAddress();
    bool v4 = false;
    const quint32 ip4 = a.toIPv4Address(&v4);
    if (v4)
        a = QHostAddress(ip4);
    a.setScopeId(QString());
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol ? "[" + a.toString() + "]" : a.toString();
    return QString("http://%1:%2").arg(host).arg(socket->localPort());
}

HttpReply PeerServer::modelDownload(const RequestFacts& f, const QString& id) const
{
    const auto it = models_.find(id.toStdString());
    if (it == models_.end())
        return modelNotFound();
    const atmo::CatalogEntry& e = it->second.entry;
    HttpReply::Download d;
    d.size = e.sizeBytes;
    d.fileName = toBytes(e.modelId + "." + e.format);
    d.etag = toBytes(e.sha256);
    d.path = it->second.file.string();
    return HttpReply::ranged(f, d);
}

void PeerServer::modelChunks(const RequestFacts& f, BodyPump* pump, const QString& id)
{
    const auto it = models_.find(id.toStdString());
    if (it == models_.end()) {
        pump->send(modelNotFound().apply(f));
        return;
    }
    const atmo::LocalModel model = it->second;
    auto reply = [model, f](const ChunkResult& r) {
        if (!r) {
            return HttpReply::error(500, QString::fromStdString("chunk hashes of " + model.entry.modelId + ": " + r.message()))
                .apply(f);
        }
        QJsonArray chunks;
        for (const auto& h : r.value())
            chunks.append(QString::fromStdString(h));
        const QJsonObject o{{"model_id", QString::fromStdString(model.entry.modelId)},
                            {"chunk_size", qint64(model.entry.chunkSize)},
                            {"size_bytes", qint64(model.entry.sizeBytes)},
                            {"sha256", QString::fromStdString(model.entry.sha256)},
                            {"chunks", chunks}};
        return HttpReply::json(200, QJsonDocument(o).toJson(QJsonDocument::Compact)).apply(f);
    };
    if (auto known = chunkHashes_.find(model.entry.modelId); known != chunkHashes_.end()) {
        pump->send(reply(ChunkResult(known->second)));
        return;
    }
    const std::uint64_t ticket = pump->reserve();
    if (!ticket)
        return;
    const std::string key = model.entry.modelId + "#" + std::to_string(generation_);
    auto& waiters = chunkWaiters_[key];
    waiters.push_back([p = QPointer<BodyPump>(pump), ticket, reply](const ChunkResult& r) {
        if (p)
            p->complete(ticket, reply(r));
    });
    if (waiters.size() > 1)
        return; // the first request's job answers this one too
    auto cache = hashCache_ ? hashCache_ : std::make_shared<atmo::HashCache>(std::filesystem::path());
    // A shared_ptr, because QFuture wants a default-constructible result.
    auto job = [model, cache, cancel = cancel_] {
        return std::make_shared<const ChunkResult>(
            atmo::guarded([&] { return atmo::chunkHashesFor(model, model.entry.chunkSize, *cache, cancel); }));
    };
    Executors::hashing(job).then(this, [this, key, id = model.entry.modelId, gen = generation_](
                                          const std::shared_ptr<const ChunkResult>& r) {
        if (*r && gen == generation_)
            chunkHashes_[id] = r->value();
        auto node = chunkWaiters_.extract(key);
        if (!node.empty())
            for (auto& w : node.mapped())
                w(*r);
    });
}

void PeerServer::packages(const RequestFacts& f, BodyPump* pump, const std::vector<QString>& path)
{
    const bool list = path.size() == 2;
    const std::uint64_t ticket = pump->reserve();
    if (!ticket)
        return;
    // Only the listing needs every SHA-256; a download goes ahead without it.
    packages_->fetch(list, pump, [p = QPointer<BodyPump>(pump), ticket, f, path, list](const ServedPackages::Snapshot& s) {
        if (p)
            p->complete(ticket, (list ? packageList(*s) : packageFile(f, *s, path)).apply(f));
    });
}
