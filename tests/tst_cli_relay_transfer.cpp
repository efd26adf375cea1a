// A model across networks: `atmosphere serve` on the founder's station
// stays joined to the mesh's relay (a real relay process,
// tests/relay/atmo_relay.py, on 127.0.0.1) and `atmosphere model pull` on a
// member's station fetches from it through the relay in websocket_chunked
// mode, both the real binary. Checked: the bytes and the catalog entry that
// arrive, --via relay and the fallback of --via auto, a link the relay cuts
// mid-transfer (the pull rejoins and asks from its bitmap), every direct
// message delivered twice and out of order, a pull interrupted and run
// again (it resumes), and the one-line failures: no membership, no node
// offering the model, a bad --via.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <csignal>
#include <chrono>

#include "core/base/fs_util.h"
#include "core/base/sha256.h"
#include "core/package/station_home.h"
#include "core/relay/join_token.h"
#include "core/transfer/download_journal.h"
#include "mesh_processes.h"
#include "relay_process.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

constexpr const char* kModel = "relay-model";

std::string nodeIdOf(const fs::path& home)
{
    auto id = atmo::StationHome(home).nodeId(); // makes the node key on first use
    return id ? *id : std::string();
}

} // namespace

class CliRelayTransfer : public QObject {
    Q_OBJECT

    Sandbox box;
    int round_ = 0;

    // One mesh per relay process: the founder's home registers it (and
    // serves `models`), the member's home joins it with a token.
    struct Mesh {
        std::unique_ptr<RelayProcess> relay;
        fs::path founder, member, models;
        std::unique_ptr<ServeProcess> serve;
        std::optional<atmo::NodeKey> meshKey;
    };

    // A join token for `nodeId` in the file it returns.
    QString tokenFile(const Mesh& m, const std::string& nodeId, const std::string& name) const
    {
        atmo::JoinTokenRequest request;
        request.meshId = "m1";
        request.issuerId = nodeIdOf(m.founder);
        request.nodeId = nodeId;
        auto token = atmo::issueJoinToken(*m.meshKey, request, atmo::unixSecondsNow());
        if (!token)
            qFatal("issueJoinToken: %s", token.message().c_str());
        const fs::path file = m.founder.parent_path() / name;
        writeFile(file, atmo::joinTokenJson(*token));
        return QString::fromStdString(file.string());
    }

    bool startPyNode(MeshNodeProcess& node, const Mesh& m, const std::string& nodeId, const QStringList& args)
    {
        return node.start(m.relay->meshUrl("m1"), tokenFile(m, nodeId, "token-" + nodeId + ".json"),
                          QString::fromStdString(nodeId), args);
    }

    bool makeMesh(Mesh& m, const QStringList& relayFaults, std::uint64_t modelBytes, const QStringList& serveExtra = {})
    {
        const fs::path dir = box / ("round" + std::to_string(++round_));
        m.founder = dir / "founder";
        m.member = dir / "member";
        m.models = dir / "models";
        fs::create_directories(m.models);
        writeRandomFile(m.models / (std::string(kModel) + ".gguf"), modelBytes, 7u + round_);
        const std::string memberId = nodeIdOf(m.member);
        m.relay = std::make_unique<RelayProcess>(relayFaults.isEmpty() ? QStringList{}
                                                                       : QStringList{relayFaults}.replaceInStrings(
                                                                             "MEMBER", QString::fromStdString(memberId)));
        if (!m.relay->ok())
            return false;
        const atmo::StationHome founder(m.founder);
        if (!founder.ensure())
            return false;
        auto key = founder.createMeshKey("m1");
        if (!key || !founder.setMeshName("m1", "Depot mesh") || !founder.setMeshId("m1"))
            return false;
        m.meshKey = *key;
        CliRun r = runCli({"mesh", "register", "--relay", m.relay->url()}, m.founder);
        if (r.exitCode != 0) {
            qWarning("mesh register: %s", qPrintable(r.err));
            return false;
        }
        r = runCli({"mesh", "join", "--relay", m.relay->url(), "--token", tokenFile(m, memberId, "token.json")}, m.member);
        if (r.exitCode != 0) {
            qWarning("mesh join: %s", qPrintable(r.err));
            return false;
        }
        m.serve = std::make_unique<ServeProcess>(m.founder, QStringList{"--models", QString::fromStdString(m.models.string()),
                                                                        "--name", "depot-station"} + serveExtra);
        return m.serve->ok();
    }

