// RelayClient against a real relay process (tests/relay/atmo_relay.py, the
// mesh relay's behaviour) on 127.0.0.1: founder registration, members with
// tokens, live peers, broadcast and direct delivery, ping/pong and a dead
// link, a relay restart, a second connection of the same node, and every
// refusal the relay makes (expired, other node, replayed nonce, forged,
// missing token, another founder) surfaced with its reason.
//
// Nothing here asserts how fast anything happens: each wait is for an event
// with a generous bound, and "it did not retry" is checked after another
// client's full round trip through the same relay.
#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>
#include <QtTest>

#include <chrono>
#include <memory>

#include "app/relay/RelayClient.h"
#include "core/base/node_key.h"
#include "core/relay/join_token.h"
#include "relay_process.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;
using State = RelayClient::State;

namespace {

constexpr int kWait = 20000; // ms: how long we wait for what must happen

// One client and what it saw.
struct Node {
    RelayClient client;
    QList<QPair<QString, QByteArray>> messages;
    QStringList notFound;
    QStringList joinedPeers;
    QStringList leftPeers;
    QStringList ignored;
    int pongs = 0;
    QList<State> states;

    Node()
    {
        QObject::connect(&client, &RelayClient::message, &client,
                         [this](const QString& from, const QByteArray& payload) { messages.append({from, payload}); });
        QObject::connect(&client, &RelayClient::peerNotFound, &client, [this](const QString& id) { notFound << id; });
        QObject::connect(&client, &RelayClient::peerJoined, &client,
                         [this](const RelayClient::Peer& p) { joinedPeers << p.nodeId; });
        QObject::connect(&client, &RelayClient::peerLeft, &client, [this](const QString& id) { leftPeers << id; });
        QObject::connect(&client, &RelayClient::frameIgnored, &client, [this](const QString& r) { ignored << r; });
        QObject::connect(&client, &RelayClient::pong, &client, [this](qint64) { ++pongs; });
        QObject::connect(&client, &RelayClient::stateChanged, &client, [this](State s, const QString&) { states << s; });
    }
    bool waitState(State s, int ms = kWait) { return waitFor([&] { return client.state() == s; }, ms); }
    bool hasPeer(const QString& id) const { return client.peer(id).has_value(); }
};

QJsonObject object(const QByteArray& json) { return QJsonDocument::fromJson(json).object(); }

} // namespace

class TestRelayClient : public QObject {
    Q_OBJECT

    atmo::NodeKey meshKey_ = atmo::NodeKey::generate();
    std::unique_ptr<RelayProcess> relay_;

    // A config with short pauses so a test does not wait out real backoffs.
    RelayClient::Config config(const QString& meshId, const QString& nodeId, const QString& name = {})
    {
        RelayClient::Config c;
        c.relayUrl = QUrl(relay_->url());
        c.meshId = meshId;
        c.nodeId = nodeId;
        c.name = name.isEmpty() ? "node-" + nodeId.left(4) : name;
        c.capabilities = {"models", "packages"};
        c.backoffMinMs = 100;
        c.backoffMaxMs = 800;
        c.joinTimeoutMs = 10000;
        return c;
    }
    RelayClient::Config founder(const QString& meshId, const QString& nodeId, const atmo::NodeKey& key)
    {
        RelayClient::Config c = config(meshId, nodeId, "founder");
        RelayClient::Founder f;
        f.meshPublicKey = QByteArray::fromStdString(key.publicKeyBase64());
        f.founderProof = QByteArray::fromStdString(key.sign(meshId.toStdString()));
        f.meshName = "Depot mesh";
        c.founder = f;
        return c;
    }
    QByteArray token(const QString& meshId, std::optional<std::string> forNode, std::int64_t issuedAt = 0,
                     std::int64_t lifetime = 3600, const atmo::NodeKey* signer = nullptr)
    {
        atmo::JoinTokenRequest r;
        r.meshId = meshId.toStdString();
        r.issuerId = "f0f0f0f0f0f0f0f0";
        r.nodeId = std::move(forNode);
        r.lifetimeSeconds = lifetime;
        auto t = atmo::issueJoinToken(signer ? *signer : meshKey_, r, issuedAt ? issuedAt : atmo::unixSecondsNow());
        if (!t)
            qFatal("issueJoinToken: %s", t.message().c_str());
        return QByteArray::fromStdString(atmo::joinTokenJson(*t));
    }
    RelayClient::Config member(const QString& meshId, const QString& nodeId, const QByteArray& tokenJson)
    {
        RelayClient::Config c = config(meshId, nodeId);
        c.tokenJson = tokenJson;
        return c;
    }
    // A founder joined on meshId, for the tests that need a registered mesh.
    void registerMesh(Node& f, const QString& meshId)
    {
        QVERIFY(f.client.start(founder(meshId, "f0f0f0f0f0f0f0f0", meshKey_)));
        QVERIFY2(f.waitState(State::Joined), qPrintable(f.client.stateMessage()));
    }

private slots:
    void init()
    {
        relay_ = std::make_unique<RelayProcess>();
        QVERIFY2(relay_->ok(), "tests/relay/atmo_relay.py did not start (python3-websockets, python3-nacl?)");
    }
    void cleanup() { relay_.reset(); }

