#include "core/transfer/transfer_messages.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>

#include "core/base/base64.h"
#include "core/base/text.h"
#include "core/mesh/catalog_wire.h"
#include "core/mesh/chunk_layout.h"

namespace atmo {

using json = nlohmann::json;
// Output keeps the protocol's field order, so our JSON reads like the Python nodes'.
using ojson = nlohmann::ordered_json;

namespace {

constexpr int kMaxMessageDepth = 16;
constexpr std::size_t kMaxText = 1024;            // message, storage_path, status
constexpr std::size_t kMaxMetadataBytes = 64 * 1024;
// 4 * ceil(64 KiB / 3): the longest base64 of a 64 KiB chunk.
constexpr std::size_t kMaxChunkBase64 = 4 * ((kRelayChunkSize + 2) / 3);

// A field is wrong: the message is refused naming it.
struct BadField : std::runtime_error {
    BadField(std::string field, const std::string& why) : std::runtime_error(why), field(std::move(field)) {}
    std::string field;
};

[[noreturn]] void bad(const std::string& field, const std::string& why) { throw BadField(field, field + " " + why); }

json parsePayload(std::string_view text)
{
    if (text.size() > kMaxTransferMessageBytes)
        throw BadField("payload", "payload of " + std::to_string(text.size()) + " bytes is larger than the " +
                                      std::to_string(kMaxTransferMessageBytes / 1024) + " KiB a transfer message may be");
    bool tooDeep = false;
    json j;
    try {
        j = json::parse(
            text.begin(), text.end(),
            [&tooDeep](int depth, json::parse_event_t, json&) {
                tooDeep = tooDeep || depth > kMaxMessageDepth;
                return depth <= kMaxMessageDepth;
            },
            true);
    } catch (const json::parse_error& e) {
        // Not e.what(): it quotes the input, which may hold control bytes.
        throw BadField("payload", "payload is not valid JSON (syntax error at byte " + std::to_string(e.byte) + ")");
    }
    if (tooDeep)
        throw BadField("payload", "payload is nested deeper than " + std::to_string(kMaxMessageDepth) + " levels");
    if (!j.is_object())
        throw BadField("payload", "payload is not a JSON object");
    return j;
}

const json* optionalField(const json& obj, const char* key)
{
    const auto it = obj.find(key);
    return (it == obj.end() || it->is_null()) ? nullptr : &*it;
}

const json& requiredField(const json& obj, const char* key)
{
    const json* v = optionalField(obj, key);
    if (!v)
        bad(key, "is missing");
    return *v;
}

std::string text(const json& obj, const char* key, std::size_t maxLen = kMaxText)
{
    const json& v = requiredField(obj, key);
    if (!v.is_string())
        bad(key, "is not a string");
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > maxLen)
        bad(key, "is longer than " + std::to_string(maxLen) + " bytes");
    return cleanName(s); // one line: it ends up in messages and logs
}

// request_id and node ids are only keys and labels: the node id rule
// (1..128 bytes of printable ASCII, no spaces).
std::string id(const json& obj, const char* key)
{
    const json& v = requiredField(obj, key);
    if (!v.is_string() || !isValidNodeId(v.get_ref<const std::string&>()))
        bad(key, "is not an id (1 to 128 printable ASCII characters without spaces)");
    return v.get<std::string>();
}

std::string modelId(const json& obj)
{
    const json& v = requiredField(obj, "model_id");
    if (!v.is_string() || !isValidModelId(v.get_ref<const std::string&>()))
        bad("model_id", "is not a valid model id");
    return v.get<std::string>();
}

std::uint64_t count(const json& obj, const char* key, std::uint64_t max = kMaxTransferBytes)
{
    const json& v = requiredField(obj, key);
    std::uint64_t n = 0;
    if (v.is_number_unsigned())
        n = v.get<std::uint64_t>();
    else if (v.is_number_integer() && v.get<std::int64_t>() >= 0)
        n = std::uint64_t(v.get<std::int64_t>());
    else
        bad(key, "is not a non-negative integer");
    if (n > max)
        bad(key, std::to_string(n) + " is larger than " + std::to_string(max));
    return n;
}

std::string sha256Field(const json& obj, const char* key)
{
    const json& v = requiredField(obj, key);
    std::string hex = v.is_string() ? lower(v.get_ref<const std::string&>()) : std::string();
    if (!isSha256Hex(hex))
        bad(key, "is not 64 hex digits");
    return hex;
}

std::uint32_t chunkCountField(const json& obj)
{
    return std::uint32_t(count(obj, "total_chunks", kMaxTransferChunks));
}

ModelRequest requestFrom(const json& j)
{
    ModelRequest m;
    m.requestId = id(j, "request_id");
    m.requesterNodeId = id(j, "requester_node_id");
    m.targetNodeId = id(j, "target_node_id");
    m.modelId = modelId(j);
    m.resumeFromByte = optionalField(j, "resume_from_byte") ? count(j, "resume_from_byte") : 0;
    const std::string t = text(j, "transport");
    if (t == "http")
        m.transport = TransferTransport::Http;
    else if (t == "websocket")
        m.transport = TransferTransport::WebSocket;
    else
        bad("transport", "is not \"http\" or \"websocket\"");
    return m;
}

TransferStart startFrom(const json& j)
{
    TransferStart m;
    m.requestId = id(j, "request_id");
    m.modelId = modelId(j);
    m.totalBytes = count(j, "total_bytes");
    m.chunkSize = count(j, "chunk_size", kRelayChunkSize);
    if (m.chunkSize == 0)
        bad("chunk_size", "is 0");
    m.totalChunks = chunkCountField(j);
    if (m.totalChunks != transferChunkCount(m.totalBytes, m.chunkSize))
        bad("total_chunks", std::to_string(m.totalChunks) + " does not match " + std::to_string(m.totalBytes) +
                                " bytes in chunks of " + std::to_string(m.chunkSize));
    m.sha256 = sha256Field(j, "sha256");
    if (const json* meta = optionalField(j, "metadata")) {
        if (!meta->is_object())
            bad("metadata", "is not an object");
        m.metadataJson = meta->dump(-1, ' ', false, json::error_handler_t::replace);
        if (m.metadataJson.size() > kMaxMetadataBytes)
            bad("metadata", "is larger than 64 KiB");
    }
    const std::string method = text(j, "transfer_method");
    if (method == "websocket_chunked")
        m.method = TransferMethod::WebSocketChunked;
    else if (method == "http_range")
        m.method = TransferMethod::HttpRange;
    else
        bad("transfer_method", "is not \"http_range\" or \"websocket_chunked\"");
    return m;
}

std::uint32_t chunkIndexFrom(const json& j, std::uint32_t totalChunks)
{
    const std::uint64_t i = count(j, "chunk_index", kMaxTransferChunks);
    if (i >= totalChunks)
        bad("chunk_index", std::to_string(i) + " is not below total_chunks " + std::to_string(totalChunks));
    return std::uint32_t(i);
}

TransferChunk chunkFrom(const json& j)
{
    TransferChunk m;
    m.requestId = id(j, "request_id");
    m.modelId = modelId(j);
    m.totalChunks = chunkCountField(j);
    m.chunkIndex = chunkIndexFrom(j, m.totalChunks);
    const json& b = requiredField(j, "chunk_bytes");
    if (!b.is_string())
        bad("chunk_bytes", "is not a string");
    const auto& b64 = b.get_ref<const std::string&>();
    if (b64.size() > kMaxChunkBase64)
        bad("chunk_bytes", "is longer than the base64 of 64 KiB");
    auto decoded = base64Decode(b64);
    if (!decoded)
        bad("chunk_bytes", "is not base64");
    m.bytes = std::move(decoded.value());
    if (m.bytes.size() > kRelayChunkSize) // 65537 bytes still fit in the longest base64 of 64 KiB
        bad("chunk_bytes", "decodes to more than 64 KiB");
    if (optionalField(j, "chunk_sha256"))
        m.chunkSha256 = sha256Field(j, "chunk_sha256");
    return m;
}

ChunkAck ackFrom(const json& j)
{
    ChunkAck m;
    m.requestId = id(j, "request_id");
    m.chunkIndex = std::uint32_t(count(j, "chunk_index", kMaxTransferChunks - 1));
    m.status = text(j, "status", 64);
    return m;
}

TransferComplete completeFrom(const json& j)
{
    TransferComplete m;
    m.requestId = id(j, "request_id");
    m.modelId = modelId(j);
    m.totalBytesReceived = count(j, "total_bytes_received");
    m.sha256Computed = sha256Field(j, "sha256_computed");
    m.sha256Expected = sha256Field(j, "sha256_expected");
    m.verificationStatus = text(j, "verification_status", 64);
    m.storagePath = optionalField(j, "storage_path") ? text(j, "storage_path") : std::string();
    return m;
}

TransferCancel cancelFrom(const json& j)
{
    TransferCancel m;
    m.requestId = id(j, "request_id");
    m.modelId = modelId(j);
    const std::string reason = text(j, "reason", 64);
    bool known = false;
    for (CancelReason r : {CancelReason::HashMismatch, CancelReason::Timeout, CancelReason::NetworkError,
                           CancelReason::UserCancelled, CancelReason::StorageFull})
        if (reason == cancelReasonName(r)) {
            m.reason = r;
            known = true;
        }
    if (!known)
        bad("reason", "is not one of hash_mismatch, timeout, network_error, user_cancelled, storage_full");
    m.message = optionalField(j, "message") ? text(j, "message") : std::string();
    // Only a label; "" (no node id known) is as good as absent.
    const json* by = optionalField(j, "cancelled_by");
    m.cancelledBy = by && !(by->is_string() && by->get_ref<const std::string&>().empty()) ? id(j, "cancelled_by")
                                                                                        : std::string();
    return m;
}

double finiteNumber(const json& j, const char* key)
{
    const json& v = requiredField(j, key);
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0)
        bad(key, "is not a non-negative number");
    return v.get<double>();
}

