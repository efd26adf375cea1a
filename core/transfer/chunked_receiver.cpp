#include "core/transfer/chunked_receiver.h"

#include "core/base/fs_util.h"
#include "core/base/sha256.h"
#include "core/base/text.h"

namespace atmo {

namespace {

DownloadTarget targetOf(const CatalogEntry& entry)
{
    DownloadTarget t;
    t.modelId = entry.modelId;
    t.size = entry.sizeBytes;
    t.sha256 = lower(entry.sha256);
    t.chunkSize = kRelayChunkSize;
    return t;
}

// Which reason a failed disk operation is told to the sender with.
CancelReason storageReason(const Error& e)
{
    return e.code == ErrorCode::Cancelled ? CancelReason::UserCancelled : CancelReason::StorageFull;
}

} // namespace

Result<std::unique_ptr<ChunkedReceiver>> ChunkedReceiver::open(const std::filesystem::path& finalPath,
                                                               const CatalogEntry& entry,
                                                               const ChunkedReceiverOptions& options,
                                                               Observer* observer, const CancelToken& cancel)
{
    if (!isValidNodeId(options.nodeId) || !isValidNodeId(options.targetNodeId))
        return fail(ErrorCode::Usage, entry.modelId + ": a relay transfer needs our node id and the peer's");
    if (!options.requestId.empty() && !isValidNodeId(options.requestId))
        return fail(ErrorCode::Usage, entry.modelId + ": the request id is not an id");
    const DownloadTarget target = targetOf(entry);
    auto journal = DownloadJournal::open(finalPath, target, observer, cancel, options.journal);
    if (!journal)
        return journal.error();
    std::unique_ptr<DownloadJournal> j = std::move(journal.value());
    JournalOpenReport report = j->openReport();
    if (report.kind != JournalOpenReport::AlreadyComplete && j->layout().chunkSize != kRelayChunkSize) {
        // Another download's journal (HTTP's 4 MiB chunks): its bitmap is not
        // the protocol's, so start over in 64 KiB chunks.
        j->discard();
        j.reset();
        journal = DownloadJournal::open(finalPath, target, observer, cancel, options.journal);
        if (!journal)
            return journal.error();
        j = std::move(journal.value());
        report = j->openReport();
        report.kind = JournalOpenReport::Restarted;
        report.reason = "the download was kept in chunks of another size";
    }

    std::unique_ptr<ChunkedReceiver> r(new ChunkedReceiver(finalPath, entry, options, observer, cancel));
    if (r->options_.requestId.empty())
        r->options_.requestId = "req-" + randomSuffix(16);
    r->openReport_ = report;
    r->layout_ = j->layout();
    r->doneBytes_ = j->bytesDone();
    r->doneChunks_ = j->chunksDone();
    if (report.kind == JournalOpenReport::AlreadyComplete) {
        // The verified rename happened; only removing the journal did not.
        auto fin = j->finish(observer, cancel);
        if (!fin)
            return fin.error();
        r->finish_ = *fin;
        r->state_ = fin->verified ? State::Verified : State::Failed;
        return r;
    }
    r->journal_ = std::move(j);
    return r;
}

ChunkedReceiver::ChunkedReceiver(std::filesystem::path finalPath, CatalogEntry entry, ChunkedReceiverOptions options,
                                 Observer* observer, CancelToken cancel)
    : finalPath_(std::move(finalPath)), entry_(std::move(entry)), options_(std::move(options)), observer_(observer),
      cancelToken_(std::move(cancel))
{
    entry_.sha256 = lower(entry_.sha256);
}

ChunkedReceiver::~ChunkedReceiver() = default; // the journal's destructor closes it

ModelRequest ChunkedReceiver::request() const
{
    ModelRequest m;
    m.requestId = options_.requestId;
    m.requesterNodeId = options_.nodeId;
    m.targetNodeId = options_.targetNodeId;
    m.modelId = entry_.modelId;
    m.transport = TransferTransport::WebSocket;
    m.resumeFromByte = layout_.size;
    if (journal_) {
        const auto missing = journal_->missingChunks();
        if (!missing.empty())
            m.resumeFromByte = layout_.offset(missing.front());
    }
    return m;
}

std::string ChunkedReceiver::requestMessage(SteadyTime now)
{
    lastHeard_ = now;
    asked_ = true;
    if (state_ == State::Receiving)
        state_ = State::Waiting;
    return transferMessageJson(request());
}

std::string ChunkedReceiver::ack(std::uint32_t index) const
{
    ChunkAck a;
    a.requestId = options_.requestId;
    a.chunkIndex = index;
    return transferMessageJson(a);
}

std::vector<std::string> ChunkedReceiver::onMessage(std::string_view payloadJson, SteadyTime now)
{
    if (state_ == State::Verified && !completeMessage_.empty()) {
        // A chunk resent because our last ack or the complete was lost: say it again.
        const auto who = chunkIdentity(payloadJson);
        return who && who->requestId == options_.requestId ? std::vector<std::string>{completeMessage_}
                                                          : std::vector<std::string>{};
    }
    if (finished())
        return {};
    auto parsed = parseTransferMessage(payloadJson);
    if (!parsed) {
        const auto who = chunkIdentity(payloadJson);
        if (!who || who->requestId != options_.requestId)
            return {}; // not ours, or too broken to tell whose
        lastHeard_ = now;
        return badCopy(who->chunkIndex, parsed.message());
    }
    if (const auto* s = std::get_if<TransferStart>(&*parsed)) {
        if (s->requestId != options_.requestId)
            return {};
        lastHeard_ = now;
        return onStart(*s);
    }
    if (const auto* c = std::get_if<TransferChunk>(&*parsed)) {
        if (c->requestId != options_.requestId)
            return {};
        lastHeard_ = now;
        return onChunk(*c, now);
    }
    if (const auto* c = std::get_if<TransferCancel>(&*parsed)) {
        if (c->requestId != options_.requestId)
            return {};
        cancel_ = *c;
        state_ = State::Failed;
        if (journal_) {
            journal_->close(); // what arrived stays for a later resume
            journal_.reset();
        }
    }
    return {};
}

std::vector<std::string> ChunkedReceiver::onStart(const TransferStart& s)
{
    const std::string& id = entry_.modelId;
    if (s.modelId != id)
        return stop(CancelReason::NetworkError, id + ": the sender started model " + s.modelId, true);
    if (s.method != TransferMethod::WebSocketChunked)
        return stop(CancelReason::NetworkError, id + ": the sender offers http_range, not websocket_chunked", true);
    if (s.totalBytes != layout_.size)
        return stop(CancelReason::HashMismatch,
                    id + ": the sender has " + std::to_string(s.totalBytes) + " bytes, the catalog says " +
                        std::to_string(layout_.size),
                    true);
    if (s.sha256 != entry_.sha256)
        return stop(CancelReason::HashMismatch, id + ": the sender's file has sha256 " + s.sha256 + ", not the catalog's",
                    true);
    if (s.chunkSize != layout_.chunkSize)
        // Our bitmap is in 64 KiB chunks, the protocol's default; a sender in
        // another size cannot fill it. Nothing is lost by stopping here.
        return stop(CancelReason::NetworkError,
                    id + ": the sender's chunk size " + std::to_string(s.chunkSize) + " is not " +
                        std::to_string(layout_.chunkSize),
                    true);
    // The space, now that a sender stands behind the size (with
    // reserveOnOpen the journal took it when opened, and this costs nothing).
    if (!journal_)
        return {};
    if (auto reserved = journal_->reserve(); !reserved)
        return stop(CancelReason::StorageFull, reserved.message(), true);
    state_ = State::Receiving;
    return finishIfComplete(); // an empty file, or everything was here already
}

std::vector<std::string> ChunkedReceiver::onChunk(const TransferChunk& c, SteadyTime now)
{
    if (c.modelId != entry_.modelId || c.totalChunks != layout_.count())
        return badCopy(c.chunkIndex, "chunk " + std::to_string(c.chunkIndex) + " is for other bytes (" + c.modelId +
                                         ", " + std::to_string(c.totalChunks) + " chunks)");
    const std::uint32_t i = c.chunkIndex;
    if (c.bytes.size() != layout_.length(i))
        return badCopy(i, "chunk " + std::to_string(i) + " has " + std::to_string(c.bytes.size()) + " bytes, not " +
                              std::to_string(layout_.length(i)));
    if (!c.chunkSha256.empty() && sha256Hex(c.bytes) != c.chunkSha256)
        return badCopy(i, "chunk " + std::to_string(i) + " does not match its chunk_sha256");
    if (journal_->isDone(i)) {
        ++duplicates_;
        return {ack(i)}; // its ack was lost, or it came twice: never rewritten
    }
    std::optional<Error> failed;
    ChunkCheck check = ChunkCheck::Unverified;
    {
        // The writer must be gone before stop() closes the journal.
        auto writer = journal_->beginChunk(i);
        if (!writer) {
            failed = writer.error();
        } else if (auto w = writer->write(c.bytes.data(), c.bytes.size()); !w) {
            failed = w.error();
        } else if (auto committed = journal_->commitChunk(*writer); !committed) {
            failed = committed.error();
        } else {
            check = *committed;
        }
    }
    if (failed)
        return stop(storageReason(*failed), failed->message, true);
    if (check == ChunkCheck::Mismatch)
        return badCopy(i, "chunk " + std::to_string(i) + " does not match its hash");
    if (check != ChunkCheck::Superseded) {
        ++written_;
        meter_.add(c.bytes.size(), now);
    }
    bad_.erase(i);
    doneBytes_ = journal_->bytesDone();
    doneChunks_ = journal_->chunksDone();
    std::vector<std::string> out{ack(i)};
    auto end = finishIfComplete();
    out.insert(out.end(), end.begin(), end.end());
    return out;
}

std::vector<std::string> ChunkedReceiver::badCopy(std::uint32_t index, const std::string& why)
{
    ++badTotal_;
    if (++bad_[index] >= options_.maxBadCopies)
        return stop(CancelReason::HashMismatch,
                    entry_.modelId + ": " + std::to_string(bad_[index]) + " bad copies of chunk " +
                        std::to_string(index) + ", the last: " + why,
                    true);
    return {}; // not written, not acknowledged: the sender sends it again
}

std::vector<std::string> ChunkedReceiver::finishIfComplete()
{
    if (!journal_ || !journal_->complete())
        return {};
    if (state_ == State::Waiting && layout_.count() == 0)
        return {}; // an empty file is finished when its start arrives, so the sender hears of it
    auto fin = journal_->finish(observer_, cancelToken_);
    journal_.reset(); // spent either way
    if (!fin)
        return stop(storageReason(fin.error()), fin.message(), false);
    finish_ = *fin;
    if (!fin->verified)
        // finish() removed the part file and the journal: nothing under the final name.
        return stop(CancelReason::HashMismatch, fin->message, false); // names the model already
    state_ = State::Verified;
    TransferComplete done;
    done.requestId = options_.requestId;
    done.modelId = entry_.modelId;
    done.totalBytesReceived = layout_.size;
    done.sha256Computed = fin->actualSha256;
    done.sha256Expected = entry_.sha256;
    done.verificationStatus = "verified";
    done.storagePath = finalPath_.filename().string(); // never a local path
    completeMessage_ = transferMessageJson(done);
    return {completeMessage_};
}

std::optional<SteadyTime> ChunkedReceiver::nextDeadline() const
{
    if (finished() || !asked_)
        return std::nullopt; // nobody to wait for before the request is out
    return lastHeard_ + options_.idleTimeout;
}

std::vector<std::string> ChunkedReceiver::onTimer(SteadyTime now)
{
    if (finished() || !asked_ || now - lastHeard_ < options_.idleTimeout)
        return {};
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(options_.idleTimeout).count();
    const std::string seconds = ms % 1000 == 0 ? std::to_string(ms / 1000)
                                               : std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100);
    return stop(CancelReason::Timeout, entry_.modelId + ": nothing from " + options_.targetNodeId + " for " + seconds + " s",
                true);
}

