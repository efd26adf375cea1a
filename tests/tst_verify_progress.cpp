// What verifyPackage tells its observer while it runs: every file listed,
// pending, with the signatures, and the big file being hashed with its own
// bytes (the window shows that row and its percentage).
#include <QtTest>

#include <chrono>
#include <thread>

#include "test_main.h"
#include "verify_fixture.h"

using namespace atmo;
using namespace vfix;

class TstVerifyProgress : public QObject {
    Q_OBJECT
    Fixture fx;

private slots:
    void init() { fx.setUp(); }
    void cleanup() { fx.tearDown(); }

    // Every file is listed, pending, when the signatures are known; the big
    // file being hashed reports its own bytes, in both the parallel (plain)
    // and the in-order (zstd) path. A slow observer makes every block after
    // it due for a report, so the middle of the file is seen on any machine.
    void bigFileReportsItsOwnProgress_data()
    {
        QTest::addColumn<int>("compression");
        QTest::newRow("plain, in parallel") << static_cast<int>(Compression::None);
        QTest::newRow("zstd, in order") << static_cast<int>(Compression::Zstd);
    }
    void bigFileReportsItsOwnProgress()
    {
        QFETCH(int, compression);
        testutil::MissionSpec spec;
        spec.largeModelSize = 8u << 20;
        const fs::path mission = testutil::makeMission(fx.sb->path() / "big-mission", spec);
        const fs::path pkg = fx.build(std::nullopt, static_cast<Compression>(compression), std::nullopt, std::nullopt, mission);
        const std::string big = "models/llama-edge-2.0.gguf";
        RecordingObserver obs;
        int seenInMiddle = 0;
        obs.onProgressHook = [&](const Progress& p) {
            // Each report takes past the reporter's 100 ms, so the next
            // block reports, until the middle of the big file was seen.
            seenInMiddle += p.item == big && p.itemDone > 0 && p.itemDone < p.itemTotal ? 1 : 0;
            if (seenInMiddle < 3)
                std::this_thread::sleep_for(std::chrono::milliseconds(110));
        };
        const VerifyReport r = fx.verify(pkg, std::nullopt, &obs);
        QVERIFY2(r.ok, r.reason.c_str());

        QCOMPARE(obs.filesAtSignatures.size(), r.files.size());
        for (std::size_t i = 0; i < r.files.size(); ++i) {
            QCOMPARE(obs.filesAtSignatures[i].path, r.files[i].path);
            QCOMPARE(obs.filesAtSignatures[i].state, FileState::Pending);
        }
        std::uint64_t last = 0;
        int middle = 0;
        for (const Progress& p : obs.progress) {
            if (p.item != big)
                continue;
            QCOMPARE(p.itemTotal, std::uint64_t(8u << 20));
            QVERIFY2(p.itemDone >= last, "the file's own bytes went back");
            last = p.itemDone;
            middle += p.itemDone > 0 && p.itemDone < p.itemTotal ? 1 : 0;
        }
        QVERIFY2(middle >= 2, qPrintable(QString("%1 reports in the middle of the big file").arg(middle)));
    }
};

ATMO_TEST_GUILESS_MAIN(TstVerifyProgress)
#include "tst_verify_progress.moc"
