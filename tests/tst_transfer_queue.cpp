// The download queue (priority order, one active transfer per level, pause,
// resume, cancel, retry, de-duplication by key, display order), the size
// classes and bandwidth caps, and the token-bucket rate limiter's arithmetic
// with an injected clock (exact numbers, no sleeping).
#include <QtTest>

#include "core/transfer/rate_limiter.h"
#include "core/transfer/transfer_queue.h"
#include "test_main.h"

using namespace atmo;
using namespace std::chrono_literals;

namespace {

const RateLimiter::TimePoint t0 = RateLimiter::TimePoint() + 100s;

std::vector<std::string> keys(const TransferQueue& q, const std::vector<std::uint64_t>& ids)
{
    std::vector<std::string> out;
    for (auto id : ids)
        out.push_back(q.find(id)->key);
    return out;
}

void expectError(const Status& s, const char* words)
{
    QVERIFY(!s.ok());
    QVERIFY2(QString::fromStdString(s.message()).contains(words), s.message().c_str());
}

} // namespace

class TstTransferQueue : public QObject {
    Q_OBJECT

private slots:
    void onePerLevelHighestFirst()
    {
        TransferQueue q;
        q.add("prefetch-1", 1, Priority::Low);
        q.add("sync-1", 1, Priority::Normal);
        q.add("user-1", 1, Priority::High);
        q.add("user-2", 1, Priority::High);
        q.add("sync-2", 1, Priority::Normal);
        q.add("urgent", 1, Priority::Critical);
        const auto started = q.schedule();
        QCOMPARE(keys(q, started), (std::vector<std::string>{"urgent", "user-1", "sync-1", "prefetch-1"}));
        QCOMPARE(q.activeCount(), 4u);
        QVERIFY(q.schedule().empty()); // every level is busy
        QCOMPARE(q.find(*q.activeAt(Priority::High))->key, std::string("user-1"));

        // A new user request waits for its level, not for the others.
        q.add("user-3", 1, Priority::High);
        QVERIFY(q.schedule().empty());
        QVERIFY(q.finish(*q.activeAt(Priority::High), true).ok());
        QCOMPARE(keys(q, q.schedule()), std::vector<std::string>{"user-2"}); // FIFO in the level
        QVERIFY(q.finish(*q.activeAt(Priority::High), false, "peer vanished").ok());
        QCOMPARE(keys(q, q.schedule()), std::vector<std::string>{"user-3"});
        QVERIFY(q.finish(*q.activeAt(Priority::Critical), true).ok());
        QVERIFY(q.schedule().empty()); // nothing else is critical; no level borrows a slot
        QCOMPARE(q.activeCount(), 3u);
    }

    void levelsNeverExceedOne()
    {
        TransferQueue q;
        for (int i = 0; i < 20; ++i)
            q.add("m" + std::to_string(i), 1, static_cast<Priority>(i % 4));
        for (int round = 0; round < 10; ++round) {
            q.schedule();
            for (int l = 0; l < kPriorityLevels; ++l) {
                int active = 0;
                for (const auto& e : q.entries())
                    active += e.state == TransferState::Active && e.priority == static_cast<Priority>(l);
                QVERIFY(active <= 1);
            }
            if (auto id = q.activeAt(static_cast<Priority>(round % 4)))
                QVERIFY(q.finish(*id, true).ok());
        }
    }

