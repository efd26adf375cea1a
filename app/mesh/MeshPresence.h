// The window's presence on the mesh: the peer server, the peer directory and
// the mDNS node, plus the model library scan that feeds the server. Built by
// the main window and started by the application (tests start it on a free
// port without mDNS, or not at all). The library is scanned on a worker
// thread; until it finishes the server answers with what it had.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <optional>
#include <memory>
#include <vector>

#include "core/mesh/model_library.h"
#include "core/package/station_home.h"

class DownloadManager;
class MeshNode;
class PeerDirectory;
class PeerServer;
class RelayPresence;
class Settings;

class MeshPresence : public QObject {
    Q_OBJECT
public:
    // home: the station whose identity, cache and library it serves.
    explicit MeshPresence(atmo::StationHome home, QObject* parent = nullptr);
    ~MeshPresence() override;

    struct Options {
        bool serve = true;
        QString bind;            // "" = every address
        int port = 14345;        // 0 = any free port
        bool mdns = true;
        QStringList peers;       // added by hand
        std::vector<atmo::LibraryRoot> roots; // empty = the default roots of the station home
    };
    static Options fromSettings(const Settings& settings);

    void start(const Options& options);
    void rescanLibrary();
    // The peers added by hand in the directory now (they are remembered in
    // peers.json as they are added: MeshNode::rememberByHand).
    QStringList peersAddedByHand() const;

    PeerDirectory& directory() { return *directory_; }
    PeerServer& server() { return *server_; }
    MeshNode& node() { return *node_; }
    // Models the manager downloads are served once they land (a rescan when
    // it says so); it shares the library's hash cache and knows what the
    // library has, so nothing already here is fetched or hashed again.
    void attachDownloads(DownloadManager* downloads);
    // The library's models are offered on the mesh's relay too, after each scan.
    void attachRelay(RelayPresence* relay);

    // For the Mesh view: serving what at which addresses a colleague can
    // use, and under which mDNS name (normal text).
    QString statusText() const;
    // A real problem, with what to do about it ("" when none): not serving
    // at all, or mDNS wanted but not available. warningDetail() is the
    // system's own (English) words, for a tooltip.
    QString warningText() const;
    QString warningDetail() const;
    bool scanning() const { return watcher_.isRunning(); }

signals:
    void statusChanged();
    void libraryScanned(int models, const QStringList& problems);

private:
    void scanFinished();

    const atmo::StationHome home_;
    std::unique_ptr<PeerDirectory> directory_;
    std::unique_ptr<PeerServer> server_;
    std::unique_ptr<MeshNode> node_;
    QPointer<DownloadManager> downloads_;
    QPointer<RelayPresence> relay_;
    Options options_;
    QString serverError_;
    std::shared_ptr<atmo::HashCache> cache_;
    QFutureWatcher<void> watcher_;
    std::shared_ptr<std::optional<atmo::Result<atmo::LibraryScan>>> scan_;
    bool rescanWanted_ = false;
    atmo::CancelToken cancel_;
    QStringList problems_;
    bool started_ = false;
};