std::vector<std::string> ChunkedReceiver::cancel(CancelReason reason, const std::string& message, bool keepPartial)
{
    if (finished())
        return {};
    return stop(reason, message, keepPartial);
}

std::vector<std::string> ChunkedReceiver::stop(CancelReason reason, const std::string& message, bool keepPartial)
{
    TransferCancel c;
    c.requestId = options_.requestId;
    c.modelId = entry_.modelId;
    c.reason = reason;
    c.message = message;
    c.cancelledBy = options_.nodeId;
    cancel_ = c;
    state_ = State::Failed;
    if (journal_) {
        if (keepPartial)
            journal_->close();
        else
            journal_->discard();
        journal_.reset();
    }
    return {transferMessageJson(c)};
}

DownloadProgress ChunkedReceiver::progress(SteadyTime now) const
{
    DownloadProgress p;
    p.bytesDownloaded = state_ == State::Verified ? layout_.size : doneBytes_;
    p.totalBytes = layout_.size;
    p.rate = meter_.rate(now);
    p.chunksReceived = state_ == State::Verified ? layout_.count() : doneChunks_;
    p.totalChunks = layout_.count();
    completeProgress(p);
    return p;
}

std::string ChunkedReceiver::progressMessage(SteadyTime now) const
{
    TransferProgress t;
    t.requestId = options_.requestId;
    t.modelId = entry_.modelId;
    t.progress = progress(now);
    return transferMessageJson(t);
}

} // namespace atmo
