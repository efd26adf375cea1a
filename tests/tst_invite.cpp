// Invites (core/relay/invite.h): JSON, base64url without padding, the
// atmosphere://join?invite= link; a link Python makes the way the mesh does
// (base64.urlsafe_b64encode(...).rstrip(b"=")) parses here and its token
// verifies; endpoints; and hostile links and texts, each with its reason.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include "core/base/base64.h"
#include "core/relay/invite.h"
#include "core/relay/join_request.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

const std::int64_t kNow = 1'795'000'000;

const NodeKey& meshKey()
{
    static const NodeKey key = NodeKey::generate();
    return key;
}

Invite makeInvite()
{
    JoinTokenRequest r;
    r.meshId = "plant-7";
    r.issuerId = "fedcba9876543210";
    r.nodeId = "0123456789abcdef";
    Invite invite;
    invite.token = *issueJoinToken(meshKey(), r, kNow);
    invite.meshName = "Plant 7 \xe2\x80\x94 line 2"; // an em dash: UTF-8 in the name
    invite.endpoints = {"local:192.168.1.20:14345", "relay:wss://relay.example.com/relay/plant-7"};
    invite.meshPublicKey = meshKey().publicKeyBase64();
    return invite;
}

QJsonObject inviteObject() { return QJsonDocument::fromJson(QByteArray::fromStdString(inviteJson(makeInvite()))).object(); }

std::string encode(const QJsonObject& o)
{
    return std::string(kInviteLinkPrefix) + base64Encode(QJsonDocument(o).toJson().toStdString(), Base64::UrlNoPadding);
}

} // namespace

class TestInvite : public QObject {
    Q_OBJECT
private slots:
    void roundTrip()
    {
        const Invite invite = makeInvite();
        const std::string link = inviteLink(invite);
        QVERIFY(link.starts_with("atmosphere://join?invite="));
        QVERIFY(link.find('=', kInviteLinkPrefix.size()) == std::string::npos); // no padding
        QCOMPARE(link.substr(kInviteLinkPrefix.size()), inviteText(invite));
        for (const std::string& given : {link, inviteText(invite), "  " + link + "\n", "ATMOSPHERE://join?invite=" + inviteText(invite),
                                         "atmosphere://join?from=qr&invite=" + inviteText(invite) + "&v=1"}) {
            auto back = parseInvite(given);
            QVERIFY2(back, back ? "" : back.message().c_str());
            QCOMPARE(inviteJson(*back), inviteJson(invite));
            QCOMPARE(back->meshName, invite.meshName);
            QCOMPARE(back->endpoints, invite.endpoints);
            QVERIFY(checkInvite(*back, kNow, "0123456789abcdef"));
        }
        const QJsonObject o = inviteObject();
        QCOMPARE(o.keys(), (QStringList{"endpoints", "mesh_name", "mesh_public_key", "token"}));
        QCOMPARE(o["token"].toObject().keys().size(), 8);
        // Padding a hand-made link kept is tolerated.
        std::string padded = inviteText(invite);
        while (padded.size() % 4)
            padded += '=';
        QVERIFY(parseInvite(padded));
    }

    void pythonLinkParses()
    {
        const Invite made = makeInvite();
        QProcess p;
        p.start("/usr/bin/python3", {QFINDTESTDATA("relay/join_token_tool.py"), "invite-link"});
        p.write(QByteArray::fromStdString(inviteJson(made)));
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const std::string link = p.readAllStandardOutput().trimmed().toStdString();
        QVERIFY(link.starts_with("atmosphere://join?invite="));
        auto invite = parseInvite(link);
        QVERIFY2(invite, invite ? "" : invite.message().c_str());
        QCOMPARE(inviteJson(*invite), inviteJson(made));
        QVERIFY(checkInvite(*invite, kNow, "0123456789abcdef"));
        QCOMPARE(checkInvite(*invite, kNow, "1111111111111111").message(),
                 std::string("join token is for node 0123456789abcdef, not 1111111111111111"));
    }

