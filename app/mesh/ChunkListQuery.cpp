#include "app/mesh/ChunkListQuery.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <string_view>

#include "app/mesh/PeerReply.h"
#include "core/mesh/chunk_layout.h"

namespace {

// A list is one hex hash (64 digits, quotes and a comma) per chunk of at
// least kMinDownloadChunkSize bytes, at most kMaxDownloadChunks of them.
qint64 listCap(std::uint64_t fileSize)
{
    const std::uint64_t chunks =
        std::min<std::uint64_t>(fileSize / atmo::kMinDownloadChunkSize + 1, atmo::kMaxDownloadChunks);
    return static_cast<qint64>(chunks * 72 + 4096);
}

} // namespace

ChunkListQuery::ChunkListQuery(QNetworkAccessManager& net, const std::vector<QString>& endpoints, const QString& path,
                               std::string key, std::uint64_t size, std::string sha256, int timeoutMs, Done done,
                               QObject* parent)
    : QObject(parent), key_(std::move(key)), size_(size), sha256_(std::move(sha256)), done_(std::move(done))
{
    for (const auto& endpoint : endpoints) {
        // timeoutMs is the whole answer's deadline, not just silence: a peer
        // trickling its list must not hold the download in Preparing.
        QNetworkReply* reply = peerreply::get(net, QUrl(endpoint + path), {listCap(size_), timeoutMs});
        replies_.push_back(reply);
        connect(reply, &QNetworkReply::finished, this, [this, reply] { onReply(reply); });
    }
}

ChunkListQuery::~ChunkListQuery()
{
    for (QNetworkReply* reply : replies_) {
        reply->disconnect(this);
        if (reply->error() == QNetworkReply::NoError) // else finishing already; deleting it closes it
            reply->abort();
        reply->deleteLater();
    }
}

void ChunkListQuery::onReply(QNetworkReply* reply)
{
    std::erase(replies_, reply);
    reply->deleteLater();
    if (hashes_.empty() && peerreply::problem(reply).isEmpty()) {
        const QByteArray body = peerreply::body(reply);
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
