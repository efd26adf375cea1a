// One request of a MeshDownload to one peer for one assignment of the
// RangePlan (one or more whole chunks, possibly extended while it runs):
// what the download needs of every kind of source. An HTTP Range request
// (RangeFetch) and a stretch of a relay transfer (RelayRangeFetch) both hand
// complete chunks to their host, which commits them to the journal, and
// read only as much as the host allows.
//
// Not a QObject: the host owns the fetches and is told of news through
// Host::fetchActivity(), then calls pump(), which never deletes the fetch;
// the host removes it when pump() says Complete or Failed.
#pragma once

#include <QByteArray>
#include <QString>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/transfer/download_progress.h"
#include "core/transfer/range_plan.h"

class ChunkFetch {
public:
    class Host {
    public:
        // Bytes the download may read now; 0 holds the reads back until the
        // host pumps again (it arms its own wake-up).
        virtual std::uint64_t readAllowance() = 0;
        // Bytes taken off the wire, skipped ones included.
        virtual void bytesRead(std::uint64_t bytes, atmo::SteadyTime now) = 0;
        // A complete chunk from this fetch; the fetch goes on with the next.
        virtual void chunkArrived(const ChunkFetch& fetch, std::uint32_t chunk, QByteArray bytes) = 0;
        // The source has news (headers, bytes, its end): the host calls pump().
        virtual void fetchActivity(ChunkFetch& fetch) = 0;

    protected:
        ~Host() = default;
    };

    enum class Status {
        Open,     // more to come (or held back); pump again on activity
        Complete, // every byte of the assignment was handed over
        Failed,   // failure() says why; chunks from nextChunk() on were not delivered
    };
    // Whose fault a failure was.
    enum class Fault {
        Peer,    // it did not deliver (an error, a closed connection, a cancel): dropped
        BadData, // its bytes were wrong: marked bad
        OurLink, // our way to it went down (the relay link): it stays usable, asked again once back
    };

    ChunkFetch(Host& host, atmo::RangePlan& plan, const QString& peer, const atmo::Assignment& assignment);
    virtual ~ChunkFetch() = default;
    ChunkFetch(const ChunkFetch&) = delete;
    ChunkFetch& operator=(const ChunkFetch&) = delete;

    virtual Status pump() = 0;
    Status status() const { return status_; }
    const QString& failure() const { return failure_; }
    Fault fault() const { return fault_; }

    const QString& peer() const { return peer_; }
    const atmo::Assignment& assignment() const { return a_; }
    std::uint32_t nextChunk() const { return chunk_; }           // the first chunk not handed over yet
    std::uint32_t endChunk() const { return a_.first + a_.count; }
    bool fetchesOnly(std::uint32_t chunk) const { return a_.count == 1 && a_.first == chunk; }
    // When a byte last arrived, or reading was last held back by the host
    // (waiting for our disk or our rate limit is not the peer's stall).
    atmo::SteadyTime lastActivity() const { return lastByte_; }
    // The peer proved the file's size (see MeshDownload.h).
    bool sizeProven() const { return sizeProven_; }
    // The peer's pace, measured in windows of `window` from the request on.
    // A window in which the host held reading back starts again. When a
    // window ended with fewer than minBytesPerSecond on average, returns the
    // bytes it brought (the peer is stalled, however it trickles); otherwise
    // nullopt, and a new window begins.
    std::optional<std::uint64_t> tooSlow(atmo::SteadyTime now, std::uint64_t minBytesPerSecond,
                                         std::chrono::milliseconds window);

    // The download's whole file was checked (verified or not): a source that
    // delivered the file's end may owe its peer an answer (the relay's
    // model_transfer_complete). Only called when awaitsVerdict().
    virtual bool awaitsVerdict() const { return false; }
    virtual void verdict(const std::string& /*computedSha256*/, const std::string& /*fileName*/) {}

protected:
    // Reading was held back by the host: not the peer's stall.
    void heldBack(atmo::SteadyTime now);
    // n bytes came from the peer.
    void arrived(std::uint64_t n, atmo::SteadyTime now);
    Status fail(const QString& why, Fault fault = Fault::Peer);

    Host& host_;
    atmo::RangePlan& plan_;
    QString peer_;
    std::string peerKey_;
    atmo::Assignment a_;
    Status status_ = Status::Open;
    QString failure_;
    Fault fault_ = Fault::Peer;
    bool sizeProven_ = false;
    std::uint32_t chunk_ = 0;     // the chunk being filled
    atmo::SteadyTime lastByte_;

private:
    atmo::SteadyTime windowStart_; // the pace window (tooSlow)
    std::uint64_t windowBytes_ = 0;
};
