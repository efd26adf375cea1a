// The relay's frames (core/relay/relay_frames.h): what the station sends is
// byte-for-byte what PROTOCOL.md shows, and what the relay delivers (other
// nodes' words, forwarded) is parsed strictly: each hostile frame ends in a
// BadData reason naming the field, never a crash or a half-read frame.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/relay/relay_frames.h"
#include "test_main.h"

using namespace atmo;
using json = nlohmann::json;

namespace {

RelayFrame parsed(const std::string& text)
{
    auto f = parseRelayFrame(text);
    if (!f)
        qWarning("%s", f.message().c_str());
    return f ? *f : RelayFrame{};
}

// The reason a frame is refused with ("" when it was not).
std::string refusal(const std::string& text)
{
    auto f = parseRelayFrame(text);
    if (f)
        return {};
    return (f.code() == ErrorCode::BadData ? "" : "NOT BAD DATA: ") + f.message();
}

} // namespace

class TestRelayFrames : public QObject {
    Q_OBJECT

private slots:
    void framesTheStationSends()
    {
        RelayRegistration r{"0123456789abcdef", "TUVTSA==", "UFJPT0Y=", "", "Depot mesh", "Station 1", {"models", "packages"}};
        QCOMPARE(registerMeshFrame(r),
                 std::string(R"({"capabilities":["models","packages"],"display_name":"Station 1","founder_proof":"UFJPT0Y=",)"
                             R"("mesh_public_key":"TUVTSA==","name":"Depot mesh","node_id":"0123456789abcdef","type":"register_mesh"})"));
        r.nodePublicKey = "Tk9ERQ==";
        QCOMPARE(json::parse(registerMeshFrame(r)).at("node_public_key"), json("Tk9ERQ=="));

        auto member = joinFrame({"0123456789abcdef", "Station 1", {"models"}, R"({"nonce":"n1","signature":"c2ln"})"});
        QVERIFY(member);
        QCOMPARE(json::parse(*member), json::parse(R"({"type":"join","node_id":"0123456789abcdef","name":"Station 1",
            "capabilities":["models"],"token":{"nonce":"n1","signature":"c2ln"}})"));
        auto founder = joinFrame({"0123456789abcdef", "Station 1", {}, ""});
        QVERIFY(founder);
        QVERIFY(!json::parse(*founder).contains("token")); // a registered founder rejoins without one
        auto badToken = joinFrame({"0123456789abcdef", "Station 1", {}, "[1,2]"});
        QVERIFY(!badToken);
        QCOMPARE(badToken.code(), ErrorCode::BadData);

        QCOMPARE(*broadcastFrame(R"({"type":"model_catalog", "models":[]})"),
                 std::string(R"({"payload":{"models":[],"type":"model_catalog"},"type":"broadcast"})"));
        QCOMPARE(*directFrame("fedcba9876543210", R"({"type":"model_request"})"),
                 std::string(R"({"payload":{"type":"model_request"},"target":"fedcba9876543210","type":"direct"})"));
        QCOMPARE(pingFrame(), std::string(R"({"type":"ping"})"));

        QCOMPARE(broadcastFrame("[]").code(), ErrorCode::BadData);           // a payload is an object
        QCOMPARE(broadcastFrame("{\"a\":").code(), ErrorCode::BadData);
        QCOMPARE(directFrame("no spaces allowed", "{}").code(), ErrorCode::Usage);
        QCOMPARE(directFrame("", "{}").code(), ErrorCode::Usage);
        const std::string huge = "{\"x\":\"" + std::string(kMaxRelayFrameBytes, 'a') + "\"}";
        QCOMPARE(broadcastFrame(huge).code(), ErrorCode::BadData);           // refused, not sent
    }

