// Downloads in the window, offscreen, against real HTTP on loopback: a model
// bridge that is not our code (tests/mesh/bridge_peer.py, with its fault
// modes) and, for packages, this project's peer server in-process. Click
// Download on a catalog row, watch the row in the downloads panel finish and
// the file land in the library; pause, resume, cancel and retry; a peer that
// sends wrong bytes ends in a red, selectable error naming that peer; a
// package "Download and install" ends with Import & Verify showing the
// verified package installed; a plain package download offers "Open in
// Import & Verify"; the settings' speed limits.
#include <QDoubleSpinBox>
#include <QLabel>
#include <QListWidget>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTest>
#include <QTreeWidget>

#include "app/StationContext.h"
#include "app/mesh/DownloadManager.h"
#include "app/mesh/MeshCatalogModel.h"
#include "app/mesh/MeshPresence.h"
#include "app/mesh/PeerPackages.h"
#include "app/mesh/PeerServer.h"
#include "core/mesh/model_library.h"
#include "core/package/package_store.h"
#include "core/package/package_writer.h"
#include "core/package/trust_store.h"
#include "mesh_processes.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/DownloadRow.h"
#include "ui/DownloadsPanel.h"
#include "ui/ElidedLabel.h"
#include "ui/ImportVerifyView.h"
#include "ui/MainWindow.h"
#include "ui/MeshView.h"
#include "ui/PeerPackagesView.h"
#include "ui/SettingsDialog.h"

using namespace testutil;

namespace {
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }


// A window on its own station home, on the mesh with the given peers (no
// mDNS, not serving: nothing beyond loopback).
struct Station {
    explicit Station(const fs::path& dir)
        : home(dir / "home"), context(atmo::StationHome(home), q(dir / "settings.ini"))
    {
        fs::create_directories(home);
        context.settings().setInstallRoot(q(dir / "device"));
        window = std::make_unique<MainWindow>(context);
        window->resize(1200, 850);
        window->show();
    }
    void join(const QStringList& peers)
    {
        MeshPresence::Options options;
        options.serve = false;
        options.port = 0;
        options.mdns = false;
        options.peers = peers;
        options.roots = {{atmo::LibraryRootKind::Downloads, (home / "models").string()}};
        window->mesh().start(options);
        window->showView(MainWindow::MeshViewIndex);
    }
    MeshView* mesh() const { return window->meshView(); }
    DownloadsPanel* panel() const { return mesh()->downloadsPanel(); }
    DownloadRow* onlyRow() const { return panel()->rows().size() == 1 ? panel()->rows().front() : nullptr; }

    fs::path home;
    StationContext context;
    std::unique_ptr<MainWindow> window;
};
} // namespace

class TestGuiDownloads : public QObject {
    Q_OBJECT
    Sandbox box_;

