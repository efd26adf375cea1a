// MeshDownload against real HTTP on loopback: model bridges that are not
// this project's code (tests/mesh/bridge_peer.py, healthy or with a fault)
// and this project's PeerServer (which offers per-chunk hashes) and
// `atmosphere serve`. Covers a verified pull, resume after a pause (bytes
// fetched again), failover from a dying peer, peers sending wrong bytes (with
// per-chunk hashes; without them, retried from another peer with the culprit
// pinned down, in either rank order; every peer bad), a peer that ignores
// Range, a part file damaged behind our back, a full disk, a package file
// from `atmosphere serve`, the rate limit (capped, then lifted mid-run), and
// `atmosphere model pull` interrupted by SIGINT and run again.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <sched.h>
#include <sys/mount.h>
#include <sys/types.h>

#include "app/mesh/MeshDownload.h"
#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerServer.h"
#include "core/transfer/download_journal.h"
#include "core/base/fs_util.h"
#include "core/mesh/model_library.h"
#include "core/transfer/rate_limiter.h"
#include "core/base/sha256.h"
#include "mesh_processes.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

constexpr std::uint64_t kChunk = 4ull << 20;



QJsonObject getJson(const QString& url)
{
    QNetworkAccessManager net;
    net.setProxy(QNetworkProxy::NoProxy);
    std::unique_ptr<QNetworkReply> reply(net.get(QNetworkRequest(QUrl(url))));
    if (!waitFor([&] { return reply->isFinished(); }, 60000))
        return {};
    return QJsonDocument::fromJson(reply->readAll()).object();
}

std::string hashOf(const fs::path& file)
{
    auto h = atmo::sha256FileHex(file, {});
    return h ? *h : std::string();
}

// Runs a download to its end (or until `stopWhen` says so, then pauses).
bool runToEnd(MeshDownload& d, int ms = 120000, const std::function<bool()>& stopWhen = {})
{
    QSignalSpy done(&d, &MeshDownload::finished);
    d.start();
    const bool ended = waitFor([&] {
        if (stopWhen && d.state() == MeshDownload::State::Running && stopWhen()) {
            d.pause();
            return true;
        }
        return !done.isEmpty();
    }, ms);
    return ended;
}

} // namespace

class TestMeshDownload : public QObject {
    Q_OBJECT

    std::unique_ptr<Sandbox> box;
    fs::path src, dest, file;
    std::string sha;
    bool privateMounts = false;

    void makeModel(std::uint64_t size, std::uint32_t seed = 5)
    {
        fs::create_directories(src);
        file = src / "defects-v2.gguf";
        writeRandomFile(file, size, seed);
        sha = hashOf(file);
    }
    MeshDownloadOptions fastOptions() const
    {
        MeshDownloadOptions o;
        o.stallTimeoutMs = 5000;
        o.chunksPerRequest = 1;
        return o;
    }
    void verifyLanded(const MeshDownload& d)
    {
        QCOMPARE(d.state(), MeshDownload::State::Finished);
        QCOMPARE(hashOf(dest / "defects-v2.gguf"), sha);
        auto json = atmo::readFile(dest / "defects-v2.json");
        QVERIFY(json);
        auto back = atmo::parseCatalogEntry(*json);
        QVERIFY2(back, back ? "" : back.message().c_str());
        QCOMPARE(back->sha256, sha);
        QVERIFY(!fs::exists(atmo::DownloadJournal::partPath(dest / "defects-v2.gguf")));
        QVERIFY(!fs::exists(atmo::DownloadJournal::journalPath(dest / "defects-v2.gguf")));
    }

private slots:
    void initTestCase()
    {
        // Our own mount namespace (before any thread exists), so a tmpfs
        // mounted here vanishes with this process.
        privateMounts = ::unshare(CLONE_NEWNS) == 0 && ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
    }

    void init()
    {
        box = std::make_unique<Sandbox>();
        src = box->path() / "src";
        dest = box->path() / "library";
    }

    void plainPullVerified()
    {
        makeModel(10 * 1024 * 1024 + 123);
        BridgeProcess bridge(src);
        QVERIFY(bridge.ok());
        MeshDownload d(entryFor(file, "defects-v2"), {{bridge.url(), {}}}, dest, fastOptions());
        QSignalSpy progress(&d, &MeshDownload::progressChanged);
        QVERIFY(runToEnd(d));
        QVERIFY2(d.error().isEmpty(), qPrintable(d.error()));
        verifyLanded(d);
        QVERIFY(!progress.isEmpty());
        const auto last = d.progress();
        QCOMPARE(last.totalChunks, 3u);
        QCOMPARE(last.chunksReceived, 3u);
        QCOMPARE(d.bytesReceived(), fs::file_size(file));
    }

