#include "ui/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QNetworkInterface>
#include <QPushButton>
#include <QScreen>
#include <QStackedWidget>
#include <QUrl>

#include "app/PathConversion.h"
#include "app/StationContext.h"
#include "app/mesh/DownloadManager.h"
#include "app/mesh/PeerPackages.h"
#include "ui/BuildView.h"
#include "ui/Icons.h"
#include "ui/ImportVerifyView.h"
#include "ui/InviteDialog.h"
#include "ui/JoinMeshDialog.h"
#include "ui/KeysView.h"
#include "ui/SettingsDialog.h"
#include "ui/UsbExportView.h"
#include "app/mesh/MeshNode.h"
#include "app/mesh/MeshPresence.h"
#include "app/relay/RelayPresence.h"
#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerServer.h"
#include "ui/MeshView.h"

MainWindow::MainWindow(StationContext& context, QWidget* parent) : QMainWindow(parent), context_(context)
{
    Icons::init();
    setWindowIcon(Icons::application());
    setAcceptDrops(true);
    setProgressTitle(QString());

    auto* central = new QWidget(this);
    auto* row = new QHBoxLayout(central);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(0);
    sidebar_ = new QListWidget(central);
    sidebar_->setObjectName(QStringLiteral("sidebar"));
    sidebar_->setAccessibleName(tr("Views"));
    sidebar_->setIconSize(QSize(28, 28));
    sidebar_->setFrameShape(QFrame::NoFrame);
    QFont sidebarFont = sidebar_->font();
    sidebarFont.setPointSizeF(sidebarFont.pointSizeF() * 1.2);
    sidebar_->setFont(sidebarFont);
    sidebar_->setSpacing(2);
    sidebar_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    sidebar_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    sidebar_->setStyleSheet(QStringLiteral(
        "#sidebar{background:#26323f;color:#e8edf2;padding-top:10px;outline:0}"
        "#sidebar::item{padding:10px 12px;border-radius:6px;margin:0 6px}"
        "#sidebar::item:selected{background:#3d6fa8;color:white}"
        "#sidebar::item:hover:!selected{background:#33414f}"));
    const struct {
        QString icon;
        QString text;
        QString tip;
    } items[] = {
        {QStringLiteral("nav-build"), tr("Build"), tr("Build signed packages (Ctrl+1)")},
        {QStringLiteral("nav-verify"), tr("Import & Verify"), tr("Check and install packages (Ctrl+2)")},
        {QStringLiteral("nav-keys"), tr("Keys"), tr("Signing keys and trust (Ctrl+3)")},
        {QStringLiteral("nav-usb"), tr("USB Export"), tr("Write packages to USB drives, verified (Ctrl+4)")},
        {QStringLiteral("nav-mesh"), tr("Mesh"), tr("Peers on the network and the models they offer (Ctrl+5)")},
    };
    int widest = 0;
    for (const auto& item : items) {
        auto* w = new QListWidgetItem(Icons::get(item.icon), item.text, sidebar_);
        w->setToolTip(item.tip);
        w->setData(Qt::AccessibleTextRole, item.text);
        widest = qMax(widest, sidebar_->fontMetrics().horizontalAdvance(item.text));
    }
    // icon + item padding and margins + list padding, so no label is elided
    sidebar_->setFixedWidth(widest + 28 + 24 + 12 + 16 + 20);
    row->addWidget(sidebar_);

    stack_ = new QStackedWidget(central);
    build_ = new BuildView(context_, stack_);
    import_ = new ImportVerifyView(context_, stack_);
    keys_ = new KeysView(context_, stack_);
    usb_ = new UsbExportView(context_, stack_);
    presence_ = new MeshPresence(context_.home(), this);
    relay_ = new RelayPresence(context_.home(), this);
    mesh_ = new MeshView(presence_->directory(), stack_);
    mesh_->setPeerMemory([this](const QString& endpoint, QString* error) { return presence_->node().rememberByHand(endpoint, error); },
                         [this](const QString& endpoint, QString* error) { return presence_->node().forget(endpoint, error); });
    const atmo::StationHome& home = context_.home();
    downloads_ = new DownloadManager(home, &presence_->directory(), this);
    downloads_->setCaps(context_.settings().downloadCaps());
    presence_->attachDownloads(downloads_); // landed models are served; the library is not fetched again
    // The mesh on its relay: nodes there join the directory, downloads reach
    // them through the link, and the library is offered there too.
    relay_->setCaps(context_.settings().relaySendCaps());
    presence_->attachRelay(relay_);
    connect(relay_, &RelayPresence::clientChanged, downloads_,
            [this](RelayClient* client) { downloads_->setRelay(client, relay_->nodeId()); });
    packages_ = new PeerPackages(&presence_->directory(), this);
    mesh_->setDownloads(downloads_, packages_, fromFsPath(home.downloadsDir()));
    // A model counts as here by the one predicate of core/mesh/model_presence.h
    // (the library scan found its bytes in any root, or the hash cache knows
    // a landed download at its final name): in memory and stat only, never
    // a catalog entry's JSON read on the GUI thread.
    mesh_->setLibraryCheck([downloads = downloads_](const atmo::CatalogEntry& e) -> QString {
        const auto found = downloads->libraryFile(e);
        return found.empty() ? QString() : fromFsPath(found);
    });
    build_->setAccessibleName(tr("Build"));
    import_->setAccessibleName(tr("Import and verify"));
    keys_->setAccessibleName(tr("Keys"));
    usb_->setAccessibleName(tr("USB export"));
    mesh_->setAccessibleName(tr("Mesh"));
    stack_->addWidget(build_);
    stack_->addWidget(import_);
    stack_->addWidget(keys_);
    stack_->addWidget(usb_);
    stack_->addWidget(mesh_);
    auto* page = new QWidget(central);
    auto* pageLayout = new QHBoxLayout(page);
    pageLayout->setContentsMargins(12, 12, 12, 12);
    pageLayout->addWidget(stack_);
    row->addWidget(page, 1);
    setCentralWidget(central);

    connect(sidebar_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0) {
            stack_->setCurrentIndex(row);
            context_.settings().setCurrentView(row);
        }
    });
    connect(build_, &BuildView::verifyRequested, this, &MainWindow::openPackage);
    connect(build_, &BuildView::titleProgress, this, &MainWindow::setProgressTitle);
    connect(import_, &ImportVerifyView::titleProgress, this, &MainWindow::setProgressTitle);
    connect(keys_, &KeysView::keysChanged, build_, &BuildView::reload);
    connect(build_, &BuildView::exportRequested, this, &MainWindow::exportPackage);
    connect(usb_, &UsbExportView::titleProgress, this, &MainWindow::setProgressTitle);
    connect(presence_, &MeshPresence::statusChanged, this, &MainWindow::updateMeshStatus);
    connect(mesh_, &MeshView::inviteRequested, this, &MainWindow::openInvite);
    connect(relay_, &RelayPresence::changed, this, &MainWindow::updateRelayStatus);
    connect(mesh_, &MeshView::joinRelayRequested, this, &MainWindow::openJoinMesh);
    connect(mesh_, &MeshView::leaveRelayRequested, this, &MainWindow::leaveRelay);
    connect(mesh_, &MeshView::reconnectRelayRequested, relay_, &RelayPresence::start);
    connect(mesh_, &MeshView::openPackageRequested, this,
            [this](const QString& file, bool install) { install ? installPackage(file) : openPackage(file); });
    connect(downloads_, &DownloadManager::finished, this, &MainWindow::onDownloadFinished);
    connect(downloads_, &DownloadManager::itemAdded, this, &MainWindow::updateDownloadBadge);
    connect(downloads_, &DownloadManager::itemChanged, this, &MainWindow::updateDownloadBadge);
    connect(downloads_, &DownloadManager::itemRemoved, this, &MainWindow::updateDownloadBadge);
    connect(import_, &ImportVerifyView::verificationFinished, this, &MainWindow::onVerified);
    buildMenus();

    if (!restoreGeometry(context_.settings().windowGeometry())) {
        const QSize avail = screen() ? screen()->availableSize() : QSize(1280, 800);
        resize(qMin(1180, avail.width()), qMin(780, avail.height()));
    }
    restoreState(context_.settings().windowState());
    const int view = context_.settings().currentView();
    showView(view >= 0 && view < ViewCount ? static_cast<View>(view) : BuildViewIndex);
}

