#include "core/transfer/chunked_sender.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/base/sha256.h"
#include "core/mesh/catalog_wire.h"
#include "core/mesh/chunk_layout.h"

namespace atmo {

Result<std::unique_ptr<ChunkedSender>> ChunkedSender::create(const ModelRequest& request, const OutgoingModel& model,
                                                             const ChunkedSenderOptions& options)
{
    if (request.modelId != model.modelId)
        return fail(ErrorCode::Usage, model.modelId + ": the request is for model " + request.modelId, model.modelId);
    if (request.transport != TransferTransport::WebSocket)
        return fail(ErrorCode::Usage, model.modelId + ": the request asks for HTTP, not websocket_chunked",
                    model.modelId);
    if (options.chunkSize == 0 || options.chunkSize > kRelayChunkSize)
        return fail(ErrorCode::Usage, "chunk size " + std::to_string(options.chunkSize) + " is not between 1 and 65536");
    if (options.window == 0)
        return fail(ErrorCode::Usage, "a window of 0 chunks sends nothing");
    if (!isSha256Hex(model.sha256))
        return fail(ErrorCode::Usage, model.modelId + ": sha256 is not 64 lowercase hex digits", model.modelId);
    if (transferChunkCount(model.size, options.chunkSize) > kMaxTransferChunks)
        return fail(ErrorCode::Usage, model.modelId + ": too many chunks of " + std::to_string(options.chunkSize) +
                                          " bytes for the protocol", model.modelId);

    UniqueFd fd(::open(model.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        const int err = errno;
        return fail(err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                    model.path.string() + ": cannot open: " + std::strerror(err), model.path.string());
    }
    struct stat st{};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return fail(ErrorCode::Io, model.path.string() + ": not a regular file", model.path.string());
    if (std::uint64_t(st.st_size) != model.size)
        return fail(ErrorCode::BadData,
                    model.path.string() + ": is " + std::to_string(st.st_size) + " bytes, the catalog says " +
                        std::to_string(model.size),
                    model.path.string());
    return std::unique_ptr<ChunkedSender>(new ChunkedSender(request, model, options, std::move(fd)));
}

ChunkedSender::ChunkedSender(ModelRequest request, OutgoingModel model, ChunkedSenderOptions options, UniqueFd fd)
    : request_(std::move(request)), model_(std::move(model)), options_(std::move(options)), fd_(std::move(fd))
{
    totalChunks_ = std::uint32_t(transferChunkCount(model_.size, options_.chunkSize));
    // A resume point past the end (a confused or hostile requester) sends nothing.
    first_ = std::uint32_t(std::min<std::uint64_t>(request_.resumeFromByte / options_.chunkSize, totalChunks_));
    next_ = first_;
}

std::uint64_t ChunkedSender::chunkLength(std::uint32_t index) const
{
    const std::uint64_t offset = std::uint64_t(index) * options_.chunkSize;
    return std::min<std::uint64_t>(options_.chunkSize, model_.size - offset);
}

std::string ChunkedSender::chunkMessage(std::uint32_t index)
{
    const std::uint64_t offset = std::uint64_t(index) * options_.chunkSize;
    const std::uint64_t length = chunkLength(index);
    TransferChunk c;
    c.requestId = request_.requestId;
    c.modelId = model_.modelId;
    c.chunkIndex = index;
    c.totalChunks = totalChunks_;
    buffer_.resize(length);
    std::uint64_t got = 0;
    while (got < length) {
        const ssize_t n = ::pread(fd_.get(), buffer_.data() + got, length - got, off_t(offset + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Failure(ErrorCode::Io, model_.path.string() + ": read failed: " + std::strerror(errno));
        if (n == 0)
            throw Failure(ErrorCode::Io, model_.path.string() + ": the file got shorter while being sent");
        got += std::uint64_t(n);
    }
    c.chunkSha256 = sha256Hex(buffer_);
    c.bytes = std::move(buffer_);
    std::string text = transferMessageJson(c);
    buffer_ = std::move(c.bytes); // keep the allocation for the next chunk
    bytesSent_ += length;
    ++chunksSent_;
    return text;
}

void ChunkedSender::fill(std::vector<std::string>& out, SteadyTime now)
{
    while (state_ == State::Sending && inFlight_.size() < options_.window && next_ < totalChunks_) {
        out.push_back(chunkMessage(next_));
        inFlight_[next_] = Pending{now, 0};
        ++next_;
    }
    if (state_ == State::Sending && inFlight_.empty() && next_ >= totalChunks_)
        state_ = State::AllAcked;
}

std::vector<std::string> ChunkedSender::start(SteadyTime now)
{
    std::vector<std::string> out;
    if (started_ || finished())
        return out;
    started_ = true;
    TransferStart s;
    s.requestId = request_.requestId;
    s.modelId = model_.modelId;
    s.totalBytes = model_.size;
    s.totalChunks = totalChunks_;
    s.chunkSize = options_.chunkSize;
    s.sha256 = model_.sha256;
    s.metadataJson = model_.metadataJson;
    s.method = TransferMethod::WebSocketChunked;
    out.push_back(transferMessageJson(s));
    try {
        fill(out, now);
    } catch (const Failure& e) {
        auto c = stop(CancelReason::NetworkError, e.what());
        out.insert(out.end(), c.begin(), c.end());
    }
    return out;
}

std::vector<std::string> ChunkedSender::onMessage(std::string_view payloadJson, SteadyTime now)
{
    std::vector<std::string> out;
    if (finished())
        return out;
    auto parsed = parseTransferMessage(payloadJson);
    if (!parsed)
        return out; // a garbled ack is a lost ack: the timer resends
    if (const auto* ack = std::get_if<ChunkAck>(&*parsed)) {
        if (ack->requestId != request_.requestId || ack->status != "received" || !started_)
            return out;
        const auto it = inFlight_.find(ack->chunkIndex);
        if (it == inFlight_.end())
            return out; // duplicate, late or unknown
        inFlight_.erase(it);
        bytesAcked_ += chunkLength(ack->chunkIndex);
        meter_.add(chunkLength(ack->chunkIndex), now);
        try {
            fill(out, now);
        } catch (const Failure& e) {
            return stop(CancelReason::NetworkError, e.what());
        }
    } else if (const auto* c = std::get_if<TransferCancel>(&*parsed)) {
        if (c->requestId != request_.requestId)
            return out;
        cancel_ = *c;
        state_ = State::Cancelled;
        inFlight_.clear();
    } else if (const auto* done = std::get_if<TransferComplete>(&*parsed)) {
        if (done->requestId != request_.requestId)
            return out;
        complete_ = *done;
        inFlight_.clear();
        if (done->verificationStatus == "verified") {
            state_ = State::Completed;
        } else {
            TransferCancel failed;
            failed.requestId = request_.requestId;
            failed.modelId = model_.modelId;
            failed.reason = CancelReason::HashMismatch;
            failed.message = "the receiver could not verify the file";
            failed.cancelledBy = request_.requesterNodeId;
            cancel_ = failed;
            state_ = State::Cancelled;
        }
    }
    return out;
}

std::vector<std::string> ChunkedSender::onTimer(SteadyTime now)
{
    std::vector<std::string> out;
    if (finished())
        return out;
    for (auto& [index, pending] : inFlight_) {
        if (now - pending.sentAt < options_.ackTimeout)
            continue;
        if (pending.resends >= options_.maxResends)
            return stop(CancelReason::Timeout,
                        "chunk " + std::to_string(index) + " was not acknowledged after " +
                            std::to_string(options_.maxResends) + " resends");
        try {
            out.push_back(chunkMessage(index));
        } catch (const Failure& e) {
            return stop(CancelReason::NetworkError, e.what());
        }
        ++pending.resends;
        ++resendCount_;
        pending.sentAt = now;
    }
    return out;
}

std::optional<SteadyTime> ChunkedSender::nextDeadline() const
{
    if (finished() || inFlight_.empty())
        return std::nullopt;
    std::optional<SteadyTime> earliest;
    for (const auto& [index, pending] : inFlight_)
        if (!earliest || pending.sentAt < *earliest)
            earliest = pending.sentAt;
    return *earliest + options_.ackTimeout;
}

std::vector<std::string> ChunkedSender::cancel(CancelReason reason, const std::string& message)
{
    if (finished())
        return {};
    return stop(reason, message);
}

std::vector<std::string> ChunkedSender::stop(CancelReason reason, const std::string& message)
{
    TransferCancel c;
    c.requestId = request_.requestId;
    c.modelId = model_.modelId;
    c.reason = reason;
    c.message = message;
    c.cancelledBy = options_.nodeId.empty() ? request_.targetNodeId : options_.nodeId;
    cancel_ = c;
    state_ = State::Cancelled;
    inFlight_.clear();
    return {transferMessageJson(c)};
}

} // namespace atmo
