// `atmosphere mesh register|join|status` and `serve` on a relay, through the
// real binary against a real relay process (tests/relay/atmo_relay.py) on
// 127.0.0.1: a founder registers, a member joins with a token file and with
// an invite link, `serve` stays joined and `status` lists it; a refused
// token exits 3, an unreachable relay 1 naming the URL, bad input 2 or 4,
// and nothing is remembered for any of them.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <sys/stat.h>

#include <chrono>

#include "core/package/station_home.h"
#include "core/relay/invite.h"
#include "core/relay/join_token.h"
#include "mesh_processes.h"
#include "relay_process.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

unsigned modeOf(const fs::path& file)
{
    struct stat st {};
    return ::stat(file.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

} // namespace

class CliRelay : public QObject {
    Q_OBJECT

    Sandbox box;
    std::unique_ptr<RelayProcess> relay_;
    std::optional<atmo::NodeKey> meshKey_;
    fs::path founderHome() const { return box / "founder"; }
    fs::path memberHome() const { return box / "member"; }
    QString p(const std::string& rel) const { return QString::fromStdString((box / rel).string()); }

    std::string nodeIdOf(const fs::path& home) const
    {
        auto id = atmo::StationHome(home).nodeId(); // makes the node key on first use
        return id ? *id : std::string();
    }
    atmo::JoinToken token(std::optional<std::string> forNode, std::int64_t issuedAt = 0) const
    {
        atmo::JoinTokenRequest r;
        r.meshId = "m1";
        r.issuerId = nodeIdOf(founderHome());
        r.nodeId = std::move(forNode);
        auto t = atmo::issueJoinToken(*meshKey_, r, issuedAt ? issuedAt : atmo::unixSecondsNow());
        if (!t)
            qFatal("issueJoinToken: %s", t.message().c_str());
        return *t;
    }
    QString tokenFile(const std::string& name, const atmo::JoinToken& t) const
    {
        writeFile(box / name, atmo::joinTokenJson(t));
        return p(name);
    }

private slots:
    void initTestCase()
    {
        relay_ = std::make_unique<RelayProcess>();
        QVERIFY2(relay_->ok(), "tests/relay/atmo_relay.py did not start");
        // The founder's station holds the mesh key (what `mesh create` makes).
        const atmo::StationHome founder(founderHome());
        QVERIFY(founder.ensure());
        auto key = founder.createMeshKey("m1");
        QVERIFY2(key, key ? "" : key.message().c_str());
        meshKey_ = *key;
        QVERIFY(founder.setMeshName("m1", "Depot mesh"));
        QVERIFY(founder.setMeshId("m1"));
    }

    void badInput()
    {
        const fs::path home = box / "bad";
        expectOneLine(runCli({"mesh", "join", "--relay", relay_->url()}, home), 2, {"--token", "--invite"});
        expectOneLine(runCli({"mesh", "join", "--relay", relay_->url(), "--token", "{\"mesh_id\":"}, home), 4,
                      {"token"});
        expectOneLine(runCli({"mesh", "join", "--relay", relay_->url(), "--token", p("no-such-file")}, home), 2,
                      {"no-such-file"});
        expectOneLine(runCli({"mesh", "join", "--relay", "http://127.0.0.1:1",
                              "--token", tokenFile("t-bad.json", token(std::nullopt))}, home),
                      2, {"http://127.0.0.1:1", "not a ws:// or wss:// URL"});
        expectOneLine(runCli({"mesh", "join", "--invite", "atmosphere://join?invite=%%%"}, home), 4, {"invite"});
        // Nothing remembered, no relay joined: status says so.
        const CliRun status = runCli({"mesh", "status", "--json"}, home);
        QCOMPARE(status.exitCode, 6);
        QCOMPARE(jsonOf(status)["code"].toString(), QString("not_found"));
        // A founder needs the mesh key.
        expectOneLine(runCli({"mesh", "register", "--relay", relay_->url(), "--mesh", "m9"}, home), 6,
                      {"mesh m9", "no mesh key", "atmosphere mesh create"});
        QVERIFY(!fs::exists(home / "station" / "relay.json"));
    }

    void founderRegisters()
    {
        const CliRun r = runCli({"mesh", "register", "--relay", relay_->url(), "--json"}, founderHome());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = jsonOf(r);
        QCOMPARE(o["relay"].toString(), relay_->meshUrl("m1"));
        QCOMPARE(o["mode"].toString(), QString("founder"));
        QCOMPARE(o["mesh"].toString(), QString("Depot mesh"));
        QCOMPARE(o["node_id"].toString(), QString::fromStdString(nodeIdOf(founderHome())));
        QCOMPARE(o["node_count"].toInt(), 1);
        const fs::path remembered = founderHome() / "station" / "relay.json";
        QVERIFY(fs::exists(remembered));
        QCOMPARE(modeOf(remembered), 0600u);
        QVERIFY(readFile(remembered).find("\"founder\"") != std::string::npos);

        const CliRun status = runCli({"mesh", "status"}, founderHome());
        QVERIFY2(status.exitCode == 0, qPrintable(status.err));
        QVERIFY2(status.out.startsWith("joined mesh Depot mesh (m1) on relay " + relay_->meshUrl("m1") + " as founder; 1 node"),
                 qPrintable(status.out));
    }

    void memberJoinsAndSeesTheServingFounder()
    {
        const std::string memberId = nodeIdOf(memberHome());
        const CliRun r = runCli({"mesh", "join", "--relay", relay_->url(), "--token",
                                 tokenFile("t-member.json", token(memberId))}, memberHome());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith("joined mesh Depot mesh (m1) on relay " + relay_->meshUrl("m1") + " as member"),
                 qPrintable(r.out));
        QVERIFY(r.out.contains("this station's mesh is now m1"));
        const fs::path remembered = memberHome() / "station" / "relay.json";
        QCOMPARE(modeOf(remembered), 0600u); // the token is a credential
        QVERIFY(readFile(remembered).find("\"nonce\"") != std::string::npos);
        QCOMPARE(atmo::StationHome(memberHome()).meshId(), std::string("m1"));

        // `serve` on the founder's home stays joined; the member's status lists it.
        ServeProcess serve(founderHome(), {"--name", "depot-station"});
        QVERIFY(serve.ok());
        QJsonObject status;
        const QString founderId = QString::fromStdString(nodeIdOf(founderHome()));
        QVERIFY(waitFor([&] {
            const CliRun s = runCli({"mesh", "status", "--json"}, memberHome());
            status = jsonOf(s);
            return s.exitCode == 0 && status["node_count"].toInt() == 2;
        }, 60000));
        QCOMPARE(status["state"].toString(), QString("joined"));
        QCOMPARE(status["mode"].toString(), QString("member"));
        const QJsonObject peer = status["peers"].toArray().at(0).toObject();
        QCOMPARE(peer["node_id"].toString(), founderId);
        QCOMPARE(peer["name"].toString(), QString("depot-station"));
        QCOMPARE(peer["capabilities"].toArray(), QJsonArray({"models", "packages"}));
        QVERIFY(peer["is_founder"].toBool());

        const CliRun table = runCli({"mesh", "status"}, memberHome());
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        QVERIFY(table.out.contains("; 2 nodes"));
        QVERIFY(table.out.contains(founderId));
        QVERIFY(table.out.contains("models,packages"));
    }

    void memberJoinsWithAnInvite()
    {
        const fs::path home = box / "invited";
        atmo::Invite invite;
        invite.token = token(nodeIdOf(home));
        invite.meshName = "Depot mesh";
        invite.endpoints = {"local:127.0.0.1:14345", "relay:" + relay_->url().toStdString()};
        invite.meshPublicKey = meshKey_->publicKeyBase64();
        const CliRun r = runCli({"mesh", "join", "--invite", QString::fromStdString(atmo::inviteLink(invite)), "--json"},
                                home);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(jsonOf(r)["relay"].toString(), relay_->meshUrl("m1")); // the invite's relay
        QCOMPARE(jsonOf(r)["mode"].toString(), QString("member"));

        // An invite for another node is refused before anything is sent.
        const fs::path other = box / "not-invited";
        const CliRun refused = runCli({"mesh", "join", "--invite", QString::fromStdString(atmo::inviteLink(invite))}, other);
        QCOMPARE(refused.exitCode, 3);
        QVERIFY(!fs::exists(other / "station" / "relay.json"));
    }

    void refusedAndUnreachable()
    {
        const fs::path home = box / "refused";
        const std::string id = nodeIdOf(home);
        // Expired: the relay refuses it; exit 3 with the relay's reason.
        const QString expired = tokenFile("t-expired.json", token(id, atmo::unixSecondsNow() - 3 * 24 * 3600));
        CliRun r = runCli({"mesh", "join", "--relay", relay_->url(), "--token", expired}, home);
        expectOneLine(r, 3, {"relay " + relay_->meshUrl("m1"), "refused: Token expired"});
        r = runCli({"mesh", "join", "--relay", relay_->url(), "--token", expired, "--json"}, home);
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(jsonOf(r)["code"].toString(), QString("untrusted"));
        QCOMPARE(jsonOf(r)["state"].toString(), QString("refused"));
        // Bound to another node.
        r = runCli({"mesh", "join", "--relay", relay_->url(), "--token",
                    tokenFile("t-other.json", token(std::string("0123456789abcdef")))}, home);
        expectOneLine(r, 3, {"refused: Token bound to different node"});
        QVERIFY(!fs::exists(home / "station" / "relay.json"));

        // Nobody listening: exit 1, naming the URL.
        const int port = unusedPort();
        QVERIFY(port > 0);
        const QString dead = QString("ws://127.0.0.1:%1").arg(port);
        r = runCli({"mesh", "join", "--relay", dead, "--token", tokenFile("t-ok.json", token(id))}, home);
        expectOneLine(r, 1, {"relay " + dead + "/relay/m1"});
        QVERIFY(!fs::exists(home / "station" / "relay.json"));
    }
};

ATMO_TEST_GUILESS_MAIN(CliRelay)
#include "tst_cli_relay.moc"
