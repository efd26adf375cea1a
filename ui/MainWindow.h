// The station's window: a sidebar (Build, Import & Verify, Keys, USB Export, Mesh) over a
// stack of views, menus with shortcuts for the main actions, drag and drop
// of .atmo files, progress in the title bar, geometry kept across runs.
// It owns the mesh downloads (shown in the Mesh view, counted on its sidebar
// entry): a finished model joins the library the station serves; a package
// fetched with "Download and install" opens in Import & Verify and is
// installed there once it verified, exactly as if the user had clicked Install.
#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;
class BuildView;
class ImportVerifyView;
class KeysView;
class UsbExportView;
class MeshPresence;
class RelayPresence;
class MeshView;
class StationContext;
class DownloadManager;
class PeerPackages;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum View { BuildViewIndex, ImportViewIndex, KeysViewIndex, UsbExportViewIndex, MeshViewIndex, ViewCount };

    explicit MainWindow(StationContext& context, QWidget* parent = nullptr);
    StationContext& context() const { return context_; }
    ~MainWindow() override;

    void showView(View view);
    View currentView() const;
    void openPackage(const QString& file);  // switches to Import & Verify
    void exportPackage(const QString& file); // switches to USB Export with the package chosen
    // Opens file in Import & Verify and installs it once it verified (and the
    // Install button would allow it: trusted, intact, fits this device).
    void installPackage(const QString& file);

    BuildView* buildView() const { return build_; }
    ImportVerifyView* importView() const { return import_; }
    KeysView* keysView() const { return keys_; }
    UsbExportView* usbExportView() const { return usb_; }
    MeshView* meshView() const { return mesh_; }
    // The station on the mesh (server, peers, catalog); started by main() or a test.
    MeshPresence& mesh() const { return *presence_; }
    DownloadManager& downloads() const { return *downloads_; }
    PeerPackages& peerPackages() const { return *packages_; }
    void startMesh();  // with the settings' options
    // The mesh on the relay: joins the remembered membership (started by main() or a test).
    RelayPresence& relay() const { return *relay_; }
    void startRelay();
    QListWidget* sidebar() const { return sidebar_; }

    static bool isPackageUrl(const QUrl& url);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void setProgressTitle(const QString& text);
    void showSettings();
    void showAbout();
    void updateMeshStatus();
    void openInvite();
    void updateRelayStatus();
    void openJoinMesh();
    void leaveRelay();
    void onDownloadFinished(quint64 id, bool ok);
    void onVerified(bool ok);
    void updateDownloadBadge();

    StationContext& context_;
    QListWidget* sidebar_;
    QStackedWidget* stack_;
    BuildView* build_;
    ImportVerifyView* import_;
    KeysView* keys_;
    UsbExportView* usb_;
    MeshPresence* presence_;
    RelayPresence* relay_;
    MeshView* mesh_;
    DownloadManager* downloads_;
    PeerPackages* packages_;
    QString pendingInstall_; // opened to be installed once it verified
};
