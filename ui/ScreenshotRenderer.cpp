#include "ui/ScreenshotRenderer.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QThread>

#include <algorithm>

#include "app/CreateJob.h"
#include "app/DemoWorkspace.h"
#include "app/JobRunner.h"
#include "app/ProgressHold.h"
#include "app/StationContext.h"
#include "app/PathConversion.h"
#include "ui/BuildPage.h"
#include "ui/BuildView.h"
#include "ui/ContentsPage.h"
#include "ui/DriveProgressRow.h"
#include "ui/ImportVerifyView.h"
#include "ui/InviteDialog.h"
#include "ui/JoinMeshDialog.h"
#include "ui/KeysView.h"
#include "ui/MainWindow.h"
#include "ui/MissionPage.h"
#include "ui/PackageWizard.h"
#include "ui/ProgressPanel.h"
#include "ui/SettingsDialog.h"
#include "ui/SigningPage.h"
#include "ui/TiersPage.h"
#include "ui/UsbExportView.h"
#include "ui/MeshView.h"
#include "ui/PeerPackagesView.h"
#include "core/package/station_home.h"
#include <QTabWidget>
#include <QTreeWidget>
#include "app/mesh/CatalogFilterModel.h"
#include "app/mesh/DownloadManager.h"
#include "app/mesh/MeshCatalogModel.h"
#include "app/mesh/MeshPresence.h"
#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerServer.h"
#include "core/mesh/model_library.h"
#include <QTableView>
#include <random>

#include "app/Settings.h"

ScreenshotRenderer::ScreenshotRenderer(MainWindow& window, const DemoWorkspace& demo, QString dir)
    : window_(window), demo_(demo), dir_(std::move(dir))
{
}

