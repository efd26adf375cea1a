#include "app/relay/RelayClient.h"

#include <QRandomGenerator>
#include <QWebSocket>

#include <algorithm>

#include "app/LogCategories.h"
#include "app/QtStrings.h"
#include "core/mesh/catalog_wire.h"
#include "core/relay/relay_frames.h"

namespace {

constexpr int kReplacedRetryCapMs = 30 * 60 * 1000;
constexpr int kCloseNormal = 1000;

QString secondsText(int ms)
{
    return ms % 1000 == 0 ? QString::number(ms / 1000) + " s" : QString::number(ms / 1000.0, 'f', 1) + " s";
}

RelayClient::Peer toPeer(const atmo::RelayPeer& p)
{
    RelayClient::Peer out{q(p.nodeId), q(p.name), {}, p.isFounder};
    for (const auto& c : p.capabilities)
        out.capabilities << q(c);
    return out;
}

std::vector<std::string> toStd(const QStringList& list)
{
    std::vector<std::string> out;
    for (const QString& s : list)
        out.push_back(s.toStdString());
    return out;
}

} // namespace

QUrl RelayClient::endpointFor(const QUrl& relayUrl, const QString& meshId, QString* error)
{
    const auto bad = [&](const QString& why) {
        if (error)
            *error = QString("relay %1: %2").arg(relayUrl.toDisplayString(), why);
        return QUrl();
    };
    if (!relayUrl.isValid())
        return bad("not a valid URL");
    if (relayUrl.scheme() != "ws" && relayUrl.scheme() != "wss")
        return bad("not a ws:// or wss:// URL");
    if (relayUrl.host().isEmpty())
        return bad("no host");
    if (relayUrl.hasQuery() || relayUrl.hasFragment())
        return bad("a relay URL has no query or fragment");
    if (!atmo::isValidNodeId(s(meshId))) // the same shape as a node id: printable, no spaces, bounded
        return bad(QString("\"%1\" is not a mesh id").arg(meshId.left(64)));
    QUrl url = relayUrl;
    QString path = relayUrl.path();
    const int at = path.lastIndexOf("/relay/");
    if (at >= 0 && path.indexOf('/', at + 7) < 0) {
        if (path.mid(at + 7) != meshId)
            return bad(QString("the URL names mesh \"%1\", not \"%2\"").arg(path.mid(at + 7), meshId));
        return url;
    }
    if (!path.endsWith('/'))
        path += '/';
    url.setPath(path + "relay/" + meshId);
    return url;
}

RelayClient::RelayClient(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<RelayClient::Peer>();
    pongDeadline_.setSingleShot(true);
    joinDeadline_.setSingleShot(true);
    retryTimer_.setSingleShot(true);
    connect(&pingTimer_, &QTimer::timeout, this, [this] {
        QString error;
        if (!sendFrame(atmo::pingFrame(), &error))
            return;
        if (!pongDeadline_.isActive()) {
            pingSent_.start();
            pongDeadline_.start(config_.pongTimeoutMs);
        }
    });
    connect(&pongDeadline_, &QTimer::timeout, this, [this] {
        dropLink(QString("no answer to a ping in %1").arg(secondsText(config_.pongTimeoutMs)));
    });
    connect(&joinDeadline_, &QTimer::timeout, this, [this] {
        dropLink(QString("no answer in %1").arg(secondsText(config_.joinTimeoutMs)));
    });
    connect(&retryTimer_, &QTimer::timeout, this, &RelayClient::connectNow);
}

RelayClient::~RelayClient()
{
    blockSignals(true); // nothing is told about a client going away with its owner
    stop();
}

