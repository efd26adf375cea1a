// One outgoing transfer in `websocket_chunked` mode (PROTOCOL.md, "The
// relay"): the answer to one model_request, as the payloads to send.
//
// Flow control is the protocol's: at most 2 chunks unacknowledged; a chunk
// with no ack for 30 s is sent again; the 4th time the same chunk times out
// (3 resends that failed) the transfer is cancelled with reason `timeout`.
// An ack frees its chunk's slot and the next chunk goes out; an ack for a
// chunk not in flight (a duplicate, a late one for a chunk acked meanwhile,
// an unknown index, another request) is ignored.
//
// Nothing here reads a clock or sleeps: every call gets the time, and
// nextDeadline() says when onTimer() is due, so the app arms one timer and
// tests drive 30 s in a microsecond. Nothing here sends either: each call
// returns the payloads (JSON text) to send, in order, which the app hands to
// the relay client as `direct` payloads to the requester.
//
// Memory stays flat whatever the file size: chunks are read from the file
// when they are sent (pread, one chunk at a time) and not kept; a resend
// reads its chunk again. Every chunk carries chunk_sha256 (optional in the
// protocol): a receiver that checks it catches a chunk corrupted on the way
// at that chunk instead of at the final hash.
//
// Not thread-safe: one owner calls it (the app: on the thread of its relay
// client; the reads are short, one chunk each).
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

#include "core/base/fs_util.h"
#include "core/base/rate_meter.h"
#include "core/base/result.h"
#include "core/transfer/transfer_messages.h"

namespace atmo {

struct ChunkedSenderOptions {
    std::string nodeId;                          // ours: cancelled_by of a cancel we send
    std::uint64_t chunkSize = kRelayChunkSize;   // 1..64 KiB
    std::uint32_t window = 2;                    // chunks unacknowledged at most
    std::chrono::milliseconds ackTimeout = std::chrono::seconds(30);
    std::uint32_t maxResends = 3;                // of one chunk; one more timeout cancels
};

// The file being served: what the catalog says of it.
struct OutgoingModel {
    std::filesystem::path path;
    std::string modelId;
    std::uint64_t size = 0;
    std::string sha256;                          // lowercase hex of the whole file
    std::string metadataJson = "{}";             // the start message's opaque metadata
};

class ChunkedSender {
public:
    enum class State {
        Sending,   // chunks left to send or to be acknowledged
        AllAcked,  // every chunk acknowledged; waiting for model_transfer_complete
        Completed, // the receiver reported a verified file
        Cancelled, // by us (timeout, read error, cancel()) or by the receiver; see cancel()
    };

    // Checks the request against the file (same model id, a websocket
    // transport) and opens the file (its size must be what the catalog says).
    // Fails with Usage for a request this sender cannot answer, NotFound or
    // Io for the file.
    static Result<std::unique_ptr<ChunkedSender>> create(const ModelRequest& request, const OutgoingModel& model,
                                                         const ChunkedSenderOptions& options = {});

    // model_transfer_start, then the first chunks (up to the window) from the
    // request's resume_from_byte rounded down to a chunk boundary. Call once.
    std::vector<std::string> start(SteadyTime now);
    // A payload from the requester (ack, cancel, complete); anything else,
    // or for another request, is ignored. Returns what to send in answer.
    std::vector<std::string> onMessage(std::string_view payloadJson, SteadyTime now);
    // Resends what timed out, or cancels: call at nextDeadline() (earlier or
    // later is harmless).
    std::vector<std::string> onTimer(SteadyTime now);
    // When onTimer() is next due; nullopt while nothing waits for an ack.
    std::optional<SteadyTime> nextDeadline() const;
    // Stops the transfer: the model_transfer_cancel to send (nothing when it
    // already ended).
    std::vector<std::string> cancel(CancelReason reason, const std::string& message);

    State state() const { return state_; }
    bool finished() const { return state_ == State::Completed || state_ == State::Cancelled; }
    // How it was cancelled, when state() == Cancelled.
    const std::optional<TransferCancel>& cancellation() const { return cancel_; }
    // The receiver's report, when it sent one.
    const std::optional<TransferComplete>& completion() const { return complete_; }

    const ModelRequest& request() const { return request_; }
    std::uint32_t totalChunks() const { return totalChunks_; }
    std::uint32_t firstChunk() const { return first_; }   // where this transfer started
    std::uint32_t inFlight() const { return std::uint32_t(inFlight_.size()); }
    std::uint64_t bytesSent() const { return bytesSent_; }  // chunk bytes sent, resends included
    std::uint64_t bytesAcked() const { return bytesAcked_; }
    std::uint32_t chunksSent() const { return chunksSent_; } // chunk messages, resends included
    std::uint32_t resends() const { return resendCount_; }
    double rate(SteadyTime now) const { return meter_.rate(now); } // acknowledged bytes/s

private:
    struct Pending {
        SteadyTime sentAt;
        std::uint32_t resends = 0;
    };
    ChunkedSender(ModelRequest request, OutgoingModel model, ChunkedSenderOptions options, UniqueFd fd);
    std::string chunkMessage(std::uint32_t index); // throws Failure on a read error
    void fill(std::vector<std::string>& out, SteadyTime now);
    std::vector<std::string> stop(CancelReason reason, const std::string& message);
    std::uint64_t chunkLength(std::uint32_t index) const;

    ModelRequest request_;
    OutgoingModel model_;
    ChunkedSenderOptions options_;
    UniqueFd fd_;
    std::uint32_t totalChunks_ = 0;
    std::uint32_t first_ = 0;
    std::uint32_t next_ = 0;                        // next chunk never sent
    std::map<std::uint32_t, Pending> inFlight_;     // sent, not acknowledged
    State state_ = State::Sending;
    bool started_ = false;
    std::optional<TransferCancel> cancel_;
    std::optional<TransferComplete> complete_;
    std::uint64_t bytesSent_ = 0, bytesAcked_ = 0;
    std::uint32_t chunksSent_ = 0, resendCount_ = 0;
    RateMeter meter_;
    std::string buffer_;                            // one chunk, reused
};

} // namespace atmo
