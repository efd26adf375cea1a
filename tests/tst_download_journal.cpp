// The download journal on a real filesystem: a fresh download, resume after a
// real kill (SIGKILL mid-chunk, plus a torn last record), the re-fetch bound,
// a part file deleted, truncated, replaced or modified behind the journal's
// back, journals that are garbage or for other bytes, a wrong final hash
// (nothing under the final name, both files gone, bad chunks named),
// per-chunk mismatches, duplicate writers of one chunk, a second process, a
// crash between the rename and removing the journal, and a full disk.
// tst_download_journal_sync covers sync points, boots and the running hash.
#include <QtTest>

#include <sched.h>
#include <sys/mount.h>

#include "download_journal_fixture.h"
#include "test_main.h"

using namespace atmo;
using namespace journal_fixture;

class TstDownloadJournal : public QObject {
    Q_OBJECT

    std::unique_ptr<testutil::Sandbox> box;
    fs::path final;
    std::string data;
    bool privateMounts = false;

private slots:
    void initTestCase()
    {
        // Our own mount namespace, so a tmpfs mounted here vanishes with us.
        privateMounts = ::unshare(CLONE_NEWNS) == 0 && ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
        data = randomBytes(kSize, 7);
    }

    void init()
    {
        box = std::make_unique<testutil::Sandbox>();
        final = box->path() / "tiny-llm.gguf";
    }

    void freshDownloadOutOfOrder_data()
    {
        QTest::addColumn<bool>("hashes");
        QTest::newRow("final hash only") << false;
        QTest::newRow("per-chunk hashes") << true;
    }
    void freshDownloadOutOfOrder()
    {
        QFETCH(bool, hashes);
        auto j = openOk(final, targetFor(data, hashes));
        QCOMPARE(j->openReport().kind, JournalOpenReport::Fresh);
        QCOMPARE(j->layout().count(), 17u);
        QCOMPARE(fs::file_size(DownloadJournal::partPath(final)), kSize); // preallocated
        QVERIFY(fs::exists(DownloadJournal::journalPath(final)));
        // Out of order, so the running hash has to catch up over done chunks.
        for (std::uint32_t i : {3u, 1u, 2u, 0u, 16u})
            QCOMPARE(putChunk(*j, i, data), hashes ? ChunkCheck::Verified : ChunkCheck::Unverified);
        finishAll(*j, data);
        QVERIFY(j->complete());
        QVERIFY(!fs::exists(final));
        auto r = j->finish(nullptr, CancelToken());
        QVERIFY2(r && r->verified, r ? r->message.c_str() : r.message().c_str());
        QCOMPARE(testutil::readFile(final), data);
        QVERIFY(!fs::exists(DownloadJournal::partPath(final)));
        QVERIFY(!fs::exists(DownloadJournal::journalPath(final)));
    }

    void emptyFile()
    {
        auto j = openOk(final, targetFor("", false));
        QCOMPARE(j->layout().count(), 0u);
        auto r = j->finish(nullptr, CancelToken());
        QVERIFY(r && r->verified);
        QCOMPARE(fs::file_size(final), 0u);
    }

    void resumeAfterKillWithTornRecord_data()
    {
        QTest::addColumn<bool>("hashes");
        QTest::newRow("final hash only") << false;
        QTest::newRow("per-chunk hashes") << true;
    }
    void resumeAfterKillWithTornRecord()
    {
        QFETCH(bool, hashes);
        const auto t = targetFor(data, hashes);
        killedDownload(final, t, data, {0, 1, 2, 4, 5}, {3, 6});
        // The record the kill tore in half: no newline, no check.
        appendText(DownloadJournal::journalPath(final), "D 3 9f86d081884c7d659a2f");
        QVERIFY(!fs::exists(final));

        auto j = openOk(final, t);
        QCOMPARE(j->openReport().kind, JournalOpenReport::Resumed);
        QCOMPARE(j->openReport().bytesRechecked, 0u); // after a crash the fsync order is trusted
        QCOMPARE(doneList(*j), (std::vector<std::uint32_t>{0, 1, 2, 4, 5}));
        // The re-fetch bound: of the chunks that had bytes on disk, only the
        // two in flight at the kill are fetched again.
        const auto missing = j->missingChunks();
        QVERIFY(std::find(missing.begin(), missing.end(), 3u) != missing.end());
        QVERIFY(std::find(missing.begin(), missing.end(), 6u) != missing.end());
        QCOMPARE(missing.size(), 17u - 5u);
        j.reset(); // a pause; the torn tail was compacted away
        j = openOk(final, t);
        QCOMPARE(j->chunksDone(), 5u);
        finishAll(*j, data);
        auto r = j->finish(nullptr, CancelToken());
        QVERIFY2(r && r->verified, r ? r->message.c_str() : r.message().c_str());
        QCOMPARE(testutil::readFile(final), data);
    }

