// core/mesh/mdns.cpp against a real avahi-daemon and a real python3-zeroconf peer
// (what the mesh's Python model bridge uses), both inside a network namespace
// this test creates with tests/mdns/netns_avahi.sh (see tests/mdns/README.md).
// Our own process stays outside: it talks to that daemon over the harness's
// private D-Bus bus, which is a unix socket. Skips, saying what is missing,
// where the harness cannot run (not root, no `ip netns`, no avahi-daemon).
// The bounds (floods, a daemon refusing to browse) are in tst_mdns_bounds.
#include <QtTest>

#include <cstdio>

#include "core/mesh/mdns.h"
#include "mdns_fixture.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

constexpr int kEventMs = 15000; // generous: probing alone takes ~0.75 s per name
// Avahi gives up resolving after 5 s, and an unresolvable peer is tried for
// an IPv4 address, then any address, before it is reported; retries follow
// after 5, 10, 20 ... s.
constexpr int kUnresolvedMs = 60000;
constexpr int kRetryMs = 120000;

using Recorder = testutil::MdnsRecorder;
using Node = testutil::MdnsNode;
using testutil::makeAdvert;

QString joined(const std::vector<std::string>& v)
{
    QStringList l;
    for (const auto& s : v)
        l << QString::fromStdString(s);
    return l.join(',');
}

QString readLine(QProcess& p, int msec) { return testutil::readProcessLine(p, msec); }

// Whether pending() lists `name` (browsed, resolving, not reported yet).
bool isPending(Mdns& mdns, const std::string& name)
{
    for (const MdnsPeer& p : mdns.pending())
        if (p.instanceName == name)
            return !p.resolved;
    return false;
}

} // namespace

class TstMdns : public QObject {
    Q_OBJECT

    testutil::AvahiHarness harness_;
    QString skip_;   // why the harness is not there
    QString pythonMissing_;
    std::uint16_t nextPort_ = 20000;

    Node startNode() { return testutil::startMdnsNode(); }
    QStringList pythonArgs(const QStringList& toolArgs) const { return harness_.pythonArgs(toolArgs); }
    bool harnessCommand(const QString& command) { return harness_.command(command); }

private slots:
    void initTestCase()
    {
        if (qEnvironmentVariableIsSet("ATMO_MDNS_NO_BUS_CHILD")) {
            skip_ = "the child of startFailsWithoutBus runs nothing else";
            return;
        }
        if (!harness_.start()) {
            skip_ = harness_.skipReason;
            QVERIFY2(harness_.failure.isEmpty(), qPrintable(harness_.failure));
            return;
        }
        pythonMissing_ = harness_.pythonMissing;
    }

    void cleanupTestCase()
    {
        if (skip_.isEmpty())
            QCOMPARE(harness_.quit(), 0);
    }

