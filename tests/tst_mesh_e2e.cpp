// The mesh end to end, in a network namespace of its own with a real
// avahi-daemon (tests/mdns/netns_avahi.sh): `atmosphere serve` advertises
// itself; a Python model bridge (tests/mesh/bridge_peer.py, not our code)
// registers itself with python3-zeroconf as the bridge does; then another
// station's `atmosphere peers` and `atmosphere models` find both over mDNS,
// fetch their catalogs over HTTP and merge them. Every process runs inside
// the namespace (`ip netns exec`), so no packet touches a real interface.
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include "core/sha256.h"
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
        const QByteArray out = p.readAllStandardOutput();
        if (p.exitCode() != 0)
            qWarning("%s: %s", qPrintable(args.join(' ')), p.readAllStandardError().constData());
        return QJsonDocument::fromJson(out).object();
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

        // The bridge leaves (mDNS goodbye): B no longer lists it.
        zc.write("quit\n");
        QVERIFY(readLine(zc, 30000).startsWith("UNREGISTERED"));
        const QJsonObject after = runJson({"peers", "--json", "--wait", "3"}, homeB, &rc);
        QCOMPARE(after["peers"].toArray().size(), 1);

        // A station does not list itself.
        const QJsonObject self = runJson({"peers", "--json", "--wait", "3"}, homeA, &rc);
        QCOMPARE(self["peers"].toArray().size(), 0);

        stop(zc);
        stop(bridge);
        stop(serve);
    }
};

QTEST_GUILESS_MAIN(TestMeshEndToEnd)
#include "tst_mesh_e2e.moc"