bool RelayClient::start(const Config& config, QString* error)
{
    stop();
    QString why;
    const QUrl url = endpointFor(config.relayUrl, config.meshId, &why);
    if (url.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    url_ = url;
    const auto bad = [&](const QString& what) {
        if (error)
            *error = line(what);
        return false;
    };
    if (!atmo::isValidNodeId(s(config.nodeId)))
        return bad(QString("\"%1\" is not a node id").arg(config.nodeId.left(64)));
    if (!config.founder && !config.tokenJson.isEmpty()) {
        auto frame = atmo::joinFrame({s(config.nodeId), s(config.name), toStd(config.capabilities),
                                      config.tokenJson.toStdString()});
        if (!frame)
            return bad(q(frame.message()));
    }
    config_ = config;
    if (config_.maxFrameBytes <= 0 || config_.maxFrameBytes > qint64(atmo::kMaxRelayFrameBytes))
        config_.maxFrameBytes = qint64(atmo::kMaxRelayFrameBytes);
    config_.backoffMinMs = std::max(1, config_.backoffMinMs);
    config_.backoffMaxMs = std::max(config_.backoffMinMs, config_.backoffMaxMs);
    attempt_ = 0;
    replacedCount_ = 0;
    connectNow();
    return true;
}

void RelayClient::stop()
{
    retryTimer_.stop();
    if (socket_) {
        QWebSocket* old = socket_;
        socket_ = nullptr;
        old->disconnect(this);
        old->abort();
        old->deleteLater();
    }
    resetSession();
    if (state_ != State::Stopped)
        setState(State::Stopped, line("stopped"));
}

std::optional<RelayClient::Peer> RelayClient::peer(const QString& nodeId) const
{
    for (const Peer& p : peers_)
        if (p.nodeId == nodeId)
            return p;
    return std::nullopt;
}

bool RelayClient::sendBroadcast(const QByteArray& payloadJson, QString* error)
{
    auto frame = atmo::broadcastFrame(payloadJson.toStdString());
    if (!frame) {
        if (error)
            *error = line(q(frame.message()));
        return false;
    }
    return sendFrame(*frame, error);
}

bool RelayClient::sendDirect(const QString& nodeId, const QByteArray& payloadJson, QString* error)
{
    auto frame = atmo::directFrame(s(nodeId), payloadJson.toStdString());
    if (!frame) {
        if (error)
            *error = line(q(frame.message()));
        return false;
    }
    return sendFrame(*frame, error);
}

bool RelayClient::sendFrame(const std::string& frame, QString* error)
{
    if (state_ != State::Joined || !socket_) {
        if (error)
            *error = line("not joined");
        return false;
    }
    if (qint64(frame.size()) > config_.maxFrameBytes) {
        if (error)
            *error = line(QString("a frame of %1 bytes is larger than the %2 bytes allowed")
                              .arg(frame.size())
                              .arg(config_.maxFrameBytes));
        return false;
    }
    socket_->sendTextMessage(QString::fromStdString(frame));
    return true;
}

void RelayClient::connectNow()
{
    resetSession();
    auto* socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    socket->setMaxAllowedIncomingFrameSize(quint64(config_.maxFrameBytes));
    socket->setMaxAllowedIncomingMessageSize(quint64(config_.maxFrameBytes));
    socket_ = socket;
    connect(socket, &QWebSocket::connected, this, &RelayClient::onConnected);
    connect(socket, &QWebSocket::textMessageReceived, this, &RelayClient::onText);
    connect(socket, &QWebSocket::binaryMessageReceived, this,
            [this] { emit frameIgnored(line("ignored a binary frame (the relay speaks JSON text)")); });
    connect(socket, &QWebSocket::disconnected, this, &RelayClient::onEnded);
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this, socket](QAbstractSocket::SocketError) { // errorOccurred() from Qt 6.5
        if (dropReason_.isEmpty())
            dropReason_ = socket->errorString();
        // A refused or failed open ends without disconnected(): end it here,
        // after disconnected() had its chance (it carries the close code).
        QTimer::singleShot(0, this, [this, socket] {
            if (socket_ == socket && socket->state() == QAbstractSocket::UnconnectedState)
                onEnded();
        });
    });
    setState(State::Connecting, line("connecting"));
    joinDeadline_.start(config_.joinTimeoutMs);
    socket->open(url_);
}

