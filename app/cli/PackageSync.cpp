// atmosphere package check-updates | sync: LAN package sync. Other stations
// list their signed packages (GET /v1/packages); check-updates compares them
// with what is installed here, sync downloads one (resumable: Ctrl-C pauses,
// the same command resumes) and installs it through exactly the verification
// and install `package import` runs.
//
// Updates prefer a delta package whose base is the installed version as it
// was signed (same version, same manifest.yaml hash): it is a fraction of the
// full package. When none is offered, or the delta does not apply here (a
// base file was changed on this device), sync fetches the full package.
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

#include <iostream>

#include "CliContext.h"
#include "Commands.h"
#include "ImportRun.h"
#include "MeshDiscovery.h"

#include "app/mesh/MeshDownload.h"
#include "app/mesh/PeerPackages.h"
#include "core/base/fs_util.h"
#include "core/package/install_plan.h"
#include "core/package/installer.h"
#include "core/package/manifest.h"

namespace cli {

namespace {

// Runs the event loop until `busy` turns false (checked every 50 ms).
template <typename Busy>
void waitWhile(Busy busy)
{
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (!busy())
            loop.quit();
    });
    tick.start(50);
    loop.exec();
}

void askPackages(PeerPackages& packages)
{
    packages.refresh();
    waitWhile([&] { return packages.busy(); });
    for (const QString& e : packages.errors())
        std::cerr << "atmosphere: note: " << s(e) << "\n";
}

QString variantText(const PeerPackageFile& f)
{
    return f.file.tier ? q(atmo::tierName(*f.file.tier)) : QStringLiteral("full");
}

// Downloads one package file into the station's downloads folder. Returns
// the verified file, or empty after reporting why (paused counts as failed).
QString download(const Context& ctx, const PeerPackage& pkg, const PeerPackageFile& file, PeerDirectory& directory,
                 int& exitCode)
{
    const DownloadSpec spec = PeerPackages::specFor(pkg, file);
    MeshDownload dl(spec, file.sources, ctx.home().downloadsDir());
    dl.setDirectory(&directory);
    atmo::CancelToken interrupt;
    installCancelOnSignal(interrupt);
    TerminalProgress bar(!ctx.json());
    const std::string label = spec.key;
    QEventLoop loop;
    bool paused = false;
    QObject::connect(&dl, &MeshDownload::progressChanged, &loop, [&](const atmo::DownloadProgress& pr) {
        bar.onProgress({atmo::Phase::Downloading, pr.bytesDownloaded, pr.totalBytes, label});
    });
    QObject::connect(&dl, &MeshDownload::phaseProgress, &loop, [&](atmo::Phase phase, quint64 d, quint64 t) {
        bar.onProgress({phase, d, t, label});
    });
    QObject::connect(&dl, &MeshDownload::peerProblem, &loop, [&](const QString&, const QString& message) {
        bar.done();
        std::cerr << "atmosphere: note: " << label << ": " << s(message) << "\n";
    });
    QObject::connect(&dl, &MeshDownload::finished, &loop, [&] { loop.quit(); });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (interrupt.cancelled() && !paused) {
            paused = true;
            dl.pause();
            loop.quit();
        }
    });
    poll.start(100);
    QTimer::singleShot(0, &dl, &MeshDownload::start);
    loop.exec();
    bar.done();
    if (paused) {
        // Interrupted: kept to resume, and said as a cancellation (exit 130, or 143 on SIGTERM).
        const auto pr = dl.progress();
        exitCode = ctx.fail(atmo::Error{label + ": paused at " + atmo::humanBytes(pr.bytesDownloaded) + " of " +
                                            atmo::humanBytes(pr.totalBytes) + "; run the same command again to resume",
                                        atmo::ErrorCode::Cancelled});
        return {};
    }
    if (dl.state() != MeshDownload::State::Finished) {
        exitCode = ctx.fail(dl.error());
        return {};
    }
    return q(dl.finalPath().string());
}

// The installed copy's signed manifest hash, what a delta's base must be.
std::string manifestShaOf(const std::optional<atmo::InstalledPackage>& installed)
{
    return installed ? atmo::installedManifestSha256(*installed).value_or(std::string()) : std::string();
}