    void resumeAfterPauseRefetchesAtMostOneChunk()
    {
        makeModel(24 * 1024 * 1024);
        BridgeProcess bridge(src, "slow=6000000");
        QVERIFY(bridge.ok());
        const auto entry = entryFor(file, "defects-v2");
        std::uint64_t first = 0;
        {
            MeshDownload d(entry, {{bridge.url(), {}}}, dest, fastOptions());
            QVERIFY(runToEnd(d, 120000, [&] { return d.progress().chunksReceived >= 2; }));
            QCOMPARE(d.state(), MeshDownload::State::Paused);
            first = d.bytesReceived();
            QVERIFY(fs::exists(atmo::DownloadJournal::partPath(dest / "defects-v2.gguf")));
            QVERIFY(!fs::exists(dest / "defects-v2.gguf"));
        }
        MeshDownload again(entry, {{bridge.url(), {}}}, dest, fastOptions());
        QVERIFY(runToEnd(again));
        verifyLanded(again);
        QCOMPARE(again.openReport().kind, atmo::JournalOpenReport::Resumed);
        const std::uint64_t refetched = first + again.bytesReceived() - entry.sizeBytes;
        qInfo("first run %llu bytes, second %llu, fetched again %llu (chunk %llu)", (unsigned long long)first,
              (unsigned long long)again.bytesReceived(), (unsigned long long)refetched, (unsigned long long)kChunk);
        QVERIFY(refetched <= kChunk);
    }

    // A pause while the journal is still being opened, then at once a start:
    // the journal opened for the stopped run must not keep its lock.
    void pauseWhilePreparingThenStartAgain()
    {
        makeModel(6 * 1024 * 1024);
        BridgeProcess bridge(src);
        QVERIFY(bridge.ok());
        MeshDownload d(entryFor(file, "defects-v2"), {{bridge.url(), {}}}, dest, fastOptions());
        d.start();
        QCOMPARE(d.state(), MeshDownload::State::Preparing);
        d.pause();
        QCOMPARE(d.state(), MeshDownload::State::Paused);
        QVERIFY(runToEnd(d));
        QVERIFY2(d.error().isEmpty(), qPrintable(d.error()));
        verifyLanded(d);
    }

    void peerDyingMidTransferFailsOver()
    {
        makeModel(16 * 1024 * 1024);
        BridgeProcess dying(src, "die-after=3000000");
        BridgeProcess healthy(src);
        QVERIFY(dying.ok() && healthy.ok());
        MeshDownload d(entryFor(file, "defects-v2"), {{dying.url(), {}}, {healthy.url(), {}}}, dest, fastOptions());
        QSignalSpy problems(&d, &MeshDownload::peerProblem);
        QVERIFY(runToEnd(d));
        QVERIFY2(d.error().isEmpty(), qPrintable(d.error()));
        verifyLanded(d);
        QVERIFY(!problems.isEmpty());
        QCOMPARE(problems.first().at(0).toString(), dying.url());
        for (const auto& p : d.peerStats())
            if (p.peer == dying.url().toStdString())
                QCOMPARE(p.state, atmo::PeerState::Dropped);
    }

