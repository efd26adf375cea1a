// The mesh end to end, in a network namespace of its own with a real
// avahi-daemon (tests/mdns/netns_avahi.sh): `atmosphere serve` advertises
// itself; a Python model bridge (tests/mesh/bridge_peer.py, not our code)
// registers itself with python3-zeroconf as the bridge does; then another
// station's `atmosphere peers` and `atmosphere models` find both over mDNS,
// fetch their catalogs over HTTP and merge them. Every process runs inside
// the namespace (`ip netns exec`), so no packet touches a real interface.
// Then the hostile part of mDNS: a Python node registered without any
// address record and one with garbage TXT must not take a station down, nor
// can a flood of names or avahi-daemon restarting.
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include "core/mesh/mdns.h"
#include "core/base/sha256.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

QString readLine(QProcess& p, int msec)
{
    QDeadlineTimer deadline(msec);
    while (!p.canReadLine()) {
        if (p.state() == QProcess::NotRunning || deadline.hasExpired())
            return {};
        p.waitForReadyRead(200);
    }
    return QString::fromUtf8(p.readLine()).trimmed();
}

void stop(QProcess& p)
{
    if (p.state() == QProcess::NotRunning)
        return;
    p.terminate();
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished(5000);
    }
}

} // namespace

class TestMeshEndToEnd : public QObject {
    Q_OBJECT

    QProcess harness_;
    QString skip_;
    QString ns_;
    QString bus_;

    // A process inside the namespace, on the private bus, with its own home.
    void startInNamespace(QProcess& p, const QString& program, const QStringList& args, const fs::path& home)
    {
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start("ip", QStringList{"netns", "exec", ns_, "env", "DBUS_SYSTEM_BUS_ADDRESS=" + bus_,
                                  "ATMOSPHERE_HOME=" + QString::fromStdString(home.string()),
                                  "HOME=" + QString::fromStdString(home.string()), program} +
                          args);
    }

    QJsonObject runJson(const QStringList& args, const fs::path& home, int* exitCode)
    {
        QProcess p;
        startInNamespace(p, cliPath(), args, home);
        p.waitForFinished(60000);
        *exitCode = p.exitCode();
        if (p.exitStatus() == QProcess::CrashExit) {
            qWarning("%s: crashed (signal %d): %s", qPrintable(args.join(' ')), p.exitCode(),
                     p.readAllStandardError().constData());
            *exitCode = 128 + p.exitCode();
        }
        const QByteArray out = p.readAllStandardOutput();
        if (p.exitCode() != 0)
            qWarning("%s: %s", qPrintable(args.join(' ')), p.readAllStandardError().constData());
        return QJsonDocument::fromJson(out).object();
    }

    // A Python model bridge serving `dir`; its port, or "" (after a QFAIL-worthy warning).
    QString startBridge(QProcess& bridge, const fs::path& dir, const fs::path& home)
    {
        startInNamespace(bridge, "/usr/bin/python3",
                         {QFINDTESTDATA("mesh/bridge_peer.py"), "--dir", QString::fromStdString(dir.string())}, home);
        const QString line = readLine(bridge, 30000);
        if (!line.startsWith("PORT "))
            qWarning("bridge_peer.py: %s %s", qPrintable(line), bridge.readAllStandardError().constData());
        return line.startsWith("PORT ") ? line.mid(5) : QString();
    }

    bool harnessCommand(const QString& command)
    {
        harness_.write(command.toUtf8() + "\n");
        const QString answer = readLine(harness_, 30000);
        if (answer != "OK " + command)
            qWarning("harness answered '%s' to %s", qPrintable(answer), qPrintable(command));
        return answer == "OK " + command;
    }

    // A station `serve` in the namespace; its port, or "" (after a warning).
    QString startServe(QProcess& serve, const fs::path& models, const fs::path& home)
    {
        startInNamespace(serve, cliPath(),
                         {"serve", "--port", "0", "--no-library-defaults", "--models",
                          QString::fromStdString(models.string())},
                         home);
        const QString serving = readLine(serve, 60000);
        if (!serving.startsWith("serving "))
            qWarning("serve: %s %s", qPrintable(serving), serve.readAllStandardError().constData());
        return serving.startsWith("serving ") ? serving.section(':', -1) : QString();
    }