    void endpoints()
    {
        for (const char* good : {"local:192.168.1.20:14345", "local:station.local:1", "local:[fe80::1]:65535",
                                 "relay:wss://relay.example.com", "relay:ws://127.0.0.1:8765/relay/plant-7"})
            QVERIFY2(inviteEndpointProblem(good).empty(), good);
        const auto problem = [](std::string_view e) { return inviteEndpointProblem(e); };
        QCOMPARE(problem("http://x:1"), std::string("is neither local:HOST:PORT nor relay:wss://..."));
        QCOMPARE(problem("local:host"), std::string("is not local:HOST:PORT"));
        QCOMPARE(problem("local::80"), std::string("is not local:HOST:PORT"));
        QCOMPARE(problem("local:host:0"), std::string("has no port from 1 to 65535"));
        QCOMPARE(problem("local:host:65536"), std::string("has no port from 1 to 65535"));
        QCOMPARE(problem("local:host:http"), std::string("has no port from 1 to 65535"));
        QCOMPARE(problem("local:fe80::1:80"), std::string("has an IPv6 host without brackets (local:[::1]:PORT)"));
        QCOMPARE(problem("relay:https://x"), std::string("is not relay:ws://... or relay:wss://..."));
        QCOMPARE(problem("relay:wss://"), std::string("has no relay host"));
        QCOMPARE(problem("relay:wss://a b"), std::string("has a space, a control character or non-ASCII"));
        QCOMPARE(problem("local:h" + std::string(600, 'o') + ":1"), std::string("is longer than 512 bytes"));
    }