bool ScreenshotRenderer::waitFor(const std::function<bool()>& predicate, int msecs)
{
    QElapsedTimer t;
    t.start();
    while (!predicate()) {
        if (t.elapsed() > msecs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

namespace {
// Holds the next job of type J started at a point until it goes out of
// scope, so a picture shows the job in flight, not already done
// (ProgressHold). Other jobs (unlocking a key first) run as they are.
template <class J>
class HeldJob {
public:
    HeldJob(JobRunner& runner, ProgressHold::Point at) : hold_(std::make_shared<ProgressHold>(std::move(at)))
    {
        connection_ = QObject::connect(&runner, &JobRunner::jobStarted, &runner, [this](Job* job) {
            if (qobject_cast<J*>(job) && !job->hold() && !taken_) {
                taken_ = true;
                job->setHold(hold_);
            }
        });
    }
    ~HeldJob()
    {
        QObject::disconnect(connection_);
        hold_->release();
    }
    HeldJob(const HeldJob&) = delete;
    HeldJob& operator=(const HeldJob&) = delete;
    // Until the worker waits and the window has shown what it reported.
    void waitHeld(QWidget* shown)
    {
        ScreenshotRenderer::waitFor([this] { return hold_->isHolding(); }, 10000);
        ScreenshotRenderer::waitFor([] { return false; }, 300);
        shown->update();
    }

private:
    std::shared_ptr<ProgressHold> hold_;
    QMetaObject::Connection connection_;
    bool taken_ = false;
};
} // namespace

bool ScreenshotRenderer::fail(const QString& message)
{
    error_ = message;
    return false;
}

bool ScreenshotRenderer::shoot(QWidget* widget, const QString& name)
{
    // Let layouts, fonts and icons settle.
    waitFor([] { return false; }, 150);
    if (inspector_)
        inspector_(name, widget);
    const QString file = dir_ + QLatin1Char('/') + name + QStringLiteral(".png");
    if (!widget->grab().save(file))
        return fail(tr("Cannot write %1").arg(file));
    written_ << file;
    return true;
}

bool ScreenshotRenderer::renderWizard()
{
    window_.showView(MainWindow::BuildViewIndex);
    PackageWizard* wizard = window_.buildView()->openWizard();
    wizard->missionPage()->dirEdit()->setText(demo_.missionDir);
    if (!waitFor([&] { return wizard->missionPage()->isComplete(); }, 10000))
        return fail(tr("The mission page did not accept the demo mission"));
    if (!shoot(wizard, QStringLiteral("02-wizard-mission")))
        return false;
    wizard->next();
    if (!waitFor([&] { return wizard->contentsPage()->isComplete(); }, 10000))
        return fail(tr("The contents page did not finish reading"));
    if (!shoot(wizard, QStringLiteral("03-wizard-contents")))
        return false;
    {
        // A declared model without its file: its row offers the fixes.
        ContentsPage* contents = wizard->contentsPage();
        const QString model = demo_.missionDir + QStringLiteral("/models/llama-edge-2.0.gguf");
        const QString aside = demo_.root + QStringLiteral("/llama-edge-2.0.gguf.aside");
        if (!QFile::rename(model, aside))
            return fail(tr("Cannot move %1 aside").arg(model));
        contents->rescan();
        bool ok = waitFor([&] { return !contents->isScanning() && wizard->contents()->problemCount() == 1; }, 10000);
        if (ok) {
            contents->table()->setCurrentIndex(contents->table()->model()->index(0, 0));
            ok = shoot(wizard, QStringLiteral("03-wizard-contents-missing-model"));
        }
        QFile::rename(aside, model);
        contents->rescan();
        if (!ok || !waitFor([&] { return contents->isComplete(); }, 10000))
            return fail(tr("The contents page did not show the missing model"));
    }
    wizard->next();
    if (QCheckBox* tier1 = wizard->tiersPage()->tierBox(1))
        tier1->setChecked(true);
    if (!shoot(wizard, QStringLiteral("04-wizard-tiers")))
        return false;
    wizard->next();
    wizard->signingPage()->selectKey(wizard->signingPage()->meshCombo(), demo_.meshKeyFile);
    wizard->signingPage()->founderBox()->setChecked(true);
    wizard->signingPage()->selectKey(wizard->signingPage()->founderCombo(), demo_.founderKeyFile);
    wizard->signingPage()->setPasswordProvider([](const QString&, const QString&) { return QStringLiteral("demo"); });
    if (!shoot(wizard, QStringLiteral("05-wizard-signing")))
        return false;
    {
        // Held where writing starts, so the picture shows the build in flight
        // (the demo's files take milliseconds), then let go.
        HeldJob<CreateJob> held(wizard->context().runner(),
                                [](const atmo::Progress& p) { return p.phase == atmo::Phase::Writing; });
        wizard->next();
        BuildPage* build = wizard->buildPage();
        held.waitHeld(build);
        if (build->isBuilding() && !shoot(wizard, QStringLiteral("06-wizard-building")))
            return false;
    }
    BuildPage* build = wizard->buildPage();
    if (!waitFor([&] { return !build->isBuilding(); }, 120000))
        return fail(tr("The build did not finish"));
    if (!build->succeeded())
        return fail(tr("The build failed: %1").arg(build->statusLabel()->text()));
    if (!shoot(wizard, QStringLiteral("07-wizard-built")))
        return false;
    wizard->accept();
    return true;
}

bool ScreenshotRenderer::renderImport()
{
    ImportVerifyView* view = window_.importView();
    window_.showView(MainWindow::ImportViewIndex);
    view->failuresOnlyBox()->setChecked(false);
    if (!shoot(&window_, QStringLiteral("08-import-empty")))
        return false;
    window_.openPackage(demo_.goodPackage);
    if (!waitFor([&] { return !view->isBusy(); }, 60000))
        return fail(tr("Verification did not finish"));
    if (!shoot(&window_, QStringLiteral("09-import-good")))
        return false;
    window_.openPackage(demo_.tamperedPackage);
    if (!waitFor([&] { return !view->isBusy(); }, 60000))
        return fail(tr("Verification did not finish"));
    if (!shoot(&window_, QStringLiteral("10-import-tampered")))
        return false;
    view->failuresOnlyBox()->setChecked(true);
    if (!shoot(&window_, QStringLiteral("11-import-tampered-failures")))
        return false;
    view->failuresOnlyBox()->setChecked(false);
    return true;
}

bool ScreenshotRenderer::renderUsbExport()
{
    UsbExportView* view = window_.usbExportView();
    window_.showView(MainWindow::UsbExportViewIndex);
    view->selectPackage(demo_.goodPackage);
    DriveListModel* drives = view->drives();
    if (!waitFor([&] { return !view->isReadingPackage() && drives->pollsApplied() > 0; }, 20000))
        return fail(tr("USB Export did not read the package or list the drives"));
    if (!shoot(&window_, QStringLiteral("14-usb-export")))
        return false;
    if (qEnvironmentVariableIsEmpty("ATMOSPHERE_DRIVES_ROOT") || drives->rowCount() == 0)
        return true;
    for (int row = 0; row < drives->rowCount(); ++row)
        drives->setChecked(row, drives->isOffered(row));
    if (!shoot(&window_, QStringLiteral("15-usb-export-ticked")))
        return false;
    for (int row = 0; row < drives->rowCount(); ++row)
        if (!drives->fits(row))
            drives->setChecked(row, false);
    if (!view->writeButton()->isEnabled())
        return true;
    {
        // Held while the drives flush, before reading back, so the picture shows the
        // write in flight with its bars, then let go.
        HeldJob<UsbExportJob> held(window_.context().runner(),
                     [](const atmo::Progress& p) { return p.phase == atmo::Phase::Syncing; });
        view->startWrite();
        held.waitHeld(view);
        if (view->isWriting() && !shoot(&window_, QStringLiteral("16-usb-export-writing")))
            return false;
    }
    if (!waitFor([&] { return !view->isWriting(); }, 120000))
        return fail(tr("Writing to the drives did not finish"));
    return shoot(&window_, QStringLiteral("17-usb-export-written"));
}

namespace {
// The downloads panel with one download of each ending (finished, failed,
// still running) and the Packages tab, against the demo peer.
bool renderDownloads(MainWindow& window, MeshView& view, const std::function<bool(const QString&)>& shoot,
                     const std::function<bool(const QString&)>& fail)
{
    DownloadManager& downloads = window.downloads();
    auto download = [&](const char* modelId) {
        view.selectModel(QString::fromLatin1(modelId));
        view.downloadSelected();
        const int row = downloads.count() - 1;
        return row >= 0 && downloads.item(row).key == QLatin1String(modelId) ? row : -1;
    };
    auto ended = [&](int row) { return atmo::isFinished(downloads.item(row).state); };
    const int done = download("bge-small-en");
    if (done < 0 || !ScreenshotRenderer::waitFor([&] { return ended(done); }, 30000))
        return fail(ScreenshotRenderer::tr("The demo download did not finish"));
    const int failed = download("whisper-tiny-en");
    if (failed < 0 || !ScreenshotRenderer::waitFor([&] { return ended(failed); }, 30000))
        return fail(ScreenshotRenderer::tr("The demo download of a damaged file did not end"));
    // Held to 1 MB/s, so the picture catches it on its way.
    downloads.setCaps({1'000'000, 1'000'000, 1'000'000});
    const int running = download("llama-edge-3b-q4");
    if (running < 0 || !ScreenshotRenderer::waitFor([&] { return downloads.item(running).progress.percent > 25; }, 30000))
        return fail(ScreenshotRenderer::tr("The demo download did not start"));
    view.selectModel(QStringLiteral("llama-edge-3b-q4"));
    bool ok = shoot(QStringLiteral("20-mesh-downloads"));
    downloads.pause(downloads.item(running).id);
    downloads.setCaps(atmo::BandwidthCaps::lanDefaults());

    PeerPackagesView* packages = view.packagesView();
    view.tabs()->setCurrentWidget(packages);
    if (ok && !ScreenshotRenderer::waitFor([&] { return packages->tree()->topLevelItemCount() > 0; }, 20000))
        return fail(ScreenshotRenderer::tr("The Packages tab did not list the demo peer's packages: %1")
                        .arg(packages->problemsLabel()->text()));
    if (ok) {
        packages->tree()->setCurrentItem(packages->tree()->topLevelItem(0));
        ok = shoot(QStringLiteral("21-mesh-packages"));
    }
    view.tabs()->setCurrentIndex(0);
    return ok;
}
} // namespace

bool ScreenshotRenderer::renderMesh()
{
    // A demo peer with a few model files (random bytes standing in for weights).
    const QString folder = demo_.root + QStringLiteral("/peer-models");
    QDir().mkpath(folder);
    const struct {
        const char* name;
        int kib;
    } files[] = {{"yolov8n-defects.onnx", 6200}, {"llama-edge-3b-q4.gguf", 9100}, {"whisper-tiny-en.tflite", 3900},
                 {"resnet50-parts.pt", 5200}, {"bge-small-en.onnx", 1300}};
    std::mt19937 rng(5);
    for (const auto& f : files) {
        QFile out(folder + '/' + QString::fromLatin1(f.name));
        if (!out.open(QIODevice::WriteOnly))
            return fail(tr("Cannot write the demo peer's models"));
        QByteArray block(1024, '\0');
        for (int k = 0; k < f.kib; ++k) {
            for (char& c : block)
                c = static_cast<char>(rng());
            out.write(block);
        }
    }
    atmo::HashCache cache("");
    auto scan = atmo::scanLibrary({{atmo::LibraryRootKind::Folder, folder.toStdString()}}, cache, nullptr, {});
    if (!scan)
        return fail(QString::fromStdString(scan.message()));
    // One file goes bad on the peer after it was listed: what a failing disk
    // or a tampered peer looks like to a downloader (a hash mismatch).
    {
        QFile bad(folder + QStringLiteral("/whisper-tiny-en.tflite"));
        if (!bad.open(QIODevice::ReadWrite) || !bad.seek(bad.size() / 2))
            return fail(tr("Cannot write the demo peer's models"));
        char c = 0;
        bad.getChar(&c);
        bad.seek(bad.size() / 2);
        bad.putChar(static_cast<char>(c ^ 0x5a));
    }
    PeerServer peer;
    if (!peer.configure({true, QHostAddress(QHostAddress::LocalHost), 0}))
        return fail(tr("Cannot start the demo peer"));
    peer.setModels(std::move(scan->models));
    peer.setIdentity({QStringLiteral("d3m0peer00000000000000000000beef"), QStringLiteral("line-3-gateway"),
                      QStringLiteral("atmosphere"), {}, 300});
    // The demo peer offers the packages the demo built (listed with their
    // SHA-256, which the server computes only with a hash cache).
    peer.setHashCache(std::make_shared<atmo::HashCache>(""));
    peer.setPackageStore(QString::fromStdString(atmo::StationHome(demo_.homeDir.toStdString()).storeIndex().string()));

    MeshPresence::Options options;
    options.port = 0;
    options.mdns = false;
    // Only the demo home's own library: never hash the user's model caches for a picture.
    options.roots = {{atmo::LibraryRootKind::Downloads, (demo_.homeDir + QStringLiteral("/models")).toStdString()}};
    options.peers = {QStringLiteral("http://127.0.0.1:%1").arg(peer.port())};
    window_.mesh().start(options);
    window_.startRelay(); // the demo home is in no mesh on a relay: the row offers to join one
    window_.showView(MainWindow::MeshViewIndex);
    MeshView* view = window_.meshView();
    if (!waitFor([&] { return view->catalogModel()->rowCount() == 5 && !window_.mesh().scanning(); }, 20000))
        return fail(tr("The Mesh view did not show the demo peer's models"));
    if (!shoot(&window_, QStringLiteral("18-mesh")))
        return false;
    view->selectModel(QStringLiteral("yolov8n-defects"));
    view->searchBox()->setText(QStringLiteral("onnx"));
    view->selectModel(QStringLiteral("yolov8n-defects"));
    bool ok = shoot(&window_, QStringLiteral("19-mesh-search-details"));
    view->searchBox()->clear();
    if (ok)
        ok = renderDownloads(window_, *view, [this](const QString& name) { return shoot(&window_, name); },
                             [this](const QString& why) { return fail(why); });
    PeerServer::Config off;
    off.enabled = false;
    window_.mesh().server().configure(off);
    return ok;
}

bool ScreenshotRenderer::renderInvite()
{
    // The demo home founds its mesh, so it holds the mesh key that signs.
    const atmo::StationHome home(toFsPath(demo_.homeDir));
    if (!home.meshKey(home.meshId()).ok()) {
        auto made = home.createMeshKey(home.meshId());
        if (!made)
            return fail(QString::fromStdString(made.error().message));
    }
    // Documentation addresses (RFC 5737), not this machine's.
    InviteDialog dialog(home, {QStringLiteral("local:192.0.2.10:14345"),
                               QStringLiteral("relay:wss://relay.example.org:8765")},
                        &window_);
    dialog.resize(560, 720);
    dialog.show();
    if (!dialog.createInvite())
        return fail(dialog.errorLabel()->text());
    bool ok = shoot(&dialog, QStringLiteral("22-invite"));
    dialog.close();
    if (!ok)
        return false;
    // A device's side: the same link pasted into the Join dialog, which says
    // what it read before anything is sent.
    JoinMeshDialog join(home, window_.relay(), &window_);
    join.resize(600, 360);
    join.show();
    join.credentialEdit()->setPlainText(dialog.link());
    ok = shoot(&join, QStringLiteral("23-join-mesh"));
    join.close();
    return ok;
}

int ScreenshotRenderer::run()
{
    QDir().mkpath(dir_);
    window_.resize(1200, 800);
    window_.show();
    window_.showView(MainWindow::BuildViewIndex);
    bool ok = shoot(&window_, QStringLiteral("01-build")) && renderWizard();
    if (ok) {
        window_.buildView()->reload();
        ok = shoot(&window_, QStringLiteral("01-build-with-packages")) && renderImport();
    }
    if (ok) {
        // The list again after the check: the package just verified says so.
        window_.showView(MainWindow::BuildViewIndex);
        ok = shoot(&window_, QStringLiteral("11b-build-status"));
    }
    if (ok) {
        window_.showView(MainWindow::KeysViewIndex);
        ok = shoot(&window_, QStringLiteral("12-keys"));
    }
    if (ok)
        ok = renderUsbExport();
    if (ok)
        ok = renderMesh();
    if (ok) {
        const atmo::StationHome home(toFsPath(demo_.homeDir));
        Settings settings(dir_ + QStringLiteral("/.settings.ini"));
        settings.setHomeDefaults(home);
        SettingsDialog dialog(settings, home, &window_);
        dialog.show();
        ok = shoot(&dialog, QStringLiteral("13-settings"));
        dialog.close();
        QFile::remove(dir_ + QStringLiteral("/.settings.ini"));
    }
    if (ok)
        ok = renderInvite();
    return ok ? 0 : 1;
}
