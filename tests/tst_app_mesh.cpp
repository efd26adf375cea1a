// The mesh's app layer: the merged-catalog model applies each new merge as
// row removals, insertions and change spans (never a reset); the filter proxy
// asks the core's filter; PeerDirectory talks real HTTP to model bridges that
// are not this project's code (tests/mesh/bridge_peer.py on loopback), merges
// what they offer, reports dead and malformed peers, and learns about peers.
#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

#include "app/ModelRoles.h"
#include "app/mesh/CatalogFilterModel.h"
#include "app/mesh/MeshCatalogModel.h"
#include "app/mesh/MeshNode.h"
#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerListModel.h"
#include "app/mesh/PeerServer.h"
#include "core/mesh/model_library.h"
#include "core/mesh/remembered_peers.h"
#include "core/base/sha256.h"
#include "mesh_processes.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

atmo::MergedEntry merged(const std::string& id, const std::string& type = "llm", std::vector<std::string> peers = {"a"})
{
    atmo::MergedEntry m;
    m.entry.modelId = id;
    m.entry.name = id;
    m.entry.type = type;
    m.entry.format = type == "llm" ? "gguf" : "onnx";
    m.entry.sizeBytes = 1000;
    m.entry.sha256 = std::string(64, 'a');
    m.entry.version = "1";
    m.entry.capabilities = {type == "llm" ? "chat" : "detection"};
    m.peers = std::move(peers);
    return m;
}


bool waitIdle(PeerDirectory& d, int ms = 20000)
{
    return waitFor([&] { return !d.busy(); }, ms);
}

} // namespace

class TestAppMesh : public QObject {
    Q_OBJECT
private slots:
    // What a catalog tells other nodes of this station's HTTP endpoint: the
    // address when bound to one, nothing when bound to every address
    // ("0.0.0.0" would send a node to itself).
    void advertisedUrlOnlyForOneAddress()
    {
        PeerServer any;
        QVERIFY(any.configure({true, QHostAddress(QHostAddress::Any), 0}));
        QVERIFY(any.isListening());
        QCOMPARE(any.advertisedUrl(), QString());
        PeerServer one;
        QVERIFY(one.configure({true, QHostAddress(QHostAddress::LocalHost), 0}));
        QCOMPARE(one.advertisedUrl(), one.url());
        PeerServer off;
        QVERIFY(off.configure({.enabled = false}));
        QCOMPARE(off.advertisedUrl(), QString());
    }

    void catalogModelAppliesDifferencesWithoutReset()
    {
        MeshCatalogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        model.setEntries({merged("a"), merged("b"), merged("c"), merged("d")});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(inserted.count(), 1);
        const QPersistentModelIndex c(model.index(2, 0));

        // a goes, b changes (another peer), bb and e arrive, c and d stay.
        model.setEntries({merged("b", "llm", {"a", "z"}), merged("bb"), merged("c"), merged("d"), merged("e")});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(inserted.count(), 3);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0); // b, now first
        QVERIFY(c.isValid());
        QCOMPARE(c.data(MeshCatalogModel::ModelIdRole).toString(), QStringLiteral("c"));
        QCOMPARE(model.index(0, MeshCatalogModel::PeersColumn).data().toString(), QStringLiteral("2"));
        QCOMPARE(model.rowOf("e"), 4);
        QCOMPARE(model.rowOf("a"), -1);

        // The same merge again changes nothing.
        inserted.clear();
        removed.clear();
        changed.clear();
        model.setEntries({merged("b", "llm", {"a", "z"}), merged("bb"), merged("c"), merged("d"), merged("e")});
        QCOMPARE(inserted.count() + removed.count() + changed.count(), 0);

