#include "app/relay/RelayModelServer.h"

#include <QDateTime>

#include <algorithm>
#include <deque>

#include "app/QtStrings.h"
#include "app/relay/RelayClient.h"
#include "core/mesh/catalog_wire.h"
#include "core/transfer/rate_limiter.h"
#include "core/transfer/transfer_messages.h"

namespace {

using Clock = std::chrono::steady_clock;

// A sender whose every chunk was acknowledged waits this long for the
// requester's model_transfer_complete (its final hash of the whole file)
// before the slot is given back.
constexpr std::chrono::steady_clock::duration kCompleteWait = std::chrono::minutes(15);
constexpr std::chrono::steady_clock::duration kNothingSentWait = std::chrono::seconds(10);

std::string keyFor(const QString& from, const std::string& requestId) { return s(from) + '\n' + requestId; }

} // namespace

struct RelayModelServer::Transfer {
    QString peer;
    std::unique_ptr<atmo::ChunkedSender> sender;
    atmo::RateLimiter limiter;
    std::deque<std::string> queue; // payloads held back by the cap
    atmo::SteadyTime readyAt{};    // when the head of the queue may go
    std::optional<atmo::SteadyTime> allAckedAt;
    std::chrono::steady_clock::duration completeWait = kCompleteWait;
};

RelayModelServer::RelayModelServer(RelayClient* relay, const Identity& identity, const Options& options,
                                   QObject* parent)
    : QObject(parent), relay_(relay), identity_(identity), options_(options)
{
    options_.sender.nodeId = s(identity_.nodeId);
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, &RelayModelServer::onTimer);
    gossipTimer_.setInterval(options_.gossipIntervalMs);
    connect(&gossipTimer_, &QTimer::timeout, this, &RelayModelServer::gossip);

    // Queued: a send inside pump() may end the link on the spot, and the
    // transfer being pumped must not be dropped under it. (A peer's leaving
    // is not queued: it arrives as a frame, never inside a send, and a
    // queued drop could land after the same peer's new request.)
    connect(
        relay_, &RelayClient::stateChanged, this,
        [this](RelayClient::State state, const QString& message) {
            if (state == RelayClient::State::Joined) {
                gossip();
                gossipTimer_.start();
            } else {
                gossipTimer_.stop();
                dropAll(message);
            }
        },
        Qt::QueuedConnection);
    connect(relay_, &RelayClient::peerJoined, this, [this](const RelayClient::Peer& peer) {
        // The newcomer hears our catalog now rather than in up to 5 minutes.
        (void)relay_->sendDirect(peer.nodeId, catalogPayload());
    });
    connect(
        relay_, &RelayClient::peerLeft, this,
        [this](const QString& nodeId) { dropPeer(nodeId, nodeId + " left the mesh"); });
    connect(
        relay_, &RelayClient::peerNotFound, this,
        [this](const QString& nodeId) { dropPeer(nodeId, nodeId + " is not on the relay"); });
    connect(relay_, &RelayClient::message, this, &RelayModelServer::onMessage);
    if (relay_->state() == RelayClient::State::Joined) {
        gossip();
        gossipTimer_.start();
    }
}

RelayModelServer::~RelayModelServer() = default;

void RelayModelServer::setModels(std::vector<atmo::LocalModel> models)
{
    models_.clear();
    for (auto& m : models)
        models_.emplace(m.entry.modelId, std::move(m));
    if (relay_->state() == RelayClient::State::Joined)
        gossip();
}

QByteArray RelayModelServer::catalogPayload() const
{
    atmo::CatalogMessage m;
    m.nodeId = s(identity_.nodeId);
    m.nodeName = s(identity_.name);
    m.timestampMs = QDateTime::currentMSecsSinceEpoch();
    for (const auto& [id, model] : models_)
        m.models.push_back(model.entry);
    m.httpEndpoint = s(identity_.httpEndpoint);
    m.websocket = true;
    m.ttlSeconds = options_.ttlSeconds;
    return QByteArray::fromStdString(atmo::catalogMessageToJson(m));
}

void RelayModelServer::gossip() { (void)relay_->sendBroadcast(catalogPayload()); }

