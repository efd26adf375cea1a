#include "app/mesh/HttpConnection.h"

#include <QTcpSocket>

#include <algorithm>

#include <sys/socket.h>

#include "app/mesh/BodyPump.h"
#include "app/mesh/HttpReply.h"

void HttpConnection::attach(QTcpSocket* socket, const ServeLimits& limits, Handler handler, std::shared_ptr<void> slot)
{
    new HttpConnection(socket, limits, std::move(handler), std::move(slot));
}

HttpConnection::HttpConnection(QTcpSocket* socket, const ServeLimits& limits, Handler handler,
                               std::shared_ptr<void> slot)
    : QObject(socket), socket_(socket), pump_(BodyPump::of(socket)), limits_(limits), handler_(std::move(handler)),
      slot_(std::move(slot))
{
    clock_.start();
    lastActivityMs_ = 0;
    // The first request's clock starts now: a client that connects and never
    // sends a byte is timed out like one that never finishes its head.
    requestStartMs_ = 0;
    socket->setReadBufferSize(std::max<qint64>(limits_.socketReadBuffer, 4096));
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::readRequests);
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);

    const int shortest = std::min({limits_.headerTimeoutMs, limits_.idleTimeoutMs, limits_.sendRateWindowMs});
    timer_.setTimerType(Qt::CoarseTimer);
    timer_.setInterval(std::clamp(shortest / 4, 20, 1000));
    connect(&timer_, &QTimer::timeout, this, &HttpConnection::tick);
    timer_.start();
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::readRequests, Qt::QueuedConnection);
}

void HttpConnection::readRequests()
{
    while (socket_->state() == QAbstractSocket::ConnectedState) {
        if (state_ == State::Closing)
            return; // what the client sends now stays in the kernel's buffer
        if (state_ == State::Body ? !readBody() : !readHead())
            return;
        dispatch();
    }
}

// Reads what the limits allow of the next head; true when request_ is complete.
bool HttpConnection::readHead()
{
    const qint64 room = qint64(limits_.request.maxHead) + 1 - head_.size();
    if (room > 0 && socket_->bytesAvailable() > 0) {
        const QByteArray more = socket_->read(room);
        if (!more.isEmpty()) {
            if (head_.isEmpty() && requestStartMs_ < 0)
                requestStartMs_ = clock_.elapsed();
            head_ += more;
            lastActivityMs_ = clock_.elapsed();
        }
    }
    if (head_.isEmpty())
        return false;
    atmo::HttpHeadParse p =
        atmo::parseRequestHead(std::string_view(head_.constData(), std::size_t(head_.size())), limits_.request);
    switch (p.state) {
    case atmo::HttpHeadParse::State::Incomplete:
        return false;
    case atmo::HttpHeadParse::State::Invalid:
        refuse(p.status, QString::fromStdString(p.reason));
        return false;
    case atmo::HttpHeadParse::State::Complete:
        break;
    }
    request_ = std::move(p.head);
    head_.remove(0, qsizetype(p.size));
    // Bytes already read past the head belong to its body, then to the next request.
    const auto inHead = std::min<std::uint64_t>(request_.contentLength, std::uint64_t(head_.size()));
    head_.remove(0, qsizetype(inHead));
    bodyLeft_ = request_.contentLength - inHead;
    if (bodyLeft_ > 0) {
        state_ = State::Body;
        return readBody();
    }
    return true;
}

// Drops the small body of request_; true when all of it is read.
bool HttpConnection::readBody()
{
    char scratch[16 * 1024];
    while (bodyLeft_ > 0) {
        const qint64 n = socket_->read(scratch, qint64(std::min<std::uint64_t>(bodyLeft_, sizeof scratch)));
        if (n <= 0)
            return false;
        bodyLeft_ -= std::uint64_t(n);
        lastActivityMs_ = clock_.elapsed();
    }
    state_ = State::Head;
    return true;
}

void HttpConnection::dispatch()
{
    // The next request's clock starts with its first byte, which may already be here.
    requestStartMs_ = head_.isEmpty() ? -1 : clock_.elapsed();
    const bool keepAlive = request_.keepAlive;
    handler_(request_, socket_);
    if (!keepAlive)
        state_ = State::Closing; // the reply carries Connection: close; the pump closes after it
}

void HttpConnection::refuse(int status, const QString& reason)
{
    state_ = State::Closing;
    head_.clear();
    requestStartMs_ = -1;
    HttpReply reply = HttpReply::error(status, reason);
    reply.closeAfter = true;
    reply.requestLine = "-"; // no request line worth logging: malformed, too big or too slow
    pump_->send(std::move(reply));
}

void HttpConnection::tick()
{
    // The rate floor also holds while a closing connection flushes its last
    // reply; the other limits only while it reads requests.
    const bool connected = socket_->state() == QAbstractSocket::ConnectedState;
    if (!connected && socket_->state() != QAbstractSocket::ClosingState)
        return;
    const qint64 now = clock_.elapsed();
    const std::uint64_t sent = pump_->bytesSent();
    if (sent != lastSent_) {
        lastSent_ = sent;
        lastActivityMs_ = now;
    }

    if (connected && state_ != State::Closing && requestStartMs_ >= 0 &&
        now - requestStartMs_ >= limits_.headerTimeoutMs) {
        refuse(408, QString("request not complete within %1 ms").arg(limits_.headerTimeoutMs));
        return;
    }

    if (pump_->sending()) {
        if (rateWindowStartMs_ < 0) {
            rateWindowStartMs_ = now;
            rateWindowSent_ = sent;
        } else if (now - rateWindowStartMs_ >= limits_.sendRateWindowMs) {
            const std::uint64_t floor = limits_.minSendRate * std::uint64_t(now - rateWindowStartMs_) / 1000;
            if (sent - rateWindowSent_ < floor) {
                qInfo("peer server: dropping %s: it took %llu bytes in %lld ms, under %llu bytes/s",
                      qPrintable(socket_->peerAddress().toString()), qulonglong(sent - rateWindowSent_),
                      now - rateWindowStartMs_, qulonglong(limits_.minSendRate));
                // A reset, not a FIN queued behind megabytes the client will
                // never take: the kernel frees the connection's buffers at once.
                const linger reset{1, 0};
                ::setsockopt(int(socket_->socketDescriptor()), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
                socket_->abort();
                return;
            }
            rateWindowStartMs_ = now;
            rateWindowSent_ = sent;
        }
    } else {
        rateWindowStartMs_ = -1;
    }

    if (connected && state_ == State::Head && head_.isEmpty() && pump_->idle() &&
        now - lastActivityMs_ >= limits_.idleTimeoutMs)
        socket_->disconnectFromHost();
}
