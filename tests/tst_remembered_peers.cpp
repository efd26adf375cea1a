// Node names (core/base/node_name.h), the station's name in its home, and the
// remembered peers file (core/mesh/remembered_peers.h): updated by node id,
// bounded, written atomically, and a corrupt file costs one warning, not the
// command.
#include <QTest>

#include <unistd.h>

#include <algorithm>

#include "core/base/node_name.h"
#include "core/mesh/remembered_peers.h"
#include "core/package/station_home.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;
using namespace testutil;

class TestRememberedPeers : public QObject {
    Q_OBJECT
private slots:
    void nodeNameRules()
    {
        QVERIFY(isValidNodeName("gateway-01"));
        QVERIFY(isValidNodeName("Station Süd"));
        QVERIFY(isValidNodeName(std::string(63, 'a')));
        QVERIFY(!isValidNodeName(std::string(64, 'a')));
        QVERIFY(!isValidNodeName(""));
        QVERIFY(!isValidNodeName(" gateway"));
        QVERIFY(!isValidNodeName("gate\tway"));
        QVERIFY(!isValidNodeName("http://gateway"));
        QVERIFY(!isValidNodeName("bad \xff utf8"));
        QCOMPARE(nodeNameProblem(std::string(64, 'a')), std::string("is longer than 63 bytes"));

        QCOMPARE(nodeNameFromHost("gateway-01.plant.example"), std::string("gateway-01"));
        QCOMPARE(nodeNameFromHost("vm"), std::string("vm"));
        QCOMPARE(nodeNameFromHost("localhost"), std::string());
        QCOMPARE(nodeNameFromHost("localhost.localdomain"), std::string());
        QCOMPARE(nodeNameFromHost("(none)"), std::string());
        QCOMPARE(nodeNameFromHost(""), std::string());
        QCOMPARE(defaultInstanceName("2748e85bcff0faae219996054cda7f61"), std::string("atmosphere-2748e85b"));

        // 62 ASCII bytes and a two-byte character: cut before the character.
        const std::string longName = std::string(62, 'x') + "\xc3\xbc" + "tail";
        QCOMPARE(sanitizeNodeName(longName), std::string(62, 'x'));
        QCOMPARE(sanitizeNodeName("  line 7\tbay \nsecond"), std::string("line 7 bay"));
        QVERIFY(isValidNodeName(sanitizeNodeName(std::string(200, 'z'))));
    }

    void stationHomeKeepsTheName()
    {
        Sandbox box;
        StationHome home(box / "home");
        const std::string id = "2748e85bcff0faae219996054cda7f61";
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        const std::string fromHost = nodeNameFromHost(host);
        QCOMPARE(home.nodeName(id), fromHost.empty() ? defaultInstanceName(id) : fromHost);
        QCOMPARE(home.explicitNodeName(), std::string());

        QVERIFY(home.setNodeName("gateway-01").ok());
        QCOMPARE(readFile(box / "home/station/name"), std::string("gateway-01\n"));
        QCOMPARE(home.nodeName(id), std::string("gateway-01"));
        QCOMPARE(home.stationName(), std::string("gateway-01")); // custody entries say the same

        const auto bad = home.setNodeName(std::string(70, 'n'));
        QVERIFY(!bad.ok());
        QVERIFY2(bad.message().find("63 bytes") != std::string::npos, bad.message().c_str());
        QCOMPARE(home.nodeName(id), std::string("gateway-01")); // unchanged

        QVERIFY(home.setNodeName("").ok());
        QVERIFY(!fs::exists(box / "home/station/name"));
        QCOMPARE(home.nodeName(id), fromHost.empty() ? defaultInstanceName(id) : fromHost);
    }

    void reachedUpdatesByNodeId()
    {
        Sandbox box;
        RememberedPeers store(box / "peers.json");
        store.load();
        QVERIFY(store.peers().empty());
        QCOMPARE(store.warning(), std::string());

        store.reached({"n1", "gateway-01", "http://10.0.0.5:14345", 1000, false});
        store.reached({"n2", "line-3", "http://10.0.0.6:14345/", 2000, false});
        // n1 moved to another address: one entry, the new address.
        store.reached({"n1", "gateway-01", "http://10.0.0.9:14345", 3000, false});
        QCOMPARE(store.peers().size(), std::size_t(2));
        QVERIFY(store.save().ok());

        RememberedPeers again(box / "peers.json");
        again.load();
        QCOMPARE(again.warning(), std::string());
        QCOMPARE(again.peers().size(), std::size_t(2));
        const auto& n1 = again.peers()[1];
        QCOMPARE(n1.nodeId, std::string("n1"));
        QCOMPARE(n1.endpoint, std::string("http://10.0.0.9:14345"));
        QCOMPARE(n1.lastReachableMs, std::int64_t(3000));
        QCOMPARE(again.peers()[0].endpoint, std::string("http://10.0.0.6:14345"));

        // Another node now answers at n2's address: n2's entry goes.
        again.reached({"n3", "line-4", "http://10.0.0.6:14345", 4000, false});
        QCOMPARE(again.peers().size(), std::size_t(2));
        QVERIFY(!again.remove("n2"));
        QVERIFY(again.remove("n3"));
        QVERIFY(again.remove("http://10.0.0.9:14345"));
        QVERIFY(again.peers().empty());
    }