    // Registers a bridge's port over mDNS with python3-zeroconf, as the bridge does.
    bool registerBridge(QProcess& zc, const QString& name, const QString& port, const QString& nodeId,
                        const fs::path& home)
    {
        startInNamespace(zc, "/usr/bin/python3",
                         {QFINDTESTDATA("mdns/zc_tool.py"), "register", "--name", name, "--port", port, "--txt",
                          "node_id=" + nodeId, "--txt", "mesh_id=atmosphere", "--txt", "capabilities=models"},
                         home);
        const QString line = readLine(zc, 30000);
        if (!line.startsWith("REGISTERED"))
            qWarning("zc_tool.py: %s %s", qPrintable(line), zc.readAllStandardError().constData());
        return line.startsWith("REGISTERED");
    }

    // Whether serve's /v1/peers (asked without mDNS) lists nodeId, reachable.
    bool serveLists(const QString& servePort, const QString& nodeId, const fs::path& home, QJsonObject* seen)
    {
        int rc = -1;
        *seen = runJson({"peers", "--json", "--no-mdns", "--peer", "http://127.0.0.1:" + servePort, "--wait", "0"},
                        home, &rc);
        for (const auto& v : (*seen)["peers"].toArray()) {
            const QJsonObject p = v.toObject();
            if (p["node_id"].toString() == nodeId && p["reachable"].toBool())
                return true;
        }
        return false;
    }

private slots:
    void initTestCase()
    {
        const QString script = QFINDTESTDATA("mdns/netns_avahi.sh");
        QVERIFY(!script.isEmpty());
        harness_.start("bash", {script});
        QVERIFY(harness_.waitForStarted(10000));
        const QString line = readLine(harness_, 60000);
        if (line.startsWith("SKIP ")) {
            skip_ = line.mid(5);
            return;
        }
        QVERIFY2(line.startsWith("READY "), qPrintable(line + harness_.readAllStandardError()));
        const QStringList parts = line.split(' ');
        ns_ = parts[1];
        bus_ = parts[2];
    }

    void cleanupTestCase()
    {
        if (harness_.state() == QProcess::NotRunning)
            return;
        harness_.write("quit\n");
        harness_.closeWriteChannel();
        if (!harness_.waitForFinished(30000))
            harness_.kill();
    }

    void stationsAndBridgeFindEachOther()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        Sandbox box;
        const fs::path homeA = box / "station-a", homeB = box / "station-b";
        fs::create_directories(box / "models-a");
        fs::create_directories(box / "models-bridge");
        writeRandomFile(box / "models-a" / "edge-llm.gguf", 300 * 1024, 21);
        writeRandomFile(box / "models-bridge" / "defects.onnx", 120 * 1024, 22);
        fs::copy_file(box / "models-a" / "edge-llm.gguf", box / "models-bridge" / "edge-llm.gguf");

        // Station A serves its models and advertises itself.
        QProcess serve;
        startInNamespace(serve, cliPath(),
                         {"serve", "--port", "0", "--no-library-defaults", "--models",
                          QString::fromStdString((box / "models-a").string())},
                         homeA);
        const QString serving = readLine(serve, 60000);
        QVERIFY2(serving.startsWith("serving 1 model on http://"),
                 qPrintable(serving + serve.readAllStandardError()));

