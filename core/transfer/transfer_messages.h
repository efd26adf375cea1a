// The transfer messages of PROTOCOL.md ("Transfer messages"): what a
// requester and a sender say to each other about one model, over the relay
// as `direct` payloads or as HTTP bodies. Plain structs, JSON text in and out
// (nlohmann-json inside core; nothing of it leaks through this header).
//
// Every payload comes from a peer, so parsing is strict: a wrong type, a
// negative or oversized number, a chunk_size outside 1..64 KiB, a
// total_chunks that does not match total_bytes / chunk_size, a sha256 that is
// not 64 hex digits, base64 that is not, a chunk that decodes to more than
// 64 KiB, or an unknown "type" fails with ErrorCode::BadData, a one-line
// message naming the message and the field, and the field in Error::subject.
// Absent optional fields (chunk_sha256, metadata, resume_from_byte) and JSON
// null in their place are accepted as the Python nodes write them; unknown
// fields are ignored (new peers may add some).
//
// The progress event has no "type" in the protocol; on the wire the station
// writes it as "model_transfer_progress" with request_id and model_id, its
// fields those of core/transfer/download_progress.h (transfer_rate_mbps in
// megabits per second, the unit of the protocol's bandwidth caps).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/base/result.h"
#include "core/transfer/download_progress.h"

namespace atmo {

// The protocol's default chunk, and the most a chunk may decode to.
inline constexpr std::uint64_t kRelayChunkSize = 64 * 1024;
// A payload larger than this is refused before it is parsed (a 64 KiB chunk
// is ~87 KiB of base64).
inline constexpr std::size_t kMaxTransferMessageBytes = 256 * 1024;
// Sizes and counts above 2^53 do not survive a JavaScript or a double, and no
// model is that large: refused as malformed.
inline constexpr std::uint64_t kMaxTransferBytes = 1ull << 53;
// total_chunks and chunk_index beyond this are refused (4 TiB in 64 KiB chunks).
inline constexpr std::uint32_t kMaxTransferChunks = 1u << 26;

enum class TransferTransport { Http, WebSocket };          // "http" | "websocket"
enum class TransferMethod { HttpRange, WebSocketChunked }; // "http_range" | "websocket_chunked"
enum class CancelReason { HashMismatch, Timeout, NetworkError, UserCancelled, StorageFull };

// "hash_mismatch", ...: the wire names.
const char* cancelReasonName(CancelReason reason);

struct ModelRequest {
    std::string requestId;
    std::string requesterNodeId;
    std::string targetNodeId;
    std::string modelId;
    std::uint64_t resumeFromByte = 0;
    TransferTransport transport = TransferTransport::WebSocket;
    bool operator==(const ModelRequest&) const = default;
};

struct TransferStart {
    std::string requestId;
    std::string modelId;
    std::uint64_t totalBytes = 0;
    std::uint32_t totalChunks = 0;
    std::uint64_t chunkSize = kRelayChunkSize;
    std::string sha256;              // lowercase hex of the whole file
    std::string metadataJson = "{}"; // the opaque `metadata` object, compact JSON text
    TransferMethod method = TransferMethod::WebSocketChunked;
    bool operator==(const TransferStart&) const = default;
};

struct TransferChunk {
    std::string requestId;
    std::string modelId;
    std::uint32_t chunkIndex = 0;
    std::uint32_t totalChunks = 0;
    std::string bytes;               // decoded chunk_bytes, at most kRelayChunkSize
    std::string chunkSha256;         // lowercase hex; empty when the sender gave none
    bool operator==(const TransferChunk&) const = default;
};

struct ChunkAck {
    std::string requestId;
    std::uint32_t chunkIndex = 0;
    std::string status = "received"; // the only status the protocol names
    bool operator==(const ChunkAck&) const = default;
};

struct TransferComplete {
    std::string requestId;
    std::string modelId;
    std::uint64_t totalBytesReceived = 0;
    std::string sha256Computed;
    std::string sha256Expected;
    std::string verificationStatus = "verified"; // "verified" | "failed"
    std::string storagePath;         // the station sends the file name only, never a local path
    bool operator==(const TransferComplete&) const = default;
};

struct TransferCancel {
    std::string requestId;
    std::string modelId;
    CancelReason reason = CancelReason::NetworkError;
    std::string message;
    std::string cancelledBy;         // node id
    bool operator==(const TransferCancel&) const = default;
};

struct TransferProgress {
    std::string requestId;
    std::string modelId;
    DownloadProgress progress;       // peers are not part of the wire event's parse
};

using TransferMessage = std::variant<ModelRequest, TransferStart, TransferChunk, ChunkAck, TransferComplete,
                                     TransferCancel, TransferProgress>;

// One payload (a JSON object with "type") into the message it is.
Result<TransferMessage> parseTransferMessage(std::string_view payloadJson);

// The request id and index of a chunk message that parseTransferMessage
// refused (bad base64, a bad size...), when its type, request_id and
// chunk_index are themselves sound: a receiver counts bad copies per chunk.
struct ChunkIdentity {
    std::string requestId;
    std::uint32_t chunkIndex = 0;
};
std::optional<ChunkIdentity> chunkIdentity(std::string_view payloadJson);

// Each message as its payload JSON, with its "type", fields in the protocol's order.
std::string transferMessageJson(const ModelRequest& m);
std::string transferMessageJson(const TransferStart& m);
std::string transferMessageJson(const TransferChunk& m); // base64-encodes bytes
std::string transferMessageJson(const TransferComplete& m);
std::string transferMessageJson(const ChunkAck& m);
std::string transferMessageJson(const TransferCancel& m);
std::string transferMessageJson(const TransferProgress& m);
std::string transferMessageJson(const TransferMessage& m);

// total_bytes in chunk_size chunks (0 for an empty file).
std::uint64_t transferChunkCount(std::uint64_t totalBytes, std::uint64_t chunkSize);

} // namespace atmo