MainWindow::~MainWindow()
{
    // The downloads and their panel go before the mesh they ask for peers;
    // the manager pauses what runs, so the journals resume next time.
    delete mesh_;
    delete packages_;
    delete downloads_;
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* newPackage = file->addAction(Icons::get(QStringLiteral("build")), tr("&New package…"));
    newPackage->setShortcut(QKeySequence::New);
    connect(newPackage, &QAction::triggered, this, [this] {
        showView(BuildViewIndex);
        build_->openWizard();
    });
    QAction* open = file->addAction(Icons::get(QStringLiteral("open")), tr("&Open package…"));
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, [this] {
        showView(ImportViewIndex);
        import_->choosePackage();
    });
    file->addSeparator();
    QAction* settings = file->addAction(tr("&Settings…"));
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settings->setMenuRole(QAction::PreferencesRole);
    connect(settings, &QAction::triggered, this, &MainWindow::showSettings);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q)); // QKeySequence::Quit is empty on some platforms
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    const QString names[] = {tr("&Build"), tr("&Import && Verify"), tr("&Keys"), tr("&USB Export"), tr("&Mesh")};
    for (int i = 0; i < ViewCount; ++i) {
        QAction* a = view->addAction(names[i]);
        a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
        connect(a, &QAction::triggered, this, [this, i] { showView(static_cast<View>(i)); });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About Atmosphere Station"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::showView(View view)
{
    sidebar_->setCurrentRow(view);
    stack_->setCurrentIndex(view);
}

MainWindow::View MainWindow::currentView() const { return static_cast<View>(stack_->currentIndex()); }

void MainWindow::openPackage(const QString& file)
{
    showView(ImportViewIndex);
    raise();
    activateWindow();
    import_->openPackage(file);
}

void MainWindow::exportPackage(const QString& file)
{
    showView(UsbExportViewIndex);
    raise();
    activateWindow();
    usb_->selectPackage(file);
}

void MainWindow::installPackage(const QString& file)
{
    pendingInstall_ = file;
    openPackage(file);
}

void MainWindow::onVerified(bool ok)
{
    if (pendingInstall_.isEmpty())
        return;
    const QString file = pendingInstall_;
    pendingInstall_.clear();
    // Only what the user could install by hand: a good verdict that fits;
    // otherwise the view already says why not.
    if (ok && import_->packageFile() == QFileInfo(file).absoluteFilePath() && import_->installButton()->isEnabled())
        import_->requestInstall();
}

void MainWindow::onDownloadFinished(quint64 id, bool ok)
{
    const DownloadManager::Item* item = downloads_->find(id);
    if (!item || !ok)
        return;
    if (item->kind == DownloadManager::Kind::Model) {
        mesh_->updateDownloadButton(); // it is in the library now
    } else if (item->installAfter) {
        installPackage(item->path);
    }
}

void MainWindow::updateDownloadBadge()
{
    int running = 0;
    for (int row = 0; row < downloads_->count(); ++row)
        running += atmo::isFinished(downloads_->item(row).state) ? 0 : 1;
    QListWidgetItem* item = sidebar_->item(MeshViewIndex);
    const QString text = running ? tr("Mesh (%1)").arg(running) : tr("Mesh");
    if (item->text() != text) {
        item->setText(text);
        item->setToolTip(running ? tr("%n download(s) not finished (Ctrl+5)", nullptr, running)
                                 : tr("Peers on the network and the models they offer (Ctrl+5)"));
    }
}

void MainWindow::setProgressTitle(const QString& text)
{
    const QString app = tr("Atmosphere Station");
    setWindowTitle(text.isEmpty() ? app : tr("%1 — %2").arg(text, app));
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(context_.settings(), context_.home(), this);
    if (dialog.exec() == QDialog::Accepted) {
        import_->reloadSettings();
        build_->reload();
        if (dialog.meshChanged())
            startMesh();
        if (dialog.capsChanged())
            downloads_->setCaps(context_.settings().downloadCaps());
        if (dialog.relayCapsChanged())
            relay_->setCaps(context_.settings().relaySendCaps());
    }
}

void MainWindow::startMesh()
{
    MeshPresence::Options options = MeshPresence::fromSettings(context_.settings());
    // Peers added by hand during this run are kept when the mesh restarts.
    options.peers << presence_->peersAddedByHand();
    options.peers.removeDuplicates();
    presence_->start(options);
}

void MainWindow::startRelay() { relay_->start(); }

void MainWindow::updateRelayStatus()
{
    using Action = MeshView::RelayAction;
    const Action action = !relay_->membership()                               ? Action::Join
                          : relay_->state() == RelayClient::State::Replaced ? Action::Reconnect
                                                                            : Action::Leave;
    mesh_->setRelayStatus(relay_->statusText(), relay_->statusIsProblem(), action);
    updateMeshStatus(); // joining may have changed this station's mesh
}

void MainWindow::openJoinMesh()
{
    JoinMeshDialog dialog(context_.home(), *relay_, this);
    dialog.resize(600, 360);
    dialog.exec();
}

void MainWindow::leaveRelay()
{
    if (!relay_->membership())
        return;
    const QString mesh = relay_->meshName();
    const auto answer = QMessageBox::question(
        this, tr("Leave the relay mesh"),
        relay_->membership()->founder
            ? tr("Disconnect from relay %1 and forget mesh %2 there? Devices on other networks can no longer reach "
                 "this station; it can register the mesh again.")
                  .arg(relay_->relayUrl(), mesh)
            : tr("Disconnect from relay %1 and forget mesh %2 there? Joining again needs a new invite or token.")
                  .arg(relay_->relayUrl(), mesh),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    if (auto left = relay_->leave(); !left)
        QMessageBox::warning(this, tr("Leave the relay mesh"), QString::fromStdString(left.message()));
}

void MainWindow::updateMeshStatus()
{
    mesh_->setStationStatus(presence_->statusText(), presence_->warningText(), presence_->warningDetail());
    const atmo::StationHome& home = context_.home();
    const std::string meshId = home.meshId();
    const bool holdsKey = home.meshKey(meshId).ok();
    mesh_->setInviteAvailable(holdsKey, tr("This station holds no key for mesh %1; the station that founded it "
                                           "invites devices (atmosphere mesh create makes a new mesh).")
                                            .arg(QString::fromStdString(meshId)));
}

void MainWindow::openInvite()
{
    // Where a device finds this station: each LAN address of the server.
    QStringList endpoints;
    if (presence_->server().isListening())
        for (const QHostAddress& a : QNetworkInterface::allAddresses())
            if (!a.isLoopback() && a.protocol() == QAbstractSocket::IPv4Protocol)
                endpoints << QStringLiteral("local:%1:%2").arg(a.toString()).arg(presence_->server().port());
    // And the relay this station is on, for devices on other networks.
    if (const auto& m = relay_->membership())
        endpoints << QStringLiteral("relay:") + QString::fromStdString(m->relayUrl);
    InviteDialog dialog(context_.home(), endpoints, this);
    dialog.resize(560, 720);
    dialog.exec();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Atmosphere Station"),
                       tr("<h3>Atmosphere Station %1</h3><p>Builds signed packages of missions, checks that a package "
                          "is genuine and intact, and installs it.</p><p>Packages are POSIX tar archives with "
                          "minisign signatures: <code>minisign -Vm manifest.yaml -p mesh.pub</code> and "
                          "<code>sha256sum -c checksums.sha256</code> check them without this program.</p>")
                           .arg(QStringLiteral(ATMO_VERSION)));
}

bool MainWindow::isPackageUrl(const QUrl& url)
{
    return url.isLocalFile() && url.toLocalFile().endsWith(QLatin1String(".atmo"), Qt::CaseInsensitive);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (std::any_of(urls.begin(), urls.end(), isPackageUrl))
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (std::any_of(urls.begin(), urls.end(), isPackageUrl))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    for (const QUrl& url : event->mimeData()->urls()) {
        if (isPackageUrl(url)) {
            event->acceptProposedAction();
            openPackage(url.toLocalFile());
            return;
        }
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    context_.settings().setWindowGeometry(saveGeometry());
    context_.settings().setWindowState(saveState());
    // Peers added by hand are in peers.json now; the settings' list, which
    // startMesh moved there, is not written again.
    context_.settings().setMeshPeers({});
    context_.settings().sync();
    context_.runner().cancelAll();
    QMainWindow::closeEvent(event);
}
