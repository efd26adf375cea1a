// The writer of one HTTP connection's responses: in request order, headers
// written by us, file bodies streamed in 256 KiB blocks with backpressure.
//
// Why not QHttpServerResponder (Qt HTTP Server 6.4, read in its sources):
// write(QIODevice*) hands the file to IOChunkedTransfer, which writes each
// 512 B piece into QTcpSocket's *user-space* buffer without waiting for the
// kernel to take it, so with a slow client the whole file ends up in the
// process's memory; QHttpServerResponse::fromFile() reads the whole file up
// front; and writeStatusLine()/writeHeader() write at once, so a reply cannot
// wait behind a body still being sent. (The request side is not Qt's either
// any more: HttpConnection, see PeerServer.h.)
//
// Every response carries an exact Content-Length and responses leave in
// request order, so a connection stays usable for keep-alive and pipelining:
// a pipelined request's reply waits in the queue until the body before it is
// done (reserve()/complete() hold a place for a reply computed later on a
// worker thread). A reply with closeAfter closes the connection once it is out.
//
// Backpressure: a block is read only while the socket's user-space buffer
// (bytesToWrite) is under 256 KiB, and bytesWritten (emitted when the kernel
// took data) drives the next refill. Each connection holds at most ~512 KiB
// in user space however slow the client is; the kernel's socket buffer holds
// the rest. Reads are pread() of one block: from the page cache that is tens
// of microseconds; from a slow disk one block can stall the event loop for a
// few milliseconds, an accepted cost at this block size.
//
// Zero copy (default): while QTcpSocket's own buffer is empty, file bytes go
// to the socket with sendfile(2), at most 1 MiB a call and 4 MiB per turn of
// the event loop (fairness; from a cold disk a call can take milliseconds).
// Writing to the descriptor past Qt is safe only then: nothing of Qt's is
// queued that these bytes could overtake. When the kernel's buffer is full
// (EAGAIN) or the turn's share is used, one 64 KiB block goes through Qt
// instead, which arms Qt's write notifier, so bytesWritten brings us back
// when there is room. sendfile raises SIGPIPE on a reset connection (Qt's own
// writes use MSG_NOSIGNAL); SIGPIPE is blocked around the calls and a pending
// one consumed, so the process's signal dispositions stay untouched. Where
// sendfile is unsupported the body continues through Qt's buffer.
//
// A client that disconnects mid-body: the socket emits disconnected, the
// queue is dropped and the file closed at once; the pump is the socket's
// child, so it goes when Qt deletes the socket. All pumps live on the
// server's thread (the statistics are plain, not atomic).
#pragma once

#include <QObject>
#include <QPointer>

#include <cstdint>
#include <deque>

#include "app/mesh/HttpReply.h"

class QTcpSocket;

class BodyPump : public QObject {
    Q_OBJECT
public:
    // The pump of this connection, made on first use.
    static BodyPump* of(QTcpSocket* socket);
    ~BodyPump() override;

    void send(HttpReply reply);
    // A place in the order for a reply that is computed later.
    std::uint64_t reserve();
    void complete(std::uint64_t ticket, HttpReply reply);

    // For the connection's timeouts (HttpConnection):
    // nothing queued, nothing waiting in the socket's buffer.
    bool idle() const;
    // A reply is going out and waits on the client to take it: bytes sit in
    // the socket's buffer, or a file body is not finished. A reply still
    // being computed (chunk hashes on a worker) is not the client's delay.
    bool sending() const;
    // Bytes the kernel took from this connection so far (what the client's
    // reading allowed to leave).
    std::uint64_t bytesSent() const { return sent_; }

    // Process-wide figures for tests and diagnostics (event-loop thread only).
    struct Stats {
        int connections = 0;           // live pumps
        int openFiles = 0;             // bodies being streamed now
        std::uint64_t bufferedNow = 0; // sum of bytesToWrite over live pumps
        std::uint64_t peakBuffered = 0;// most one connection ever held in user space
        std::uint64_t bodiesDone = 0;  // file bodies sent completely
        std::uint64_t bodiesAborted = 0;
    };
    static Stats stats();
    static void resetPeak();
    // Off: every body goes through QTcpSocket's buffer (tests, benchmarks).
    // Also off when the environment has ATMOSPHERE_NO_SENDFILE=1.
    static void setZeroCopy(bool on);

    static constexpr std::uint64_t kBlock = 256 * 1024;
    static constexpr std::uint64_t kLowWater = 256 * 1024;
    static constexpr std::uint64_t kArmBlock = 64 * 1024;
    static constexpr std::uint64_t kSendfileCall = 1024 * 1024;
    static constexpr std::uint64_t kTurnShare = 4 * 1024 * 1024;
    static constexpr std::size_t kMaxQueued = 32; // pipelined replies waiting; beyond: the connection is dropped

private:
    explicit BodyPump(QTcpSocket* socket);
    void pump();
    void startFront();
    bool fillFromFile();
    enum class Direct { Progress, WouldBlock, Unsupported, Failed };
    Direct sendDirect();
    bool writeBlock(std::uint64_t size);
    void finishFile(bool complete);
    void abortAll();

    struct Item {
        std::uint64_t ticket = 0;
        bool ready = false;
        HttpReply reply;
    };

    QPointer<QTcpSocket> socket_;
    std::deque<Item> queue_;
    std::uint64_t nextTicket_ = 1;
    bool started_ = false; // front item's head was written
    int fd_ = -1;
    std::uint64_t offset_ = 0;
    std::uint64_t remaining_ = 0;
    bool pumping_ = false;
    bool zeroCopy_ = true;
    std::uint64_t sent_ = 0;
};