    void partFileDeleted()
    {
        const auto t = targetFor(data, true);
        killedDownload(final, t, data, {0, 1, 2}, {});
        fs::remove(DownloadJournal::partPath(final));
        auto j = openOk(final, t);
        QCOMPARE(j->openReport().kind, JournalOpenReport::Restarted);
        QVERIFY(QString::fromStdString(j->openReport().reason).contains("missing"));
        QCOMPARE(j->chunksDone(), 0u);
        QCOMPARE(fs::file_size(DownloadJournal::partPath(final)), kSize);
        finishAll(*j, data);
        QVERIFY(j->finish(nullptr, CancelToken())->verified);
    }

    void partFileTruncatedAfterKill()
    {
        const auto t = targetFor(data, false);
        killedDownload(final, t, data, {0, 1, 2, 3, 4, 5, 6, 7}, {});
        fs::resize_file(DownloadJournal::partPath(final), 5 * kChunk + 100);
        auto j = openOk(final, t);
        QCOMPARE(j->openReport().kind, JournalOpenReport::Resumed);
        QVERIFY(QString::fromStdString(j->openReport().reason).contains("truncated"));
        QCOMPARE(doneList(*j), (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
        QCOMPARE(j->openReport().chunksDropped, 3u);
        QCOMPARE(fs::file_size(DownloadJournal::partPath(final)), kSize);
        finishAll(*j, data);
        QVERIFY(j->finish(nullptr, CancelToken())->verified);
        QCOMPARE(testutil::readFile(final), data);
    }

    void partFileTruncatedWhilePaused()
    {
        // The truncation also changed the mtime the clean close recorded, so
        // the chunks left are re-read and checked against their hashes.
        const auto t = targetFor(data, true);
        auto j = openOk(final, t);
        for (std::uint32_t i = 0; i < 8; ++i)
            putChunk(*j, i, data);
        j.reset();
        fs::resize_file(DownloadJournal::partPath(final), 5 * kChunk + 100);
        Phases phases;
        j = openOk(final, t, &phases);
        QCOMPARE(doneList(*j), (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
        QCOMPARE(j->openReport().bytesRechecked, 5 * kChunk);
        QVERIFY(phases.phases.contains(Phase::Checking));
    }

    void partFileReplaced_data()
    {
        QTest::addColumn<bool>("hashes");
        QTest::newRow("final hash only") << false;
        QTest::newRow("per-chunk hashes") << true;
    }
    void partFileReplaced()
    {
        QFETCH(bool, hashes);
        const auto t = targetFor(data, hashes);
        killedDownload(final, t, data, {0, 1, 2, 3}, {});
        // Another file takes its place (a new inode), same size, chunk 2 altered.
        const fs::path part = DownloadJournal::partPath(final);
        std::string bytes = testutil::readFile(part);
        bytes[2 * kChunk + 5] ^= 1;
        testutil::writeFile(box->path() / "other", bytes);
        fs::rename(box->path() / "other", part);
        auto j = openOk(final, t);
        QVERIFY(QString::fromStdString(j->openReport().reason).contains("replaced"));
        if (hashes) // every done chunk re-read: the altered one fails
            QCOMPARE(doneList(*j), (std::vector<std::uint32_t>{0, 1, 3}));
        else        // nothing to check them against: all fetched again
            QCOMPARE(j->chunksDone(), 0u);
        finishAll(*j, data);
        QVERIFY(j->finish(nullptr, CancelToken())->verified);
        QCOMPARE(testutil::readFile(final), data);
    }

    void partFileModifiedWhilePaused()
    {
        const auto t = targetFor(data, true);
        auto j = openOk(final, t);
        for (std::uint32_t i = 0; i < 4; ++i)
            putChunk(*j, i, data);
        j->close();
        j.reset();
        overwriteAt(DownloadJournal::partPath(final), kChunk + 10, "xyz");
        j = openOk(final, t);
        QVERIFY(QString::fromStdString(j->openReport().reason).contains("modified"));
        QCOMPARE(doneList(*j), (std::vector<std::uint32_t>{0, 2, 3}));
        QCOMPARE(j->openReport().chunksDropped, 1u);
    }

    void partFileGrew()
    {
        const auto t = targetFor(data, true);
        killedDownload(final, t, data, {0, 1}, {});
        appendText(DownloadJournal::partPath(final), "trailing junk");
        auto j = openOk(final, t);
        QVERIFY(QString::fromStdString(j->openReport().reason).contains("grew"));
        QCOMPARE(j->chunksDone(), 2u);
        QCOMPARE(fs::file_size(DownloadJournal::partPath(final)), kSize);
    }

    void journalUnreadableOrForOtherBytes()
    {
        auto j = openOk(final, targetFor(data, false));
        putChunk(*j, 0, data);
        j.reset();
        // Another file under the same name: the old chunks are not its chunks.
        const std::string other = randomBytes(kSize, 99);
        j = openOk(final, targetFor(other, false));
        QCOMPARE(j->openReport().kind, JournalOpenReport::Restarted);
        QVERIFY(QString::fromStdString(j->openReport().reason).contains("other bytes"));
        QCOMPARE(j->chunksDone(), 0u);
        j.reset();
        testutil::writeFile(DownloadJournal::journalPath(final), "D 0 not a journal\n");
        j = openOk(final, targetFor(other, false));
        QCOMPARE(j->openReport().kind, JournalOpenReport::Restarted);
        QVERIFY(QString::fromStdString(j->openReport().reason).contains("unreadable"));
    }

    // Found by fuzz_download_journal: a header whose numbers are floats
    // out of an integer's range (1e22) was converted with undefined
    // behaviour (UBSan: "outside the range of representable values") and
    // then trusted. Such a header is not one we wrote: the journal is
    // unreadable and the download starts over.
    void journalHeaderWithNumbersThatAreNotWholeNumbers_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::newRow("dev 1e22") << "dev" << "1e22";
        QTest::newRow("ino 1.5") << "ino" << "1.5";
        QTest::newRow("v 1e300") << "v" << "1e300";
        QTest::newRow("v 2.0") << "v" << "2.0";
        QTest::newRow("btime_ns -1e30") << "btime_ns" << "-1e30";
    }
    void journalHeaderWithNumbersThatAreNotWholeNumbers()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        const auto t = targetFor(data, false);
        auto j = openOk(final, t);
        putChunk(*j, 0, data);
        putChunk(*j, 1, data);
        j->close();
        j.reset();
        // Rewrite the header's number, with a correct check on the line.
        const fs::path journal = DownloadJournal::journalPath(final);
        const std::string text = testutil::readFile(journal);
        const std::size_t eol = text.find('\n');
        std::string header = text.substr(0, text.rfind(' ', eol));
        QVERIFY(header.rfind("H {", 0) == 0);
        const std::string key = "\"" + field.toStdString() + "\":";
        const std::size_t at = header.find(key);
        QVERIFY2(at != std::string::npos, header.c_str());
        const std::size_t from = at + key.size(), to = header.find_first_of(",}", from);
        header.replace(from, to - from, value.toStdString());
        testutil::writeFile(journal, journalLine(header) + text.substr(eol + 1));

        j = openOk(final, t);
        QCOMPARE(j->openReport().kind, JournalOpenReport::Restarted);
        QCOMPARE(QString::fromStdString(j->openReport().reason), QString("the journal is unreadable"));
        QCOMPARE(j->chunksDone(), 0u);
    }

    void wrongFinalHashWithoutChunkHashes()
    {
        auto t = targetFor(data, false);
        t.sha256 = sha256Hex("something else entirely");
        auto j = openOk(final, t);
        finishAll(*j, data);
        auto r = j->finish(nullptr, CancelToken());
        QVERIFY(r.ok());
        QVERIFY(!r->verified);
        QCOMPARE(r->actualSha256, sha256Hex(data));
        QVERIFY(r->message.find(t.sha256) != std::string::npos);
        QVERIFY(r->badChunks.empty());
        QVERIFY(!fs::exists(final));
        QVERIFY(!fs::exists(DownloadJournal::partPath(final)));
        QVERIFY(!fs::exists(DownloadJournal::journalPath(final)));
        QVERIFY(!j->beginChunk(0).ok()); // spent
    }

    void wrongFinalHashNamesTheBadChunks()
    {
        auto j = openOk(final, targetFor(data, true));
        // Chunk 12 is committed (verified) far ahead of the hashed prefix,
        // beyond the chunks the running hash keeps in memory (8), so it is
        // read back; it is damaged on disk before that happens.
        QCOMPARE(putChunk(*j, 12, data), ChunkCheck::Verified);
        overwriteAt(DownloadJournal::partPath(final), 12 * kChunk + 77, "!!");
        finishAll(*j, data);
        QVERIFY(j->hashStats().readBack >= kChunk);
        auto r = j->finish(nullptr, CancelToken());
        QVERIFY(r.ok());
        QVERIFY(!r->verified);
        QCOMPARE(r->badChunks, (std::vector<std::uint32_t>{12}));
        QVERIFY2(r->message.find("wrong chunks: 12") != std::string::npos, r->message.c_str());
        QVERIFY(!fs::exists(final));
        QVERIFY(!fs::exists(DownloadJournal::partPath(final)));
        QVERIFY(!fs::exists(DownloadJournal::journalPath(final)));
    }

    void chunkListForOtherBytes()
    {
        // A peer's list that describes its own (wrong) bytes: every chunk
        // passes, the final hash does not, and the message says why.
        const std::string other = randomBytes(kSize, 5);
        auto t = targetFor(other, true);
        t.sha256 = sha256Hex(data);
        auto j = openOk(final, t);
        finishAll(*j, other);
        auto r = j->finish(nullptr, CancelToken());
        QVERIFY(!r->verified);
        QVERIFY(r->badChunks.empty());
        QVERIFY2(r->message.find("list is for other bytes") != std::string::npos, r->message.c_str());
    }

    void perChunkMismatchIsRefused()
    {
        auto j = openOk(final, targetFor(data, true));
        QCOMPARE(putChunk(*j, 3, data, /*corrupt*/ true), ChunkCheck::Mismatch);
        QVERIFY(!j->isDone(3));
        QCOMPARE(putChunk(*j, 3, data), ChunkCheck::Verified);
        j.reset();
        j = openOk(final, targetFor(data, true));
        QCOMPARE(doneList(*j), (std::vector<std::uint32_t>{3}));
    }

    void duplicateWritersOfOneChunk()
    {
        // No per-chunk hashes: only the order of commits protects the chunk.
        auto j = openOk(final, targetFor(data, false));
        const auto off = j->layout().offset(4);
        const auto len = j->layout().length(4);
        std::string wrong = data.substr(off, len);
        wrong[0] ^= 1;
        // A slow peer writes wrong bytes straight into the file...
        auto slow = std::move(j->beginChunk(4).value());
        QVERIFY(!slow.duplicate());
        QVERIFY(slow.write(wrong.data(), len / 2).ok());
        // ...a fast duplicate collects the right ones and commits first.
        auto fast = std::move(j->beginChunk(4).value());
        QVERIFY(fast.duplicate());
        QVERIFY(fast.write(data.data() + off, len).ok());
        QCOMPARE(*j->commitChunk(fast), ChunkCheck::Unverified);
        // The loser's late bytes are refused and its commit changes nothing.
        auto late = slow.write(wrong.data() + len / 2, len - len / 2);
        QVERIFY(!late.ok());
        QVERIFY(QString::fromStdString(late.message()).contains("another peer"));
        QCOMPARE(*j->commitChunk(slow), ChunkCheck::Superseded);

        // The other way round: the direct writer wins, the duplicate's wrong
        // bytes never reach the file.
        auto direct = std::move(j->beginChunk(7).value());
        auto dup = std::move(j->beginChunk(7).value());
        std::string wrong7 = data.substr(j->layout().offset(7), j->layout().length(7));
        wrong7[9] ^= 1;
        QVERIFY(dup.write(wrong7.data(), wrong7.size()).ok());
        QVERIFY(direct.write(data.data() + j->layout().offset(7), j->layout().length(7)).ok());
        QCOMPARE(*j->commitChunk(direct), ChunkCheck::Unverified);
        QCOMPARE(*j->commitChunk(dup), ChunkCheck::Superseded);

        finishAll(*j, data);
        auto r = j->finish(nullptr, CancelToken());
        QVERIFY2(r->verified, r->message.c_str());
    }

    void shortOrLongChunks()
    {
        auto j = openOk(final, targetFor(data, false));
        auto w = std::move(j->beginChunk(0).value());
        QVERIFY(w.write(data.data(), 100).ok());
        auto c = j->commitChunk(w);
        QVERIFY(!c.ok());
        QVERIFY2(QString::fromStdString(c.message()).contains("100 of 65536 bytes"), c.message().c_str());
        QVERIFY(!j->isDone(0));
        auto w2 = std::move(j->beginChunk(16).value()); // the 1000-byte tail
        auto s = w2.write(data.data(), 1001);
        QVERIFY(!s.ok());
        QVERIFY(QString::fromStdString(s.message()).contains("1000 bytes"));
        QVERIFY(!j->beginChunk(17).ok());
        putChunk(*j, 1, data);
        auto again = j->beginChunk(1);
        QVERIFY(!again.ok());
        QVERIFY(QString::fromStdString(again.message()).contains("already done"));
    }

    void badTargets()
    {
        auto t = targetFor(data, true);
        auto expectFail = [&](const DownloadTarget& bad, const char* words) {
            auto r = DownloadJournal::open(final, bad, nullptr, CancelToken());
            QVERIFY(!r.ok());
            QVERIFY2(QString::fromStdString(r.message()).contains(words), r.message().c_str());
            QVERIFY(r.message().find('\n') == std::string::npos);
        };
        auto bad = t;
        bad.modelId = "../etc/passwd";
        expectFail(bad, "not a valid model id");
        bad = t;
        bad.sha256 = "abc";
        expectFail(bad, "sha256 is not 64 hex digits");
        bad = t;
        bad.chunkHashes.pop_back();
        expectFail(bad, "16 chunk hashes for 17 chunks");
        bad = t;
        bad.chunkSize = 100;
        expectFail(bad, "chunk size 100");
        auto r = DownloadJournal::open(box->path() / "nowhere/x.gguf", t, nullptr, CancelToken());
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.message()).contains("nowhere: is not a directory"), r.message().c_str());
    }