    static QString dest(const Mesh& m, const std::string& name)
    {
        fs::create_directories(m.member.parent_path() / name);
        return QString::fromStdString((m.member.parent_path() / name).string());
    }

    static void checkArrived(const Mesh& m, const CliRun& r, const QString& destDir, const QString& mode = "relay")
    {
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = jsonOf(r);
        const fs::path source = m.models / (std::string(kModel) + ".gguf");
        const fs::path arrived = fs::path(destDir.toStdString()) / (std::string(kModel) + ".gguf");
        const QString founderId = QString::fromStdString(nodeIdOf(m.founder));
        QCOMPARE(o["mode"].toString(), mode);
        if (mode == "relay") {
            QCOMPARE(o["peer"].toString(), founderId);
            QCOMPARE(o["relay"].toString(), m.relay->meshUrl("m1"));
        } else {
            QCOMPARE(o["peers"].toArray(), QJsonArray({founderId}));
        }
        QCOMPARE(o["path"].toString(), QString::fromStdString(arrived.string()));
        QCOMPARE(qint64(o["size_bytes"].toDouble()), qint64(fs::file_size(source)));
        QVERIFY(readFile(arrived) == readFile(source));
        QCOMPARE(o["sha256"].toString().toStdString(), *atmo::sha256FileHex(source, atmo::CancelToken(), {}));
        // The catalog entry beside it, as an HTTP pull leaves it; no journal left.
        const std::string entry = readFile(arrived.parent_path() / (std::string(kModel) + ".json"));
        QVERIFY(entry.find("\"model_id\":\"relay-model\"") != std::string::npos);
        for (const auto& f : fs::directory_iterator(arrived.parent_path()))
            QVERIFY2(f.path().extension() == ".gguf" || f.path().extension() == ".json", f.path().c_str());
    }

private slots:
    void pullsThroughTheRelay()
    {
        Mesh m;
        QVERIFY(makeMesh(m, {}, 3 * 1024 * 1024 + 12345));
        const QString d = dest(m, "explicit");
        const CliRun r = runCli({"model", "pull", kModel, "--via", "relay", "--dest", d, "--json"}, m.member);
        checkArrived(m, r, d);
        QCOMPARE(qint64(jsonOf(r)["bytes_received"].toDouble()), qint64(3 * 1024 * 1024 + 12345));
        QCOMPARE(jsonOf(r)["resumed"].toBool(), false);

        // --via auto: no LAN peer (no mDNS, none named), so the relay, where
        // the founder's catalog names its HTTP endpoint (`serve --bind
        // 127.0.0.1`), which answers from here: the best mode is direct HTTP.
        const QString a = dest(m, "auto");
        const CliRun autoRun = runCli({"model", "pull", kModel, "--no-mdns", "--dest", a, "--json"}, m.member);
        checkArrived(m, autoRun, a, "http");
        QVERIFY2(autoRun.err.contains("no LAN peer has it") && autoRun.err.contains("asking the mesh's relay") &&
                     autoRun.err.contains("answers at " + m.serve->url() + " from here; fetching over HTTP"),
                 qPrintable(autoRun.err));

        // The same pull again: already there, nothing fetched.
        const CliRun again = runCli({"model", "pull", kModel, "--via", "relay", "--dest", d, "--json"}, m.member);
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QCOMPARE(jsonOf(again)["already_present"].toBool(), true);
    }

    void rejoinsWhenTheRelayCutsTheLink()
    {
        // The relay aborts the member's connection after 40 frames to it
        // (mid-transfer: 3 MiB is 49 chunks); the pull's client rejoins and
        // asks again from the first chunk it lacks.
        Mesh m;
        QVERIFY(makeMesh(m, {"--drop-node", "MEMBER", "--drop-after-frames", "40"}, 3 * 1024 * 1024 + 1));
        const QString d = dest(m, "dropped");
        const CliRun r = runCli({"model", "pull", kModel, "--via", "relay", "--dest", d, "--json"}, m.member);
        checkArrived(m, r, d);
        QVERIFY2(r.err.contains("relay link lost") && r.err.contains("asking again from"), qPrintable(r.err));
    }

    void duplicatedAndReorderedMessages()
    {
        Mesh m;
        QVERIFY(makeMesh(m, {"--duplicate-direct", "--reorder-direct"}, 1024 * 1024 + 777));
        const QString d = dest(m, "shuffled");
        checkArrived(m, runCli({"model", "pull", kModel, "--via", "relay", "--dest", d, "--json"}, m.member), d);
    }