void RelayModelServer::onMessage(const QString& from, const QByteArray& payload)
{
    const std::string_view text(payload.constData(), std::size_t(payload.size()));
    auto parsed = atmo::parseTransferMessage(text);
    if (!parsed) {
        // A chunk-shaped payload is not for a sender; anything else that is
        // not a transfer message (catalog gossip, a newer peer's messages)
        // is someone else's business.
        return;
    }
    if (const auto* request = std::get_if<atmo::ModelRequest>(&*parsed)) {
        onRequest(from, *request);
        return;
    }
    std::string requestId;
    if (const auto* ack = std::get_if<atmo::ChunkAck>(&*parsed))
        requestId = ack->requestId;
    else if (const auto* done = std::get_if<atmo::TransferComplete>(&*parsed))
        requestId = done->requestId;
    else if (const auto* cancel = std::get_if<atmo::TransferCancel>(&*parsed))
        requestId = cancel->requestId;
    else
        return; // start, chunk, progress: a receiver's business
    const std::string key = keyFor(from, requestId);
    const auto it = transfers_.find(key);
    if (it == transfers_.end())
        return; // late, for a transfer that ended or was replaced
    const auto now = Clock::now();
    queue(*it->second, it->second->sender->onMessage(text, now));
    pump(*it->second, now);
    endIfFinished(key);
    arm();
}

void RelayModelServer::onRequest(const QString& from, const atmo::ModelRequest& request)
{
    if (request.targetNodeId != s(identity_.nodeId))
        return; // not addressed to us
    const auto refuse = [&](const std::string& why) {
        atmo::TransferCancel c;
        c.requestId = request.requestId;
        c.modelId = request.modelId;
        c.reason = atmo::CancelReason::NetworkError;
        c.message = why;
        c.cancelledBy = s(identity_.nodeId);
        (void)relay_->sendDirect(from, QByteArray::fromStdString(atmo::transferMessageJson(c)));
    };
    const std::string key = keyFor(from, request.requestId);
    // The bandwidth cap outlives a transfer asked for again: a requester
    // repeating its request must not earn a fresh burst each time.
    std::optional<atmo::RateLimiter> limiter;
    if (auto old = transfers_.find(key); old != transfers_.end()) {
        // Asked again: after a reconnect, from what the requester now has.
        limiter = old->second->limiter;
        const auto& r = old->second->sender->request();
        const QString oldId = q(r.requestId), oldModel = q(r.modelId);
        transfers_.erase(old);
        emit transferEnded(oldId, oldModel, from, false, "asked again; starting over from what it has");
    } else {
        const auto fromPeer = std::count_if(transfers_.begin(), transfers_.end(),
                                            [&](const auto& kv) { return kv.second->peer == from; });
        if (int(transfers_.size()) >= options_.maxTransfers || int(fromPeer) >= options_.maxTransfersPerPeer) {
            refuse(s(identity_.name) + " is busy with " +
                   std::to_string(int(fromPeer) >= options_.maxTransfersPerPeer ? fromPeer : transfers_.size()) +
                   (int(fromPeer) >= options_.maxTransfersPerPeer ? " relay transfers to you" : " relay transfers") +
                   "; ask again later");
            return;
        }
    }
    const auto model = models_.find(request.modelId);
    if (model == models_.end()) {
        refuse("model " + request.modelId + " is not served by " + s(identity_.name));
        return;
    }
    atmo::OutgoingModel out;
    out.path = model->second.file;
    out.modelId = model->second.entry.modelId;
    out.size = model->second.entry.sizeBytes;
    out.sha256 = model->second.entry.sha256;
    auto sender = atmo::ChunkedSender::create(request, out, options_.sender);
    if (!sender) {
        // The reason names a local path: the requester hears only that it failed.
        refuse("model " + request.modelId + " cannot be read on " + s(identity_.name));
        emit transferEnded(q(request.requestId), q(request.modelId), from, false, q(sender.message()));
        return;
    }
    auto t = std::make_unique<Transfer>();
    t->peer = from;
    t->sender = std::move(*sender);
    t->limiter = limiter ? *limiter : atmo::RateLimiter(atmo::relayRateFor(options_.caps, out.size));
    Transfer& ref = *t;
    transfers_.emplace(key, std::move(t));
    emit transferStarted(q(request.requestId), q(request.modelId), from);
    const auto now = Clock::now();
    queue(ref, ref.sender->start(now));
    pump(ref, now);
    endIfFinished(key);
    arm();
}

void RelayModelServer::queue(Transfer& t, std::vector<std::string> payloads)
{
    for (auto& p : payloads)
        t.queue.push_back(std::move(p));
}

