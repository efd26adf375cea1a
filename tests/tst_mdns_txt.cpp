// The TXT records of `_atmosphere._tcp` as core/mesh/mdns_txt.h decodes them: the
// records a good peer sends, then each hostile or merely odd form on its own
// (missing, empty, oversized, not UTF-8, duplicate and case-folded keys),
// each compared with what a good record next to it still gives.
#include <QtTest>

#include "core/mesh/mdns_txt.h"
#include "test_main.h"

using namespace atmo;

namespace {

using Records = std::vector<std::string>;
using Caps = std::vector<std::string>;

QString joined(const Caps& caps)
{
    QStringList l;
    for (const auto& c : caps)
        l << QString::fromStdString(c);
    return l.join('|');
}

} // namespace

class TstMdnsTxt : public QObject {
    Q_OBJECT

private slots:
    // What the station itself and the Python bridge send; if this fails,
    // every test below proves nothing.
    void goodRecords()
    {
        const MdnsTxt t = decodeMdnsTxt({"node_id=0123abcd4567ef89", "mesh_id=atmosphere",
                                         "capabilities=models,packages"});
        QCOMPARE(t.nodeId, std::string("0123abcd4567ef89"));
        QCOMPARE(t.meshId, std::string("atmosphere"));
        QCOMPARE(joined(t.capabilities), QString("models|packages"));
    }

    void nothingAtAll()
    {
        const MdnsTxt t = decodeMdnsTxt({});
        QVERIFY(t.nodeId.empty() && t.meshId.empty() && t.capabilities.empty());
        // A TXT record of one empty string (RFC 6763 §6.1) is the same.
        const MdnsTxt e = decodeMdnsTxt({""});
        QVERIFY(e.nodeId.empty() && e.meshId.empty() && e.capabilities.empty());
    }

    void missingNodeIdKeepsTheRest()
    {
        const MdnsTxt t = decodeMdnsTxt({"mesh_id=m", "capabilities=llm"});
        QCOMPARE(t.nodeId, std::string());
        QCOMPARE(t.meshId, std::string("m"));
        QCOMPARE(joined(t.capabilities), QString("llm"));
    }

    void emptyValuesAndKeysWithoutValue()
    {
        const MdnsTxt t = decodeMdnsTxt({"node_id=", "mesh_id", "capabilities=", "=orphan", "="});
        QCOMPARE(t.nodeId, std::string());
        QCOMPARE(t.meshId, std::string());
        QVERIFY(t.capabilities.empty());
    }

    void keysAreCaseInsensitive()
    {
        const MdnsTxt t = decodeMdnsTxt({"NODE_ID=abc", "Mesh_Id=m1", "CAPABILITIES=Vision"});
        QCOMPARE(t.nodeId, std::string("abc"));
        QCOMPARE(t.meshId, std::string("m1"));
        QCOMPARE(joined(t.capabilities), QString("Vision")); // values keep their case
    }

    // RFC 6763 §6.4: all but the first occurrence are ignored, even when the
    // first one's value is then dropped.
    void firstOccurrenceWins()
    {
        const MdnsTxt t = decodeMdnsTxt({"node_id=first", "Node_ID=second", "mesh_id=a", "mesh_id=b",
                                         "capabilities=x", "capabilities=y,z"});
        QCOMPARE(t.nodeId, std::string("first"));
        QCOMPARE(t.meshId, std::string("a"));
        QCOMPARE(joined(t.capabilities), QString("x"));

        const MdnsTxt bad = decodeMdnsTxt({std::string("node_id=\xff"), "node_id=good"});
        QCOMPARE(bad.nodeId, std::string());
        const MdnsTxt empty = decodeMdnsTxt({"node_id", "node_id=later"});
        QCOMPARE(empty.nodeId, std::string());
    }

