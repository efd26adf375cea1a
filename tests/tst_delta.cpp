// Binary and record deltas (core/delta): what is rebuilt is byte-identical
// to the target, unchanged data is found wherever it moved, a delta costs
// about the bytes that changed, and a wrong base, a damaged delta or a
// cancel leaves nothing behind.
#include <QtTest>

#include <random>

#include "core/base/fs_util.h"
#include "core/delta/delta_apply.h"
#include "core/delta/delta_create.h"
#include "core/delta/record_changes.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;
using namespace atmo::delta;
using testutil::Sandbox;

namespace {

std::string randomBytes(std::size_t n, std::uint32_t seed)
{
    std::mt19937_64 rng(seed);
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; i += 8) {
        const std::uint64_t v = rng();
        std::memcpy(s.data() + i, &v, std::min<std::size_t>(8, n - i));
    }
    return s;
}

void put(const fs::path& p, const std::string& bytes) { testutil::writeFile(p, bytes); }

// Makes the delta, applies it to a fresh file and checks the result is the
// target; on failure `why` says what went wrong.
std::optional<Stats> roundTrip(const Sandbox& box, const std::string& base, const std::string& target,
                               QString& why, Kind kind = Kind::Binary)
{
    put(box / "base", base);
    put(box / "target", target);
    fs::remove(box / "rebuilt");
    CreateOptions options;
    options.kind = kind;
    auto made = createDelta(box / "base", box / "target", box / "d.delta", options);
    if (!made)
        return why = "createDelta: " + QString::fromStdString(made.message()), std::nullopt;
    auto applied = applyDelta(box / "base", box / "d.delta", box / "rebuilt");
    if (!applied)
        return why = "applyDelta: " + QString::fromStdString(applied.message()), std::nullopt;
    if (testutil::readFile(box / "rebuilt") != target)
        return why = "the rebuilt file differs from the target", std::nullopt;
    if (made->deltaBytes != fs::file_size(box / "d.delta") || applied->bytesWritten != target.size())
        return why = "the stats disagree with the files", std::nullopt;
    return *made;
}

#define ROUND_TRIP(var, ...)                                                                                           \
    QString var##Why;                                                                                                  \
    const auto var##Made = roundTrip(box, __VA_ARGS__);                                                                \
    QVERIFY2(var##Made, qPrintable(var##Why));                                                                         \
    const Stats& var = *var##Made

std::string jsonl(int from, int to, const std::string& tag = {})
{
    std::string out;
    for (int i = from; i < to; ++i)
        out += "{\"id\":\"chunk-" + std::to_string(i) + "\",\"source\":\"manual.pdf\",\"text\":\"Record " +
               std::to_string(i) + tag + " says what the inspection station checks on the belt, in some detail.\"}\n";
    return out;
}

} // namespace

class TestDelta : public QObject {
    Q_OBJECT

private slots:
    void identicalFilesAreOneCopy()
    {
        Sandbox box;
        const std::string data = randomBytes(3 << 20, 1);
        ROUND_TRIP(s, data, data, sWhy);
        QCOMPARE(s.copyOps, std::uint64_t(1));
        QCOMPARE(s.dataOps, std::uint64_t(0));
        QCOMPARE(s.copiedBytes, std::uint64_t(data.size()));
        QVERIFY2(s.deltaBytes < 200, qPrintable(QString::number(s.deltaBytes)));
    }

    void emptyAndTinyFiles()
    {
        Sandbox box;
        {
            ROUND_TRIP(a, "", "", aWhy);
            QCOMPARE(a.newBytes, std::uint64_t(0));
        }
        {
            ROUND_TRIP(b, "", "new", bWhy);
            QCOMPARE(b.newBytes, std::uint64_t(3));
        }
        {
            ROUND_TRIP(c, "old", "", cWhy);
            QCOMPARE(c.copiedBytes, std::uint64_t(0));
        }
        ROUND_TRIP(s, "", randomBytes(300000, 2), sWhy);
        QCOMPARE(s.copiedBytes, std::uint64_t(0));
    }