    void secondOpenIsBusy()
    {
        auto j = openOk(final, targetFor(data, false));
        auto again = DownloadJournal::open(final, targetFor(data, false), nullptr, CancelToken());
        QVERIFY(!again.ok());
        QVERIFY2(QString::fromStdString(again.message()).contains("already being downloaded"), again.message().c_str());
        j->discard();
        QVERIFY(!fs::exists(DownloadJournal::partPath(final)));
        QVERIFY(!fs::exists(DownloadJournal::journalPath(final)));
    }

    void adoptsChunkHashesOnResume()
    {
        auto j = openOk(final, targetFor(data, false));
        for (std::uint32_t i = 0; i < 4; ++i)
            putChunk(*j, i, data);
        j.reset();
        auto t = targetFor(data, true);
        t.chunkHashes[2] = sha256Hex("not chunk 2"); // this list disagrees about chunk 2
        j = openOk(final, t);
        QVERIFY(j->hasChunkHashes());
        QCOMPARE(j->openReport().bytesRechecked, 4 * kChunk);
        QCOMPARE(doneList(*j), (std::vector<std::uint32_t>{0, 1, 3}));
    }

    void crashAfterRenameBeforeJournalRemoval()
    {
        const auto t = targetFor(data, false);
        auto j = openOk(final, t);
        finishAll(*j, data);
        const std::string journalText = testutil::readFile(DownloadJournal::journalPath(final));
        QVERIFY(j->finish(nullptr, CancelToken())->verified);
        // As if the process died after the rename: the journal with its F record.
        const std::string f = "F";
        testutil::writeFile(DownloadJournal::journalPath(final),
                            journalText + f + " " + sha256Hex(f).substr(0, 16) + "\n");
        j = openOk(final, t);
        QCOMPARE(j->openReport().kind, JournalOpenReport::AlreadyComplete);
        QVERIFY(!fs::exists(DownloadJournal::journalPath(final)));
        QVERIFY(j->finish(nullptr, CancelToken())->verified);
        QCOMPARE(testutil::readFile(final), data);
    }

