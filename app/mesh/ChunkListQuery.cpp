#include "app/mesh/ChunkListQuery.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <string_view>

#include "core/chunk_layout.h"

ChunkListQuery::ChunkListQuery(QNetworkAccessManager& net, const std::vector<QString>& endpoints, const QString& path,
                               std::string key, std::uint64_t size, std::string sha256, int timeoutMs, Done done,
                               QObject* parent)
    : QObject(parent), key_(std::move(key)), size_(size), sha256_(std::move(sha256)), done_(std::move(done))
{
    for (const auto& endpoint : endpoints) {
        QNetworkRequest req(QUrl(endpoint + path));
        req.setTransferTimeout(timeoutMs);
        QNetworkReply* reply = net.get(req);
        replies_.push_back(reply);
        connect(reply, &QNetworkReply::finished, this, [this, reply] { onReply(reply); });
    }
}

ChunkListQuery::~ChunkListQuery()
{
    for (QNetworkReply* reply : replies_) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void ChunkListQuery::onReply(QNetworkReply* reply)
{
    std::erase(replies_, reply);
    reply->deleteLater();
    // A list of a million chunks is 64 MiB of hex at most (kMaxDownloadChunks).
    if (hashes_.empty() && reply->error() == QNetworkReply::NoError &&
        reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200 &&
        reply->bytesAvailable() < (80 << 20)) {
        const QByteArray body = reply->readAll();
        auto list = atmo::parseChunkList(std::string_view(body.constData(), static_cast<std::size_t>(body.size())), key_,
                                         size_, sha256_);
        if (list) {
            hashes_ = std::move(list->hashes);
            chunkSize_ = list->chunkSize;
        }
    }
    if (replies_.empty() && done_) {
        Done done = std::move(done_);
        done_ = nullptr;
        done(std::move(hashes_), chunkSize_); // may destroy this query: nothing after it
    }
}