    // 5 % of the bytes changed in scattered places, 1 MiB inserted near the
    // start and 256 KiB deleted further on: everything else is copied, and
    // the delta costs about the changed bytes.
    void scatteredChangesAndAShiftCostTheChangedBytes()
    {
        Sandbox box;
        const std::size_t size = 24 << 20;
        const std::string base = randomBytes(size, 3);
        std::string target = base;
        std::mt19937 rng(4);
        std::size_t changed = 0;
        while (changed < size / 20) {
            const std::size_t len = 4096 + rng() % (60 * 1024);
            const std::size_t at = rng() % (size - len);
            const std::string fresh = randomBytes(len, rng());
            target.replace(at, len, fresh);
            changed += len;
        }
        target.erase(size / 2, 256 * 1024);
        target.insert(size / 100, randomBytes(1 << 20, 5));
        changed += 1 << 20;
        ROUND_TRIP(s, base, target, sWhy);
        qInfo("changed ~%zu bytes, delta %llu bytes (%.2fx), %llu copied, %llu new in %llu ops", changed,
              (unsigned long long)s.deltaBytes, double(s.deltaBytes) / double(changed),
              (unsigned long long)s.copiedBytes, (unsigned long long)s.newBytes, (unsigned long long)s.dataOps);
        QVERIFY(s.copiedBytes > target.size() / 2);
        // Overlapping regions make `changed` an overestimate; the bound is
        // loose because the new bytes are random (incompressible).
        QVERIFY2(s.deltaBytes < changed * 12 / 10, qPrintable(QString::number(s.deltaBytes)));
    }

    void movedBlocksAreCopied()
    {
        Sandbox box;
        const std::string a = randomBytes(4 << 20, 6), b = randomBytes(4 << 20, 7);
        ROUND_TRIP(s, a + b, b + a, sWhy);
        QVERIFY2(s.newBytes < 600 * 1024, qPrintable(QString::number(s.newBytes)));
        QVERIFY(s.deltaBytes < 600 * 1024);
    }

    // Knowledge: records matched by their line, updated ones compressed
    // against their old version; the rebuilt file is byte-identical, also
    // without a final newline.
    void recordsAddedRemovedUpdated()
    {
        Sandbox box;
        const std::string base = jsonl(0, 20000);
        std::string target = jsonl(0, 500) + jsonl(100000, 100047) + jsonl(512, 9000) + jsonl(9000, 9089, " (revised)") +
                             jsonl(9089, 20000);
        target.pop_back(); // no newline at the end
        ROUND_TRIP(s, base, target, sWhy, Kind::Records);
        const std::size_t changedBytes = jsonl(100000, 100047).size() + jsonl(9000, 9089, " (revised)").size();
        qInfo("records: %zu changed bytes, delta %llu bytes", changedBytes, (unsigned long long)s.deltaBytes);
        QVERIFY2(s.deltaBytes < changedBytes, qPrintable(QString::number(s.deltaBytes)));
        QCOMPARE(readHeader(box / "d.delta")->kind, Kind::Records);
    }

    // The manifest's counts: 47 added, 12 removed, 89 updated, matched by
    // id wherever they moved; records without an id by their content.
    void recordCountsMatchTheEdits()
    {
        Sandbox box;
        const std::string base = jsonl(0, 2000) + "{\"id\":7,\"text\":\"numeric\"}\n" + "not json at all\n\n";
        const std::string target = jsonl(12, 1000) + jsonl(5000, 5047) + jsonl(1000, 1089, " (revised)") +
                                   jsonl(1089, 2000) + "\n{\"id\":7,\"text\":\"numeric\"}\n" + "not json at all";
        put(box / "base.jsonl", base);
        put(box / "target.jsonl", target);
        const auto c = compareRecords(box / "base.jsonl", box / "target.jsonl");
        QVERIFY2(c, c ? "" : c.message().c_str());
        QCOMPARE(c->added, std::uint64_t(47));
        QCOMPARE(c->removed, std::uint64_t(12));
        QCOMPARE(c->updated, std::uint64_t(89));
        QCOMPARE(c->unchanged, std::uint64_t(2000 - 12 - 89 + 2));
        QCOMPARE(compareRecords(box / "none.jsonl", box / "target.jsonl").code(), ErrorCode::NotFound);
    }

    void aWrongBaseIsRefusedAndNothingIsWritten()
    {
        Sandbox box;
        const std::string base = randomBytes(2 << 20, 8);
        std::string target = base;
        target[1000] ^= 1;
        ROUND_TRIP(s, base, target, sWhy);
        Q_UNUSED(s);
        // Same size, one byte changed "on the device".
        std::string edited = base;
        edited[5 << 10] ^= 0x40;
        put(box / "edited", edited);
        auto r = applyDelta(box / "edited", box / "d.delta", box / "out");
        QVERIFY(!r);
        QCOMPARE(r.code(), ErrorCode::BadData);
        QVERIFY2(QString::fromStdString(r.message()).contains("edited: is not the file d.delta was made from"),
                 r.message().c_str());
        QVERIFY(!fs::exists(box / "out"));
        // Another size.
        put(box / "short", base.substr(0, base.size() - 1));
        r = applyDelta(box / "short", box / "d.delta", box / "out");
        QVERIFY(!r);
        QCOMPARE(r.code(), ErrorCode::BadData);
        QVERIFY(!fs::exists(box / "out"));
        // The signed manifest names another target.
        ApplyOptions options;
        options.expectedTargetSha256 = std::string(64, '0');
        r = applyDelta(box / "base", box / "d.delta", box / "out", options);
        QVERIFY(!r);
        QVERIFY(!fs::exists(box / "out"));
    }