    // No system bus at all. libdbus reads DBUS_SYSTEM_BUS_ADDRESS once per
    // process, so this runs in a child: this executable, this one function.
    void startFailsWithoutBus()
    {
        if (qEnvironmentVariableIsSet("ATMO_MDNS_NO_BUS_CHILD")) {
            auto started = Mdns::start({});
            QVERIFY(!started);
            std::printf("%s\n", started.message().c_str());
            return;
        }
        testutil::Sandbox sb;
        QProcess child;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("ATMO_MDNS_NO_BUS_CHILD", "1");
        env.insert("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + QString::fromStdString((sb / "no-bus").string()));
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(),
                    {QString::fromUtf8(testmain::current()), "startFailsWithoutBus", "-silent"});
        QVERIFY(child.waitForFinished(60000));
        const QString out = QString::fromUtf8(child.readAllStandardOutput());
        QVERIFY2(child.exitCode() == 0, qPrintable(out));
        const QStringList lines = out.split('\n', Qt::SkipEmptyParts).filter("mDNS:");
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith("mDNS: ") && lines[0].contains("avahi-daemon"), qPrintable(lines[0]));
    }

    void badAdvertIsRefused()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        Node n = startNode();
        auto check = [&](MdnsAdvert a, const std::string& expected) {
            auto st = n.mdns->advertise(a);
            QVERIFY2(!st, expected.c_str());
            QVERIFY2(st.message().find(expected) != std::string::npos, st.message().c_str());
        };
        MdnsAdvert good = makeAdvert("bad-input-node", "atmosphere-bad", 1);
        MdnsAdvert a = good;
        a.nodeId.clear();
        check(a, "without a node_id");
        a = good;
        a.port = 0;
        check(a, "port 0");
        a = good;
        a.instanceName = std::string(64, 'x');
        check(a, "is not a valid service name");
        a = good;
        a.capabilities = {"a,b"};
        check(a, "capability 'a,b' contains a comma");
        a = good;
        a.meshId = std::string(300, 'm');
        check(a, "TXT record mesh_id is longer than 255 bytes");
    }

    // The bridge's Python side sees our advert, with exactly the TXT keys of
    // PROTOCOL.md and the default instance name.
    void advertiseSeenByZeroconf()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        if (!pythonMissing_.isEmpty())
            QSKIP(qPrintable(pythonMissing_));
        Node n = startNode();
        MdnsAdvert a = makeAdvert("0123abcdzz-station-node", "", 24681);
        QVERIFY(n.mdns->advertise(a));
        QVERIFY2(testutil::waitFor([&] { return !n.rec->lastAdvertised().empty(); }, kEventMs),
                 n.rec->allProblems().c_str());
        QCOMPARE(n.rec->lastAdvertised(), std::string("atmosphere-0123abcd"));

        QProcess py;
        py.start("ip", pythonArgs({"browse", "--node-id", "0123abcdzz-station-node", "--timeout", "15"}));
        QVERIFY(py.waitForFinished(30000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        const auto doc = QJsonDocument::fromJson(py.readAllStandardOutput());
        const QJsonObject o = doc.object();
        QCOMPARE(o["name"].toString(), QString("atmosphere-0123abcd._atmosphere._tcp.local."));
        QCOMPARE(o["port"].toInt(), 24681);
        QVERIFY2(o["addresses"].toArray().contains(QJsonValue("127.0.0.1")), doc.toJson().constData());
        const QJsonObject txt = o["txt"].toObject();
        QCOMPARE(txt.keys(), (QStringList{"capabilities", "mesh_id", "node_id"}));
        QCOMPARE(txt["node_id"].toString(), QString("0123abcdzz-station-node"));
        QCOMPARE(txt["mesh_id"].toString(), QString("mesh-test"));
        QCOMPARE(txt["capabilities"].toString(), QString("models,packages"));
    }

    // A service registered the way the Python bridge does is found with its
    // address, port and TXT; unregistering it (goodbye packets) loses it.
    void zeroconfServiceFoundAndLost()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        if (!pythonMissing_.isEmpty())
            QSKIP(qPrintable(pythonMissing_));
        Node n = startNode();
        QVERIFY(n.mdns->browse("station-own-id"));

        QProcess py;
        py.start("ip", pythonArgs({"register", "--name", "atmosphere-pybridge", "--port", "14345",
                                   "--txt", "node_id=py-bridge-node-1", "--txt", "mesh_id=mesh-py",
                                   "--txt", "capabilities=vision, llm,,gguf"}));
        QCOMPARE(readLine(py, 30000), QString("REGISTERED atmosphere-pybridge"));

        QVERIFY2(testutil::waitFor([&] { return n.rec->peer("atmosphere-pybridge").has_value(); }, kEventMs),
                 n.rec->allProblems().c_str());
        const MdnsPeer p = *n.rec->peer("atmosphere-pybridge");
        QCOMPARE(p.address, std::string("127.0.0.1"));
        QCOMPARE(p.port, std::uint16_t(14345));
        QCOMPARE(p.host, std::string("zc-bridge.local"));
        QCOMPARE(p.nodeId, std::string("py-bridge-node-1"));
        QCOMPARE(p.meshId, std::string("mesh-py"));
        QCOMPARE(joined(p.capabilities), QString("vision,llm,gguf"));
        QVERIFY(p.interfaceIndex > 0);

        py.write("quit\n");
        QCOMPARE(readLine(py, 30000), QString("UNREGISTERED"));
        py.waitForFinished(10000);
        QVERIFY2(testutil::waitFor([&] { return n.rec->wasLost("atmosphere-pybridge"); }, kEventMs),
                 "python's goodbye did not make the peer lost");
    }

    // A node of the mesh's Python implementation registers without any
    // address record. It is reported unresolved (with what its TXT says),
    // nothing crashes (this used to abort in libdbus: the peer's name was
    // read after its resolver was freed), and once the same service gains an
    // address (no goodbye, no new browse event) a retry finds it.
    void unresolvedPeerReportedThenRetried()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        if (!pythonMissing_.isEmpty())
            QSKIP(qPrintable(pythonMissing_));
        Node n = startNode();
        QVERIFY(n.mdns->browse("station-own-id"));
        QProcess py;
        py.start("ip", pythonArgs({"register", "--name", "atmosphere-noaddr", "--port", "14350", "--no-address",
                                   "--txt", "node_id=py-noaddr-node", "--txt", "mesh_id=mesh-py",
                                   "--txt", "capabilities=models"}));
        QCOMPARE(readLine(py, 30000), QString("REGISTERED atmosphere-noaddr"));

        // Browsed and resolving, not reported yet (Avahi's resolve timeouts
        // take 5 s and more): pending() shows it meanwhile.
        QVERIFY2(testutil::waitFor([&] {
            return isPending(*n.mdns, "atmosphere-noaddr") || n.rec->unresolvedPeer("atmosphere-noaddr");
        }, kEventMs), n.rec->allProblems().c_str());
        QVERIFY2(!n.rec->unresolvedPeer("atmosphere-noaddr"), "reported before pending() could show it");

        QVERIFY2(testutil::waitFor([&] { return n.rec->unresolvedPeer("atmosphere-noaddr").has_value(); },
                                   kUnresolvedMs),
                 n.rec->allProblems().c_str());
        QVERIFY(!isPending(*n.mdns, "atmosphere-noaddr")); // reported now
        const auto [p, why] = *n.rec->unresolvedPeer("atmosphere-noaddr");
        QVERIFY(!p.resolved);
        QCOMPARE(p.address, std::string());
        QCOMPARE(p.nodeId, std::string("py-noaddr-node")); // the TXT, learned without an address
        QCOMPARE(p.meshId, std::string("mesh-py"));
        QVERIFY2(why.find("mDNS: cannot resolve peer 'atmosphere-noaddr' (") == 0, why.c_str());
        QVERIFY(!n.rec->peer("atmosphere-noaddr"));

        // Still alive and browsing: an ordinary peer is found meanwhile.
        Node other = startNode();
        QVERIFY(other.mdns->advertise(makeAdvert("node-beside", "atmosphere-beside", ++nextPort_)));
        QVERIFY(testutil::waitFor([&] { return n.rec->peer("atmosphere-beside").has_value(); }, kEventMs));

        py.write("add-address 127.0.0.1\n");
        QCOMPARE(readLine(py, 30000), QString("UPDATED"));
        QVERIFY2(testutil::waitFor([&] { return n.rec->peer("atmosphere-noaddr").has_value(); }, kRetryMs),
                 "the retry did not resolve the peer once it had an address");
        const MdnsPeer found = *n.rec->peer("atmosphere-noaddr");
        QVERIFY(found.resolved);
        QCOMPARE(found.address, std::string("127.0.0.1"));
        QCOMPARE(found.port, std::uint16_t(14350));
        QCOMPARE(found.nodeId, std::string("py-noaddr-node"));
        QVERIFY(!n.rec->wasLost("atmosphere-noaddr"));

        py.write("quit\n");
        QCOMPARE(readLine(py, 30000), QString("UNREGISTERED"));
        py.waitForFinished(10000);
        QVERIFY(testutil::waitFor([&] { return n.rec->wasLost("atmosphere-noaddr"); }, kEventMs));
    }

    // An unresolved peer that leaves is reported lost (it was reported), and
    // its pending retry goes with it: destroying the Mdns afterwards is clean.
    void unresolvedPeerLost()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        if (!pythonMissing_.isEmpty())
            QSKIP(qPrintable(pythonMissing_));
        Node n = startNode();
        QVERIFY(n.mdns->browse("station-own-id"));
        QProcess py;
        py.start("ip", pythonArgs({"register", "--name", "atmosphere-noaddr-2", "--port", "14351", "--no-address"}));
        QCOMPARE(readLine(py, 30000), QString("REGISTERED atmosphere-noaddr-2"));
        QVERIFY(testutil::waitFor([&] { return n.rec->unresolvedPeer("atmosphere-noaddr-2").has_value(); },
                                  kUnresolvedMs));
        QCOMPARE(n.rec->unresolvedPeer("atmosphere-noaddr-2")->first.nodeId, std::string()); // it sent no TXT
        py.write("quit\n");
        QCOMPARE(readLine(py, 30000), QString("UNREGISTERED"));
        py.waitForFinished(10000);
        QVERIFY(testutil::waitFor([&] { return n.rec->wasLost("atmosphere-noaddr-2"); }, kEventMs));
        n.mdns.reset();
    }

    // TXT as a careless or hostile peer sends it (raw bytes through
    // python-zeroconf): duplicate and upper-case keys, empty values, a full
    // 255-byte string, bytes that are not UTF-8. The peer is found; the
    // fields are what core/mesh/mdns_txt.h makes of them.
    void garbageTxtFound()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        if (!pythonMissing_.isEmpty())
            QSKIP(qPrintable(pythonMissing_));
        Node n = startNode();
        QVERIFY(n.mdns->browse("station-own-id"));
        const QByteArray records[] = {
            "NODE_ID=garbage-first",
            "node_id=garbage-second",
            "mesh_id=",
            "capabilities=ok,\xff\xfe," + QByteArray(200, 'c') + ",also-ok",
            "junk=" + QByteArray(250, 'j'),
            "\xc3\x28=\xa0\xa1",
            "flag",
        };
        QStringList args{"register", "--name", "atmosphere-garbage", "--port", "14352"};
        for (const auto& r : records)
            args << "--txt-hex" << QString::fromLatin1(r.toHex());
        QProcess py;
        py.start("ip", pythonArgs(args));
        QCOMPARE(readLine(py, 30000), QString("REGISTERED atmosphere-garbage"));
        QVERIFY2(testutil::waitFor([&] { return n.rec->peer("atmosphere-garbage").has_value(); }, kEventMs),
                 n.rec->allProblems().c_str());
        const MdnsPeer p = *n.rec->peer("atmosphere-garbage");
        QCOMPARE(p.address, std::string("127.0.0.1"));
        QCOMPARE(p.nodeId, std::string("garbage-first"));
        QCOMPARE(p.meshId, std::string());
        QCOMPARE(joined(p.capabilities), QString("ok,also-ok"));

        // Without any TXT at all it is found just the same.
        QProcess bare;
        bare.start("ip", pythonArgs({"register", "--name", "atmosphere-bare", "--port", "14353"}));
        QCOMPARE(readLine(bare, 30000), QString("REGISTERED atmosphere-bare"));
        QVERIFY(testutil::waitFor([&] { return n.rec->peer("atmosphere-bare").has_value(); }, kEventMs));
        QCOMPARE(n.rec->peer("atmosphere-bare")->nodeId, std::string());
        for (QProcess* p : {&py, &bare}) {
            p->write("quit\n");
            QCOMPARE(readLine(*p, 30000), QString("UNREGISTERED"));
            p->waitForFinished(10000);
        }
    }

    // Another instance of this very node (same node_id) is never a peer; a
    // bystander sees both, which shows the skipped one was really there.
    void ownNodeIdSkipped()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        Node self1 = startNode(), other = startNode(), self2 = startNode(), bystander = startNode();
        QVERIFY(self1.mdns->advertise(makeAdvert("same-node-id", "atmosphere-self", ++nextPort_)));
        QVERIFY(other.mdns->advertise(makeAdvert("other-node-id", "atmosphere-other", ++nextPort_)));
        QVERIFY(testutil::waitFor([&] {
            return !self1.rec->lastAdvertised().empty() && !other.rec->lastAdvertised().empty();
        }, kEventMs));
        QVERIFY(bystander.mdns->browse("bystander-id"));
        QVERIFY(self2.mdns->browse("same-node-id"));
        QVERIFY(self1.mdns->browse("same-node-id"));
        QVERIFY(testutil::waitFor([&] {
            return bystander.rec->peer("atmosphere-self") && bystander.rec->peer("atmosphere-other");
        }, kEventMs));
        QVERIFY(testutil::waitFor([&] {
            return self2.rec->peer("atmosphere-other") && self1.rec->peer("atmosphere-other");
        }, kEventMs));
        // Both were resolved from the same daemon's cache at the same moment;
        // a grace period catches a late wrong report.
        testutil::waitFor([&] { return self2.rec->peer("atmosphere-self").has_value(); }, 1500);
        QVERIFY(!self2.rec->peer("atmosphere-self"));
        QVERIFY(!self1.rec->peer("atmosphere-self"));
        // Once resolved and found to be ourselves it is not pending either.
        QVERIFY(testutil::waitFor([&] {
            return !isPending(*self1.mdns, "atmosphere-self") && !isPending(*self2.mdns, "atmosphere-self");
        }, kEventMs));
        QVERIFY(!isPending(*bystander.mdns, "atmosphere-self"));
    }

    // withdraw() and destruction both take the service off the network.
    void withdrawAndDestroyLosePeer()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        Node a = startNode(), b = startNode(), watcher = startNode();
        QVERIFY(watcher.mdns->browse("watcher-id"));
        QVERIFY(a.mdns->advertise(makeAdvert("node-a", "atmosphere-a", ++nextPort_)));
        QVERIFY(b.mdns->advertise(makeAdvert("node-b", "atmosphere-b", ++nextPort_)));
        QVERIFY(testutil::waitFor([&] {
            return watcher.rec->peer("atmosphere-a") && watcher.rec->peer("atmosphere-b");
        }, kEventMs));
        a.mdns->withdraw();
        QVERIFY(testutil::waitFor([&] { return watcher.rec->wasLost("atmosphere-a"); }, kEventMs));
        b.mdns.reset();
        QVERIFY(testutil::waitFor([&] { return watcher.rec->wasLost("atmosphere-b"); }, kEventMs));

        // Advertising again after a withdraw publishes again.
        watcher.rec->clear();
        QVERIFY(a.mdns->advertise(makeAdvert("node-a", "atmosphere-a", nextPort_ - 1)));
        QVERIFY(testutil::waitFor([&] { return watcher.rec->peer("atmosphere-a").has_value(); }, kEventMs));
    }

    // New TXT data under the same name and port updates in place: browsers
    // get the new data and never see the peer go away.
    void txtUpdateInPlace()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        Node a = startNode(), watcher = startNode();
        QVERIFY(watcher.mdns->browse("watcher-id"));
        MdnsAdvert ad = makeAdvert("node-txt", "atmosphere-txt", ++nextPort_);
        QVERIFY(a.mdns->advertise(ad));
        QVERIFY(testutil::waitFor([&] { return watcher.rec->peer("atmosphere-txt").has_value(); }, kEventMs));
        ad.capabilities = {"models", "packages", "relay"};
        QVERIFY(a.mdns->advertise(ad));
        QVERIFY(testutil::waitFor([&] {
            auto p = watcher.rec->peer("atmosphere-txt");
            return p && p->capabilities.size() == 3;
        }, kEventMs));
        QVERIFY(!watcher.rec->wasLost("atmosphere-txt"));
    }

    // The same name from two clients of one daemon: caught by the daemon at
    // once, the second takes "name #2".
    void localNameCollision()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        Node a = startNode(), b = startNode(), watcher = startNode();
        QVERIFY(a.mdns->advertise(makeAdvert("dup-node-1", "atmosphere-dup", ++nextPort_)));
        QVERIFY(testutil::waitFor([&] { return !a.rec->lastAdvertised().empty(); }, kEventMs));
        QVERIFY(b.mdns->advertise(makeAdvert("dup-node-2", "atmosphere-dup", ++nextPort_)));
        QVERIFY2(testutil::waitFor([&] { return !b.rec->lastAdvertised().empty(); }, kEventMs),
                 b.rec->allProblems().c_str());
        QCOMPARE(a.rec->lastAdvertised(), std::string("atmosphere-dup"));
        QCOMPARE(b.rec->lastAdvertised(), std::string("atmosphere-dup #2"));
        QVERIFY2(b.rec->allProblems().find("'atmosphere-dup' is taken") != std::string::npos,
                 b.rec->allProblems().c_str());

        QVERIFY(watcher.mdns->browse("watcher-id"));
        QVERIFY(testutil::waitFor([&] {
            auto p1 = watcher.rec->peer("atmosphere-dup");
            auto p2 = watcher.rec->peer("atmosphere-dup #2");
            return p1 && p2 && p1->nodeId == "dup-node-1" && p2->nodeId == "dup-node-2";
        }, kEventMs));
    }

    // The name is already owned by a python-zeroconf peer on the network:
    // avahi's probe meets its answer and we move to "name #2".
    void networkNameCollision()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        if (!pythonMissing_.isEmpty())
            QSKIP(qPrintable(pythonMissing_));
        QProcess py;
        py.start("ip", pythonArgs({"register", "--name", "atmosphere-clash", "--port", "14346",
                                   "--txt", "node_id=py-clash-node", "--txt", "mesh_id=mesh-py",
                                   "--txt", "capabilities=llm"}));
        QCOMPARE(readLine(py, 30000), QString("REGISTERED atmosphere-clash"));

        Node a = startNode(), watcher = startNode();
        QVERIFY(a.mdns->advertise(makeAdvert("our-clash-node", "atmosphere-clash", ++nextPort_)));
        QVERIFY2(testutil::waitFor([&] { return !a.rec->lastAdvertised().empty(); }, kEventMs),
                 a.rec->allProblems().c_str());
        QCOMPARE(a.rec->lastAdvertised(), std::string("atmosphere-clash #2"));
        QVERIFY2(a.rec->allProblems().find("'atmosphere-clash' is taken on the network") != std::string::npos,
                 a.rec->allProblems().c_str());

        QVERIFY(watcher.mdns->browse("watcher-id"));
        QVERIFY(testutil::waitFor([&] {
            auto theirs = watcher.rec->peer("atmosphere-clash");
            auto ours = watcher.rec->peer("atmosphere-clash #2");
            return theirs && ours && theirs->nodeId == "py-clash-node" && ours->nodeId == "our-clash-node";
        }, kEventMs));
        py.write("quit\n");
        QCOMPARE(readLine(py, 30000), QString("UNREGISTERED"));
        py.waitForFinished(10000);
    }

    // The daemon goes away and comes back: the problem is reported, peers are
    // lost, and once it is back our service is published again and found.
    void daemonRestart()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        Node a = startNode(), watcher = startNode();
        QVERIFY(watcher.mdns->browse("watcher-id"));
        QVERIFY(a.mdns->advertise(makeAdvert("node-restart", "atmosphere-restart", ++nextPort_)));
        QVERIFY(testutil::waitFor([&] { return watcher.rec->peer("atmosphere-restart").has_value(); }, kEventMs));
        a.rec->clear();
        watcher.rec->clear();

        QVERIFY(harnessCommand("stop-avahi"));
        QVERIFY(testutil::waitFor([&] { return watcher.rec->wasLost("atmosphere-restart"); }, kEventMs));
        QVERIFY(testutil::waitFor([&] { return !a.rec->allProblems().empty(); }, kEventMs));
        QVERIFY2(a.rec->allProblems().find("mDNS: lost the connection to avahi-daemon") == 0,
                 a.rec->allProblems().c_str());
        // Meanwhile a new connection is refused, naming the daemon.
        auto refused = Mdns::start({});
        QVERIFY(!refused);
        QVERIFY2(refused.message().find("avahi-daemon is not running") != std::string::npos,
                 refused.message().c_str());
        // An advert made while the daemon is away is kept for later.
        QVERIFY(a.mdns->advertise(makeAdvert("node-restart", "atmosphere-restart", nextPort_)));

        QVERIFY(harnessCommand("start-avahi"));
        QVERIFY2(testutil::waitFor([&] { return a.rec->lastAdvertised() == "atmosphere-restart"; }, kEventMs),
                 a.rec->allProblems().c_str());
        QVERIFY2(testutil::waitFor([&] { return watcher.rec->peer("atmosphere-restart").has_value(); }, kEventMs),
                 watcher.rec->allProblems().c_str());
        QCOMPARE(watcher.rec->peer("atmosphere-restart")->nodeId, std::string("node-restart"));
    }

    // Tearing down while events are flowing: none arrives after the
    // destructor returned, and nothing crashes or hangs.
    void destructionIsClean()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        Node a = startNode();
        QVERIFY(a.mdns->advertise(makeAdvert("node-churn-src", "atmosphere-churn", ++nextPort_)));
        std::vector<std::shared_ptr<Recorder>> recs;
        for (int i = 0; i < 20; ++i) {
            Node n = startNode();
            QVERIFY(n.mdns->browse("churn-" + std::to_string(i)));
            QVERIFY(n.mdns->advertise(makeAdvert("churn-" + std::to_string(i), "atmosphere-churn-" + std::to_string(i),
                                                 std::uint16_t(nextPort_ + 100 + i))));
            if (i % 2)
                testutil::waitFor([&] { return n.rec->peer("atmosphere-churn").has_value(); }, 2000);
            n.mdns.reset();
            {
                std::lock_guard lock(n.rec->mutex);
                n.rec->destroyed = true;
            }
            recs.push_back(n.rec);
        }
        // Whatever was still on its way has had time to arrive by now.
        a.mdns->withdraw();
        testutil::waitFor([] { return false; }, 500);
        for (const auto& r : recs)
            QCOMPARE(r->eventsAfterDestruction, 0);
    }
};

ATMO_TEST_GUILESS_MAIN(TstMdns)
#include "tst_mdns.moc"
