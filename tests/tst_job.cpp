// The job contract: progress throttled to ~10 reports a second with phase
// changes and the end always reported; cancellation observed promptly.
#include <QtTest>

#include <condition_variable>
#include <future>
#include <mutex>

#include "core/base/progress.h"
#include "core/base/result.h"
#include "core/base/sha256.h"
#include "core/base/thread_pool.h"
#include "test_main.h"
#include "testutil.h"

namespace {
struct Count : atmo::Observer {
    std::vector<atmo::Progress> seen;
    void onProgress(const atmo::Progress& p) override { seen.push_back(p); }
};
} // namespace

class TestJobContract : public QObject {
    Q_OBJECT
private slots:
    // Throttling without a wall clock deciding the result: an interval no
    // test outlasts lets through only the phase report and the final one; a
    // zero interval lets every add() through; a short one lets timed reports
    // through eventually (watchdog only).
    void throttlesToTheInterval()
    {
        Count c;
        atmo::ProgressReporter r(&c, std::chrono::hours(1));
        r.phase(atmo::Phase::Hashing, 1000000);
        for (int i = 0; i < 1000000; ++i)
            r.add(1);
        r.finish();
        QCOMPARE(c.seen.size(), std::size_t(2));
        QCOMPARE(c.seen.front().phase, atmo::Phase::Hashing);
        QCOMPARE(c.seen.front().done, std::uint64_t(0));
        QCOMPARE(c.seen.back().done, std::uint64_t(1000000));
    }

    void reportsEveryAddWithoutAnInterval()
    {
        Count c;
        atmo::ProgressReporter r(&c, std::chrono::milliseconds(0));
        r.phase(atmo::Phase::Hashing, 10);
        for (int i = 0; i < 10; ++i)
            r.add(1);
        QCOMPARE(c.seen.size(), std::size_t(11));
        QCOMPARE(c.seen.back().done, std::uint64_t(10));
    }

    void reportsWhenTheIntervalHasPassed()
    {
        Count c;
        atmo::ProgressReporter r(&c, std::chrono::milliseconds(1));
        r.phase(atmo::Phase::Hashing, 0);
        const auto watchdog = std::chrono::steady_clock::now() + std::chrono::minutes(1);
        while (c.seen.size() < 2 && std::chrono::steady_clock::now() < watchdog)
            r.add(1);
        QCOMPARE(c.seen.size(), std::size_t(2)); // a timed report, without finish()
        QVERIFY(c.seen.back().done >= 1);
    }

    void phaseChangesAreAlwaysReported()
    {
        Count c;
        atmo::ProgressReporter r(&c, std::chrono::hours(1));
        r.phase(atmo::Phase::Hashing, 1);
        r.add(1);
        r.phase(atmo::Phase::Writing, 2);
        r.phase(atmo::Phase::Syncing, 3);
        QCOMPARE(c.seen.size(), std::size_t(3));
        QCOMPARE(c.seen[1].phase, atmo::Phase::Writing);
        QCOMPARE(c.seen[2].total, std::uint64_t(3));
    }

    void nullObserverIsFine()
    {
        atmo::ProgressReporter r(nullptr);
        r.phase(atmo::Phase::Verifying, 1);
        r.add(1);
        r.finish();
        QCOMPARE(r.snapshot().done, std::uint64_t(1));
    }

    void cancelTokenIsShared()
    {
        atmo::CancelToken a;
        atmo::CancelToken b = a;
        QVERIFY(!b.cancelled());
        a.cancel();
        QVERIFY(b.cancelled());
        QVERIFY_THROWS_EXCEPTION(atmo::Cancelled, b.check());
    }

    void hashingStopsPromptlyOnCancel()
    {
        testutil::Sandbox box;
        testutil::writeRandomFile(box / "big", 256u << 20, 7);
        atmo::CancelToken cancel;
        std::uint64_t seen = 0;
        auto result = atmo::sha256FileHex(box / "big", cancel, [&](std::uint64_t n) {
            seen += n;
            if (seen >= (8u << 20))
                cancel.cancel();
        });
        QVERIFY(!result.ok());
        QCOMPARE(result.message(), std::string("cancelled"));
        QVERIFY2(seen <= (10u << 20), qPrintable(QString::number(seen))); // stops within a block or two
    }

    void sha256KnownAnswers()
    {
        QCOMPARE(atmo::sha256Hex(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(atmo::sha256Hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        atmo::Sha256 h;
        for (int i = 0; i < 1000; ++i)
            h.update("a", 1);
        QCOMPARE(h.finishHex(), atmo::sha256Hex(std::string(1000, 'a')));
    }

    // Both workers of a pool of 2 run at once: each task waits until another
    // one is running beside it, which never happens if the pool runs one at a
    // time (the one-minute wait is a watchdog, not a measurement), and no
    // more than 2 run at once.
    void threadPoolRunsInParallel()
    {
        atmo::ThreadPool pool(2);
        std::mutex m;
        std::condition_variable cv;
        int running = 0, peak = 0, waiting = 0, generation = 0;
        std::atomic<int> met{0};
        std::vector<std::future<void>> fs;
        for (int i = 0; i < 4; ++i)
            fs.push_back(pool.submit([&] {
                std::unique_lock l(m);
                peak = std::max(peak, ++running);
                const int mine = generation;
                if (++waiting == 2) {
                    waiting = 0;
                    ++generation;
                    cv.notify_all();
                    ++met;
                } else if (cv.wait_for(l, std::chrono::minutes(1), [&] { return generation != mine; })) {
                    ++met;
                }
                --running;
            }));
        for (auto& f : fs)
            f.get();
        QCOMPARE(met.load(), 4);
        QCOMPARE(peak, 2);
    }
};

ATMO_TEST_GUILESS_MAIN(TestJobContract)
#include "tst_job.moc"
