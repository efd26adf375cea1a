// The job contract: progress throttled to ~10 reports a second with phase
// changes and the end always reported; cancellation observed promptly.
#include <QtTest>

#include <thread>

#include "core/progress.h"
#include "core/result.h"
#include "core/sha256.h"
#include "core/thread_pool.h"
#include "testutil.h"

namespace {
struct Count : atmo::Observer {
    std::vector<atmo::Progress> seen;
    void onProgress(const atmo::Progress& p) override { seen.push_back(p); }
};
} // namespace

class Job : public QObject {
    Q_OBJECT
private slots:
    void throttlesToTheInterval()
    {
        Count c;
        atmo::ProgressReporter r(&c, std::chrono::milliseconds(100));
        r.phase(atmo::Phase::Hashing, 1000000);
        const auto start = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(350))
            r.add(1);
        r.finish();
        // 1 phase report + ~3 timed ones + the final one; a million add() calls in all.
        QVERIFY2(c.seen.size() >= 3 && c.seen.size() <= 7, qPrintable(QString::number(c.seen.size())));
        QCOMPARE(c.seen.front().phase, atmo::Phase::Hashing);
        QCOMPARE(c.seen.front().done, std::uint64_t(0));
        QVERIFY(c.seen.back().done > 1000);
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

    void threadPoolRunsInParallel()
    {
        atmo::ThreadPool pool(2);
        std::atomic<int> running{0}, peak{0};
        std::vector<std::future<void>> fs;
        for (int i = 0; i < 4; ++i)
            fs.push_back(pool.submit([&] {
                const int now = ++running;
                int p = peak.load();
                while (now > p && !peak.compare_exchange_weak(p, now)) {
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                --running;
            }));
        for (auto& f : fs)
            f.get();
        QCOMPARE(peak.load(), 2);
    }
};

QTEST_GUILESS_MAIN(Job)
#include "tst_job.moc"
