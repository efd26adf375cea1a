// The window as a whole: every view in the sidebar (Mesh included), shortcuts reach the main actions, geometry comes
// back, every control has an accessible name, the title shows progress, the
// Mesh view's Download button downloads, and --screenshot's renderer writes a
// real picture of every view.
#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QComboBox>
#include <QImage>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QSet>
#include <QPushButton>
#include <QProcess>
#include <QTest>

#include "app/DemoWorkspace.h"
#include "app/StationContext.h"
#include "app/mesh/DownloadManager.h"
#include "app/mesh/MeshCatalogModel.h"
#include "app/mesh/MeshNode.h"
#include "app/mesh/MeshPresence.h"
#include "app/mesh/PeerServer.h"
#include "core/mesh/model_library.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/BuildView.h"
#include "ui/ImportVerifyView.h"
#include "ui/ElidedLabel.h"
#include "ui/KeysView.h"
#include "ui/MainWindow.h"
#include "ui/MeshView.h"
#include "ui/StatusColors.h"
#include "ui/PackageWizard.h"
#include "ui/ScreenshotRenderer.h"

using namespace testutil;

namespace {
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

QStringList unnamedControls(QWidget* root)
{
    QStringList out;
    for (QWidget* w : root->findChildren<QWidget*>()) {
        bool insideView = false; // headers, corner buttons: an item view's own parts
        for (QWidget* p = w->parentWidget(); p && p != root; p = p->parentWidget())
            insideView |= qobject_cast<QAbstractItemView*>(p) != nullptr;
        if (insideView)
            continue;
        const bool input = qobject_cast<QLineEdit*>(w) || qobject_cast<QComboBox*>(w) ||
                           qobject_cast<QAbstractItemView*>(w);
        if (w->parentWidget() && qobject_cast<QComboBox*>(w->parentWidget()->parentWidget()))
            continue; // a combo box's own popup list
        if (qobject_cast<QLineEdit*>(w) && qobject_cast<QComboBox*>(w->parentWidget()))
            continue;
        if (input && w->accessibleName().isEmpty())
            out << QString("%1 in %2").arg(w->metaObject()->className(), w->parentWidget()->metaObject()->className());
        if (auto* b = qobject_cast<QAbstractButton*>(w); b && b->accessibleName().isEmpty() && b->text().isEmpty() &&
                                                         b->isVisibleTo(root))
            out << QString("button in %1").arg(w->parentWidget()->metaObject()->className());
    }
    return out;
}
} // namespace

class TestGuiMainWindow : public QObject {
    Q_OBJECT
    Sandbox box_;

private slots:
    void initTestCase() { qputenv("ATMOSPHERE_HOME", (box_ / "home").string().c_str()); }

    void onlyExistingViewsAreShown()
    {
        StationContext context(q(box_ / "a.ini"));
        MainWindow window(context);
        QCOMPARE(window.sidebar()->count(), 5);
        QCOMPARE(window.sidebar()->item(0)->text(), QString("Build"));
        QCOMPARE(window.sidebar()->item(1)->text(), QString("Import & Verify"));
        QCOMPARE(window.sidebar()->item(2)->text(), QString("Keys"));
        QCOMPARE(window.sidebar()->item(3)->text(), QString("USB Export"));
        QCOMPARE(window.sidebar()->item(4)->text(), QString("Mesh"));
        // The Mesh view offers Download (the window gives it the downloads);
        // with nothing chosen it is disabled and says why.
        QPushButton* download = window.meshView()->downloadButton();
        QVERIFY(download);
        QCOMPARE(download->accessibleName(), QString("Download model"));
        QVERIFY(download->isVisibleTo(window.meshView()));
        QVERIFY(!download->isEnabled());
        QVERIFY(!window.meshView()->downloadReason()->fullText().isEmpty());
        QVERIFY(window.meshView()->downloadsPanel() != nullptr);
        QVERIFY(window.meshView()->packagesView() != nullptr);
    }

