// The range plan, driven by a discrete-event simulation of peers with exact
// speeds and latencies (simulated time, no sleeping): faster peers get more
// chunks, a peer failing mid-chunk gives its chunks back and is not asked
// again, the end-game duplicates a slow peer's last chunk to a fast idle one,
// progress arithmetic, the catalog's quality fed from a download, and, with a
// real journal, per-chunk mismatches pinned on the peer that sent them.
// Also the peer's chunk list parser.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>
#include <random>

#include "core/transfer/download_journal.h"
#include "core/mesh/mesh_catalog.h"
#include "core/transfer/range_plan.h"
#include "core/base/sha256.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;
using namespace std::chrono_literals;

namespace {

const SteadyTime t0 = SteadyTime() + 1000s;

struct SimPeer {
    std::string name;
    double bytesPerSecond;
    std::chrono::microseconds latency = 1ms;
    std::uint64_t dropAfterBytes = 0; // 0: never drops
};

struct SimResult {
    SteadyTime end;
    std::map<std::string, std::uint32_t> supplied;
    std::uint32_t duplicates = 0;
    std::vector<std::string> cancelled; // peers whose duplicate lost
};

// Each peer asks for work when idle; a chunk arrives in four parts after the
// peer's latency, at its speed. A peer past dropAfterBytes fails its chunk.
SimResult simulate(RangePlan& plan, const std::vector<SimPeer>& peers, std::uint32_t maxChunks = 1)
{
    struct Event {
        std::size_t peer;
        std::uint32_t chunk;
        std::uint64_t bytes;
        bool last;
        std::uint64_t generation;
    };
    std::multimap<SteadyTime, Event> events;
    std::vector<std::uint64_t> generation(peers.size(), 0), received(peers.size(), 0);
    std::vector<bool> busy(peers.size(), false);
    SimResult result;
    SteadyTime now = t0;

    auto ask = [&](std::size_t p) {
        if (busy[p])
            return;
        auto a = plan.next(peers[p].name, now, maxChunks);
        if (!a)
            return;
        busy[p] = true;
        result.duplicates += a->duplicate ? 1 : 0;
        SteadyTime at = now + peers[p].latency;
        for (std::uint32_t c = a->first; c < a->first + a->count; ++c) {
            const std::uint64_t len = plan.layout().length(c);
            for (int part = 1; part <= 4; ++part) {
                const auto dt = std::chrono::duration<double>(double(len) / 4 / peers[p].bytesPerSecond);
                at += std::chrono::duration_cast<std::chrono::nanoseconds>(dt);
                events.emplace(at, Event{p, c, len / 4 + (part == 4 ? len % 4 : 0), part == 4, generation[p]});
            }
        }
    };
    for (std::size_t p = 0; p < peers.size(); ++p)
        ask(p);
    while (!events.empty() && !plan.complete()) {
        auto node = events.extract(events.begin());
        now = node.key();
        const Event e = node.mapped();
        if (e.generation != generation[e.peer])
            continue; // cancelled
        const SimPeer& peer = peers[e.peer];
        if (peer.dropAfterBytes && received[e.peer] + e.bytes > peer.dropAfterBytes) {
            plan.failed(peer.name, e.chunk, ChunkFailure::Dropped, "connection reset");
            ++generation[e.peer];
            busy[e.peer] = false;
        } else {
            received[e.peer] += e.bytes;
            plan.received(peer.name, e.chunk, e.bytes, now);
            if (e.last) {
                for (const auto& loser : plan.completed(peer.name, e.chunk, now)) {
                    result.cancelled.push_back(loser);
                    for (std::size_t q = 0; q < peers.size(); ++q)
                        if (peers[q].name == loser) {
                            ++generation[q];
                            busy[q] = false;
                            plan.failed(loser, e.chunk, ChunkFailure::Cancelled);
                        }
                }
                bool holdsMore = false;
                for (const auto& [t, ev] : events)
                    holdsMore |= ev.peer == e.peer && ev.generation == generation[e.peer];
                busy[e.peer] = holdsMore;
            }
        }
        for (std::size_t p = 0; p < peers.size(); ++p)
            ask(p);
    }
    result.end = now;
    for (const auto& s : plan.peers())
        result.supplied[s.peer] = s.chunksSupplied;
    return result;
}

RangePlan planFor(std::uint32_t chunks, std::uint64_t chunkSize, std::vector<std::string> peers,
                  PlanOptions options = {})
{
    RangePlan plan(ChunkLayout{chunks * chunkSize, chunkSize}, {}, options);
    for (const auto& p : peers)
        plan.addPeer(p);
    return plan;
}

double secondsSince(SteadyTime t) { return std::chrono::duration<double>(t - t0).count(); }

} // namespace