    // Any byte of a delta altered, or the delta cut anywhere: refused, and
    // the file that was there before is untouched.
    void aDamagedDeltaNeverWritesItsOutput()
    {
        Sandbox box;
        const std::string base = randomBytes(1 << 20, 9);
        std::string target = base;
        target.replace(300000, 5000, randomBytes(5000, 10));
        target.insert(700000, "inserted bytes");
        ROUND_TRIP(s, base, target, sWhy);
        Q_UNUSED(s);
        const std::string delta = testutil::readFile(box / "d.delta");
        put(box / "out", "the previous version");
        // Every byte of the header, the first ops and the end; a spread of
        // the rest (each try hashes the base).
        std::vector<std::size_t> where;
        for (std::size_t i = 0; i < delta.size(); ++i)
            if (i < 256 || i + 96 >= delta.size() || i % 61 == 0)
                where.push_back(i);
        for (const std::size_t i : where) {
            std::string bad = delta;
            bad[i] ^= 0x01;
            put(box / "bad.delta", bad);
            auto r = applyDelta(box / "base", box / "bad.delta", box / "out");
            QVERIFY2(!r, qPrintable(QString("byte %1 of %2 altered").arg(i).arg(delta.size())));
            QCOMPARE(r.code(), ErrorCode::BadData);
        }
        for (std::size_t len = 0; len < delta.size(); len += 1 + len / 3) {
            put(box / "bad.delta", delta.substr(0, len));
            auto r = applyDelta(box / "base", box / "bad.delta", box / "out");
            QVERIFY2(!r, qPrintable(QString("cut at %1").arg(len)));
            QCOMPARE(r.code(), ErrorCode::BadData);
        }
        put(box / "bad.delta", delta + "x");
        QVERIFY(!applyDelta(box / "base", box / "bad.delta", box / "out"));
        QCOMPARE(testutil::readFile(box / "out"), std::string("the previous version"));
        QCOMPARE(fs::directory_iterator(box.path()) == fs::directory_iterator(), false);
        for (const auto& e : fs::directory_iterator(box.path()))
            QVERIFY2(e.path().filename().string().find(".part") == std::string::npos, e.path().c_str());
    }

    void notADeltaAndMissingFiles()
    {
        Sandbox box;
        put(box / "base", "base");
        put(box / "plain.txt", "this is not a delta file at all, it is a text file of some length");
        auto r = applyDelta(box / "base", box / "plain.txt", box / "out");
        QVERIFY(!r);
        QVERIFY2(r.message() == "plain.txt: not a delta file (no ATMODLT1 header)", r.message().c_str());
        r = applyDelta(box / "base", box / "missing.delta", box / "out");
        QCOMPARE(r.code(), ErrorCode::NotFound);
        auto c = createDelta(box / "nope", box / "base", box / "x.delta");
        QCOMPARE(c.code(), ErrorCode::NotFound);
        QVERIFY(!fs::exists(box / "x.delta"));
    }

    void cancelLeavesNothing()
    {
        Sandbox box;
        put(box / "base", randomBytes(4 << 20, 11));
        put(box / "target", randomBytes(4 << 20, 12));
        CancelToken cancel;
        cancel.cancel();
        auto c = createDelta(box / "base", box / "target", box / "d.delta", {}, nullptr, cancel);
        QCOMPARE(c.code(), ErrorCode::Cancelled);
        QVERIFY(!fs::exists(box / "d.delta"));
        QVERIFY(createDelta(box / "base", box / "target", box / "d.delta"));
        auto a = applyDelta(box / "base", box / "d.delta", box / "out", {}, nullptr, cancel);
        QCOMPARE(a.code(), ErrorCode::Cancelled);
        QVERIFY(!fs::exists(box / "out"));
    }

    void progressCoversBothFiles()
    {
        Sandbox box;
        put(box / "base", randomBytes(3 << 20, 13));
        put(box / "target", randomBytes(2 << 20, 14));
        struct Seen : Observer {
            std::vector<Progress> all;
            void onProgress(const Progress& p) override { all.push_back(p); }
        } seen;
        ProgressReporter reporter(&seen, std::chrono::milliseconds(0));
        QVERIFY(createDelta(box / "base", box / "target", box / "d.delta", {}, &reporter));
        bool hashedBase = false, wroteTarget = false;
        for (const auto& p : seen.all) {
            hashedBase |= p.phase == Phase::Hashing && p.done == (3u << 20) && p.total == (3u << 20);
            wroteTarget |= p.phase == Phase::Writing && p.done == (2u << 20) && p.total == (2u << 20);
        }
        QVERIFY(hashedBase && wroteTarget);
    }
};

ATMO_TEST_GUILESS_MAIN(TestDelta)
#include "tst_delta.moc"
