// One file downloaded from the mesh — a model, or a package file — with HTTP
// Range requests to one or several peers (each request a RangeFetch), written
// through the core's DownloadJournal (resumable after a pause, a crash or a
// kill) and scheduled by its RangePlan (work-stealing across peers, failover,
// end-game duplicates). The file `<dest>/{fileName}` (a model:
// `{model_id}.{format}`, with its catalog entry `{model_id}.json` beside it)
// appears only after the whole file's SHA-256 matched the one the download
// was asked for.
//
// Wrong bytes. Peers that offer per-chunk hashes are caught at the chunk they
// send and the plan fails over. Without them a failed final hash deletes the
// part file and the download runs another round (DownloadRounds says with
// whom and whom to blame): the peer proven to have sent wrong bytes is
// reported (peerProblem, PeerDirectory::recordTransfer) and excluded; when
// several peers shared the failed round, one peer at a time fetches the whole
// file, best ranked first. It fails only when no peer is left, naming the
// peers that sent bad data.
//
// Threading: the object, its QNetworkAccessManager and the plan live on the
// owner's thread, which only copies bytes out of the replies into one buffer
// per chunk. Everything that blocks (opening the journal, writing a chunk,
// fdatasync, hashing, the final check) runs on the journal executor
// (JournalWorker) and reports back to the owner's thread, so a GUI never stalls. Reading from the
// network pauses while too many chunks wait for the disk (backpressure
// through the replies' bounded read buffers), which bounds memory.
//
// What a peer must prove before it costs disk space. The catalog's
// size_bytes is only a claim. A download refuses to start when that claim
// does not fit in the free space minus kFreeSpaceMarginBytes ("not enough
// space: needs X, Y free", naming the model and the peers that claimed it).
// The part file is created sparse and its space reserved (fallocate) only
// after the first answer that proves the size: a 206 whose Content-Range
// total is the expected size, or a 200 whose Content-Length is; the
// reservation too never goes past the free space minus the margin. On a
// failure the part file and its journal stay for a resume only if the
// journal holds at least one committed chunk (whose bytes came from a peer
// that proved the size); with none they are removed. A pause keeps them.
//
// Slow peers. A request is stalled, its chunks go to other peers and the peer
// is dropped, when nothing arrived for stallTimeoutMs, or when a window of
// rateWindowMs (from the request on, headers included) brought less than
// minRateBytesPerSec on average; windows in which we held reading back (our
// disk, our rate limit) do not count. A peer trickling a byte every two
// seconds is dropped after one window.
//
// Peer keys inside the plan are the peers' endpoint URLs, so every message
// names the peer the way a user can reach it. The order of the sources is
// their rank (best first), as the catalog merge gives them.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "core/mesh/catalog_wire.h"
#include "core/transfer/download_journal.h"
#include "core/transfer/download_progress.h"
#include "core/base/progress.h"
#include "core/base/result.h"
#include "core/transfer/range_plan.h"

#include "app/mesh/ChunkListQuery.h"
#include "app/mesh/DownloadNote.h"
#include "app/mesh/DownloadRounds.h"
#include "app/mesh/DownloadSpec.h"
#include "app/mesh/JournalWorker.h"
#include "app/mesh/PeerOutcomes.h"
#include "app/mesh/RangeFetch.h"
#include "app/mesh/ReadThrottle.h"

class QNetworkAccessManager;
class PeerDirectory;
#include "app/relay/RelayClient.h"

struct MeshDownloadOptions {
    int stallTimeoutMs = 15000;         // a request with no byte for this long fails over
    std::uint64_t minRateBytesPerSec = 8192; // a request slower than this over a window fails over (0: never)
    int rateWindowMs = 10000;           // the window minRateBytesPerSec is measured over
    int chunkListTimeoutMs = 5000;      // how long to wait for peers' /chunks lists
    std::uint32_t chunksPerRequest = 4; // one Range request covers up to this many chunks
    int maxPendingChunks = 6;           // chunks waiting for the disk before reading pauses
    bool askChunkLists = true;          // ask /v1/models/{id}/chunks (only when several peers)
    bool endGame = true;                // duplicate a slow peer's last chunks (RangePlan's end-game)
    // Nodes through the relay: a sender with no piece for this long is
    // dropped (it resends a piece after 30 s without an ack), and nodes
    // that wait for our relay link to come back are dropped after relayLinkWaitMs.
    int relayStallTimeoutMs = 65000;
    int relayLinkWaitMs = 150000;
};

class MeshDownload : public QObject, private ChunkFetch::Host {
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

    // The journal's chunk when every source is through the relay (see openJournal).
    static constexpr std::uint64_t kRelayJournalChunkSize = 1ull << 20;
    // Kept free beyond what a download reserves.
    static constexpr std::uint64_t kFreeSpaceMarginBytes = atmo::kFreeSpaceMarginBytes;

    // Outcomes of each peer go into its ranking (recordTransfer) when given.
    void setDirectory(PeerDirectory* directory) { outcomes_.setDirectory(directory); }

    // The relay link for sources reached through the mesh's relay
    // (DownloadSource::relayNode), and our node id on it. Without one such
    // sources fail at once, saying so.
    void setRelay(RelayClient* relay, const QString& ownNodeId);

