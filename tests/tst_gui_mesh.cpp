// The Mesh view, offscreen, against a real model bridge on loopback
// (tests/mesh/bridge_peer.py, not our code): a peer added by address appears
// with its latency and models, the merged catalog fills the table, the
// search box and the filters narrow it through the core's filter, the
// details panel says which peer would be used, and bad input is explained;
// with downloads turned on, the Download button says why it cannot download.
// A peer added by hand is remembered at once, listed again after a restart
// with when it last answered, and Forget removes it for good.
#include <QApplication>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

#include <QTabWidget>
#include <QTreeWidget>

#include "app/mesh/CatalogFilterModel.h"
#include "app/mesh/DownloadManager.h"
#include "app/mesh/PeerPackages.h"
#include "app/mesh/MeshCatalogModel.h"
#include "app/mesh/MeshNode.h"
#include "app/mesh/PeerServer.h"
#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerListModel.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/DownloadsPanel.h"
#include "ui/ElidedLabel.h"
#include "ui/MeshView.h"
#include "ui/PeerPackagesView.h"

using namespace testutil;

namespace {
// A real model bridge (tests/mesh/bridge_peer.py) serving `models`: its port,
// or "" when it did not start.
QString startBridge(QProcess& bridge, const fs::path& models)
{
    bridge.start("/usr/bin/python3", {qEnvironmentVariable("ATMO_SOURCE_DIR") + "/tests/mesh/bridge_peer.py", "--dir",
                                      QString::fromStdString(models.string())});
    if (!waitFor([&] { return bridge.canReadLine() || (bridge.waitForReadyRead(100) && bridge.canReadLine()); }, 20000))
        return {};
    return QString::fromUtf8(bridge.readLine()).trimmed().mid(5);
}
} // namespace

class TestGuiMesh : public QObject {
    Q_OBJECT
private slots:
    void browseABridgesCatalog()
    {
        Sandbox box;
        fs::create_directories(box / "models");
        writeRandomFile(box / "models" / "yolo-defects.onnx", 40 * 1024, 1);
        writeRandomFile(box / "models" / "edge-llama.gguf", 90 * 1024, 2);
        writeRandomFile(box / "models" / "whisper-tiny.tflite", 20 * 1024, 3);
        QProcess bridge;
        const QString port = startBridge(bridge, box / "models");
        QVERIFY(!port.isEmpty());

        PeerDirectory directory;
        MeshView view(directory);
        view.resize(1100, 800);
        view.show();

        // Empty state first: a sentence, not a blank table.
        QVERIFY(!view.catalogTable()->isVisible());

        // Bad address: said plainly, nothing added.
        QString error;
        QVERIFY(!view.addPeer("http://host:1/some/path", &error));
        QVERIFY2(error.contains("http://host:port"), qPrintable(error));
        QCOMPARE(view.peerModel()->rowCount(), 0);

        // "127.0.0.1:PORT" is what people type; the view adds the scheme.
        QVERIFY(view.addPeer("127.0.0.1:" + port, &error));
        QCOMPARE(view.peerModel()->rowCount(), 1);
        QVERIFY(waitFor([&] { return view.catalogModel()->rowCount() == 3; }, 20000));
        QVERIFY(waitFor([&] { return view.catalogTable()->isVisible(); }, 5000));
        QCOMPARE(view.peerModel()->index(0, PeerListModel::ModelsColumn).data().toString(), QStringLiteral("3"));
        QVERIFY(view.peerModel()->index(0, PeerListModel::StatusColumn).data().toString().startsWith("Reachable"));

        // Filters offer what is there.
        QCOMPARE(view.typeFilter()->count(), 3); // all, llm, vision
        QCOMPARE(view.formatFilter()->count(), 4);

        // Search narrows through the core filter; type filter combines with it.
        QTest::keyClicks(view.searchBox(), "yolo");
        QCOMPARE(view.filterModel()->rowCount(), 1);
        view.searchBox()->clear();
        view.typeFilter()->setCurrentIndex(view.typeFilter()->findData("llm"));
        QCOMPARE(view.filterModel()->rowCount(), 1);
        view.typeFilter()->setCurrentIndex(0);
        view.searchBox()->setText("nothing-like-this");
        QCOMPARE(view.filterModel()->rowCount(), 0);
        QVERIFY(!view.catalogTable()->isVisible()); // "No model matches ..." instead
        view.searchBox()->clear();
        QCOMPARE(view.filterModel()->rowCount(), 3);

        // Details: the entry, the hash, and the peer that would be used.
        view.selectModel("edge-llama");
        const QString html = view.details()->toPlainText();
        QVERIFY2(html.contains("edge-llama") && html.contains("gguf") && html.contains("would be used"),
                 qPrintable(html));
        QVERIFY(html.contains("127.0.0.1:" + port));

        // Sorting by size uses the raw value (90 KiB after 40 KiB after 20 KiB).
        view.catalogTable()->sortByColumn(MeshCatalogModel::SizeColumn, Qt::DescendingOrder);
        QCOMPARE(view.catalogTable()->model()->index(0, 0).data(MeshCatalogModel::ModelIdRole).toString(),
                 QStringLiteral("edge-llama"));

        bridge.kill();
        bridge.waitForFinished();
    }