    void wrongBytesPeerIsCaughtAndRankedDown()
    {
        makeModel(12 * 1024 * 1024 + 5);
        // A station (this project's PeerServer) offers per-chunk hashes, so
        // the bad peer is caught at the first chunk it sends.
        atmo::HashCache cache("");
        auto scan = atmo::scanLibrary({{atmo::LibraryRootKind::Folder, src}}, cache, nullptr, {});
        QVERIFY(scan);
        PeerServer station;
        QVERIFY(station.configure({true, QHostAddress(QHostAddress::LocalHost), 0}));
        station.setModels(scan->models);
        station.setIdentity({"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "station-a", "atmosphere", {}, 300});
        BridgeProcess bad(src, "wrong-bytes");
        QVERIFY(bad.ok());
        const QString stationUrl = QStringLiteral("http://127.0.0.1:%1").arg(station.port());

        PeerDirectory directory;
        QVERIFY(directory.addPeer(stationUrl, atmo::PeerOrigin::Manual));
        QVERIFY(directory.addPeer(bad.url(), atmo::PeerOrigin::Manual));
        QVERIFY(waitFor([&] { return !directory.busy(); }, 20000));
        const QString badKey = directory.peer(directory.rowOf(bad.url())).catalogKey();
        const double before = directory.catalog().quality(badKey.toStdString()).reliability();

        // The bad peer first, so it certainly gets work.
        // The bridge flips a byte in the middle of the file: two chunks per
        // request give the first peer the chunk that holds it.
        MeshDownloadOptions options = fastOptions();
        options.chunksPerRequest = 2;
        MeshDownload d(entryFor(file, "defects-v2"),
                        {{bad.url(), badKey}, {stationUrl, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}, dest, options);
        d.setDirectory(&directory);
        QSignalSpy problems(&d, &MeshDownload::peerProblem);
        QVERIFY(runToEnd(d));
        QVERIFY2(d.error().isEmpty(), qPrintable(d.error()));
        verifyLanded(d);
        QVERIFY(!problems.isEmpty());
        const QString message = problems.first().at(1).toString();
        QVERIFY2(message.contains(bad.url()) && message.contains("do not match the catalog's SHA-256 (chunk"),
                 qPrintable(message));
        QVERIFY(directory.catalog().quality(badKey.toStdString()).reliability() < before);
    }

    void singleWrongBytesPeerFailsClearly()
    {
        makeModel(6 * 1024 * 1024);
        BridgeProcess bad(src, "wrong-bytes");
        QVERIFY(bad.ok());
        MeshDownload d(entryFor(file, "defects-v2"), {{bad.url(), {}}}, dest, fastOptions());
        QVERIFY(runToEnd(d));
        QCOMPARE(d.state(), MeshDownload::State::Failed);
        QVERIFY2(d.error().startsWith("defects-v2: peer " + bad.url() + ": sent bytes that do not match the catalog's SHA-256"),
                 qPrintable(d.error()));
        QVERIFY(!d.error().contains('\n'));
        QVERIFY(!fs::exists(dest / "defects-v2.gguf"));
        QVERIFY(!fs::exists(dest / "defects-v2.json"));
    }

    // Bridges offer no chunk lists: only the final hash can catch a wrong
    // byte. Without end-game duplicates every peer surely supplies a chunk of
    // the first round, so that round fails with several suppliers and the
    // single-peer rounds must pin the culprit down (by its own failed round
    // when it is ranked first, by fingerprints when a good peer is).
    void wrongBytesWithoutChunkListsRetriedFromAnotherPeer_data()
    {
        QTest::addColumn<QStringList>("faults"); // best ranked first
        QTest::newRow("bad ranked second") << QStringList{"none", "wrong-bytes-all"};
        QTest::newRow("bad ranked first") << QStringList{"wrong-bytes-all", "none"};
        QTest::newRow("bad last of three") << QStringList{"none", "none", "wrong-bytes-all"};
    }
    void wrongBytesWithoutChunkListsRetriedFromAnotherPeer()
    {
        QFETCH(QStringList, faults);
        makeModel(16 * 1024 * 1024 + 99);
        std::vector<std::unique_ptr<BridgeProcess>> bridges;
        PeerDirectory directory;
        std::vector<DownloadSource> sources;
        for (const QString& fault : faults) {
            bridges.push_back(std::make_unique<BridgeProcess>(src, fault));
            QVERIFY(bridges.back()->ok());
            QVERIFY(directory.addPeer(bridges.back()->url(), atmo::PeerOrigin::Manual));
        }
        QVERIFY(waitFor([&] { return !directory.busy(); }, 20000));
        std::map<QString, double> before;
        QString badUrl;
        for (std::size_t i = 0; i < bridges.size(); ++i) {
            const QString url = bridges[i]->url();
            const QString key = directory.peer(directory.rowOf(url)).catalogKey();
            sources.push_back({url, key});
            before[url] = directory.catalog().quality(key.toStdString()).reliability();
            if (faults[static_cast<qsizetype>(i)] != "none")
                badUrl = url;
        }
        MeshDownloadOptions options = fastOptions();
        options.endGame = false;
        MeshDownload d(entryFor(file, "defects-v2"), sources, dest, options);
        d.setDirectory(&directory);
        QSignalSpy problems(&d, &MeshDownload::peerProblem);
        QSignalSpy retries(&d, &MeshDownload::retrying);
        QVERIFY(runToEnd(d));
        QVERIFY2(d.error().isEmpty(), qPrintable(d.error()));
        verifyLanded(d);

        for (const auto& r : retries)
            qInfo("retry: %s", qPrintable(r.at(0).toString()));
        for (const auto& p : problems)
            qInfo("problem: %s", qPrintable(p.at(1).toString()));
        QVERIFY(!retries.isEmpty());
        QVERIFY2(retries.first().at(0).toString().startsWith("defects-v2: the file did not match the catalog's SHA-256; "
                                                             "fetching it again from peer "),
                 qPrintable(retries.first().at(0).toString()));
        bool badNamed = false;
        for (const auto& p : problems) {
            const QString endpoint = p.at(0).toString(), message = p.at(1).toString();
            QVERIFY2(endpoint == badUrl, qPrintable("a good peer was blamed: " + message));
            badNamed = badNamed || (message.startsWith("peer " + badUrl + ": ") &&
                                    message.contains("sent bytes that do not match the catalog's SHA-256"));
        }
        QVERIFY(badNamed);
        for (const auto& src : sources) {
            const double now = directory.catalog().quality(src.nodeKey.toStdString()).reliability();
            if (src.endpoint == badUrl)
                QVERIFY2(now < before[src.endpoint], qPrintable(src.endpoint));
            else
                QVERIFY2(now >= before[src.endpoint], qPrintable(src.endpoint));
        }
    }

    void everyPeerSendsWrongBytes()
    {
        makeModel(9 * 1024 * 1024);
        BridgeProcess bad1(src, "wrong-bytes-all"), bad2(src, "wrong-bytes-all");
        QVERIFY(bad1.ok() && bad2.ok());
        PeerDirectory directory;
        QVERIFY(directory.addPeer(bad1.url(), atmo::PeerOrigin::Manual));
        QVERIFY(directory.addPeer(bad2.url(), atmo::PeerOrigin::Manual));
        QVERIFY(waitFor([&] { return !directory.busy(); }, 20000));
        const auto keyOf = [&](const BridgeProcess& b) { return directory.peer(directory.rowOf(b.url())).catalogKey(); };
        MeshDownloadOptions options = fastOptions();
        options.endGame = false;
        MeshDownload d(entryFor(file, "defects-v2"), {{bad1.url(), keyOf(bad1)}, {bad2.url(), keyOf(bad2)}}, dest,
                       options);
        d.setDirectory(&directory);
        QVERIFY(runToEnd(d));
        QCOMPARE(d.state(), MeshDownload::State::Failed);
        const QString e = d.error();
        QVERIFY2(e.startsWith("defects-v2: no usable peer left: peer " + bad1.url() +
                              ": sent bytes that do not match the catalog's SHA-256") &&
                     e.contains("; peer " + bad2.url() + ": sent bytes that do not match the catalog's SHA-256") &&
                     !e.contains('\n'),
                 qPrintable(e));
        QVERIFY(!fs::exists(dest / "defects-v2.gguf"));
        QVERIFY(!fs::exists(dest / "defects-v2.json"));
        QVERIFY(!fs::exists(atmo::DownloadJournal::partPath(dest / "defects-v2.gguf")));
        for (const BridgeProcess* b : {&bad1, &bad2})
            QVERIFY(directory.catalog().quality(keyOf(*b).toStdString()).reliability() < 0.5);
    }

    // A package file, described by a DownloadSpec from the station's own
    // /v1/packages listing, from `atmosphere serve`.
    void packageFileFromServe()
    {
        const fs::path home = box->path() / "home";
        testutil::MissionSpec mission;
        mission.largeModelSize = 6 * 1024 * 1024; // a package of two chunks
        makeMission(box->path() / "mission", mission);
        const auto p = [&](const char* rel) { return QString::fromStdString((box->path() / rel).string()); };
        QCOMPARE(runCli({"key", "generate", "--name", "mesh", "--out", p("keys"), "--unencrypted"}, home).exitCode, 0);
        QCOMPARE(runCli({"trust", "add", p("keys/mesh.pub"), "--role", "mesh"}, home).exitCode, 0);
        const CliRun made = runCli({"package", "create", "--mission", p("mission"), "--version", "1.3", "--output",
                                    p("out"), "--sign", p("keys/mesh.key")}, home);
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        const fs::path original = box->path() / "out" / "production-inspection-v1.3.atmo";
        QVERIFY(fs::exists(original));

        ServeProcess station(home);
        QVERIFY(!station.url().isEmpty());
        const QJsonArray packages = getJson(station.url() + "/v1/packages")["packages"].toArray();
        QCOMPARE(packages.size(), 1);
        QJsonObject full;
        for (const QJsonValue& f : packages.at(0).toObject()["files"].toArray())
            if (f.toObject()["variant"].toString() == "full")
                full = f.toObject();
        QVERIFY(!full.isEmpty());

        DownloadSpec spec;
        spec.key = "production-inspection-v1.3";
        spec.sizeBytes = static_cast<std::uint64_t>(full["size_bytes"].toInteger());
        spec.sha256 = full["sha256"].toString().toStdString();
        spec.urlPath = full["url"].toString();
        spec.fileName = full["file_name"].toString().toStdString();
        QCOMPARE(spec.urlPath, QString("/v1/packages/production-inspection/1.3/package.atmo"));
        QCOMPARE(spec.sha256, hashOf(original));
        MeshDownload d(spec, {{station.url(), {}}}, dest, fastOptions());
        QVERIFY(d.entryPath().empty());
        QVERIFY(runToEnd(d));
        QVERIFY2(d.error().isEmpty(), qPrintable(d.error()));
        QCOMPARE(d.state(), MeshDownload::State::Finished);
        QCOMPARE(d.finalPath(), dest / "production-inspection-v1.3.atmo");
        QCOMPARE(atmo::readFile(d.finalPath()).value(), atmo::readFile(original).value());
        QCOMPARE(d.bytesReceived(), spec.sizeBytes);
        for (const auto& entry : fs::directory_iterator(dest))
            QVERIFY2(entry.path() == d.finalPath(), entry.path().c_str()); // no .json, part or journal
    }

    // The cap holds from the first byte (bytes by time t stay within
    // rate * t + the bucket's burst + one read buffer; slowness only makes
    // them fewer), and lifting it mid-run lets the download finish.
    void rateLimitHoldsThenLifts()
    {
        makeModel(24 * 1024 * 1024);
        BridgeProcess bridge(src);
        QVERIFY(bridge.ok());
        constexpr std::uint64_t rate = 4 * 1024 * 1024;
        const double slack = double(atmo::RateLimiter::defaultBurst(rate)) + double(RangeFetch::kReadBufferBytes);
        MeshDownload d(entryFor(file, "defects-v2"), {{bridge.url(), {}}}, dest, fastOptions());
        QSignalSpy done(&d, &MeshDownload::finished);
        QElapsedTimer clock;
        clock.start();
        d.setRateLimit(rate);
        QCOMPARE(d.rateLimit(), rate);
        d.start();
        double worst = 0;
        std::uint64_t bytes = 0;
        waitFor([&] {
            bytes = d.bytesReceived();
            const double allowed = double(rate) * double(clock.nsecsElapsed()) / 1e9 + slack;
            worst = std::max(worst, double(bytes) / allowed);
            return (clock.elapsed() >= 1500 && bytes >= rate) || !done.isEmpty();
        }, 30000);
        qInfo("capped at %llu B/s: %llu bytes after %lld ms, at most %.2f of the bound", (unsigned long long)rate,
              (unsigned long long)bytes, (long long)clock.elapsed(), worst);
        QVERIFY2(worst <= 1.0, qPrintable(QString::number(worst)));
        QVERIFY(bytes > 0);
        QCOMPARE(d.state(), MeshDownload::State::Running); // the bound keeps it far from 24 MiB
        d.setRateLimit(0);
        QCOMPARE(d.rateLimit(), std::uint64_t(0));
        QVERIFY(waitFor([&] { return !done.isEmpty(); }, 120000));
        QVERIFY2(d.error().isEmpty(), qPrintable(d.error()));
        verifyLanded(d);
    }

    void ignoreRangePeerStillDelivers()
    {
        makeModel(10 * 1024 * 1024 + 7);
        BridgeProcess lazy(src, "ignore-range");
        QVERIFY(lazy.ok());
        MeshDownload d(entryFor(file, "defects-v2"), {{lazy.url(), {}}}, dest, fastOptions());
        QVERIFY(runToEnd(d));
        QVERIFY2(d.error().isEmpty(), qPrintable(d.error()));
        verifyLanded(d);
    }

    void partFileDamagedBehindOurBack_data()
    {
        QTest::addColumn<bool>("truncate");
        QTest::newRow("truncated") << true;
        QTest::newRow("deleted") << false;
    }
    void partFileDamagedBehindOurBack()
    {
        QFETCH(bool, truncate);
        makeModel(16 * 1024 * 1024);
        BridgeProcess bridge(src, "slow=8000000");
        QVERIFY(bridge.ok());
        const auto entry = entryFor(file, "defects-v2");
        {
            MeshDownload d(entry, {{bridge.url(), {}}}, dest, fastOptions());
            QVERIFY(runToEnd(d, 120000, [&] { return d.progress().chunksReceived >= 2; }));
            QCOMPARE(d.state(), MeshDownload::State::Paused);
        }
        const fs::path part = atmo::DownloadJournal::partPath(dest / "defects-v2.gguf");
        if (truncate)
            fs::resize_file(part, 1000);
        else
            fs::remove(part);
        MeshDownload again(entry, {{bridge.url(), {}}}, dest, fastOptions());
        QVERIFY(runToEnd(again));
        QVERIFY2(again.error().isEmpty(), qPrintable(again.error()));
        verifyLanded(again);
        QVERIFY(again.openReport().kind != atmo::JournalOpenReport::AlreadyComplete);
        QVERIFY(again.bytesReceived() >= entry.sizeBytes); // nothing of the damaged part was trusted
    }

    void diskFull()
    {
        const fs::path tiny = box->path() / "tiny";
        fs::create_directories(tiny);
        if (!privateMounts || ::mount("tmpfs", tiny.c_str(), "tmpfs", 0, "size=1m") != 0)
            QSKIP("cannot mount a tmpfs here (needs root and a private mount namespace)");
        makeModel(4 * 1024 * 1024);
        BridgeProcess bridge(src);
        QVERIFY(bridge.ok());
        MeshDownload d(entryFor(file, "defects-v2"), {{bridge.url(), {}}}, tiny, fastOptions());
        QVERIFY(runToEnd(d));
        ::umount(tiny.c_str());
        QCOMPARE(d.state(), MeshDownload::State::Failed);
        QVERIFY2(d.error().contains("not enough space") && d.error().contains(QString::fromStdString(tiny.string())),
                 qPrintable(d.error()));
        QVERIFY(!d.error().contains('\n'));
    }

    void noPeer()
    {
        makeModel(5000);
        MeshDownload d(entryFor(file, "defects-v2"), {}, dest, fastOptions());
        QVERIFY(runToEnd(d));
        QCOMPARE(d.state(), MeshDownload::State::Failed);
        QCOMPARE(d.error(), QStringLiteral("defects-v2: no peer has this model"));
    }

    void cliPullInterruptedThenResumed()
    {
        makeModel(24 * 1024 * 1024);
        BridgeProcess bridge(src, "slow=6000000");
        QVERIFY(bridge.ok());
        const fs::path home = box->path() / "home";
        const QStringList args{"model", "pull", "defects-v2", "--from", bridge.url()};
        const fs::path library = home / "models";
        const fs::path journal = atmo::DownloadJournal::journalPath(library / "defects-v2.gguf");

        QProcess first;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("ATMOSPHERE_HOME", QString::fromStdString(home.string()));
        first.setProcessEnvironment(env);
        first.start(cliPath(), args);
        QVERIFY(first.waitForStarted());
        // Interrupt once at least one chunk is recorded in the journal.
        QVERIFY(waitFor([&] {
            auto text = atmo::readFile(journal);
            return text && text->find("\nD ") != std::string::npos;
        }, 60000));
        ::kill(static_cast<pid_t>(first.processId()), SIGINT);
        QVERIFY(first.waitForFinished(30000));
        const QString err = QString::fromUtf8(first.readAllStandardError());
        QCOMPARE(first.exitCode(), 130); // Ctrl-C: cancelled, kept to resume
        QVERIFY2(err.contains("paused") && err.contains("run the same command again"), qPrintable(err));
        QVERIFY(fs::exists(journal));
        QVERIFY(!fs::exists(library / "defects-v2.gguf"));

        const CliRun second = runCli(QStringList(args) << "--json", home);
        QVERIFY2(second.exitCode == 0, qPrintable(second.err));
        QVERIFY2(second.out.contains("\"resumed\":true"), qPrintable(second.out));
        QCOMPARE(hashOf(library / "defects-v2.gguf"), sha);
        QVERIFY(fs::exists(library / "defects-v2.json"));

        const CliRun missing = runCli({"model", "pull", "no-such-model", "--from", bridge.url()}, home);
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains("no-such-model: no peer has this model"), qPrintable(missing.err));
    }
};

ATMO_TEST_GUILESS_MAIN(TestMeshDownload)
#include "tst_app_model_download.moc"