    void oversizedIdentifiersAreDroppedNotCut()
    {
        const std::string id64(kMdnsNodeIdMax, 'n'), id65(kMdnsNodeIdMax + 1, 'n');
        QCOMPARE(decodeMdnsTxt({"node_id=" + id64}).nodeId, id64);
        QCOMPARE(decodeMdnsTxt({"node_id=" + id65}).nodeId, std::string());
        const std::string mesh128(kMdnsMeshIdMax, 'm'), mesh129(kMdnsMeshIdMax + 1, 'm');
        QCOMPARE(decodeMdnsTxt({"mesh_id=" + mesh128}).meshId, mesh128);
        QCOMPARE(decodeMdnsTxt({"mesh_id=" + mesh129}).meshId, std::string());
        // A full 255-byte TXT string, as a hostile peer may send.
        const MdnsTxt t = decodeMdnsTxt({"node_id=" + std::string(247, 'x'), "mesh_id=" + std::string(247, 'y'),
                                         "capabilities=" + std::string(242, 'c'), "z=" + std::string(253, 'z')});
        QVERIFY(t.nodeId.empty() && t.meshId.empty() && t.capabilities.empty());
        // Far beyond what a TXT string can hold: still only bounded work and output.
        const MdnsTxt huge = decodeMdnsTxt({"node_id=" + std::string(1 << 20, 'x')});
        QVERIFY(huge.nodeId.empty());
    }

    void notUtf8OrControlCharactersDropped()
    {
        const std::string bad[] = {
            "\xff", "ab\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\x01" "b", std::string("a\0b", 3),
            "tab\there", "del\x7f",
        };
        for (const auto& v : bad) {
            QVERIFY2(decodeMdnsTxt({"node_id=" + v}).nodeId.empty(), v.c_str());
            QVERIFY2(decodeMdnsTxt({"mesh_id=" + v}).meshId.empty(), v.c_str());
        }
        // Well-formed UTF-8 beyond ASCII is fine.
        QCOMPARE(decodeMdnsTxt({"mesh_id=Zürich-東京-🚀"}).meshId, std::string("Zürich-東京-🚀"));
    }

    void badKeysIgnored()
    {
        // A key with bytes outside printable ASCII is no key (RFC 6763 §6.4).
        const MdnsTxt t = decodeMdnsTxt({std::string("node_id\xff=evil"), std::string("node_id\0=evil", 13),
                                         "node_id =evil", "node_id=good"});
        QCOMPARE(t.nodeId, std::string("good"));
    }

    void capabilitiesCleanedAndBounded()
    {
        QCOMPARE(joined(decodeMdnsTxt({"capabilities= vision, llm,,gguf ,\tllm"}).capabilities),
                 QString("vision|llm|gguf"));
        const std::string long64(kMdnsCapabilityMax, 'c'), long65(kMdnsCapabilityMax + 1, 'c');
        QCOMPARE(joined(decodeMdnsTxt({"capabilities=a," + long65 + "," + long64 + ",b"}).capabilities),
                 QString("a|" + QString::fromStdString(long64) + "|b"));
        // Bad bytes spoil one item, not its neighbours.
        QCOMPARE(joined(decodeMdnsTxt({std::string("capabilities=a,\xff\xfe,b\x01,c")}).capabilities), QString("a|c"));
        // At most 32 items; the rest is cut off.
        std::string many = "capabilities=";
        for (int i = 0; i < 100; ++i)
            many += "c" + std::to_string(i) + ",";
        const MdnsTxt t = decodeMdnsTxt({many});
        QCOMPARE(t.capabilities.size(), kMdnsCapabilitiesMax);
        QCOMPARE(t.capabilities.front(), std::string("c0"));
        QCOMPARE(t.capabilities.back(), std::string("c31"));
        // Thousands of empty items cost nothing and give nothing.
        QVERIFY(decodeMdnsTxt({"capabilities=" + std::string(100000, ',')}).capabilities.empty());
    }

    void unknownKeysDoNotDisturb()
    {
        const MdnsTxt t = decodeMdnsTxt({"txtvers=1", "node_idx=no", "xnode_id=no", "node_id=yes", "path=/"});
        QCOMPARE(t.nodeId, std::string("yes"));
        QVERIFY(t.meshId.empty());
    }
};

ATMO_TEST_GUILESS_MAIN(TstMdnsTxt)
#include "tst_mdns_txt.moc"
