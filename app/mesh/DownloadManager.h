// The station's downloads: the window's one queue of mesh transfers.
//
// Bookkeeping is the core's TransferQueue (priorities critical > high >
// normal > low, one active transfer per level, FIFO within a level, paused
// entries keep their place); each active entry is driven by a MeshDownload,
// rate-limited by the size-class caps from the settings (LAN default:
// uncapped), re-applied at once when the caps change. Sources are the peers
// the PeerDirectory ranks for the item when it starts, so a retry after a
// failure asks the mesh again rather than the peers that just failed.
//
// Models land in the station's model library (`{model_id}.{format}` and
// `{model_id}.json` under StationHome::modelsDir()), from where the peer
// server offers them to others; package files land in
// StationHome::downloadsDir(). Everything a download wrote survives a quit:
// adding the same item again resumes from its journal.
//
// An item whose verified file is already there is not downloaded again: a
// model the library scan found with the same SHA-256 (setLibrary), or a file
// at the final name whose hash the shared hash cache knows, is Done as soon as
// it is added; a file at the final name the cache does not know is hashed
// when the item's turn comes (Phase::Checking) and only downloaded if it
// differs. A model that lands is put into the hash cache with the hash the
// download verified (so the rescan reads nothing) and libraryChanged() asks
// for a rescan, after which the peer server offers it
// (MeshPresence::attachDownloads connects the two).
//
// Progress reaches itemChanged() at most about five times a second per item
// (coalesced here); state changes are reported at once.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "app/mesh/MeshDownload.h"
#include "core/mesh/catalog_wire.h"
#include "core/transfer/download_progress.h"
#include "core/mesh/mesh_catalog.h"
#include "core/mesh/model_library.h"
#include "core/mesh/model_presence.h"
#include "core/package/station_home.h"
#include "core/transfer/transfer_queue.h"

class PeerDirectory;
class RelayClient;

class DownloadManager : public QObject {
    Q_OBJECT
public:
    enum class Kind { Model, Package };

    // One row of the downloads panel.
    struct Item {
        quint64 id = 0;
        Kind kind = Kind::Model;
        QString key;                   // the queue key: model id, or "{package}-v{version}[-tier{N}]"
        QString title;                 // what the user clicked: "yolo-v8n", "Production inspection 1.3 (tier 1)"
        quint64 sizeBytes = 0;
        atmo::Priority priority = atmo::Priority::High;
        atmo::TransferState state = atmo::TransferState::Queued;
        MeshDownload::State phase = MeshDownload::State::Idle; // finer than state while active
        atmo::DownloadProgress progress; // bytes, percent, rate, time left, chunks
        QStringList peers;             // endpoints supplying data now (else: those it will ask)
        QString problem;               // the last peer problem while it goes on ("peer http://…: sent bytes …")
        QString error;                 // Failed: one line, naming the peer when bad data was the cause
        DownloadNote problemNote;      // the problem as the window says it (problem is its English detail)
        DownloadNote errorNote;        // the failure as the window says it (error is its English detail)
        QString path;                  // Done: the verified file
        bool installAfter = false;     // a package to install once downloaded and verified
        // While active and not yet receiving: Checking (a file already
        // there, or the part file) or Verifying (the whole file), with bytes.
        atmo::Phase corePhase = atmo::Phase::None; // what the journal reports (Checking, Verifying)
        quint64 phaseDone = 0;
        quint64 phaseTotal = 0;
        bool alreadyHad = false;       // Done without a download: the verified file was already there

        bool canPause() const { return state == atmo::TransferState::Queued || state == atmo::TransferState::Active; }
        bool canResume() const { return state == atmo::TransferState::Paused; }
        bool canCancel() const { return canPause() || canResume(); }
        bool canRetry() const { return state == atmo::TransferState::Failed || state == atmo::TransferState::Cancelled; }
    };

    DownloadManager(atmo::StationHome home, PeerDirectory* directory, QObject* parent = nullptr);
    ~DownloadManager() override; // pauses what runs: journals stay for the next start

    // Queues a model from the merged catalog (priority High: user-requested).
    // Returns the existing item if the same model is queued, active or paused
    // (raised to `priority` unless it runs); one that failed or was cancelled
    // is queued again as it is now in the catalog. A model whose verified file
    // is already here is Done at once (finished() follows from the event loop).
    // Bad entries (an unusable id, format or hash) become a Failed item that
    // says why.
    quint64 addModel(const atmo::MergedEntry& entry, atmo::Priority priority = atmo::Priority::High);
    // Queues one file of a package a peer offers (see PeerPackages).
    quint64 addPackageFile(const QString& title, const DownloadSpec& spec, std::vector<DownloadSource> sources,
                           bool installAfter, atmo::Priority priority = atmo::Priority::High);

