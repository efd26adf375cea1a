// The Mesh view's Packages tab: the signed packages other stations offer
// (PeerPackages), one row per package and version with its variants below
// (the full package, each tier, then each delta update from an earlier
// version), with size, the peers that offer the exact bytes and what this
// station has of it (downloading, downloaded, failed). A delta downloads like
// the others; Import & Verify says whether its base is what is installed.
// "Download" and "Download and install" act on the chosen row (a package row
// means its full file); a variant already downloaded is opened instead of
// fetched again. Nothing here trusts a listing: whatever arrives is verified
// in Import & Verify like any other package.
#pragma once

#include <QString>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;
class DownloadManager;
class PeerPackages;
struct PeerPackage;
struct PeerPackageFile;

class PeerPackagesView : public QWidget {
    Q_OBJECT
public:
    enum Column { PackageColumn, VersionColumn, TiersColumn, SizeColumn, PeersColumn, StatusColumn, ColumnCount };

    // downloadsDir: where the manager puts package files (StationHome::downloadsDir()).
    PeerPackagesView(PeerPackages& packages, DownloadManager& downloads, QString downloadsDir,
                     QWidget* parent = nullptr);

    // Chooses a row: tier nullopt = the package row (its full file).
    bool select(const QString& id, const QString& version, std::optional<int> tier = std::nullopt);
    // What the buttons do, for the chosen row.
    void download(bool install);
    void openChosen();
    // "" when Download can start for the chosen row, else why not.
    QString downloadBlockedReason() const;

    QTreeWidget* tree() const { return tree_; }
    QPushButton* downloadButton() const { return download_; }
    QPushButton* installButton() const { return install_; }
    QPushButton* openButton() const { return open_; }
    QLabel* reasonLabel() const { return reason_; }
    QLabel* problemsLabel() const { return problems_; }

signals:
    // A downloaded package file to show in Import & Verify (install: and
    // install it once it verified).
    void openRequested(const QString& file, bool install);

private:
    struct Choice {
        const PeerPackage* package = nullptr;
        const PeerPackageFile* file = nullptr;
    };
    Choice chosen() const;
    QString pathOf(const PeerPackage& package, const PeerPackageFile& file) const;
    QString keyOf(const PeerPackage& package, const PeerPackageFile& file) const;
    void rebuild();
    void updateStatus();
    void updateButtons();
    void fill(QTreeWidgetItem* item, const PeerPackage& package, const PeerPackageFile* file);

    PeerPackages& packages_;
    DownloadManager& downloads_;
    QString downloadsDir_;
    QStackedWidget* stack_;
    QTreeWidget* tree_;
    QLabel* empty_;
    QPushButton* download_;
    QPushButton* install_;
    QPushButton* open_;
    QLabel* reason_;
    QLabel* problems_;
};
