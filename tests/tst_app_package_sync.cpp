// LAN package sync between two stations, as processes: station A builds
// packages and runs `atmosphere serve`; station B, with 1.2 installed, runs
// `package check-updates` and `package sync` against it over loopback.
// The sync downloads byte for byte what A serves and installs it through
// the same verification as `package import` (an untrusted signer is refused
// after the download, nothing installed); bad input and dead peers end in one
// line and the right exit code. Then 1.4 as a full package and a delta from
// 1.3: a device with A's 1.3 takes the delta, one whose base was changed
// falls back to the full package, --full skips the delta.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

#include "core/base/fs_util.h"
#include "mesh_processes.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

class PackageSyncTest : public QObject {
    Q_OBJECT

    Sandbox box;
    std::unique_ptr<ServeProcess> server;  // station A
    std::unique_ptr<ServeProcess> serverD; // station D: built its own "1.3" (other bytes under the same name)
    QString base;                          // http://127.0.0.1:PORT of station A
    QString baseD;

    QString serve(std::unique_ptr<ServeProcess>& proc, const fs::path& home, const QString& name)
    {
        fs::create_directories(box / "no-models");
        proc = std::make_unique<ServeProcess>(home, QStringList{"--models", p("no-models"), "--name", name});
        return proc->url();
    }
    static QString nodeIdOf(const fs::path& home)
    {
        return stationNodeId(home);
    }