        // A Python model bridge: HTTP server plus a zeroconf registration
        // with the TXT records of PROTOCOL.md.
        QProcess bridge;
        startInNamespace(bridge, "/usr/bin/python3",
                         {QFINDTESTDATA("mesh/bridge_peer.py"), "--dir",
                          QString::fromStdString((box / "models-bridge").string())},
                         box / "bridge-home");
        const QString bridgePort = readLine(bridge, 30000).mid(5);
        QVERIFY2(bridgePort.toInt() > 0, bridge.readAllStandardError().constData());
        QProcess zc;
        startInNamespace(zc, "/usr/bin/python3",
                         {QFINDTESTDATA("mdns/zc_tool.py"), "register", "--name", "atmosphere-pybridge", "--port",
                          bridgePort, "--txt", "node_id=python-bridge-node", "--txt", "mesh_id=atmosphere", "--txt",
                          "capabilities=models"},
                         box / "bridge-home");
        QVERIFY2(readLine(zc, 30000).startsWith("REGISTERED"), zc.readAllStandardError().constData());

        // Station B looks around.
        int rc = -1;
        const QJsonObject peers = runJson({"peers", "--json", "--wait", "4"}, homeB, &rc);
        QCOMPARE(rc, 0);
        const QJsonArray list = peers["peers"].toArray();
        QCOMPARE(list.size(), 2);
        bool sawStation = false, sawBridge = false;
        for (const auto& v : list) {
            const QJsonObject p = v.toObject();
            QCOMPARE(p["found_by"].toString(), QStringLiteral("mdns"));
            QVERIFY2(p["reachable"].toBool(), qPrintable(p["error"].toString()));
            if (p["node_id"].toString() == "python-bridge-node") {
                sawBridge = true;
                QCOMPARE(p["models"].toInt(), 2);
            } else {
                sawStation = true;
                QCOMPARE(p["models"].toInt(), 1);
                QVERIFY(p["name"].toString().size() > 0);
            }
        }
        QVERIFY(sawStation && sawBridge);

        const QJsonObject models = runJson({"models", "--json", "--wait", "4"}, homeB, &rc);
        QCOMPARE(rc, 0);
        const QJsonArray merged = models["models"].toArray();
        QCOMPARE(merged.size(), 2);
        for (const auto& v : merged) {
            const QJsonObject m = v.toObject();
            if (m["model_id"].toString() == "edge-llm") {
                QCOMPARE(m["peers"].toArray().size(), 2); // offered by both, merged into one entry
                QCOMPARE(m["sha256"].toString().toStdString(),
                         atmo::sha256FileHex(box / "models-a" / "edge-llm.gguf", {}).value());
            } else {
                QCOMPARE(m["model_id"].toString(), QStringLiteral("defects"));
                QCOMPARE(m["type"].toString(), QStringLiteral("vision"));
            }
        }

        // The bridge leaves (mDNS goodbye): B no longer finds it on mDNS,
        // only among the peers it remembers (its HTTP server still answers).
        zc.write("quit\n");
        QVERIFY(readLine(zc, 30000).startsWith("UNREGISTERED"));
        const QJsonArray after = runJson({"peers", "--json", "--wait", "3"}, homeB, &rc)["peers"].toArray();
        QCOMPARE(after.size(), 2);
        for (const auto& v : after) {
            const QJsonObject p = v.toObject();
            const bool bridgePeer = p["node_id"].toString() == "python-bridge-node";
            QCOMPARE(p["found_by"].toString(), bridgePeer ? QString("remembered") : QString("mdns"));
        }

        // A station does not list itself (only the bridge its serve
        // remembered, which still answers over HTTP).
        const QJsonObject self = runJson({"peers", "--json", "--wait", "3"}, homeA, &rc);
        const QString ownId = stationNodeId(homeA);
        for (const auto& v : self["peers"].toArray())
            QVERIFY(v.toObject()["node_id"].toString() != ownId);
        QVERIFY(self["peers"].toArray().size() <= 1);

