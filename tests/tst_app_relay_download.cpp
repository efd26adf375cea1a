// MeshDownload with a node of the mesh reached through the relay as a
// source (RelayRangeFetch over core's RelayStream): a real relay process
// (tests/relay/atmo_relay.py) and a node written the way the mesh's Python
// nodes are (tests/relay/mesh_node.py), beside a model bridge over HTTP
// that is not our code either (tests/mesh/bridge_peer.py). Covers: the
// whole file through the relay into the download's 4 MiB journal chunks,
// the sender told model_transfer_complete; HTTP and the relay filling one
// download at once; a pause (the sender told user_cancelled) and a resume
// from the journal; a sender whose start names other bytes; no relay link.
#include <QSignalSpy>
#include <QTest>

#include "app/mesh/MeshDownload.h"
#include "app/relay/RelayClient.h"
#include "core/base/fs_util.h"
#include "core/base/sha256.h"
#include "core/transfer/download_journal.h"
#include "mesh_processes.h"
#include "relay_process.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

constexpr std::uint64_t kChunk = 4ull << 20;                         // the journal's chunk with HTTP peers
constexpr std::uint64_t kRelayChunk = MeshDownload::kRelayJournalChunkSize; // ... with relay nodes only
const QString kStationNode = "5a5a5a5a5a5a5a5a";
const QString kPyNode = "a1b2c3d4e5f60718";

bool runToEnd(MeshDownload& d, int ms = 120000, const std::function<bool()>& pauseWhen = {})
{
    QSignalSpy done(&d, &MeshDownload::finished);
    d.start();
    return waitFor([&] {
        if (pauseWhen && d.state() == MeshDownload::State::Running && pauseWhen()) {
            d.pause();
            return true;
        }
        return !done.isEmpty();
    }, ms);
}

} // namespace

class TestRelayDownload : public QObject {
    Q_OBJECT

    std::unique_ptr<Sandbox> box;
    std::unique_ptr<RelayProcess> relay;
    std::unique_ptr<RelayClient> station;
    fs::path src, dest, file;
    atmo::CatalogEntry entry;

    // The model (`bytes` of it) in src, as models/relay-model.gguf would be.
    void makeModel(std::uint64_t bytes)
    {
        fs::create_directories(src);
        file = src / "relay-model.gguf";
        writeRandomFile(file, bytes, 11);
        entry = entryFor(file, "relay-model");
    }

    // The Python node serving the model (the mesh is open: not registered).
    bool startNode(MeshNodeProcess& node, const QStringList& extra = {})
    {
        const fs::path token = box->path() / "open-token.json";
        writeFile(token, "{}");
        return node.start(relay->meshUrl("m1"), QString::fromStdString(token.string()), kPyNode,
                          QStringList{"serve", QString::fromStdString(file.string()), "relay-model"} + extra);
    }

    bool joinStation()
    {
        station = std::make_unique<RelayClient>();
        RelayClient::Config c;
        c.relayUrl = QUrl(relay->url());
        c.meshId = "m1";
        c.nodeId = kStationNode;
        c.name = "station";
        QString error;
        if (!station->start(c, &error)) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        return waitFor([&] { return station->state() == RelayClient::State::Joined && station->peer(kPyNode); }, 30000);
    }

    static MeshDownloadOptions options()
    {
        MeshDownloadOptions o;
        o.chunksPerRequest = 1;
        return o;
    }

    void verifyLanded(const MeshDownload& d)
    {
        QVERIFY2(d.state() == MeshDownload::State::Finished, qPrintable(d.error()));
        QVERIFY(readFile(dest / "relay-model.gguf") == readFile(file));
        QVERIFY(fs::exists(dest / "relay-model.json"));
        QVERIFY(!fs::exists(atmo::DownloadJournal::journalPath(dest / "relay-model.gguf")));
    }

private slots:
    void init()
    {
        box = std::make_unique<Sandbox>();
        src = box->path() / "src";
        dest = box->path() / "library";
        relay = std::make_unique<RelayProcess>();
        QVERIFY(relay->ok());
    }

    void cleanup()
    {
        station.reset();
        relay.reset();
        box.reset();
    }