    void meshDownloadButtonDownloads()
    {
        // A peer in this process serving one model file over loopback.
        writeRandomFile(box_ / "peer" / "defects-v2.onnx", 300 * 1024, 7);
        atmo::HashCache cache("");
        auto scan = atmo::scanLibrary({{atmo::LibraryRootKind::Folder, box_ / "peer"}}, cache, nullptr, {});
        QVERIFY(scan.ok());
        PeerServer peer;
        QVERIFY(peer.configure({true, QHostAddress(QHostAddress::LocalHost), 0}));
        peer.setModels(std::move(scan->models));
        peer.setIdentity({"0123456789abcdef0123456789abcdef", "bench-peer", "atmosphere", {}, 300});

        qputenv("ATMOSPHERE_HOME", (box_ / "dl-home").string().c_str());
        StationContext context(q(box_ / "f.ini"));
        MainWindow window(context);
        MeshPresence::Options options;
        options.serve = false;
        options.mdns = false;
        options.roots = {{atmo::LibraryRootKind::Downloads, box_ / "dl-home" / "models"}};
        options.peers = {QString("http://127.0.0.1:%1").arg(peer.port())};
        window.mesh().start(options);
        MeshView* mesh = window.meshView();
        QVERIFY(waitFor([&] { return mesh->catalogModel()->rowCount() == 1; }, 20000));
        mesh->selectModel("defects-v2");
        QVERIFY(mesh->downloadButton()->isEnabled());
        QTest::mouseClick(mesh->downloadButton(), Qt::LeftButton);
        QVERIFY(waitFor([&] { return window.downloads().count() == 1 &&
                                     atmo::isFinished(window.downloads().item(0).state); }, 30000));
        QVERIFY2(window.downloads().item(0).state == atmo::TransferState::Done,
                 qPrintable(window.downloads().item(0).error));
        QVERIFY(readFile(box_ / "dl-home" / "models" / "defects-v2.onnx") == readFile(box_ / "peer" / "defects-v2.onnx"));
        QVERIFY(!mesh->downloadButton()->isEnabled()); // it is in the library now
        qputenv("ATMOSPHERE_HOME", (box_ / "home").string().c_str());
    }

    // Serving on every address, the status names the addresses a colleague
    // can use (never 0.0.0.0) in normal text; mDNS missing is a warning of
    // its own with what to do, the system's words in its tooltip.
    void stationStatusShowsUsableAddresses()
    {
        qputenv("ATMOSPHERE_HOME", (box_ / "status-home").string().c_str());
        // No system bus here: avahi cannot be reached, and nothing is sent
        // on the machine's real interfaces.
        const QByteArray bus = qgetenv("DBUS_SYSTEM_BUS_ADDRESS");
        qputenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/atmo-test-bus");
        auto restore = qScopeGuard([&] {
            if (bus.isNull())
                qunsetenv("DBUS_SYSTEM_BUS_ADDRESS");
            else
                qputenv("DBUS_SYSTEM_BUS_ADDRESS", bus);
            qputenv("ATMOSPHERE_HOME", (box_ / "home").string().c_str());
        });
        StationContext context(q(box_ / "status.ini"));
        MainWindow window(context);
        MeshPresence::Options options;
        options.bind = QString(); // every address
        options.port = 0;
        options.mdns = true;
        options.roots = {{atmo::LibraryRootKind::Downloads, box_ / "status-home" / "models"}};
        window.mesh().start(options);
        MeshView* mesh = window.meshView();
        QVERIFY(waitFor([&] { return !window.mesh().scanning() && mesh->stationLabel()->text().startsWith("Serving 0"); },
                        20000));
        const QString text = mesh->stationLabel()->text();
        QVERIFY2(!text.contains("0.0.0.0"), qPrintable(text));
        const QStringList urls = window.mesh().server().reachableUrls();
        for (const QString& url : urls)
            QVERIFY2(text.contains(url) && !url.contains("127.0.0.1"), qPrintable(text));
        if (urls.isEmpty())
            QVERIFY2(text.contains("this computer only"), qPrintable(text));
        QVERIFY(mesh->stationLabel()->styleSheet().isEmpty());
        QVERIFY(!window.mesh().node().mdnsActive());
        QVERIFY(mesh->stationWarningLabel()->isVisibleTo(mesh));
        QVERIFY2(mesh->stationWarningLabel()->text().contains("avahi-daemon"), qPrintable(mesh->stationWarningLabel()->text()));
        QVERIFY2(mesh->stationWarningLabel()->toolTip().startsWith("mDNS"), qPrintable(mesh->stationWarningLabel()->toolTip()));
        QCOMPARE(mesh->stationWarningLabel()->styleSheet(), StatusColors::warningStyle());
    }

