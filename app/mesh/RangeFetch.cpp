#include "app/mesh/RangeFetch.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>

#include <algorithm>

namespace {

using Clock = std::chrono::steady_clock;

// A peer's header quoted in a message: printable ASCII only, and short.
QString printable(const QByteArray& raw)
{
    QString out;
    for (char c : raw.left(80))
        out += (c >= 0x20 && c < 0x7f) ? QChar(c) : QChar('?');
    return out;
}

} // namespace

RangeFetch::RangeFetch(Host& host, atmo::RangePlan& plan, QNetworkAccessManager& net, const QString& peer,
                       const QUrl& url, const atmo::Assignment& assignment, std::uint64_t fileSize,
                       std::uint32_t chunksPerRequest)
    : ChunkFetch(host, plan, peer, assignment), fileSize_(fileSize), chunksPerRequest_(chunksPerRequest)
{
    QNetworkRequest req(url);
    req.setRawHeader("Range", QByteArray("bytes=") + QByteArray::number(qulonglong(a_.offset)) + '-' +
                                  QByteArray::number(qulonglong(a_.offset + a_.length - 1)));
    // One TCP connection per peer and request keeps a slow peer's flow
    // control from holding back another request multiplexed beside it.
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    // A peer answers with the bytes or not at all: a redirect could send us
    // anywhere, so it is an error like any other status (checkHeaders).
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    reply_ = net.get(req);
    reply_->setReadBufferSize(kReadBufferBytes);
    QObject::connect(reply_, &QNetworkReply::readyRead, reply_, [this] { host_.fetchActivity(*this); });
    QObject::connect(reply_, &QNetworkReply::finished, reply_, [this] { host_.fetchActivity(*this); });
}

RangeFetch::~RangeFetch()
{
    if (reply_)
        releaseReply(true);
}

void RangeFetch::releaseReply(bool abort)
{
    QNetworkReply* reply = reply_;
    reply_ = nullptr;
    // Disconnect first: abort() emits finished() at once, into a fetch that is going away.
    QObject::disconnect(reply, nullptr, reply, nullptr);
    // A reply that already has its error (an HTTP 500 on its way to
    // finishing) is not aborted: Qt would warn on stderr that the error was
    // set twice. Deleting it closes its connection all the same.
    if (abort && !reply->isFinished() && reply->error() == QNetworkReply::NoError)
        reply->abort();
    reply->deleteLater();
}

RangeFetch::Status RangeFetch::failRequest(const QString& why)
{
    if (reply_)
        releaseReply(true);
    return fail(why);
}

RangeFetch::Status RangeFetch::complete()
{
    // A whole-file stream is cut once we have our slice; a finished 206
    // reply leaves its connection alive for the next request.
    releaseReply(true);
    status_ = Status::Complete;
    return status_;
}

bool RangeFetch::checkHeaders()
{
    headersChecked_ = true;
    const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 206) {
        static const QRegularExpression re(QStringLiteral("^bytes (\\d+)-(\\d+)/(\\d+)$"));
        const QString range = printable(reply_->rawHeader("Content-Range").trimmed());
        const auto m = re.match(range);
        if (!m.hasMatch() || m.captured(1).toULongLong() != a_.offset ||
            m.captured(2).toULongLong() != a_.offset + a_.length - 1 || m.captured(3).toULongLong() != fileSize_) {
            failRequest(QStringLiteral("answered bytes %1-%2 with Content-Range \"%3\"")
                     .arg(a_.offset).arg(a_.offset + a_.length - 1).arg(range));
            return false;
        }
        const QVariant length = reply_->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toULongLong() != a_.length) {
            failRequest(QStringLiteral("announced %1 bytes for the %2 bytes of range %3-%4")
                     .arg(length.toULongLong()).arg(a_.length).arg(a_.offset).arg(a_.offset + a_.length - 1));
            return false;
        }
        sizeProven_ = true;
        return true;
    }
    if (status == 200) {
        const QVariant length = reply_->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toULongLong() != fileSize_) {
            failRequest(QStringLiteral("sent %1 bytes for a %2-byte file").arg(length.toULongLong()).arg(fileSize_));
            return false;
        }
        if (a_.offset > kMaxSkipBytes) {
            failRequest(QStringLiteral("ignores Range requests (answered 200 with the whole file)"));
            return false;
        }
        wholeFile_ = true;
        skip_ = a_.offset;
        sizeProven_ = length.isValid();
        return true;
    }
    failRequest(status != 0                                   ? QStringLiteral("answered HTTP %1").arg(status)
         : reply_->error() != QNetworkReply::NoError ? reply_->errorString()
                                                     : QStringLiteral("sent no HTTP answer"));
    return false;
}