void RelayClient::onConnected()
{
    std::string first;
    if (config_.founder) {
        const Founder& f = *config_.founder;
        first = atmo::registerMeshFrame({s(config_.nodeId), f.meshPublicKey.toStdString(), f.founderProof.toStdString(),
                                         f.nodePublicKey.toStdString(), s(f.meshName), s(config_.name),
                                         toStd(config_.capabilities)});
    } else {
        auto frame = atmo::joinFrame({s(config_.nodeId), s(config_.name), toStd(config_.capabilities),
                                      config_.tokenJson.toStdString()});
        first = frame ? *frame : std::string(); // checked in start()
    }
    socket_->sendTextMessage(QString::fromStdString(first));
}

void RelayClient::onText(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    auto frame = atmo::parseRelayFrame(std::string_view(utf8.constData(), std::size_t(utf8.size())));
    if (!frame) {
        if (state_ != State::Joined) { // the relay's own answer to who we are must make sense
            dropLink(q(frame.message()));
            return;
        }
        emit frameIgnored(line("ignored " + q(frame.message())));
        return;
    }
    onFrame(*frame);
}

void RelayClient::onFrame(const atmo::RelayFrame& f)
{
    using T = atmo::RelayFrameType;
    switch (f.type) {
    case T::MeshRegistered:
        if (!f.success) {
            refusedFrame_ = true;
            refusalMessage_ = "the relay did not register the mesh";
        }
        break;
    case T::Joined:
        meshName_ = q(f.meshName);
        nodeCount_ = f.nodeCount ? int(std::min<std::int64_t>(*f.nodeCount, 1 << 30)) : nodeCount_;
        enterJoined();
        break;
    case T::Peers:
        peers_.clear();
        for (const auto& p : f.peers)
            if (q(p.nodeId) != config_.nodeId)
                peers_ << toPeer(p);
        if (nodeCount_ < peers_.size() + 1)
            nodeCount_ = int(peers_.size()) + 1;
        enterJoined(); // a relay that sends no `joined` (older ones) is joined here
        emit peersChanged();
        break;
    case T::PeerJoined: {
        const Peer p = toPeer(f.peer);
        if (p.nodeId == config_.nodeId)
            break;
        const auto it = std::find_if(peers_.begin(), peers_.end(), [&](const Peer& e) { return e.nodeId == p.nodeId; });
        if (it != peers_.end()) {
            *it = p; // that node's newer connection replaced its older one
        } else {
            peers_ << p;
            ++nodeCount_;
        }
        emit peerJoined(p);
        emit peersChanged();
        break;
    }
    case T::PeerLeft: {
        const QString id = q(f.peer.nodeId);
        const auto n = peers_.removeIf([&](const Peer& e) { return e.nodeId == id; });
        if (n > 0) {
            nodeCount_ = std::max(1, nodeCount_ - int(n));
            emit peerLeft(id);
            emit peersChanged();
        }
        break;
    }
    case T::Message:
        if (state_ == State::Joined)
            emit message(q(f.from), QByteArray::fromStdString(f.payloadJson));
        break;
    case T::Error:
        if (state_ != State::Joined) { // a refusal: the 1008 close follows
            refusedFrame_ = true;
            refusalCode_ = q(f.errorCode);
            refusalMessage_ = q(f.errorMessage);
            break;
        }
        if (const auto unknown = atmo::unknownPeerIn(f.errorMessage))
            emit peerNotFound(q(*unknown));
        emit relayError(line(q(f.errorMessage)));
        break;
    case T::Pong:
        if (pongDeadline_.isActive()) {
            pongDeadline_.stop();
            emit pong(pingSent_.elapsed());
        }
        break;
    case T::Other:
        break;
    }
}

void RelayClient::enterJoined()
{
    if (state_ == State::Joined)
        return;
    joinDeadline_.stop();
    attempt_ = 0;
    joinedFor_.start();
    pingTimer_.start(std::max(100, config_.pingIntervalMs));
    QString what = QString("joined mesh %1").arg(meshName_.isEmpty() ? config_.meshId : meshName_);
    if (config_.founder)
        what += " as founder";
    setState(State::Joined, line(what));
}