class TstRangePlan : public QObject {
    Q_OBJECT

private slots:
    void singlePeerInOrder()
    {
        auto plan = planFor(5, 4096, {"a"});
        for (std::uint32_t i = 0; i < 5; ++i) {
            auto a = plan.next("a", t0);
            QVERIFY(a);
            QCOMPARE(a->first, i);
            QCOMPARE(a->offset, i * 4096ull);
            QCOMPARE(a->length, 4096ull);
            QVERIFY(!plan.next("b", t0)); // not a peer of this download
            plan.received("a", i, 4096, t0 + 10ms * (i + 1));
            QVERIFY(plan.completed("a", i, t0 + 10ms * (i + 1)).empty());
        }
        QVERIFY(plan.complete());
        QVERIFY(!plan.next("a", t0 + 1s));
        QCOMPARE(*plan.supplier(3), std::string("a"));
    }

    void fasterPeersGetMoreChunks()
    {
        auto plan = planFor(140, 1 << 20, {"slow", "medium", "fast"});
        const auto r = simulate(plan, {{"slow", 1e6}, {"medium", 2e6}, {"fast", 4e6}});
        QVERIFY(plan.complete());
        const auto s = r.supplied.at("slow"), m = r.supplied.at("medium"), f = r.supplied.at("fast");
        qInfo("chunks supplied: slow %u, medium %u, fast %u; finished after %.1f s (the fast peer alone: %.1f s)",
              s, m, f, secondsSince(r.end), 140 * 1.048576 / 4);
        QCOMPARE(s + m + f, 140u);
        QVERIFY(s > 0 && s < m && m < f);
        QVERIFY(f >= 3 * s); // 4x the speed: about 4x the chunks
        QVERIFY(secondsSince(r.end) < 140 * 1.048576 / 4 * 0.7);
        // Measured rates order the same way.
        std::map<std::string, double> rate;
        for (const auto& p : plan.peers())
            rate[p.peer] = p.chunkRate.value_or(0);
        QVERIFY(rate["slow"] < rate["medium"] && rate["medium"] < rate["fast"]);
        QVERIFY(qAbs(rate["fast"] / 4e6 - 1) < 0.05);
    }

    void peerFailureMidChunk()
    {
        auto plan = planFor(4, 4096, {"a", "b"});
        auto a = plan.next("a", t0);
        auto b = plan.next("b", t0);
        QCOMPARE(a->first, 0u);
        QCOMPARE(b->first, 1u);
        plan.received("b", 1, 2048, t0 + 5ms);
        plan.failed("b", 1, ChunkFailure::Dropped, "connection reset");
        QVERIFY(plan.holders(1).empty());
        QCOMPARE(plan.unassignedCount(), 3u);         // chunk 1 is back in the pool
        QVERIFY(!plan.next("b", t0 + 6ms));            // b is not asked again
        plan.received("a", 0, 4096, t0 + 10ms);
        plan.completed("a", 0, t0 + 10ms);
        QCOMPARE(plan.next("a", t0 + 10ms)->first, 1u); // a takes chunk 1 over from its start
        const auto stats = plan.peers();
        QCOMPARE(stats[1].state, PeerState::Dropped);
        QCOMPARE(stats[1].problem, std::string("connection reset"));
        QCOMPARE(stats[1].bytesReceived, 2048u);
        QVERIFY(!plan.exhausted());
        plan.failed("a", 1, ChunkFailure::Dropped, "timed out");
        QVERIFY(plan.exhausted());
        QCOMPARE(QString::fromStdString(plan.exhaustedReason()),
                 QString("no usable peer left: a timed out; b connection reset"));
    }

    void peerDropsDuringSimulation()
    {
        auto plan = planFor(40, 1 << 20, {"a", "flaky", "c"});
        const auto r = simulate(plan, {{"a", 2e6}, {"flaky", 2e6, 1ms, (11ull << 19)}, {"c", 2e6}});
        QVERIFY(plan.complete());
        QCOMPARE(r.supplied.at("flaky"), 5u); // its sixth chunk died half-way
        QCOMPARE(r.supplied.at("a") + r.supplied.at("c"), 35u);
        QCOMPARE(plan.peers()[1].state, PeerState::Dropped);
    }

