// atmosphere model pull MODEL_ID: download a model from the mesh into the
// station's model library, verified, resumable (Ctrl-C pauses; the same
// command again resumes from what is on disk). A model already complete in
// the destination (the catalog's size and SHA-256) is not fetched again.
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

#include <sys/stat.h>

#include <algorithm>
#include <iostream>

#include "CliContext.h"
#include "Commands.h"
#include "MeshDiscovery.h"
#include "PullRun.h"
#include "RelayPull.h"

#include "app/mesh/MeshDownload.h"
#include "app/relay/RelayClient.h"
#include "core/mesh/catalog_wire.h"
#include "core/base/fs_util.h"
#include "core/mesh/model_library.h"
#include "core/mesh/model_presence.h"
#include "core/base/sha256.h"

namespace cli {

namespace {

// Seconds without data before an HTTP peer is given up, and before a relay
// sender that went silent is (its own resends span 4 x 30 s).
constexpr int kHttpStallSeconds = 15;
constexpr int kRelayIdleSeconds = 150;
// How long a node's HTTP endpoint has to answer from here before the relay
// is used instead (the best mode's probe: /health, then its catalog).
constexpr int kBestModeProbeMs = 3000;

// The model is already complete at `file`, by the predicate the window uses
// (core/mesh/model_presence.h): the entry's size and the SHA-256 the hash cache
// knows for the file unchanged since it was hashed. Unknown to the cache, the
// file is hashed now, the hash cached, and the predicate asked again.
bool alreadyThere(const Context& ctx, const std::filesystem::path& file, const atmo::CatalogEntry& entry)
{
    atmo::HashCache cache(ctx.home().cacheDir() / "model-hashes.json");
    const atmo::WantedFile wanted{entry.modelId, entry.sha256, entry.sizeBytes, file, false};
    if (atmo::alreadyHere(atmo::LibraryIndex(), wanted, &cache))
        return true;
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || std::uint64_t(st.st_size) != entry.sizeBytes)
        return false;
    const std::int64_t mtimeNs = std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    const auto key = atmo::hashCacheKey(file);
    if (cache.wholeHash(key, entry.sizeBytes, mtimeNs))
        return false; // known, and not these bytes
    TerminalProgress bar(!ctx.json());
    const auto hash = atmo::sha256FileHex(file, atmo::CancelToken(), [&](std::uint64_t done) {
        bar.onProgress({atmo::Phase::Checking, done, entry.sizeBytes, entry.modelId});
    });
    bar.done();
    if (!hash)
        return false;
    cache.storeWhole(key, entry.sizeBytes, mtimeNs, *hash);
    (void)cache.save(); // only a cache: a later pull hashes again
    return atmo::alreadyHere(atmo::LibraryIndex(), wanted, &cache).has_value();
}

// Runs the event loop until every peer added to `directory` has answered
// or failed.
void waitUntilAsked(PeerDirectory& directory)
{
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (!directory.busy())
            loop.quit();
    });
    tick.start(50);
    loop.exec();
}

// Asks the LAN peers: those named with --from (no mDNS), or what discovery
// finds. Returns Ok, or the exit code of a failure it reported.
int askLanPeers(const Context& ctx, const QCommandLineParser& p, PeerDirectory& directory, const QString& otherWay)
{
    if (!p.values("from").isEmpty()) {
        int lookupExit = Ok;
        const std::optional<QStringList> resolved = resolvePeers(ctx, p, p.values("from"), "--from", lookupExit);
        if (!resolved)
            return lookupExit;
        const QStringList from = *resolved;
        // Named peers only: a bridge answers /v1/models, a station /v1/catalog;
        // either way the directory learns the entry and its peers.
        for (const QString& url : from) {
            QString error;
            if (!directory.addPeer(url, atmo::PeerOrigin::Manual, {}, {}, &error))
                return ctx.usage("--from: " + error);
        }
        waitUntilAsked(directory);
    } else {
        const DiscoveryOutcome found = discoverPeers(ctx, p, directory, {}, otherWay);
        if (!found.ok)
            return found.exitCode == Ok ? Usage : found.exitCode;
    }
    return Ok;
}

// Whether `source`'s node answers at its catalog's HTTP endpoint from here
// (within kBestModeProbeMs) with the same model: the same node id in its
// catalog (an address from another network may reach another host here)
// and the same SHA-256. The merged entry to fetch over HTTP, or nullopt.
std::optional<atmo::MergedEntry> directFromHere(PeerDirectory& directory, const RelaySource& source)
{
    directory.setRequestTimeoutMs(kBestModeProbeMs);
    if (!directory.addPeer(source.httpEndpoint, atmo::PeerOrigin::Manual, source.peerName, source.peerNodeId))
        return std::nullopt;
    waitUntilAsked(directory);
    for (auto& m : directory.merged()) {
        if (m.entry.modelId != source.entry.modelId || m.entry.sha256 != source.entry.sha256)
            continue;
        if (std::find(m.peers.begin(), m.peers.end(), s(source.peerNodeId)) == m.peers.end())
            continue;
        m.peers = {s(source.peerNodeId)}; // that node only: the one the relay vouched for
        return m;
    }
    return std::nullopt;
}