TransferProgress progressFrom(const json& j)
{
    TransferProgress m;
    m.requestId = id(j, "request_id");
    m.modelId = modelId(j);
    DownloadProgress& p = m.progress;
    p.bytesDownloaded = count(j, "bytes_downloaded");
    p.totalBytes = count(j, "total_bytes");
    p.percent = finiteNumber(j, "progress_percent");
    p.rate = finiteNumber(j, "transfer_rate_mbps") * 1e6 / 8;
    if (optionalField(j, "eta_seconds"))
        p.etaSeconds = finiteNumber(j, "eta_seconds");
    p.totalChunks = chunkCountField(j);
    p.chunksReceived = std::uint32_t(count(j, "chunks_received", p.totalChunks));
    return m;
}

// Strings from a peer may hold invalid UTF-8: replaced, never thrown over.
std::string dumped(const ojson& j) { return j.dump(-1, ' ', false, ojson::error_handler_t::replace); }

const char* transportName(TransferTransport t) { return t == TransferTransport::Http ? "http" : "websocket"; }
const char* methodName(TransferMethod m)
{
    return m == TransferMethod::HttpRange ? "http_range" : "websocket_chunked";
}

} // namespace

const char* cancelReasonName(CancelReason reason)
{
    switch (reason) {
    case CancelReason::HashMismatch: return "hash_mismatch";
    case CancelReason::Timeout: return "timeout";
    case CancelReason::NetworkError: return "network_error";
    case CancelReason::UserCancelled: return "user_cancelled";
    case CancelReason::StorageFull: return "storage_full";
    }
    return "network_error";
}