    void pauseResumeCancel()
    {
        TransferQueue q;
        const auto a = q.add("a", 1, Priority::High);
        const auto b = q.add("b", 1, Priority::High);
        q.schedule();
        QCOMPARE(q.find(a)->state, TransferState::Active);
        QVERIFY(q.pause(a).ok()); // frees the level's slot
        QCOMPARE(keys(q, q.schedule()), std::vector<std::string>{"b"});
        QVERIFY(q.resume(a).ok());
        QCOMPARE(q.find(a)->state, TransferState::Queued);
        QVERIFY(q.schedule().empty()); // b keeps running: resuming never pre-empts
        const auto c = q.add("c", 1, Priority::High);
        QVERIFY(q.cancel(b).ok());
        QCOMPARE(keys(q, q.schedule()), std::vector<std::string>{"a"}); // ahead of c, added later
        QVERIFY(q.pause(c).ok());                                       // a queued one can pause too
        QVERIFY(q.finish(a, true).ok());
        QVERIFY(q.schedule().empty()); // c is paused

        expectError(q.resume(a), "transfer 1 (a): cannot be resumed, it is done");
        expectError(q.cancel(b), "cannot be cancelled, it is cancelled");
        expectError(q.pause(99), "transfer 99: no such transfer");
        expectError(q.finish(c, true), "cannot finish, it is paused");
        QVERIFY(q.retry(b).ok());
        QCOMPARE(q.find(b)->state, TransferState::Queued);
        expectError(q.retry(b), "cannot be retried, it is queued");
        QVERIFY(q.cancel(c).ok());
        q.clearFinished();
        QCOMPARE(q.entries().size(), std::size_t(1));
        QCOMPARE(q.entries()[0].key, std::string("b"));
    }

    void deduplicatesByKeyAndRaisesPriority()
    {
        TransferQueue q;
        const auto id = q.add("llama", 100, Priority::Low);
        QCOMPARE(q.add("llama", 100, Priority::High), id);
        QCOMPARE(q.find(id)->priority, Priority::High);
        QCOMPARE(q.add("llama", 100, Priority::Low), id); // never lowered
        QCOMPARE(q.find(id)->priority, Priority::High);
        q.schedule();
        QCOMPARE(q.add("llama", 100, Priority::Critical), id);
        QCOMPARE(q.find(id)->priority, Priority::High); // running: keeps its level's slot
        expectError(q.setPriority(id, Priority::Critical), "cannot change priority, it is active");
        QVERIFY(q.finish(id, true).ok());
        QVERIFY(q.add("llama", 100, Priority::Low) != id); // done: a new download
        QCOMPARE(*q.findKey("llama"), id + 1);
    }

    void displayOrder()
    {
        TransferQueue q;
        const auto done = q.add("done", 1, Priority::Critical);
        q.schedule();
        QVERIFY(q.finish(done, true).ok());
        q.add("low-q", 1, Priority::Low);
        q.add("high-q1", 1, Priority::High);
        q.add("high-q2", 1, Priority::High);
        const auto paused = q.add("paused", 1, Priority::Critical);
        QVERIFY(q.pause(paused).ok());
        q.add("normal", 1, Priority::Normal);
        q.schedule(); // high-q1, normal, low-q active
        std::vector<std::string> order;
        for (const auto& e : q.entries())
            order.push_back(e.key);
        QCOMPARE(order, (std::vector<std::string>{"high-q1", "normal", "low-q", "high-q2", "paused", "done"}));
    }

    void priorityNames()
    {
        QCOMPARE(parsePriority("HIGH"), std::optional<Priority>(Priority::High));
        QCOMPARE(parsePriority("prefetch"), std::optional<Priority>());
        for (Priority p : {Priority::Critical, Priority::High, Priority::Normal, Priority::Low})
            QCOMPARE(parsePriority(priorityName(p)), std::optional<Priority>(p));
    }

