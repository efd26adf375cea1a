// atmosphere model pull MODEL_ID: download a model from the mesh into the
// station's model library, verified, resumable (Ctrl-C pauses; the same
// command again resumes from what is on disk). A model already complete in
// the destination (the catalog's size and SHA-256) is not fetched again.
#include <QEventLoop>
#include <QJsonObject>
#include <QTimer>

#include <sys/stat.h>

#include <iostream>

#include "CliContext.h"
#include "Commands.h"
#include "MeshDiscovery.h"

#include "app/mesh/MeshDownload.h"
#include "core/mesh/catalog_wire.h"
#include "core/base/fs_util.h"
#include "core/mesh/model_library.h"
#include "core/mesh/model_presence.h"
#include "core/base/sha256.h"

namespace cli {

namespace {

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

} // namespace

int modelPull(const QStringList& args)
{
    Context ctx("model pull", args);
    QCommandLineParser p;
    addDiscoveryOptions(p);
    p.addOption({"from", "Download from this peer (http://host:port, a node name or a node id); repeatable. "
                         "Skips mDNS for an address.", "peer"});
    p.addOption({"dest", "Folder to store the model in (default: the station's model library).", "dir"});
    p.addOption({"stall-timeout", "Seconds without data before a peer is given up (default 15).", "seconds", "15"});
    if (!ctx.parse(p, 1, 1, "MODEL_ID: the model to download"))
        return Usage;
    const QString id = p.positionalArguments().at(0);
    if (!atmo::isValidModelId(s(id)))
        return ctx.usage("\"" + id + "\" is not a valid model id");
    bool stallOk = false;
    const double stall = p.value("stall-timeout").toDouble(&stallOk);
    if (!stallOk || stall <= 0 || stall > 3600)
        return ctx.usage("--stall-timeout: \"" + p.value("stall-timeout") + "\" is not a number of seconds between 0 and 3600");

    PeerDirectory directory;
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
        QEventLoop loop;
        QTimer tick;
        QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
            if (!directory.busy())
                loop.quit();
        });
        tick.start(50);
        loop.exec();
    } else {
        const DiscoveryOutcome found = discoverPeers(ctx, p, directory);
        if (!found.ok)
            return found.exitCode == Ok ? Usage : found.exitCode;
    }

    std::optional<atmo::MergedEntry> match;
    for (auto& m : directory.merged())
        if (m.entry.modelId == s(id))
            match = std::move(m);
    if (!match) {
        QString why = QString::number(directory.peerCount()) + " peer(s) asked";
        for (int row = 0; row < directory.peerCount(); ++row)
            if (!directory.peer(row).error.isEmpty())
                why += "; " + peerLabel(directory.peer(row)) + ": " + directory.peer(row).error;
        return ctx.fail(id + ": no peer has this model (" + why + ")");
    }
    const std::filesystem::path dest =
        p.isSet("dest") ? std::filesystem::path(s(p.value("dest"))) : ctx.home().modelsDir();
    if (const DownloadSpec spec = DownloadSpec::forModel(match->entry); spec.problem().isEmpty()) {
        const std::filesystem::path existing = dest / spec.fileName;
        if (alreadyThere(ctx, existing, match->entry)) {
            const std::filesystem::path entryFile = dest / (match->entry.modelId + ".json");
            if (!std::filesystem::exists(entryFile))
                (void)atmo::writeFileAtomic(entryFile, atmo::catalogEntryToJson(match->entry));
            const QString path = q(existing.string());
            if (ctx.json()) {
                ctx.printJson({{"model_id", id},
                               {"path", path},
                               {"sha256", q(match->entry.sha256)},
                               {"size_bytes", static_cast<qint64>(match->entry.sizeBytes)},
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
    const std::vector<DownloadSource> sources = directory.sourcesFor(*match);
    if (sources.empty())
        return ctx.fail(id + ": no peer that has this model offers an HTTP endpoint");

    MeshDownloadOptions options;
    options.stallTimeoutMs = static_cast<int>(stall * 1000);
    MeshDownload download(match->entry, sources, dest, options);
    download.setDirectory(&directory);

    atmo::CancelToken interrupt;
    installCancelOnSignal(interrupt);
    TerminalProgress bar(!ctx.json());
    QEventLoop loop;
    bool paused = false;
    QObject::connect(&download, &MeshDownload::progressChanged, &loop, [&](const atmo::DownloadProgress& pr) {
        bar.onProgress({atmo::Phase::Downloading, pr.bytesDownloaded, pr.totalBytes, s(id)});
    });
    QObject::connect(&download, &MeshDownload::phaseProgress, &loop, [&](atmo::Phase phase, quint64 d, quint64 t) {
        bar.onProgress({phase, d, t, s(id)});
    });
    QObject::connect(&download, &MeshDownload::peerProblem, &loop, [&](const QString&, const QString& message) {
        bar.done();
        std::cerr << "atmosphere: note: " << s(id) << ": " << s(message) << "\n";
    });
    QObject::connect(&download, &MeshDownload::retrying, &loop, [&](const QString& message) {
        bar.done();
        std::cerr << "atmosphere: note: " << s(message) << "\n";
    });
    QObject::connect(&download, &MeshDownload::finished, &loop, [&] { loop.quit(); });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (interrupt.cancelled() && !paused) {
            paused = true;
            download.pause();
            loop.quit();
        }
    });
    poll.start(100);
    QTimer::singleShot(0, &download, &MeshDownload::start);
    loop.exec();
    bar.done();

    if (paused) {
        const auto pr = download.progress();
        std::cerr << "atmosphere: " << s(id) << ": paused at " << atmo::humanBytes(pr.bytesDownloaded) << " of "
                  << atmo::humanBytes(pr.totalBytes) << "; run the same command again to resume\n";
        return Failed;
    }
    if (download.state() != MeshDownload::State::Finished)
        return ctx.fail(download.error());
    const QString path = q(download.finalPath().string());
    if (ctx.json()) {
        ctx.printJson({{"model_id", id},
                       {"path", path},
                       {"sha256", q(match->entry.sha256)},
                       {"size_bytes", static_cast<qint64>(match->entry.sizeBytes)},
                       {"bytes_received", static_cast<qint64>(download.bytesReceived())},
                       {"resumed", download.openReport().kind == atmo::JournalOpenReport::Resumed}});
    } else {
        ctx.print(path);
    }
    return Ok;
}

} // namespace cli