    void badConfigIsRefusedBeforeConnecting()
    {
        RelayClient c;
        QString error;
        auto cfg = config("m1", "a1a1a1a1a1a1a1a1");
        cfg.relayUrl = QUrl("http://127.0.0.1:1");
        QVERIFY(!c.start(cfg, &error));
        QVERIFY2(error.contains("not a ws:// or wss:// URL"), qPrintable(error));
        cfg.relayUrl = QUrl(relay_->url() + "/relay/other-mesh");
        QVERIFY(!c.start(cfg, &error));
        QVERIFY2(error.contains("names mesh \"other-mesh\""), qPrintable(error));
        cfg = member("m1", "a1a1a1a1a1a1a1a1", "[not an object]");
        QVERIFY(!c.start(cfg, &error));
        QVERIFY2(error.startsWith("relay ws://127.0.0.1:"), qPrintable(error));
        QCOMPARE(c.state(), State::Stopped);
        QCOMPARE(RelayClient::endpointFor(QUrl("wss://relay.example/base"), "m1", nullptr),
                 QUrl("wss://relay.example/base/relay/m1"));
    }

    void founderAndMembersTalk()
    {
        Node f, a, b;
        registerMesh(f, "m1");
        QCOMPARE(f.client.nodeCount(), 1);
        QCOMPARE(f.client.meshName(), QString("Depot mesh"));
        QVERIFY(f.client.stateMessage().contains("joined mesh Depot mesh as founder"));
        QVERIFY(f.client.stateMessage().startsWith("relay " + relay_->meshUrl("m1") + ": "));

        QVERIFY(a.client.start(member("m1", "a1a1a1a1a1a1a1a1", token("m1", "a1a1a1a1a1a1a1a1"))));
        QVERIFY2(a.waitState(State::Joined), qPrintable(a.client.stateMessage()));
        QVERIFY(waitFor([&] { return a.hasPeer("f0f0f0f0f0f0f0f0"); }, kWait));
        QVERIFY(a.client.peer("f0f0f0f0f0f0f0f0")->isFounder);
        QCOMPARE(a.client.peer("f0f0f0f0f0f0f0f0")->capabilities, QStringList({"models", "packages"}));
        QCOMPARE(a.client.nodeCount(), 2);
        QVERIFY(waitFor([&] { return f.hasPeer("a1a1a1a1a1a1a1a1"); }, kWait));
        QCOMPARE(f.joinedPeers, QStringList{"a1a1a1a1a1a1a1a1"});

        // A token for any node lets a second member in; the founder sees it come and go.
        QVERIFY(b.client.start(member("m1", "b2b2b2b2b2b2b2b2", token("m1", std::nullopt))));
        QVERIFY(b.waitState(State::Joined));
        QVERIFY(waitFor([&] { return f.hasPeer("b2b2b2b2b2b2b2b2") && a.hasPeer("b2b2b2b2b2b2b2b2"); }, kWait));
        QCOMPARE(f.client.nodeCount(), 3);

        // Broadcast reaches the others, not the sender; the relay adds "from".
        QVERIFY(f.client.sendBroadcast(R"({"type":"model_catalog","models":[]})"));
        QVERIFY(waitFor([&] { return !a.messages.isEmpty() && !b.messages.isEmpty(); }, kWait));
        QCOMPARE(a.messages[0].first, QString("f0f0f0f0f0f0f0f0"));
        QCOMPARE(object(a.messages[0].second)["type"].toString(), QString("model_catalog"));
        QCOMPARE(object(a.messages[0].second)["from"].toString(), QString("f0f0f0f0f0f0f0f0"));

        // Direct reaches only its target.
        QVERIFY(a.client.sendDirect("b2b2b2b2b2b2b2b2", R"({"type":"model_request","request_id":"r1"})"));
        QVERIFY(waitFor([&] { return b.messages.size() == 2; }, kWait));
        QCOMPARE(b.messages[1].first, QString("a1a1a1a1a1a1a1a1"));
        QCOMPARE(object(b.messages[1].second)["request_id"].toString(), QString("r1"));
        // An unknown target: the relay says so, the link stays.
        QVERIFY(a.client.sendDirect("dddddddddddddddd", R"({"type":"model_request"})"));
        QVERIFY(waitFor([&] { return !a.notFound.isEmpty(); }, kWait));
        QCOMPARE(a.notFound, QStringList{"dddddddddddddddd"});
        QCOMPARE(a.client.state(), State::Joined);
        QVERIFY(f.messages.isEmpty()); // its own broadcast does not come back

        // Not JSON objects: refused here, nothing sent.
        QString error;
        QVERIFY(!a.client.sendBroadcast("[1,2]", &error));
        QVERIFY2(error.contains("not a JSON object"), qPrintable(error));

        b.client.stop();
        QCOMPARE(b.client.state(), State::Stopped);
        QVERIFY(waitFor([&] { return !f.hasPeer("b2b2b2b2b2b2b2b2") && !a.hasPeer("b2b2b2b2b2b2b2b2"); }, kWait));
        QCOMPARE(f.leftPeers, QStringList{"b2b2b2b2b2b2b2b2"});
        QCOMPARE(f.client.nodeCount(), 2);
        QVERIFY(!b.client.sendBroadcast("{}", &error));
        QVERIFY(error.contains("not joined"));
    }

