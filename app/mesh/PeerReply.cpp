#include "app/mesh/PeerReply.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QVariant>

#include <algorithm>

#include "core/base/fs_util.h"

namespace peerreply {

namespace {

constexpr const char* kProblem = "atmo_problem";
constexpr const char* kCap = "atmo_cap";

QString bytesText(qint64 n) { return QString::fromStdString(atmo::humanBytes(static_cast<std::uint64_t>(n))); }

void giveUp(QNetworkReply* reply, const QString& why)
{
    if (reply->isFinished() || reply->property(kProblem).isValid())
        return;
    reply->setProperty(kProblem, why);
    if (reply->error() == QNetworkReply::NoError) // else it is finishing already (and Qt warns of a second error)
        reply->abort();
}

} // namespace

QNetworkReply* get(QNetworkAccessManager& net, const QUrl& url, const Limits& limits)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("atmosphere-station/" ATMO_VERSION));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // Silence ends a request earlier than the deadline would.
    request.setTransferTimeout(std::min(limits.deadlineMs, 5000));
    QNetworkReply* reply = net.get(request);
    watch(reply, limits);
    return reply;
}

void watch(QNetworkReply* reply, const Limits& limits)
{
    const qint64 cap = limits.maxBytes;
    reply->setProperty(kCap, cap);
    // The HTTP thread stops reading once the reply holds this much:
    // unbounded, it queues megabytes more before our check below runs. The
    // slack beyond the cap is more than one read of the HTTP thread, so a body
    // over the cap is seen to be over it (it may stop short of the limit).
    reply->setReadBufferSize(cap + (1 << 20));
    auto* deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    QObject::connect(deadline, &QTimer::timeout, reply, [reply, ms = limits.deadlineMs] {
        giveUp(reply, QStringLiteral("no complete answer within %1 s").arg(ms / 1000.0, 0, 'g', 3));
    });
    deadline->start(limits.deadlineMs);
    QObject::connect(reply, &QNetworkReply::metaDataChanged, reply, [reply, cap] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > cap)
            giveUp(reply, QStringLiteral("announced %1, more than the %2 allowed")
                              .arg(bytesText(length.toLongLong()), bytesText(cap)));
    });
    // readyRead, not downloadProgress: Qt emits the latter at most every
    // 100 ms, and a reply held at its read buffer's limit emits nothing more.
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [reply, cap] {
        if (reply->bytesAvailable() > cap)
            giveUp(reply, QStringLiteral("answered more than the %1 allowed").arg(bytesText(cap)));
    });
}

QString problem(QNetworkReply* reply)
{
    if (const QVariant p = reply->property(kProblem); p.isValid())
        return p.toString();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 0 && status != 200)
        return QStringLiteral("HTTP %1 from %2").arg(status).arg(reply->url().path());
    if (reply->error() == QNetworkReply::OperationCanceledError) // the transfer timeout: silence
        return QStringLiteral("no data for %1 s").arg(reply->request().transferTimeout() / 1000.0, 0, 'g', 3);
    if (reply->error() != QNetworkReply::NoError)
        return reply->errorString();
    if (status == 0)
        return QStringLiteral("sent no HTTP answer");
    const QVariant cap = reply->property(kCap);
    if (cap.isValid() && reply->bytesAvailable() > cap.toLongLong())
        return QStringLiteral("answered more than the %1 allowed").arg(bytesText(cap.toLongLong()));
    return {};
}

QByteArray body(QNetworkReply* reply)
{
    const QVariant cap = reply->property(kCap);
    return cap.isValid() ? reply->read(cap.toLongLong()) : reply->readAll();
}

} // namespace peerreply