const atmo::InstalledPackage* installedOf(const std::vector<atmo::InstalledPackage>& installed, const std::string& id)
{
    const auto it = std::find_if(installed.begin(), installed.end(), [&](const auto& i) { return i.id == id; });
    return it == installed.end() ? nullptr : &*it;
}

} // namespace

int packageCheckUpdates(const QStringList& args)
{
    Context ctx("package check-updates", args);
    QCommandLineParser p;
    addDiscoveryOptions(p);
    p.addOption({"root", "Install root to compare with (default: <home>/installed).", "dir"});
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    // With no --peer: mDNS plus the peers this station remembers.
    PeerDirectory directory;
    const DiscoveryOutcome found =
        discoverPeers(ctx, p, directory, "no peers to ask: name one with --peer http://host:port, or leave out --no-mdns");
    if (!found.ok)
        return found.exitCode == Ok ? Usage : found.exitCode;
    PeerPackages packages(&directory);
    askPackages(packages);

    const auto installed = atmo::listInstalled(installRootOption(ctx, p));
    std::vector<atmo::PackageOffer> offers;
    for (const auto& pkg : packages.packages())
        offers.push_back(pkg.offer);
    const auto updates = atmo::findUpdates(installed, offers);
    auto peersOf = [&](const atmo::PackageUpdate& u) {
        QStringList peers;
        if (const PeerPackage* pkg = packages.find(q(u.id), q(u.offeredVersion)))
            for (const auto& f : pkg->files)
                for (const auto& src : f.sources)
                    if (!peers.contains(src.endpoint))
                        peers.append(src.endpoint);
        return peers;
    };
    // Both sizes: the full package, and the delta that goes onto what is
    // installed here when a peer offers one.
    struct Sizes {
        const PeerPackageFile* full = nullptr;
        const PeerPackageFile* delta = nullptr;
    };
    auto sizesOf = [&](const atmo::PackageUpdate& u) {
        Sizes out;
        const PeerPackage* pkg = packages.find(q(u.id), q(u.offeredVersion));
        const atmo::InstalledPackage* here = installedOf(installed, u.id);
        if (pkg) {
            out.full = pkg->full();
            if (here)
                out.delta = pkg->deltaOnto(here->version, manifestShaOf(*here), std::nullopt);
        }
        return out;
    };
    if (ctx.json()) {
        QJsonArray list;
        for (const auto& u : updates) {
            const Sizes sizes = sizesOf(u);
            QJsonObject o{{"id", q(u.id)},
                          {"installed_version", q(u.installedVersion)},
                          {"offered_version", q(u.offeredVersion)},
                          {"full_size_bytes", sizes.full ? QJsonValue(qint64(sizes.full->file.sizeBytes)) : QJsonValue()},
                          {"delta", sizes.delta ? QJsonValue(QJsonObject{{"from", q(sizes.delta->file.deltaFrom)},
                                                                         {"size_bytes", qint64(sizes.delta->file.sizeBytes)},
                                                                         {"file_name", q(sizes.delta->file.fileName)}})
                                                : QJsonValue()},
                          {"peers", QJsonArray::fromStringList(peersOf(u))}};
            list.append(o);
        }
        ctx.printJson({{"updates", list},
                       {"installed", static_cast<int>(installed.size())},
                       {"peers_asked", directory.peerCount()},
                       {"errors", QJsonArray::fromStringList(packages.errors())}});
        return found.exitCode;
    }
    if (installed.empty()) {
        ctx.print("Nothing installed in " + q(installRootOption(ctx, p).string()) + "; " +
                  QString::number(packages.packages().size()) + " package version(s) offered by " +
                  QString::number(directory.peerCount()) + " peer(s)");
    } else if (updates.empty()) {
        ctx.print(QStringLiteral("All %1 installed package(s) are up to date (%2 peer(s) asked)")
                      .arg(installed.size())
                      .arg(directory.peerCount()));
    } else {
        QList<QStringList> rows{{"ID", "INSTALLED", "OFFERED", "FULL", "DELTA", "PEERS"}};
        for (const auto& u : updates) {
            const Sizes sizes = sizesOf(u);
            rows.append({q(u.id), q(u.installedVersion), q(u.offeredVersion),
                         sizes.full ? q(atmo::humanBytes(sizes.full->file.sizeBytes)) : QStringLiteral("-"),
                         sizes.delta ? q(atmo::humanBytes(sizes.delta->file.sizeBytes)) : QStringLiteral("-"),
                         peersOf(u).join(", ")});
        }
        ctx.printTable(rows);
    }
    return found.exitCode;
}