        stop(zc);
        stop(bridge);
        stop(serve);
    }

    // A node of the mesh's own Python implementation advertises without an
    // address record; another advertises garbage TXT. `peers` lists the first
    // as unresolved and exits 0 (it used to abort in libdbus, exit 134), a
    // running `serve` survives both, and once the first gains an address
    // (same service, no goodbye) serve's retry resolves it and fetches its
    // catalog.
    void pythonNodeWithoutAddress()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        Sandbox box;
        const fs::path homeA = box / "station-a", homeB = box / "station-b";
        for (const char* d : {"models-a", "models-py", "models-junk"})
            fs::create_directories(box / d);
        writeRandomFile(box / "models-a" / "station-llm.gguf", 64 * 1024, 31);
        writeRandomFile(box / "models-py" / "py-vision.onnx", 64 * 1024, 32);
        writeRandomFile(box / "models-junk" / "junk-llm.gguf", 64 * 1024, 33);

        QProcess serve;
        startInNamespace(serve, cliPath(),
                         {"serve", "--port", "0", "--no-library-defaults", "--models",
                          QString::fromStdString((box / "models-a").string())},
                         homeA);
        const QString serving = readLine(serve, 60000);
        QVERIFY2(serving.startsWith("serving 1 model on http://"), qPrintable(serving + serve.readAllStandardError()));
        const QString servePort = serving.section(':', -1);
        QVERIFY(servePort.toInt() > 0);

        // Registered as the mesh's Python discovery does: ServiceInfo without addresses.
        QProcess pyBridge, pyZc;
        const QString pyPort = startBridge(pyBridge, box / "models-py", box / "py-home");
        QVERIFY(!pyPort.isEmpty());
        startInNamespace(pyZc, "/usr/bin/python3",
                         {QFINDTESTDATA("mdns/zc_tool.py"), "register", "--name", "atmosphere-pynoaddr", "--port", pyPort,
                          "--no-address", "--txt", "node_id=python-noaddr-node", "--txt", "mesh_id=atmosphere", "--txt",
                          "capabilities=models"},
                         box / "py-home");
        QVERIFY2(readLine(pyZc, 30000).startsWith("REGISTERED"), pyZc.readAllStandardError().constData());

        // Garbage TXT, with an address: duplicate and upper-case keys, an
        // empty value, a 250-byte value, bytes that are not UTF-8.
        QProcess junkBridge, junkZc;
        const QString junkPort = startBridge(junkBridge, box / "models-junk", box / "junk-home");
        QVERIFY(!junkPort.isEmpty());
        QStringList junkArgs{QFINDTESTDATA("mdns/zc_tool.py"), "register", "--name", "atmosphere-junk", "--port", junkPort};
        for (const QByteArray& r : {QByteArray("NODE_ID=junk-node"), QByteArray("node_id=junk-second"),
                                    QByteArray("mesh_id="), QByteArray("capabilities=models,\xff\xfe"),
                                    QByteArray("x=") + QByteArray(250, 'x'), QByteArray("\xc3\x28=\xa0")})
            junkArgs << "--txt-hex" << QString::fromLatin1(r.toHex());
        startInNamespace(junkZc, "/usr/bin/python3", junkArgs, box / "junk-home");
        QVERIFY2(readLine(junkZc, 30000).startsWith("REGISTERED"), junkZc.readAllStandardError().constData());

        // With the default 3 s wait, shorter than Avahi's 5 s resolve
        // timeout: the node is still resolving when the wait ends, and is
        // listed as unresolved rather than missing (it used to be missing,
        // and --from said there was no peer of that name).
        {
            QProcess quickPeers;
            startInNamespace(quickPeers, cliPath(), {"peers", "--json"}, homeB);
            QVERIFY(quickPeers.waitForFinished(60000));
            const QString quickErr = QString::fromUtf8(quickPeers.readAllStandardError());
            QVERIFY2(quickPeers.exitStatus() == QProcess::NormalExit && quickPeers.exitCode() == 0, qPrintable(quickErr));
            const QJsonObject quick = QJsonDocument::fromJson(quickPeers.readAllStandardOutput()).object();
            QJsonObject pending;
            for (const auto& v : quick["peers"].toArray())
                if (v.toObject()["name"].toString() == "atmosphere-pynoaddr")
                    pending = v.toObject();
            QVERIFY2(!pending.isEmpty(), qPrintable(QJsonDocument(quick).toJson() + quickErr));
            QCOMPARE(pending["resolved"].toBool(true), false);
            QCOMPARE(pending["reachable"].toBool(true), false);
            QCOMPARE(pending["found_by"].toString(), QStringLiteral("mdns"));
            QCOMPARE(pending["endpoint"].toString(), QString());
            QVERIFY2(pending["error"].toString().contains("no address yet"), qPrintable(pending["error"].toString()));

            QProcess sync;
            startInNamespace(sync, cliPath(),
                             {"package", "sync", "--from", "atmosphere-pynoaddr", "--root",
                              QString::fromStdString((box / "synced").string())},
                             homeB);
            QVERIFY(sync.waitForFinished(60000));
            const QString syncErr = QString::fromUtf8(sync.readAllStandardError());
            QVERIFY2(sync.exitStatus() == QProcess::NormalExit && sync.exitCode() == 1, qPrintable(syncErr));
            QVERIFY2(syncErr.contains("atmosphere-pynoaddr: seen on mDNS, but its address could not be resolved"),
                     qPrintable(syncErr));
            QVERIFY(!fs::exists(box / "synced"));
        }

        // Long enough for Avahi's 5 s resolve timeouts (IPv4, then any address).
        // A pull of a model nobody has runs meanwhile; it names every peer
        // with an error.
        QProcess pull;
        startInNamespace(pull, cliPath(),
                         {"model", "pull", "no-such-model", "--wait", "20", "--dest",
                          QString::fromStdString((box / "pulled").string())},
                         homeB);
        int rc = -1;
        const QJsonObject peers = runJson({"peers", "--json", "--wait", "20"}, homeB, &rc);
        QCOMPARE(rc, 0);
        QJsonObject unresolved, junk, station;
        for (const auto& v : peers["peers"].toArray()) {
            const QJsonObject p = v.toObject();
            if (p["name"].toString() == "atmosphere-pynoaddr")
                unresolved = p;
            else if (p["name"].toString() == "atmosphere-junk")
                junk = p;
            else
                station = p;
        }
        QCOMPARE(peers["peers"].toArray().size(), 3);
        QCOMPARE(unresolved["resolved"].toBool(true), false);
        QCOMPARE(unresolved["reachable"].toBool(true), false);
        QCOMPARE(unresolved["found_by"].toString(), QStringLiteral("mdns"));
        QCOMPARE(unresolved["node_id"].toString(), QStringLiteral("python-noaddr-node"));
        QCOMPARE(unresolved["endpoint"].toString(), QString());
        QVERIFY2(unresolved["error"].toString().contains("cannot resolve"), qPrintable(unresolved["error"].toString()));
        QCOMPARE(junk["node_id"].toString(), QStringLiteral("junk-node"));
        QVERIFY2(junk["reachable"].toBool(), qPrintable(junk["error"].toString()));
        QCOMPARE(junk["models"].toInt(), 1);
        QVERIFY2(station["reachable"].toBool(), qPrintable(station["error"].toString()));

        // Station A has been browsing since before both appeared.
        QCOMPARE(serve.state(), QProcess::Running);

        // An error line names the unresolved peer: it has no endpoint to
        // name (it used to read "; : mDNS: cannot resolve ...").
        pull.waitForFinished(60000);
        const QString pullErr = QString::fromUtf8(pull.readAllStandardError());
        QVERIFY2(pull.exitStatus() == QProcess::NormalExit && pull.exitCode() != 0, qPrintable(pullErr));
        QVERIFY2(pullErr.contains("; atmosphere-pynoaddr: mDNS: cannot resolve peer 'atmosphere-pynoaddr'"),
                 qPrintable(pullErr));
        QVERIFY2(!pullErr.contains("; : "), qPrintable(pullErr));

        // The node gains an address: A's retry resolves it, fetches its
        // catalog, and lists it in /v1/peers (asked here without mDNS).
        pyZc.write("add-address 127.0.0.1\n");
        QCOMPARE(readLine(pyZc, 30000), QStringLiteral("UPDATED"));
        const QStringList askA{"peers", "--json", "--no-mdns", "--peer", "http://127.0.0.1:" + servePort, "--wait", "0"};
        QJsonObject viaA;
        const bool listed = waitFor([&] {
            viaA = runJson(askA, homeB, &rc);
            for (const auto& v : viaA["peers"].toArray()) {
                const QJsonObject p = v.toObject();
                if (p["node_id"].toString() == "python-noaddr-node" && p["reachable"].toBool() && p["models"].toInt() == 1)
                    return true;
            }
            return false;
        }, 180000);
        QVERIFY2(listed, QJsonDocument(viaA).toJson().constData());
        QCOMPARE(serve.state(), QProcess::Running);

        // And B, asking over mDNS now, resolves it at once.
        const QJsonObject after = runJson({"peers", "--json", "--wait", "4"}, homeB, &rc);
        QCOMPARE(rc, 0);
        bool resolvedNow = false;
        for (const auto& v : after["peers"].toArray()) {
            const QJsonObject p = v.toObject();
            if (p["name"].toString() == "atmosphere-pynoaddr")
                resolvedNow = p["resolved"].toBool() && p["reachable"].toBool() && p["models"].toInt() == 1;
        }
        QVERIFY2(resolvedNow, QJsonDocument(after).toJson().constData());

        for (QProcess* p : {&pyZc, &junkZc, &pyBridge, &junkBridge, &serve})
            stop(*p);
    }

    // A host registers 300 _atmosphere._tcp names at once (with addresses,
    // without node_id); a legitimate bridge registers after them. `peers`
    // lists at most kMdnsMaxPeers of them, says once that the others wait,
    // and the bridge is among those listed: a useless peer gave its slot up.
    // A `serve` running meanwhile stays up and has found the bridge too.
    void floodOfServicesIsCapped()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        Sandbox box;
        fs::create_directories(box / "models-a");
        fs::create_directories(box / "models-py");
        writeRandomFile(box / "models-a" / "station-llm.gguf", 64 * 1024, 41);
        writeRandomFile(box / "models-py" / "flood-survivor.onnx", 64 * 1024, 42);
        QProcess serve;
        const QString servePort = startServe(serve, box / "models-a", box / "station-a");
        QVERIFY(!servePort.isEmpty());

        constexpr int kFlood = 300;
        QProcess flood;
        startInNamespace(flood, "/usr/bin/python3",
                         {QFINDTESTDATA("mdns/zc_tool.py"), "flood", "--prefix", "atmosphere-flood", "--count",
                          QString::number(kFlood), "--port-base", "30000", "--txt", "junk=1"},
                         box / "flood-home");
        const QString flooded = readLine(flood, 60000);
        QVERIFY2(flooded == "REGISTERED " + QString::number(kFlood), qPrintable(flooded + flood.readAllStandardError()));

        QProcess bridge, zc;
        const QString bridgePort = startBridge(bridge, box / "models-py", box / "py-home");
        QVERIFY(!bridgePort.isEmpty());
        QVERIFY(registerBridge(zc, "atmosphere-legit", bridgePort, "legit-bridge-node", box / "py-home"));

        QProcess peers;
        startInNamespace(peers, cliPath(), {"peers", "--json", "--wait", "10"}, box / "station-b");
        QVERIFY(peers.waitForFinished(120000));
        const QString err = QString::fromUtf8(peers.readAllStandardError());
        QVERIFY2(peers.exitStatus() == QProcess::NormalExit && peers.exitCode() == 0, qPrintable(err));
        const QJsonArray list = QJsonDocument::fromJson(peers.readAllStandardOutput()).object()["peers"].toArray();
        int legit = 0, flooding = 0;
        for (const auto& v : list) {
            const QJsonObject p = v.toObject();
            if (p["node_id"].toString() == "legit-bridge-node") {
                ++legit;
                QVERIFY2(p["reachable"].toBool() && p["models"].toInt() == 1, qPrintable(p["error"].toString()));
            } else if (p["name"].toString().startsWith("atmosphere-flood-")) {
                ++flooding;
            }
        }
        qInfo("peers listed %d flooding names of %d, the legitimate bridge %d time(s), %d rows",
              flooding, kFlood, legit, int(list.size()));
        QVERIFY2(list.size() <= int(atmo::kMdnsMaxPeers), qPrintable(QString::number(list.size())));
        QCOMPARE(legit, 1);
        QVERIFY(flooding > 0);
        QCOMPARE(err.count("the others wait for a free slot"), 1);

        // serve has been browsing all along: still up, and its /v1/peers has
        // the bridge (only peers it could fetch are listed there).
        QJsonObject seen;
        QVERIFY2(waitFor([&] { return serveLists(servePort, "legit-bridge-node", box / "station-b", &seen); }, 60000),
                 QJsonDocument(seen).toJson().constData());
        QCOMPARE(serve.state(), QProcess::Running);

        // Goodbyes for all 300, so that no later test meets them.
        for (QProcess* p : {&flood, &zc}) {
            p->write("quit\n");
            QVERIFY(readLine(*p, 60000).startsWith("UNREGISTERED"));
        }
        for (QProcess* p : {&flood, &zc, &bridge, &serve})
            stop(*p);
    }

    // avahi-daemon restarts under a running `serve`: serve reconnects, finds
    // a bridge registered after the restart (its /v1/peers lists it), and
    // publishes itself again (python-zeroconf sees its advert).
    // The node name is the mDNS instance name (python3-zeroconf sees it); a
    // second station of the same name is renamed by Avahi; and `package
    // sync --from NAME` (or NODE_ID) finds a station over mDNS alone.
    void nodeNamesOnMdns()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        Sandbox box;
        const fs::path homeA = box / "station-a", homeB = box / "station-b", homeC = box / "station-c";
        auto path = [&box](const std::string& rel) { return QString::fromStdString((box / rel).string()); };
        makeMission(box / "mission");
        QCOMPARE(runCli({"key", "generate", "--name", "mesh", "--out", path("keys"), "--unencrypted"}, homeA).exitCode, 0);
        const CliRun created = runCli({"package", "create", "--mission", path("mission"), "--version", "1.3", "--output",
                                       path("out"), "--sign", path("keys/mesh.key")},
                                      homeA);
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        fs::create_directories(box / "models");

        auto startNamed = [&](QProcess& serve, const fs::path& home) {
            startInNamespace(serve, cliPath(),
                             {"serve", "--port", "0", "--no-library-defaults", "--models", path("models"), "--name",
                              "gateway-01"},
                             home);
            const QString serving = readLine(serve, 60000);
            if (!serving.startsWith("serving "))
                qWarning("serve: %s %s", qPrintable(serving), serve.readAllStandardError().constData());
            return stationNodeId(home);
        };
        auto advertisedName = [&](const QString& nodeId) {
            QProcess browse;
            startInNamespace(browse, "/usr/bin/python3",
                             {QFINDTESTDATA("mdns/zc_tool.py"), "browse", "--node-id", nodeId, "--timeout", "30"},
                             box / "py-home");
            browse.waitForFinished(60000);
            return QJsonDocument::fromJson(browse.readAllStandardOutput()).object()["name"].toString();
        };
        auto cli = [&](const QStringList& args, const fs::path& home, QString* err) {
            QProcess p;
            startInNamespace(p, cliPath(), args, home);
            p.waitForFinished(60000);
            *err = QString::fromUtf8(p.readAllStandardError());
            return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        };

        QProcess serveA;
        const QString nodeA = startNamed(serveA, homeA);
        QCOMPARE(advertisedName(nodeA), QString("gateway-01._atmosphere._tcp.local."));

        // B has never seen A: the name is found on mDNS.
        QString err;
        QCOMPARE(cli({"package", "sync", "--from", "gateway-01", "--id", "production-inspection", "--download-only",
                      "--wait", "4"},
                     homeB, &err),
                 0);
        const QString file = QDir(path("out")).entryList({"*-v1.3.atmo"}).value(0);
        QCOMPARE(readFile(homeB / "downloads" / file.toStdString()), readFile(box / "out" / file.toStdString()));

        // C takes the same name: Avahi renames its instance, serve says so.
        QProcess serveC;
        const QString nodeC = startNamed(serveC, homeC);
        const QString renamed = advertisedName(nodeC);
        QVERIFY2(renamed.startsWith("gateway-01 #") && renamed.endsWith("._atmosphere._tcp.local."), qPrintable(renamed));
        QByteArray told;
        QVERIFY2(waitFor(
                     [&] {
                         serveC.waitForReadyRead(200);
                         told += serveC.readAllStandardError();
                         return told.contains("advertised as \"gateway-01 #");
                     },
                     30000),
                 told.constData());

        // Now the name is ambiguous for a station that asks (both catalogs
        // say gateway-01); the node id still picks A.
        const fs::path homeD = box / "station-d";
        QCOMPARE(cli({"package", "sync", "--from", "gateway-01", "--download-only", "--wait", "4"}, homeD, &err), 2);
        QVERIFY2(err.contains("2 peers have that name") && err.contains(nodeA) && err.contains(nodeC), qPrintable(err));
        QCOMPARE(cli({"package", "sync", "--from", nodeA, "--id", "production-inspection", "--download-only", "--wait",
                      "4"},
                     homeD, &err),
                 0);
        for (QProcess* p : {&serveC, &serveA})
            stop(*p);
    }

    void serveSurvivesDaemonRestart()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        Sandbox box;
        fs::create_directories(box / "models-a");
        fs::create_directories(box / "models-py");
        writeRandomFile(box / "models-a" / "station-llm.gguf", 64 * 1024, 51);
        writeRandomFile(box / "models-py" / "after-restart.onnx", 64 * 1024, 52);
        QProcess serve;
        const QString servePort = startServe(serve, box / "models-a", box / "station-a");
        QVERIFY(!servePort.isEmpty());
        int rc = -1;
        const QJsonObject self = runJson({"peers", "--json", "--no-mdns", "--peer", "http://127.0.0.1:" + servePort,
                                          "--wait", "0"},
                                         box / "station-b", &rc);
        const QString serveNodeId = self["peers"].toArray().at(0).toObject()["node_id"].toString();
        QVERIFY2(!serveNodeId.isEmpty(), QJsonDocument(self).toJson().constData());

        QVERIFY(harnessCommand("restart-avahi"));

        QProcess bridge, zc;
        const QString bridgePort = startBridge(bridge, box / "models-py", box / "py-home");
        QVERIFY(!bridgePort.isEmpty());
        QVERIFY(registerBridge(zc, "atmosphere-after-restart", bridgePort, "after-restart-node", box / "py-home"));
        QJsonObject seen;
        QVERIFY2(waitFor([&] { return serveLists(servePort, "after-restart-node", box / "station-b", &seen); }, 90000),
                 QJsonDocument(seen).toJson().constData());

        QProcess browse;
        startInNamespace(browse, "/usr/bin/python3",
                         {QFINDTESTDATA("mdns/zc_tool.py"), "browse", "--node-id", serveNodeId, "--timeout", "30"},
                         box / "py-home");
        QVERIFY(browse.waitForFinished(60000));
        QVERIFY2(browse.exitCode() == 0, browse.readAllStandardError().constData());
        const QJsonObject advert = QJsonDocument::fromJson(browse.readAllStandardOutput()).object();
        QCOMPARE(advert["port"].toInt(), servePort.toInt());
        QCOMPARE(serve.state(), QProcess::Running);

        zc.write("quit\n");
        QVERIFY(readLine(zc, 30000).startsWith("UNREGISTERED"));
        for (QProcess* p : {&zc, &bridge, &serve})
            stop(*p);
    }
};

ATMO_TEST_GUILESS_MAIN(TestMeshEndToEnd)
#include "tst_mesh_e2e.moc"