    void cancelWhileVerifying()
    {
        auto j = openOk(final, targetFor(data, false));
        finishAll(*j, data);
        j.reset();
        // After a resume the whole-file hash starts again from byte 0, so
        // finish() has every byte to read back.
        j = openOk(final, targetFor(data, false));
        QVERIFY(j->complete());
        CancelToken cancel;
        cancel.cancel();
        auto r = j->finish(nullptr, cancel);
        QVERIFY(!r.ok() && r.message() == "cancelled");
        QVERIFY(!fs::exists(final));
        auto again = j->finish(nullptr, CancelToken());
        QVERIFY(again->verified);
    }

    // The size is a peer's claim until proven: the part file takes no space
    // until reserve(), which never goes past the free space minus a margin,
    // and a download written without it still verifies.
    void reserveLater()
    {
        JournalOptions lazy;
        lazy.reserveOnOpen = false;
        DownloadTarget claimed = targetFor(data, false);
        claimed.size = 5'000'000'000ull;
        {
            auto r = DownloadJournal::open(final, claimed, nullptr, CancelToken(), lazy);
            QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
            QCOMPARE(fs::file_size(DownloadJournal::partPath(final)), std::uintmax_t(0));
            const Status st = (*r)->reserve(std::uint64_t(1) << 62); // more than any disk has free
            QVERIFY(!st.ok());
            QVERIFY2(st.message().find("not enough space") != std::string::npos, st.message().c_str());
            QVERIFY2(st.message().find("tiny-llm") != std::string::npos, st.message().c_str());
            QCOMPARE(fs::file_size(DownloadJournal::partPath(final)), std::uintmax_t(0));
            (*r)->discard();
        }
        auto r = DownloadJournal::open(final, targetFor(data, false), nullptr, CancelToken(), lazy);
        QVERIFY(r.ok());
        QVERIFY((*r)->reserve().ok());
        QCOMPARE(fs::file_size(DownloadJournal::partPath(final)), std::uintmax_t(data.size()));
        finishAll(**r, data);
        auto finished = (*r)->finish(nullptr, CancelToken());
        QVERIFY(finished && finished->verified);
        QCOMPARE(testutil::readFile(final), data);
    }

    void fullDisk()
    {
        const fs::path tiny = box->path() / "tiny";
        fs::create_directories(tiny);
        if (!privateMounts || ::mount("tmpfs", tiny.c_str(), "tmpfs", 0, "size=1m") != 0)
            QSKIP("cannot mount a tmpfs here (needs root and a mount namespace that allows it)");
        auto unmount = qScopeGuard([&] { ::umount2(tiny.c_str(), MNT_DETACH); });
        DownloadTarget t = targetFor(data, false);
        t.size = 8ull << 20;
        auto r = DownloadJournal::open(tiny / "big.gguf", t, nullptr, CancelToken());
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.message()).contains("not enough space"), r.message().c_str());
        QVERIFY(fs::is_empty(tiny));
    }
};

ATMO_TEST_GUILESS_MAIN(TstDownloadJournal)
#include "tst_download_journal.moc"