int packageSync(const QStringList& args)
{
    Context ctx("package sync", args);
    QCommandLineParser p;
    p.addOption({"from", "The peer to sync from: http://host:port, a node name or a node id (as `atmosphere peers` "
                         "lists them); repeatable, each offering the same bytes.", "peer"});
    addLookupOptions(p); // --wait, --no-mdns: how a node name is looked up
    p.addOption({"id", "The package to fetch (default: every installed package with a newer version).", "id"});
    p.addOption({"version", "With --id: this version (default: the newest offered).", "version"});
    p.addOption({"tier", "Fetch only this tier's export (tier_1 or 1) and install it as that tier (default: the full package).", "tier"});
    p.addOption({"root", "Install root (default: <home>/installed).", "dir"});
    p.addOption({"allow-downgrade", "Install even if this version is older than or equal to the installed one."});
    p.addOption({"download-only", "Download the full package (or --tier's export) and verify its SHA-256, but do not "
                                  "install it."});
    p.addOption({"full", "Fetch the full package even when a peer offers a delta onto the installed version."});
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    if (p.values("from").isEmpty())
        return ctx.usage("--from: name the peer to sync from (http://host:port, a node name or a node id)");
    const QString id = p.value("id");
    if (p.isSet("id") && !atmo::isValidPackageId(s(id)))
        return ctx.usage("--id: \"" + id + "\" is not a package id");
    if (p.isSet("version") && !p.isSet("id"))
        return ctx.usage("--version needs --id");
    if (p.isSet("version") && !atmo::isValidVersion(s(p.value("version"))))
        return ctx.usage("--version: \"" + p.value("version") + "\" is not a version");
    QString error;
    const auto tier = ctx.tierOption(p, error);
    if (!error.isEmpty())
        return ctx.usage(error);
    if (tier && *tier < 1)
        return ctx.usage("--tier: tiers are numbered from 1");

    int lookupExit = Ok;
    const std::optional<QStringList> resolved = resolvePeers(ctx, p, p.values("from"), "--from", lookupExit);
    if (!resolved)
        return lookupExit;
    const QStringList from = *resolved;
    PeerDirectory directory;
    for (const QString& url : from)
        if (!directory.addPeer(url, atmo::PeerOrigin::Manual, {}, {}, &error))
            return ctx.usage("--from: " + error);
    waitWhile([&] { return directory.busy(); });
    PeerPackages packages(&directory);
    askPackages(packages);
    rememberReached(ctx, directory);
    if (packages.packages().empty()) {
        QStringList why = packages.errors();
        // A peer that answered needs no excuse here: what its model catalog
        // held (rejected entries and the like) is not why it offers no
        // packages. A model bridge has no /v1/packages at all.
        for (int row = 0; row < directory.peerCount(); ++row)
            if (!directory.peer(row).reachable && !directory.peer(row).error.isEmpty())
                why.append(peerLabel(directory.peer(row)) + ": " + directory.peer(row).error);
        if (why.isEmpty())
            why.append("it answers, but lists no packages; a model bridge offers models only");
        return ctx.fail(from.join(", ") + ": no packages offered" + (why.isEmpty() ? QString() : " (" + why.join("; ") + ")"));
    }

    // What to fetch: the named package, or the newer versions of installed ones.
    const auto root = installRootOption(ctx, p);
    const auto installed = atmo::listInstalled(root);
    std::vector<const PeerPackage*> wanted;
    if (p.isSet("id")) {
        const PeerPackage* best = nullptr;
        for (const auto& pkg : packages.packages())
            if (q(pkg.offer.id) == id && (!p.isSet("version") || q(pkg.offer.version) == p.value("version")))
                if (!best || atmo::compareVersions(pkg.offer.version, best->offer.version) > 0)
                    best = &pkg;
        if (!best) {
            QStringList versions;
            for (const auto& pkg : packages.packages())
                if (q(pkg.offer.id) == id)
                    versions.append(q(pkg.offer.version));
            return ctx.fail(id + (p.isSet("version") ? " " + p.value("version") : QString()) + ": not offered by " +
                            from.join(", ") + (versions.isEmpty() ? QString() : " (it offers " + versions.join(", ") + ")"));
        }
        wanted.push_back(best);
    } else {
        std::vector<atmo::PackageOffer> offers;
        for (const auto& pkg : packages.packages())
            offers.push_back(pkg.offer);
        for (const auto& u : atmo::findUpdates(installed, offers))
            wanted.push_back(packages.find(q(u.id), q(u.offeredVersion)));
        if (wanted.empty()) {
            ctx.print(installed.empty() ? "Nothing installed to update; name a package with --id"
                                        : QStringLiteral("All %1 installed package(s) are up to date with %2")
                                              .arg(installed.size())
                                              .arg(from.join(", ")));
            if (ctx.json())
                ctx.printJson({{"synced", QJsonArray()}});
            return Ok;
        }
    }

    ImportChoices choices;
    choices.root = root;
    choices.tier = tier;
    choices.allowDowngrade = p.isSet("allow-downgrade");
    int worst = Ok;
    for (const PeerPackage* pkg : wanted) {
        if (interruptedBy())
            break; // Ctrl-C or SIGTERM: no next package (worst already says why)
        const QString title = q(pkg->offer.id) + " " + q(pkg->offer.version);
        const atmo::InstalledPackage* current = installedOf(installed, pkg->offer.id);
        if (current && current->version == pkg->offer.version && !p.isSet("allow-downgrade") &&
            !p.isSet("download-only")) {
            ctx.print(title + " is already installed");
            continue;
        }
        const PeerPackageFile* file = pkg->file(tier);
        const PeerPackageFile* delta = current && !p.isSet("full") && !p.isSet("download-only")
                                           ? pkg->deltaOnto(current->version, manifestShaOf(*current), tier)
                                           : nullptr;
        if (delta) {
            ctx.print(title + ": delta update from " + q(delta->file.deltaFrom) + ", " +
                      q(atmo::humanBytes(delta->file.sizeBytes)) +
                      (file ? " instead of " + q(atmo::humanBytes(file->file.sizeBytes)) : QString()));
            int code = Ok;
            const QString path = download(ctx, *pkg, *delta, directory, code);
            if (path.isEmpty()) {
                worst = std::max(worst, code);
                continue; // paused or failed: the same command resumes it
            }
            code = runImport(ctx, path, choices);
            if (code == Ok)
                continue;
            // It did not go onto this device's copy (a base file changed
            // here, say); the installed version is untouched and the full
            // package replaces it whole.
            if (!file || code == NoSpace || code == Cancelled || interruptedBy()) {
                worst = std::max(worst, code);
                continue;
            }
            std::cerr << "atmosphere: note: " << s(title) << ": the delta did not apply; fetching the full package\n";
        }
        if (!file) {
            QStringList offered;
            for (const auto& f : pkg->files)
                offered.append(variantText(f));
            for (const auto& d : pkg->deltas)
                offered.append("a delta from " + q(d.file.deltaFrom) + (d.file.tier ? " for " + q(atmo::tierName(*d.file.tier)) : QString()));
            worst = std::max(worst, ctx.fail(title + ": " + (tier ? q(atmo::tierName(*tier)) : QStringLiteral("the full package")) +
                                             " is not offered (offered: " + offered.join(", ") + ")"));
            continue;
        }
        if (file->sources.empty()) {
            worst = std::max(worst, ctx.fail(title + ": the peers disagree on its bytes (" + file->conflicts.join(", ") + ")"));
            continue;
        }
        int code = Ok;
        const QString path = download(ctx, *pkg, *file, directory, code);
        if (path.isEmpty()) {
            worst = std::max(worst, code);
            continue;
        }
        if (p.isSet("download-only")) {
            if (ctx.json())
                ctx.printJson({{"id", q(pkg->offer.id)}, {"version", q(pkg->offer.version)}, {"path", path},
                               {"sha256", q(file->file.sha256)}});
            else
                ctx.print(path);
            continue;
        }
        worst = std::max(worst, runImport(ctx, path, choices));
    }
    if (interruptedBy() && worst == Ok)
        return ctx.fail(atmo::Error{"interrupted before every package was synced", atmo::ErrorCode::Cancelled});
    return worst;
}

} // namespace cli
