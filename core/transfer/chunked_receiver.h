// One incoming transfer in `websocket_chunked` mode (PROTOCOL.md, "The
// relay"), written through the same DownloadJournal and final check as an
// HTTP download: nothing gets the final name unless the whole file's SHA-256
// is the catalog's.
//
// The journal's chunk size is the transfer's (64 KiB), so the journal's
// bitmap is the protocol's bitmap: a receiver recreated after a restart or a
// reconnect asks for resume_from_byte = the offset of the first missing
// chunk, and of what was on its way only the chunks in flight (at most the
// window, 2) come again. Chunks after a hole that arrive again are
// acknowledged and not rewritten; chunks may arrive in any order.
//
// Each chunk is checked before it is written: its request, model and
// total_chunks, its size (exactly the chunk's size in the layout), and its
// chunk_sha256 when the sender gave one. A bad copy (those, or base64 that
// is not) is neither written nor acknowledged, so the sender sends it again
// after its 30 s; the maxBadCopies-th bad copy of one chunk cancels with
// hash_mismatch. model_transfer_start must match the catalog entry asked for
// (model id, size, sha256) in 64 KiB chunks; anything else cancels.
//
// Like ChunkedSender it reads no clock and sends nothing: each call gets the
// time and returns the payloads to send (acks, complete, cancel). An idle
// timer (nextDeadline / onTimer) gives up on a sender that went silent: its
// own resends span 4 x 30 s. Calls block on disk (writes, the final hash):
// the app runs them on its journal executor, one call at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/progress.h"
#include "core/base/rate_meter.h"
#include "core/base/result.h"
#include "core/mesh/catalog_wire.h"
#include "core/transfer/download_journal.h"
#include "core/transfer/download_progress.h"
#include "core/transfer/transfer_messages.h"

namespace atmo {

struct ChunkedReceiverOptions {
    std::string nodeId;        // ours: requester_node_id and cancelled_by
    std::string targetNodeId;  // the peer serving the model
    std::string requestId;     // empty: a random one
    std::uint32_t maxBadCopies = 3; // of one chunk, then cancel hash_mismatch
    // No message from the sender for this long: cancel timeout. The sender
    // resends a chunk 3 times 30 s apart before it gives up itself.
    std::chrono::milliseconds idleTimeout = std::chrono::seconds(150);
    // reserveOnOpen = false: the part file's space is reserved only when a
    // start that matches the catalog arrives (the size is a peer's claim).
    JournalOptions journal;
};

class ChunkedReceiver {
public:
    enum class State {
        Waiting,   // model_request sent (or to send), no start yet
        Receiving, // start accepted, chunks arriving
        Verified,  // the file is under its final name
        Failed,    // cancelled, by either side or by the final check; see cancellation()
    };

    // Opens (or resumes) the journal of `entry` at `finalPath` (its directory
    // must exist) in 64 KiB chunks; a journal in another chunk size (an HTTP
    // download's) is started over. Fails as DownloadJournal::open does
    // (busy, no space, a file too large for 64 KiB chunks in the journal).
    // A download that had already been verified comes back as Verified.
    static Result<std::unique_ptr<ChunkedReceiver>> open(const std::filesystem::path& finalPath,
                                                         const CatalogEntry& entry,
                                                         const ChunkedReceiverOptions& options,
                                                         Observer* observer, const CancelToken& cancel);
    ~ChunkedReceiver(); // closes the journal (a pause) unless it is spent

    ChunkedReceiver(const ChunkedReceiver&) = delete;
    ChunkedReceiver& operator=(const ChunkedReceiver&) = delete;

    // The model_request for what is still missing (resume_from_byte = the
    // first missing chunk's offset). Calling it again (after a reconnect)
    // asks anew from the journal's current state and waits for a new start;
    // it also restarts the idle timer.
    ModelRequest request() const;
    std::string requestMessage(SteadyTime now);

    // A payload from the sender. Returns what to send back: acks, and at the
    // end model_transfer_complete, or model_transfer_cancel.
    std::vector<std::string> onMessage(std::string_view payloadJson, SteadyTime now);
    // The idle timer: nullopt until requestMessage() was first called.
    std::optional<SteadyTime> nextDeadline() const;
    std::vector<std::string> onTimer(SteadyTime now);
    // Stops here: the model_transfer_cancel to send (nothing when it already
    // ended). keepPartial: the journal is closed for a later resume (a
    // pause), else the part file and the journal are removed.
    std::vector<std::string> cancel(CancelReason reason, const std::string& message, bool keepPartial);

    State state() const { return state_; }
    bool finished() const { return state_ == State::Verified || state_ == State::Failed; }
    const std::optional<TransferCancel>& cancellation() const { return cancel_; }
    const std::optional<FinishReport>& finishReport() const { return finish_; }
    const JournalOpenReport& openReport() const { return openReport_; }
    const std::filesystem::path& finalPath() const { return finalPath_; }

    // Progress as the protocol's event has it (rate smoothed by a RateMeter).
    DownloadProgress progress(SteadyTime now) const;
    std::string progressMessage(SteadyTime now) const;

    // This session's counts (tests and benchmarks).
    std::uint32_t chunksWritten() const { return written_; }
    std::uint32_t duplicateChunks() const { return duplicates_; }
    std::uint32_t badCopies() const { return badTotal_; }

private:
    ChunkedReceiver(std::filesystem::path finalPath, CatalogEntry entry, ChunkedReceiverOptions options,
                    Observer* observer, CancelToken cancel);
    std::vector<std::string> onStart(const TransferStart& s);
    std::vector<std::string> onChunk(const TransferChunk& c, SteadyTime now);
    std::vector<std::string> badCopy(std::uint32_t index, const std::string& why);
    std::vector<std::string> finishIfComplete();
    std::vector<std::string> stop(CancelReason reason, const std::string& message, bool keepPartial);
    std::string ack(std::uint32_t index) const;

    std::filesystem::path finalPath_;
    CatalogEntry entry_;
    ChunkedReceiverOptions options_;
    Observer* observer_;
    CancelToken cancelToken_;
    std::unique_ptr<DownloadJournal> journal_;
    JournalOpenReport openReport_;
    ChunkLayout layout_;
    std::uint64_t doneBytes_ = 0;   // kept after the journal is spent
    std::uint32_t doneChunks_ = 0;
    State state_ = State::Waiting;
    SteadyTime lastHeard_{};
    bool asked_ = false;              // requestMessage() was called: the idle timer runs
    std::map<std::uint32_t, std::uint32_t> bad_; // bad copies per chunk
    std::optional<TransferCancel> cancel_;
    std::optional<FinishReport> finish_;
    std::string completeMessage_;     // said again when a chunk comes after the end
    RateMeter meter_;
    std::uint32_t written_ = 0, duplicates_ = 0, badTotal_ = 0;
};

} // namespace atmo
