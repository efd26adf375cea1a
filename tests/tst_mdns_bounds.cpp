// The bounds of core/mesh/mdns.h against a real avahi-daemon and python3-zeroconf
// in the network namespace of tests/mdns/netns_avahi.sh (as in tst_mdns): a
// host flooding the LAN with names, and a daemon that refuses to browse.
#include <QtTest>

#include "core/mesh/mdns.h"
#include "mdns_fixture.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;
using testutil::makeAdvert;

namespace {

constexpr int kEventMs = 15000; // generous: probing alone takes ~0.75 s per name

QString readLine(QProcess& p, int msec) { return testutil::readProcessLine(p, msec); }

} // namespace

class TstMdnsBounds : public QObject {
    Q_OBJECT

    testutil::AvahiHarness harness_;
    QString skip_;
    QString pythonMissing_;
    std::uint16_t nextPort_ = 21000;

    testutil::MdnsNode startNode() { return testutil::startMdnsNode(); }
    QStringList pythonArgs(const QStringList& toolArgs) const { return harness_.pythonArgs(toolArgs); }
    bool harnessCommand(const QString& command) { return harness_.command(command); }

private slots:
    void initTestCase()
    {
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

    // The daemon refuses to browse (the bus denies ServiceBrowserNew): that
    // is reported, not final. Once browsing is allowed again a retry starts
    // it and peers are found. Before, browse() failed once and the station
    // never looked for peers again.
    void browseRefusedThenRetried()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        testutil::MdnsNode a = startNode();
        QVERIFY(a.mdns->advertise(makeAdvert("node-refused", "atmosphere-refused", ++nextPort_)));
        QVERIFY(testutil::waitFor([&] { return !a.rec->lastAdvertised().empty(); }, kEventMs));

        QVERIFY(harnessCommand("deny-browse"));
        testutil::MdnsNode n = startNode();
        auto st = n.mdns->browse("refused-watcher");
        const bool allowed = harnessCommand("allow-browse"); // whatever happens below
        QVERIFY2(st, st.message().c_str());
        QVERIFY(allowed);
        QVERIFY2(n.rec->allProblems().find("mDNS: cannot browse for _atmosphere._tcp (") == 0,
                 n.rec->allProblems().c_str());
        QVERIFY2(n.rec->allProblems().find("; trying again in 2 s") != std::string::npos,
                 n.rec->allProblems().c_str());
        QVERIFY2(testutil::waitFor([&] { return n.rec->peer("atmosphere-refused").has_value(); }, 60000),
                 n.rec->allProblems().c_str());
        QCOMPARE(n.rec->peer("atmosphere-refused")->nodeId, std::string("node-refused"));
    }

    // A host floods the network with 300 names (addresses, no node_id) while
    // we browse; a proper peer appears after them, when every slot is
    // taken. Never more than kMdnsMaxPeers peers are reported at a time, the
    // full table is said once, and the proper peer gets a slot: a useless
    // one gave its slot up. When the flood leaves, all of it is lost.
    void floodCappedProperPeerGetsIn()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        if (!pythonMissing_.isEmpty())
            QSKIP(qPrintable(pythonMissing_));
        testutil::MdnsNode n = startNode();
        QVERIFY(n.mdns->browse("flood-watcher"));
        constexpr int kFlood = 300;
        QProcess flood;
        flood.start("ip", pythonArgs({"flood", "--prefix", "atmosphere-zcflood", "--count", QString::number(kFlood),
                                      "--port-base", "31000", "--txt", "junk=1"}));
        QCOMPARE(readLine(flood, 60000), "REGISTERED " + QString::number(kFlood));
        auto problemCount = [&](const std::string& text) { return n.rec->problemCount(text); };
        QVERIFY2(testutil::waitFor([&] { return problemCount("the others wait for a free slot") == 1; }, kEventMs),
                 n.rec->allProblems().c_str());

        testutil::MdnsNode proper = startNode();
        QVERIFY(proper.mdns->advertise(makeAdvert("proper-node", "atmosphere-proper", ++nextPort_)));
        QVERIFY2(testutil::waitFor([&] { return n.rec->peer("atmosphere-proper").has_value(); }, 60000),
                 n.rec->allProblems().c_str());
        QCOMPARE(n.rec->peer("atmosphere-proper")->nodeId, std::string("proper-node"));
        {
            std::lock_guard lock(n.rec->mutex);
            qInfo("at most %zu peers reported at once; %zu now", n.rec->maxLive, n.rec->live.size());
            // The cap is a hard bound. How close the live count came to it
            // depends on how resolves and evictions interleaved, so it is
            // logged, not checked; the "wait for a free slot" problem above
            // is what proves the flood filled every slot.
            QVERIFY(n.rec->maxLive <= kMdnsMaxPeers);
        }
        QCOMPARE(problemCount("the others wait for a free slot"), 1);

        flood.write("quit\n");
        QCOMPARE(readLine(flood, 60000), QString("UNREGISTERED"));
        flood.waitForFinished(10000);
        QVERIFY2(testutil::waitFor([&] {
            std::lock_guard lock(n.rec->mutex);
            return n.rec->live == std::set<std::string>{"atmosphere-proper"};
        }, 60000), qPrintable(QString::number(n.rec->live.size())));
        QVERIFY(!n.rec->wasLost("atmosphere-proper"));
    }
};

ATMO_TEST_GUILESS_MAIN(TstMdnsBounds)
#include "tst_mdns_bounds.moc"