void RelayClient::dropLink(const QString& why)
{
    if (!socket_)
        return;
    dropReason_ = why;
    socket_->abort(); // disconnected() follows, or error() for an open that never finished
    if (socket_ && socket_->state() == QAbstractSocket::UnconnectedState)
        QTimer::singleShot(0, this, [this, socket = socket_] {
            if (socket_ == socket)
                onEnded();
        });
}

void RelayClient::onEnded()
{
    QWebSocket* socket = socket_;
    if (!socket)
        return;
    socket_ = nullptr;
    socket->disconnect(this);
    socket->deleteLater();
    const int code = int(socket->closeCode());
    const QString reason = socket->closeReason();
    const bool wasJoined = state_ == State::Joined;
    const qint64 joinedMs = wasJoined ? joinedFor_.elapsed() : 0;
    const QString dropReason = dropReason_;
    const bool refused = refusedFrame_ || code == QWebSocketProtocol::CloseCodePolicyViolated;
    const QString refusalCode = refusalCode_;
    const QString refusal = !refusalMessage_.isEmpty() ? refusalMessage_ : reason;
    resetSession();

    if (refused && dropReason.isEmpty()) {
        if (atmo::classifyRelayRefusal(s(refusalCode), s(refusal)) == atmo::RelayRefusal::Final) {
            setState(State::Refused, line("refused: " + (refusal.isEmpty() ? QString("no reason given") : refusal)));
            return;
        }
        const int wait = nextBackoffMs();
        retryAfter(wait, State::Backoff, line(QString("refused for now: %1; retrying in %2").arg(refusal, secondsText(wait))));
        return;
    }
    if (code == kCloseNormal && atmo::isReplacedCloseReason(s(reason)) && dropReason.isEmpty()) {
        if (config_.replacedRetryMs <= 0) {
            setState(State::Replaced, line(QString("replaced by another connection of node %1").arg(config_.nodeId)));
            return;
        }
        const qint64 wait = std::min<qint64>(qint64(config_.replacedRetryMs) << std::min(replacedCount_, 16),
                                             kReplacedRetryCapMs);
        ++replacedCount_;
        retryAfter(int(wait), State::Replaced,
                   line(QString("replaced by another connection of node %1; taking the link back in %2")
                            .arg(config_.nodeId, secondsText(int(wait)))));
        return;
    }
    // A session that outlived its replacement pause ends the streak of replacements.
    if (wasJoined && joinedMs > qint64(config_.replacedRetryMs))
        replacedCount_ = 0;
    QString why = dropReason;
    if (why.isEmpty())
        why = reason.isEmpty() ? QString("connection closed (code %1)").arg(code) : reason;
    const int wait = nextBackoffMs();
    retryAfter(wait, State::Backoff,
               line(QString("%1; %2 in %3").arg(why, wasJoined ? "reconnecting" : "retrying", secondsText(wait))));
}

int RelayClient::nextBackoffMs()
{
    // Exponential with "equal jitter": half the step fixed, half random, so
    // stations dropped by one relay restart do not all come back at once.
    const qint64 step = std::min<qint64>(qint64(config_.backoffMinMs) << std::min(attempt_, 20), config_.backoffMaxMs);
    ++attempt_;
    const qint64 half = step / 2;
    return int(half + QRandomGenerator::global()->bounded(half + 1));
}

void RelayClient::retryAfter(int ms, State state, const QString& message)
{
    setState(state, message);
    retryTimer_.start(ms);
}

void RelayClient::resetSession()
{
    pingTimer_.stop();
    pongDeadline_.stop();
    joinDeadline_.stop();
    const bool hadPeers = !peers_.isEmpty();
    peers_.clear();
    nodeCount_ = 0;
    refusedFrame_ = false;
    refusalCode_.clear();
    refusalMessage_.clear();
    dropReason_.clear();
    if (hadPeers)
        emit peersChanged();
}

void RelayClient::setState(State state, const QString& message)
{
    state_ = state;
    message_ = message;
    qCDebug(lcRelay, "%s", qPrintable(message));
    emit stateChanged(state, message);
}

QString RelayClient::line(const QString& what) const
{
    return QString("relay %1: %2").arg(url_.toDisplayString(), what);
}
