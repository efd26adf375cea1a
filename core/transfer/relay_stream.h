// One stretch of a file received through the mesh's relay in
// `websocket_chunked` mode (PROTOCOL.md "Transfer messages", "The relay"),
// as a source of a multi-peer download: the relay side of what an HTTP
// Range request is to an HTTP peer.
//
// The protocol's model_request has no end, only resume_from_byte, and the
// sender goes on to the end of the file in its 64 KiB pieces, at most 2
// unacknowledged. A download that spreads a file over several peers (and
// keeps its journal in its own chunks, 4 MiB and more) wants a range, so a
// stream asks from the range's first byte, hands the bytes over in order
// as they arrive, may be extended while the next range the download wants
// from this peer starts where the stream is, and is cut with a
// model_transfer_cancel (user_cancelled) when it is not. A cut costs at
// most the window (2 pieces) sent in vain. The stream that reaches the end
// of the file answers with model_transfer_complete once the download has
// checked the whole file (completeMessage()), as the mesh's receivers do.
//
// Backpressure: a piece is acknowledged when it is taken (take()), so a
// download waiting for its disk or its rate limit holds the sender back
// through the protocol's window instead of piling up pieces in memory.
// Only while the piece the stream needs next is missing (a bad copy on its
// way again, reordering) are later pieces acknowledged as they arrive, so
// the sender does not resend what is here; they wait in memory
// (kMaxWaitingPieces at most; more are dropped unacknowledged). A piece
// already taken, arriving again, is acknowledged and dropped. Pieces are checked before they count: request, model,
// total_chunks, their exact size, chunk_sha256 when given, base64. A bad
// copy is not acknowledged (the sender sends it again after its 30 s); the
// maxBadCopies-th bad copy of one piece fails the stream, a mismatch. The
// start must name the file asked for (size, SHA-256, websocket_chunked);
// pieces that come before it are taken as the protocol's 64 KiB pieces
// when their total_chunks says so (a start lost or late on the relay does
// not stall the stream: the start is still checked when it comes, and the
// download checks the whole file's SHA-256 in any case).
//
// No clock, no I/O: payloads in, payloads (JSON text) out, which the app
// sends to the peer as `direct` messages. Not thread-safe; one owner.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/transfer/transfer_messages.h"

namespace atmo {

struct RelayStreamTarget {
    std::string modelId;
    std::uint64_t size = 0;
    std::string sha256;       // lowercase hex of the whole file
    std::string ownNodeId;    // requester_node_id, cancelled_by
    std::string peerNodeId;   // target_node_id
    std::string requestId;    // one per stream
};

class RelayStream {
public:
    enum class State {
        Waiting,   // asked, no start yet
        Streaming, // the start matched; pieces arrive
        Done,      // every byte up to end() was taken
        Failed,    // failure() says why
    };
    // What kind of failure: the peer's bytes were wrong (a mismatch), its
    // start cannot be used (another model, http_range), or the sender
    // ended the transfer (its cancel).
    enum class Fault { None, Mismatch, Unusable, Ended };

    // Bytes [from, to) of the file; from < to <= target.size.
    RelayStream(RelayStreamTarget target, std::uint64_t from, std::uint64_t to, std::uint32_t maxBadCopies = 3);

    // The model_request to send (resume_from_byte = from).
    std::string requestMessage() const;

    // A payload the relay delivered from the peer. Returns what to send back
    // at once (acks for pieces already taken). Payloads of other requests
    // are ignored; a malformed one counts as a bad copy when it names a piece
    // of this request, and is ignored otherwise.
    std::vector<std::string> onMessage(std::string_view payloadJson);

    // The next bytes in order, when the piece holding them is here: at most
    // `max` bytes (the rest of that piece stays for the next call), and the
    // ack to send once the piece has been taken whole. nullopt: nothing to
    // take now.
    struct Taken {
        std::string bytes;
        std::optional<std::string> ack;
    };
    std::optional<Taken> take(std::uint64_t max);

    // Asks the stream to go on to `to` (> end(), <= size).
    void extendTo(std::uint64_t to);
    // The model_transfer_cancel that cuts the stream (user_cancelled);
    // nothing once it failed because the sender ended it.
    std::optional<std::string> cancelMessage(const std::string& why) const;
    // model_transfer_complete for a stream that ended at the end of the
    // file, once the whole file was checked (computed: its SHA-256).
    std::string completeMessage(const std::string& computedSha256, const std::string& fileName) const;

    State state() const { return state_; }
    Fault fault() const { return fault_; }
    const std::string& failure() const { return failure_; }
    bool sizeProven() const { return started_; } // a start naming the file's size and SHA-256 came
    std::uint64_t position() const { return pos_; } // the next byte to take
    std::uint64_t end() const { return to_; }
    bool reachesFileEnd() const { return to_ == target_.size; }
    const RelayStreamTarget& target() const { return target_; }
    std::uint32_t duplicates() const { return duplicates_; }
    std::uint32_t badCopies() const { return badTotal_; }

    // Pieces kept out of order at most; more are dropped unacknowledged.
    static constexpr std::size_t kMaxWaitingPieces = 8;

private:
    std::vector<std::string> onStart(const TransferStart& s);
    std::vector<std::string> onChunk(TransferChunk c);
    std::vector<std::string> beginStreaming();
    std::vector<std::string> badCopy(std::uint32_t index, const std::string& why);
    void failWith(Fault fault, std::string why);
    std::string ack(std::uint32_t index) const;
    std::uint64_t pieceLength(std::uint32_t index) const;

    RelayStreamTarget target_;
    std::uint64_t from_;
    std::uint64_t to_;
    std::uint32_t maxBadCopies_;
    State state_ = State::Waiting;
    Fault fault_ = Fault::None;
    std::string failure_;
    std::uint64_t pieceSize_ = kRelayChunkSize;
    std::uint32_t totalPieces_ = 0;
    std::uint64_t pos_;
    std::map<std::uint32_t, std::string> waiting_; // pieces at or after pos_, by index
    std::map<std::uint32_t, std::uint32_t> bad_;   // bad copies per piece
    std::uint32_t duplicates_ = 0;
    std::uint32_t badTotal_ = 0;
    bool streaming_ = false; // the piece size is known: from the start, or the protocol's default
    bool started_ = false;   // a start that names the file came
    std::set<std::uint32_t> acked_; // pieces acknowledged before they were taken whole
};

} // namespace atmo
