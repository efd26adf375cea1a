// Join tokens (core/relay/join_token.h) against the mesh's Python side
// (tests/relay/join_token_tool.py: python3-nacl and json, as PROTOCOL.md
// says): the canonical bytes are the same, a token the station issues
// verifies there and one issued there verifies here, node ids agree. Then
// each reason a token is refused (expired, another node, a tampered field,
// bad base64, another key), and hostile JSON, each with its reason.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include "core/base/base64.h"
#include "core/relay/join_token.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

const char* const kSeedHex = "4d65736820666f756e646572206b6579206f662074686520746573742070616e";
const std::int64_t kNow = 1'795'000'000;

struct Py {
    int exitCode = -1;
    std::string out;
};

Py python(const QStringList& args, const std::string& input)
{
    QProcess p;
    p.start("/usr/bin/python3", QStringList{QFINDTESTDATA("relay/join_token_tool.py")} + args);
    p.write(QByteArray::fromStdString(input));
    p.closeWriteChannel();
    p.waitForFinished(60000);
    if (p.exitStatus() != QProcess::NormalExit)
        return {};
    const QByteArray err = p.readAllStandardError();
    if (!err.isEmpty())
        qWarning("join_token_tool.py: %s", err.constData());
    return {p.exitCode(), p.readAllStandardOutput().toStdString()};
}

std::string unhex(std::string_view hex)
{
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
    return out;
}

NodeKey meshKey() { return *NodeKey::fromSeed(unhex(kSeedHex)); }

JoinToken issued(std::optional<std::string> node = "0123456789abcdef")
{
    JoinTokenRequest r;
    r.meshId = "plant-7";
    r.issuerId = "fedcba9876543210";
    r.nodeId = std::move(node);
    r.capabilities = {"relay", "participant", "inference"};
    auto t = issueJoinToken(meshKey(), r, kNow);
    if (!t)
        qFatal("issueJoinToken: %s", t.message().c_str());
    return *t;
}

// A token whose fields hold text outside ASCII, signed here over the
// canonical (escaped) form.
JoinToken nonAsciiToken()
{
    JoinToken t = issued();
    t.issuerId = "st\xc3\xa4tion-\xf0\x9f\x9b\xb0"; // "stätion-🛰"
    t.capabilities.push_back("caf\xc3\xa9");
    t.signature = meshKey().sign(joinTokenSignedPayload(t));
    return t;
}

} // namespace

class TestJoinToken : public QObject {
    Q_OBJECT
private slots:
    void nodeIdMatchesPython()
    {
        const Py py = python({"nodeid", kSeedHex}, "");
        QCOMPARE(py.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(py.out)).object();
        QCOMPARE(o["public_key"].toString().toStdString(), meshKey().publicKeyBase64());
        QCOMPARE(o["node_id"].toString().toStdString(), meshKey().nodeId());
        QCOMPARE(o["node_id"].toString().size(), 16);
    }

    void stationTokenVerifiesInPython()
    {
        for (const JoinToken& t : {issued(), issued(std::nullopt), nonAsciiToken()}) {
            const std::string json = joinTokenJson(t);
            QCOMPARE(python({"canonical"}, json).out, joinTokenSignedPayload(t));
            const Py verified = python({"verify", QString::fromStdString(meshKey().publicKeyBase64())}, json);
            QCOMPARE(verified.out, std::string("ok\n"));
            QVERIFY(checkJoinToken(t, meshKey().publicKey(), kNow, "0123456789abcdef"));
        }
        // The canonical form, exactly: sorted keys and capabilities, no spaces, null for any node.
        JoinToken t = issued(std::nullopt);
        QCOMPARE(joinTokenSignedPayload(t),
                 R"({"capabilities":["inference","participant","relay"],"expires_at":1795086400,"issued_at":1795000000,)"
                 R"("issuer_id":"fedcba9876543210","mesh_id":"plant-7","node_id":null,"nonce":")" + t.nonce + R"("})");
        QCOMPARE(t.nonce.size(), std::size_t(32));
        QVERIFY(issued().nonce != t.nonce);
        // Non-ASCII is escaped as Python's default ensure_ascii=True does.
        QVERIFY(joinTokenSignedPayload(nonAsciiToken()).find(R"("st\u00e4tion-\ud83d\udef0")") != std::string::npos);
        // And the station refuses to break what Python signed (the Python side, else nothing here proves much).
        JoinToken tampered = issued();
        tampered.nonce[0] = tampered.nonce[0] == 'a' ? 'b' : 'a';
        QCOMPARE(python({"verify", QString::fromStdString(meshKey().publicKeyBase64())}, joinTokenJson(tampered)).exitCode, 1);
    }