    void interruptedPullResumes()
    {
        // 12 MB is over the protocol's 10 MB: `serve` sends it at the relay
        // cap (5 Mbps), so the pull is still running when it is interrupted.
        // The second run resumes from a new `serve` without the cap, which
        // knows nothing of the first transfer.
        Mesh m;
        const std::uint64_t size = 12'000'000;
        QVERIFY(makeMesh(m, {}, size));
        const QString d = dest(m, "interrupted");
        QProcess pull;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("ATMOSPHERE_HOME", QString::fromStdString(m.member.string()));
        pull.setProcessEnvironment(env);
        dieWithTest(pull);
        pull.start(cliPath(), {"model", "pull", kModel, "--via", "relay", "--dest", d});
        QVERIFY(pull.waitForStarted());
        // Interrupt once at least one chunk is recorded in the journal.
        const fs::path journal =
            atmo::DownloadJournal::journalPath(fs::path(d.toStdString()) / (std::string(kModel) + ".gguf"));
        QVERIFY(waitFor([&] {
            auto text = atmo::readFile(journal);
            return pull.state() != QProcess::Running || (text && text->find("\nD ") != std::string::npos);
        }, 120000));
        QCOMPARE(pull.state(), QProcess::Running);
        ::kill(pid_t(pull.processId()), SIGINT);
        QVERIFY(pull.waitForFinished(60000));
        const QString err = QString::fromUtf8(pull.readAllStandardError());
        QCOMPARE(pull.exitCode(), 130); // Ctrl-C: cancelled, kept to resume
        QVERIFY2(err.contains("paused at") && err.contains("run the same command again to resume"), qPrintable(err));
        QVERIFY(!fs::exists(fs::path(d.toStdString()) / (std::string(kModel) + ".gguf")));

        m.serve.reset();
        m.serve = std::make_unique<ServeProcess>(m.founder, QStringList{"--models", QString::fromStdString(m.models.string()),
                                                                        "--name", "depot-station", "--no-relay-caps"});
        QVERIFY(m.serve->ok());
        const CliRun r = runCli({"model", "pull", kModel, "--via", "relay", "--dest", d, "--json"}, m.member, {}, 300000);
        checkArrived(m, r, d);
        QCOMPARE(jsonOf(r)["resumed"].toBool(), true);
        const qint64 again = qint64(jsonOf(r)["bytes_received"].toDouble());
        QVERIFY2(again > 0 && again < qint64(size), qPrintable(QString::number(again)));
    }

    void pullsFromAPythonNode()
    {
        // The model is on a mesh node that is not a station: its catalog
        // comes as the Python nodes gossip it, its chunks without chunk_sha256.
        Mesh m;
        QVERIFY(makeMesh(m, {}, 4096));
        const fs::path file = m.founder.parent_path() / "py-model.gguf";
        writeRandomFile(file, 700 * 1024 + 3, 99);
        // Its catalog claims an HTTP endpoint nobody answers at: --via auto
        // tries it, then goes through the relay.
        const QString deadHttp = QString("http://127.0.0.1:%1").arg(unusedPort());
        MeshNodeProcess node;
        QVERIFY(startPyNode(node, m, "a1b2c3d4e5f60718", {"serve", QString::fromStdString(file.string()), "py-model",
                                                           "--gossip-every", "1", "--http", deadHttp}));
        const QString d = dest(m, "from-python");
        const CliRun r = runCli({"model", "pull", "py-model", "--no-mdns", "--dest", d, "--json"}, m.member);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(jsonOf(r)["mode"].toString(), QString("relay"));
        QVERIFY2(r.err.contains(deadHttp + " does not answer from here; fetching through the relay"), qPrintable(r.err));
        QCOMPARE(jsonOf(r)["peer"].toString(), QString("a1b2c3d4e5f60718"));
        QVERIFY(readFile(fs::path(d.toStdString()) / "py-model.gguf") == readFile(file));
        QVERIFY2(node.waitLine("COMPLETE verified"), node.out.constData());
    }