    void addedByHandAndBounded()
    {
        Sandbox box;
        RememberedPeers store(box / "peers.json");
        QVERIFY(!store.add("ftp://nope").ok());
        QVERIFY(store.add("http://192.168.1.20:14345", "by-hand").ok());
        for (int i = 0; i < int(RememberedPeers::kMaxPeers) + 10; ++i)
            store.reached({"node" + std::to_string(i), "n" + std::to_string(i),
                           "http://10.1.0." + std::to_string(i % 250 + 1) + ":" + std::to_string(20000 + i), 1000 + i,
                           false});
        QCOMPARE(store.peers().size(), RememberedPeers::kMaxPeers);
        bool hand = false, oldest = false, newest = false;
        for (const auto& p : store.peers()) {
            hand = hand || (p.addedByHand && p.nodeName == "by-hand");
            oldest = oldest || p.nodeId == "node0";
            newest = newest || p.nodeId == "node" + std::to_string(RememberedPeers::kMaxPeers + 9);
        }
        QVERIFY(hand);    // kept ahead of the others
        QVERIFY(!oldest); // reached longest ago: gone
        QVERIFY(newest);
        // Reached at last: the hand-made entry gets the node's id and stays by hand.
        store.reached({"hand-node", "gateway-09", "http://192.168.1.20:14345", 9999, false});
        const auto it = std::find_if(store.peers().begin(), store.peers().end(),
                                     [](const RememberedPeer& p) { return p.nodeId == "hand-node"; });
        QVERIFY(it != store.peers().end());
        QVERIFY(it->addedByHand);
        QCOMPARE(it->nodeName, std::string("gateway-09"));
    }

    void corruptFileWarnsOnceAndStartsEmpty_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("garbage") << QByteArray("\x00\x01garbage{{{", 12);
        QTest::newRow("truncated") << QByteArray("{\"version\":1,\"peers\":[{\"node_id\":\"n1\",\"endp");
        QTest::newRow("wrong shape") << QByteArray("[1,2,3]");
        QTest::newRow("peers not a list") << QByteArray("{\"peers\":{}}");
    }

    void corruptFileWarnsOnceAndStartsEmpty()
    {
        QFETCH(QByteArray, text);
        Sandbox box;
        writeFile(box / "peers.json", text.toStdString());
        RememberedPeers store(box / "peers.json");
        store.load();
        QVERIFY(store.peers().empty());
        QVERIFY2(store.warning().find("peers.json") != std::string::npos, store.warning().c_str());
        QCOMPARE(readFile(box / "peers.json.corrupt"), text.toStdString()); // kept for a look
        store.reached({"n1", "a", "http://10.0.0.5:1", 1, false});
        QVERIFY(store.save().ok());
        RememberedPeers again(box / "peers.json");
        again.load();
        QCOMPARE(again.warning(), std::string()); // once
        QCOMPARE(again.peers().size(), std::size_t(1));
    }

    void malformedEntriesAreSkipped()
    {
        Sandbox box;
        writeFile(box / "peers.json",
                  "{\"version\":1,\"peers\":["
                  "{\"node_id\":\"n1\",\"node_name\":\"ok\",\"endpoint\":\"http://10.0.0.5:14345\",\"last_reachable_ms\":5},"
                  "{\"node_id\":\"n2\",\"endpoint\":\"file:///etc/passwd\"},"
                  "7,"
                  "{\"node_id\":\"n3\",\"node_name\":12,\"endpoint\":\"http://[::1]:14345\",\"last_reachable_ms\":\"x\"}]}");
        RememberedPeers store(box / "peers.json");
        store.load();
        QCOMPARE(store.peers().size(), std::size_t(2));
        QCOMPARE(store.peers()[1].nodeName, std::string()); // not a string: left out
        QCOMPARE(store.peers()[1].lastReachableMs, std::int64_t(0));
        QVERIFY2(store.warning().find("skipped 2") != std::string::npos, store.warning().c_str());
    }
};

ATMO_TEST_GUILESS_MAIN(TestRememberedPeers)
#include "tst_remembered_peers.moc"
