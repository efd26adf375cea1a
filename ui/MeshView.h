// Mesh: the peers around this station (how each was found, latency, models,
// reachable) and the merged model catalog they offer, with a search box,
// filters by type, format and capability, sorting by real values, and a
// details panel that says which peers have a model and which would be used.
// With a DownloadManager (the window's), it also downloads: a Download button
// for the chosen model (disabled, with the reason, when the model is already
// here or no peer offers it over HTTP), a Packages tab of what other stations
// offer, and the downloads panel below.
#pragma once

#include <QWidget>

#include <functional>

namespace atmo {
struct CatalogEntry;
}

class QComboBox;
class QSplitter;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTextBrowser;
class QTimer;
class CatalogFilterModel;
class DownloadManager;
class DownloadsPanel;
class ElidedLabel;
class PeerPackages;
class PeerPackagesView;
class MeshCatalogModel;
class PeerDirectory;
class PeerListModel;

class MeshView : public QWidget {
    Q_OBJECT
public:
    explicit MeshView(PeerDirectory& directory, QWidget* parent = nullptr);

    // About this station on the mesh: what it serves where, in normal text
    // ("Serving 3 models on http://192.168.1.20:14345."), and below it a
    // real problem with what to do, as a warning (detail: its tooltip).
    void setStationStatus(const QString& text, const QString& warning = {}, const QString& detail = {});
    QLabel* stationLabel() const { return station_; }
    QLabel* stationWarningLabel() const { return stationWarning_; }
    // Shows "Invite a device…" beside it; disabled with the reason as its
    // tooltip when this station cannot invite (it holds no mesh key).
    void setInviteAvailable(bool available, const QString& reason = {});
    QPushButton* inviteButton() const { return invite_; }
    // One line about this station on the mesh's relay, and the button beside
    // it: "Join a mesh on a relay…", "Leave the relay mesh…" for a member, or
    // "Reconnect" once another program of this home took the link over.
    enum class RelayAction { Join, Leave, Reconnect };
    void setRelayStatus(const QString& text, bool problem, RelayAction action);
    QLabel* relayStatus() const { return relay_; }
    QPushButton* relayButton() const { return relayButton_; }

    bool addPeer(const QString& address, QString* error = nullptr);
    void selectModel(const QString& modelId);
    // Where peers added by hand are remembered, and forgotten (MeshNode's
    // rememberByHand and forget); each returns false with why. Without
    // them, peers added by hand last as long as the window.
    using PeerMemory = std::function<bool(const QString& endpoint, QString* error)>;
    void setPeerMemory(PeerMemory remember, PeerMemory forget);
    // Forgets the chosen peer (what Forget does); only a peer added by hand
    // or remembered can be forgotten.
    void forgetSelectedPeer();
    QPushButton* forgetButton() const { return forget_; }
    QLabel* peerError() const { return addError_; }

    // Turns on downloading (see above); downloadsDir is where package files go.
    void setDownloads(DownloadManager* downloads, PeerPackages* packages, const QString& downloadsDir);
    // Says where a catalog entry already is in this station's library ("" if
    // it is not); the Download button and the details use it.
    using LibraryCheck = std::function<QString(const atmo::CatalogEntry&)>;
    void setLibraryCheck(LibraryCheck check);
    // Queues the chosen model (what the Download button does).
    void downloadSelected();
    // "" when the chosen model can be downloaded, else why not.
    QString downloadBlockedReason() const;
    // Re-evaluates the button, e.g. after the library changed.
    void updateDownloadButton();

    PeerListModel* peerModel() const { return peers_; }
    MeshCatalogModel* catalogModel() const { return catalog_; }
    CatalogFilterModel* filterModel() const { return filter_; }
    QTableView* peerTable() const { return peerTable_; }
    QTableView* catalogTable() const { return catalogTable_; }
    QLineEdit* searchBox() const { return search_; }
    QComboBox* typeFilter() const { return type_; }
    QComboBox* formatFilter() const { return format_; }
    QComboBox* capabilityFilter() const { return capability_; }
    QTextBrowser* details() const { return details_; }
    QPushButton* downloadButton() const { return download_; }
    ElidedLabel* downloadReason() const { return downloadReason_; }
    QTabWidget* tabs() const { return tabs_; }
    PeerPackagesView* packagesView() const { return packagesView_; }
    DownloadsPanel* downloadsPanel() const { return downloadsPanel_; }

signals:
    void inviteRequested();
    void joinRelayRequested();
    void leaveRelayRequested();
    void reconnectRelayRequested();
    // A downloaded package to show in Import & Verify (install: then install it).
    void openPackageRequested(const QString& file, bool install);

private:
    void refreshCatalog();
    void updateForgetButton(); // MeshViewPeers.cpp
    void applyFilter();
    void updateChoices();
    void updateDetails();
    void updateCounts();
    QString peerName(const std::string& nodeKey) const;
    void fitDownloadsPanel();

    PeerDirectory& directory_;
    PeerListModel* peers_;
    MeshCatalogModel* catalog_;
    CatalogFilterModel* filter_;
    QLabel* station_ = nullptr;
    QLabel* stationWarning_ = nullptr;
    QPushButton* invite_ = nullptr;
    QLabel* relay_ = nullptr;
    QPushButton* relayButton_ = nullptr;
    RelayAction relayAction_ = RelayAction::Join;
    QTableView* peerTable_ = nullptr;
    QLineEdit* address_ = nullptr;
    QPushButton* add_ = nullptr;
    QPushButton* forget_ = nullptr;
    QLabel* addError_ = nullptr;
    PeerMemory remember_, forgetPeer_;
    QLabel* counts_ = nullptr;
    QLineEdit* search_ = nullptr;
    QComboBox* type_ = nullptr;
    QComboBox* format_ = nullptr;
    QComboBox* capability_ = nullptr;
    QStackedWidget* catalogStack_ = nullptr;
    QTableView* catalogTable_ = nullptr;
    QLabel* emptyCatalog_ = nullptr;
    QTextBrowser* details_ = nullptr;
    QTimer* coalesce_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QPushButton* download_ = nullptr;
    ElidedLabel* downloadReason_ = nullptr;
    QSplitter* splitter_ = nullptr;
    DownloadManager* downloads_ = nullptr;
    PeerPackages* packages_ = nullptr;
    PeerPackagesView* packagesView_ = nullptr;
    DownloadsPanel* downloadsPanel_ = nullptr;
    LibraryCheck libraryCheck_;
};
