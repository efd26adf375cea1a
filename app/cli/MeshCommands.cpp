// atmosphere peers / atmosphere models: what the mesh around this station offers.
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "CliContext.h"
#include "Commands.h"
#include "MeshDiscovery.h"

#include "core/mesh/catalog_filter.h"
#include "core/mesh/catalog_wire.h"
#include "core/base/fs_util.h"

namespace cli {

namespace {

QString latencyText(const PeerState& p)
{
    return p.latencyMs ? QString::number(*p.latencyMs, 'f', 0) + " ms" : QStringLiteral("-");
}

QString ago(const QDateTime& when)
{
    if (!when.isValid())
        return "never";
    const qint64 s = when.secsTo(QDateTime::currentDateTimeUtc());
    if (s < 60)
        return QString::number(std::max<qint64>(s, 0)) + " s ago";
    if (s < 3600)
        return QString::number(s / 60) + " min ago";
    return QString::number(s / 3600) + " h ago";
}

} // namespace

// Lists the peers found on mDNS, the remembered ones (found by
// "remembered") and every --peer, with each one's node name and node id:
// what --from and --peer accept.
int peers(const QStringList& args)
{
    Context ctx("peers", args);
    QCommandLineParser p;
    addDiscoveryOptions(p);
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    PeerDirectory directory;
    const DiscoveryOutcome found = discoverPeers(ctx, p, directory);
    if (!found.ok)
        return found.exitCode == Ok ? Usage : found.exitCode;

    if (ctx.json()) {
        QJsonArray list;
        for (int row = 0; row < directory.peerCount(); ++row) {
            const PeerState& peer = directory.peer(row);
            QJsonObject o{{"node_id", peer.nodeId},
                          {"node_name", peer.nodeName},
                          {"name", peer.name},
                          {"endpoint", peer.endpoint},
                          {"found_by", q(std::string(atmo::peerOriginName(peer.origin)))},
                          {"remembered", peer.remembered},
                          {"resolved", peer.resolved},
                          {"reachable", peer.reachable},
                          {"models", peer.models}};
            if (peer.latencyMs)
                o["latency_ms"] = *peer.latencyMs;
            if (peer.lastSeen.isValid())
                o["last_seen_ms"] = peer.lastSeen.toMSecsSinceEpoch();
            if (!peer.error.isEmpty())
                o["error"] = peer.error;
            if (!peer.via.isEmpty())
                o["via"] = peer.via;
            list.append(o);
        }
        ctx.printJson({{"peers", list}});
        return found.exitCode;
    }
    if (directory.peerCount() == 0) {
        ctx.print("No peers found.");
        return found.exitCode;
    }
    QList<QStringList> rows{{"NAME", "NODE ID", "ADDRESS", "FOUND BY", "LATENCY", "MODELS", "LAST SEEN", "STATUS"}};
    for (int row = 0; row < directory.peerCount(); ++row) {
        const PeerState& peer = directory.peer(row);
        QString foundBy = q(std::string(atmo::peerOriginName(peer.origin)));
        if (!peer.via.isEmpty())
            foundBy += " (" + peer.via + ")";
        else if (peer.remembered && peer.origin != atmo::PeerOrigin::Remembered)
            foundBy += ", remembered";
        const QString status = !peer.resolved ? QStringLiteral("unresolved")
                               : peer.reachable ? QStringLiteral("reachable")
                               : peer.error.isEmpty() ? QStringLiteral("no answer yet")
                                                      : "unreachable: " + peer.error;
        rows.append({peer.displayName(), peer.nodeId.isEmpty() ? QStringLiteral("-") : peer.nodeId, peer.resolved ? peer.endpoint : QStringLiteral("-"), foundBy, latencyText(peer),
                     QString::number(peer.models), ago(peer.lastSeen), status});
    }
    ctx.printTable(rows);
    return found.exitCode;
}

int models(const QStringList& args)
{
    Context ctx("models", args);
    QCommandLineParser p;
    addDiscoveryOptions(p);
    p.addOption({"search", "Only models matching these words (id, name, base model, capabilities, classes).", "text"});
    p.addOption({"type", "Only models of this type (vision, llm, audio, embedding).", "type"});
    p.addOption({"format", "Only models in this format (gguf, onnx, pt, tflite, ...).", "format"});
    p.addOption({"capability", "Only models with this capability.", "name"});
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    PeerDirectory directory;
    const DiscoveryOutcome found = discoverPeers(ctx, p, directory);
    if (!found.ok)
        return found.exitCode == Ok ? Usage : found.exitCode;

    atmo::CatalogFilter filter;
    filter.search = s(p.value("search"));
    filter.type = s(p.value("type"));
    filter.format = s(p.value("format"));
    filter.capability = s(p.value("capability"));
    std::vector<atmo::MergedEntry> shown;
    for (auto& m : directory.merged())
        if (filter.matches(m.entry))
            shown.push_back(std::move(m));

    auto nameOf = [&directory](const std::string& key) {
        for (int row = 0; row < directory.peerCount(); ++row)
            if (directory.peer(row).catalogKey() == q(key))
                return directory.peer(row).displayName();
        return q(key);
    };
    if (ctx.json()) {
        QJsonArray list;
        for (const auto& m : shown) {
            QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(atmo::catalogEntryToJson(m.entry)))
                                .object();
            QJsonArray peers;
            for (const auto& key : m.peers)
                peers.append(QJsonObject{{"node_id", q(key)},
                                         {"name", nameOf(key)},
                                         {"endpoint", q(directory.catalog().httpEndpoint(key))}});
            o["peers"] = peers;
            if (!m.conflicting.empty()) {
                QJsonArray conflicting;
                for (const auto& key : m.conflicting)
                    conflicting.append(q(key));
                o["conflicting_peers"] = conflicting;
            }
            list.append(o);
        }
        ctx.printJson({{"models", list}});
        return found.exitCode;
    }
    if (shown.empty()) {
        if (directory.peerCount() == 0)
            ctx.print("No peers found.");
        else if (directory.merged().empty())
            ctx.print("The peers found offer no models.");
        else
            ctx.print("No models match.");
        return found.exitCode;
    }
    QList<QStringList> rows{{"MODEL ID", "TYPE", "FORMAT", "SIZE", "VERSION", "PEERS", "CAPABILITIES"}};
    for (const auto& m : shown) {
        QStringList caps;
        for (const auto& c : m.entry.capabilities)
            caps << q(c);
        QString peers = QString::number(m.peers.size());
        if (!m.peers.empty())
            peers += " (" + nameOf(m.peers.front()) + (m.peers.size() > 1 ? ", ...)" : ")");
        if (!m.conflicting.empty())
            peers += ", " + QString::number(m.conflicting.size()) + " with other bytes";
        rows.append({q(m.entry.modelId), q(m.entry.type), q(m.entry.format), q(atmo::humanBytes(m.entry.sizeBytes)),
                     q(m.entry.version), peers, caps.join(",")});
    }
    ctx.printTable(rows);
    return found.exitCode;
}

} // namespace cli