    void sizeClassesAndCaps()
    {
        QCOMPARE(sizeClassOf(0), SizeClass::Small);
        QCOMPARE(sizeClassOf(9'999'999), SizeClass::Small);
        QCOMPARE(sizeClassOf(10'000'000), SizeClass::Medium);
        QCOMPARE(sizeClassOf(500'000'000), SizeClass::Medium);
        QCOMPARE(sizeClassOf(500'000'001), SizeClass::Large);
        const auto lan = BandwidthCaps::lanDefaults();
        QCOMPARE(lan.capFor(1ull << 40), 0ull); // uncapped
        const auto relay = BandwidthCaps::relayPreset();
        QCOMPARE(relay.capFor(5'000'000), 0ull);
        QCOMPARE(relay.capFor(100'000'000), 625'000ull); // 5 Mbps
        QCOMPARE(relay.capFor(4'000'000'000), 250'000ull); // 2 Mbps
    }

    void bucketArithmetic()
    {
        RateLimiter r(1000, 500);
        QCOMPARE(r.available(t0), 500ull); // starts full: a burst
        r.consume(500, t0);
        QCOMPARE(r.available(t0), 0ull);
        QCOMPARE(r.available(t0 + 100ms), 100ull);
        QCOMPARE(r.waitFor(300, t0 + 100ms), std::chrono::nanoseconds(200ms));
        QCOMPARE(r.waitFor(100, t0 + 100ms), std::chrono::nanoseconds(0));
        QCOMPARE(r.waitFor(5000, t0 + 100ms), std::chrono::nanoseconds(400ms)); // capped at the burst
        QCOMPARE(r.available(t0 + 10s), 500ull);                                  // never above the burst
        // Debt: a socket handed over more than was allowed.
        r.consume(1500, t0 + 10s);
        QCOMPARE(r.available(t0 + 10s), 0ull);
        QCOMPARE(r.waitFor(1, t0 + 10s), std::chrono::nanoseconds(1001ms));
        QCOMPARE(r.available(t0 + 11s), 0ull);
        QCOMPARE(r.available(t0 + 11s + 1ms), 1ull);
    }

    void fractionsNeverDrift()
    {
        // 3 bytes/s read in 1 ms steps: whole bytes only, and exactly 3 per
        // second, though no step earns a whole byte.
        RateLimiter r(3, 3);
        std::uint64_t got = r.available(t0);
        r.consume(got, t0);
        for (int ms = 1; ms <= 10000; ++ms) {
            const auto now = t0 + std::chrono::milliseconds(ms);
            const auto n = r.available(now);
            got += n;
            r.consume(n, now);
        }
        QCOMPARE(got, 3ull + 30);
    }

    void longRunRateIsExact()
    {
        // 1 MB/s with the default burst, read as fast as allowed in odd-sized steps.
        RateLimiter r(1'000'000);
        QCOMPARE(r.burst(), 250'000ull);
        std::uint64_t got = 0;
        auto now = t0;
        for (int i = 0; i < 20000; ++i) {
            now += std::chrono::microseconds(997);
            const auto n = std::min<std::uint64_t>(r.available(now), 7919);
            got += n;
            r.consume(n, now);
        }
        const double seconds = std::chrono::duration<double>(now - t0).count();
        const double expected = 250'000 + 1'000'000 * seconds;
        qInfo("read %llu bytes in %.3f simulated s; the bucket allows %.0f", (unsigned long long)got, seconds, expected);
        QVERIFY(double(got) <= expected);
        QVERIFY(double(got) >= expected - 7919);
    }

    void unlimitedAndRateChanges()
    {
        RateLimiter r;
        QVERIFY(r.unlimited());
        QCOMPARE(r.available(t0), std::numeric_limits<std::uint64_t>::max());
        QCOMPARE(r.waitFor(1ull << 40, t0), std::chrono::nanoseconds(0));
        r.consume(1ull << 40, t0);
        r.setRate(625'000, 0, t0); // the relay's 5 Mbps for a medium model
        QCOMPARE(r.burst(), 156'250ull);
        QCOMPARE(r.available(t0), 156'250ull); // capping starts with a full bucket
        r.consume(156'250, t0);
        QCOMPARE(r.available(t0 + 100ms), 62'500ull);
        r.setRate(0, 0, t0 + 100ms);
        QVERIFY(r.unlimited());
        QCOMPARE(RateLimiter::defaultBurst(1000), 64ull * 1024);
    }
};

ATMO_TEST_GUILESS_MAIN(TstTransferQueue)
#include "tst_transfer_queue.moc"