    // Caps the download's total rate over all its peers (bytes per second,
    // 0 = uncapped); takes effect at once, also while running.
    void setRateLimit(std::uint64_t bytesPerSecond);
    std::uint64_t rateLimit() const { return throttle_.rate(); }

    void start();   // also resumes after pause()
    void pause();   // stops the requests, keeps what is on disk
    void cancel();  // stops and removes the partial download

    const DownloadSpec& spec() const { return spec_; }
    State state() const { return state_; }
    QString error() const { return error_; }
    // The failure's kind: BadData when peers sent wrong bytes, else Failed
    // (or what the disk said: NoSpace, Io...).
    atmo::ErrorCode errorCode() const { return errorCode_; }
    // The failure as the window says it (error() is the English detail).
    const DownloadNote& failure() const { return failure_; }
    // The last peerProblem() or retrying() as the window says it.
    const DownloadNote& lastProblem() const { return problem_; }
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
    // Opening or finishing: Phase::Checking / Phase::Verifying with bytes.
    void phaseProgress(atmo::Phase phase, quint64 done, quint64 total);
    // A peer's bytes failed a check; the download goes on with the others.
    void peerProblem(const QString& endpoint, const QString& message);
    // The whole file failed its SHA-256 and is fetched again: one line that
    // says from whom ("defects-v2: the file did not match ...; fetching it
    // again from peer http://... alone").
    void retrying(const QString& message);
    void finished(bool ok);

private:
    // ChunkFetch::Host
    std::uint64_t readAllowance() override;
    void bytesRead(std::uint64_t bytes, atmo::SteadyTime now) override;
    void chunkArrived(const ChunkFetch& fetch, std::uint32_t chunk, QByteArray bytes) override;
    void fetchActivity(ChunkFetch& fetch) override;

    void fail(const QString& message, atmo::ErrorCode code, DownloadNote note);
    void fail(const QString& message, DownloadNote::Kind kind);
    void reportProblem(const QString& peer, const QString& message, DownloadNote::Kind kind);
    atmo::ErrorCode noPeerLeftCode() const;
    void setState(State s);
    void askChunkLists();
    void openJournal(std::vector<std::string> chunkHashes, std::uint64_t chunkSize);
    void onOpened(const QString& error);
    void startRound();
    void schedule();
    void onExhausted();
    void service(ChunkFetch* fetch);
    void commit(const QString& peer, std::uint32_t chunk, QByteArray data);
    void onCommitted(const JournalWorker::Commit& c);
    // Both take their texts by value: dropping a request destroys the fetch,
    // and a reference into it (its failure()) would dangle.
    void dropRequest(ChunkFetch* fetch, atmo::ChunkFailure why, QString detail);
    void dropPeer(QString peer, atmo::ChunkFailure why, QString detail);
    void stopRequests();
    void drainAll();
    void onTick();
    void maybeFinish();
    bool giveUpOnRelayLink();
    void onFinishReport(const atmo::Result<atmo::FinishReport>& report);
    void retireRound();
    void convict(const DownloadRounds::Conviction& c);
    QString noPeerLeft(const std::string& actualSha256) const;
    void halt();
    void emitProgress(bool force);
    QString peerName(const QString& endpoint) const;
    std::vector<QString> sourceNames() const;

    DownloadSpec spec_;
    std::vector<DownloadSource> sources_;
    std::filesystem::path dest_;
    MeshDownloadOptions options_;
    QNetworkAccessManager* net_;
    JournalWorker* disk_;
    State state_ = State::Idle;
    QString error_;
    atmo::ErrorCode errorCode_ = atmo::ErrorCode::Failed;
    DownloadNote failure_;
    DownloadNote problem_;
    quint64 generation_ = 0; // bumps on pause/cancel: late callbacks of an older run are ignored

    std::unique_ptr<atmo::RangePlan> plan_;
    atmo::JournalOpenReport openReport_;
    bool reopening_ = false; // the journal is opened again for another round, not by start()
    std::vector<std::unique_ptr<ChunkFetch>> fetches_;
    // Relay streams that delivered the file's end: their senders hear how
    // the final check went (ChunkFetch::verdict).
    std::vector<std::unique_ptr<ChunkFetch>> awaitingVerdict_;
    QPointer<RelayClient> relay_;
    QString ownNodeId_;
    QMetaObject::Connection relayState_;
    QElapsedTimer relayDown_; // valid while relay nodes wait for our link
    ChunkListQuery* listQuery_ = nullptr;
    PeerOutcomes outcomes_;
    std::vector<std::string> chunkHashes_;
    std::uint64_t hashChunkSize_ = 0;
    bool finishing_ = false;
    bool sizeProven_ = false; // a peer proved the size this round: the part file's space is reserved

    DownloadRounds rounds_;
    std::vector<ChunkOrigin> origins_;    // per chunk of the journal: who sent it
    std::uint64_t originsChunkSize_ = 0;
    bool fingerprinting_ = false;         // hash each chunk as it arrives (for DownloadRounds)

    QTimer tick_;
    ReadThrottle throttle_;
    QElapsedTimer sinceProgress_;
    std::uint64_t bytesReceived_ = 0;
    atmo::DownloadProgress progress_;
};

Q_DECLARE_METATYPE(atmo::DownloadProgress)