    void aPythonNodeFetchesFromTheStation()
    {
        // The other way: the station's `serve` sends to a Python receiver,
        // which acks as the mesh's nodes do and checks the whole file.
        Mesh m;
        QVERIFY(makeMesh(m, {}, 2 * 1024 * 1024 + 5));
        const fs::path out = m.founder.parent_path() / "python-got.bin";
        MeshNodeProcess node;
        QVERIFY(startPyNode(node, m, "0f1e2d3c4b5a6978",
                            {"fetch", QString::fromStdString(nodeIdOf(m.founder)), kModel, QString::fromStdString(out.string())}));
        QVERIFY2(node.waitLine("VERIFIED"), node.out.constData());
        QVERIFY(readFile(out) == readFile(m.models / (std::string(kModel) + ".gguf")));
        node.process.waitForFinished(10000);
        QCOMPARE(node.process.exitCode(), 0);
    }

    void misbehavingPythonNodes()
    {
        Mesh m;
        QVERIFY(makeMesh(m, {}, 4096));
        const fs::path file = m.founder.parent_path() / "bad-model.gguf";
        writeRandomFile(file, 300 * 1024, 5);
        {
            // One chunk corrupted on the way, and no chunk hash to catch it:
            // the whole file's SHA-256 does; nothing gets the final name.
            MeshNodeProcess node;
            QVERIFY(startPyNode(node, m, "b1b2c3d4e5f60718",
                                {"serve", QString::fromStdString(file.string()), "bad-model", "--fault", "corrupt-once", "--gossip-every", "1"}));
            const QString d = dest(m, "corrupt");
            const CliRun r = runCli({"model", "pull", "bad-model", "--via", "relay", "--dest", d}, m.member);
            expectOneLine(r, 4, {"bad-model", "relay:b1b2c3d4e5f60718"});
            QVERIFY(!fs::exists(fs::path(d.toStdString()) / "bad-model.gguf"));
            // Told as the mesh's own receivers tell it.
            QVERIFY2(node.waitLine("COMPLETE failed"), node.out.constData());
        }
        {
            // A start whose SHA-256 is not the catalog's: refused at once.
            MeshNodeProcess node;
            QVERIFY(startPyNode(node, m, "c1b2c3d4e5f60718",
                                {"serve", QString::fromStdString(file.string()), "bad-model", "--fault", "wrong-sha", "--gossip-every", "1"}));
            const QString d = dest(m, "wrong-sha");
            const CliRun r = runCli({"model", "pull", "bad-model", "--via", "relay", "--dest", d}, m.member);
            expectOneLine(r, 4, {"bad-model", "not the catalog's"});
            QVERIFY(!fs::exists(fs::path(d.toStdString()) / "bad-model.gguf"));
        }
        {
            // A sender that starts and then says nothing: given up after
            // --stall-timeout seconds (fractions count), the part kept for a
            // later resume.
            MeshNodeProcess node;
            QVERIFY(startPyNode(node, m, "d1b2c3d4e5f60718",
                                {"serve", QString::fromStdString(file.string()), "bad-model", "--fault", "silent", "--gossip-every", "1"}));
            const QString d = dest(m, "silent");
            const CliRun r = runCli({"model", "pull", "bad-model", "--via", "relay", "--dest", d, "--stall-timeout", "2.5"},
                                    m.member);
            expectOneLine(r, 1, {"bad-model", "relay:d1b2c3d4e5f60718", "no data for 2.5 s"});
            QVERIFY(!fs::exists(fs::path(d.toStdString()) / "bad-model.gguf"));
        }
    }

    void failures()
    {
        // Not in a mesh on a relay.
        const fs::path lone = box / "lone";
        expectOneLine(runCli({"model", "pull", kModel, "--via", "relay"}, lone), 6,
                      {"in no mesh on a relay", "atmosphere mesh join"});
        expectOneLine(runCli({"model", "pull", kModel, "--via", "ftp"}, lone), 2, {"--via", "\"ftp\""});
        expectOneLine(runCli({"model", "pull", kModel, "--via", "relay", "--relay-wait", "0"}, lone), 2,
                      {"--relay-wait"});
        expectOneLine(runCli({"model", "pull", kModel, "--via", "relay", "--from", "http://127.0.0.1:9"}, lone), 2,
                      {"--from", "--via relay"});

        // In a mesh where nobody offers it.
        Mesh m;
        QVERIFY(makeMesh(m, {}, 4096));
        const CliRun r = runCli({"model", "pull", "no-such-model", "--via", "relay", "--relay-wait", "2"}, m.member);
        expectOneLine(r, 6, {"no-such-model", "no node on relay " + m.relay->meshUrl("m1"), "within 2 s",
                             "1 other node in the mesh"});
    }
};

ATMO_TEST_GUILESS_MAIN(CliRelayTransfer)
#include "tst_cli_relay_transfer.moc"
