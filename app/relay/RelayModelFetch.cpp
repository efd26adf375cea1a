#include "app/relay/RelayModelFetch.h"

#include <QPointer>
#include <QTimer>

#include <algorithm>

#include "app/QtStrings.h"
#include "app/relay/RelayClient.h"
#include "core/transfer/chunked_receiver.h"
#include "core/transfer/transfer_messages.h"

namespace {
using Clock = std::chrono::steady_clock;

// Payloads from the sender waiting for the worker, at most.
constexpr int kMaxBacklog = 8;

// How a transfer that ended badly counts (the CLI's exit code).
atmo::ErrorCode codeFor(atmo::CancelReason reason)
{
    switch (reason) {
    case atmo::CancelReason::HashMismatch:
        return atmo::ErrorCode::BadData;
    case atmo::CancelReason::StorageFull:
        return atmo::ErrorCode::NoSpace;
    case atmo::CancelReason::UserCancelled: // the sender's user: our own pause ends as Paused
    case atmo::CancelReason::Timeout:
    case atmo::CancelReason::NetworkError:
        break;
    }
    return atmo::ErrorCode::Failed;
}
} // namespace

// What the worker says after each call, in the order of the calls.
struct RelayModelFetch::Outcome {
    std::vector<std::string> payloads; // to the sender, in order
    std::optional<QString> openError;  // the journal could not be opened
    atmo::ErrorCode openCode = atmo::ErrorCode::Failed;
    bool opened = false;               // this outcome is the open's
    bool resumed = false;
    atmo::ChunkedReceiver::State state = atmo::ChunkedReceiver::State::Waiting;
    QString failure;   // when state is Failed
    bool byUs = false; // we cancelled (a pause, a bad file), not the sender
    atmo::CancelReason reason = atmo::CancelReason::NetworkError;
    atmo::DownloadProgress progress;
    std::uint32_t written = 0, duplicates = 0;
    std::optional<std::uint64_t> requestedFrom; // this outcome is a model_request's, from this byte
};

// The receiver's thread: every call to ChunkedReceiver happens here, one at
// a time, in the order RelayModelFetch posted them.
class RelayFetchWorker : public QObject, public atmo::Observer {
public:
    RelayFetchWorker(RelayModelFetch* owner, atmo::CancelToken cancel) : owner_(owner), cancel_(std::move(cancel)) {}

    void open(const std::filesystem::path& finalPath, const atmo::CatalogEntry& entry,
              const atmo::ChunkedReceiverOptions& options)
    {
        timer_ = new QTimer(this);
        timer_->setSingleShot(true);
        connect(timer_, &QTimer::timeout, this, [this] { call([this](auto now) { return receiver_->onTimer(now); }); });
        auto opened = atmo::ChunkedReceiver::open(finalPath, entry, options, this, cancel_);
        RelayModelFetch::Outcome o;
        o.opened = true;
        if (!opened) {
            o.openError = q(opened.message());
            o.openCode = opened.code();
            post(std::move(o));
            return;
        }
        receiver_ = std::move(*opened);
        o.resumed = receiver_->openReport().kind == atmo::JournalOpenReport::Resumed;
        fill(o);
        post(std::move(o));
    }

    void request()
    {
        if (!receiver_ || receiver_->finished())
            return;
        RelayModelFetch::Outcome o;
        o.payloads = {receiver_->requestMessage(Clock::now())};
        o.requestedFrom = receiver_->request().resumeFromByte;
        fill(o);
        post(std::move(o));
    }
    void message(const std::string& payload)
    {
        call([&](auto now) { return receiver_->onMessage(payload, now); });
    }
    void pause()
    {
        if (!receiver_ || receiver_->finished())
            return;
        RelayModelFetch::Outcome o;
        o.payloads = receiver_->cancel(atmo::CancelReason::UserCancelled, "paused by the user", true);
        fill(o);
        post(std::move(o));
    }

