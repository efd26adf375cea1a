// core/base/text.h: the string helpers that a dozen core files used to copy, with
// the edge cases on which the copies differed.
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

#include <fstream>

#include "core/base/text.h"
#include "core/package/tier.h"
#include "test_main.h"

using namespace atmo;

namespace {

void writeFile(const std::filesystem::path& p, const std::string& text)
{
    std::ofstream(p, std::ios::binary) << text;
}

} // namespace

class TextTest : public QObject {
    Q_OBJECT
private slots:
    void lowerIsAsciiOnly()
    {
        QCOMPARE(lower("SHA256:AbCdEf"), std::string("sha256:abcdef"));
        QCOMPARE(lower(""), std::string());
        // UTF-8 bytes pass unchanged whatever the C locale says about them.
        QCOMPARE(lower("\xC3\x84Z"), std::string("\xC3\x84z"));
        QCOMPARE(lower("@[`{"), std::string("@[`{")); // the neighbours of A-Z and a-z
    }

    void startsWithPrefixes()
    {
        QVERIFY(startsWith(".staging-1", ".staging-"));
        QVERIFY(startsWith("abc", ""));
        QVERIFY(startsWith("", ""));
        QVERIFY(!startsWith("ab", "abc"));
        QVERIFY(!startsWith("xabc", "abc"));
    }

    void equalsNoCaseFoldsOnlyAsciiLetters()
    {
        QVERIFY(equalsNoCase("Keep-Alive", "keep-alive"));
        QVERIFY(equalsNoCase("CLOSE", "close"));
        QVERIFY(equalsNoCase("close", "CLOSE")); // both sides fold
        QVERIFY(equalsNoCase("", ""));
        QVERIFY(!equalsNoCase("close", "closed"));
        QVERIFY(!equalsNoCase("@", "`")); // 0x40 and 0x60: not a letter pair
        QVERIFY(!equalsNoCase("[", "{"));
        QVERIFY(!equalsNoCase("\xC3\x84", "\xC3\xA4")); // UTF-8 is compared as bytes
    }

    void allDigitsOnlyZeroToNine()
    {
        QVERIFY(allDigits("20241121"));
        QVERIFY(allDigits("0"));
        QVERIFY(!allDigits(""));
        QVERIFY(!allDigits("-1"));
        QVERIFY(!allDigits(" 1"));
        QVERIFY(!allDigits("12a"));
        QVERIFY(!allDigits("\xEF\xBC\x91")); // a full-width one
    }

    void trimmedStripsSpaceTabCrLf()
    {
        // node_name's copy kept CR and LF; the others stripped them.
        QCOMPARE(trimmed(" \t\r\nname \r\n"), std::string("name"));
        QCOMPARE(trimmed("a b"), std::string("a b"));
        QCOMPARE(trimmed(" \t\r\n"), std::string());
        QCOMPARE(trimmed(""), std::string());
        QCOMPARE(trimmed("\va\f"), std::string("\va\f")); // only the four
    }

    // HTTP's optional white space and DNS-SD TXT values: spaces and tabs
    // only; a CR or LF is data there (and refused by the caller).
    void trimmedBlanksStripsOnlySpaceAndTab()
    {
        QCOMPARE(trimmedBlanks(" \t bytes=0-1 \t"), std::string_view("bytes=0-1"));
        QCOMPARE(trimmedBlanks("\r\nx\r\n"), std::string_view("\r\nx\r\n"));
        QCOMPARE(trimmedBlanks(" \t "), std::string_view());
        QCOMPARE(trimmedBlanks(""), std::string_view());
    }

    void firstLineStopsAtLf()
    {
        QCOMPARE(firstLine("one\ntwo"), std::string_view("one"));
        QCOMPARE(firstLine("only"), std::string_view("only"));
        QCOMPARE(firstLine("\nx"), std::string_view());
    }

    void readTrimmedReadsSmallFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path d = dir.path().toStdString();
        writeFile(d / "vendor", "0x1af4\n");
        QCOMPARE(readTrimmed(d / "vendor"), std::string("0x1af4"));
        // tier.cpp's copy kept leading space and tabs; drives.cpp's did not.
        writeFile(d / "model", " \tSanDisk Ultra  \r\n");
        QCOMPARE(readTrimmed(d / "model"), std::string("SanDisk Ultra"));
        writeFile(d / "empty", "");
        QCOMPARE(readTrimmed(d / "empty"), std::string());
        QCOMPARE(readTrimmed(d / "missing"), std::string());
        QCOMPARE(readTrimmed(d), std::string()); // a directory reads as nothing
    }

    void cleanNameIsOneBoundedLine()
    {
        QCOMPARE(cleanName("  Field\tKit 7\r\n"), std::string("Field Kit 7"));
        // Every control character becomes a space, newlines too (the trust
        // store's copy); the station's files take their first line first.
        QCOMPARE(cleanName("a\nb\x7f" "c"), std::string("a b c"));
        QCOMPARE(cleanName(firstLine("a\nb")), std::string("a"));
        QCOMPARE(cleanName("\x01\x02"), std::string());
        // Unbounded unless asked.
        QCOMPARE(cleanName(std::string(5000, 'x')).size(), std::size_t(5000));
        // The cut never splits a UTF-8 character: 150 x "é" is 300 bytes.
        std::string e;
        for (int i = 0; i < 150; ++i)
            e += "\xC3\xA9";
        QCOMPARE(cleanName(e, 200), e.substr(0, 200));
        QCOMPARE(cleanName(e, 201), e.substr(0, 200));
        QCOMPARE(cleanName(e, 1), std::string());
        // ... and what the cut leaves at its end is trimmed (the trust
        // store's copy kept that space).
        QCOMPARE(cleanName(std::string(199, 'a') + " b", 200), std::string(199, 'a'));
    }

    void tierListTextJoinsNames()
    {
        // mission_mesh.cpp had its own copy.
        QCOMPARE(tierListText({}), std::string());
        QCOMPARE(tierListText({2}), std::string("tier_2"));
        QCOMPARE(tierListText({1, 3}), std::string("tier_1, tier_3"));
    }

    void percentEncodeIsOneUrlSegment()
    {
        QCOMPARE(atmo::percentEncode("production-inspection"), std::string("production-inspection"));
        QCOMPARE(atmo::percentEncode("1.3+b2"), std::string("1.3%2Bb2"));
        QCOMPARE(atmo::percentEncode("a/b c~_"), std::string("a%2Fb%20c~_"));
        QCOMPARE(atmo::percentEncode("\xc3\xa9%"), std::string("%C3%A9%25"));
        QCOMPARE(atmo::percentEncode(""), std::string());
        // The same as Qt gives, which the station's HTTP client and server use.
        const std::string all = [] {
            std::string s;
            for (int c = 1; c < 128; ++c) // QUrl takes a QString: ASCII compares byte for byte
                s += char(c);
            return s;
        }();
        QCOMPARE(QByteArray::fromStdString(atmo::percentEncode(all)), QUrl::toPercentEncoding(QByteArray::fromStdString(all)));
    }
};

ATMO_TEST_GUILESS_MAIN(TextTest)
#include "tst_text.moc"