    void pingPongAndADeadLink()
    {
        Node a;
        auto cfg = config("open-mesh", "a1a1a1a1a1a1a1a1");
        cfg.pingIntervalMs = 200;
        QVERIFY(a.client.start(cfg));
        QVERIFY(a.waitState(State::Joined));
        QVERIFY(waitFor([&] { return a.pongs >= 2; }, kWait));

        // A relay that stops answering pings: the link is taken for dead and retried.
        RelayProcess mute({"--no-pong"});
        QVERIFY(mute.ok());
        Node m;
        cfg.relayUrl = QUrl(mute.url());
        cfg.pongTimeoutMs = 500;
        QVERIFY(m.client.start(cfg));
        QVERIFY(m.waitState(State::Joined));
        QVERIFY(waitFor([&] { return m.client.state() != State::Joined; }, kWait));
        QVERIFY2(m.client.stateMessage().contains("no answer to a ping in 0.5 s; reconnecting"), qPrintable(m.client.stateMessage()));
        QCOMPARE(m.client.state(), State::Backoff);
        QVERIFY(m.waitState(State::Joined)); // and back
        QCOMPARE(m.pongs, 0);
    }

    void reconnectsAfterTheRelayRestarts()
    {
        Node f, a;
        registerMesh(f, "m1");
        QVERIFY(a.client.start(member("m1", "a1a1a1a1a1a1a1a1", token("m1", "a1a1a1a1a1a1a1a1"))));
        QVERIFY(a.waitState(State::Joined));

        QVERIFY(relay_->restart());
        QVERIFY(waitFor([&] { return a.states.contains(State::Backoff) && f.states.contains(State::Backoff); }, kWait));
        // The new relay knows no mesh: the founder registers it again (it
        // always sends register_mesh), the member is let in once it has;
        // its "Mesh not registered" meanwhile is retried, not final.
        QVERIFY2(f.waitState(State::Joined), qPrintable(f.client.stateMessage()));
        QVERIFY2(a.waitState(State::Joined), qPrintable(a.client.stateMessage()));
        QVERIFY(waitFor([&] { return f.hasPeer("a1a1a1a1a1a1a1a1") && a.hasPeer("f0f0f0f0f0f0f0f0"); }, kWait));
        QVERIFY(!a.states.contains(State::Refused));
        QVERIFY(a.client.sendDirect("f0f0f0f0f0f0f0f0", R"({"after":"restart"})"));
        QVERIFY(waitFor([&] { return !f.messages.isEmpty(); }, kWait));
    }

    void aMemberBeforeItsFounderIsRetried()
    {
        Node a;
        // A token to a relay that has not seen the mesh's founder: not final.
        QVERIFY(a.client.start(member("m2", "a1a1a1a1a1a1a1a1", token("m2", "a1a1a1a1a1a1a1a1"))));
        QVERIFY(waitFor([&] { return a.client.stateMessage().contains("refused for now: Mesh not registered"); }, kWait));
        QVERIFY(a.client.state() == State::Backoff || a.client.state() == State::Connecting);
        Node f;
        registerMesh(f, "m2");
        QVERIFY2(a.waitState(State::Joined), qPrintable(a.client.stateMessage()));
    }