    void onProgress(const atmo::Progress& p) override
    {
        QPointer<RelayModelFetch> owner(owner_);
        QMetaObject::invokeMethod(
            owner_,
            [owner, p] {
                if (owner)
                    emit owner->phaseProgress(p.phase, p.done, p.total);
            },
            Qt::QueuedConnection);
    }

private:
    template <class F>
    void call(F&& f)
    {
        if (!receiver_)
            return;
        RelayModelFetch::Outcome o;
        o.payloads = f(Clock::now());
        fill(o);
        post(std::move(o));
    }

    void fill(RelayModelFetch::Outcome& o)
    {
        const auto now = Clock::now();
        o.state = receiver_->state();
        o.progress = receiver_->progress(now);
        o.written = receiver_->chunksWritten();
        o.duplicates = receiver_->duplicateChunks();
        if (const auto& c = receiver_->cancellation()) {
            o.byUs = c->cancelledBy == ourId_;
            o.reason = c->reason;
            o.failure = q(c->message);
            if (!o.byUs)
                o.failure =
                    QString("the sender cancelled (%1): %2").arg(atmo::cancelReasonName(c->reason), q(c->message));
        }
        timer_->stop();
        if (const auto next = receiver_->nextDeadline()) {
            const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*next - now).count();
            timer_->start(int(std::clamp<long long>(ms, 0, 24LL * 3600 * 1000)));
        }
    }

    void post(RelayModelFetch::Outcome o)
    {
        RelayModelFetch* owner = owner_;
        QMetaObject::invokeMethod(
            owner_, [owner, o = std::move(o)] { owner->onOutcome(o); }, Qt::QueuedConnection);
    }

public:
    std::string ourId_;

private:
    RelayModelFetch* owner_;
    atmo::CancelToken cancel_;
    std::unique_ptr<atmo::ChunkedReceiver> receiver_;
    QTimer* timer_ = nullptr;
};

