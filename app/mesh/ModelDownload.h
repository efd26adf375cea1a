// One model download from the mesh: HTTP Range requests to one or several
// peers, written through the core's DownloadJournal (resumable after a pause,
// a crash or a kill) and scheduled by its RangePlan (work-stealing across
// peers, failover, end-game duplicates). The file `<dest>/{model_id}.{format}`
// and its catalog entry `{model_id}.json` appear only after the whole file's
// SHA-256 matched the catalog's.
//
// Threading: the object, its QNetworkAccessManager and the plan live on the
// owner's thread, which only copies bytes out of the replies into one buffer
// per chunk. Everything that blocks (opening the journal, writing a chunk,
// fdatasync, hashing, the final check) runs on the global QThreadPool and
// reports back to the owner's thread, so a GUI never stalls. Reading from the
// network pauses while too many chunks wait for the disk (backpressure
// through the replies' bounded read buffers), which bounds memory.
//
// Peer keys inside the plan are the peers' endpoint URLs, so every message
// names the peer the way a user can reach it.
#pragma once

#include <QElapsedTimer>
#include <QFuture>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/catalog.h"
#include "core/download_journal.h"
#include "core/download_progress.h"
#include "core/job.h"
#include "core/range_plan.h"

class QNetworkAccessManager;
class QNetworkReply;
class PeerDirectory;

struct DownloadSource {
    QString endpoint;   // "http://host:port"
    QString nodeKey;    // the catalog's key for the peer (node id); "" if unknown
};

struct ModelDownloadOptions {
    int stallTimeoutMs = 15000;         // a request with no byte for this long fails over
    int chunkListTimeoutMs = 5000;      // how long to wait for peers' /chunks lists
    std::uint32_t chunksPerRequest = 4; // one Range request covers up to this many chunks
    int maxPendingChunks = 6;           // chunks waiting for the disk before reading pauses
    bool askChunkLists = true;          // ask /v1/models/{id}/chunks (only when several peers)
};

class ModelDownload : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Preparing, Running, Verifying, Paused, Finished, Failed, Cancelled };
    Q_ENUM(State)

    ModelDownload(atmo::CatalogEntry entry, std::vector<DownloadSource> sources, std::filesystem::path destDir,
                  ModelDownloadOptions options = {}, QObject* parent = nullptr);
    ~ModelDownload() override;

    // Outcomes of each peer go into its ranking (recordTransfer) when given.
    void setDirectory(PeerDirectory* directory) { directory_ = directory; }

    void start();   // also resumes after pause()
    void pause();   // stops the requests, keeps what is on disk
    void cancel();  // stops and removes the partial download

    State state() const { return state_; }
    QString error() const { return error_; }
    std::filesystem::path finalPath() const;
    std::filesystem::path entryPath() const;
    const atmo::JournalOpenReport& openReport() const { return openReport_; }
    // Bytes received over the network since this object was made (all runs).
    std::uint64_t bytesReceived() const { return bytesReceived_; }
    const atmo::DownloadProgress& progress() const { return progress_; }
    // The plan's view of every peer of the current run (state, bytes, problem).
    std::vector<atmo::PeerStats> peerStats() const;

signals:
    void stateChanged(ModelDownload::State state);
    void progressChanged(const atmo::DownloadProgress& progress);
    // Opening or finishing: "checking" / "verifying" with bytes.
    void phaseProgress(const QString& phase, quint64 done, quint64 total);
    // A peer's bytes failed a check; the download goes on with the others.
    void peerProblem(const QString& endpoint, const QString& message);
    void finished(bool ok);

private:
    struct Request;
    struct Committed;

    void fail(const QString& message);
    void setState(State s);
    void askChunkLists();
    void openJournal(std::vector<std::string> chunkHashes, std::uint64_t chunkSize);
    void onOpened(std::shared_ptr<atmo::DownloadJournal> journal, QString error);
    void schedule();
    void issue(const QString& peer, const atmo::Assignment& a);
    void onReadyRead(Request* r);
    void onReplyFinished(Request* r);
    bool checkHeaders(Request* r);
    void take(Request* r, const char* data, qint64 size);
    void commit(Request* r);
    void onCommitted(const Committed& c);
    void dropRequest(Request* r, atmo::ChunkFailure why, const QString& detail);
    void dropPeer(const QString& peer, atmo::ChunkFailure why, const QString& detail);
    void stopRequests();
    void drainAll();
    void onTick();
    void maybeFinish();
    void onFinishReport(atmo::Result<atmo::FinishReport> report);
    void reportPeers(bool verified);
    void waitForDisk();
    void halt();
    void emitProgress(bool force);
    QString peerName(const QString& endpoint) const;
    QString nodeKeyOf(const QString& endpoint) const;

    atmo::CatalogEntry entry_;
    std::vector<DownloadSource> sources_;
    std::filesystem::path dest_;
    ModelDownloadOptions options_;
    QPointer<PeerDirectory> directory_;
    QNetworkAccessManager* net_;
    State state_ = State::Idle;
    QString error_;
    quint64 generation_ = 0; // bumps on pause/cancel: late callbacks of an older run are ignored
    atmo::CancelToken cancel_;

    std::shared_ptr<atmo::DownloadJournal> journal_;
    std::unique_ptr<atmo::RangePlan> plan_;
    atmo::JournalOpenReport openReport_;
    std::vector<std::unique_ptr<Request>> requests_;
    std::vector<QNetworkReply*> listReplies_;
    int pendingCommits_ = 0;
    QList<QFuture<void>> futures_;
    std::map<QString, QString> problems_; // endpoint → last problem, for the final message
    std::vector<std::string> chunkHashes_;
    std::uint64_t hashChunkSize_ = 0;
    bool finishing_ = false;
    QTimer tick_;
    QElapsedTimer sinceProgress_;
    std::uint64_t bytesReceived_ = 0;
    atmo::DownloadProgress progress_;
};

Q_DECLARE_METATYPE(atmo::DownloadProgress)