        model.setEntries({});
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!c.isValid());
        QCOMPARE(reset.count(), 0);
    }

    void catalogModelSortsByRawValuesAndListsChoices()
    {
        MeshCatalogModel model;
        auto big = merged("big");
        big.entry.sizeBytes = 5'000'000'000ull;
        auto small = merged("small", "vision");
        small.entry.sizeBytes = 900;
        model.setEntries({big, small});
        QCOMPARE(model.index(0, MeshCatalogModel::SizeColumn).data(ModelRole::Sort).toULongLong(), 5'000'000'000ull);
        QCOMPARE(model.types(), (QStringList{"llm", "vision"}));
        QCOMPARE(model.formats(), (QStringList{"gguf", "onnx"}));
        QCOMPARE(model.capabilities(), (QStringList{"chat", "detection"}));

        CatalogFilterModel proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(MeshCatalogModel::SizeColumn, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, 0).data(MeshCatalogModel::ModelIdRole).toString(), QStringLiteral("small"));
    }

    void filterProxyAsksTheCoreFilter()
    {
        MeshCatalogModel model;
        std::vector<atmo::MergedEntry> entries;
        for (int i = 0; i < 300; ++i)
            entries.push_back(merged("model-" + std::to_string(1000 + i), i % 3 ? "llm" : "vision"));
        entries[7].entry.name = "TinyYOLO defects";
        model.setEntries(entries);
        CatalogFilterModel proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        QCOMPARE(proxy.rowCount(), 300);

        atmo::CatalogFilter f;
        f.type = "vision";
        proxy.setFilter(f);
        QCOMPARE(proxy.rowCount(), 100);
        f = {};
        f.search = "yolo";
        proxy.setFilter(f);
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(MeshCatalogModel::ModelIdRole).toString(), QStringLiteral("model-1007"));
        f.type = "vision"; // model-1007 is an llm (7 % 3 != 0)
        proxy.setFilter(f);
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setFilter({});
        QCOMPARE(proxy.rowCount(), 300);
    }

    void directoryMergesTwoBridges()
    {
        Sandbox box;
        fs::create_directories(box / "a");
        fs::create_directories(box / "b");
        writeRandomFile(box / "a" / "shared-llm.gguf", 200 * 1024, 1);
        fs::copy_file(box / "a" / "shared-llm.gguf", box / "b" / "shared-llm.gguf");
        writeRandomFile(box / "a" / "only-a.onnx", 50 * 1024, 2);
        writeRandomFile(box / "b" / "only-b.tflite", 60 * 1024, 3);
        writeRandomFile(box / "b" / "clash.onnx", 10 * 1024, 4); // same id, different bytes
        writeRandomFile(box / "a" / "clash.onnx", 10 * 1024, 5);
        BridgeProcess a(box / "a"), b(box / "b");
        QVERIFY(a.port() > 0 && b.port() > 0);

        PeerDirectory directory;
        PeerListModel peers(&directory);
        QAbstractItemModelTester tester(&peers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(directory.addPeer(a.url(), atmo::PeerOrigin::Manual));
        QVERIFY(directory.addPeer(b.url() + "/", atmo::PeerOrigin::Manual)); // a trailing slash is the same peer
        QVERIFY(directory.addPeer(b.url(), atmo::PeerOrigin::Manual));
        QCOMPARE(peers.rowCount(), 2);
        QVERIFY(waitIdle(directory));

        for (int row = 0; row < 2; ++row) {
            const PeerState& p = directory.peer(row);
            QVERIFY2(p.reachable && p.fetched, qPrintable(p.error));
            QCOMPARE(p.models, 3);
            QVERIFY(p.latencyMs.has_value());
            QCOMPARE(peers.index(row, PeerListModel::ModelsColumn).data().toString(), QStringLiteral("3"));
        }
        const auto all = directory.merged();
        QCOMPARE(all.size(), std::size_t(4)); // clash, only-a, only-b, shared-llm
        const auto find = [&](const std::string& id) {
            for (const auto& m : all)
                if (m.entry.modelId == id)
                    return m;
            return atmo::MergedEntry{};
        };
        QCOMPARE(find("shared-llm").peers.size(), std::size_t(2));
        QCOMPARE(find("shared-llm").entry.sha256, atmo::sha256FileHex(box / "a" / "shared-llm.gguf", {}).value());
        QCOMPARE(find("shared-llm").entry.type, std::string("llm"));
        QCOMPARE(find("only-b").peers.size(), std::size_t(1));
        // Two peers, two different files under one id: one counts, the other conflicts.
        QCOMPARE(find("clash").peers.size() + find("clash").conflicting.size(), std::size_t(2));
        QCOMPARE(find("clash").conflicting.size(), std::size_t(1));

        // A peer said goodbye: what only it offered goes with it.
        directory.removePeer(b.url());
        QCOMPARE(peers.rowCount(), 1);
        QCOMPARE(directory.merged().size(), std::size_t(3));
    }

    // A remembered peer seen on mDNS goes by its instance name; its mDNS
    // goodbye makes it a remembered peer again instead of removing it. A
    // station serving (MeshNode) remembers the peers that answered it.
    void rememberedPeersInTheDirectory()
    {
        Sandbox box;
        fs::create_directories(box / "a");
        writeRandomFile(box / "a" / "kept.gguf", 20 * 1024, 7);
        BridgeProcess a(box / "a"), b(box / "a");
        QVERIFY(a.port() > 0 && b.port() > 0);

        PeerDirectory directory;
        QVERIFY(directory.addPeer(a.url(), atmo::PeerOrigin::Remembered, "gateway-01", "node-a"));
        QCOMPARE(directory.peer(0).nodeName, QString("gateway-01"));
        QVERIFY(directory.peer(0).remembered);
        QVERIFY(directory.addPeer(a.url(), atmo::PeerOrigin::Mdns, "gateway-01 #2", "node-a"));
        QVERIFY(directory.addPeer(b.url(), atmo::PeerOrigin::Mdns, "only-mdns", "node-b"));
        QCOMPARE(directory.peerCount(), 2);
        QCOMPARE(directory.peer(0).origin, atmo::PeerOrigin::Mdns);
        QCOMPARE(directory.peer(0).name, QString("gateway-01 #2"));
        QVERIFY(waitIdle(directory));
        directory.mdnsPeerLost("gateway-01 #2");
        directory.mdnsPeerLost("only-mdns");
        QCOMPARE(directory.peerCount(), 1);
        QCOMPARE(directory.peer(0).endpoint, a.url());
        QCOMPARE(directory.peer(0).origin, atmo::PeerOrigin::Remembered);

        PeerServer server;
        QVERIFY(server.configure({.enabled = false}));
        PeerDirectory served;
        MeshNode node(server, served);
        const fs::path file = box / "home" / "peers.json";
        node.setRememberedPeersFile(QString::fromStdString(file.string()));
        QVERIFY(node.start({"own-node", "own", "atmosphere"}, false));
        QVERIFY(served.addPeer(b.url(), atmo::PeerOrigin::Manual));
        QVERIFY2(waitFor([&] { return fs::exists(file); }, 60000), "nothing remembered");
        atmo::RememberedPeers store(file);
        store.load();
        QCOMPARE(store.peers().size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(store.peers()[0].endpoint), b.url());
        QVERIFY(store.peers()[0].lastReachableMs > 0);
    }

    void directoryReportsDeadAndBadPeers()
    {
        // A port nobody listens on, and an HTTP server that is not a peer.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 deadPort = probe.serverPort();
        probe.close();
        Sandbox box;
        writeFile(box / "index.html", "<html>not a peer</html>");
        QProcess notPeer;
        notPeer.start("/usr/bin/python3", {"-c",
                                          "import http.server,socketserver,sys,os\n"
                                          "os.chdir(sys.argv[1])\n"
                                          "s=socketserver.TCPServer(('127.0.0.1',0),http.server.SimpleHTTPRequestHandler)\n"
                                          "print('PORT %d' % s.server_address[1],flush=True)\ns.serve_forever()\n",
                                          QString::fromStdString(box.path().string())});
        QVERIFY(waitFor([&] { return notPeer.canReadLine() || (notPeer.waitForReadyRead(100) && notPeer.canReadLine()); },
                        20000));
        const QByteArray portLine = notPeer.readLine().trimmed();
        const int notPeerPort = portLine.mid(5).toInt();
        QVERIFY2(notPeerPort > 0, portLine.constData());
        writeFile(box / "health", "{}");

        PeerDirectory directory;
        directory.setRequestTimeoutMs(3000);
        QString error;
        QVERIFY(!directory.addPeer("ftp://example:21", atmo::PeerOrigin::Manual, {}, {}, &error));
        QVERIFY2(error.contains("ftp://example:21") && error.contains("http://host:port"), qPrintable(error));
        QVERIFY(!directory.addPeer("http://host:1/path", atmo::PeerOrigin::Manual, {}, {}, &error));
        QCOMPARE(directory.peerCount(), 0);

        QVERIFY2(directory.addPeer(QStringLiteral("http://127.0.0.1:%1").arg(deadPort), atmo::PeerOrigin::Manual, {},
                                   {}, &error), qPrintable(error));
        QVERIFY2(directory.addPeer(QStringLiteral("http://127.0.0.1:%1").arg(notPeerPort), atmo::PeerOrigin::Manual,
                                   {}, {}, &error), qPrintable(error));
        QVERIFY(waitIdle(directory));
        const PeerState& dead = directory.peer(0);
        QVERIFY(!dead.reachable && !dead.fetched);
        QVERIFY2(dead.error.contains("refused", Qt::CaseInsensitive), qPrintable(dead.error));
        const PeerState& bad = directory.peer(1);
        QVERIFY(!bad.fetched);
        QVERIFY2(bad.error.contains("/v1/models"), qPrintable(bad.error));
        QVERIFY(directory.merged().empty());
        notPeer.kill();
        notPeer.waitForFinished();
    }

    void directoryLearnsPeersFromStations()
    {
        // Two stations (this project's server, in process); A knows B, and
        // A's /v1/peers also lists us and a hostile address.
        Sandbox box;
        writeRandomFile(box / "a.gguf", 64 * 1024, 11);
        writeRandomFile(box / "b.onnx", 32 * 1024, 12);
        atmo::HashCache cache("");
        auto scanOf = [&](const char* file) {
            fs::create_directories(box / (std::string(file) + ".d"));
            fs::copy_file(box / file, box / (std::string(file) + ".d") / file);
            auto scan = atmo::scanLibrary({{atmo::LibraryRootKind::Folder, box / (std::string(file) + ".d")}}, cache,
                                          nullptr, {});
            return std::move(scan->models);
        };
        PeerServer a, b;
        QVERIFY(a.configure({true, QHostAddress(QHostAddress::LocalHost), 0}));
        QVERIFY(b.configure({true, QHostAddress(QHostAddress::LocalHost), 0}));
        a.setModels(scanOf("a.gguf"));
        b.setModels(scanOf("b.onnx"));
        a.setIdentity({"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "station-a", "atmosphere", {}, 300});
        b.setIdentity({"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "station-b", "atmosphere", {}, 300});
        const QString aUrl = QStringLiteral("http://127.0.0.1:%1").arg(a.port());
        const QString bUrl = QStringLiteral("http://127.0.0.1:%1").arg(b.port());
        a.setPeers({{"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "station-b", bUrl.toStdString(), 1, atmo::PeerOrigin::Mdns},
                    {"0123456789abcdef0123456789abcdef", "me", "http://127.0.0.1:9", 1, atmo::PeerOrigin::Mdns}});

        PeerDirectory directory;
        directory.setOwnNodeId("0123456789abcdef0123456789abcdef");
        PeerListModel peers(&directory);
        QAbstractItemModelTester tester(&peers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(directory.addPeer(aUrl, atmo::PeerOrigin::Manual));
        QVERIFY(waitFor([&] { return directory.peerCount() == 2 && !directory.busy(); }, 20000));
        QCOMPARE(directory.peer(0).name, QStringLiteral("station-a"));
        QCOMPARE(directory.peer(0).nodeId, QStringLiteral("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        QCOMPARE(directory.peer(1).origin, atmo::PeerOrigin::ViaPeer);
        QCOMPARE(directory.peer(1).via, aUrl);
        QCOMPARE(directory.peer(1).name, QStringLiteral("station-b"));
        QVERIFY(directory.peer(1).fetched);
        QCOMPARE(directory.merged().size(), std::size_t(2));
        const auto records = directory.peerRecords();
        QCOMPARE(records.size(), std::size_t(2));

        // B, asked under a second address (localhost), is the same node: not listed twice.
        QVERIFY(directory.addPeer(QStringLiteral("http://localhost:%1").arg(b.port()), atmo::PeerOrigin::Manual));
        QVERIFY(waitFor([&] { return !directory.busy(); }, 20000));
        QCOMPARE(directory.peerCount(), 2);
    }

    void ownNodeAndViaPeerCap()
    {
        PeerDirectory directory;
        directory.setOwnNodeId("0123456789abcdef0123456789abcdef");
        // Ourselves, as another peer or mDNS would report us: ignored.
        QVERIFY(directory.addPeer("http://127.0.0.1:9", atmo::PeerOrigin::ViaPeer, "me",
                                  "0123456789abcdef0123456789abcdef"));
        QCOMPARE(directory.peerCount(), 0);
        directory.setMaxPeers(2);
        for (int i = 0; i < 5; ++i)
            QVERIFY(directory.addPeer(QStringLiteral("http://127.0.0.%1:9").arg(i + 2), atmo::PeerOrigin::ViaPeer));
        QCOMPARE(directory.peerCount(), 2); // hearsay is capped; a manual add is not
        QVERIFY(directory.addPeer("http://127.0.0.99:9", atmo::PeerOrigin::Manual));
        QCOMPARE(directory.peerCount(), 3);
    }

    // An mDNS peer without an address: a row that is never asked anything,
    // replaced by the resolved peer once a retry finds its address, and
    // removed by its goodbye.
    void unresolvedMdnsPeer()
    {
        Sandbox box;
        fs::create_directories(box / "py");
        writeRandomFile(box / "py" / "py-vision.onnx", 16 * 1024, 41);
        BridgeProcess bridge(box / "py");
        QVERIFY(bridge.port() > 0);

        PeerDirectory directory;
        directory.setOwnNodeId("0123456789abcdef0123456789abcdef");
        PeerListModel peers(&directory);
        QAbstractItemModelTester tester(&peers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString why = "mDNS: cannot resolve peer 'atmosphere-py' (Timeout reached)";
        directory.addUnresolved("atmosphere-py", "py-node", why);
        directory.addUnresolved("atmosphere-me", "0123456789abcdef0123456789abcdef", why); // ourselves
        QCOMPARE(directory.peerCount(), 1);
        const PeerState& p = directory.peer(0);
        QVERIFY(!p.resolved && !p.reachable && !p.fetched);
        QCOMPARE(p.endpoint, QString());
        QCOMPARE(p.nodeId, QStringLiteral("py-node"));
        QCOMPARE(p.error, why);
        QVERIFY(!directory.busy());           // nothing to ask
        QVERIFY(directory.peerRecords().empty()); // nor to tell other peers
        QCOMPARE(directory.rowOf(""), -1);
        QCOMPARE(peers.index(0, PeerListModel::StatusColumn).data().toString(),
                 QStringLiteral("Unresolved: no address over mDNS"));
        directory.refreshAll();
        QVERIFY(!directory.busy());
        // Reported again (a later retry failed too): still one row.
        directory.addUnresolved("atmosphere-py", "py-node", why);
        QCOMPARE(directory.peerCount(), 1);

        // A retry resolved it: the row with an address replaces it.
        QVERIFY(directory.addPeer(bridge.url(), atmo::PeerOrigin::Mdns, "atmosphere-py", "py-node"));
        QCOMPARE(directory.peerCount(), 1);
        QVERIFY(directory.peer(0).resolved);
        QVERIFY(waitIdle(directory));
        QVERIFY2(directory.peer(0).fetched, qPrintable(directory.peer(0).error));
        QCOMPARE(directory.merged().size(), std::size_t(1));
        // A later failure to resolve it again does not hide the working row.
        directory.addUnresolved("atmosphere-py", "py-node", why);
        QCOMPARE(directory.peerCount(), 1);
        QVERIFY(directory.peer(0).resolved);

        // Goodbye: resolved or not, the instance's rows go.
        directory.addUnresolved("atmosphere-other", "", why);
        QCOMPARE(directory.peerCount(), 2);
        directory.mdnsPeerLost("atmosphere-py");
        directory.mdnsPeerLost("atmosphere-other");
        QCOMPARE(directory.peerCount(), 0);
        QVERIFY(directory.merged().empty());
    }
};

ATMO_TEST_GUILESS_MAIN(TestAppMesh)
#include "tst_app_mesh.moc"
