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
// Not a QObject: the host owns the fetches and is told of a reply's news
// through Host::fetchActivity(), then calls pump(), which never deletes the
// fetch; the host removes it when pump() says Complete or Failed.
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <chrono>
#include <cstdint>
#include <optional>

#include "core/transfer/download_progress.h"
#include "core/transfer/range_plan.h"

class QNetworkAccessManager;
class QNetworkReply;

class RangeFetch {
public:
    class Host {
    public:
        // Bytes the download may read now; 0 holds the reads back until the
        // host pumps again (it arms its own wake-up).
        virtual std::uint64_t readAllowance() = 0;
        // Bytes taken off the wire, skipped ones of a 200 stream included.
        virtual void bytesRead(std::uint64_t bytes, atmo::SteadyTime now) = 0;
        // A complete chunk from this fetch; the fetch goes on with the next.
        virtual void chunkArrived(const RangeFetch& fetch, std::uint32_t chunk, QByteArray bytes) = 0;
        // The reply has news (headers, bytes, its end): the host calls pump().
        virtual void fetchActivity(RangeFetch& fetch) = 0;

    protected:
        ~Host() = default;
    };

    enum class Status {
        Open,     // more to come (or held back); pump again on activity
        Complete, // every byte of the assignment was handed over; the reply is released
        Failed,   // failure() says why; chunks from nextChunk() on were not delivered
    };

    // Sends the request at once. `url` is the peer's endpoint plus the spec's path.
    RangeFetch(Host& host, atmo::RangePlan& plan, QNetworkAccessManager& net, const QString& peer, const QUrl& url,
               const atmo::Assignment& assignment, std::uint64_t fileSize, std::uint32_t chunksPerRequest);
    ~RangeFetch(); // aborts a reply still open
    RangeFetch(const RangeFetch&) = delete;
    RangeFetch& operator=(const RangeFetch&) = delete;

    Status pump();
    Status status() const { return status_; }
    const QString& failure() const { return failure_; }

    const QString& peer() const { return peer_; }
    const atmo::Assignment& assignment() const { return a_; }
    std::uint32_t nextChunk() const { return chunk_; }           // the first chunk not handed over yet
    std::uint32_t endChunk() const { return a_.first + a_.count; }
    bool fetchesOnly(std::uint32_t chunk) const { return a_.count == 1 && a_.first == chunk; }
    // When a byte last arrived, or reading was last held back by the host
    // (waiting for our disk or our rate limit is not the peer's stall).
    atmo::SteadyTime lastActivity() const { return lastByte_; }
    // The peer proved the file's size: a 206 whose Content-Range total is the
    // expected size, or a 200 whose Content-Length is.
    bool sizeProven() const { return sizeProven_; }
    // The peer's pace, measured in windows of `window` from the request on
    // (headers included: a peer that never finishes them delivers nothing).
    // A window in which the host held reading back starts again. When a
    // window ended with fewer than minBytesPerSecond on average, returns the
    // bytes it brought (the peer is stalled, however it trickles); otherwise
    // nullopt, and a new window begins.
    std::optional<std::uint64_t> tooSlow(atmo::SteadyTime now, std::uint64_t minBytesPerSecond,
                                         std::chrono::milliseconds window);

    // Never discarded from a 200 answer before the assignment starts.
    static constexpr std::uint64_t kMaxSkipBytes = 64ull << 20;
    // Each reply's read buffer: what a held-back fetch may have in memory.
    static constexpr qint64 kReadBufferBytes = 1 << 20;

private:
    bool checkHeaders();
    bool takeBytes(qint64 available);
    void extendOrFinish(atmo::SteadyTime now);
    Status fail(const QString& why);
    Status complete();
    void releaseReply(bool abort);

    Host& host_;
    atmo::RangePlan& plan_;
    QString peer_;
    std::string peerKey_;
    atmo::Assignment a_;
    std::uint64_t fileSize_;
    std::uint32_t chunksPerRequest_;
    QNetworkReply* reply_ = nullptr;
    Status status_ = Status::Open;
    QString failure_;
    bool headersChecked_ = false;
    bool wholeFile_ = false;      // the peer ignored Range (200)
    bool done_ = false;           // every byte of the assignment was taken
    bool sizeProven_ = false;
    std::uint64_t skip_ = 0;      // bytes of a 200 stream before the assignment
    std::uint32_t chunk_ = 0;     // the chunk being filled
    std::uint64_t taken_ = 0;     // bytes of the assignment taken so far
    QByteArray buf_;              // the current chunk's bytes
    atmo::SteadyTime lastByte_;
    atmo::SteadyTime windowStart_; // the pace window (tooSlow)
    std::uint64_t windowBytes_ = 0;
};
