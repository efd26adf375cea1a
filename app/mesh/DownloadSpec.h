// What a MeshDownload fetches and from whom: the peers (DownloadSource) and
// the file (DownloadSpec: the same URL path on every peer, its size and
// SHA-256 from a catalog entry or a package listing, and the name it gets
// once verified). Models and package files download through the same engine.
#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <string>

#include "core/mesh/catalog_wire.h"

struct DownloadSource {
    DownloadSource() = default;
    DownloadSource(QString endpoint_, QString nodeKey_ = {}, QString relayNode_ = {})
        : endpoint(std::move(endpoint_)), nodeKey(std::move(nodeKey_)), relayNode(std::move(relayNode_))
    {
    }

    QString endpoint;   // "http://host:port"; a node through the relay: relayKey(its node id)
    QString nodeKey;    // the catalog's key for the peer (node id); "" if unknown
    QString relayNode;  // not empty: reached through the mesh's relay (websocket_chunked)

    static DownloadSource viaRelay(const QString& nodeId) { return {relayKey(nodeId), nodeId, nodeId}; }
    // How a node reached through the relay is keyed and named in a download.
    static QString relayKey(const QString& nodeId) { return "relay:" + nodeId; }
    static bool isRelayKey(const QString& key) { return key.startsWith("relay:"); }
};

// What to download: the same path on every peer, its size and SHA-256 (from
// a catalog entry or a package listing), and the name it gets when verified.
struct DownloadSpec {
    std::string key;         // names the download in messages and the journal: a model id, "{pkg}-v{ver}-tier1"
    std::uint64_t sizeBytes = 0;
    std::string sha256;      // lowercase hex of the whole file
    QString urlPath;         // e.g. "/v1/models/download/yolo" (percent-encoded)
    std::string fileName;    // the verified file's name under the destination
    QString chunkListPath;   // where peers list per-chunk hashes; "" when they do not
    std::optional<atmo::CatalogEntry> entry; // models: written as {model_id}.json after verify

    static DownloadSpec forModel(const atmo::CatalogEntry& entry);
    // What makes this spec unusable, in one line naming it ("" when fine).
    QString problem() const;
};