void RelayModelServer::pump(Transfer& t, atmo::SteadyTime now)
{
    while (!t.queue.empty()) {
        const std::string& payload = t.queue.front();
        // The cap counts what crosses the relay: the payload as sent (a
        // chunk's base64), not the model bytes inside it.
        const auto wait = t.limiter.waitFor(payload.size(), now);
        if (wait.count() > 0) {
            t.readyAt = now + wait;
            return;
        }
        t.limiter.consume(payload.size(), now);
        QString error;
        if (!relay_->sendDirect(t.peer, QByteArray::fromStdString(payload), &error)) {
            // Not joined any more (stateChanged drops everything), or a frame
            // the relay would refuse: this transfer cannot go on.
            t.queue.clear();
            (void)t.sender->cancel(atmo::CancelReason::NetworkError, s(error));
            return;
        }
        t.queue.pop_front();
    }
    if (t.sender->state() == atmo::ChunkedSender::State::AllAcked && !t.allAckedAt) {
        t.allAckedAt = now;
        // Nothing was sent (the requester had it all): its complete, if it
        // comes at all, comes at once; the slot is not held for a final hash.
        if (t.sender->chunksSent() == 0)
            t.completeWait = kNothingSentWait;
    }
}

void RelayModelServer::endIfFinished(const std::string& key)
{
    const auto it = transfers_.find(key);
    if (it == transfers_.end())
        return;
    Transfer& t = *it->second;
    const bool waitedTooLong = t.allAckedAt && Clock::now() - *t.allAckedAt >= t.completeWait;
    if (!(t.sender->finished() && t.queue.empty()) && !waitedTooLong)
        return;
    const auto& request = t.sender->request();
    bool completed = false;
    QString message;
    if (const auto& done = t.sender->completion()) {
        completed = done->verificationStatus == "verified";
        message = completed ? QString("verified by %1").arg(t.peer)
                            : QString("%1 reports the file did not verify").arg(t.peer);
    } else if (const auto& cancel = t.sender->cancellation()) {
        message = QString("cancelled (%1): %2").arg(atmo::cancelReasonName(cancel->reason), q(cancel->message));
    } else {
        message = QString("%1 never confirmed the file").arg(t.peer);
    }
    const QString requestId = q(request.requestId), modelId = q(request.modelId), peer = t.peer;
    transfers_.erase(it);
    emit transferEnded(requestId, modelId, peer, completed, message);
}

void RelayModelServer::dropPeer(const QString& nodeId, const QString& why)
{
    std::vector<std::string> keys;
    for (const auto& [key, t] : transfers_)
        if (t->peer == nodeId)
            keys.push_back(key);
    for (const auto& key : keys) {
        auto node = transfers_.extract(key);
        const auto& r = node.mapped()->sender->request();
        emit transferEnded(q(r.requestId), q(r.modelId), nodeId, false, why);
    }
    arm();
}

void RelayModelServer::dropAll(const QString& why)
{
    auto all = std::move(transfers_);
    transfers_.clear();
    for (const auto& [key, t] : all) {
        const auto& r = t->sender->request();
        emit transferEnded(q(r.requestId), q(r.modelId), t->peer, false, why);
    }
    timer_.stop();
}

void RelayModelServer::onTimer()
{
    const auto now = Clock::now();
    std::vector<std::string> keys;
    for (const auto& [key, t] : transfers_)
        keys.push_back(key);
    for (const auto& key : keys) {
        const auto it = transfers_.find(key);
        if (it == transfers_.end())
            continue;
        Transfer& t = *it->second;
        if (t.queue.empty())
            queue(t, t.sender->onTimer(now));
        pump(t, now);
        endIfFinished(key);
    }
    arm();
}

void RelayModelServer::arm()
{
    std::optional<atmo::SteadyTime> next;
    const auto earliest = [&](atmo::SteadyTime at) {
        if (!next || at < *next)
            next = at;
    };
    for (const auto& [key, t] : transfers_) {
        if (!t->queue.empty())
            earliest(t->readyAt);
        else if (auto d = t->sender->nextDeadline())
            earliest(*d);
        if (t->allAckedAt)
            earliest(*t->allAckedAt + t->completeWait);
    }
    if (!next) {
        timer_.stop();
        return;
    }
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
    timer_.start(int(std::clamp<long long>(ms, 0, 24LL * 3600 * 1000)));
}
