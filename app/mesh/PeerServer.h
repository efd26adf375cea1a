// The station's HTTP server on the mesh: the model bridge's API (PROTOCOL.md:
// /health, /v1/models, /v1/models/{id}, /v1/models/download/{id}) plus the
// station's extensions (/v1/catalog, /v1/peers, /v1/models/{id}/chunks,
// /v1/packages...). docs/mesh-api.md documents every endpoint and its limits.
//
// The request side is ours, not Qt HTTP Server's. Qt HTTP Server 6.4 reads
// every byte a client sends into one socket transaction and parses it with
// http_parser, which appends the whole body to a QByteArray, before any
// handler runs: a 1 GiB POST cost 2.5 GB of memory, and nothing in its API
// bounds the request line, the headers or the body, or times a request out.
// A guard in front of it (a QTcpServer subclass peeking at each socket before
// Qt's readyRead slot) was the alternative; it would have meant framing every
// request twice, with two parsers that must agree byte for byte on where a
// request ends, and Qt's transaction would still hold each request whole. Since
// the station serves GET and HEAD only, taking no bodies, the request side is
// small: HttpListener (connection caps) -> HttpConnection (framing, timeouts)
// -> core/transfer/http_request (a bounded parser, Qt-free) -> handle() here. Replies
// were already ours (BodyPump), so Qt HTTP Server has no part left.
//
// Limits (ServeLimits.h, defaults; docs/mesh-api.md "Limits"):
// request line 8 KiB (414), head 32 KiB or 100 fields (431), body 16 KiB and
// no Transfer-Encoding (413), all refused before the rest is read; a request
// complete within 10 s of its first byte (408); idle keep-alive closed after
// 60 s; a reply taken at 1 KiB/s or more over each 30 s, or the connection is
// dropped; 32 connections per client address and 512 in all (503 at once).
//
// Every request reaches handle(), which splits the raw path into
// percent-decoded segments itself: an encoded "/" inside an id must not change
// the route, and a 405 needs to know which paths exist for other methods.
// Model ids, package ids and versions are looked up in the served maps, never
// joined into a path, so "../../etc/passwd" in any spelling is just an id that
// is not there (404). Replies go through the connection's BodyPump (ordering,
// streaming).
//
// The owner sets what is served (models, identity, peers, package store) and
// may change it at any time; each request sees the data of the moment.
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/mesh/ServeLimits.h"
#include "core/transfer/http_request.h"
#include "core/base/cancel_token.h"
#include "core/mesh/mesh_peer.h"
#include "core/mesh/model_library.h"

class HttpListener;
class QTcpSocket;
class BodyPump;
class ServedPackages;
struct HttpReply;
struct RequestFacts;

class PeerServer : public QObject {
    Q_OBJECT
public:
    static constexpr quint16 kDefaultPort = 14345;

    struct Config {
        bool enabled = true;
        QHostAddress address = QHostAddress(QHostAddress::Any);
        quint16 port = kDefaultPort; // 0: any free port; port() tells which
        ServeLimits limits = ServeLimits::defaults();
    };

    struct Identity {
        QString nodeId;
        QString name;
        QString meshId;
        QString httpEndpoint; // "http://host:port"; empty: the address the client reached us on
        std::int64_t ttlSeconds = 300;
    };

    explicit PeerServer(QObject* parent = nullptr);
    ~PeerServer() override;

    // Stops listening (closing open connections) and, when enabled, listens
    // anew. On failure returns false with a one-line reason naming the
    // address and port, and serves nothing.
    bool configure(const Config& config, QString* error = nullptr);
    bool isListening() const;
    quint16 port() const;            // the real port while listening, else 0
    QHostAddress address() const;    // the bound address
    QString url() const;             // "http://ADDR:PORT", for humans
    // The URL to tell other nodes (a catalog's transfer_endpoints.http):
    // url() when bound to one address; "" when bound to every address,
    // where each client is told the address it reached us on instead.
    QString advertisedUrl() const;
    // What a colleague can type into a browser or `atmosphere mesh add`:
    // advertisedUrl() when bound to one address; bound to every address,
    // one URL per IPv4 address of this machine's network interfaces that
    // are up (no loopback, no link-local). Empty when none (or not listening).
    QStringList reachableUrls() const;

    // The models served. Chunk sizes of 0 become kDefaultChunkHashSize, since
    // this server answers /v1/models/{id}/chunks for every model.
    void setModels(std::vector<atmo::LocalModel> models);
    std::size_t modelCount() const { return models_.size(); }
    void setIdentity(const Identity& identity);
    void setPeers(std::vector<atmo::PeerRecord> peers);
    // The package store index (empty: no packages) and the hash cache used
    // for package and chunk hashes (may be null: computed, not kept).
    void setPackageStore(const QString& indexFile);
    void setHashCache(std::shared_ptr<atmo::HashCache> cache);

signals:
    void listeningChanged(bool listening);

private:
    void handle(const atmo::HttpRequestHead& request, QTcpSocket* socket);
    HttpReply health() const;
    HttpReply models() const;
    HttpReply model(const QString& id) const;
    HttpReply catalog(QTcpSocket* socket) const;
    HttpReply peers() const;
    HttpReply modelDownload(const RequestFacts& request, const QString& id) const;
    void modelChunks(const RequestFacts& request, BodyPump* pump, const QString& id);
    void packages(const RequestFacts& request, BodyPump* pump, const std::vector<QString>& path);
    QString endpointFor(QTcpSocket* socket) const;

    HttpListener* listener_ = nullptr;
    ServedPackages* packages_;
    Config config_;
    Identity identity_;
    std::map<std::string, atmo::LocalModel> models_;
    std::vector<atmo::PeerRecord> peers_;
    QString indexFile_;
    std::shared_ptr<atmo::HashCache> hashCache_;
    // Chunk hashes already computed, by model id; reset with the models.
    std::map<std::string, std::vector<std::string>> chunkHashes_;
    using ChunkResult = atmo::Result<std::vector<std::string>>;
    std::map<std::string, std::vector<std::function<void(const ChunkResult&)>>> chunkWaiters_;
    std::uint64_t generation_ = 0; // of models_, so a late chunk result for a replaced model is not kept
    atmo::CancelToken cancel_;
};
