#include "app/mesh/BodyPump.h"

#include <QTcpSocket>

#include <algorithm>
#include <cerrno>
#include <set>

#include <csignal>
#include <cstdlib>

#include <fcntl.h>
#include <pthread.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/mesh/AccessLog.h"

namespace {

std::set<BodyPump*>& livePumps()
{
    static std::set<BodyPump*> pumps;
    return pumps;
}

BodyPump::Stats& counters()
{
    static BodyPump::Stats s;
    return s;
}

bool& zeroCopyDefault()
{
    static bool on = qgetenv("ATMOSPHERE_NO_SENDFILE") != "1";
    return on;
}

// SIGPIPE blocked for this thread while in scope; one raised by our own
// sendfile on a reset connection is consumed before it is unblocked.
class SigpipeGuard {
public:
    SigpipeGuard()
    {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    }
    ~SigpipeGuard()
    {
        if (raised_) {
            const timespec zero{};
            while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    void raised() { raised_ = true; }

private:
    sigset_t pipe_{}, old_{};
    bool raised_ = false;
};

} // namespace

BodyPump* BodyPump::of(QTcpSocket* socket)
{
    if (auto* existing = socket->findChild<BodyPump*>(QString(), Qt::FindDirectChildrenOnly))
        return existing;
    return new BodyPump(socket);
}

BodyPump::BodyPump(QTcpSocket* socket) : QObject(socket), socket_(socket), zeroCopy_(zeroCopyDefault())
{
    livePumps().insert(this);
    connect(socket, &QTcpSocket::bytesWritten, this, [this](qint64 n) {
        sent_ += std::uint64_t(std::max<qint64>(n, 0));
        pump();
    });
    connect(socket, &QAbstractSocket::disconnected, this, &BodyPump::abortAll);
}

BodyPump::~BodyPump()
{
    if (fd_ >= 0)
        finishFile(false);
    livePumps().erase(this);
}

BodyPump::Stats BodyPump::stats()
{
    Stats s = counters();
    s.connections = int(livePumps().size());
    s.openFiles = 0;
    s.bufferedNow = 0;
    for (BodyPump* p : livePumps()) {
        s.openFiles += p->fd_ >= 0 ? 1 : 0;
        if (p->socket_)
            s.bufferedNow += std::uint64_t(p->socket_->bytesToWrite());
    }
    return s;
}

bool BodyPump::idle() const { return queue_.empty() && (!socket_ || socket_->bytesToWrite() == 0); }

bool BodyPump::sending() const
{
    if (!socket_)
        return false;
    return socket_->bytesToWrite() > 0 || fd_ >= 0;
}

void BodyPump::resetPeak() { counters().peakBuffered = 0; }

void BodyPump::setZeroCopy(bool on) { zeroCopyDefault() = on; }

void BodyPump::send(HttpReply reply)
{
    const std::uint64_t ticket = reserve();
    if (ticket)
        complete(ticket, std::move(reply));
}

std::uint64_t BodyPump::reserve()
{
    if (!socket_)
        return 0;
    if (queue_.size() >= kMaxQueued) {
        // A client pipelining this many requests without reading is not one
        // we keep serving; its queued replies go with the connection.
        abortAll();
        socket_->abort();
        return 0;
    }
    queue_.push_back(Item{nextTicket_, false, {}});
    return nextTicket_++;
}

void BodyPump::complete(std::uint64_t ticket, HttpReply reply)
{
    for (Item& item : queue_) {
        if (item.ticket == ticket) {
            item.reply = std::move(reply);
            item.ready = true;
            pump();
            return;
        }
    }
}

void BodyPump::pump()
{
    if (pumping_)
        return; // re-entered from a signal emitted by the socket we are writing to
    pumping_ = true;
    bool closeNow = false, abortNow = false;
    while (socket_ && socket_->state() == QAbstractSocket::ConnectedState && !queue_.empty()) {
        if (!queue_.front().ready)
            break;
        if (!started_)
            startFront();
        if (fd_ >= 0) {
            if (!fillFromFile()) {
                abortNow = fd_ < 0; // a read failed: the promised length cannot be kept
                break;
            }
        }
        const bool close = queue_.front().reply.closeAfter;
        queue_.pop_front();
        started_ = false;
        if (close) {
            queue_.clear();
            closeNow = true;
            break;
        }
    }
    pumping_ = false;
    if (abortNow && socket_) {
        abortAll();
        socket_->abort();
    } else if (closeNow && socket_) {
        socket_->disconnectFromHost(); // after what is buffered has gone out
    }
}

void BodyPump::startFront()
{
    HttpReply& reply = queue_.front().reply;
    if (reply.fromFile && !reply.headOnly && reply.file.length > 0) {
        // Opened before the head goes out, so a file that vanished or changed
        // since the reply was decided still gets a proper error status.
        const int fd = ::open(reply.file.path.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat st {};
        if (fd < 0 || ::fstat(fd, &st) != 0 || std::uint64_t(st.st_size) != reply.file.expectedSize) {
            if (fd >= 0)
                ::close(fd);
            const bool close = reply.closeAfter, head = reply.headOnly;
            QByteArray requestLine = std::move(reply.requestLine);
            reply = HttpReply::error(409, QStringLiteral("the file changed on disk since it was listed; ask again"));
            reply.closeAfter = close;
            reply.headOnly = head;
            reply.requestLine = std::move(requestLine);
        } else {
            ::posix_fadvise(fd, off_t(reply.file.offset), off_t(reply.file.length), POSIX_FADV_SEQUENTIAL);
            fd_ = fd;
            offset_ = reply.file.offset;
            remaining_ = reply.file.length;
        }
    }
    AccessLog::reply(socket_->peerAddress(), reply.requestLine, reply.status,
                     reply.headOnly ? 0 : reply.bodyLength());
    QByteArray out = reply.head();
    if (!reply.headOnly && !reply.fromFile)
        out += reply.body;
    socket_->write(out);
    started_ = true;
}

bool BodyPump::fillFromFile()
{
    if (zeroCopy_) {
        SigpipeGuard guard;
        std::uint64_t sent = 0;
        bool arm = false;
        while (remaining_ > 0 && socket_->bytesToWrite() == 0) {
            if (sent >= kTurnShare) {
                arm = true;
                break;
            }
            const std::uint64_t before = remaining_;
            const Direct d = sendDirect();
            if (d == Direct::Progress) {
                sent += before - remaining_;
                continue;
            }
            if (d == Direct::Failed) {
                guard.raised();
                finishFile(false);
                return false;
            }
            if (d == Direct::Unsupported)
                zeroCopy_ = false;
            else
                arm = true; // WouldBlock
            break;
        }
        if (zeroCopy_) {
            if (arm && remaining_ > 0 && !writeBlock(kArmBlock)) {
                finishFile(false);
                return false;
            }
            if (remaining_ > 0)
                return false; // bytesWritten brings us back
            finishFile(true);
            return true;
        }
    }
    while (remaining_ > 0 && std::uint64_t(socket_->bytesToWrite()) < kLowWater) {
        if (!writeBlock(kBlock)) {
            finishFile(false);
            return false;
        }
    }
    if (remaining_ > 0)
        return false; // bytesWritten brings us back
    finishFile(true);
    return true;
}

BodyPump::Direct BodyPump::sendDirect()
{
    off_t off = off_t(offset_);
    ssize_t n;
    do {
        n = ::sendfile(int(socket_->socketDescriptor()), fd_, &off, size_t(std::min(kSendfileCall, remaining_)));
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        sent_ += std::uint64_t(n);
        offset_ += std::uint64_t(n);
        remaining_ -= std::uint64_t(n);
        return Direct::Progress;
    }
    if (n == 0)
        return Direct::Failed; // the file shrank under us
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return Direct::WouldBlock;
    if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)
        return Direct::Unsupported;
    return Direct::Failed; // EPIPE, ECONNRESET, EIO: the connection goes
}

bool BodyPump::writeBlock(std::uint64_t size)
{
    const std::uint64_t want = std::min(size, remaining_);
    QByteArray block(qsizetype(want), Qt::Uninitialized);
    ssize_t got;
    do {
        got = ::pread(fd_, block.data(), size_t(want), off_t(offset_));
    } while (got < 0 && errno == EINTR);
    if (got <= 0) // an error, or the file shrank under us
        return false;
    block.truncate(qsizetype(got));
    // A block of this size is appended to the socket's buffer by reference
    // (QIODevice::write(const QByteArray&)), not copied a second time.
    socket_->write(block);
    offset_ += std::uint64_t(got);
    remaining_ -= std::uint64_t(got);
    auto& c = counters();
    c.peakBuffered = std::max(c.peakBuffered, std::uint64_t(socket_->bytesToWrite()));
    return true;
}

void BodyPump::finishFile(bool complete)
{
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
    remaining_ = 0;
    if (complete)
        ++counters().bodiesDone;
    else
        ++counters().bodiesAborted;
}

void BodyPump::abortAll()
{
    if (fd_ >= 0)
        finishFile(false);
    queue_.clear();
    started_ = false;
}