RangeFetch::Status RangeFetch::pump()
{
    if (status_ != Status::Open)
        return status_;
    if (!headersChecked_) {
        if (!reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid() && !reply_->isFinished())
            return status_;
        if (!checkHeaders())
            return status_;
    }
    while (!done_) {
        const qint64 buffered = reply_->bytesAvailable();
        if (buffered <= 0)
            break;
        const std::uint64_t allowed = host_.readAllowance();
        if (allowed == 0) {
            // Held back by our disk or our rate limit: not the peer's stall,
            // and its pace is not measurable meanwhile.
            heldBack(Clock::now());
            return status_;
        }
        if (!takeBytes(static_cast<qint64>(std::min<std::uint64_t>(static_cast<std::uint64_t>(buffered), allowed))))
            break;
    }
    if (done_ && !wholeFile_ && reply_->bytesAvailable() > 0)
        return failRequest(QStringLiteral("sent more than the %1 bytes of range %2-%3")
                        .arg(a_.length).arg(a_.offset).arg(a_.offset + a_.length - 1));
    if (done_ && (wholeFile_ || reply_->isFinished()))
        return complete();
    if (!done_ && reply_->isFinished() && reply_->bytesAvailable() == 0)
        return failRequest(reply_->error() != QNetworkReply::NoError
                        ? reply_->errorString()
                        : QStringLiteral("closed the connection after %1 of %2 bytes").arg(taken_).arg(a_.length));
    return status_;
}

bool RangeFetch::takeBytes(qint64 available)
{
    const auto now = Clock::now();
    if (skip_ > 0) {
        const qint64 n = reply_->skip(std::min<qint64>(available, static_cast<qint64>(skip_)));
        if (n <= 0)
            return false;
        skip_ -= static_cast<std::uint64_t>(n);
        arrived(static_cast<std::uint64_t>(n), now);
        host_.bytesRead(static_cast<std::uint64_t>(n), now);
        return true;
    }
    const std::uint64_t chunkLen = plan_.layout().length(chunk_);
    const qint64 want = std::min<qint64>(available, static_cast<qint64>(chunkLen - static_cast<std::uint64_t>(buf_.size())));
    const qsizetype old = buf_.size();
    if (buf_.capacity() < static_cast<qsizetype>(chunkLen))
        buf_.reserve(static_cast<qsizetype>(chunkLen));
    buf_.resize(old + want);
    const qint64 n = reply_->read(buf_.data() + old, want);
    buf_.resize(old + std::max<qint64>(n, 0));
    if (n <= 0)
        return false;
    arrived(static_cast<std::uint64_t>(n), now);
    taken_ += static_cast<std::uint64_t>(n);
    host_.bytesRead(static_cast<std::uint64_t>(n), now);
    plan_.received(peerKey_, chunk_, static_cast<std::uint64_t>(n), now);
    if (static_cast<std::uint64_t>(buf_.size()) == chunkLen) {
        QByteArray bytes = std::move(buf_);
        buf_ = QByteArray();
        host_.chunkArrived(*this, chunk_, std::move(bytes));
        ++chunk_;
    }
    if (taken_ == a_.length)
        extendOrFinish(now);
    return true;
}

void RangeFetch::extendOrFinish(atmo::SteadyTime now)
{
    // A peer streaming the whole file keeps going while the plan's next
    // range for it starts where the stream is.
    auto more = wholeFile_ ? plan_.next(peerKey_, now, chunksPerRequest_) : std::nullopt;
    if (more && more->offset == a_.offset + a_.length && !more->duplicate) {
        a_ = atmo::Assignment{a_.first, a_.count + more->count, a_.offset, a_.length + more->length, false};
        return;
    }
    if (more)
        for (std::uint32_t c = more->first; c < more->first + more->count; ++c)
            plan_.failed(peerKey_, c, atmo::ChunkFailure::Cancelled);
    done_ = true;
}
