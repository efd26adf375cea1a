// The Range header as the peer server decides it (RFC 9110 14.1.2, one range
// per request): every form, the edges around the end of the file, empty
// files, and headers that must be ignored rather than refused.
#include <QtTest>

#include "core/transfer/http_range.h"
#include "test_main.h"

using namespace atmo;

Q_DECLARE_METATYPE(atmo::RangeDecision::Kind)

class TstHttpRange : public QObject {
    Q_OBJECT

private slots:
    void decides_data()
    {
        QTest::addColumn<QString>("header");
        QTest::addColumn<quint64>("size");
        QTest::addColumn<RangeDecision::Kind>("kind");
        QTest::addColumn<quint64>("first");
        QTest::addColumn<quint64>("last");

        const auto W = RangeDecision::Whole;
        const auto P = RangeDecision::Partial;
        const auto U = RangeDecision::Unsatisfiable;
        // No header, or one to ignore: the whole file.
        QTest::newRow("no header") << "" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("blank") << "   " << 1000ull << W << 0ull << 999ull;
        // a-b
        QTest::newRow("a-b") << "bytes=0-99" << 1000ull << P << 0ull << 99ull;
        QTest::newRow("a-b middle") << "bytes=100-199" << 1000ull << P << 100ull << 199ull;
        QTest::newRow("one byte") << "bytes=0-0" << 1000ull << P << 0ull << 0ull;
        QTest::newRow("last byte") << "bytes=999-999" << 1000ull << P << 999ull << 999ull;
        QTest::newRow("exact end") << "bytes=500-999" << 1000ull << P << 500ull << 999ull;
        QTest::newRow("b past end clamps") << "bytes=500-5000" << 1000ull << P << 500ull << 999ull;
        QTest::newRow("b huge clamps") << "bytes=0-18446744073709551615" << 1000ull << P << 0ull << 999ull;
        QTest::newRow("a > b ignored") << "bytes=200-100" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("a > b past end ignored") << "bytes=2000-1000" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("a = size") << "bytes=1000-1200" << 1000ull << U << 0ull << 0ull;
        QTest::newRow("a past end") << "bytes=5000-6000" << 1000ull << U << 0ull << 0ull;
        // a-
        QTest::newRow("a-") << "bytes=0-" << 1000ull << P << 0ull << 999ull;
        QTest::newRow("resume") << "bytes=400-" << 1000ull << P << 400ull << 999ull;
        QTest::newRow("a- last byte") << "bytes=999-" << 1000ull << P << 999ull << 999ull;
        QTest::newRow("a- at size") << "bytes=1000-" << 1000ull << U << 0ull << 0ull;
        QTest::newRow("a- past size") << "bytes=1001-" << 1000ull << U << 0ull << 0ull;
        // -n
        QTest::newRow("suffix") << "bytes=-100" << 1000ull << P << 900ull << 999ull;
        QTest::newRow("suffix 1") << "bytes=-1" << 1000ull << P << 999ull << 999ull;
        QTest::newRow("suffix = size") << "bytes=-1000" << 1000ull << P << 0ull << 999ull;
        QTest::newRow("suffix > size") << "bytes=-5000" << 1000ull << P << 0ull << 999ull;
        QTest::newRow("suffix 0") << "bytes=-0" << 1000ull << U << 0ull << 0ull;
        // Empty files: nothing to send a part of.
        QTest::newRow("empty a-b") << "bytes=0-0" << 0ull << U << 0ull << 0ull;
        QTest::newRow("empty a-") << "bytes=0-" << 0ull << U << 0ull << 0ull;
        QTest::newRow("empty suffix") << "bytes=-5" << 0ull << U << 0ull << 0ull;
        QTest::newRow("empty garbage") << "bytes=x-" << 0ull << W << 0ull << 0ull;
        QTest::newRow("empty no header") << "" << 0ull << W << 0ull << 0ull;
        // Whitespace around the parts is tolerated, the unit's case too.
        QTest::newRow("spaces") << "  bytes = 10 - 20  " << 1000ull << P << 10ull << 20ull;
        QTest::newRow("tabs") << "\tbytes=\t-10\t" << 1000ull << P << 990ull << 999ull;
        QTest::newRow("unit case") << "Bytes=1-2" << 1000ull << P << 1ull << 2ull;
        QTest::newRow("empty list elements") << "bytes=, 5-6 ," << 1000ull << P << 5ull << 6ull;
        // Several ranges: the whole file (no multipart/byteranges).
        QTest::newRow("two ranges") << "bytes=0-1,5-6" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("two ranges, one unsatisfiable") << "bytes=0-1,5000-" << 1000ull << W << 0ull << 999ull;
        // Garbage is ignored.
        QTest::newRow("other unit") << "items=0-1" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("no unit") << "0-99" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("no equals") << "bytes 0-99" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("bytes= only") << "bytes=" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("dash only") << "bytes=-" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("no dash") << "bytes=100" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("letters") << "bytes=a-b" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("negative") << "bytes=-5-10" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("plus sign") << "bytes=+5-10" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("space inside number") << "bytes=1 0-20" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("hex") << "bytes=0x10-0x20" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("trailing junk") << "bytes=0-10;q=1" << 1000ull << W << 0ull << 999ull;
        // Numbers that do not fit 64 bits are garbage, not huge values.
        QTest::newRow("first overflows") << "bytes=18446744073709551616-" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("last overflows") << "bytes=0-99999999999999999999999" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("suffix overflows") << "bytes=-18446744073709551616" << 1000ull << W << 0ull << 999ull;
        QTest::newRow("uint64 max first") << "bytes=18446744073709551615-" << 1000ull << U << 0ull << 0ull;
        // Large files (beyond 32 bits).
        QTest::newRow("5 GiB resume") << "bytes=4294967296-" << 5368709120ull << P << 4294967296ull << 5368709119ull;
        QTest::newRow("5 GiB suffix") << "bytes=-1" << 5368709120ull << P << 5368709119ull << 5368709119ull;
    }
    void decides()
    {
        QFETCH(QString, header);
        QFETCH(quint64, size);
        QFETCH(RangeDecision::Kind, kind);
        QFETCH(quint64, first);
        QFETCH(quint64, last);
        const std::string h = header.toStdString();
        const RangeDecision d = decideRange(h, size);
        QCOMPARE(int(d.kind), int(kind));
        if (kind != RangeDecision::Unsatisfiable) {
            QCOMPARE(quint64(d.range.first), first);
            QCOMPARE(quint64(d.range.last), last);
        }
        if (kind == RangeDecision::Partial) {
            QVERIFY(d.range.last < size);
            QCOMPARE(quint64(d.range.length()), last - first + 1);
        }
    }