std::uint64_t transferChunkCount(std::uint64_t totalBytes, std::uint64_t chunkSize)
{
    return chunkSize == 0 ? 0 : totalBytes / chunkSize + (totalBytes % chunkSize != 0 ? 1 : 0);
}

Result<TransferMessage> parseTransferMessage(std::string_view payloadJson)
{
    std::string type = "payload";
    try {
        const json j = parsePayload(payloadJson);
        type = text(j, "type", 64);
        if (type == "model_request")
            return TransferMessage(requestFrom(j));
        if (type == "model_transfer_start")
            return TransferMessage(startFrom(j));
        if (type == "model_transfer_chunk")
            return TransferMessage(chunkFrom(j));
        if (type == "model_transfer_chunk_ack")
            return TransferMessage(ackFrom(j));
        if (type == "model_transfer_complete")
            return TransferMessage(completeFrom(j));
        if (type == "model_transfer_cancel")
            return TransferMessage(cancelFrom(j));
        if (type == "model_transfer_progress")
            return TransferMessage(progressFrom(j));
        const std::string shown = cleanName(type, 64);
        type = "payload";
        bad("type", "\"" + shown + "\" is not a transfer message");
    } catch (const BadField& e) {
        const std::string where = type == "payload" ? std::string() : type + ": ";
        return fail(ErrorCode::BadData, where + e.what(), e.field);
    } catch (const json::exception&) {
        return fail(ErrorCode::BadData, "payload is not a transfer message", "payload");
    }
}

