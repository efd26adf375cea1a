#include "app/relay/RelayRangeFetch.h"

#include <QObject>

#include "app/QtStrings.h"
#include "app/relay/RelayClient.h"
#include "core/base/fs_util.h"

namespace {

using Clock = std::chrono::steady_clock;

atmo::RelayStreamTarget withRequestId(atmo::RelayStreamTarget target)
{
    target.requestId = "rng-" + atmo::randomSuffix(16);
    return target;
}

} // namespace

RelayRangeFetch::RelayRangeFetch(Host& host, atmo::RangePlan& plan, RelayClient& relay, const QString& peer,
                                 atmo::RelayStreamTarget target, const atmo::Assignment& assignment,
                                 std::uint32_t chunksPerRequest)
    : ChunkFetch(host, plan, peer, assignment), relay_(&relay),
      stream_(withRequestId(std::move(target)), assignment.offset, assignment.offset + assignment.length),
      chunksPerRequest_(chunksPerRequest)
{
    const QString node = q(stream_.target().peerNodeId);
    // Each handler ends with fetchActivity(), which may destroy this fetch:
    // nothing of it is touched afterwards.
    onMessage_ = QObject::connect(&relay, &RelayClient::message, &relay, [this, node](const QString& from,
                                                                                      const QByteArray& payload) {
        if (from != node)
            return;
        for (const auto& reply : stream_.onMessage(std::string_view(payload.constData(), std::size_t(payload.size()))))
            send(reply);
        host_.fetchActivity(*this);
    });
    onLeft_ = QObject::connect(&relay, &RelayClient::peerLeft, &relay, [this, node](const QString& nodeId) {
        if (nodeId != node || !linkLost_.isEmpty())
            return;
        linkLost_ = QStringLiteral("left the mesh's relay");
        host_.fetchActivity(*this);
    });
    onNotFound_ = QObject::connect(&relay, &RelayClient::peerNotFound, &relay, [this, node](const QString& nodeId) {
        if (nodeId != node || !linkLost_.isEmpty())
            return;
        linkLost_ = QStringLiteral("is not on the mesh's relay");
        host_.fetchActivity(*this);
    });
    onState_ = QObject::connect(&relay, &RelayClient::stateChanged, &relay,
                                [this](RelayClient::State state, const QString& message) {
                                    if (state == RelayClient::State::Joined || !linkLost_.isEmpty())
                                        return;
                                    linkLost_ = "could not be reached: " + message;
                                    ourLink_ = true;
                                    host_.fetchActivity(*this);
                                });
    if (relay.state() != RelayClient::State::Joined) {
        linkLost_ = "could not be reached: " + relay.stateMessage();
        ourLink_ = true;
    } else
        send(stream_.requestMessage());
}

RelayRangeFetch::~RelayRangeFetch()
{
    disconnectAll();
    // A stretch cut short (a pause, a lost race, a failure here) frees the
    // sender's slot at once instead of after its resends.
    if (!answered_ && linkLost_.isEmpty())
        if (auto cancel = stream_.cancelMessage(done_ ? "the rest of the file comes from other peers"
                                                      : "the download stopped here"))
            send(*cancel);
}

void RelayRangeFetch::disconnectAll()
{
    QObject::disconnect(onMessage_);
    QObject::disconnect(onLeft_);
    QObject::disconnect(onNotFound_);
    QObject::disconnect(onState_);
}

void RelayRangeFetch::send(const std::string& payload)
{
    QString error;
    if (!relay_ || !relay_->sendDirect(q(stream_.target().peerNodeId), QByteArray::fromStdString(payload), &error))
        if (linkLost_.isEmpty()) {
            linkLost_ = "could not be reached: " + (relay_ ? error : QStringLiteral("the relay link is gone"));
            ourLink_ = !relay_ || relay_->state() != RelayClient::State::Joined;
        }
}

RelayRangeFetch::Status RelayRangeFetch::pump()
{
    if (status_ != Status::Open)
        return status_;
    if (stream_.state() == atmo::RelayStream::State::Failed)
        return fail(q(stream_.failure()),
                    stream_.fault() == atmo::RelayStream::Fault::Mismatch ? Fault::BadData : Fault::Peer);
    if (!linkLost_.isEmpty())
        return fail(linkLost_, ourLink_ ? Fault::OurLink : Fault::Peer);
    sizeProven_ = sizeProven_ || stream_.sizeProven();
    while (!done_) {
        const auto now = Clock::now();
        const std::uint64_t allowed = host_.readAllowance();
        if (allowed == 0) {
            heldBack(now);
            break;
        }
        const std::uint64_t chunkLen = plan_.layout().length(chunk_);
        auto taken = stream_.take(std::min<std::uint64_t>(allowed, chunkLen - std::uint64_t(buf_.size())));
        if (!taken)
            break;
        if (taken->ack)
            send(*taken->ack);
        const auto n = std::uint64_t(taken->bytes.size());
        if (buf_.capacity() < qsizetype(chunkLen))
            buf_.reserve(qsizetype(chunkLen));
        buf_.append(taken->bytes.data(), qsizetype(n));
        arrived(n, now);
        host_.bytesRead(n, now);
        plan_.received(peerKey_, chunk_, n, now);
        if (std::uint64_t(buf_.size()) == chunkLen) {
            QByteArray bytes = std::move(buf_);
            buf_ = QByteArray();
            host_.chunkArrived(*this, chunk_, std::move(bytes));
            ++chunk_;
            if (chunk_ == endChunk())
                extendOrFinish(now);
        }
    }
    if (!linkLost_.isEmpty() && !done_)
        return fail(linkLost_, ourLink_ ? Fault::OurLink : Fault::Peer);
    if (done_)
        status_ = Status::Complete;
    return status_;
}

// The stream goes on while the plan's next range for this node starts
// where it is (the usual case with one relay node: the whole file in one
// transfer); otherwise this stretch is done.
void RelayRangeFetch::extendOrFinish(atmo::SteadyTime now)
{
    auto more = plan_.next(peerKey_, now, chunksPerRequest_);
    if (more && more->offset == a_.offset + a_.length && !more->duplicate) {
        a_ = atmo::Assignment{a_.first, a_.count + more->count, a_.offset, a_.length + more->length, false};
        stream_.extendTo(a_.offset + a_.length);
        return;
    }
    if (more)
        for (std::uint32_t c = more->first; c < more->first + more->count; ++c)
            plan_.failed(peerKey_, c, atmo::ChunkFailure::Cancelled);
    done_ = true;
}

bool RelayRangeFetch::awaitsVerdict() const
{
    return done_ && !answered_ && stream_.reachesFileEnd() && linkLost_.isEmpty();
}

void RelayRangeFetch::verdict(const std::string& computedSha256, const std::string& fileName)
{
    if (answered_)
        return;
    answered_ = true;
    send(stream_.completeMessage(computedSha256, fileName));
}