    void endGameDuplicatesTheSlowPeersChunk()
    {
        auto withEndGame = planFor(12, 1 << 20, {"fast", "slow"});
        auto without = planFor(12, 1 << 20, {"fast", "slow"}, PlanOptions{false});
        const std::vector<SimPeer> peers = {{"fast", 10e6}, {"slow", 0.5e6}};
        const auto r1 = simulate(withEndGame, peers);
        const auto r2 = simulate(without, peers);
        QVERIFY(withEndGame.complete() && without.complete());
        QVERIFY(r1.duplicates >= 1);
        QCOMPARE(r1.cancelled, std::vector<std::string>{"slow"});
        QCOMPARE(r2.duplicates, 0u);
        qInfo("finished after %.2f s with the end-game, %.2f s without", secondsSince(r1.end), secondsSince(r2.end));
        QVERIFY(secondsSince(r1.end) < secondsSince(r2.end) * 0.75);
    }

    void noDuplicateForASlowerOrUnmeasuredPeer()
    {
        auto plan = planFor(3, 4096, {"a", "b"});
        plan.next("a", t0);
        plan.received("a", 0, 4096, t0 + 4ms);
        plan.completed("a", 0, t0 + 4ms);             // a: ~1 MB/s
        plan.next("a", t0 + 4ms);                      // a holds chunk 1
        QCOMPARE(plan.next("b", t0 + 4ms)->first, 2u); // b holds chunk 2
        plan.received("b", 2, 4096, t0 + 100ms);
        plan.completed("b", 2, t0 + 100ms);             // b: ~41 KB/s, slower
        QVERIFY(!plan.next("b", t0 + 100ms));           // would not beat a on chunk 1
        auto fresh = planFor(2, 4096, {"a", "new"});
        fresh.next("a", t0);
        QVERIFY(fresh.next("new", t0));                  // chunk 1
        fresh.received("new", 1, 4096, t0 + 1ms);
        fresh.completed("new", 1, t0 + 1ms);
        QVERIFY(fresh.next("new", t0 + 1ms));            // measured now, and a has shown nothing
        auto unmeasured = planFor(1, 4096, {"a", "b"});
        unmeasured.next("a", t0);
        QVERIFY(!unmeasured.next("b", t0 + 1s));         // b never finished a chunk
    }

    void rangesOfSeveralChunks()
    {
        auto plan = planFor(16, 4096, {"a", "b"});
        auto a = plan.next("a", t0, 4);
        QCOMPARE(a->first, 0u);
        QCOMPARE(a->count, 4u);
        QCOMPARE(a->length, 4 * 4096ull);
        auto b = plan.next("b", t0, 100);
        QCOMPARE(b->first, 4u);
        QCOMPARE(b->count, 6u); // an equal share of the 12 left
        plan.received("a", 0, 4096, t0 + 1ms);
        plan.completed("a", 0, t0 + 1ms);
        plan.failed("a", 1, ChunkFailure::Dropped);
        QCOMPARE(plan.unassignedCount(), 6u + 3u); // the rest of a's range went back
        QCOMPARE(plan.next("b", t0 + 2ms, 1)->first, 1u); // b may pipeline another request
        for (std::uint32_t c : {4u, 5u, 6u, 7u, 8u, 9u, 1u})
            plan.failed("b", c, ChunkFailure::Cancelled); // a pause
        QCOMPARE(plan.unassignedCount(), 15u);
        QCOMPARE(plan.peers()[1].state, PeerState::Usable);
    }

    void resumesFromTheJournalsBitmap()
    {
        std::vector<bool> done(10, false);
        for (int i : {0, 1, 2, 5})
            done[i] = true;
        RangePlan plan(ChunkLayout{10 * 4096, 4096}, done);
        plan.addPeer("a");
        QCOMPARE(plan.chunksDone(), 4u);
        QCOMPARE(plan.next("a", t0)->first, 3u);
        QCOMPARE(plan.next("a", t0)->first, 4u);
        QCOMPARE(plan.next("a", t0)->first, 6u);
        const auto p = plan.progress(t0);
        QCOMPARE(p.chunksReceived, 4u);
        QCOMPARE(p.bytesDownloaded, 4 * 4096ull);
        QCOMPARE(p.percent, 40.0);
    }

