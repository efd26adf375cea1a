#include "core/transfer/relay_stream.h"

#include <algorithm>
#include <variant>

#include "core/base/sha256.h"
#include "core/base/text.h"

namespace atmo {

RelayStream::RelayStream(RelayStreamTarget target, std::uint64_t from, std::uint64_t to, std::uint32_t maxBadCopies)
    : target_(std::move(target)), from_(from), to_(std::min(to, target_.size)), maxBadCopies_(maxBadCopies), pos_(from)
{
    target_.sha256 = lower(target_.sha256);
    totalPieces_ = static_cast<std::uint32_t>(transferChunkCount(target_.size, pieceSize_));
}

std::string RelayStream::requestMessage() const
{
    ModelRequest r;
    r.requestId = target_.requestId;
    r.requesterNodeId = target_.ownNodeId;
    r.targetNodeId = target_.peerNodeId;
    r.modelId = target_.modelId;
    r.resumeFromByte = from_;
    r.transport = TransferTransport::WebSocket;
    return transferMessageJson(r);
}

std::vector<std::string> RelayStream::onMessage(std::string_view payloadJson)
{
    if (state_ == State::Failed)
        return {};
    auto parsed = parseTransferMessage(payloadJson);
    if (!parsed) {
        if (auto id = chunkIdentity(payloadJson); id && id->requestId == target_.requestId)
            return badCopy(id->chunkIndex, "sent piece " + std::to_string(id->chunkIndex) + " malformed (" +
                                               parsed.message() + ")");
        return {};
    }
    if (const auto* s = std::get_if<TransferStart>(&*parsed))
        return s->requestId == target_.requestId ? onStart(*s) : std::vector<std::string>{};
    if (auto* c = std::get_if<TransferChunk>(&*parsed))
        return c->requestId == target_.requestId ? onChunk(std::move(*c)) : std::vector<std::string>{};
    if (const auto* c = std::get_if<TransferCancel>(&*parsed); c && c->requestId == target_.requestId)
        failWith(Fault::Ended, "cancelled the transfer (" + std::string(cancelReasonName(c->reason)) +
                                   (c->message.empty() ? "" : ": " + cleanName(c->message, 200)) + ")");
    return {};
}

std::vector<std::string> RelayStream::onStart(const TransferStart& s)
{
    if (started_)
        return {}; // the same start again (a duplicate on the relay)
    if (s.modelId != target_.modelId)
        failWith(Fault::Unusable, "started model " + s.modelId + " instead");
    else if (s.method != TransferMethod::WebSocketChunked)
        failWith(Fault::Unusable, "offers http_range, not websocket_chunked");
    else if (s.totalBytes != target_.size)
        failWith(Fault::Mismatch, "has " + std::to_string(s.totalBytes) + " bytes, the catalog says " +
                                      std::to_string(target_.size));
    else if (s.sha256 != target_.sha256)
        failWith(Fault::Mismatch, "offers a file with SHA-256 " + s.sha256 + ", not the catalog's");
    else if (streaming_ && s.chunkSize != pieceSize_)
        failWith(Fault::Unusable, "sent pieces of " + std::to_string(pieceSize_) + " bytes, then a start with " +
                                      std::to_string(s.chunkSize));
    if (state_ == State::Failed)
        return {};
    started_ = true;
    if (streaming_)
        return {};
    pieceSize_ = s.chunkSize;
    totalPieces_ = s.totalChunks;
    return beginStreaming();
}

// The piece size is known: the stream runs, and pieces that came before
// are checked against it now.
std::vector<std::string> RelayStream::beginStreaming()
{
    streaming_ = true;
    state_ = pos_ == to_ ? State::Done : State::Streaming;
    std::map<std::uint32_t, std::string> early;
    early.swap(waiting_);
    std::vector<std::string> out;
    for (auto& [index, bytes] : early) {
        TransferChunk c;
        c.requestId = target_.requestId;
        c.modelId = target_.modelId;
        c.chunkIndex = index;
        c.totalChunks = totalPieces_;
        c.bytes = std::move(bytes);
        for (auto& p : onChunk(std::move(c)))
            out.push_back(std::move(p));
    }
    return out;
}

std::uint64_t RelayStream::pieceLength(std::uint32_t index) const
{
    const std::uint64_t start = std::uint64_t(index) * pieceSize_;
    return start >= target_.size ? 0 : std::min(pieceSize_, target_.size - start);
}

std::vector<std::string> RelayStream::onChunk(TransferChunk c)
{
    const std::uint32_t i = c.chunkIndex;
    if (!streaming_) {
        if (c.modelId == target_.modelId && c.totalChunks == transferChunkCount(target_.size, kRelayChunkSize)) {
            // The start was lost or is late: the protocol's 64 KiB pieces.
            pieceSize_ = kRelayChunkSize;
            totalPieces_ = c.totalChunks;
            auto out = beginStreaming();
            for (auto& p : onChunk(std::move(c)))
                out.push_back(std::move(p));
            return out;
        }
        // No piece size to check against yet: keep a few, unacknowledged.
        if (waiting_.size() < kMaxWaitingPieces)
            waiting_.emplace(i, std::move(c.bytes));
        return {};
    }
    if (c.modelId != target_.modelId || c.totalChunks != totalPieces_)
        return badCopy(i, "sent piece " + std::to_string(i) + " for other bytes (" + c.modelId + ", " +
                              std::to_string(c.totalChunks) + " pieces)");
    if (i >= totalPieces_ || c.bytes.size() != pieceLength(i))
        return badCopy(i, "sent piece " + std::to_string(i) + " with " + std::to_string(c.bytes.size()) +
                              " bytes, not " + std::to_string(pieceLength(i)));
    if (!c.chunkSha256.empty() && sha256Hex(c.bytes) != c.chunkSha256)
        return badCopy(i, "sent piece " + std::to_string(i) + " that does not match its chunk_sha256");
    const std::uint64_t start = std::uint64_t(i) * pieceSize_;
    if (start + c.bytes.size() <= pos_) {
        ++duplicates_;
        return {ack(i)}; // taken before: its ack was lost, or it came twice
    }
    const auto next = static_cast<std::uint32_t>(pos_ / pieceSize_);
    if (!waiting_.contains(i)) {
        // The piece needed next always has room; the others while there is.
        if (i != next && waiting_.size() >= kMaxWaitingPieces)
            return {};
        waiting_.emplace(i, std::move(c.bytes));
    }
    if (acked_.contains(i))
        return {ack(i)}; // acknowledged before, and sent again: that ack was lost
    // A gap before it: acknowledged now, or the sender's window stays full
    // of pieces that are here until its resend timer fires.
    if (state_ == State::Streaming && i != next && !waiting_.contains(next)) {
        acked_.insert(i);
        return {ack(i)};
    }
    return {};
}

std::vector<std::string> RelayStream::badCopy(std::uint32_t index, const std::string& why)
{
    ++badTotal_;
    if (++bad_[index] >= maxBadCopies_)
        failWith(Fault::Mismatch, why + " (" + std::to_string(bad_[index]) + " bad copies)");
    return {};
}

std::optional<RelayStream::Taken> RelayStream::take(std::uint64_t max)
{
    if (state_ != State::Streaming || max == 0)
        return std::nullopt;
    const auto index = static_cast<std::uint32_t>(pos_ / pieceSize_);
    auto it = waiting_.find(index);
    if (it == waiting_.end())
        return std::nullopt;
    const std::uint64_t start = std::uint64_t(index) * pieceSize_;
    const std::uint64_t pieceEnd = start + it->second.size();
    const std::uint64_t n = std::min({max, pieceEnd - pos_, to_ - pos_});
    Taken t;
    t.bytes = it->second.substr(static_cast<std::size_t>(pos_ - start), static_cast<std::size_t>(n));
    pos_ += n;
    if (pos_ == pieceEnd || pos_ == to_) {
        // A range that ends inside a piece acknowledges it (the sender may
        // go on) and keeps its rest for an extension; never twice.
        if (!acked_.contains(index))
            t.ack = ack(index);
        if (pos_ == pieceEnd) {
            acked_.erase(index);
            waiting_.erase(it);
        } else {
            acked_.insert(index);
        }
    }
    if (pos_ == to_)
        state_ = State::Done;
    // Pieces before the position are of no use any more.
    std::erase_if(waiting_, [&](const auto& p) { return std::uint64_t(p.first) * pieceSize_ + p.second.size() <= pos_; });
    std::erase_if(acked_, [&](std::uint32_t i) { return !waiting_.contains(i); });
    return t;
}

void RelayStream::extendTo(std::uint64_t to)
{
    if (state_ == State::Failed || to <= to_)
        return;
    to_ = std::min(to, target_.size);
    if (state_ == State::Done)
        state_ = State::Streaming;
}

std::optional<std::string> RelayStream::cancelMessage(const std::string& why) const
{
    if (state_ == State::Failed && fault_ == Fault::Ended)
        return std::nullopt;
    TransferCancel c;
    c.requestId = target_.requestId;
    c.modelId = target_.modelId;
    c.reason = fault_ == Fault::Mismatch   ? CancelReason::HashMismatch
               : fault_ == Fault::Unusable ? CancelReason::NetworkError
                                           : CancelReason::UserCancelled;
    c.message = fault_ == Fault::None ? why : failure_;
    c.cancelledBy = target_.ownNodeId;
    return transferMessageJson(c);
}

std::string RelayStream::completeMessage(const std::string& computedSha256, const std::string& fileName) const
{
    TransferComplete c;
    c.requestId = target_.requestId;
    c.modelId = target_.modelId;
    c.totalBytesReceived = target_.size;
    c.sha256Computed = computedSha256;
    c.sha256Expected = target_.sha256;
    c.verificationStatus = computedSha256 == target_.sha256 ? "verified" : "failed";
    c.storagePath = fileName;
    return transferMessageJson(c);
}

void RelayStream::failWith(Fault fault, std::string why)
{
    if (state_ == State::Failed)
        return;
    state_ = State::Failed;
    fault_ = fault;
    failure_ = std::move(why);
    waiting_.clear();
}

std::string RelayStream::ack(std::uint32_t index) const
{
    ChunkAck a;
    a.requestId = target_.requestId;
    a.chunkIndex = index;
    return transferMessageJson(a);
}

} // namespace atmo
