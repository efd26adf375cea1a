// `atmosphere mesh create|token|invite|identity` through the real binary:
// the node identity it shows is the one in the home, a mesh key is made once
// and never overwritten, tokens and invites verify (here and in Python), and
// each bad command line ends in one line, its exit code and the --json code.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <sys/stat.h>

#include <chrono>

#include "core/base/sha256.h"
#include "core/relay/invite.h"
#include "core/relay/join_token.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

QJsonObject jsonOf(const QString& text) { return QJsonDocument::fromJson(text.toUtf8()).object(); }

} // namespace

class TestCliMeshKeys : public QObject {
    Q_OBJECT
    Sandbox box;
    fs::path home() const { return box / "home"; }
    CliRun run(const QStringList& args) { return runCli(args, home()); }

    // A failure: the exit code, exactly one line on stderr naming the needle,
    // and with --json the {"error","code"} object on stdout.
    void expectFailure(const QStringList& args, int exitCode, const QString& code, const QString& needle)
    {
        const CliRun r = run(args + QStringList{"--json"});
        QVERIFY2(r.exitCode == exitCode, qPrintable(QString("exit %1: %2").arg(r.exitCode).arg(r.err)));
        const QString err = r.err.trimmed();
        QVERIFY2(!err.contains('\n') && err.startsWith("atmosphere: ") && err.contains(needle), qPrintable(err));
        const QJsonObject o = jsonOf(r.out);
        QCOMPARE(o["code"].toString(), code);
        QVERIFY2(o["error"].toString().contains(needle), qPrintable(r.out));
    }

