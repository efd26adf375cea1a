// DownloadRounds, the bookkeeping behind MeshDownload's retries after a
// whole-file hash mismatch: who is convicted, who fetches next, and that the
// rounds end. Plain logic, so every case is exact; the end-to-end runs over
// real HTTP are in tst_app_model_download.
#include <QTest>

#include "app/mesh/DownloadRounds.h"
#include "test_main.h"

namespace {

constexpr std::uint64_t kChunk = 4u << 20;
const QString A = "http://a:1", B = "http://b:1", C = "http://c:1";

// One origin per chunk: "peer:fingerprint" or "peer" (no fingerprint).
std::vector<ChunkOrigin> chunks(const QStringList& spec)
{
    std::vector<ChunkOrigin> out;
    for (const QString& s : spec) {
        const QStringList parts = s.split('#');
        out.push_back({parts.at(0), parts.size() > 1 ? parts.at(1).toStdString() : std::string()});
    }
    return out;
}

QStringList names(const std::vector<QString>& peers)
{
    QStringList out;
    for (const auto& p : peers)
        out << p;
    return out;
}

QStringList convictedOf(const std::vector<DownloadRounds::Conviction>& cs)
{
    QStringList out;
    for (const auto& c : cs)
        out << c.peer;
    return out;
}

} // namespace

class TestDownloadRounds : public QObject {
    Q_OBJECT
private slots:
    void oneSupplierIsConvictedAndTheOthersGoOn()
    {
        DownloadRounds r({A, B, C});
        QCOMPARE(names(r.roundPeers()), (QStringList{A, B, C}));
        const auto cs = r.failed(chunks({B, B, B}), kChunk);
        QCOMPARE(convictedOf(cs), QStringList{B});
        QVERIFY(cs.front().why.startsWith("sent bytes that do not match the catalog's SHA-256"));
        QVERIFY(!r.singlePeerRound());
        QCOMPARE(names(r.roundPeers()), (QStringList{A, C}));
        QVERIFY(r.afterMismatch());
    }

    void severalSuppliersGoOneAtATimeAndFingerprintsConvict()
    {
        DownloadRounds r({A, B, C});
        QVERIFY(r.failed(chunks({"http://a:1#1", "http://b:1#x", "http://c:1#3"}), kChunk).empty());
        QVERIFY(r.singlePeerRound());
        QCOMPARE(names(r.roundPeers()), QStringList{A});
        const auto cs = r.verified(chunks({"http://a:1#1", "http://a:1#2", "http://a:1#3"}), kChunk);
        QCOMPARE(convictedOf(cs), QStringList{B});
        QVERIFY2(cs.front().why.endsWith("(chunk 1)"), qPrintable(cs.front().why));
        QVERIFY(r.suspects().empty());
    }

    void fingerprintsOfAnotherChunkSizeAreNotCompared()
    {
        DownloadRounds r({A, B, C});
        r.failed(chunks({"http://a:1#1", "http://b:1#x", "http://c:1#3"}), kChunk);
        QVERIFY(r.verified(chunks({"http://a:1#1", "http://a:1#2"}), 2 * kChunk).empty());
        QCOMPARE(names(r.suspects()), (QStringList{B, C}));
    }

    void withoutFingerprintsTheOnlyOtherSupplierIsConvicted()
    {
        DownloadRounds r({A, B});
        QVERIFY(r.failed(chunks({A, B, A}), kChunk).empty());
        QCOMPARE(names(r.roundPeers()), QStringList{A});
        const auto cs = r.verified(chunks({A, A, A}), kChunk);
        QCOMPARE(convictedOf(cs), QStringList{B});
    }

    void withoutFingerprintsTwoOthersStaySuspects()
    {
        DownloadRounds r({A, B, C});
        r.failed(chunks({A, B, C}), kChunk);
        QVERIFY(r.verified(chunks({A, A, A}), kChunk).empty()); // nobody innocent is ranked down
        QCOMPARE(names(r.suspects()), (QStringList{B, C}));
        QVERIFY(r.convicted().empty());
    }

    void aConvictedPeerExplainsItsRound()
    {
        DownloadRounds r({A, B, C});
        r.failed(chunks({A, B, C}), kChunk);          // ambiguous: A alone next
        QCOMPARE(convictedOf(r.failed(chunks({A, A, A}), kChunk)), QStringList{A});
        QCOMPARE(names(r.roundPeers()), QStringList{B});
        QVERIFY(r.verified(chunks({B, B, B}), kChunk).empty()); // A explains round one; C is not blamed
        QVERIFY(r.suspects().empty());
    }

    void everyPeerTriesAloneOnceThenNobodyIsLeft()
    {
        DownloadRounds r({A, B});
        r.failed(chunks({A, B}), kChunk);
        QCOMPARE(convictedOf(r.failed(chunks({A, A}), kChunk)), QStringList{A});
        QCOMPARE(names(r.roundPeers()), QStringList{B});
        QCOMPARE(convictedOf(r.failed(chunks({B, B}), kChunk)), QStringList{B});
        QVERIFY(r.roundPeers().empty());
        QCOMPARE(names(r.convicted()), (QStringList{A, B}));
    }

    void unknownOriginsAreNeverConvicted()
    {
        // Chunks kept from an earlier session, then one peer: either may be wrong.
        DownloadRounds r({A});
        QVERIFY(r.failed(chunks({"", "", A}), kChunk).empty());
        QCOMPARE(names(r.roundPeers()), QStringList{A});
        QVERIFY(r.verified(chunks({A, A, A}), kChunk).empty());
        QVERIFY(r.convicted().empty());
        QVERIFY(r.suspects().empty());
    }

    void aDroppedPeerHandsOverToTheNext()
    {
        DownloadRounds r({A, B, C});
        r.exclude(C);
        r.failed(chunks({A, B}), kChunk);
        QCOMPARE(names(r.roundPeers()), QStringList{A});
        r.exclude(A); // A stopped answering in its own round
        QVERIFY(r.nextSinglePeer());
        QCOMPARE(names(r.roundPeers()), QStringList{B});
        r.exclude(B);
        QVERIFY(!r.nextSinglePeer());
        QVERIFY(r.roundPeers().empty());
    }

    void mixedRoundsEndToo()
    {
        DownloadRounds r({A, B, C});
        QVERIFY(!r.nextSinglePeer()); // no single-peer round in mixed mode
        int rounds = 0;
        while (!r.roundPeers().empty() && rounds < 10) {
            const QString only = r.roundPeers().front();
            r.failed(chunks({only, only}), kChunk);
            ++rounds;
        }
        QCOMPARE(rounds, 3);
    }
};

ATMO_TEST_GUILESS_MAIN(TestDownloadRounds)
#include "tst_app_mesh_download_rounds.moc"
