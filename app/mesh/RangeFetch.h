// One HTTP Range request of a MeshDownload: asks one peer for the bytes of
// one assignment of the RangePlan (one or more whole chunks), checks the
// answer's headers against what was asked, cuts the body into chunks and
// hands each complete chunk to its host, which commits it to the journal.
//
// It reads only as much as the host allows (the download's rate limit, and
// how many chunks already wait for the disk); what it leaves in the reply's
// bounded read buffer holds the peer back through TCP flow control, so a
// throttled or backed-up download keeps flat memory.
//
// A peer that ignores Range answers 200 with the whole file. The fetch skips
// to its assignment (never discarding more than kMaxSkipBytes), and when the
// assignment is done keeps reading the same stream as long as the plan's next
// range for this peer starts where the stream is, so such a peer is not asked
// for the whole file again for every range.
//
// What an answer must be: a 206 with the asked range and the expected total
// in Content-Range and, if it has one, the range's length in Content-Length
// (bytes past the range fail the fetch); or a 200 of the whole file. Any other
// status fails it, redirects included (they are not followed).
//
// The host's side of it is ChunkFetch's.
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <chrono>
#include <cstdint>
#include <optional>

#include "app/mesh/ChunkFetch.h"

class QNetworkAccessManager;
class QNetworkReply;

class RangeFetch : public ChunkFetch {
public:
    // Sends the request at once. `url` is the peer's endpoint plus the spec's path.
    RangeFetch(Host& host, atmo::RangePlan& plan, QNetworkAccessManager& net, const QString& peer, const QUrl& url,
               const atmo::Assignment& assignment, std::uint64_t fileSize, std::uint32_t chunksPerRequest);
    ~RangeFetch() override; // aborts a reply still open

    Status pump() override;

    // Never discarded from a 200 answer before the assignment starts.
    static constexpr std::uint64_t kMaxSkipBytes = 64ull << 20;
    // Each reply's read buffer: what a held-back fetch may have in memory.
    static constexpr qint64 kReadBufferBytes = 1 << 20;

private:
    bool checkHeaders();
    bool takeBytes(qint64 available);
    void extendOrFinish(atmo::SteadyTime now);
    Status failRequest(const QString& why);
    Status complete();
    void releaseReply(bool abort);

    std::uint64_t fileSize_;
    std::uint32_t chunksPerRequest_;
    QNetworkReply* reply_ = nullptr;
    bool headersChecked_ = false;
    bool wholeFile_ = false;      // the peer ignored Range (200)
    bool done_ = false;           // every byte of the assignment was taken
    std::uint64_t skip_ = 0;      // bytes of a 200 stream before the assignment
    std::uint64_t taken_ = 0;     // bytes of the assignment taken so far
    QByteArray buf_;              // the current chunk's bytes
};
