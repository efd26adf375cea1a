// core/base/rate_meter.h: the one rate and time-left meter behind downloads
// (core/transfer/download_progress), jobs in the window (app/ProgressMeter) and the
// CLI's progress line, which each measured differently before.
#include <QtTest>

#include "core/transfer/download_progress.h"
#include "core/base/rate_meter.h"
#include "test_main.h"

using namespace atmo;
using std::chrono::milliseconds;

namespace {
SteadyTime at(int ms) { return SteadyTime(milliseconds(ms)); }
} // namespace

class RateMeterTest : public QObject {
    Q_OBJECT
private slots:
    void addTotalStartsAtTheFirstCount()
    {
        // A job that resumes at 500 bytes did not move 500 bytes in no time.
        RateMeter m(std::chrono::seconds(3));
        m.addTotal(500, at(0));
        QCOMPARE(m.rate(at(0)), 0.0);
        QCOMPARE(m.total(), std::uint64_t(0));
        m.addTotal(600, at(1000));
        QCOMPARE(m.rate(at(1000)), 100.0);
        QCOMPARE(m.total(), std::uint64_t(100));
        QCOMPARE(m.measured(at(1000)), std::chrono::nanoseconds(milliseconds(1000)));
    }

    void aCounterThatGoesBackStartsOver()
    {
        RateMeter m(std::chrono::seconds(3));
        m.addTotal(0, at(0));
        m.addTotal(1000, at(1000));
        m.addTotal(10, at(1500)); // a new file, a new pass: not 2^64 bytes
        QCOMPARE(m.total(), std::uint64_t(0));
        QCOMPARE(m.rate(at(1500)), 0.0);
        QCOMPARE(m.measured(at(1500)), std::chrono::nanoseconds(0));
        m.addTotal(60, at(2000));
        QCOMPARE(m.rate(at(2000)), 100.0);
    }

    void aStallDropsToZeroWithinTheWindow()
    {
        // The CLI's old meter averaged the whole phase and kept showing a
        // speed (and a time left) while nothing moved.
        RateMeter m(std::chrono::seconds(2));
        m.addTotal(0, at(0));
        m.addTotal(4000, at(1000));
        QVERIFY(m.rate(at(1000)) > 0);
        m.addTotal(4000, at(4000));
        QCOMPARE(m.rate(at(4000)), 0.0);
    }

    void addAndAddTotalAgree()
    {
        RateMeter a, b;
        b.addTotal(0, at(0));
        a.add(0, at(0));
        std::uint64_t done = 0;
        for (int t = 100; t <= 3000; t += 100) {
            a.add(1000, at(t));
            done += 1000;
            b.addTotal(done, at(t));
        }
        QCOMPARE(a.rate(at(3000)), b.rate(at(3000)));
        QCOMPARE(a.total(), b.total());
    }

    void resetForgetsEverything()
    {
        RateMeter m;
        m.add(100, at(0));
        m.reset();
        QCOMPARE(m.rate(at(100)), 0.0);
        QCOMPARE(m.total(), std::uint64_t(0));
        QCOMPARE(m.measured(at(100)), std::chrono::nanoseconds(0));
    }

    void secondsLeftEdges()
    {
        QCOMPARE(secondsLeft(0, 0), std::optional<double>(0.0)); // done: nothing left, rate or not
        QCOMPARE(secondsLeft(0, 50), std::optional<double>(0.0));
        QCOMPARE(secondsLeft(100, 0), std::optional<double>()); // unknown while nothing moves
        QCOMPARE(secondsLeft(100, -1), std::optional<double>());
        QCOMPARE(secondsLeft(900, 100), std::optional<double>(9.0));
    }

    void downloadProgressUsesIt()
    {
        DownloadProgress p;
        p.totalBytes = 1000;
        p.bytesDownloaded = 400;
        p.rate = 200;
        completeProgress(p);
        QCOMPARE(p.etaSeconds, std::optional<double>(3.0));
        QCOMPARE(p.percent, 40.0);
        p.rate = 0;
        completeProgress(p);
        QVERIFY(!p.etaSeconds);
        p.bytesDownloaded = 1000;
        completeProgress(p);
        QCOMPARE(p.etaSeconds, std::optional<double>(0.0));
    }
};

ATMO_TEST_GUILESS_MAIN(RateMeterTest)
#include "tst_rate_meter.moc"