    void pythonTokenVerifiesHere_data()
    {
        QTest::addColumn<QString>("fields");
        QTest::newRow("bound") << R"({"mesh_id":"plant-7","node_id":"0123456789abcdef","issued_at":1795000000,
            "expires_at":1795003600,"capabilities":["participant","relay"],"issuer_id":"fedcba9876543210",
            "nonce":"00112233445566778899aabbccddeeff"})";
        QTest::newRow("any node") << R"({"mesh_id":"plant-7","node_id":null,"issued_at":1795000000,
            "expires_at":1795003600,"capabilities":["b","a"],"issuer_id":"x","nonce":"n"})";
        QTest::newRow("non-ASCII, escaped") << R"({"mesh_id":"plant-7","node_id":null,"issued_at":1795000000,
            "expires_at":1795003600,"capabilities":["caf\u00e9"],"issuer_id":"st\u00e4tion","nonce":"n"})";
        QTest::newRow("non-ASCII, UTF-8") << R"({"mesh_id":"plant-7","node_id":null,"issued_at":1795000000,
            "expires_at":1795003600,"capabilities":["caf\u00e9"],"issuer_id":"st\u00e4tion","nonce":"n",
            "ensure_ascii":false})";
    }

    void pythonTokenVerifiesHere()
    {
        QFETCH(QString, fields);
        const Py py = python({"issue", kSeedHex}, fields.toStdString());
        QCOMPARE(py.exitCode, 0);
        auto t = parseJoinToken(py.out);
        QVERIFY2(t, t ? "" : t.message().c_str());
        const Status ok = checkJoinToken(*t, meshKey().publicKey(), kNow, "0123456789abcdef");
        QVERIFY2(ok, ok ? "" : ok.message().c_str());
        t->meshId = "plant-8";
        QCOMPARE(checkJoinToken(*t, meshKey().publicKey(), kNow).code(), ErrorCode::Untrusted);
    }

    void refusals_data()
    {
        QTest::addColumn<int>("change");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        const int untrusted = int(ErrorCode::Untrusted);
        const QString unsigned_ = R"(join token for mesh "plant-7" is not signed by that mesh's key)";
        QTest::newRow("expired") << 0 << untrusted << "join token for mesh \"plant-7\" expired at 2026-11-19T11:06:40Z";
        QTest::newRow("other node") << 1 << untrusted << "join token is for node 0123456789abcdef, not 1111111111111111";
        QTest::newRow("mesh_id") << 2 << untrusted << R"(join token for mesh "plant-8" is not signed by that mesh's key)";
        QTest::newRow("node_id to any") << 3 << untrusted << unsigned_;
        QTest::newRow("issued_at") << 4 << untrusted << unsigned_;
        QTest::newRow("expires_at") << 5 << untrusted << unsigned_;
        QTest::newRow("capability added") << 6 << untrusted << unsigned_;
        QTest::newRow("issuer_id") << 7 << untrusted << unsigned_;
        QTest::newRow("nonce") << 8 << untrusted << unsigned_;
        QTest::newRow("bad base64") << 9 << int(ErrorCode::BadData) << "join token: the signature is not base64 of 64 bytes";
        QTest::newRow("short signature") << 10 << int(ErrorCode::BadData)
                                         << "join token: the signature is not base64 of 64 bytes";
        QTest::newRow("another key") << 11 << untrusted << unsigned_;
        QTest::newRow("signed for 8 days") << 12 << untrusted
                                           << "join token for mesh \"plant-7\" claims to last longer than 7 days";
        QTest::newRow("expires before issued") << 13 << untrusted
                                               << "join token for mesh \"plant-7\" expires before it was issued";
    }

    void refusals()
    {
        QFETCH(int, change);
        QFETCH(int, code);
        QFETCH(QString, reason);
        JoinToken t = issued();
        std::int64_t now = kNow;
        std::string node = "0123456789abcdef";
        // The unchanged token passes, or the refusals below prove nothing.
        QVERIFY(checkJoinToken(t, meshKey().publicKey(), now, node));
        QVERIFY(checkJoinToken(t, meshKey().publicKey(), t.expiresAt, node)); // expired only once past
        QVERIFY(checkJoinToken(t, meshKey().publicKey(), now, {}));           // no node to check
        const NodeKey mallory = NodeKey::generate();
        switch (change) {
        case 0: now = t.expiresAt + 1; break;
        case 1: node = "1111111111111111"; break;
        case 2: t.meshId = "plant-8"; break;
        case 3: t.nodeId.reset(); break;
        case 4: t.issuedAt -= 1; break;
        case 5: t.expiresAt += 3600; break;
        case 6: t.capabilities.push_back("can_invite"); break;
        case 7: t.issuerId = "0000000000000000"; break;
        case 8: t.nonce = std::string(32, '0'); break;
        case 9: t.signature = "not base64!"; break;
        case 10: t.signature = base64Encode(std::string(63, 's')); break;
        case 11: t.signature = mallory.sign(joinTokenSignedPayload(t)); break;
        case 12:
            t.expiresAt = t.issuedAt + 8 * 86400;
            t.signature = meshKey().sign(joinTokenSignedPayload(t));
            break;
        case 13:
            t.expiresAt = t.issuedAt - 1;
            t.signature = meshKey().sign(joinTokenSignedPayload(t));
            now = t.issuedAt - 10;
            break;
        }
        const Status s = checkJoinToken(t, meshKey().publicKey(), now, node);
        QVERIFY(!s);
        QCOMPARE(int(s.code()), code);
        QCOMPARE(QString::fromStdString(s.message()), reason);
        // A reordered capability list is the same token (the canonical form sorts).
        if (change == 0) {
            JoinToken r = issued();
            std::reverse(r.capabilities.begin(), r.capabilities.end());
            QVERIFY(checkJoinToken(r, meshKey().publicKey(), kNow, node));
        }
    }

    void jsonRoundTrip()
    {
        for (const JoinToken& t : {issued(), issued(std::nullopt), nonAsciiToken()}) {
            auto back = parseJoinToken(joinTokenJson(t));
            QVERIFY2(back, back ? "" : back.message().c_str());
            QCOMPARE(joinTokenJson(*back), joinTokenJson(t));
            QVERIFY(checkJoinToken(*back, meshKey().publicKey(), kNow));
        }
        QVERIFY(joinTokenJson(issued(std::nullopt)).find(R"("node_id":null)") != std::string::npos);
        // node_id left out is any node; unknown fields (delegation_chain) are ignored.
        QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(joinTokenJson(issued(std::nullopt)))).object();
        o.remove("node_id");
        o["delegation_chain"] = QJsonArray{QJsonObject{{"issuer_id", "x"}}};
        auto lenient = parseJoinToken(QJsonDocument(o).toJson().toStdString());
        QVERIFY(lenient);
        QVERIFY(!lenient->nodeId);
        QVERIFY(checkJoinToken(*lenient, meshKey().publicKey(), kNow, "anyone"));
    }

    void hostileJson_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value"); // JSON, or "" to remove the field
        QTest::addColumn<QString>("reason");
        QTest::newRow("no mesh_id") << "mesh_id" << "" << "mesh_id is missing";
        QTest::newRow("mesh_id number") << "mesh_id" << "7" << "mesh_id is not a string";
        QTest::newRow("mesh_id empty") << "mesh_id" << R"("")" << "mesh_id is empty";
        QTest::newRow("mesh_id huge") << "mesh_id" << "\"" + QString(257, 'm') + "\"" << "mesh_id is longer than 256 bytes";
        QTest::newRow("node_id list") << "node_id" << "[]" << "node_id is not a string";
        QTest::newRow("no issued_at") << "issued_at" << "" << "issued_at is missing";
        QTest::newRow("issued_at text") << "issued_at" << R"("1795000000")" << "issued_at is not a whole number of seconds";
        QTest::newRow("issued_at float") << "issued_at" << "1795000000.5" << "issued_at is not a whole number of seconds";
        QTest::newRow("issued_at negative") << "issued_at" << "-1" << "issued_at is negative";
        QTest::newRow("expires_at huge") << "expires_at" << "18446744073709551615" << "expires_at is out of range";
        QTest::newRow("expires_at bool") << "expires_at" << "true" << "expires_at is not a whole number of seconds";
        QTest::newRow("no capabilities") << "capabilities" << "" << "capabilities is missing";
        QTest::newRow("capabilities text") << "capabilities" << R"("relay")" << "capabilities is not a list";
        QTest::newRow("capability number") << "capabilities" << R"(["relay",5])" << "capabilities[1] is not a string";
        QTest::newRow("capability huge") << "capabilities" << "[\"" + QString(65, 'c') + "\"]"
                                         << "capabilities[0] is longer than 64 bytes";
        QString many = "[";
        for (int i = 0; i < 33; ++i)
            many += (i ? ",\"c" : "\"c") + QString::number(i) + "\"";
        QTest::newRow("33 capabilities") << "capabilities" << many + "]" << "capabilities has more than 32 entries";
        QTest::newRow("no issuer_id") << "issuer_id" << "" << "issuer_id is missing";
        QTest::newRow("nonce object") << "nonce" << "{}" << "nonce is not a string";
        QTest::newRow("no signature") << "signature" << "" << "signature is missing";
        QTest::newRow("signature huge") << "signature" << "\"" + QString(129, 'A') + "\"" << "signature is longer than 128 bytes";
    }

    void hostileJson()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, reason);
        // Edited as text so that values Qt's JSON would change (huge integers) reach the parser as written.
        QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(joinTokenJson(issued()))).object();
        o.remove(field);
        QString text = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
        if (!value.isEmpty())
            text.insert(1, "\"" + field + "\":" + value + ",");
        const auto r = parseJoinToken(text.toStdString());
        QVERIFY2(!r, qPrintable(text));
        QCOMPARE(r.code(), ErrorCode::BadData);
        QCOMPARE(QString::fromStdString(r.message()), "join token: " + reason);
    }

    void hostileText()
    {
        const auto reason = [](std::string_view text) { return parseJoinToken(text).message(); };
        QCOMPARE(reason(""), std::string("join token: not JSON"));
        QCOMPARE(reason("{\"mesh_id\":"), std::string("join token: not JSON"));
        QCOMPARE(reason("[1,2]"), std::string("join token: not a JSON object"));
        QCOMPARE(reason("{\"mesh_id\":\"\xff\"}"), std::string("join token: not JSON")); // not UTF-8
        QCOMPARE(reason(std::string(20000, ' ')), std::string("join token: larger than 16 KiB"));
        QCOMPARE(reason(std::string(8000, '[')), std::string("join token: not JSON"));
    }

    void issuing()
    {
        JoinTokenRequest r;
        r.meshId = "plant-7";
        r.issuerId = "fedcba9876543210";
        r.lifetimeSeconds = kMaxJoinTokenLifetime;
        auto t = issueJoinToken(meshKey(), r, kNow);
        QVERIFY(t);
        QCOMPARE(t->expiresAt - t->issuedAt, std::int64_t(7 * 86400));
        QCOMPARE(t->capabilities, std::vector<std::string>{"participant"});
        QVERIFY(!t->nodeId);

        const auto refused = [&](JoinTokenRequest req, const std::string& msg) {
            auto bad = issueJoinToken(meshKey(), req, kNow);
            QVERIFY(!bad);
            QCOMPARE(bad.code(), ErrorCode::Usage);
            QCOMPARE(bad.message(), msg);
        };
        JoinTokenRequest q = r;
        q.lifetimeSeconds = kMaxJoinTokenLifetime + 1;
        refused(q, "a join token may last at most 7 days, not 604801 s");
        q = r;
        q.lifetimeSeconds = 0;
        refused(q, "a join token must last at least one second");
        q = r;
        q.meshId = "../x";
        refused(q, "mesh id \"../x\" starts with '.'");
        q = r;
        q.nodeId = "has space";
        refused(q, "node id \"has space\" is not a node id (1 to 128 printable ASCII characters, no spaces)");
        q = r;
        q.capabilities = {"relay", ""};
        refused(q, "capability \"\" is empty");
        q = r;
        q.capabilities = {"a,b"};
        refused(q, "capability \"a,b\" has a character that is not printable ASCII (or a space or comma)");
    }

    void lifetimes()
    {
        QCOMPARE(*parseJoinTokenLifetime("24h"), std::int64_t(86400));
        QCOMPARE(*parseJoinTokenLifetime("3d"), std::int64_t(3 * 86400));
        QCOMPARE(*parseJoinTokenLifetime("3600s"), std::int64_t(3600));
        QCOMPARE(*parseJoinTokenLifetime("90m"), std::int64_t(5400));
        QCOMPARE(*parseJoinTokenLifetime("120"), std::int64_t(120));
        QCOMPARE(*parseJoinTokenLifetime("7d"), kMaxJoinTokenLifetime);
        QCOMPARE(parseJoinTokenLifetime("8d").message(),
                 std::string("lifetime \"8d\" is longer than the 7 days a join token may last"));
        QCOMPARE(parseJoinTokenLifetime("604801s").code(), ErrorCode::Usage);
        QCOMPARE(parseJoinTokenLifetime("99999999999999999999d").code(), ErrorCode::Usage);
        for (const char* bad : {"", "h", "0h", "-1h", "1.5h", "1w", "24 h", "h24"}) {
            auto r = parseJoinTokenLifetime(bad);
            QVERIFY2(!r, bad);
            QCOMPARE(r.code(), ErrorCode::Usage);
        }
    }
};

ATMO_TEST_GUILESS_MAIN(TestJoinToken)
#include "tst_join_token.moc"