    void progressArithmetic()
    {
        auto plan = planFor(10, 4096, {"a", "b"});
        plan.next("a", t0);
        plan.next("b", t0);
        // a delivers chunk 0; b half of chunk 1.
        plan.received("a", 0, 4096, t0);
        plan.completed("a", 0, t0);
        plan.received("b", 1, 2048, t0 + 500ms);
        auto p = plan.progress(t0 + 1s);
        QCOMPARE(p.totalBytes, 40960ull);
        QCOMPARE(p.bytesDownloaded, 4096ull + 2048);
        QCOMPARE(p.chunksReceived, 1u);
        QCOMPARE(p.totalChunks, 10u);
        QCOMPARE(p.percent, 15.0);
        QCOMPARE(p.rate, 6144.0);             // 6144 bytes over the first second
        QCOMPARE(*p.etaSeconds, (40960.0 - 6144) / 6144);
        QCOMPARE(p.peers.size(), std::size_t(2));
        QCOMPARE(p.peers[0].bytes, 4096ull);
        QCOMPARE(p.peers[1].bytes, 2048ull);
        QCOMPARE(plan.progress(t0 + 20s).rate, 0.0); // stalled: the window is empty
        QVERIFY(!plan.progress(t0 + 20s).etaSeconds);

        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(progressEventJson(p))).object();
        QCOMPARE(doc["bytes_downloaded"].toInteger(), 6144);
        QCOMPARE(doc["total_bytes"].toInteger(), 40960);
        QCOMPARE(doc["progress_percent"].toDouble(), 15.0);
        QCOMPARE(doc["transfer_rate_mbps"].toDouble(), 6144 * 8 / 1e6);
        QCOMPARE(doc["chunks_received"].toInt(), 1);
        QCOMPARE(doc["total_chunks"].toInt(), 10);
        QVERIFY(doc["eta_seconds"].isDouble());
        QCOMPARE(doc["peers"].toArray()[1].toObject()["node_id"].toString(), QString("b"));
    }

    void rateMeterIsASlidingAverage()
    {
        RateMeter m;
        for (int i = 0; i < 100; ++i) // 1000 bytes every 10 ms for 1 s
            m.add(1000, t0 + 10ms * i);
        QCOMPARE(m.rate(t0 + 1s), 100000.0);
        for (int i = 100; i < 1000; ++i) // then 10 s at half the rate
            m.add(500, t0 + 10ms * i);
        QCOMPARE(m.rate(t0 + 10s), 50000.0);
        QCOMPARE(m.rate(t0 + 16s), 0.0);
        QCOMPARE(m.total(), 100 * 1000ull + 900 * 500ull);
    }

    void qualityFeedsTheCatalog()
    {
        MeshCatalog catalog;
        auto plan = planFor(4, 4096, {"good", "bad", "idle"});
        plan.next("good", t0);
        plan.next("bad", t0);
        plan.received("good", 0, 4096, t0 + 3ms);
        plan.completed("good", 0, t0 + 3ms);
        plan.received("bad", 1, 4096, t0 + 8ms);
        plan.failed("bad", 1, ChunkFailure::Mismatch);
        QCOMPARE(plan.peers()[1].state, PeerState::Bad);
        QCOMPARE(plan.peers()[1].problem, std::string("sent wrong bytes (chunk 1)"));
        plan.reportTo(catalog, true);
        QCOMPARE(catalog.quality("good").transfersOk, 1u);
        QCOMPARE(catalog.quality("bad").transfersFailed, 1u);
        QCOMPARE(catalog.quality("idle").transfersOk + catalog.quality("idle").transfersFailed, 0u);
        QCOMPARE(*catalog.quality("good").latencyMs, 3.0);
        QCOMPARE(*catalog.quality("bad").latencyMs, 8.0);

        // A wrong final file with nothing to pin it on: every contributor failed.
        MeshCatalog c2;
        auto solo = planFor(1, 4096, {"only"});
        solo.next("only", t0);
        solo.completed("only", 0, t0 + 1ms);
        solo.reportTo(c2, false);
        QCOMPARE(c2.quality("only").transfersFailed, 1u);
        // ... unless the bad chunks are known.
        solo.blame({0}, "chunk 0 was wrong");
        QCOMPARE(solo.peers()[0].state, PeerState::Bad);
    }

    void mismatchAttributedWithARealJournal()
    {
        // Two peers with per-chunk hashes; "evil" flips a byte in every chunk.
        testutil::Sandbox box;
        std::mt19937 rng(3);
        std::string data(20 * 4096 + 77, '\0');
        for (auto& c : data)
            c = char(rng());
        DownloadTarget t{"shared-model", data.size(), sha256Hex(data), 4096, {}};
        for (std::size_t off = 0; off < data.size(); off += 4096)
            t.chunkHashes.push_back(sha256Hex(std::string_view(data).substr(off, 4096)));
        auto opened = DownloadJournal::open(box.path() / "shared-model.onnx", t, nullptr, CancelToken());
        QVERIFY(opened.ok());
        DownloadJournal& journal = **opened;
        RangePlan plan(journal.layout(), journal.doneChunks());
        plan.addPeer("honest");
        plan.addPeer("evil");
        SteadyTime now = t0;
        std::uint32_t mismatches = 0;
        while (!plan.complete() && !plan.exhausted()) {
            for (const std::string peer : {"evil", "honest"}) {
                auto a = plan.next(peer, now);
                if (!a)
                    continue;
                now += 1ms;
                auto w = journal.beginChunk(a->first);
                std::string bytes = data.substr(a->offset, a->length);
                if (peer == "evil")
                    bytes[0] ^= 1;
                QVERIFY(w->write(bytes.data(), bytes.size()).ok());
                plan.received(peer, a->first, bytes.size(), now);
                auto check = journal.commitChunk(*w);
                QVERIFY(check.ok());
                if (*check == ChunkCheck::Mismatch) {
                    ++mismatches;
                    plan.failed(peer, a->first, ChunkFailure::Mismatch);
                } else {
                    plan.completed(peer, a->first, now);
                }
            }
        }
        QCOMPARE(mismatches, 1u); // caught at the first chunk it sent
        QVERIFY(plan.complete());
        QCOMPARE(plan.peers()[1].state, PeerState::Bad);
        QCOMPARE(plan.peers()[0].chunksSupplied, journal.layout().count());
        auto r = journal.finish(nullptr, CancelToken());
        QVERIFY2(r->verified, r->message.c_str());
        QCOMPARE(testutil::readFile(box.path() / "shared-model.onnx"), data);
    }

    void parsesChunkLists()
    {
        const std::string sha(64, 'a');
        const std::string h(64, 'b');
        const auto list = [&](const std::string& id, std::uint64_t cs, int n, const std::string& whole) {
            std::string chunks;
            for (int i = 0; i < n; ++i)
                chunks += (i ? ",\"" : "\"") + h + "\"";
            return "{\"model_id\":\"" + id + "\",\"chunk_size\":" + std::to_string(cs) + ",\"sha256\":\"" + whole +
                   "\",\"chunks\":[" + chunks + "]}";
        };
        auto ok = parseChunkList(list("m", 4096, 3, sha), "m", 3 * 4096 - 5, std::string(64, 'A'));
        QVERIFY2(ok.ok(), ok.ok() ? "" : ok.message().c_str());
        QCOMPARE(ok->hashes.size(), std::size_t(3));
        QCOMPARE(ok->chunkSize, 4096ull);
        const auto bad = [&](const std::string& json, std::uint64_t size, const char* words) {
            auto r = parseChunkList(json, "m", size, sha);
            QVERIFY(!r.ok());
            QVERIFY2(QString::fromStdString(r.message()).startsWith("m: ") &&
                         QString::fromStdString(r.message()).contains(words),
                     r.message().c_str());
        };
        bad(list("m", 4096, 2, sha), 3 * 4096, "chunks has 2 hashes, expected 3");
        bad(list("other", 4096, 3, sha), 3 * 4096, "for model other");
        bad(list("m", 4096, 3, std::string(64, 'c')), 3 * 4096, "for other bytes");
        bad(list("m", 100, 3, sha), 300, "chunk size 100");
        bad("[1,2]", 10, "not a JSON object");
        bad("{\"model_id\":\"m\",\"sha256\":\"" + sha + "\",\"chunk_size\":4096,\"chunks\":[\"xyz\"]}", 10,
            "chunks[0] is not 64 hex digits");
        QCOMPARE(defaultChunkSize(1ull << 30), 4ull << 20);
        QCOMPARE(defaultChunkSize(8ull << 40), 16ull << 20); // 8 TiB: stays under the chunk limit
    }
};

ATMO_TEST_GUILESS_MAIN(TstRangePlan)
#include "tst_range_plan.moc"