    void peersAddedByHandAreRemembered()
    {
        Sandbox box;
        fs::create_directories(box / "models");
        writeRandomFile(box / "models" / "yolo-defects.onnx", 40 * 1024, 1);
        QProcess bridge;
        const QString port = startBridge(bridge, box / "models");
        QVERIFY(!port.isEmpty());
        const QString endpoint = "http://127.0.0.1:" + port;
        const fs::path file = box / "peers.json";

        // One run of the window's mesh parts: directory, node, view.
        struct Run {
            PeerDirectory directory;
            PeerServer server;
            MeshNode node{server, directory};
            MeshView view{directory};
            explicit Run(const fs::path& file)
            {
                node.setRememberedPeersFile(QString::fromStdString(file.string()));
                view.setPeerMemory([this](const QString& e, QString* why) { return node.rememberByHand(e, why); },
                                   [this](const QString& e, QString* why) { return node.forget(e, why); });
                node.listRememberedPeers();
                view.resize(1100, 700);
                view.show();
            }
            QString cell(int column) const { return view.peerModel()->index(0, column).data().toString(); }
        };
        auto saved = [&] { return readFile(file); };
        auto entries = [&] {
            return QJsonDocument::fromJson(QByteArray::fromStdString(saved()))["peers"].toArray();
        };
        {
            Run run(file);
            QCOMPARE(run.view.peerModel()->rowCount(), 0);
            QVERIFY(run.view.addPeer(endpoint.mid(7))); // "127.0.0.1:PORT", as typed
            // Remembered at once, before it even answered.
            QCOMPARE(entries().size(), 1);
            QCOMPARE(entries()[0].toObject()["endpoint"].toString(), endpoint);
            QVERIFY(entries()[0].toObject()["added_by_hand"].toBool());
            QVERIFY(waitFor([&] { return run.cell(PeerListModel::StatusColumn).startsWith("Reachable"); }, 20000));
            // Its answer is remembered too (batched, a few seconds later).
            QVERIFY(waitFor([&] { return entries()[0].toObject()["last_reachable_ms"].toInteger() > 0; }, 15000));
            QVERIFY(entries()[0].toObject()["added_by_hand"].toBool()); // still
        }
        bridge.kill();
        bridge.waitForFinished();
        {
            // The next start: listed again as added by hand, down now, and
            // when it last answered is shown, not "Never".
            Run run(file);
            QCOMPARE(run.view.peerModel()->rowCount(), 1);
            QCOMPARE(run.cell(PeerListModel::AddressColumn), endpoint);
            QCOMPARE(run.cell(PeerListModel::FoundByColumn), QString("Added by hand"));
            QVERIFY(waitFor([&] { return run.cell(PeerListModel::StatusColumn).startsWith("Unreachable"); }, 20000));
            QVERIFY2(run.cell(PeerListModel::LastSeenColumn) != "Never", qPrintable(run.cell(PeerListModel::LastSeenColumn)));

            // Forget: enabled for that row, and it is gone from the list and the file.
            run.view.peerTable()->setCurrentIndex(QModelIndex());
            QVERIFY(!run.view.forgetButton()->isEnabled());
            run.view.peerTable()->setCurrentIndex(run.view.peerTable()->model()->index(0, 0));
            QVERIFY(run.view.forgetButton()->isEnabled());
            QTest::mouseClick(run.view.forgetButton(), Qt::LeftButton);
            QCOMPARE(run.view.peerModel()->rowCount(), 0);
            QCOMPARE(entries().size(), 0);
            QVERIFY(!run.view.peerError()->isVisible());
        }
        Run again(file);
        QCOMPARE(again.view.peerModel()->rowCount(), 0);
    }

