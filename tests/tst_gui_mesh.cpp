// The Mesh view, offscreen, against a real model bridge on loopback
// (tests/mesh/bridge_peer.py, not our code): a peer added by address appears
// with its latency and models, the merged catalog fills the table, the
// search box and the filters narrow it through the core's filter, the
// details panel says which peer would be used, and bad input is explained.
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

#include "app/mesh/CatalogFilterModel.h"
#include "app/mesh/MeshCatalogModel.h"
#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerListModel.h"
#include "testutil.h"
#include "ui/MeshView.h"

using namespace testutil;

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
        bridge.start("/usr/bin/python3", {qEnvironmentVariable("ATMO_SOURCE_DIR") + "/tests/mesh/bridge_peer.py",
                                          "--dir", QString::fromStdString((box / "models").string())});
        QVERIFY(waitFor([&] { return bridge.canReadLine() || (bridge.waitForReadyRead(100) && bridge.canReadLine()); },
                        20000));
        const QString port = QString::fromUtf8(bridge.readLine()).trimmed().mid(5);

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
};

QTEST_MAIN(TestGuiMesh)
#include "tst_gui_mesh.moc"