    void anUnregisteredMeshIsOpen()
    {
        Node a, b;
        QVERIFY(a.client.start(config("open-mesh", "a1a1a1a1a1a1a1a1")));
        QVERIFY(a.waitState(State::Joined));
        QVERIFY(b.client.start(config("open-mesh", "b2b2b2b2b2b2b2b2")));
        QVERIFY(b.waitState(State::Joined));
        QVERIFY(waitFor([&] { return a.hasPeer("b2b2b2b2b2b2b2b2"); }, kWait));
    }

    void aRelayWithoutJoinedFrames()
    {
        // The mesh relay's v2.0 server answers a join with `peers` only.
        RelayProcess older({"--no-joined-frame"});
        QVERIFY(older.ok());
        Node a, b;
        auto cfg = config("open-mesh", "a1a1a1a1a1a1a1a1");
        cfg.relayUrl = QUrl(older.url());
        QVERIFY(a.client.start(cfg));
        QVERIFY(a.waitState(State::Joined));
        QCOMPARE(a.client.nodeCount(), 1);
        cfg.nodeId = "b2b2b2b2b2b2b2b2";
        QVERIFY(b.client.start(cfg));
        QVERIFY(b.waitState(State::Joined));
        QVERIFY(b.hasPeer("a1a1a1a1a1a1a1a1"));
        QCOMPARE(b.client.nodeCount(), 2);
        QVERIFY(waitFor([&] { return a.client.nodeCount() == 2; }, kWait));
    }

    void aSecondConnectionOfTheSameNodeReplacesTheFirst()
    {
        Node first, second, other;
        auto cfg = config("open-mesh", "a1a1a1a1a1a1a1a1");
        cfg.replacedRetryMs = 0; // stay replaced
        QVERIFY(first.client.start(cfg));
        QVERIFY(first.waitState(State::Joined));
        QVERIFY(other.client.start(config("open-mesh", "c3c3c3c3c3c3c3c3")));
        QVERIFY(other.waitState(State::Joined));
        QVERIFY(waitFor([&] { return other.hasPeer("a1a1a1a1a1a1a1a1"); }, kWait));

        auto cfg2 = config("open-mesh", "a1a1a1a1a1a1a1a1", "second copy");
        QVERIFY(second.client.start(cfg2));
        QVERIFY(second.waitState(State::Joined));
        QVERIFY(first.waitState(State::Replaced));
        QVERIFY2(first.client.stateMessage().contains("replaced by another connection of node a1a1a1a1a1a1a1a1"),
                 qPrintable(first.client.stateMessage()));
        // The others see the node still there, under its new connection's name.
        QVERIFY(waitFor([&] { return other.client.peer("a1a1a1a1a1a1a1a1") &&
                                     other.client.peer("a1a1a1a1a1a1a1a1")->name == "second copy"; }, kWait));
        QVERIFY(!other.leftPeers.contains("a1a1a1a1a1a1a1a1"));
        // No storm: after a round trip through the relay, the first is still out.
        QVERIFY(second.client.sendDirect("c3c3c3c3c3c3c3c3", R"({"n":1})"));
        QVERIFY(waitFor([&] { return !other.messages.isEmpty(); }, kWait));
        QCOMPARE(first.client.state(), State::Replaced);
        QCOMPARE(second.client.state(), State::Joined);

        // With a pause, the replaced one takes the link back once the second copy is gone.
        Node third;
        auto cfg3 = config("open-mesh", "b2b2b2b2b2b2b2b2");
        cfg3.replacedRetryMs = 300;
        QVERIFY(third.client.start(cfg3));
        QVERIFY(third.waitState(State::Joined));
        Node briefly;
        QVERIFY(briefly.client.start(config("open-mesh", "b2b2b2b2b2b2b2b2")));
        QVERIFY(briefly.waitState(State::Joined));
        QVERIFY(third.waitState(State::Replaced));
        QVERIFY(third.client.stateMessage().contains("taking the link back in 0.3 s"));
        briefly.client.stop();
        QVERIFY(third.waitState(State::Joined));
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("expired") << "expired" << "Token expired";
        QTest::newRow("other node") << "other-node" << "Token bound to different node";
        QTest::newRow("replayed nonce") << "replay" << "Token already used (replay)";
        QTest::newRow("forged") << "forged" << "Invalid token: Signature was forged or corrupt";
        QTest::newRow("no token") << "no-token" << "This mesh requires a token to join";
        QTest::newRow("another founder") << "founder" << "Mesh already registered by different founder";
    }