    void pause(quint64 id);
    void resume(quint64 id);
    void cancel(quint64 id);  // removes the partial data
    void retry(quint64 id);   // a failed or cancelled item, queued again
    void clearFinished();

    void setCaps(const atmo::BandwidthCaps& caps);
    atmo::BandwidthCaps caps() const { return caps_; }

    // The mesh's relay link for sources reached through it (see
    // MeshDownload::setRelay), for the transfers started from now on.
    void setRelay(RelayClient* relay, const QString& ownNodeId)
    {
        relay_ = relay;
        ownNodeId_ = ownNodeId;
    }

    // Options for the transfers started from now on (stall timeout, ...).
    void setDownloadOptions(const MeshDownloadOptions& options) { options_ = options; }
    // The library's hash cache (shared with the scan): what is already there
    // is recognised without reading it, and landed models are recorded.
    void setHashCache(std::shared_ptr<atmo::HashCache> cache) { cache_ = std::move(cache); }
    // The models the last library scan found (any root): adding one of them
    // with the same SHA-256 reports it Done without downloading.
    void setLibrary(const std::vector<atmo::LocalModel>& models);
    // Where this entry's bytes already are (the last scan, any library root;
    // or a landed download the hash cache knows), or an empty path. The one
    // predicate of core/mesh/model_presence.h; stats only, so the window may ask
    // on every selection.
    std::filesystem::path libraryFile(const atmo::CatalogEntry& entry) const;

    // The transfer running for an item, null when none (tests, diagnostics).
    const MeshDownload* download(quint64 id) const;

    // Rows are in the order items were added and never move, so a view's
    // selection and scroll position survive state changes; the queue order
    // (what starts next) is the core's.
    int count() const;
    const Item& item(int row) const;
    int rowOf(quint64 id) const;       // -1 if unknown
    const Item* find(quint64 id) const;

signals:
    void itemAdded(int row);
    void itemChanged(int row);
    void itemAboutToBeRemoved(int row); // just before itemRemoved(row), while the row is still there
    void itemRemoved(int row);  // clearFinished(), one row at a time
    // A download ended; for packages with installAfter the window opens the
    // file in Import & Verify and installs it there.
    void finished(quint64 id, bool ok);
    // A model landed in StationHome::modelsDir(): rescan the library so the
    // peer server offers it.
    void libraryChanged();
    // An action that does not apply (pause a finished item, retry while
    // another transfer of the same thing runs): one line naming the item.
    void refused(quint64 id, const QString& reason);

private:
    struct Row;

    Row* rowById(quint64 id);
    quint64 addRow(Kind kind, const QString& title, DownloadSpec spec, std::vector<DownloadSource> sources,
                   bool installAfter, atmo::Priority priority);
    std::optional<std::filesystem::path> alreadyThere(const Row& r) const;
    std::filesystem::path destFor(const Row& r) const;
    void schedule();
    void startItem(Row& r);
    void checkExisting(Row& r, const std::filesystem::path& file);
    void onChecked(quint64 id, quint64 generation, bool same);
    void launch(Row& r);
    void onDownloadFinished(quint64 id, bool ok);
    void complete(Row& r, bool ok, const QString& error, const std::filesystem::path& path, DownloadNote note = {});
    void stopTransfer(Row& r, bool discard);
    void refreshSources(Row& r);
    void recordVerified(const std::filesystem::path& file, const std::string& sha256) const;
    void changed(const Row& r);
    void changedLater(const Row& r);
    void flush();
    void refuse(quint64 id, const QString& what);

    atmo::StationHome home_;
    QPointer<PeerDirectory> directory_;
    atmo::TransferQueue queue_;
    atmo::BandwidthCaps caps_;
    MeshDownloadOptions options_;
    QPointer<RelayClient> relay_;
    QString ownNodeId_;
    std::shared_ptr<atmo::HashCache> cache_;
    atmo::LibraryIndex library_;
    std::vector<std::unique_ptr<Row>> rows_;
    quint64 nextId_ = 1;
    std::set<quint64> dirty_;  // items with progress not yet reported
    QTimer flush_;
    QTimer checkTick_;         // shows how far hashing a file already there got
    bool scheduling_ = false;
    bool scheduleAgain_ = false;
};