    void shortcutsReachTheMainActions()
    {
        StationContext context(q(box_ / "b.ini"));
        MainWindow window(context);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QSet<QString> shortcuts;
        for (QAction* a : window.findChildren<QAction*>())
            if (!a->shortcut().isEmpty())
                shortcuts << a->shortcut().toString();
        for (const char* s : {"Ctrl+N", "Ctrl+O", "Ctrl+Q", "Ctrl+,", "Ctrl+1", "Ctrl+2", "Ctrl+3"})
            QVERIFY2(shortcuts.contains(s), s);
        QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(window.currentView(), MainWindow::KeysViewIndex);
        QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(window.currentView(), MainWindow::ImportViewIndex);
        QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(window.currentView(), MainWindow::BuildViewIndex);
        QVERIFY(window.buildView()->wizard() != nullptr);
        window.buildView()->wizard()->reject();
    }

    void geometryAndViewComeBack()
    {
        const QString ini = q(box_ / "c.ini");
        {
            StationContext context(ini);
            MainWindow window(context);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(1010, 705);
            window.showView(MainWindow::KeysViewIndex);
            QTRY_COMPARE(window.size(), QSize(1010, 705));
            window.close();
        }
        StationContext context(ini);
        MainWindow window(context);
        QCOMPARE(window.size(), QSize(1010, 705));
        QCOMPARE(window.currentView(), MainWindow::KeysViewIndex);
    }

    void everyControlHasAnAccessibleName()
    {
        StationContext context(q(box_ / "d.ini"));
        MainWindow window(context);
        QStringList missing = unnamedControls(&window);
        PackageWizard wizard(context);
        for (int id : wizard.pageIds())
            missing << unnamedControls(wizard.page(id));
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join("; ")));
    }

    void titleShowsProgress()
    {
        StationContext context(q(box_ / "e.ini"));
        MainWindow window(context);
        QCOMPARE(window.windowTitle(), QString("Atmosphere Station"));
        emit window.importView()->titleProgress("42 % Verifying");
        QCOMPARE(window.windowTitle(), QString("42 % Verifying — Atmosphere Station"));
        emit window.importView()->titleProgress(QString());
        QCOMPARE(window.windowTitle(), QString("Atmosphere Station"));
    }

    // A package's checks, ssh and servers have no display: --help and
    // --version answer all the same (they once aborted with rc 134).
    void helpAndVersionNeedNoDisplay()
    {
        const QString station = qEnvironmentVariable("ATMO_BIN_DIR") + "/atmosphere-station";
        QVERIFY2(QFileInfo(station).isExecutable(), qPrintable(station));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(v);
        for (const QStringList& args : {QStringList{"--help"}, QStringList{"-h"}, QStringList{"--version"}}) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(station, args);
            QVERIFY(p.waitForFinished(30000));
            const QString out = QString::fromUtf8(p.readAllStandardOutput());
            QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
                     qPrintable(args.join(' ') + ": " + p.readAllStandardError()));
            if (args.front() == "--version")
                QVERIFY2(out.startsWith("atmosphere-station " ATMO_VERSION), qPrintable(out));
            else
                QVERIFY2(out.startsWith("Usage: atmosphere-station") && out.contains("--screenshot"), qPrintable(out));
        }
    }

    void screenshotsShowEveryView()
    {
        DemoWorkspace demo;
        const QString error = demo.create(q(box_ / "demo"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        StationContext context(atmo::StationHome(box_ / "demo/home"), q(box_ / "demo/settings.ini"));
        context.settings().setOutputDir(demo.outputDir);
        MainWindow window(context);
        ScreenshotRenderer renderer(window, demo, q(box_ / "shots"));
        const int rc = renderer.run();
        QVERIFY2(rc == 0, qPrintable(renderer.error()));
        QVERIFY2(renderer.written().size() >= 16, qPrintable(renderer.written().join(", ")));
        // The build in flight, not an image of it already done (held by ProgressHold).
        QVERIFY2(renderer.written().join(",").contains("06-wizard-building"), qPrintable(renderer.written().join(", ")));
        for (const QString& file : renderer.written()) {
            const QImage image(file);
            QVERIFY2(image.width() >= 300 && image.height() >= 150, qPrintable(file));
            QSet<QRgb> colours;
            for (int y = 0; y < image.height(); y += 7)
                for (int x = 0; x < image.width(); x += 7)
                    colours.insert(image.pixel(x, y));
            QVERIFY2(colours.size() > 8, qPrintable(file + " looks blank"));
        }
    }
};

ATMO_TEST_MAIN(TestGuiMainWindow)
#include "tst_gui_mainwindow.moc"
