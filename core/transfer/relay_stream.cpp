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
    if (state_ != State::Waiting)
        return {}; // the same start again (a duplicate on the relay)
    if (s.modelId != target_.modelId)
        failWith(Fault::Ended, "started model " + s.modelId + " instead");
    else if (s.method != TransferMethod::WebSocketChunked)
        failWith(Fault::Ended, "offers http_range, not websocket_chunked");
    else if (s.totalBytes != target_.size)
        failWith(Fault::Mismatch, "has " + std::to_string(s.totalBytes) + " bytes, the catalog says " +
                                      std::to_string(target_.size));
    else if (s.sha256 != target_.sha256)
        failWith(Fault::Mismatch, "offers a file with SHA-256 " + s.sha256 + ", not the catalog's");
    if (state_ == State::Failed)
        return {};
    started_ = true;
    pieceSize_ = s.chunkSize;
    totalPieces_ = s.totalChunks;
    state_ = pos_ == to_ ? State::Done : State::Streaming;
    // Pieces that came before the start (the relay keeps order, but be
    // lenient) are checked against its piece size now.
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
    if (state_ == State::Waiting) {
        // Before the start there is no piece size to check against: keep a
        // few, unacknowledged.
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
    if (!waiting_.contains(i) && waiting_.size() < kMaxWaitingPieces)
        waiting_.emplace(i, std::move(c.bytes));
    return {};
}

std::vector<std::string> RelayStream::badCopy(std::uint32_t index, const std::string& why)
{
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
        if (ackedEarly_ != index)
            t.ack = ack(index);
        ackedEarly_ = pos_ == pieceEnd ? std::nullopt : std::optional<std::uint32_t>(index);
        if (pos_ == pieceEnd)
            waiting_.erase(it);
    }
    if (pos_ == to_)
        state_ = State::Done;
    // Pieces before the position are of no use any more.
    std::erase_if(waiting_, [&](const auto& p) { return std::uint64_t(p.first) * pieceSize_ + p.second.size() <= pos_; });
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
    c.reason = fault_ == Fault::Mismatch ? CancelReason::HashMismatch : CancelReason::UserCancelled;
    c.message = fault_ == Fault::Mismatch ? failure_ : why;
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