std::optional<ChunkIdentity> chunkIdentity(std::string_view payloadJson)
{
    try {
        const json j = parsePayload(payloadJson);
        if (text(j, "type", 64) != "model_transfer_chunk")
            return std::nullopt;
        ChunkIdentity c;
        c.requestId = id(j, "request_id");
        c.chunkIndex = chunkIndexFrom(j, chunkCountField(j));
        return c;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string transferMessageJson(const ModelRequest& m)
{
    ojson j = {{"type", "model_request"},
               {"request_id", m.requestId},
               {"requester_node_id", m.requesterNodeId},
               {"target_node_id", m.targetNodeId},
               {"model_id", m.modelId},
               {"resume_from_byte", m.resumeFromByte},
               {"transport", transportName(m.transport)}};
    return dumped(j);
}

std::string transferMessageJson(const TransferStart& m)
{
    ojson meta = ojson::parse(m.metadataJson, nullptr, false);
    if (meta.is_discarded() || !meta.is_object())
        meta = ojson::object();
    ojson j = {{"type", "model_transfer_start"},
               {"request_id", m.requestId},
               {"model_id", m.modelId},
               {"total_bytes", m.totalBytes},
               {"total_chunks", m.totalChunks},
               {"chunk_size", m.chunkSize},
               {"sha256", m.sha256},
               {"metadata", std::move(meta)},
               {"transfer_method", methodName(m.method)}};
    return dumped(j);
}

std::string transferMessageJson(const TransferChunk& m)
{
    ojson j = {{"type", "model_transfer_chunk"},
               {"request_id", m.requestId},
               {"model_id", m.modelId},
               {"chunk_index", m.chunkIndex},
               {"total_chunks", m.totalChunks},
               {"chunk_bytes", base64Encode(m.bytes)}};
    if (!m.chunkSha256.empty())
        j["chunk_sha256"] = m.chunkSha256;
    return dumped(j);
}

std::string transferMessageJson(const ChunkAck& m)
{
    ojson j = {{"type", "model_transfer_chunk_ack"},
               {"request_id", m.requestId},
               {"chunk_index", m.chunkIndex},
               {"status", m.status}};
    return dumped(j);
}

std::string transferMessageJson(const TransferComplete& m)
{
    ojson j = {{"type", "model_transfer_complete"},
               {"request_id", m.requestId},
               {"model_id", m.modelId},
               {"total_bytes_received", m.totalBytesReceived},
               {"sha256_computed", m.sha256Computed},
               {"sha256_expected", m.sha256Expected},
               {"verification_status", m.verificationStatus},
               {"storage_path", m.storagePath}};
    return dumped(j);
}

std::string transferMessageJson(const TransferCancel& m)
{
    ojson j = {{"type", "model_transfer_cancel"},
               {"request_id", m.requestId},
               {"model_id", m.modelId},
               {"reason", cancelReasonName(m.reason)},
               {"message", m.message},
               {"cancelled_by", m.cancelledBy}};
    return dumped(j);
}

std::string transferMessageJson(const TransferProgress& m)
{
    const DownloadProgress& p = m.progress;
    ojson j = {{"type", "model_transfer_progress"},
               {"request_id", m.requestId},
               {"model_id", m.modelId},
               {"bytes_downloaded", p.bytesDownloaded},
               {"total_bytes", p.totalBytes},
               {"progress_percent", p.percent},
               {"transfer_rate_mbps", p.rateMbps()},
               {"eta_seconds", p.etaSeconds ? ojson(*p.etaSeconds) : ojson()},
               {"chunks_received", p.chunksReceived},
               {"total_chunks", p.totalChunks}};
    return dumped(j);
}

std::string transferMessageJson(const TransferMessage& m)
{
    return std::visit([](const auto& msg) { return transferMessageJson(msg); }, m);
}

} // namespace atmo