// The result line (or --json object) of a model that arrived.
void printPulled(const Context& ctx, const atmo::CatalogEntry& entry, const QString& path, quint64 bytesReceived,
                 bool resumed, const QJsonObject& source)
{
    if (!ctx.json()) {
        ctx.print(path);
        return;
    }
    QJsonObject o{{"model_id", q(entry.modelId)},
                  {"path", path},
                  {"sha256", q(entry.sha256)},
                  {"size_bytes", static_cast<qint64>(entry.sizeBytes)},
                  {"bytes_received", static_cast<qint64>(bytesReceived)},
                  {"resumed", resumed}};
    for (auto it = source.begin(); it != source.end(); ++it)
        o.insert(it.key(), it.value());
    ctx.printJson(o);
}

} // namespace

int modelPull(const QStringList& args)
{
    Context ctx("model pull", args);
    QCommandLineParser p;
    addDiscoveryOptions(p);
    p.addOption({"from",
                 "Download from this peer (http://host:port, a node name or a node id); repeatable. "
                 "Skips mDNS for an address.",
                 "peer"});
    p.addOption({"output", "Folder to store the model in (default: the station's model library).", "dir"});
    addAlias(p, "dest", "dir");
    p.addOption({"stall-timeout",
                 "Seconds without data before a peer is given up (default 15; over the relay, "
                 "the sender's silence: default 150).",
                 "seconds"});
    p.addOption({"via",
                 "lan: peers on the LAN over HTTP; relay: nodes of this station's mesh through its relay "
                 "(atmosphere mesh join); auto (default): the LAN, then the relay when no LAN peer has the "
                 "model and this station is in a mesh on a relay.",
                 "mode", "auto"});
    p.addOption(
        {"relay-wait", "Seconds to wait on the relay for a node to offer the model (default 10).", "seconds", "10"});
    if (!ctx.parse(p, 1, 1, "MODEL_ID: the model to download"))
        return Usage;
    const QString id = p.positionalArguments().at(0);
    if (!atmo::isValidModelId(s(id)))
        return ctx.usage("\"" + id + "\" is not a valid model id");
    const QString via = p.value("via");
    if (via != "auto" && via != "lan" && via != "relay")
        return ctx.usage("--via: \"" + via + "\" is not lan, relay or auto");
    bool stallOk = true;
    const double stall = p.isSet("stall-timeout") ? p.value("stall-timeout").toDouble(&stallOk) : 0;
    if (!stallOk || (p.isSet("stall-timeout") && (stall <= 0 || stall > 3600)))
        return ctx.usage("--stall-timeout: \"" + p.value("stall-timeout") +
                         "\" is not a number of seconds between 0 and 3600");
    bool waitOk = false;
    const int relayWait = p.value("relay-wait").toInt(&waitOk);
    if (!waitOk || relayWait < 1 || relayWait > 3600)
        return ctx.usage("--relay-wait: \"" + p.value("relay-wait") + "\" is not a number of seconds (1 to 3600)");
    if (via == "relay" && p.isSet("from"))
        return ctx.usage("--from names LAN peers; it does not go with --via relay");

    // Where the model comes from: a LAN peer over HTTP (the directory's merged
    // catalogs), or a node of the mesh through its relay.
    PeerDirectory directory;
    std::optional<atmo::MergedEntry> match;
    std::optional<RelaySource> relaySource;
    if (via != "relay") {
        // With a mesh on a relay to fall back on, a LAN that cannot be asked
        // (no avahi-daemon, nobody remembered) is no reason to stop.
        const bool relayToo = via == "auto" && !p.isSet("from") && hasRelayMembership(ctx);
        const int found = askLanPeers(ctx, p, directory, relayToo ? QString("asking the mesh's relay") : QString());
        if (found != Ok)
            return found;
        for (auto& m : directory.merged())
            if (m.entry.modelId == s(id))
                match = std::move(m);
        if (!match) {
            QString why = QString::number(directory.peerCount()) + " peer(s) asked";
            for (int row = 0; row < directory.peerCount(); ++row)
                if (!directory.peer(row).error.isEmpty())
                    why += "; " + peerLabel(directory.peer(row)) + ": " + directory.peer(row).error;
            if (!relayToo)
                return ctx.fail(id + ": no peer has this model (" + why + ")");
            std::cerr << "atmosphere: note: " << s(id) << ": no LAN peer has it (" << s(why)
                      << "); asking the mesh's relay\n";
        }
    }
    if (!match) {
        int relayExit = Failed;
        relaySource = findOnRelay(ctx, id, relayWait, relayExit);
        if (!relaySource)
            return relayExit;
        // The best mode (PROTOCOL.md): direct HTTP when the node's endpoint
        // answers from here, the relay otherwise. --via relay means the relay.
        if (via == "auto" && !relaySource->httpEndpoint.isEmpty()) {
            match = directFromHere(directory, *relaySource);
            if (match) {
                std::cerr << "atmosphere: note: " << s(id) << ": " << s(relaySource->peerName) << " ("
                          << s(relaySource->peerNodeId) << ") answers at " << s(relaySource->httpEndpoint)
                          << " from here; fetching over HTTP\n";
                relaySource->relay->stop();
                relaySource.reset();
            } else {
                std::cerr << "atmosphere: note: " << s(id) << ": " << s(relaySource->httpEndpoint)
                          << " does not answer from here; fetching through the relay\n";
            }
        }
    }
    const atmo::CatalogEntry entry = match ? match->entry : relaySource->entry;

    const QStringList output = optionValues(p, "output", "dest");
    const std::filesystem::path dest = !output.isEmpty() ? std::filesystem::path(s(output.last()))
                                                       : ctx.home().modelsDir();
    if (const DownloadSpec spec = DownloadSpec::forModel(entry); spec.problem().isEmpty()) {
        const std::filesystem::path existing = dest / spec.fileName;
        if (alreadyThere(ctx, existing, entry)) {
            const std::filesystem::path entryFile = dest / (entry.modelId + ".json");
            if (!std::filesystem::exists(entryFile))
                (void)atmo::writeFileAtomic(entryFile, atmo::catalogEntryToJson(entry));
            const QString path = q(existing.string());
            if (ctx.json()) {
                ctx.printJson({{"model_id", id},
                               {"path", path},
                               {"sha256", q(entry.sha256)},
                               {"size_bytes", static_cast<qint64>(entry.sizeBytes)},
                               {"bytes_received", 0},
                               {"resumed", false},
                               {"already_present", true}});
            } else {
                std::cerr << "atmosphere: note: " << s(id) << ": already in " << dest.string()
                          << " with the catalog's SHA-256; nothing fetched\n";
                ctx.print(path);
            }
            return Ok;
        }
    }

    // The sources: LAN peers over HTTP, or the node the relay found (the
    // same download engine either way: one journal, one final check).
    const std::vector<DownloadSource> sources =
        relaySource ? std::vector<DownloadSource>{DownloadSource::viaRelay(relaySource->peerNodeId)}
                    : directory.sourcesFor(*match);
    if (sources.empty())
        return ctx.fail(id + ": no peer that has this model offers an HTTP endpoint");

    MeshDownloadOptions options;
    options.stallTimeoutMs = static_cast<int>((p.isSet("stall-timeout") ? stall : kHttpStallSeconds) * 1000);
    options.relayStallTimeoutMs = static_cast<int>((p.isSet("stall-timeout") ? stall : kRelayIdleSeconds) * 1000);
    MeshDownload download(entry, sources, dest, options);
    download.setDirectory(&directory);
    RelayClient* relay = relaySource ? relaySource->relay.get() : nullptr;
    if (relay)
        download.setRelay(relay, relaySource->nodeId);
    const PullRun run = runPull(ctx, download, id, int(sources.size()), relay);
    if (relay)
        relay->stop();
    if (run.end != PullRun::End::Finished)
        return ctx.fail(run.error);

    // Which way each source was reached, and what it brought.
    QJsonArray sourceKeys, used;
    for (const auto& source : sources) {
        sourceKeys.append(source.nodeKey);
        quint64 bytes = 0;
        for (const auto& stats : download.peerStats())
            if (q(stats.peer) == source.endpoint)
                bytes = stats.bytesReceived;
        used.append(QJsonObject{{"peer", source.nodeKey},
                                {"mode", source.relayNode.isEmpty() ? "http" : "relay"},
                                {"bytes_received", static_cast<qint64>(bytes)}});
    }
    QJsonObject how = relaySource ? QJsonObject{{"mode", "relay"}, {"peer", relaySource->peerNodeId},
                                                {"relay", relaySource->relayUrl}}
                                  : QJsonObject{{"mode", "http"}, {"peers", sourceKeys}};
    how.insert("sources", used);
    printPulled(ctx, entry, q(download.finalPath().string()), download.bytesReceived(),
                download.openReport().kind == atmo::JournalOpenReport::Resumed, how);
    return Ok;
}

} // namespace cli