    void refusals()
    {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        Node f;
        registerMesh(f, "m1");
        RelayClient::Config cfg;
        const QString id = "a1a1a1a1a1a1a1a1";
        if (kind == "expired") {
            cfg = member("m1", id, token("m1", id.toStdString(), atmo::unixSecondsNow() - 7200, 3600));
        } else if (kind == "other-node") {
            cfg = member("m1", id, token("m1", std::string("b2b2b2b2b2b2b2b2")));
        } else if (kind == "replay") {
            const QByteArray shared = token("m1", std::nullopt);
            Node first;
            QVERIFY(first.client.start(member("m1", "c3c3c3c3c3c3c3c3", shared)));
            QVERIFY(first.waitState(State::Joined));
            cfg = member("m1", id, shared);
        } else if (kind == "forged") {
            const atmo::NodeKey other = atmo::NodeKey::generate();
            cfg = member("m1", id, token("m1", id.toStdString(), 0, 3600, &other));
        } else if (kind == "no-token") {
            cfg = config("m1", id);
        } else {
            cfg = founder("m1", id, atmo::NodeKey::generate());
        }
        Node a;
        QVERIFY(a.client.start(cfg));
        QVERIFY2(a.waitState(State::Refused), qPrintable(a.client.stateMessage()));
        QCOMPARE(a.client.stateMessage(), "relay " + relay_->meshUrl("m1") + ": refused: " + reason);
        // Final: after a full round trip of another client it has not tried again.
        QVERIFY(f.client.sendBroadcast(R"({"ping":"round trip"})"));
        Node witness;
        QVERIFY(witness.client.start(member("m1", "e5e5e5e5e5e5e5e5", token("m1", std::nullopt))));
        QVERIFY(witness.waitState(State::Joined));
        QCOMPARE(a.client.state(), State::Refused);
        QCOMPARE(a.states.count(State::Connecting), 1);
    }

    void hostileAndOversizedFrames()
    {
        Node a, b;
        auto cfg = config("open-mesh", "a1a1a1a1a1a1a1a1");
        cfg.maxFrameBytes = 64 * 1024;
        QVERIFY(a.client.start(cfg));
        QVERIFY(a.waitState(State::Joined));
        QVERIFY(b.client.start(config("open-mesh", "b2b2b2b2b2b2b2b2")));
        QVERIFY(b.waitState(State::Joined));
        QVERIFY(waitFor([&] { return b.hasPeer("a1a1a1a1a1a1a1a1"); }, kWait));

        // A hostile node (a raw WebSocket, not our client) sends what our
        // client would never build: ignored with a reason, still joined.
        QWebSocket raw;
        QObject::connect(&raw, &QWebSocket::connected, &raw, [&raw] {
            raw.sendTextMessage(R"({"type":"join","node_id":"e5e5e5e5e5e5e5e5"})");
        });
        raw.open(QUrl(relay_->meshUrl("open-mesh")));
        QVERIFY(waitFor([&] { return a.hasPeer("e5e5e5e5e5e5e5e5"); }, kWait));
        raw.sendTextMessage(R"({"type":"direct","target":"a1a1a1a1a1a1a1a1","payload":{"x":)" + QString(40, '[') +
                            QString(40, ']') + "}}");
        QVERIFY(waitFor([&] { return !a.ignored.isEmpty(); }, kWait));
        QVERIFY2(a.ignored[0].contains("nested deeper than 32 levels"), qPrintable(a.ignored[0]));
        QCOMPARE(a.client.state(), State::Joined);

        // Larger than a's bound: refused to send, and refused to receive.
        const QByteArray big = "{\"pad\":\"" + QByteArray(100 * 1024, 'x') + "\"}";
        QString error;
        QVERIFY(!a.client.sendDirect("b2b2b2b2b2b2b2b2", big, &error));
        QVERIFY2(error.contains("larger than the 65536 bytes allowed"), qPrintable(error));
        QVERIFY(b.client.sendDirect("a1a1a1a1a1a1a1a1", big));
        QVERIFY(waitFor([&] { return a.states.contains(State::Backoff); }, kWait));
        QVERIFY(a.waitState(State::Joined)); // reconnected
        QVERIFY(a.messages.isEmpty());
    }
};

ATMO_TEST_GUILESS_MAIN(TestRelayClient)
#include "tst_app_relay_client.moc"
