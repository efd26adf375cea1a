// The merged mesh catalog: one entry per model_id with its peers best first,
// de-duplication by model_id + node_id, majority bytes and conflicts, the
// ranking (direct HTTP, latency band, reliability, node id), TTL expiry,
// removal, and transfer history feeding reliability.
#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

#include "core/mesh/mesh_catalog.h"
#include "test_main.h"

using namespace atmo;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(atmo::PeerQuality)

namespace {

std::string sha(char c)
{
    return std::string(64, c);
}

CatalogEntry model(const std::string& id, char hash = 'a', std::uint64_t size = 1000)
{
    CatalogEntry e;
    e.modelId = id;
    e.name = id;
    e.type = "llm";
    e.format = "gguf";
    e.sizeBytes = size;
    e.sha256 = sha(hash);
    e.version = "1.0";
    return e;
}

CatalogMessage node(const std::string& id, std::vector<CatalogEntry> models, bool http = true,
                    std::int64_t ttl = 300)
{
    CatalogMessage m;
    m.nodeId = id;
    m.nodeName = "Node " + id;
    m.timestampMs = 1000;
    m.models = std::move(models);
    if (http)
        m.httpEndpoint = "http://10.0.0." + std::to_string(id.size()) + ":14345";
    m.ttlSeconds = ttl;
    return m;
}

PeerQuality q(bool http, std::optional<double> latency, std::uint32_t ok = 0, std::uint32_t failed = 0)
{
    PeerQuality p;
    p.directHttp = http;
    p.latencyMs = latency;
    p.transfersOk = ok;
    p.transfersFailed = failed;
    return p;
}

const MergedEntry* find(const std::vector<MergedEntry>& merged, const std::string& id)
{
    for (const auto& m : merged)
        if (m.entry.modelId == id)
            return &m;
    return nullptr;
}

using Ids = std::vector<std::string>;

const Clock::time_point t0 = Clock::time_point(std::chrono::seconds(1'770'000'000));

} // namespace

class TstMeshCatalog : public QObject {
    Q_OBJECT

private slots:
    void reliabilityHasAPrior()
    {
        QCOMPARE(PeerQuality{}.reliability(), 0.5);
        QCOMPARE(q(true, {}, 1, 0).reliability(), 2.0 / 3.0);
        QCOMPARE(q(true, {}, 0, 1).reliability(), 1.0 / 3.0);
        QCOMPARE(q(true, {}, 3, 1).reliability(), 4.0 / 6.0);
        QVERIFY(q(true, {}, 1000, 0).reliability() < 1.0);
        QVERIFY(q(true, {}, 0, 1000).reliability() > 0.0);
    }

    void ranking_data()
    {
        QTest::addColumn<PeerQuality>("a");
        QTest::addColumn<PeerQuality>("b");
        QTest::addColumn<bool>("aFirst");
        // (1) direct HTTP outweighs everything else.
        QTest::newRow("http beats faster") << q(true, 200.0) << q(false, 1.0) << true;
        QTest::newRow("http beats reliable") << q(true, 5.0, 0, 9) << q(false, 5.0, 50, 0) << true;
        QTest::newRow("relay-only after http") << q(false, 0.5, 100) << q(true, {}) << false;
        // (2) lower latency band.
        QTest::newRow("2 ms before 20 ms") << q(true, 2.0) << q(true, 20.0) << true;
        QTest::newRow("20 ms after 2 ms") << q(true, 20.0) << q(true, 2.0) << false;
        QTest::newRow("faster despite worse history") << q(true, 1.0, 0, 3) << q(true, 100.0, 9, 0) << true;
        QTest::newRow("measured before unknown") << q(true, 10000.0) << q(true, {}, 100) << true;
        QTest::newRow("unknown after measured") << q(true, {}, 100) << q(true, 10000.0) << false;
        QTest::newRow("negative is unknown") << q(true, -5.0) << q(true, 900.0) << false;
        QTest::newRow("nan is unknown") << q(true, std::nan("")) << q(true, 900.0) << false;
        QTest::newRow("infinity is unknown") << q(true, std::numeric_limits<double>::infinity())
                                             << q(true, 900.0) << false;
        // Same band: 3 ms and 4 ms are both band 2, so history decides.
        QTest::newRow("same band, reliability decides") << q(true, 3.0, 0, 1) << q(true, 4.0, 5, 0) << false;
        QTest::newRow("same band, reliability decides (2)") << q(true, 4.0, 5, 0) << q(true, 3.0, 0, 1) << true;
        QTest::newRow("band edges 0 and 0.9 ms") << q(true, 0.0) << q(true, 0.9, 5) << false;
        QTest::newRow("band edge 1 ms") << q(true, 0.9) << q(true, 1.0, 5) << true;
        QTest::newRow("both unknown, reliability") << q(false, {}, 2, 0) << q(false, {}, 1, 0) << true;
        // (3) higher reliability; equal ratios compare equal (then node id).
        QTest::newRow("no history vs one failure") << q(true, 5.0) << q(true, 5.0, 0, 1) << true;
        QTest::newRow("equal ratios fall to node id") << q(true, 5.0, 1, 1) << q(true, 5.0, 3, 3) << true;
        QTest::newRow("equal ratios fall to node id (2)") << q(true, 5.0, 3, 3) << q(true, 5.0, 1, 1) << true;
        QTest::newRow("huge counters do not overflow")
            << q(true, 5.0, 4'000'000'000u, 1) << q(true, 5.0, 4'000'000'000u, 2) << true;
    }
    void ranking()
    {
        QFETCH(PeerQuality, a);
        QFETCH(PeerQuality, b);
        QFETCH(bool, aFirst);
        // "alpha" < "beta": the node id only matters on a full tie.
        QCOMPARE(rankedBefore("alpha", a, "beta", b), aFirst);
        QCOMPARE(rankedBefore("beta", b, "alpha", a), !aFirst);
    }

    void rankingIsAStrictWeakOrder()
    {
        std::mt19937 rng(7);
        std::vector<std::pair<std::string, PeerQuality>> peers;
        for (int i = 0; i < 60; ++i) {
            PeerQuality p;
            p.directHttp = rng() % 4 != 0;
            if (rng() % 5 != 0)
                p.latencyMs = double(rng() % 4000) / 10.0;
            p.transfersOk = rng() % 6;
            p.transfersFailed = rng() % 4;
            std::string id = "n";
            id += std::to_string(rng() % 30); // some ids repeat
            peers.push_back({id, p});
        }
        auto before = [](const auto& x, const auto& y) { return rankedBefore(x.first, x.second, y.first, y.second); };
        for (const auto& a : peers) {
            QVERIFY(!before(a, a));
            for (const auto& b : peers) {
                QVERIFY(!(before(a, b) && before(b, a)));
                for (const auto& c : peers) {
                    if (before(a, b) && before(b, c))
                        QVERIFY(before(a, c));
                    // Incomparability is transitive too.
                    const bool ab = !before(a, b) && !before(b, a);
                    const bool bc = !before(b, c) && !before(c, b);
                    if (ab && bc)
                        QVERIFY(!before(a, c) && !before(c, a));
                }
            }
        }
    }

    void mergesByModelIdWithPeersBestFirst()
    {
        MeshCatalog cat;
        cat.update(node("slow", {model("shared"), model("only-slow")}), t0);
        cat.update(node("fast", {model("shared"), model("only-fast")}), t0);
        cat.update(node("relay", {model("shared")}, false), t0);
        cat.setQuality("slow", q(true, 80.0));
        cat.setQuality("fast", q(true, 3.0));
        // relay keeps what update() said: no direct HTTP.
        const auto merged = cat.merged();
        QCOMPARE(merged.size(), std::size_t(3));
        // Sorted by model_id.
        QCOMPARE(merged[0].entry.modelId, std::string("only-fast"));
        QCOMPARE(merged[1].entry.modelId, std::string("only-slow"));
        QCOMPARE(merged[2].entry.modelId, std::string("shared"));
        QCOMPARE(merged[2].peers, (Ids{"fast", "slow", "relay"}));
        QVERIFY(merged[2].conflicting.empty());
        QCOMPARE(merged[0].peers, Ids{"fast"});
        QCOMPARE(merged[1].peers, Ids{"slow"});
    }

    void entryComesFromTheBestPeer()
    {
        CatalogEntry a = model("m");
        a.name = "name from a";
        CatalogEntry b = model("m");
        b.name = "name from b";
        CatalogMessage na = node("a", {a});
        CatalogMessage nb = node("b", {b});
        std::map<std::string, PeerQuality> quality{{"a", q(true, 50.0)}, {"b", q(true, 5.0)}};
        auto merged = mergeCatalogs({&na, &nb}, quality);
        QCOMPARE(merged.size(), std::size_t(1));
        QCOMPARE(merged[0].entry.name, std::string("name from b"));
        QCOMPARE(merged[0].peers, (Ids{"b", "a"}));
        quality["a"].latencyMs = 1.0;
        merged = mergeCatalogs({&na, &nb}, quality);
        QCOMPARE(merged[0].entry.name, std::string("name from a"));
        QCOMPARE(merged[0].peers, (Ids{"a", "b"}));
    }

    void deduplicatesModelIdAndNodeId()
    {
        // A node listing a model twice counts once (the first entry).
        CatalogEntry second = model("m");
        second.name = "second";
        CatalogMessage twice = node("n1", {model("m"), second, model("other")});
        CatalogMessage other = node("n2", {model("m")});
        auto merged = mergeCatalogs({&twice, &other}, {});
        QCOMPARE(merged.size(), std::size_t(2));
        const MergedEntry* m = find(merged, "m");
        QVERIFY(m);
        QCOMPARE(m->peers, (Ids{"n1", "n2"}));
        QCOMPARE(m->entry.name, std::string("m"));

        // Two messages from one node: the newer one is that node's catalog.
        CatalogMessage old = node("n1", {model("gone")});
        old.timestampMs = 500;
        CatalogMessage fresh = node("n1", {model("new")});
        fresh.timestampMs = 900;
        merged = mergeCatalogs({&fresh, &old}, {});
        QCOMPARE(merged.size(), std::size_t(1));
        QCOMPARE(merged[0].entry.modelId, std::string("new"));
        QCOMPARE(merged[0].peers, Ids{"n1"});
        // Equal timestamps: the later one given.
        old.timestampMs = 900;
        merged = mergeCatalogs({&fresh, &old}, {});
        QCOMPARE(merged[0].entry.modelId, std::string("gone"));

        // Null pointers and nodes without an id are skipped.
        CatalogMessage anonymous = node("", {model("x")});
        merged = mergeCatalogs({nullptr, &anonymous, &other}, {});
        QCOMPARE(merged.size(), std::size_t(1));
        QCOMPARE(merged[0].peers, Ids{"n2"});
        QVERIFY(mergeCatalogs({}, {}).empty());
    }

    void updateReplacesANodesCatalog()
    {
        MeshCatalog cat;
        cat.update(node("n1", {model("a"), model("b")}), t0);
        QCOMPARE(cat.modelCount("n1"), std::size_t(2));
        cat.update(node("n1", {model("b"), model("c")}), t0 + 10s);
        QCOMPARE(cat.modelCount("n1"), std::size_t(2));
        const auto merged = cat.merged();
        QCOMPARE(merged.size(), std::size_t(2));
        QVERIFY(!find(merged, "a"));
        QVERIFY(find(merged, "c"));
        QCOMPARE(cat.nodes(), Ids{"n1"});
        // A message without a node id is ignored.
        cat.update(node("", {model("z")}), t0);
        QCOMPARE(cat.nodes(), Ids{"n1"});
    }

    void majorityBytesWinAndOthersConflict()
    {
        // best has other bytes than the two others: the majority wins.
        CatalogMessage best = node("best", {model("m", 'x')});
        CatalogMessage mid = node("mid", {model("m", 'y')});
        CatalogMessage worst = node("worst", {model("m", 'y')});
        std::map<std::string, PeerQuality> quality{
            {"best", q(true, 1.0)}, {"mid", q(true, 10.0)}, {"worst", q(true, 100.0)}};
        auto merged = mergeCatalogs({&best, &mid, &worst}, quality);
        QCOMPARE(merged.size(), std::size_t(1));
        QCOMPARE(merged[0].entry.sha256, sha('y'));
        QCOMPARE(merged[0].peers, (Ids{"mid", "worst"}));
        QCOMPARE(merged[0].conflicting, Ids{"best"});

        // A tie goes to the best-ranked peer's bytes.
        merged = mergeCatalogs({&best, &mid}, quality);
        QCOMPARE(merged[0].entry.sha256, sha('x'));
        QCOMPARE(merged[0].peers, Ids{"best"});
        QCOMPARE(merged[0].conflicting, Ids{"mid"});
        quality["mid"].latencyMs = 0.5;
        merged = mergeCatalogs({&best, &mid}, quality);
        QCOMPARE(merged[0].entry.sha256, sha('y'));
        QCOMPARE(merged[0].peers, Ids{"mid"});
        QCOMPARE(merged[0].conflicting, Ids{"best"});

        // Three-way split with a pair: the pair wins, both others conflict, best first.
        CatalogMessage fourth = node("fourth", {model("m", 'z')});
        CatalogMessage fifth = node("fifth", {model("m", 'z')});
        quality["fourth"] = q(true, 200.0);
        quality["fifth"] = q(true, 300.0);
        merged = mergeCatalogs({&best, &mid, &fourth, &fifth}, quality);
        QCOMPARE(merged[0].entry.sha256, sha('z'));
        QCOMPARE(merged[0].peers, (Ids{"fourth", "fifth"}));
        QCOMPARE(merged[0].conflicting, (Ids{"mid", "best"}));
    }

    void sameHashOtherSizeConflicts()
    {
        CatalogMessage a = node("a", {model("m", 'a', 1000)});
        CatalogMessage b = node("b", {model("m", 'a', 1000)});
        CatalogMessage liar = node("c", {model("m", 'a', 999)});
        const auto merged = mergeCatalogs({&a, &b, &liar}, {});
        QCOMPARE(merged[0].peers, (Ids{"a", "b"}));
        QCOMPARE(merged[0].conflicting, Ids{"c"});
        QCOMPARE(merged[0].entry.sizeBytes, 1000ull);
    }

    void directHttpFromTheMessageWithoutQuality()
    {
        // No quality known: a node with an HTTP endpoint ranks first.
        CatalogMessage relay = node("a-relay", {model("m")}, false);
        CatalogMessage http = node("z-http", {model("m")}, true);
        auto merged = mergeCatalogs({&relay, &http}, {});
        QCOMPARE(merged[0].peers, (Ids{"z-http", "a-relay"}));

        // MeshCatalog takes directHttp from each update, keeping the rest.
        MeshCatalog cat;
        cat.setQuality("n", q(false, 7.0, 3, 1));
        cat.update(node("n", {model("m")}, true), t0);
        PeerQuality got = cat.quality("n");
        QVERIFY(got.directHttp);
        QCOMPARE(got.latencyMs, std::optional<double>(7.0));
        QCOMPARE(got.transfersOk, 3u);
        QCOMPARE(got.transfersFailed, 1u);
        QCOMPARE(cat.httpEndpoint("n"), std::string("http://10.0.0.1:14345"));
        cat.update(node("n", {model("m")}, false), t0);
        QVERIFY(!cat.quality("n").directHttp);
        QCOMPARE(cat.httpEndpoint("n"), std::string());
        QCOMPARE(cat.httpEndpoint("unknown"), std::string());
        QCOMPARE(cat.modelCount("unknown"), std::size_t(0));
    }

    void ttlExpiry()
    {
        MeshCatalog cat;
        cat.update(node("short", {model("a"), model("shared")}, true, 60), t0);
        cat.update(node("long", {model("b"), model("shared")}, true, 300), t0);
        QCOMPARE(cat.expiresAt("short"), std::optional<Clock::time_point>(t0 + 60s));
        QCOMPARE(cat.expiresAt("long"), std::optional<Clock::time_point>(t0 + 300s));
        QVERIFY(!cat.expiresAt("nobody"));

        QVERIFY(cat.expire(t0 + 59s).empty());
        QCOMPARE(cat.merged().size(), std::size_t(3));
        QCOMPARE(cat.expire(t0 + 60s), Ids{"short"});
        QCOMPARE(cat.nodes(), Ids{"long"});
        auto merged = cat.merged();
        QCOMPARE(merged.size(), std::size_t(2));
        QVERIFY(!find(merged, "a"));
        QCOMPARE(find(merged, "shared")->peers, Ids{"long"});

        // A refresh before the TTL runs out moves the deadline.
        cat.update(node("long", {model("b")}, true, 300), t0 + 200s);
        QCOMPARE(cat.expiresAt("long"), std::optional<Clock::time_point>(t0 + 500s));
        QVERIFY(cat.expire(t0 + 400s).empty());
        QCOMPARE(cat.expire(t0 + 10000s), Ids{"long"});
        QVERIFY(cat.merged().empty());
        QVERIFY(cat.nodes().empty());

        // No TTL or a nonsensical one: the protocol's 300 s; at most a day.
        CatalogMessage m = node("zero", {model("a")}, true, 0);
        cat.update(m, t0);
        QCOMPARE(cat.expiresAt("zero"), std::optional<Clock::time_point>(t0 + 300s));
        m = node("forever", {model("a")}, true, 10LL * 365 * 86400);
        cat.update(m, t0);
        QCOMPARE(cat.expiresAt("forever"), std::optional<Clock::time_point>(t0 + 86400s));
    }

    void removeNode()
    {
        MeshCatalog cat;
        cat.update(node("a", {model("mine"), model("shared")}), t0);
        cat.update(node("b", {model("shared")}), t0);
        cat.recordTransfer("a", true);
        cat.removeNode("a");
        cat.removeNode("never-seen");
        QCOMPARE(cat.nodes(), Ids{"b"});
        const auto merged = cat.merged();
        QCOMPARE(merged.size(), std::size_t(1));
        QCOMPARE(merged[0].peers, Ids{"b"});
        // Its history stays for when it comes back.
        QCOMPARE(cat.quality("a").transfersOk, 1u);
        cat.update(node("a", {model("shared")}), t0 + 1s);
        QCOMPARE(cat.merged()[0].peers, (Ids{"a", "b"}));
    }

    void transfersMoveAPeerDownAndUp()
    {
        MeshCatalog cat;
        cat.update(node("a", {model("m")}), t0);
        cat.update(node("b", {model("m")}), t0);
        cat.setQuality("a", q(true, 5.0));
        cat.setQuality("b", q(true, 6.0)); // same band as 5 ms
        QCOMPARE(cat.merged()[0].peers, (Ids{"a", "b"}));
        cat.recordTransfer("a", false);
        QCOMPARE(cat.quality("a").transfersFailed, 1u);
        QCOMPARE(cat.quality("a").reliability(), 1.0 / 3.0);
        QCOMPARE(cat.merged()[0].peers, (Ids{"b", "a"}));
        cat.recordTransfer("a", true);
        cat.recordTransfer("a", true);
        QCOMPARE(cat.quality("a").reliability(), 3.0 / 5.0);
        QCOMPARE(cat.merged()[0].peers, (Ids{"a", "b"}));
        // A much faster peer still wins over a better history (band first).
        cat.setQuality("b", q(true, 0.2, 0, 5));
        QCOMPARE(cat.merged()[0].peers, (Ids{"b", "a"}));
        // Unknown nodes get the default quality; recording creates history.
        QCOMPARE(cat.quality("ghost").reliability(), 0.5);
        cat.recordTransfer("ghost", true);
        QCOMPARE(cat.quality("ghost").transfersOk, 1u);
        // Counters saturate.
        cat.setQuality("c", q(true, 1.0, UINT32_MAX, 0));
        cat.recordTransfer("c", true);
        QCOMPARE(cat.quality("c").transfersOk, UINT32_MAX);
    }

    // The size the Mesh view must handle: right counts, every model once.
    void largeMerge()
    {
        constexpr int kPeers = 200, kModels = 10000;
        std::vector<CatalogMessage> messages(kPeers);
        std::map<std::string, PeerQuality> quality;
        for (int p = 0; p < kPeers; ++p) {
            messages[p].nodeId = "node-" + std::to_string(p);
            messages[p].httpEndpoint = "http://10.1.0.1:" + std::to_string(10000 + p);
            quality[messages[p].nodeId] = q(p % 10 != 0, double(p % 50), p % 7, p % 3);
        }
        for (int m = 0; m < kModels; ++m)
            for (int k = 0; k < 3; ++k)
                messages[(m * 7 + k * 67) % kPeers].models.push_back(model("model-" + std::to_string(m)));
        std::vector<const CatalogMessage*> ptrs;
        for (const auto& m : messages)
            ptrs.push_back(&m);
        const auto merged = mergeCatalogs(ptrs, quality);
        QCOMPARE(merged.size(), std::size_t(kModels));
        for (std::size_t i = 0; i < merged.size(); ++i) {
            QCOMPARE(merged[i].peers.size(), std::size_t(3));
            if (i > 0)
                QVERIFY(merged[i - 1].entry.modelId < merged[i].entry.modelId);
            for (std::size_t k = 1; k < merged[i].peers.size(); ++k)
                QVERIFY(rankedBefore(merged[i].peers[k - 1], quality[merged[i].peers[k - 1]],
                                     merged[i].peers[k], quality[merged[i].peers[k]]));
        }
    }
};

ATMO_TEST_GUILESS_MAIN(TstMeshCatalog)
#include "tst_mesh_catalog.moc"
