// The download journal's durability batches and running hash, on a real
// filesystem: what a crash in the same boot (a kill) and one in another boot
// (a power cut) may trust, a clean close before a reboot, a journal of the
// first version, and the whole-file hash fed from memory in order, read back
// out of order, and under concurrent commits in any order.
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <numeric>
#include <thread>

#include "download_journal_fixture.h"
#include "test_main.h"

using namespace atmo;
using namespace journal_fixture;

class TstDownloadJournalSync : public QObject {
    Q_OBJECT

    std::unique_ptr<testutil::Sandbox> box;
    fs::path final;
    std::string data;

private slots:
    void initTestCase() { data = randomBytes(kSize, 7); }

    void init()
    {
        box = std::make_unique<testutil::Sandbox>();
        final = box->path() / "tiny-llm.gguf";
    }

    void sameBootCrashTrustsUnsyncedRecords()
    {
        const auto t = targetFor(data, false);
        killedDownload(final, t, data, {0, 1, 2, 3, 4, 5}, {6}, inBoot("boot-a"));
        const std::string text = testutil::readFile(DownloadJournal::journalPath(final));
        QCOMPARE(countLines(text, "D "), 6);
        QCOMPARE(countLines(text, "S "), 0); // none of them was ever synced
        // The page cache survived the kill, and every read sees it.
        auto j = openOk(final, t, nullptr, inBoot("boot-a"));
        QCOMPARE(j->openReport().kind, JournalOpenReport::Resumed);
        QCOMPARE(doneList(*j), (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
        QCOMPARE(j->openReport().chunksDropped, 0u);
        QCOMPARE(j->openReport().bytesRechecked, 0u);
        QCOMPARE(j->missingChunks().front(), 6u); // only the chunk in flight is fetched again
        // Opening made them durable: the compacted journal's sync point covers them all.
        const std::string compacted = testutil::readFile(DownloadJournal::journalPath(final));
        QVERIFY(compacted.find(journalLine("S 6")) != std::string::npos);
        finishAll(*j, data);
        auto r = j->finish(nullptr, CancelToken());
        QVERIFY2(r && r->verified, r ? r->message.c_str() : r.message().c_str());
        QCOMPARE(testutil::readFile(final), data);
    }

    void otherBootCrashDropsRecordsAfterLastSyncPoint()
    {
        const auto t = targetFor(data, false);
        // A batch every 4 chunks: sync points after chunks 3 and 7.
        killedDownload(final, t, data, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {}, inBoot("boot-a", 4 * kChunk));
        const std::string text = testutil::readFile(DownloadJournal::journalPath(final));
        QCOMPARE(countLines(text, "D "), 10);
        QVERIFY(text.find(journalLine("S 4")) != std::string::npos);
        QVERIFY(text.find(journalLine("S 8")) != std::string::npos);
        // The power cut: what was never synced did not reach the device.
        const fs::path part = DownloadJournal::partPath(final);
        overwriteAt(part, 8 * kChunk, std::string(2 * kChunk, '\0'));

        auto j = openOk(final, t, nullptr, inBoot("boot-b"));
        QCOMPARE(j->openReport().kind, JournalOpenReport::Resumed);
        QVERIFY2(QString::fromStdString(j->openReport().reason).contains("restarted"), j->openReport().reason.c_str());
        QCOMPARE(doneList(*j), (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
        QCOMPARE(j->openReport().chunksDropped, 2u);
        QCOMPARE(j->openReport().bytesRechecked, 0u);
        // The bytes the dropped records claimed are fetched again.
        const auto missing = j->missingChunks();
        QCOMPARE(missing.size(), 17u - 8u);
        QCOMPARE(missing.front(), 8u);
        finishAll(*j, data);
        auto r = j->finish(nullptr, CancelToken());
        QVERIFY2(r && r->verified, r ? r->message.c_str() : r.message().c_str());
        QCOMPARE(testutil::readFile(final), data);
    }

    void cleanCloseSurvivesReboot()
    {
        const auto t = targetFor(data, false);
        auto j = openOk(final, t, nullptr, inBoot("boot-a"));
        for (std::uint32_t i = 0; i < 6; ++i)
            putChunk(*j, i, data);
        QCOMPARE(countLines(testutil::readFile(DownloadJournal::journalPath(final)), "S "), 0);
        j->close(); // a pause, Ctrl-C: syncs, then records the clean close
        j.reset();
        const std::string text = testutil::readFile(DownloadJournal::journalPath(final));
        QVERIFY(text.find(journalLine("S 6")) != std::string::npos);
        QCOMPARE(countLines(text, "C "), 1);
        j = openOk(final, t, nullptr, inBoot("boot-b"));
        QCOMPARE(doneList(*j), (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
        QCOMPARE(j->openReport().chunksDropped, 0u);
        QCOMPARE(j->openReport().bytesRechecked, 0u);
    }

    void firstVersionJournalIsTrustedWhole()
    {
        // Version 1 wrote each D record after the chunk's own fdatasync.
        const auto t = targetFor(data, false);
        killedDownload(final, t, data, {0, 1, 2}, {}, inBoot("boot-a"));
        const fs::path jp = DownloadJournal::journalPath(final);
        std::string text = testutil::readFile(jp);
        const std::string h = text.substr(0, text.find('\n'));
        std::string payload = h.substr(0, h.rfind(' '));
        payload.replace(payload.find("\"v\":2"), 5, "\"v\":1");
        const std::string boot = "\"boot_id\":\"boot-a\",";
        QVERIFY(payload.find(boot) != std::string::npos);
        payload.erase(payload.find(boot), boot.size());
        QVERIFY2(payload.find("boot") == std::string::npos, payload.c_str());
        testutil::writeFile(jp, journalLine(payload) + text.substr(text.find('\n') + 1));
        auto j = openOk(final, t, nullptr, inBoot("boot-b"));
        QCOMPARE(doneList(*j), (std::vector<std::uint32_t>{0, 1, 2}));
        finishAll(*j, data);
        QVERIFY(j->finish(nullptr, CancelToken())->verified);
    }

    void batchDueByTime()
    {
        JournalOptions o = inBoot("boot-a");
        o.syncEvery = std::chrono::milliseconds(0); // every commit finds its batch due
        auto j = openOk(final, targetFor(data, false), nullptr, o);
        for (std::uint32_t i = 0; i < 3; ++i)
            putChunk(*j, i, data);
        const std::string text = testutil::readFile(DownloadJournal::journalPath(final));
        QCOMPARE(countLines(text, "S "), 3);
        QVERIFY(text.find(journalLine("S 3")) != std::string::npos);
    }

    void inOrderHashFromMemoryEqualsReadBack_data()
    {
        QTest::addColumn<bool>("hashes");
        QTest::addColumn<bool>("directIo");
        QTest::newRow("final hash only, direct I/O") << false << true;
        QTest::newRow("per-chunk hashes, direct I/O") << true << true;
        QTest::newRow("final hash only, page cache") << false << false;
    }
    void inOrderHashFromMemoryEqualsReadBack()
    {
        QFETCH(bool, hashes);
        QFETCH(bool, directIo);
        const auto t = targetFor(data, hashes);
        JournalOptions o;
        o.directIo = directIo;
        auto j = openOk(final, t, nullptr, o);
        finishAll(*j, data); // in order
        QCOMPARE(j->hashStats().readBack, 0u);
        QCOMPARE(j->hashStats().fromMemory, kSize);
        auto fromMemory = j->finish(nullptr, CancelToken());
        QVERIFY2(fromMemory && fromMemory->verified, fromMemory ? fromMemory->message.c_str() : "");
        QCOMPARE(fromMemory->actualSha256, sha256Hex(data));

        // The same bytes, every chunk read back from the part file.
        const fs::path other = box->path() / "again.gguf";
        j = openOk(other, t, nullptr, o);
        finishAll(*j, data);
        j.reset();
        j = openOk(other, t, nullptr, o); // a resume hashes the done prefix from disk
        QCOMPARE(j->hashStats().fromMemory, 0u);
        auto readBack = j->finish(nullptr, CancelToken());
        QVERIFY2(readBack && readBack->verified, readBack ? readBack->message.c_str() : "");
        QCOMPARE(j->hashStats().readBack, kSize);
        QCOMPARE(readBack->actualSha256, fromMemory->actualSha256);
        QCOMPARE(testutil::readFile(other), testutil::readFile(final));
    }

    void adoptedBuffers()
    {
        auto j = openOk(final, targetFor(data, true));
        auto chunkBuffer = [&](std::uint32_t i) {
            AlignedBuffer b;
            b.resize(j->layout().length(i)); // as a socket read straight into it would
            std::memcpy(b.data(), data.data() + j->layout().offset(i), b.size());
            return b;
        };
        auto bad = chunkBuffer(2);
        bad.data()[5] ^= 1;
        auto w = std::move(j->beginChunk(2).value());
        QVERIFY(w.write(std::move(bad)).ok());
        QCOMPARE(*j->commitChunk(w), ChunkCheck::Mismatch);
        for (std::uint32_t i = 0; i < j->layout().count(); ++i) {
            auto writer = std::move(j->beginChunk(i).value());
            QVERIFY(writer.write(chunkBuffer(i)).ok());
            QCOMPARE(*j->commitChunk(writer), ChunkCheck::Verified);
        }
        QCOMPARE(j->hashStats().fromMemory, kSize);
        auto r = j->finish(nullptr, CancelToken());
        QVERIFY2(r && r->verified, r ? r->message.c_str() : r.message().c_str());
        QCOMPARE(testutil::readFile(final), data);
    }

    void outOfOrderCommitsHashCorrectly_data()
    {
        QTest::addColumn<QString>("order");
        QTest::addColumn<int>("threads");
        for (int threads : {1, 4}) {
            for (const char* order : {"reverse", "shuffled", "pairs swapped", "two peers"})
                QTest::newRow(qPrintable(QString("%1, %2 threads").arg(order).arg(threads))) << QString(order) << threads;
        }
    }
    void outOfOrderCommitsHashCorrectly()
    {
        QFETCH(QString, order);
        QFETCH(int, threads);
        // 300 chunks of 4 KiB: many windows' worth, so every path is taken.
        constexpr std::uint64_t chunk = 4096;
        const std::string bytes = randomBytes(300 * chunk - 123, 11);
        DownloadTarget t;
        t.modelId = "tiny-llm";
        t.size = bytes.size();
        t.sha256 = sha256Hex(bytes);
        t.chunkSize = chunk;
        auto j = openOk(final, t, nullptr, inBoot("boot-a", 64 * chunk));
        const std::uint32_t n = j->layout().count();
        std::vector<std::uint32_t> seq(n);
        std::iota(seq.begin(), seq.end(), 0u);
        std::mt19937 rng(3);
        if (order == "reverse") {
            std::reverse(seq.begin(), seq.end());
        } else if (order == "shuffled") {
            std::shuffle(seq.begin(), seq.end(), rng);
        } else if (order == "pairs swapped") {
            for (std::uint32_t i = 0; i + 1 < n; i += 2)
                std::swap(seq[i], seq[i + 1]);
        } else { // two peers taking turns over runs of 5 chunks, one from each half
            seq.clear();
            for (std::uint32_t a = 0, b = n / 2; a < n / 2 || b < n;) {
                for (int k = 0; k < 5 && a < n / 2; ++k)
                    seq.push_back(a++);
                for (int k = 0; k < 5 && b < n; ++k)
                    seq.push_back(b++);
            }
        }
        std::atomic<std::size_t> next{0};
        std::atomic<int> failures{0};
        auto work = [&] {
            for (std::size_t k; (k = next.fetch_add(1)) < seq.size();) {
                const std::uint32_t i = seq[k];
                auto w = j->beginChunk(i);
                if (!w || !w->write(bytes.data() + j->layout().offset(i), j->layout().length(i)).ok()) {
                    ++failures;
                    continue;
                }
                auto c = j->commitChunk(*w);
                if (!c || *c != ChunkCheck::Unverified)
                    ++failures;
            }
        };
        std::vector<std::thread> pool;
        for (int k = 0; k < threads; ++k)
            pool.emplace_back(work);
        for (auto& th : pool)
            th.join();
        QCOMPARE(failures.load(), 0);
        QVERIFY(j->complete());
        auto r = j->finish(nullptr, CancelToken());
        QVERIFY2(r && r->verified, r ? r->message.c_str() : r.message().c_str());
        const auto stats = j->hashStats();
        QCOMPARE(stats.fromMemory + stats.readBack, std::uint64_t(bytes.size()));
        if (order == "reverse" && threads == 1)
            QCOMPARE(stats.fromMemory, 8 * chunk); // the window before the prefix: chunks 7..0
        if (order == "pairs swapped" && threads == 1)
            QCOMPARE(stats.readBack, 0u); // one step ahead stays in memory
        QCOMPARE(testutil::readFile(final), bytes);
    }
};

ATMO_TEST_GUILESS_MAIN(TstDownloadJournalSync)
#include "tst_download_journal_sync.moc"
