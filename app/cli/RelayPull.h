// `atmosphere model pull` through the mesh's relay: join the mesh this
// station belongs to (atmosphere mesh join|register) and learn which nodes
// offer the model from their gossiped model_catalog messages; the download
// itself is a MeshDownload with that node as its source
// (app/relay/RelayRangeFetch, websocket_chunked).
#pragma once

#include <QString>

#include <filesystem>
#include <memory>
#include <optional>

#include "CliContext.h"
#include "core/mesh/catalog_wire.h"

class RelayClient;

namespace cli {

struct RelaySource {
    std::shared_ptr<RelayClient> relay; // joined
    QString relayUrl;
    QString nodeId;     // ours
    QString peerNodeId; // the node that offers the model
    QString peerName;
    atmo::CatalogEntry entry; // as that node's catalog gives it
    QString httpEndpoint;     // its catalog's transfer_endpoints.http ("" when none)
};

// Joins the relay and waits up to waitSeconds for a node to gossip a catalog
// with `modelId` (a station sends its catalog to each newcomer at once; a
// node that only gossips every 5 minutes may need the wait). On failure
// reports it (one line) and sets exitCode.
std::optional<RelaySource> findOnRelay(const Context& ctx, const QString& modelId, int waitSeconds, int& exitCode);

// Whether this station remembers a mesh membership on a relay.
bool hasRelayMembership(const Context& ctx);

} // namespace cli