    QJsonObject identity()
    {
        const CliRun r = run({"mesh", "identity", "--json"});
        [&] { QVERIFY2(r.exitCode == 0, qPrintable(r.err)); }();
        return jsonOf(r.out);
    }

private slots:
    void identityIsTheHomesNodeKey()
    {
        const QJsonObject id = identity();
        const QString nodeId = id["node_id"].toString();
        QVERIFY2(QRegularExpression("^[0-9a-f]{16}$").match(nodeId).hasMatch(), qPrintable(nodeId));
        // node_id = the first 16 hex of SHA-256 over the raw public key it shows.
        const QByteArray pk = QByteArray::fromBase64(id["node_public_key"].toString().toLatin1());
        QCOMPARE(pk.size(), 32);
        QCOMPARE(QString::fromStdString(atmo::sha256Hex(pk.toStdString()).substr(0, 16)), nodeId);
        QCOMPARE(stationNodeId(home()), nodeId);
        struct stat st {};
        QCOMPARE(::stat((home() / "station/node.key").c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        QCOMPARE(id["mesh_id"].toString(), QString("atmosphere"));
        QCOMPARE(id["holds_mesh_key"].toBool(), false);
        QVERIFY(!id.contains("mesh_public_key"));
        QCOMPARE(identity()["node_id"].toString(), nodeId); // the same on every run

        const CliRun human = run({"mesh", "identity"});
        QCOMPARE(human.exitCode, 0);
        QVERIFY(human.out.contains(nodeId));
        QVERIFY(human.out.contains("not held here"));
    }

    void noMeshKeyNoToken()
    {
        expectFailure({"mesh", "token"}, 6, "not_found", "this station holds no key for mesh \"atmosphere\"");
        expectFailure({"mesh", "invite", "--endpoint", "local:127.0.0.1:14345"}, 6, "not_found",
                      "holds no key for mesh");
    }

    void createOnceNeverOverwrite()
    {
        expectFailure({"mesh", "create", "--id", "../x"}, 2, "usage", "mesh id \"../x\" starts with '.'");
        expectFailure({"mesh", "create", "--id", "plant-7", "--name", ""}, 2, "usage", "--name");
        QVERIFY(!fs::exists(home() / "mesh/plant-7.key"));

        const CliRun r = run({"mesh", "create", "--id", "plant-7", "--name", "Plant 7", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject made = jsonOf(r.out);
        QCOMPARE(made["mesh_id"].toString(), QString("plant-7"));
        QCOMPARE(made["mesh_name"].toString(), QString("Plant 7"));
        QCOMPARE(QByteArray::fromBase64(made["mesh_public_key"].toString().toLatin1()).size(), 32);
        struct stat st {};
        QCOMPARE(::stat((home() / "mesh/plant-7.key").c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);

        const QJsonObject id = identity();
        QCOMPARE(id["mesh_id"].toString(), QString("plant-7"));
        QCOMPARE(id["mesh_name"].toString(), QString("Plant 7"));
        QCOMPARE(id["holds_mesh_key"].toBool(), true);
        QCOMPARE(id["mesh_public_key"].toString(), made["mesh_public_key"].toString());
        QVERIFY(id["mesh_public_key"].toString() != id["node_public_key"].toString());

        const std::string key = readFile(home() / "mesh/plant-7.key");
        expectFailure({"mesh", "create", "--id", "plant-7"}, 1, "failed",
                      "already holds a key for mesh \"plant-7\"; not overwriting it");
        QCOMPARE(readFile(home() / "mesh/plant-7.key"), key);

        // Without --id: a fresh random id, in a home of its own.
        const CliRun fresh = runCli({"mesh", "create", "--json"}, box / "other-home");
        QVERIFY2(fresh.exitCode == 0, qPrintable(fresh.err));
        QVERIFY(QRegularExpression("^mesh-[0-9a-f]{12}$").match(jsonOf(fresh.out)["mesh_id"].toString()).hasMatch());
    }

    void tokens()
    {
        const QString meshKey = identity()["mesh_public_key"].toString();
        const QString nodeId = identity()["node_id"].toString();
        QVERIFY(!meshKey.isEmpty());
        const CliRun r = run({"mesh", "token", "--node", "0123456789abcdef", "--capabilities", "relay,participant",
                              "--lifetime", "3d"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        auto token = atmo::parseJoinToken(r.out.trimmed().toStdString());
        QVERIFY2(token, token ? "" : token.message().c_str());
        QCOMPARE(token->meshId, std::string("plant-7"));
        QCOMPARE(token->nodeId.value_or(""), std::string("0123456789abcdef"));
        QCOMPARE(token->expiresAt - token->issuedAt, std::int64_t(3 * 86400));
        QVERIFY(std::abs(token->issuedAt - atmo::unixSecondsNow()) < 3600);
        QCOMPARE(token->capabilities, (std::vector<std::string>{"relay", "participant"}));
        QCOMPARE(QString::fromStdString(token->issuerId), nodeId);
        const auto pk = atmo::parsePublicKeyBase64(meshKey.toStdString());
        QVERIFY(pk);
        QVERIFY(atmo::checkJoinToken(*token, *pk, atmo::unixSecondsNow(), "0123456789abcdef"));
        QCOMPARE(atmo::checkJoinToken(*token, *pk, atmo::unixSecondsNow(), "1111111111111111").code(), atmo::ErrorCode::Untrusted);

        // The same token verifies in Python, as the relay checks it.
        QProcess py;
        py.start("/usr/bin/python3", {QFINDTESTDATA("relay/join_token_tool.py"), "verify", meshKey});
        py.write(r.out.toUtf8());
        py.closeWriteChannel();
        QVERIFY(py.waitForFinished(60000));
        QCOMPARE(py.readAllStandardOutput(), QByteArray("ok\n"));

        // --json and the default: any node, participant, 24 h.
        const CliRun open = run({"mesh", "token", "--json"});
        QCOMPARE(open.exitCode, 0);
        const QJsonObject o = jsonOf(open.out);
        QVERIFY(o["node_id"].isNull());
        QCOMPARE(o["capabilities"].toArray(), (QJsonArray{"participant"}));
        QCOMPARE(o["expires_at"].toInteger() - o["issued_at"].toInteger(), qint64(86400));

        expectFailure({"mesh", "token", "--lifetime", "8d"}, 2, "usage", "longer than the 7 days a join token may last");
        expectFailure({"mesh", "token", "--lifetime", "soon"}, 2, "usage", "lifetime \"soon\"");
        expectFailure({"mesh", "token", "--node", "0123456789abcdef", "--any"}, 2, "usage", "--node and --any");
        expectFailure({"mesh", "token", "--node", "a b"}, 2, "usage", "node id \"a b\" is not a node id");
        expectFailure({"mesh", "token", "--capabilities", ","}, 2, "usage", "--capabilities names no capability");
        expectFailure({"mesh", "token", "--mesh", "elsewhere"}, 6, "not_found", "holds no key for mesh \"elsewhere\"");
    }

    void invites()
    {
        const CliRun r = run({"mesh", "invite", "--node", "0123456789abcdef", "--endpoint", "local:192.168.1.20:14345",
                              "--relay", "wss://relay.example.com/relay/plant-7"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString link = r.out.trimmed();
        QVERIFY(link.startsWith("atmosphere://join?invite="));
        auto invite = atmo::parseInvite(link.toStdString());
        QVERIFY2(invite, invite ? "" : invite.message().c_str());
        QCOMPARE(invite->meshName, std::string("Plant 7"));
        QCOMPARE(invite->endpoints, (std::vector<std::string>{"local:192.168.1.20:14345",
                                                               "relay:wss://relay.example.com/relay/plant-7"}));
        QCOMPARE(QString::fromStdString(invite->meshPublicKey), identity()["mesh_public_key"].toString());
        QVERIFY(atmo::checkInvite(*invite, atmo::unixSecondsNow(), "0123456789abcdef"));

        const CliRun j = run({"mesh", "invite", "--any", "--lifetime", "1h", "--relay", "ws://127.0.0.1:8765", "--json"});
        QVERIFY2(j.exitCode == 0, qPrintable(j.err));
        const QJsonObject o = jsonOf(j.out);
        auto fromLink = atmo::parseInvite(o["link"].toString().toStdString());
        QVERIFY(fromLink);
        QCOMPARE(jsonOf(QString::fromStdString(atmo::inviteJson(*fromLink))), o["invite"].toObject());
        QVERIFY(o["invite"].toObject()["token"].toObject()["node_id"].isNull());

        expectFailure({"mesh", "invite"}, 2, "usage", "needs --endpoint or --relay");
        expectFailure({"mesh", "invite", "--endpoint", "http://x:1"}, 2, "usage",
                      "endpoint \"http://x:1\" is neither local:HOST:PORT nor relay:wss://...");
        expectFailure({"mesh", "invite", "--relay", "https://relay.example.com"}, 2, "usage",
                      "is not relay:ws://... or relay:wss://...");
        expectFailure({"mesh", "invite", "--relay", "wss://r.example", "--lifetime", "30d"}, 2, "usage", "7 days");
    }

    void damagedNodeKeyIsAnError()
    {
        const fs::path other = box / "damaged-home";
        fs::create_directories(other / "station");
        writeFile(other / "station/node.key", "not a key\n");
        const CliRun r = runCli({"mesh", "identity", "--json"}, other);
        QCOMPARE(r.exitCode, 4);
        QCOMPARE(jsonOf(r.out)["code"].toString(), QString("bad_data"));
        QVERIFY2(r.err.contains("node.key: not an Ed25519 key file"), qPrintable(r.err));
        QCOMPARE(readFile(other / "station/node.key"), std::string("not a key\n"));
    }

    void listedInHelp()
    {
        const CliRun r = run({"--help"});
        QCOMPARE(r.exitCode, 0);
        for (const char* c : {"mesh create", "mesh token", "mesh invite", "mesh identity"})
            QVERIFY2(r.out.contains(c), c);
    }
};

ATMO_TEST_GUILESS_MAIN(TestCliMeshKeys)
#include "tst_cli_mesh_keys.moc"