    void hostile_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("reason");
        const QString text = QString::fromStdString(inviteText(makeInvite()));
        QTest::newRow("empty") << "" << "empty";
        QTest::newRow("other scheme") << "https://example.com/join?invite=" + text << "not an atmosphere://join?invite= link";
        QTest::newRow("other path") << "atmosphere://leave?invite=" + text << "not an atmosphere://join?invite= link";
        QTest::newRow("no parameter") << "atmosphere://join?token=" + text
                                      << "the link has no invite= parameter (or a broken %-escape in it)";
        QTest::newRow("broken escape") << "atmosphere://join?invite=%4" << "the link has no invite= parameter (or a broken %-escape in it)";
        QTest::newRow("standard base64") << text + "+/" << "not base64url text (a character outside A-Z a-z 0-9 - _)";
        QTest::newRow("space inside") << text.left(10) + " " + text.mid(10)
                                      << "not base64url text (a character outside A-Z a-z 0-9 - _)";
        QTest::newRow("bad length") << text.left(text.size() - text.size() % 4) + "A" << "not base64url text (its length cannot be base64)";
        QTest::newRow("not JSON") << QString::fromStdString(base64Encode("hello", Base64::UrlNoPadding)) << "not JSON";
        QTest::newRow("JSON list") << QString::fromStdString(base64Encode("[1]", Base64::UrlNoPadding)) << "not a JSON object";
        QTest::newRow("huge") << QString(70000, 'A') << "larger than 64 KiB";
    }

    void hostile()
    {
        QFETCH(QString, given);
        QFETCH(QString, reason);
        auto r = parseInvite(given.toStdString());
        QVERIFY(!r);
        QCOMPARE(r.code(), ErrorCode::BadData);
        QCOMPARE(QString::fromStdString(r.message()), "invite: " + reason);
    }

    void hostileFields_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value"); // Undefined: removed
        QTest::addColumn<QString>("reason");
        QTest::newRow("no token") << "token" << QJsonValue(QJsonValue::Undefined) << "token is missing";
        QTest::newRow("token text") << "token" << QJsonValue("eyJ") << "token is not an object";
        QTest::newRow("no mesh_name") << "mesh_name" << QJsonValue(QJsonValue::Undefined) << "mesh_name is missing";
        QTest::newRow("mesh_name number") << "mesh_name" << QJsonValue(7) << "mesh_name is not a string";
        QTest::newRow("mesh_name huge") << "mesh_name" << QJsonValue(QString(257, 'n')) << "mesh_name is longer than 256 bytes";
        QTest::newRow("endpoints text") << "endpoints" << QJsonValue("local:a:1") << "endpoints is not a list";
        QTest::newRow("endpoint number") << "endpoints" << QJsonValue(QJsonArray{"local:a:1", 5})
                                         << "endpoints[1] is not a string";
        QJsonArray many;
        for (int i = 0; i < 17; ++i)
            many.append("local:a:" + QString::number(i + 1));
        QTest::newRow("17 endpoints") << "endpoints" << QJsonValue(many) << "endpoints has more than 16 entries";
        QTest::newRow("no key") << "mesh_public_key" << QJsonValue(QJsonValue::Undefined) << "mesh_public_key is missing";
        QTest::newRow("key list") << "mesh_public_key" << QJsonValue(QJsonArray{}) << "mesh_public_key is not a string";
        QTest::newRow("key short") << "mesh_public_key" << QJsonValue(QString::fromStdString(base64Encode(std::string(31, 'k'))))
                                   << "mesh_public_key: not a base64 Ed25519 public key (32 bytes)";
        QTest::newRow("key base64url") << "mesh_public_key" << QJsonValue(QString::fromStdString(
                                              base64Encode(std::string(32, '\xfb'), Base64::UrlNoPadding)))
                                       << "mesh_public_key: not a base64 Ed25519 public key (32 bytes)";
    }

    void hostileFields()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, reason);
        QJsonObject o = inviteObject();
        QVERIFY(parseInvite(encode(o))); // the unchanged one parses, or this proves nothing
        if (value.isUndefined())
            o.remove(field);
        else
            o[field] = value;
        auto r = parseInvite(encode(o));
        QVERIFY(!r);
        QCOMPARE(r.code(), ErrorCode::BadData);
        QCOMPARE(QString::fromStdString(r.message()), "invite: " + reason);
    }

    void tokenInsideIsChecked()
    {
        QJsonObject o = inviteObject();
        QJsonObject token = o["token"].toObject();
        token.remove("nonce");
        o["token"] = token;
        QCOMPARE(parseInvite(encode(o)).message(), std::string("invite: join token: nonce is missing"));

        // A token signed by another key than the invite's own: parses, does not check.
        o = inviteObject();
        o["mesh_public_key"] = QString::fromStdString(NodeKey::generate().publicKeyBase64());
        auto swapped = parseInvite(encode(o));
        QVERIFY(swapped);
        const Status s = checkInvite(*swapped, kNow, "0123456789abcdef");
        QCOMPARE(s.code(), ErrorCode::Untrusted);
        QCOMPARE(s.message(), std::string("join token for mesh \"plant-7\" is not signed by that mesh's key"));
        QCOMPARE(checkInvite(makeInvite(), kNow + 86401).code(), ErrorCode::Untrusted);
    }

    // What `atmosphere mesh join` and the window's Join dialog start from
    // (core/relay/join_request.h).
    void membershipFromInviteOrToken()
    {
        const Invite invite = makeInvite();
        const std::string link = inviteLink(invite);
        auto m = membershipFromCredential("  " + link + "\n", "", "0123456789abcdef", kNow);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QCOMPARE(m->meshId, std::string("plant-7"));
        QCOMPARE(m->relayUrl, std::string("wss://relay.example.com/relay/plant-7")); // the invite's relay
        QVERIFY(!m->founder);
        QCOMPARE(m->tokenJson, joinTokenJson(invite.token));
        // A relay given wins over the invite's.
        m = membershipFromCredential(link, " ws://10.0.0.9:8765 ", "0123456789abcdef", kNow);
        QVERIFY(m);
        QCOMPARE(m->relayUrl, std::string("ws://10.0.0.9:8765"));
        // The invite is checked before anything is sent: bound to another node, expired.
        m = membershipFromCredential(link, "", "aaaaaaaaaaaaaaaa", kNow);
        QCOMPARE(m.code(), ErrorCode::Untrusted);
        QVERIFY(m.message().find("0123456789abcdef") != std::string::npos);
        QCOMPARE(membershipFromCredential(link, "", "0123456789abcdef", kNow + 86401).code(), ErrorCode::Untrusted);
        // An invite naming no relay, and a bare token, need one given.
        Invite lanOnly = makeInvite();
        lanOnly.endpoints = {"local:192.168.1.20:14345"};
        m = membershipFromCredential(inviteLink(lanOnly), "", "0123456789abcdef", kNow);
        QCOMPARE(m.code(), ErrorCode::Usage);
        QCOMPARE(m.message(), std::string("the invite names no relay: give the relay's URL"));
        const std::string token = joinTokenJson(invite.token);
        QCOMPARE(membershipFromCredential(token, "", "0123456789abcdef", kNow).code(), ErrorCode::Usage);
        m = membershipFromCredential(token, "ws://10.0.0.9:8765", "0123456789abcdef", kNow);
        QVERIFY(m);
        QCOMPARE(m->meshId, std::string("plant-7"));
        QCOMPARE(m->tokenJson, token);
        // Nothing, or neither.
        QCOMPARE(membershipFromCredential(" \n", "ws://x", "0123456789abcdef", kNow).code(), ErrorCode::Usage);
        QCOMPARE(membershipFromCredential("{not json", "ws://x", "0123456789abcdef", kNow).code(), ErrorCode::BadData);
        QCOMPARE(membershipFromCredential("hello", "ws://x", "0123456789abcdef", kNow).code(), ErrorCode::BadData);
    }
};

ATMO_TEST_GUILESS_MAIN(TestInvite)
#include "tst_invite.moc"