    void contentRangeHeaders()
    {
        QCOMPARE(contentRange({0, 99}, 1000), std::string("bytes 0-99/1000"));
        QCOMPARE(contentRange({999, 999}, 1000), std::string("bytes 999-999/1000"));
        QCOMPARE(contentRange({4294967296ull, 5368709119ull}, 5368709120ull),
                 std::string("bytes 4294967296-5368709119/5368709120"));
        QCOMPARE(unsatisfiedContentRange(1000), std::string("bytes */1000"));
        QCOMPARE(unsatisfiedContentRange(0), std::string("bytes */0"));
    }

    // What a resuming client does: fetch in ranges, get every byte exactly once.
    void rangesTileTheFile()
    {
        const std::uint64_t size = 1'000'003;
        std::uint64_t next = 0;
        int requests = 0;
        while (true) {
            const RangeDecision d =
                decideRange("bytes=" + std::to_string(next) + "-" + std::to_string(next + 65535), size);
            if (d.kind == RangeDecision::Unsatisfiable)
                break;
            QCOMPARE(int(d.kind), int(RangeDecision::Partial));
            QCOMPARE(quint64(d.range.first), quint64(next));
            next = d.range.last + 1;
            ++requests;
        }
        QCOMPARE(quint64(next), quint64(size));
        QCOMPARE(requests, int((size + 65535) / 65536));
    }
};

ATMO_TEST_GUILESS_MAIN(TstHttpRange)
#include "tst_http_range.moc"
