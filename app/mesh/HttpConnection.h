// The request side of one peer-server connection: reads the socket, frames
// requests (core/transfer/http_request.h), hands each complete one to the handler,
// and enforces the per-connection limits of ServeLimits.
//
// Memory: the socket holds at most ServeLimits::socketReadBuffer of unread
// input (QAbstractSocket::setReadBufferSize; the kernel and TCP flow control
// hold the rest), this class at most one request head (maxHead + 1 bytes),
// and a small request body is read and dropped, never kept. Pipelined
// requests are read one head at a time; the replies go out in order through
// the connection's BodyPump.
//
// Refusals (400, 408, 413, 414, 431, 505) queue a JSON error reply with
// "Connection: close" behind any reply already owed, and nothing more is
// read from the connection: the pump closes it once the reply is out.
//
// Timers (one per connection, ticking at a fraction of the shortest limit):
// - a request must be complete (head and small body) within
//   headerTimeoutMs of its first byte, or it gets 408 and the connection
//   closes (slowloris, a head trickled one byte at a time);
// - a connection with no request in progress and nothing to send closes
//   after idleTimeoutMs;
// - while the pump is sending, the kernel must take at least minSendRate
//   bytes per second averaged over each sendRateWindowMs, or the connection
//   is reset (SO_LINGER 0, so the kernel does not keep megabytes queued for
//   a client that will never take them): a client reading at a trickle.
//   Time a reply spends being computed on a worker does not count.
// The connection is the socket's child; the socket is deleted once it is
// disconnected, and everything of the connection goes with it.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

#include "app/mesh/ServeLimits.h"
#include "core/transfer/http_request.h"

class BodyPump;
class QTcpSocket;

class HttpConnection : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<void(const atmo::HttpRequestHead&, QTcpSocket*)>;

    // Takes over `socket` (connected); `slot` is released when the connection
    // ends (the listener's connection count).
    static void attach(QTcpSocket* socket, const ServeLimits& limits, Handler handler, std::shared_ptr<void> slot);

private:
    HttpConnection(QTcpSocket* socket, const ServeLimits& limits, Handler handler, std::shared_ptr<void> slot);
    void readRequests();
    bool readHead();  // false: wait for more, or the connection is closing
    bool readBody();  // false: wait for more
    void dispatch();
    void refuse(int status, const QString& reason);
    void tick();

    enum class State { Head, Body, Closing };

    QTcpSocket* socket_;
    BodyPump* pump_;
    ServeLimits limits_;
    Handler handler_;
    std::shared_ptr<void> slot_;
    State state_ = State::Head;
    QByteArray head_;             // bytes of the head being read
    atmo::HttpRequestHead request_;
    std::uint64_t bodyLeft_ = 0;  // of the request's small body, still to drop
    QElapsedTimer clock_;
    qint64 requestStartMs_ = -1;  // first byte of the request in progress; -1: none
    qint64 lastActivityMs_ = 0;
    qint64 rateWindowStartMs_ = -1;
    std::uint64_t rateWindowSent_ = 0;
    std::uint64_t lastSent_ = 0;
    QTimer timer_;
};