RelayModelFetch::RelayModelFetch(RelayClient* relay, const atmo::CatalogEntry& entry, const QString& nodeId,
                                 const QString& peerNodeId, std::filesystem::path finalPath, const Options& options,
                                 QObject* parent)
    : QObject(parent), relay_(relay), entry_(entry), nodeId_(nodeId), peer_(peerNodeId),
      finalPath_(std::move(finalPath)), options_(options)
{
    progress_.totalBytes = entry_.sizeBytes;
    thread_.setObjectName("relay-fetch");
    worker_ = new RelayFetchWorker(this, cancel_);
    worker_->ourId_ = s(nodeId_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

    connect(relay_, &RelayClient::stateChanged, this, [this](RelayClient::State state) {
        if (state == RelayClient::State::Joined)
            sendRequest(); // again after a reconnect: from what the journal has
    });
    connect(relay_, &RelayClient::peerJoined, this, [this](const RelayClient::Peer& peer) {
        if (peer.nodeId == peer_)
            sendRequest(); // the sender came back and knows nothing of us
    });
    connect(relay_, &RelayClient::peerNotFound, this, [this](const QString& nodeId) {
        if (nodeId == peer_ && !started_ && !ended())
            fail(QString("%1: %2 is not on the relay").arg(q(entry_.modelId), peer_), atmo::ErrorCode::NotFound);
    });
    connect(relay_, &RelayClient::message, this, [this](const QString& from, const QByteArray& payload) {
        if (from != peer_ || ended() || !opened_)
            return;
        // The sender may have 2 chunks unacknowledged; more waiting here means
        // it ignores the window (or the disk is slow): drop them, it resends
        // what was not acknowledged. Memory stays bounded either way.
        if (backlog_->load() >= kMaxBacklog)
            return;
        ++*backlog_;
        QMetaObject::invokeMethod(worker_, [w = worker_, backlog = backlog_, p = payload.toStdString()] {
            w->message(p);
            --*backlog;
        }, Qt::QueuedConnection);
    });
}

RelayModelFetch::~RelayModelFetch()
{
    // The worker is deleted when its thread finishes; the receiver it holds
    // closes its journal then (a pause) unless the download ended.
    cancel_.cancel();
    if (!thread_.isRunning() && state_ == State::Idle) {
        delete worker_; // never started: no thread to delete it
        return;
    }
    thread_.quit();
    thread_.wait();
}

void RelayModelFetch::abandon(const QString& why, atmo::ErrorCode code) { fail(why, code); }

void RelayModelFetch::start()
{
    if (state_ != State::Idle)
        return;
    setState(State::Waiting);
    thread_.start();
    // A link that never comes up (the relay down, backing off) would
    // otherwise wait forever: the idle timer runs from the first request.
    // Armed once the journal is open (re-checking a big part file is local
    // work that may take minutes).
    firstRequest_.setSingleShot(true);
    connect(&firstRequest_, &QTimer::timeout, this, [this] {
        if (!requested_)
            fail(QString("%1: could not ask %2 through the relay within %3 s: %4")
                     .arg(q(entry_.modelId), peer_)
                     .arg(options_.idleTimeoutMs / 1000.0)
                     .arg(relay_->stateMessage()),
                 atmo::ErrorCode::Failed);
    });
    atmo::ChunkedReceiverOptions options;
    options.nodeId = s(nodeId_);
    options.targetNodeId = s(peer_);
    options.idleTimeout = std::chrono::milliseconds(options_.idleTimeoutMs);
    options.journal.reserveOnOpen = false; // the size is a peer's claim until its start matches the catalog
    QMetaObject::invokeMethod(
        worker_, [w = worker_, path = finalPath_, entry = entry_, options] { w->open(path, entry, options); },
        Qt::QueuedConnection);
}

void RelayModelFetch::pause()
{
    if (ended() || state_ == State::Idle)
        return;
    cancel_.cancel(); // stops a final hash that is running
    QMetaObject::invokeMethod(
        worker_, [w = worker_] { w->pause(); }, Qt::QueuedConnection);
}

void RelayModelFetch::sendRequest()
{
    if (!opened_ || ended() || relay_->state() != RelayClient::State::Joined)
        return;
    QMetaObject::invokeMethod(
        worker_, [w = worker_] { w->request(); }, Qt::QueuedConnection);
}

void RelayModelFetch::onOutcome(const Outcome& o)
{
    if (ended())
        return;
    if (o.openError) {
        if (o.openCode == atmo::ErrorCode::Cancelled && cancel_.cancelled()) {
            setState(State::Paused); // Ctrl-C while an earlier run's journal was checked
            emit finished();
            return;
        }
        fail(*o.openError, o.openCode);
        return;
    }
    for (const auto& payload : o.payloads)
        (void)relay_->sendDirect(peer_, QByteArray::fromStdString(payload)); // not joined: asked again on rejoin
    if (o.requestedFrom) {
        requested_ = true;
        emit requested(*o.requestedFrom, requests_++ > 0);
    }
    duplicates_ = o.duplicates;
    progress_ = o.progress;
    if (o.opened) {
        opened_ = true;
        firstRequest_.start(options_.idleTimeoutMs);
        resumed_ = o.resumed;
        bytesAtOpen_ = o.progress.bytesDownloaded;
    }
    written_ = o.progress.bytesDownloaded - std::min(bytesAtOpen_, o.progress.bytesDownloaded);
    emit progressChanged(progress_);
    using R = atmo::ChunkedReceiver::State;
    switch (o.state) {
    case R::Waiting:
        if (o.opened)
            sendRequest();
        break;
    case R::Receiving:
        started_ = true;
        setState(State::Receiving);
        break;
    case R::Verified:
        setState(State::Finished);
        emit finished();
        break;
    case R::Failed:
        if (o.byUs && cancel_.cancelled()) {
            setState(State::Paused);
            emit finished();
        } else {
            const QString id = q(entry_.modelId);
            fail(o.failure.startsWith(id + ":") ? o.failure : id + ": " + o.failure, codeFor(o.reason));
        }
        break;
    }
}

void RelayModelFetch::setState(State state)
{
    if (state_ == state)
        return;
    state_ = state;
    emit stateChanged(state);
}

void RelayModelFetch::fail(const QString& message, atmo::ErrorCode code)
{
    if (ended())
        return;
    error_ = message;
    errorCode_ = code;
    setState(State::Failed);
    // The journal stays: the same pull again resumes from it.
    QMetaObject::invokeMethod(
        worker_, [w = worker_] { w->pause(); }, Qt::QueuedConnection);
    emit finished();
}
