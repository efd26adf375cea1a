// Asks every peer of a download for its per-chunk hash list (GET
// {chunkListPath}, a station extension) and keeps the first list that fits
// the file (parseChunkList: same id, size and SHA-256). Peers without one —
// model bridges answer 404 — are skipped quietly; the answer comes when every
// peer has answered or timed out, possibly with no list at all.
//
// Why ask: per-chunk hashes let a download spread over several peers blame
// the peer that sent a bad chunk at that chunk. A single-peer download skips
// the round trip (MeshDownload decides): nobody to fail over to.
#pragma once

#include <QObject>
#include <QString>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

class ChunkListQuery : public QObject {
    Q_OBJECT
public:
    // hashes empty: no peer offered a usable list.
    using Done = std::function<void(std::vector<std::string> hashes, std::uint64_t chunkSize)>;

    // Sends the requests at once; `done` is called once, on this thread,
    // unless the query is destroyed first (which aborts what is in flight).
    ChunkListQuery(QNetworkAccessManager& net, const std::vector<QString>& endpoints, const QString& path,
                   std::string key, std::uint64_t size, std::string sha256, int timeoutMs, Done done,
                   QObject* parent = nullptr);
    ~ChunkListQuery() override;

private:
    void onReply(QNetworkReply* reply);

    std::string key_;
    std::uint64_t size_;
    std::string sha256_;
    Done done_;
    std::vector<QNetworkReply*> replies_;
    std::vector<std::string> hashes_;
    std::uint64_t chunkSize_ = 0;
};