    void wholeFileThroughTheRelay()
    {
        makeModel(kChunk + 12345); // five journal chunks of 1 MiB, the last one short
        MeshNodeProcess node;
        QVERIFY(startNode(node));
        QVERIFY(joinStation());
        MeshDownload d(entry, {DownloadSource::viaRelay(kPyNode)}, dest, options());
        d.setRelay(station.get(), kStationNode);
        QVERIFY(runToEnd(d));
        verifyLanded(d);
        // One transfer, extended chunk after chunk, and answered as the mesh's receivers do.
        QVERIFY2(node.waitLine("COMPLETE verified"), node.out.constData());
        QVERIFY(!node.out.contains("CANCELLED"));
        QCOMPARE(d.openReport().kind, atmo::JournalOpenReport::Fresh);
        QCOMPARE(d.progress().totalChunks, 5u);
    }

    void httpAndRelayAtOnce()
    {
        makeModel(4 * kChunk + 99);
        MeshNodeProcess node;
        QVERIFY(startNode(node));
        QVERIFY(joinStation());
        BridgeProcess bridge(src);
        QVERIFY(bridge.ok());
        MeshDownloadOptions o = options();
        o.endGame = false; // no duplicate may take the relay's chunk away: both must supply
        MeshDownload d(entry, {{bridge.url(), {}}, DownloadSource::viaRelay(kPyNode)}, dest, o);
        d.setRelay(station.get(), kStationNode);
        QVERIFY(runToEnd(d));
        verifyLanded(d);
        std::map<std::string, std::uint32_t> supplied;
        for (const auto& p : d.peerStats())
            supplied[p.peer] = p.chunksSupplied;
        QVERIFY(supplied[bridge.url().toStdString()] >= 1);
        QVERIFY(supplied["relay:" + kPyNode.toStdString()] >= 1);
        QCOMPARE(supplied[bridge.url().toStdString()] + supplied["relay:" + kPyNode.toStdString()], 5u);
    }

    void pausedThenResumedFromTheJournal()
    {
        makeModel(3 * kRelayChunk);
        MeshNodeProcess node;
        QVERIFY(startNode(node));
        QVERIFY(joinStation());
        {
            MeshDownload d(entry, {DownloadSource::viaRelay(kPyNode)}, dest, options());
            d.setRelay(station.get(), kStationNode);
            QVERIFY(runToEnd(d, 120000, [&] { return d.progress().chunksReceived >= 1; }));
            QCOMPARE(d.state(), MeshDownload::State::Paused);
            // The sender is told at once, not left to its resends.
            QVERIFY2(node.waitLine("CANCELLED user_cancelled"), node.out.constData());
        }
        MeshDownload again(entry, {DownloadSource::viaRelay(kPyNode)}, dest, options());
        again.setRelay(station.get(), kStationNode);
        QVERIFY(runToEnd(again));
        verifyLanded(again);
        QCOMPARE(again.openReport().kind, atmo::JournalOpenReport::Resumed);
        QVERIFY2(again.bytesReceived() <= 2 * kRelayChunk, qPrintable(QString::number(again.bytesReceived())));
    }

    void senderWithOtherBytesIsRefused()
    {
        makeModel(kChunk + 1);
        MeshNodeProcess node;
        QVERIFY(startNode(node, {"--fault", "wrong-sha"}));
        QVERIFY(joinStation());
        MeshDownload d(entry, {DownloadSource::viaRelay(kPyNode)}, dest, options());
        d.setRelay(station.get(), kStationNode);
        QSignalSpy problems(&d, &MeshDownload::peerProblem);
        QVERIFY(runToEnd(d));
        QCOMPARE(d.state(), MeshDownload::State::Failed);
        QVERIFY2(d.error().contains("relay:" + kPyNode), qPrintable(d.error()));
        QVERIFY(!problems.isEmpty());
        QVERIFY2(problems.first().at(1).toString().contains("not the catalog's"),
                 qPrintable(problems.first().at(1).toString()));
        QVERIFY2(node.waitLine("CANCELLED hash_mismatch"), node.out.constData());
        QVERIFY(!fs::exists(dest / "relay-model.gguf"));
    }

    void noRelayLinkSaysSo()
    {
        makeModel(1000);
        MeshDownload d(entry, {DownloadSource::viaRelay(kPyNode)}, dest, options());
        QVERIFY(runToEnd(d, 20000));
        QCOMPARE(d.state(), MeshDownload::State::Failed);
        QVERIFY2(d.error().contains("not joined to the mesh's relay"), qPrintable(d.error()));
    }
};

ATMO_TEST_GUILESS_MAIN(TestRelayDownload)
#include "tst_app_relay_download.moc"
