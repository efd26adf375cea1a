// One file downloaded from the mesh — a model, or a package file — with HTTP
// Range requests to one or several peers, written through the core's DownloadJournal (resumable after a pause,
// a crash or a kill) and scheduled by its RangePlan (work-stealing across
// peers, failover, end-game duplicates). The file `<dest>/{fileName}` (a
// model: `{model_id}.{format}`, with its catalog entry `{model_id}.json`
// beside it) appears only after the whole file's SHA-256 matched the one the
// download was asked for.
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
#include "core/rate_limiter.h"

class QNetworkAccessManager;
class QNetworkReply;
class PeerDirectory;

struct DownloadSource {
    QString endpoint;   // "http://host:port"
    QString nodeKey;    // the catalog's key for the peer (node id); "" if unknown
};

// What to download: the same path on every peer, its size and SHA-256 (from
// a catalog entry or a package listing), and the name it gets when verified.
struct DownloadSpec {
    std::string key;         // names the download in messages and the journal: a model id, "{pkg}-v{ver}-tier1"
    std::uint64_t sizeBytes = 0;
    std::string sha256;      // lowercase hex of the whole file
    QString urlPath;         // e.g. "/v1/models/download/yolo" (percent-encoded)
    std::string fileName;    // the verified file's name under the destination
    QString chunkListPath;   // where peers list per-chunk hashes; "" when they do not
    std::optional<atmo::CatalogEntry> entry; // models: written as {model_id}.json after verify

    static DownloadSpec forModel(const atmo::CatalogEntry& entry);
};

struct MeshDownloadOptions {
    int stallTimeoutMs = 15000;         // a request with no byte for this long fails over
    int chunkListTimeoutMs = 5000;      // how long to wait for peers' /chunks lists
    std::uint32_t chunksPerRequest = 4; // one Range request covers up to this many chunks
    int maxPendingChunks = 6;           // chunks waiting for the disk before reading pauses
    bool askChunkLists = true;          // ask /v1/models/{id}/chunks (only when several peers)
};

class MeshDownload : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Preparing, Running, Verifying, Paused, Finished, Failed, Cancelled };
    Q_ENUM(State)

    MeshDownload(DownloadSpec spec, std::vector<DownloadSource> sources, std::filesystem::path destDir,
                 MeshDownloadOptions options = {}, QObject* parent = nullptr);
    MeshDownload(const atmo::CatalogEntry& entry, std::vector<DownloadSource> sources, std::filesystem::path destDir,
                 MeshDownloadOptions options = {}, QObject* parent = nullptr)
        : MeshDownload(DownloadSpec::forModel(entry), std::move(sources), std::move(destDir), options, parent)
    {
    }
    ~MeshDownload() override;

    // Outcomes of each peer go into its ranking (recordTransfer) when given.
    void setDirectory(PeerDirectory* directory) { directory_ = directory; }

    // Caps the download's total rate over all its peers (bytes per second,
    // 0 = uncapped); takes effect at once, also while running.
    void setRateLimit(std::uint64_t bytesPerSecond);
    std::uint64_t rateLimit() const { return limiter_.rate(); }

    void start();   // also resumes after pause()
    void pause();   // stops the requests, keeps what is on disk
    void cancel();  // stops and removes the partial download

    const DownloadSpec& spec() const { return spec_; }
    State state() const { return state_; }
    QString error() const { return error_; }
    std::filesystem::path finalPath() const;
    std::filesystem::path entryPath() const; // empty when the spec has no catalog entry
    const atmo::JournalOpenReport& openReport() const { return openReport_; }
    // Bytes received over the network since this object was made (all runs).
    std::uint64_t bytesReceived() const { return bytesReceived_; }
    const atmo::DownloadProgress& progress() const { return progress_; }
    // The plan's view of every peer of the current run (state, bytes, problem).
    std::vector<atmo::PeerStats> peerStats() const;

signals:
    void stateChanged(MeshDownload::State state);
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
    std::uint64_t allowance();
    QString peerName(const QString& endpoint) const;
    QString nodeKeyOf(const QString& endpoint) const;

    DownloadSpec spec_;
    std::vector<DownloadSource> sources_;
    std::filesystem::path dest_;
    MeshDownloadOptions options_;
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
    atmo::RateLimiter limiter_;
    QTimer throttle_; // wakes the reads when the rate limit allows more
    QElapsedTimer sinceProgress_;
    std::uint64_t bytesReceived_ = 0;
    atmo::DownloadProgress progress_;
};

Q_DECLARE_METATYPE(atmo::DownloadProgress)
