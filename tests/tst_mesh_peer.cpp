// GET /v1/peers (station extension): the JSON both ways, lenient per peer,
// and which endpoints a peer may hand us.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/mesh/mesh_peer.h"
#include "test_main.h"

using namespace atmo;

namespace {

QJsonObject toObject(const std::string& json)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

QJsonObject peer(const QString& id, const QString& endpoint)
{
    return QJsonObject{{"node_id", id}, {"name", "Peer " + id}, {"endpoint", endpoint},
                       {"last_seen_ms", qint64(1770566400123)}, {"found_by", "mdns"}};
}

std::string doc(const QJsonArray& peers)
{
    return QJsonDocument(QJsonObject{{"peers", peers}}).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace

class TstMeshPeer : public QObject {
    Q_OBJECT

private slots:
    void originNames()
    {
        QCOMPARE(peerOriginName(PeerOrigin::Mdns), std::string_view("mdns"));
        QCOMPARE(peerOriginName(PeerOrigin::Manual), std::string_view("manual"));
        QCOMPARE(peerOriginName(PeerOrigin::ViaPeer), std::string_view("peer"));
    }

    void roundTrip()
    {
        std::vector<PeerRecord> peers = {
            {"3f9a0c1e5b7d4a2f8e6c1b0a9d8e7f6a", "Station Nord", "http://192.168.1.20:14345",
             1770566400123, PeerOrigin::Mdns},
            {"llamafarm-unknown", "LlamaFarm", "http://[fd00::5]:14345", 0, PeerOrigin::Manual},
            {"android-7", "Pixel 7 (Feld)", "http://pixel-7.local:8080", 42, PeerOrigin::ViaPeer},
        };
        const std::string text = peerListToJson(peers);
        const QJsonObject o = toObject(text);
        const QJsonArray list = o.value("peers").toArray();
        QCOMPARE(list.size(), 3);
        const QJsonObject first = list[0].toObject();
        QCOMPARE(first.keys(), (QStringList{"endpoint", "found_by", "last_seen_ms", "name", "node_id"}));
        QCOMPARE(first.value("node_id").toString(), QString("3f9a0c1e5b7d4a2f8e6c1b0a9d8e7f6a"));
        QCOMPARE(first.value("endpoint").toString(), QString("http://192.168.1.20:14345"));
        QCOMPARE(first.value("last_seen_ms").toInteger(), 1770566400123);
        QCOMPARE(first.value("found_by").toString(), QString("mdns"));
        QCOMPARE(list[2].toObject().value("found_by").toString(), QString("peer"));

        auto back = parsePeerList(text);
        QVERIFY(back.ok());
        QCOMPARE(back->size(), std::size_t(3));
        for (std::size_t i = 0; i < peers.size(); ++i) {
            QCOMPARE((*back)[i].nodeId, peers[i].nodeId);
            QCOMPARE((*back)[i].name, peers[i].name);
            QCOMPARE((*back)[i].endpoint, peers[i].endpoint);
            QCOMPARE((*back)[i].lastSeenMs, peers[i].lastSeenMs);
            QCOMPARE((*back)[i].origin, peers[i].origin);
        }
        QCOMPARE(peerListToJson({}), std::string(R"({"peers":[]})"));
    }

    void lenientPerPeer()
    {
        QJsonObject noId = peer("x", "http://10.0.0.1:1");
        noId.remove("node_id");
        QJsonObject badId = peer("has space", "http://10.0.0.1:1");
        QJsonObject noEndpoint = peer("a", "");
        noEndpoint.remove("endpoint");
        QJsonObject pathEndpoint = peer("b", "http://10.0.0.1:1/v1/models");
        QJsonObject fileEndpoint = peer("c", "file:///etc/passwd");
        QJsonObject newlineName = peer("d", "http://10.0.0.1:1");
        newlineName["name"] = "evil\nname";
        QJsonObject badSeen = peer("e", "http://10.0.0.1:1");
        badSeen["last_seen_ms"] = "yesterday";
        QJsonObject good = peer("good", "http://10.0.0.9:14345/"); // trailing slash tolerated
        good["found_by"] = "carrier-pigeon";                        // unknown: manual
        good["extra"] = QJsonObject{{"future", true}};
        QJsonObject minimal{{"node_id", "min"}, {"endpoint", "http://min.local:1"}};
        auto r = parsePeerList(doc({noId, badId, noEndpoint, pathEndpoint, fileEndpoint, newlineName,
                                    badSeen, 42, "peer", QJsonValue::Null, good, minimal}));
        QVERIFY(r.ok());
        QCOMPARE(r->size(), std::size_t(2));
        QCOMPARE((*r)[0].nodeId, std::string("good"));
        QCOMPARE((*r)[0].endpoint, std::string("http://10.0.0.9:14345"));
        QCOMPARE((*r)[0].origin, PeerOrigin::Manual);
        QCOMPARE((*r)[1].nodeId, std::string("min"));
        QCOMPARE((*r)[1].name, std::string());
        QCOMPARE((*r)[1].lastSeenMs, 0);
    }

    void garbage_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        const QString shape = "peer list: expected a JSON object with a \"peers\" list";
        QTest::newRow("empty") << QByteArray() << "peer list: not valid JSON (syntax error at byte 1)";
        QTest::newRow("html") << QByteArray("<h1>hi</h1>") << "peer list: not valid JSON (syntax error at byte 1)";
        QTest::newRow("list") << QByteArray("[]") << shape;
        QTest::newRow("peers object") << QByteArray(R"({"peers":{}})") << shape;
        QTest::newRow("no peers") << QByteArray(R"({"models":[]})") << shape;
        // Found by fuzz_peer_list: a number past a double's range is not a
        // syntax error to nlohmann::json but an out_of_range exception, which
        // escaped parsePeerList and terminated the station.
        const QString range = "peer list: not valid JSON (a number is out of range)";
        QTest::newRow("1e400") << QByteArray("{\"peers\":[{\"node_id\":\"n\",\"endpoint\":\"http://h:1\","
                                             "\"last_seen_ms\":1e400}]}")
                               << range;
        QTest::newRow("-1e400 at top") << QByteArray("-1e400") << range;
        QTest::newRow("deep") << (QByteArray(R"({"peers":[)") + QByteArray(5000, '[') + QByteArray(5000, ']') + "]}")
                              << "peer list: nested deeper than 16 levels";
    }
    void garbage()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        auto r = parsePeerList(text.toStdString());
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.message()), error);
    }

    void tooLarge()
    {
        const std::string big(16u * 1024 * 1024 + 1, ' ');
        auto r = parsePeerList(big);
        QVERIFY(!r.ok());
        QCOMPARE(r.message(), std::string("peer list: 16777217 bytes is more than 16 MiB"));
    }

    void endpoints_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<bool>("valid");
        QTest::newRow("ipv4") << "http://192.168.1.100:14345" << true;
        QTest::newRow("loopback") << "http://127.0.0.1:1" << true;
        QTest::newRow("max port") << "http://10.0.0.1:65535" << true;
        QTest::newRow("name") << "http://station-nord.local:14345" << true;
        QTest::newRow("single label") << "http://localhost:8080" << true;
        QTest::newRow("underscore label") << "http://my_host.local:80" << true;
        QTest::newRow("ipv6") << "http://[::1]:14345" << true;
        QTest::newRow("ipv6 full") << "http://[2001:db8:0:0:0:0:2:1]:80" << true;
        QTest::newRow("ipv6 zone") << "http://[fe80::1%25eth0]:14345" << true;
        QTest::newRow("ipv4-mapped") << "http://[::ffff:10.0.0.1]:80" << true;

        QTest::newRow("empty") << "" << false;
        QTest::newRow("no scheme") << "10.0.0.1:80" << false;
        QTest::newRow("https") << "https://10.0.0.1:443" << false;
        QTest::newRow("upper scheme") << "HTTP://10.0.0.1:80" << false;
        QTest::newRow("ws") << "ws://10.0.0.1:8765" << false;
        QTest::newRow("file") << "file:///etc/passwd" << false;
        QTest::newRow("no port") << "http://10.0.0.1" << false;
        QTest::newRow("empty port") << "http://10.0.0.1:" << false;
        QTest::newRow("port 0") << "http://10.0.0.1:0" << false;
        QTest::newRow("port leading zero") << "http://10.0.0.1:080" << false;
        QTest::newRow("port too big") << "http://10.0.0.1:65536" << false;
        QTest::newRow("port letters") << "http://10.0.0.1:http" << false;
        QTest::newRow("path") << "http://10.0.0.1:80/" << false;
        QTest::newRow("path 2") << "http://10.0.0.1:80/v1/models" << false;
        QTest::newRow("query") << "http://10.0.0.1:80?x=1" << false;
        QTest::newRow("fragment") << "http://10.0.0.1:80#x" << false;
        QTest::newRow("user") << "http://user@10.0.0.1:80" << false;
        QTest::newRow("user pass") << "http://user:pw@10.0.0.1:80" << false;
        QTest::newRow("no host") << "http://:80" << false;
        QTest::newRow("bad octet") << "http://10.0.0.256:80" << false;
        QTest::newRow("three octets") << "http://10.0.1:80" << false;
        QTest::newRow("octal-looking") << "http://010.0.0.1:80" << false;
        QTest::newRow("space") << "http://my host:80" << false;
        QTest::newRow("trailing dot label") << "http://host.:80" << false;
        QTest::newRow("dash label") << "http://-host:80" << false;
        QTest::newRow("ipv6 unbracketed") << "http://::1:80" << false;
        QTest::newRow("ipv6 no port") << "http://[::1]" << false;
        QTest::newRow("ipv6 garbage") << "http://[zz::1]:80" << false;
        QTest::newRow("ipv6 raw zone") << "http://[fe80::1%eth0]:80" << false;
        QTest::newRow("ipv6 zone slash") << "http://[fe80::1%25a/b]:80" << false;
        QTest::newRow("newline") << "http://10.0.0.1:80\r\nX: y" << false;
        QTest::newRow("long name") << "http://" + QString(254, 'a') + ":80" << false;
        QTest::newRow("long label") << "http://" + QString(64, 'a') + ".local:80" << false;
    }
    void endpoints()
    {
        QFETCH(QString, endpoint);
        QFETCH(bool, valid);
        QCOMPARE(isValidPeerEndpoint(endpoint.toStdString()), valid);
    }
};

ATMO_TEST_GUILESS_MAIN(TstMeshPeer)
#include "tst_mesh_peer.moc"