    void framesTheRelaySends()
    {
        QVERIFY(parsed(R"({"type":"mesh_registered","success":true})").success);
        const RelayFrame joined = parsed(R"({"type":"joined","mesh":"Depot","mesh_id":"m1","node_count":3})");
        QCOMPARE(joined.type, RelayFrameType::Joined);
        QCOMPARE(joined.meshName, std::string("Depot"));
        QCOMPARE(joined.meshId, std::string("m1"));
        QCOMPARE(joined.nodeCount, std::optional<std::int64_t>(3));

        // As the mesh's relay sends it: extra fields (joined_at) are ignored.
        const RelayFrame peers = parsed(R"({"type":"peers","peers":[
            {"node_id":"a1","name":"Gateway","capabilities":["llm","chat"],"is_founder":true,"joined_at":1.7e9},
            {"node_id":"b2"}]})");
        QCOMPARE(peers.type, RelayFrameType::Peers);
        QCOMPARE(peers.peers.size(), std::size_t(2));
        QCOMPARE(peers.peers[0], (RelayPeer{"a1", "Gateway", {"llm", "chat"}, true}));
        QCOMPARE(peers.peers[1], (RelayPeer{"b2", "", {}, false}));

        const RelayFrame joinedPeer = parsed(R"({"type":"peer_joined","node_id":"c3","name":"Cam","capabilities":[]})");
        QCOMPARE(joinedPeer.type, RelayFrameType::PeerJoined);
        QCOMPARE(joinedPeer.peer.nodeId, std::string("c3"));
        QCOMPARE(parsed(R"({"type":"peer_left","node_id":"c3"})").peer.nodeId, std::string("c3"));

        const RelayFrame message = parsed(R"({"type":"message","from":"a1","payload":{"type":"model_catalog","from":"a1"}})");
        QCOMPARE(message.type, RelayFrameType::Message);
        QCOMPARE(message.from, std::string("a1"));
        QCOMPARE(json::parse(message.payloadJson), json::parse(R"({"type":"model_catalog","from":"a1"})"));

        const RelayFrame refused = parsed(R"({"type":"error","code":"TOKEN_INVALID","message":"Token expired"})");
        QCOMPARE(refused.type, RelayFrameType::Error);
        QCOMPARE(refused.errorCode, std::string("TOKEN_INVALID"));
        QCOMPARE(refused.errorMessage, std::string("Token expired"));
        const RelayFrame notFound = parsed(R"({"type":"error","message":"Peer zz9 not found"})");
        QCOMPARE(notFound.errorCode, std::string());
        QCOMPARE(unknownPeerIn(notFound.errorMessage), std::optional<std::string>("zz9"));
        QCOMPARE(unknownPeerIn("Token expired"), std::nullopt);

        QCOMPARE(parsed(R"({"type":"pong","timestamp":1733140000.25})").timestamp, 1733140000.25);
        const RelayFrame other = parsed(R"({"type":"llm_request","prompt":"hi"})");
        QCOMPARE(other.type, RelayFrameType::Other);
        QCOMPARE(other.typeName, std::string("llm_request"));
    }

    void hostileFrames_data()
    {
        QTest::addColumn<QString>("frame");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not json") << "{\"type\":" << "not valid JSON";
        QTest::newRow("array") << "[1]" << "not a JSON object";
        QTest::newRow("no type") << "{}" << "\"type\" is missing";
        QTest::newRow("type number") << "{\"type\":5}" << "\"type\" is not a string";
        QTest::newRow("number out of range") << "{\"type\":\"pong\",\"timestamp\":1e400}" << "out of range";
        QTest::newRow("registered not bool") << "{\"type\":\"mesh_registered\",\"success\":\"yes\"}" << "\"success\"";
        QTest::newRow("node_count negative") << "{\"type\":\"joined\",\"node_count\":-1}" << "\"node_count\"";
        QTest::newRow("node_count text") << "{\"type\":\"joined\",\"node_count\":\"3\"}" << "\"node_count\"";
        QTest::newRow("mesh not string") << "{\"type\":\"joined\",\"mesh\":{}}" << "\"mesh\" is not a string";
        QTest::newRow("peers not list") << "{\"type\":\"peers\",\"peers\":{}}" << "\"peers\" is not a list";
        QTest::newRow("peers missing") << "{\"type\":\"peers\"}" << "\"peers\" is not a list";
        QTest::newRow("peer not object") << "{\"type\":\"peers\",\"peers\":[5]}" << "a peer is not a JSON object";
        QTest::newRow("peer without id") << "{\"type\":\"peers\",\"peers\":[{\"name\":\"x\"}]}" << "\"node_id\" is missing";
        QTest::newRow("peer id with space") << "{\"type\":\"peer_joined\",\"node_id\":\"a b\"}" << "is not a node id";
        QTest::newRow("peer id number") << "{\"type\":\"peer_left\",\"node_id\":7}" << "\"node_id\" is not a string";
        QTest::newRow("caps not list") << "{\"type\":\"peer_joined\",\"node_id\":\"a\",\"capabilities\":\"llm\"}"
                                       << "\"capabilities\" is not a list";
        QTest::newRow("cap not string") << "{\"type\":\"peer_joined\",\"node_id\":\"a\",\"capabilities\":[1]}"
                                        << "a capability is not a string";
        QTest::newRow("founder not bool") << "{\"type\":\"peer_joined\",\"node_id\":\"a\",\"is_founder\":1}" << "\"is_founder\"";
        QTest::newRow("message no from") << "{\"type\":\"message\",\"payload\":{}}" << "\"from\" is missing";
        QTest::newRow("message payload text") << "{\"type\":\"message\",\"from\":\"a\",\"payload\":\"x\"}"
                                              << "\"payload\" is not a JSON object";
        QTest::newRow("message no payload") << "{\"type\":\"message\",\"from\":\"a\"}" << "\"payload\" is not a JSON object";
        QTest::newRow("error no message") << "{\"type\":\"error\",\"code\":\"X\"}" << "\"message\" is missing";
        QTest::newRow("error code number") << "{\"type\":\"error\",\"code\":1,\"message\":\"m\"}" << "\"code\" is not a string";
        QTest::newRow("pong timestamp text") << "{\"type\":\"pong\",\"timestamp\":\"now\"}" << "\"timestamp\"";
    }

    void hostileFrames()
    {
        QFETCH(QString, frame);
        QFETCH(QString, reason);
        const std::string why = refusal(frame.toStdString());
        QVERIFY2(QString::fromStdString(why).contains(reason), why.empty() ? "accepted" : why.c_str());
    }

    void hostileSizes()
    {
        // Deep nesting: refused without building it (or blowing the stack).
        const std::string deep = "{\"type\":\"message\",\"from\":\"a\",\"payload\":" + std::string(100000, '[') +
                                 std::string(100000, ']') + "}";
        QVERIFY(refusal(deep).find("nested deeper than") != std::string::npos);
        // A frame over the bound is refused before it is parsed.
        const std::string huge = "{\"type\":\"pong\",\"pad\":\"" + std::string(kMaxRelayFrameBytes, 'x') + "\"}";
        QVERIFY(refusal(huge).find("MiB a frame may have") != std::string::npos);
        // Too many peers in one list.
        json many = {{"type", "peers"}, {"peers", json::array()}};
        for (std::size_t i = 0; i <= kMaxRelayPeers; ++i)
            many["peers"].push_back({{"node_id", "n" + std::to_string(i)}});
        QVERIFY(refusal(many.dump()).find("more than 4096 peers") != std::string::npos);
        many["peers"].erase(many["peers"].begin());
        QCOMPARE(parsed(many.dump()).peers.size(), kMaxRelayPeers); // the bound itself is fine
        // Too many capabilities, an overlong one.
        json caps = {{"type", "peer_joined"}, {"node_id", "a"}, {"capabilities", json::array()}};
        for (std::size_t i = 0; i <= kMaxRelayCapabilities; ++i)
            caps["capabilities"].push_back("c");
        QVERIFY(refusal(caps.dump()).find("capabilities") != std::string::npos);
        caps["capabilities"] = {std::string(kMaxRelayTextBytes + 1, 'c')};
        QVERIFY(refusal(caps.dump()).find("a capability is not a string of at most") != std::string::npos);
        // Not UTF-8.
        QVERIFY(!refusal("{\"type\":\"peer_joined\",\"node_id\":\"a\",\"name\":\"\xff\xfe\"}").empty());
    }

    void namesAreCleanedNotTrusted()
    {
        // A peer's name and an error message go onto a terminal line: control
        // characters become spaces, length is bounded.
        const RelayFrame f = parsed("{\"type\":\"peer_joined\",\"node_id\":\"a\",\"name\":\"evil\\u001b[2J\\nname" +
                                    std::string(1000, 'x') + "\"}");
        QVERIFY(f.peer.name.find('\x1b') == std::string::npos);
        QVERIFY(f.peer.name.find('\n') == std::string::npos);
        QVERIFY(f.peer.name.size() <= kMaxRelayTextBytes);
        const RelayFrame e = parsed("{\"type\":\"error\",\"message\":\"" + std::string(5000, 'm') + "\"}");
        QVERIFY(e.errorMessage.size() <= kMaxRelayMessageBytes);
    }

    void refusalsThatRetryingCannotFix()
    {
        // The mesh relay's own words (PROTOCOL.md; tests/relay/atmo_relay.py).
        QCOMPARE(classifyRelayRefusal("TOKEN_INVALID", "Token expired"), RelayRefusal::Final);
        QCOMPARE(classifyRelayRefusal("TOKEN_INVALID", "Token bound to different node"), RelayRefusal::Final);
        QCOMPARE(classifyRelayRefusal("TOKEN_INVALID", "Token already used (replay)"), RelayRefusal::Final);
        QCOMPARE(classifyRelayRefusal("TOKEN_INVALID", "Invalid token: Signature was forged or corrupt"), RelayRefusal::Final);
        QCOMPARE(classifyRelayRefusal("TOKEN_REQUIRED", "This mesh requires a token to join"), RelayRefusal::Final);
        QCOMPARE(classifyRelayRefusal("REGISTRATION_FAILED", "Mesh already registered by different founder"),
                 RelayRefusal::Final);
        // A relay that restarted knows no mesh until its founder registers it again.
        QCOMPARE(classifyRelayRefusal("TOKEN_INVALID", "Mesh not registered"), RelayRefusal::Retry);
        QCOMPARE(classifyRelayRefusal("TIMEOUT", "Registration timeout"), RelayRefusal::Retry);
        QCOMPARE(classifyRelayRefusal("", "Registration timeout"), RelayRefusal::Retry); // a close reason alone
        QVERIFY(isReplacedCloseReason("Replaced by new connection"));
        QVERIFY(!isReplacedCloseReason("Connection timeout"));
    }
};

ATMO_TEST_APPLESS_MAIN(TestRelayFrames)
#include "tst_relay_frames.moc"