    void downloadButtonSaysWhyNot()
    {
        Sandbox box;
        fs::create_directories(box / "models");
        writeRandomFile(box / "models" / "yolo-defects.onnx", 40 * 1024, 1);
        writeRandomFile(box / "models" / "edge-llama.gguf", 90 * 1024, 2);
        QProcess bridge;
        const QString port = startBridge(bridge, box / "models");
        QVERIFY(!port.isEmpty());

        PeerDirectory directory;
        MeshView view(directory);
        view.resize(1100, 800);
        view.show();
        // A bare view browses only: no Download button, no Packages tab.
        QVERIFY(!view.downloadButton()->isVisible());
        QCOMPARE(view.tabs()->count(), 1);

        DownloadManager downloads(atmo::StationHome((box / "home").string()), &directory);
        PeerPackages packages(&directory);
        view.setDownloads(&downloads, &packages, QString::fromStdString((box / "home" / "downloads").string()));
        QVERIFY(view.downloadButton()->isVisible());
        QCOMPARE(view.tabs()->count(), 2);
        QVERIFY(view.downloadsPanel()->isVisible());
        QVERIFY(view.downloadsPanel()->rows().isEmpty());

        QVERIFY(view.addPeer("127.0.0.1:" + port));
        QVERIFY(waitFor([&] { return view.catalogModel()->rowCount() == 2; }, 20000));
        QVERIFY(!view.downloadButton()->isEnabled());
        QCOMPARE(view.downloadReason()->fullText(), QString("Choose a model to download it."));

        view.selectModel("edge-llama");
        QVERIFY(view.downloadButton()->isEnabled());
        QVERIFY2(view.downloadReason()->fullText().contains("90.0 KiB from") &&
                     view.downloadReason()->fullText().contains("127.0.0.1:" + port),
                 qPrintable(view.downloadReason()->fullText()));

        // A model the library already has: disabled, with where it is.
        view.setLibraryCheck([](const atmo::CatalogEntry& e) {
            return e.modelId == "edge-llama" ? QString("/library/edge-llama.gguf") : QString();
        });
        QVERIFY(!view.downloadButton()->isEnabled());
        QCOMPARE(view.downloadReason()->fullText(), QString("Already in the library: /library/edge-llama.gguf"));
        QVERIFY(view.details()->toPlainText().contains("/library/edge-llama.gguf"));
        view.downloadSelected(); // refused: nothing queued
        QCOMPARE(downloads.count(), 0);
        view.selectModel("yolo-defects");
        QVERIFY(view.downloadButton()->isEnabled());

        // From the keyboard: Tab leaves the tables, Ctrl+F reaches the search
        // box, and Enter there downloads the only match.
        QVERIFY(!view.catalogTable()->tabKeyNavigation());
        QVERIFY(!view.peerTable()->tabKeyNavigation());
        QApplication::setActiveWindow(&view);
        view.catalogTable()->setFocus();
        QTest::keyClick(view.catalogTable(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(view.searchBox()->hasFocus());
        view.catalogTable()->clearSelection();
        view.catalogTable()->setCurrentIndex({});
        QTest::keyClicks(view.searchBox(), "yolo");
        QCOMPARE(view.filterModel()->rowCount(), 1);
        QTest::keyClick(view.searchBox(), Qt::Key_Return);
        QCOMPARE(downloads.count(), 1);
        QCOMPARE(downloads.item(0).key, QString("yolo-defects"));
        view.searchBox()->clear();

        // A model bridge has no /v1/packages: the tab says so, without an error.
        view.tabs()->setCurrentWidget(view.packagesView());
        QVERIFY(waitFor([&] { return !packages.busy(); }, 10000));
        QCOMPARE(view.packagesView()->tree()->topLevelItemCount(), 0);
        QVERIFY(!view.packagesView()->problemsLabel()->isVisible());
        QVERIFY(!view.packagesView()->downloadButton()->isEnabled());
        QVERIFY(!view.packagesView()->installButton()->isEnabled());

        bridge.kill();
        bridge.waitForFinished();
    }
};

ATMO_TEST_MAIN(TestGuiMesh)
#include "tst_gui_mesh.moc"