    fs::path homeA() const { return box / "a"; }
    fs::path homeB() const { return box / "b"; }
    QString p(const std::string& rel) const { return QString::fromStdString((box / rel).string()); }
    CliRun a(const QStringList& args) { return runCli(args, homeA()); }
    CliRun b(const QStringList& args) { return runCli(args, homeB()); }
    static QJsonObject json(const CliRun& r) { return QJsonDocument::fromJson(r.out.trimmed().split(QChar(10)).last().toUtf8()).object(); }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
        makeMission(box / "mission");
        QCOMPARE(a({"key", "generate", "--name", "mesh", "--out", p("keys"), "--unencrypted"}).exitCode, 0);
        QCOMPARE(a({"trust", "add", p("keys/mesh.pub"), "--role", "mesh"}).exitCode, 0);
        for (const QStringList& extra : {QStringList{"--version", "1.2"}, QStringList{"--version", "1.3"},
                                         QStringList{"--version", "1.3", "--tier", "1"}}) {
            auto r = a(QStringList{"package", "create", "--mission", p("mission"), "--output", p("out"), "--sign",
                                   p("keys/mesh.key")} +
                       extra);
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
        // Station B has 1.2 installed.
        QCOMPARE(b({"trust", "add", p("keys/mesh.pub"), "--role", "mesh"}).exitCode, 0);
        const QString v12 = QDir(p("out")).entryList({"*-v1.2.atmo"}).value(0);
        QVERIFY(!v12.isEmpty());
        auto r = b({"package", "import", p("out") + "/" + v12, "--root", p("device")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        base = serve(server, homeA(), "gateway-01");
        QVERIFY(!base.isEmpty());
        const fs::path homeD = box / "d";
        QCOMPARE(runCli({"key", "generate", "--name", "d", "--out", p("keys-d"), "--unencrypted"}, homeD).exitCode, 0);
        r = runCli({"package", "create", "--mission", p("mission"), "--output", p("out-d"), "--sign", p("keys-d/d.key"),
                    "--version", "1.3"},
                   homeD);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        baseD = serve(serverD, homeD, "line-d");
        QVERIFY(!baseD.isEmpty());
    }

    void cleanupTestCase()
    {
        server.reset(); // SIGTERM: serve stops cleanly
        serverD.reset();
    }

    void checkUpdatesListsTheNewerVersion()
    {
        auto r = b({"package", "check-updates", "--peer", base, "--no-mdns", "--root", p("device"), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonArray updates = json(r)["updates"].toArray();
        QCOMPARE(updates.size(), 1);
        const QJsonObject u = updates[0].toObject();
        QCOMPARE(u["installed_version"].toString(), QString("1.2"));
        QCOMPARE(u["offered_version"].toString(), QString("1.3"));
        QCOMPARE(u["peers"].toArray().first().toString(), base);

        r = b({"package", "check-updates", "--peer", base, "--no-mdns", "--root", p("device")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("1.2") && r.out.contains("1.3") && r.out.contains(base), qPrintable(r.out));
    }

    void syncDownloadsAndInstallsTheUpdate()
    {
        auto r = b({"package", "sync", "--from", base, "--root", p("device")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("Installed") && r.out.contains("1.3"), qPrintable(r.out));
        // Byte for byte what A serves, under its own name in B's downloads.
        const QString full = QDir(p("out")).entryList({"*-v1.3.atmo"}).value(0);
        const QString got = QDir(QString::fromStdString((homeB() / "downloads").string())).entryList({"*-v1.3.atmo"}).value(0);
        QVERIFY2(!got.isEmpty(), "no downloaded package");
        QCOMPARE(readFile(homeB() / "downloads" / got.toStdString()), readFile(box / "out" / full.toStdString()));
        QVERIFY(QDir(QString::fromStdString((homeB() / "downloads").string())).entryList({".*part", ".*journal"},
                                                                                        QDir::Hidden | QDir::Files).isEmpty());
        r = b({"package", "list", "--root", p("device"), "--json"});
        const QJsonObject pkg = json(r)["packages"].toArray()[0].toObject();
        QCOMPARE(pkg["version"].toString(), QString("1.3"));
        QCOMPARE(pkg["previous_version"].toString(), QString("1.2"));

        // Now up to date: nothing to do, nothing downloaded.
        r = b({"package", "check-updates", "--peer", base, "--no-mdns", "--root", p("device"), "--json"});
        QCOMPARE(json(r)["updates"].toArray().size(), 0);
        r = b({"package", "sync", "--from", base, "--root", p("device")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("up to date"), qPrintable(r.out));
    }

    void syncOneTierDownloadOnly()
    {
        auto r = b({"package", "sync", "--from", base, "--id", "production-inspection", "--tier", "1", "--download-only", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString path = json(r)["path"].toString();
        QVERIFY2(path.endsWith("-v1.3-tier1.atmo"), qPrintable(path));
        const QString tier1 = QDir(p("out")).entryList({"*-v1.3-tier1.atmo"}).value(0);
        QCOMPARE(readFile(path.toStdString()), readFile(box / "out" / tier1.toStdString()));
    }

    void peersWithOtherBytesUnderTheSameNameAreNotMixed()
    {
        // A and D both offer production-inspection 1.3 full, with other bytes:
        // one of them defines the file, the other is a conflict, never a source.
        auto r = b({"package", "sync", "--from", base, "--from", baseD, "--id", "production-inspection", "--version", "1.3",
                    "--download-only", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const std::string got = readFile(json(r)["path"].toString().toStdString());
        const QString fromA = QDir(p("out")).entryList({"*-v1.3.atmo"}).value(0);
        const QString fromD = QDir(p("out-d")).entryList({"*-v1.3.atmo"}).value(0);
        const bool isA = got == readFile(box / "out" / fromA.toStdString());
        const bool isD = got == readFile(box / "out-d" / fromD.toStdString());
        QVERIFY2(isA != isD, "the download must be exactly one station's file");
    }

    void untrustedSignerIsRefusedAfterTheDownload()
    {
        // Station C trusts nobody: the download succeeds, the install does not.
        const fs::path homeC = box / "c";
        auto r = runCli({"package", "sync", "--from", base, "--id", "production-inspection", "--root", p("device-c")}, homeC);
        QCOMPARE(r.exitCode, 3); // untrusted
        QVERIFY2(r.err.contains("not installed"), qPrintable(r.err));
        QVERIFY(!fs::exists(box / "device-c" / "production-inspection"));
    }

    void badInputAndDeadPeers()
    {
        struct Case {
            QStringList args;
            int exit;
            QString says;
        };
        const QList<Case> cases = {
            {{"package", "sync"}, 2, "--from"},
            {{"package", "sync", "--from", "ftp://x"}, 2, "--from"},
            {{"package", "sync", "--from", base, "--id", "../etc"}, 2, "not a package id"},
            {{"package", "sync", "--from", base, "--version", "1.3"}, 2, "--version needs --id"},
            {{"package", "sync", "--from", base, "--id", "production-inspection", "--tier", "0"}, 2, "--tier"},
            {{"package", "sync", "--from", base, "--id", "no-such"}, 1, "no-such: not offered by"},
            {{"package", "sync", "--from", base, "--id", "production-inspection", "--version", "9.9"}, 1, "(it offers 1.3, 1.2)"},
            {{"package", "sync", "--from", base, "--id", "production-inspection", "--tier", "7", "--download-only"}, 1,
             "tier_7 is not offered (offered: full, tier_1)"},
            {{"package", "sync", "--from", "http://127.0.0.1:1"}, 1, "no packages offered"},
            {{"package", "check-updates", "--peer", "http://", "--no-mdns"}, 2, "not a peer address"},
            {{"package", "check-updates", "--peer", "nope", "--no-mdns"}, 1,
             "no peer named nope (looked in remembered peers; mDNS not asked: --no-mdns)"},
            {{"package", "sync", "--from", "nope", "--no-mdns"}, 1, "no peer named nope"},
            {{"package", "sync", "--from", "gateway-01", "--wait", "x"}, 2, "--wait"},
            {{"serve", "--name", QString(64, 'n')}, 2, "--name"},
            {{"serve", "--name", "http://x"}, 2, "--name"},
        };
        for (const Case& c : cases) {
            auto r = b(c.args);
            QVERIFY2(r.exitCode == c.exit, qPrintable(c.args.join(' ') + " -> " + QString::number(r.exitCode) + ": " + r.err));
            QVERIFY2(r.err.contains(c.says), qPrintable(c.args.join(' ') + ": " + r.err));
            QCOMPARE(r.err.trimmed().count('\n'), 0); // one line
        }
        // A model bridge answers but has no packages: say so, not what its
        // model catalog held.
        const fs::path bridgeFiles = box / "bridge-files";
        fs::create_directories(bridgeFiles);
        testutil::BridgeProcess bridge(bridgeFiles);
        QVERIFY(bridge.ok());
        auto fromBridge = b({"package", "sync", "--from", bridge.url()});
        QCOMPARE(fromBridge.exitCode, 1);
        QVERIFY2(fromBridge.err.contains("lists no packages; a model bridge offers models only"),
                 qPrintable(fromBridge.err));
        QCOMPARE(fromBridge.err.trimmed().count('\n'), 0);

        // Nobody to ask at all: no mDNS, no --peer, nothing remembered.
        auto r = runCli({"package", "check-updates", "--no-mdns"}, box / "nobody");
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no peers to ask"), qPrintable(r.err));
    }

    // A peer reached once is remembered; then its node name or node id is
    // enough for --from and --peer, without mDNS.
    void syncFromANodeNameOrId()
    {
        const fs::path homeE = box / "e";
        auto r = runCli({"package", "sync", "--from", "gateway-01", "--no-mdns", "--id", "production-inspection",
                         "--download-only"},
                        homeE);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no peer named gateway-01 (looked in remembered peers; mDNS not asked: --no-mdns)"),
                 qPrintable(r.err));

        // E reaches A once, by address.
        r = runCli({"peers", "--peer", base, "--no-mdns", "--json"}, homeE);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject seen = json(r)["peers"].toArray()[0].toObject();
        QCOMPARE(seen["node_name"].toString(), QString("gateway-01"));
        QCOMPARE(seen["node_id"].toString(), nodeIdOf(homeA()));

        for (const QString& name : {QString("gateway-01"), QString("GATEWAY-01"), nodeIdOf(homeA())}) {
            r = runCli({"package", "sync", "--from", name, "--no-mdns", "--id", "production-inspection",
                        "--download-only", "--json"},
                       homeE);
            QVERIFY2(r.exitCode == 0, qPrintable(name + ": " + r.err));
            const QString full = QDir(p("out")).entryList({"*-v1.3.atmo"}).value(0);
            QCOMPARE(readFile(json(r)["path"].toString().toStdString()), readFile(box / "out" / full.toStdString()));
        }

        // `peers` lists the remembered peer, marked, with its name.
        r = runCli({"peers", "--no-mdns", "--json"}, homeE);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonArray list = json(r)["peers"].toArray();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].toObject()["found_by"].toString(), QString("remembered"));
        QCOMPARE(list[0].toObject()["node_name"].toString(), QString("gateway-01"));
        QCOMPARE(list[0].toObject()["endpoint"].toString(), base);
        r = runCli({"peers", "--no-mdns"}, homeE);
        QVERIFY2(r.out.contains("gateway-01") && r.out.contains(nodeIdOf(homeA())) && r.out.contains("remembered"),
                 qPrintable(r.out));

        // --peer takes a name too.
        r = runCli({"peers", "--no-mdns", "--peer", "gateway-01", "--json"}, homeE);
        QCOMPARE(r.exitCode, 0);
    }

    // `package check-updates` with no arguments: mDNS (none here: no bus)
    // plus the remembered peers.
    void checkUpdatesWithNoArguments()
    {
        const fs::path homeF = box / "f";
        QCOMPARE(runCli({"trust", "add", p("keys/mesh.pub"), "--role", "mesh"}, homeF).exitCode, 0);
        const QString v12 = QDir(p("out")).entryList({"*-v1.2.atmo"}).value(0);
        auto r = runCli({"package", "import", p("out") + "/" + v12}, homeF); // into F's default root
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(runCli({"peers", "--peer", base, "--no-mdns"}, homeF).exitCode, 0);

        // No D-Bus here: mDNS cannot be asked (a note), the remembered peer is.
        const QByteArray bus = qgetenv("DBUS_SYSTEM_BUS_ADDRESS");
        qputenv("DBUS_SYSTEM_BUS_ADDRESS", QByteArray("unix:path=") + p("no-bus").toUtf8());
        r = runCli({"package", "check-updates"}, homeF);
        if (bus.isNull())
            qunsetenv("DBUS_SYSTEM_BUS_ADDRESS");
        else
            qputenv("DBUS_SYSTEM_BUS_ADDRESS", bus);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("1.2") && r.out.contains("1.3") && r.out.contains(base), qPrintable(r.out));
    }

    // Two peers with one name: a usage error naming both; the node id or
    // the address still picks one.
    void ambiguousNodeName()
    {
        const fs::path homeG = box / "g", homeTwin = box / "twin";
        std::unique_ptr<ServeProcess> twin;
        const QString baseTwin = serve(twin, homeTwin, "gateway-01");
        QVERIFY(!baseTwin.isEmpty());
        QCOMPARE(runCli({"peers", "--peer", base, "--peer", baseTwin, "--no-mdns"}, homeG).exitCode, 0);

        auto r = runCli({"package", "sync", "--from", "gateway-01", "--no-mdns", "--download-only"}, homeG);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--from gateway-01: 2 peers have that name") && r.err.contains(base) &&
                     r.err.contains(baseTwin) && r.err.contains(nodeIdOf(homeA())),
                 qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0);

        r = runCli({"package", "sync", "--from", nodeIdOf(homeA()), "--no-mdns", "--id", "production-inspection",
                    "--download-only", "--json"},
                   homeG);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    // A damaged remembered-peers file: one warning, then an empty list.
    void corruptRememberedPeers()
    {
        const fs::path homeH = box / "h";
        writeFile(homeH / "peers.json", "{\"peers\": [ this is not json");
        auto r = runCli({"peers", "--no-mdns", "--json"}, homeH);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(json(r)["peers"].toArray().size(), 0);
        QVERIFY2(r.err.contains("warning") && r.err.contains("peers.json"), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0);
        r = runCli({"peers", "--no-mdns", "--peer", base, "--json"}, homeH);
        QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), qPrintable(r.err)); // warned once
        r = runCli({"peers", "--no-mdns", "--json"}, homeH);
        QCOMPARE(json(r)["peers"].toArray().size(), 1);
    }

    // Last: it adds 1.4 to what A offers.
    void deltaUpdatesPreferredWithFallback()
    {
        const QString v13 = QDir(p("out")).entryList({"*-v1.3.atmo"}).value(0);
        for (const char* root : {"dev-delta", "dev-changed", "dev-full"}) {
            auto r = b({"package", "import", p("out") + "/" + v13, "--root", p(root)});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
        // A builds 1.4 (one model changed in places, an agent changed) as a
        // full package and as a delta from its 1.3.
        fs::copy(box / "mission", box / "mission-1.4", fs::copy_options::recursive);
        const fs::path model = box / "mission-1.4/models/tinyyolo-defects-1.3.onnx";
        for (std::uint64_t at : {100u, 70000u, 300000u})
            flipByte(model, at);
        writeFile(box / "mission-1.4/agents/inspector-1.0.yaml", "name: inspector\nmodel: tinyyolo-defects\ntools: []\n");
        for (const QStringList& extra : {QStringList{}, QStringList{"--delta-from", "production-inspection-1.3"}}) {
            auto r = a(QStringList{"package", "create", "--mission", p("mission-1.4"), "--version", "1.4", "--output",
                                   p("out"), "--sign", p("keys/mesh.key")} +
                       extra);
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
        const fs::path full14 = box / "out/production-inspection-v1.4.atmo";
        const fs::path delta14 = box / "out/production-inspection-v1.4-from-v1.3.atmo";
        QVERIFY(fs::exists(full14) && fs::exists(delta14));
        QVERIFY(fs::file_size(delta14) < fs::file_size(full14) / 4);

        // check-updates: both sizes.
        auto r = b({"package", "check-updates", "--peer", base, "--no-mdns", "--root", p("dev-delta"), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject u = json(r)["updates"].toArray().at(0).toObject();
        QCOMPARE(u["offered_version"].toString(), QString("1.4"));
        QCOMPARE(u["full_size_bytes"].toInteger(), qint64(fs::file_size(full14)));
        QCOMPARE(u["delta"].toObject()["from"].toString(), QString("1.3"));
        QCOMPARE(u["delta"].toObject()["size_bytes"].toInteger(), qint64(fs::file_size(delta14)));
        r = b({"package", "check-updates", "--peer", base, "--no-mdns", "--root", p("dev-delta")});
        QVERIFY2(r.out.contains("FULL") && r.out.contains("DELTA") &&
                     r.out.contains(QString::fromStdString(atmo::humanBytes(fs::file_size(delta14)))),
                 qPrintable(r.out));
        // F's device has 1.2: no delta goes onto it, only the full size.
        r = runCli({"package", "check-updates", "--peer", base, "--no-mdns", "--json"}, box / "f");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(json(r)["updates"].toArray().at(0).toObject()["delta"].isNull());

        // sync takes the delta: only it is downloaded.
        r = b({"package", "sync", "--from", base, "--root", p("dev-delta")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("delta update from 1.3") && r.out.contains("Installed production-inspection 1.4"),
                 qPrintable(r.out));
        const QDir downloads(QString::fromStdString((homeB() / "downloads").string()));
        QVERIFY(!downloads.entryList({"*-v1.4-from-v1.3.atmo"}).isEmpty());
        QVERIFY(downloads.entryList({"*-v1.4.atmo"}).isEmpty());
        auto installedDir = [&](const char* root) {
            const auto list = json(b({"package", "list", "--root", p(root), "--json"}))["packages"].toArray();
            return fs::path(list.at(0).toObject()["dir"].toString().toStdString());
        };
        const auto listed = json(b({"package", "list", "--root", p("dev-delta"), "--json"}))["packages"].toArray();
        QCOMPARE(listed.at(0).toObject()["version"].toString(), QString("1.4"));
        QCOMPARE(listed.at(0).toObject()["previous_version"].toString(), QString("1.3"));
        QCOMPARE(readFile(installedDir("dev-delta") / "models/tinyyolo-defects-1.3.onnx"), readFile(model));

        // A base file changed on this device: the delta does not apply, the
        // full package does.
        flipByte(installedDir("dev-changed") / "models/tinyyolo-defects-1.3.onnx", 5);
        r = b({"package", "sync", "--from", base, "--root", p("dev-changed")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.err.contains("the delta did not apply; fetching the full package"), qPrintable(r.err));
        QVERIFY2(r.out.contains("Installed production-inspection 1.4"), qPrintable(r.out));
        QCOMPARE(readFile(installedDir("dev-changed") / "models/tinyyolo-defects-1.3.onnx"), readFile(model));
        QVERIFY(!downloads.entryList({"*-v1.4.atmo"}).isEmpty());

        // --full: no delta asked for.
        r = b({"package", "sync", "--from", base, "--root", p("dev-full"), "--full"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(!r.out.contains("delta update") && r.out.contains("Installed production-inspection 1.4"), qPrintable(r.out));
    }
};

ATMO_TEST_GUILESS_MAIN(PackageSyncTest)
#include "tst_app_package_sync.moc"
