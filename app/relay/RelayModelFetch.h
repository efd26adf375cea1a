// One model downloaded from one peer through the mesh's relay
// (`websocket_chunked`, PROTOCOL.md "The relay"): the receiving side of
// RelayModelServer.
//
// The disk side is core's ChunkedReceiver (a DownloadJournal in 64 KiB
// chunks, every chunk checked before it is written, the whole file's SHA-256
// before it gets its final name). Its calls block on disk (writes, fdatasync,
// the final hash of gigabytes), so it lives on a worker thread of its own;
// this object, on the relay client's thread, only passes payloads between
// the relay and the worker, in order.
//
// Resume: the request always asks from the first chunk the journal lacks.
// It is sent when the link is (again) joined and when the peer (re)joins the
// mesh; the sender then starts over from there. A journal left by an earlier
// run (a pause, a crash, Ctrl-C) is resumed the same way.
//
// Ends: Finished (the file verified under its final name), Paused (pause():
// the partial file and journal stay, the sender is told user_cancelled), or
// Failed with error() one line naming the model: the sender cancelled (its
// reason and words), the sender went silent for idleTimeoutMs, the final
// hash did not match, no space, or the peer is not on the relay before it
// started sending.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/cancel_token.h"
#include "core/base/progress.h"
#include "core/base/result.h"
#include "core/mesh/catalog_wire.h"
#include "core/transfer/download_journal.h"
#include "core/transfer/download_progress.h"

class RelayClient;
class RelayFetchWorker;

class RelayModelFetch : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Waiting, Receiving, Finished, Paused, Failed };

    struct Options {
        int idleTimeoutMs = 150000; // the sender's own resends span 4 x 30 s
    };

    // `finalPath`'s folder must exist. `nodeId` is ours (requester_node_id).
    RelayModelFetch(RelayClient* relay, const atmo::CatalogEntry& entry, const QString& nodeId,
                    const QString& peerNodeId, std::filesystem::path finalPath, const Options& options,
                    QObject* parent = nullptr);
    ~RelayModelFetch() override; // a fetch still running is paused (its journal kept)

    void start();
    void pause();
    // Ends the fetch as failed with `why` (the journal kept): the owner saw
    // the link end for good (refused, or taken by another connection).
    void abandon(const QString& why, atmo::ErrorCode code);

    State state() const { return state_; }
    bool ended() const { return state_ == State::Finished || state_ == State::Paused || state_ == State::Failed; }
    QString error() const { return error_; }
    atmo::ErrorCode errorCode() const { return errorCode_; } // its kind (the CLI's exit code)
    const std::filesystem::path& finalPath() const { return finalPath_; }
    QString peerNodeId() const { return peer_; }
    atmo::DownloadProgress progress() const { return progress_; }
    bool resumed() const { return resumed_; }                // an earlier run's journal was picked up
    std::uint64_t bytesReceived() const { return written_; } // bytes this run added
    std::uint32_t duplicateChunks() const { return duplicates_; }

signals:
    void stateChanged(RelayModelFetch::State state);
    void progressChanged(const atmo::DownloadProgress& progress);
    void phaseProgress(atmo::Phase phase, quint64 done, quint64 total); // the final check
    void finished();
    // A model_request went out, asking from this byte; again: not the first.
    void requested(quint64 fromByte, bool again);

private:
    friend class RelayFetchWorker;
    struct Outcome; // what the worker reports after each call
    void onOutcome(const Outcome& outcome);
    void sendRequest();
    void setState(State state);
    void fail(const QString& message, atmo::ErrorCode code);

    RelayClient* relay_;
    atmo::CatalogEntry entry_;
    QString nodeId_;
    QString peer_;
    std::filesystem::path finalPath_;
    Options options_;
    QThread thread_;
    RelayFetchWorker* worker_ = nullptr;
    atmo::CancelToken cancel_;
    State state_ = State::Idle;
    QString error_;
    atmo::ErrorCode errorCode_ = atmo::ErrorCode::Failed;
    atmo::DownloadProgress progress_;
    std::shared_ptr<std::atomic<int>> backlog_ = std::make_shared<std::atomic<int>>(0);
    QTimer firstRequest_; // the request must be out within idleTimeoutMs
    bool requested_ = false;
    bool opened_ = false;
    bool resumed_ = false;
    bool started_ = false;          // the sender's start arrived at least once
    std::uint64_t bytesAtOpen_ = 0; // what an earlier run had left
    std::uint64_t written_ = 0;
    std::uint32_t duplicates_ = 0;
    int requests_ = 0;
};