    // Two models in a folder a bridge serves.
    fs::path models(const std::string& name, std::uint64_t size)
    {
        const fs::path dir = box_ / name;
        writeRandomFile(dir / "yolo-defects.onnx", size, 11);
        writeRandomFile(dir / "edge-llama.gguf", 64 * 1024, 12);
        return dir;
    }

private slots:
    void clickDownloadAndTheModelLandsInTheLibrary()
    {
        const fs::path dir = models("peer-a", 1536 * 1024);
        BridgeProcess bridge(dir);
        QVERIFY(bridge.ok());
        Station station(box_ / "a");
        // Held to 256 KB/s, so the row is seen running (not a timing check:
        // the states are waited for, however long they take).
        station.window->downloads().setCaps({256'000, 256'000, 256'000});
        station.join({bridge.url()});
        MeshView* mesh = station.mesh();
        QVERIFY(waitFor([&] { return mesh->catalogModel()->rowCount() == 2; }, 20000));

        // Nothing chosen: the button says why it cannot download.
        mesh->catalogTable()->setCurrentIndex({});
        QVERIFY(!mesh->downloadButton()->isEnabled());
        QVERIFY2(mesh->downloadReason()->fullText().contains("Choose a model"),
                 qPrintable(mesh->downloadReason()->fullText()));
        QVERIFY(mesh->downloadsPanel()->rows().isEmpty());

        mesh->selectModel("yolo-defects");
        QVERIFY(mesh->downloadButton()->isEnabled());
        QVERIFY2(mesh->downloadReason()->fullText().contains(bridge.url()),
                 qPrintable(mesh->downloadReason()->fullText()));
        // Keyboard: the button takes focus and Space presses it.
        mesh->downloadButton()->setFocus();
        QTest::keyClick(mesh->downloadButton(), Qt::Key_Space);
        QVERIFY(waitFor([&] { return station.onlyRow() != nullptr; }, 5000));
        DownloadRow* row = station.onlyRow();
        QCOMPARE(row->title(), QString("yolo-defects"));
        // While it runs: no second download of it, and the sidebar counts it.
        QVERIFY(!mesh->downloadButton()->isEnabled());
        QVERIFY(waitFor([&] { return row->state() == atmo::TransferState::Active && row->bar()->value() > 0; }, 20000));
        QCOMPARE(station.window->sidebar()->item(MainWindow::MeshViewIndex)->text(), QString("Mesh (1)"));
        QVERIFY2(row->peersLabel()->text().contains(bridge.url()), qPrintable(row->peersLabel()->text()));
        QVERIFY(row->pauseButton()->isVisible() && row->cancelButton()->isVisible());

        QVERIFY(waitFor([&] { return row->state() == atmo::TransferState::Done || row->state() == atmo::TransferState::Failed; }, 60000));
        QCOMPARE(row->state(), atmo::TransferState::Done);
        QCOMPARE(row->bar()->value(), 1000);
        QVERIFY(!row->errorLabel()->isVisible());
        QVERIFY(!row->pauseButton()->isVisible() && !row->cancelButton()->isVisible());
        const fs::path landed = station.home / "models" / "yolo-defects.onnx";
        QVERIFY(fs::exists(landed));
        QVERIFY(readFile(landed) == readFile(dir / "yolo-defects.onnx"));
        QVERIFY(fs::exists(station.home / "models" / "yolo-defects.json"));
        QVERIFY2(row->peersLabel()->text().contains("yolo-defects.onnx"), qPrintable(row->peersLabel()->text()));
        QCOMPARE(station.window->sidebar()->item(MainWindow::MeshViewIndex)->text(), QString("Mesh"));

        // Now it is here: the button says so instead of downloading it again.
        QVERIFY(!mesh->downloadButton()->isEnabled());
        QVERIFY2(mesh->downloadReason()->fullText().startsWith("Already in the library"),
                 qPrintable(mesh->downloadReason()->fullText()));
        QVERIFY(mesh->details()->toPlainText().contains("In the library"));

        // Clear finished empties the list; the file stays.
        QVERIFY(station.panel()->clearButton()->isEnabled());
        QTest::mouseClick(station.panel()->clearButton(), Qt::LeftButton);
        QVERIFY(station.panel()->rows().isEmpty());
        QVERIFY(fs::exists(landed));
    }

    void pauseResumeCancelAndRetry()
    {
        const fs::path dir = models("peer-b", 2 * 1024 * 1024);
        BridgeProcess bridge(dir);
        QVERIFY(bridge.ok());
        Station station(box_ / "b");
        station.window->downloads().setCaps({100'000, 100'000, 100'000});
        station.join({bridge.url()});
        MeshView* mesh = station.mesh();
        QVERIFY(waitFor([&] { return mesh->catalogModel()->rowCount() == 2; }, 20000));
        mesh->selectModel("yolo-defects");
        QTest::mouseClick(mesh->downloadButton(), Qt::LeftButton);
        QVERIFY(waitFor([&] { return station.onlyRow() != nullptr; }, 5000));
        DownloadRow* row = station.onlyRow();
        const quint64 id = row->id();
        auto bytes = [&] { return station.window->downloads().find(id)->progress.bytesDownloaded; };
        QVERIFY(waitFor([&] { return row->state() == atmo::TransferState::Active && bytes() > 0; }, 20000));

        QTest::mouseClick(row->pauseButton(), Qt::LeftButton);
        QVERIFY(waitFor([&] { return row->state() == atmo::TransferState::Paused; }, 10000));
        QVERIFY(row->resumeButton()->isVisible());
        QVERIFY(!row->pauseButton()->isVisible());
        QVERIFY(row->cancelButton()->isVisible());
        QVERIFY(mesh->downloadReason()->fullText().contains("Paused"));

        QTest::mouseClick(row->resumeButton(), Qt::LeftButton);
        QVERIFY(waitFor([&] { return row->state() == atmo::TransferState::Active; }, 10000));
        QVERIFY(row->pauseButton()->isVisible());

        QTest::mouseClick(row->cancelButton(), Qt::LeftButton);
        QVERIFY(waitFor([&] { return row->state() == atmo::TransferState::Cancelled; }, 10000));
        QVERIFY(row->retryButton()->isVisible());
        QVERIFY(!row->cancelButton()->isVisible());
        QVERIFY(!fs::exists(station.home / "models" / "yolo-defects.onnx"));
        QVERIFY(mesh->downloadButton()->isEnabled()); // cancelled: it may be downloaded again

        // Retry, and lift the limit while it runs: it finishes, verified.
        QTest::mouseClick(row->retryButton(), Qt::LeftButton);
        QVERIFY(waitFor([&] { return row->state() == atmo::TransferState::Active || row->state() == atmo::TransferState::Queued; }, 10000));
        station.window->downloads().setCaps({});
        QVERIFY(waitFor([&] { return row->state() == atmo::TransferState::Done || row->state() == atmo::TransferState::Failed; }, 60000));
        QVERIFY2(row->state() == atmo::TransferState::Done, qPrintable(row->errorLabel()->text()));
        QVERIFY(readFile(station.home / "models" / "yolo-defects.onnx") == readFile(dir / "yolo-defects.onnx"));
    }

    void aPeerSendingWrongBytesIsNamed()
    {
        const fs::path dir = models("peer-c", 512 * 1024);
        BridgeProcess bridge(dir, "wrong-bytes");
        QVERIFY(bridge.ok());
        Station station(box_ / "c");
        station.join({bridge.url()});
        MeshView* mesh = station.mesh();
        QVERIFY(waitFor([&] { return mesh->catalogModel()->rowCount() == 2; }, 20000));
        mesh->selectModel("yolo-defects");
        QTest::mouseClick(mesh->downloadButton(), Qt::LeftButton);
        QVERIFY(waitFor([&] { return station.onlyRow() != nullptr; }, 5000));
        DownloadRow* row = station.onlyRow();
        QVERIFY(waitFor([&] { return row->state() == atmo::TransferState::Done || row->state() == atmo::TransferState::Failed; }, 60000));
        QCOMPARE(row->state(), atmo::TransferState::Failed);
        QVERIFY(row->errorLabel()->isVisible());
        const QString error = row->errorLabel()->text();
        QVERIFY2(error.contains(bridge.url()), qPrintable(error));
        QVERIFY(row->errorLabel()->textInteractionFlags() & Qt::TextSelectableByMouse);
        QVERIFY(row->errorLabel()->styleSheet().contains("#b3261e"));
        QVERIFY(row->stateLabel()->text().contains("Failed", Qt::CaseInsensitive));
        QVERIFY(row->retryButton()->isVisible());
        // Nothing under the final name.
        QVERIFY(!fs::exists(station.home / "models" / "yolo-defects.onnx"));
    }

    void packageDownloadAndInstall()
    {
        // A peer station offering a signed package (full and tier 1).
        const atmo::SecretKey key = makeKey();
        makeMission(box_ / "mission");
        const fs::path peerHome = box_ / "peer-home";
        atmo::PackageStore store(peerHome / "store.json");
        for (std::optional<int> tier : {std::optional<int>(), std::optional<int>(1)}) {
            atmo::CreateOptions options;
            options.missionDir = box_ / "mission";
            options.version = "1.3";
            options.outputDir = peerHome / "packages";
            options.meshKey = key;
            options.tier = tier;
            fs::create_directories(options.outputDir);
            auto created = atmo::createPackage(options, nullptr, atmo::CancelToken());
            if (!created)
                QFAIL(created.message().c_str());
            QVERIFY(store.add({"production-inspection", "1.3", tier, created->file, created->archiveBytes, "", {}, {}}).ok());
        }
        PeerServer peer;
        QVERIFY(peer.configure({true, QHostAddress(QHostAddress::LocalHost), 0}));
        peer.setHashCache(std::make_shared<atmo::HashCache>(peerHome / "hashes.json"));
        peer.setPackageStore(q(peerHome / "store.json"));
        peer.setIdentity({"feedfacefeedfacefeedfacefeedface", "line-2-gateway", "atmosphere", {}, 300});
        const QString url = QString("http://127.0.0.1:%1").arg(peer.port());

        Station station(box_ / "d");
        trustKey(station.home, key, atmo::TrustRole::Mesh, "Plant mesh");
        station.join({url});
        MeshView* mesh = station.mesh();
        PeerPackagesView* packages = mesh->packagesView();
        mesh->tabs()->setCurrentWidget(packages);
        const bool listed = waitFor([&] { return packages->tree()->topLevelItemCount() == 1; }, 20000);
        QVERIFY2(listed, qPrintable(station.window->peerPackages().errors().join("; ") + " | " +
                                    QString::number(station.window->peerPackages().packages().size()) + " | " +
                                    packages->problemsLabel()->text()));
        QTreeWidgetItem* top = packages->tree()->topLevelItem(0);
        QCOMPARE(top->text(PeerPackagesView::VersionColumn), QString("1.3"));
        QCOMPARE(top->childCount(), 2); // full, tier 1
        QCOMPARE(top->text(PeerPackagesView::PeersColumn), QString("1"));

        // A plain download of tier 1: it finishes and offers Import & Verify.
        QVERIFY(packages->select("production-inspection", "1.3", 1));
        QVERIFY(packages->downloadButton()->isEnabled());
        QVERIFY(!packages->openButton()->isEnabled());
        QTest::mouseClick(packages->downloadButton(), Qt::LeftButton);
        QVERIFY(waitFor([&] { return station.onlyRow() != nullptr; }, 5000));
        DownloadRow* row = station.onlyRow();
        QVERIFY(waitFor([&] { return row->state() == atmo::TransferState::Done || row->state() == atmo::TransferState::Failed; }, 60000));
        QVERIFY2(row->state() == atmo::TransferState::Done, qPrintable(row->errorLabel()->text()));
        QCOMPARE(station.window->currentView(), MainWindow::MeshViewIndex); // nothing opened by itself
        QVERIFY(row->openButton()->isVisible());
        QVERIFY(packages->openButton()->isEnabled());
        QVERIFY(!packages->downloadButton()->isEnabled());
        QVERIFY(packages->reasonLabel()->text().startsWith("Already downloaded"));
        QCOMPARE(top->child(1)->text(PeerPackagesView::StatusColumn), QString("Downloaded"));
        QTest::mouseClick(row->openButton(), Qt::LeftButton);
        QCOMPARE(station.window->currentView(), MainWindow::ImportViewIndex);
        ImportVerifyView* import = station.window->importView();
        QVERIFY(import->packageFile().endsWith("-tier1.atmo"));
        QVERIFY(waitFor([&] { return !import->isBusy(); }, 30000));
        QVERIFY(import->report() && import->report()->ok);
        QVERIFY(import->installStatus()->text().isEmpty()); // opened, not installed

        // "Download and install" of the full package: verified, then installed.
        station.window->showView(MainWindow::MeshViewIndex);
        QVERIFY(packages->select("production-inspection", "1.3"));
        QSignalSpy installed(import, &ImportVerifyView::installFinished);
        QTest::mouseClick(packages->installButton(), Qt::LeftButton);
        QVERIFY(waitFor([&] { return installed.count() > 0; }, 60000));
        QVERIFY2(installed.at(0).at(0).toBool(), qPrintable(import->installStatus()->text()));
        QCOMPARE(station.window->currentView(), MainWindow::ImportViewIndex);
        QVERIFY(import->packageFile().endsWith("production-inspection-v1.3.atmo"));
        QVERIFY(import->report() && import->report()->ok);
        QVERIFY2(import->installStatus()->text().contains("Installed version 1.3"),
                 qPrintable(import->installStatus()->text()));
        QVERIFY(fs::exists(box_ / "d" / "device"));
        QCOMPARE(station.panel()->rows().size(), 2);
        QCOMPARE(station.panel()->rows().back()->state(), atmo::TransferState::Done);

        // The peer adds 1.4 as a delta from that 1.3 only: it is a row of
        // its own under 1.4, and "Download and install" puts 1.4 onto the
        // installed 1.3.
        fs::copy(box_ / "mission", box_ / "mission-1.4", fs::copy_options::recursive);
        writeFile(box_ / "mission-1.4/agents/inspector-1.0.yaml", "name: inspector\nmodel: tinyyolo-defects\n");
        {
            trustKey(peerHome, key, atmo::TrustRole::Mesh, "Plant mesh");
            const atmo::TrustStore peerTrust(peerHome / "trust");
            atmo::CreateOptions options;
            options.missionDir = box_ / "mission-1.4";
            options.version = "1.4";
            options.outputDir = peerHome / "packages";
            options.meshKey = key;
            options.deltaFrom = peerHome / "packages/production-inspection-v1.3.atmo";
            options.trust = &peerTrust;
            auto created = atmo::createPackage(options, nullptr, atmo::CancelToken());
            if (!created)
                QFAIL(created.message().c_str());
            QVERIFY(store.add({"production-inspection", "1.4", std::nullopt, created->file, created->archiveBytes, "", "1.3", {}}).ok());
        }
        station.window->showView(MainWindow::MeshViewIndex);
        station.window->peerPackages().refresh();
        QVERIFY(waitFor([&] { return packages->tree()->topLevelItemCount() == 2; }, 20000));
        QTreeWidgetItem* v14 = packages->tree()->topLevelItem(0); // newest first
        QCOMPARE(v14->text(PeerPackagesView::VersionColumn), QString("1.4"));
        QCOMPARE(v14->text(PeerPackagesView::SizeColumn), QString()); // no full package offered
        QCOMPARE(v14->childCount(), 1);
        QTreeWidgetItem* deltaRow = v14->child(0);
        QCOMPARE(deltaRow->text(PeerPackagesView::PackageColumn), QString("Delta update from 1.3"));
        QVERIFY(deltaRow->toolTip(PeerPackagesView::PackageColumn).contains("-v1.4-from-v1.3.atmo"));
        packages->tree()->setCurrentItem(v14);
        QVERIFY(!packages->downloadButton()->isEnabled());
        QVERIFY2(packages->reasonLabel()->text().contains("No peer offers the full package"),
                 qPrintable(packages->reasonLabel()->text()));
        packages->tree()->setCurrentItem(deltaRow);
        QVERIFY(packages->installButton()->isEnabled());
        QTest::mouseClick(packages->installButton(), Qt::LeftButton);
        QVERIFY(waitFor([&] { return installed.count() > 1; }, 60000));
        QVERIFY2(installed.at(1).at(0).toBool(), qPrintable(import->installStatus()->text()));
        QVERIFY(import->packageFile().endsWith("production-inspection-v1.4-from-v1.3.atmo"));
        QVERIFY2(import->installStatus()->text().contains("Installed version 1.4"),
                 qPrintable(import->installStatus()->text()));
        QCOMPARE(station.panel()->rows().back()->title(), QString("Production inspection 1.4 (delta from 1.3)"));

        // Three finished downloads: the newest stays in view, the two before
        // it fold into the history, which opens and closes.
        DownloadsPanel* panel = station.panel();
        station.window->showView(MainWindow::MeshViewIndex);
        QCOMPARE(panel->rows().size(), 3);
        QCOMPARE(panel->foldedCount(), 2);
        QVERIFY(panel->rows()[0]->isHidden() && panel->rows()[1]->isHidden() && !panel->rows()[2]->isHidden());
        QVERIFY(panel->historyButton()->isVisible());
        QCOMPARE(panel->historyButton()->text(), QString("History (2)"));
        QTest::mouseClick(panel->historyButton(), Qt::LeftButton);
        QVERIFY(!panel->rows()[0]->isHidden() && !panel->rows()[1]->isHidden());
        QCOMPARE(panel->historyButton()->text(), QString("Hide history"));
        QTest::mouseClick(panel->historyButton(), Qt::LeftButton);
        QVERIFY(panel->rows()[0]->isHidden());
        // Clear finished empties the history too.
        QTest::mouseClick(panel->clearButton(), Qt::LeftButton);
        QCOMPARE(panel->rows().size(), 0);
        QVERIFY(!panel->historyButton()->isVisible());
    }

    void speedLimitsInSettings()
    {
        Settings settings(q(box_ / "caps.ini"));
        QCOMPARE(settings.downloadCaps(), atmo::BandwidthCaps::lanDefaults());
        SettingsDialog dialog(settings, atmo::StationHome(box_ / "caps-home"));
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(dialog.capBox(i)->value(), 0.0);
            QCOMPARE(dialog.capBox(i)->text(), QString("Uncapped"));
            QVERIFY(!dialog.capBox(i)->accessibleName().isEmpty());
        }
        QPushButton* relay = nullptr;
        for (QPushButton* b : dialog.findChildren<QPushButton*>())
            if (b->text().contains("relay"))
                relay = b;
        QVERIFY(relay);
        QTest::mouseClick(relay, Qt::LeftButton);
        QCOMPARE(dialog.capBox(0)->text(), QString("Uncapped"));
        QCOMPARE(dialog.capBox(1)->value(), 0.625); // 5 Mbit/s
        dialog.capBox(2)->setValue(12.5);
        dialog.accept();
        QVERIFY(dialog.capsChanged());
        QCOMPARE(settings.downloadCaps(), (atmo::BandwidthCaps{0, 625'000, 12'500'000}));

        Settings again(q(box_ / "caps.ini"));
        QCOMPARE(again.downloadCaps().largeBytesPerSecond, std::uint64_t(12'500'000));
        SettingsDialog reopened(again, atmo::StationHome(box_ / "caps-home"));
        QCOMPARE(reopened.capBox(2)->value(), 12.5);
        reopened.accept();
        QVERIFY(!reopened.capsChanged());
    }
};

ATMO_TEST_MAIN(TestGuiDownloads)
#include "tst_gui_downloads.moc"
