// Which peer fetches which chunk of one download.
//
// Why work-stealing: a peer asks for work when it finished its previous
// range, and gets the lowest chunk nobody holds. A peer twice as fast asks
// twice as often, so it gets twice the chunks without the plan measuring
// anything first, and a peer that slows down mid-way just asks less. Lowest
// first keeps the done chunks a near-contiguous prefix, which keeps the
// journal's running whole-file hash going while the download runs.
//
// Faults: a peer that drops (connection error, timeout, a 200 without Range,
// a short chunk) is excluded for this download and everything it held goes
// back to the pool; one that sent a chunk that failed its per-chunk hash is
// marked bad, excluded, and its chunks go back too. Neither is asked again;
// another peer takes the chunk over from its start (chunks are re-fetched
// whole: a partial chunk cannot be verified).
//
// End-game: once no chunk is left unassigned, an idle peer may duplicate a
// chunk another peer still holds, if its measured rate says it would finish
// the whole chunk before the holder finishes the rest; whichever commits first
// wins (the journal refuses the loser's bytes) and completed() names the peers
// whose copies to cancel. So one slow peer cannot hold up the last percent.
// At most two peers hold one chunk.
//
// Rates and latency are measured per peer for the downloads panel and for the
// catalog's ranking (reportTo(MeshCatalog&)). A single-peer download, or one
// without per-chunk hashes, uses the same plan: then the final hash is the
// only check, and which peer sent a wrong file is worked out by the app's
// download rounds (app/mesh/DownloadRounds.h: the file is fetched again one
// peer at a time), not here.
//
// Every time is passed in (a steady clock's now), so tests simulate peers of
// any speed exactly and without sleeping. Not thread-safe: drive one plan from
// one thread (the app's download manager runs it on its own thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/mesh/chunk_layout.h"
#include "core/transfer/download_progress.h"

namespace atmo {

class MeshCatalog;

struct PlanOptions {
    bool endGame = true;
};

// A range to request: chunks [first, first + count), bytes [offset, offset + length).
struct Assignment {
    std::uint32_t first = 0;
    std::uint32_t count = 1;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    bool duplicate = false;  // an end-game copy of a chunk another peer holds
};

enum class ChunkFailure {
    Dropped,    // the peer failed to deliver: excluded for this download
    Mismatch,   // the peer's bytes failed the per-chunk hash: marked bad, excluded
    Cancelled,  // we stopped it (a duplicate lost, a pause): the peer stays usable
};

enum class PeerState { Usable, Dropped, Bad };

struct PeerStats {
    std::string peer;
    PeerState state = PeerState::Usable;
    std::string problem;               // why it was dropped or marked bad
    std::uint64_t bytesReceived = 0;   // all bytes it sent, duplicates and failures included
    std::uint32_t chunksSupplied = 0;  // chunks it completed first
    std::uint32_t inFlight = 0;        // chunks it holds now
    std::optional<double> chunkRate;   // bytes/s over its completed chunks (smoothed)
    std::optional<double> latencyMs;   // time to first byte (smoothed)
    double rate = 0;                   // bytes/s now (RateMeter)
};

class RangePlan {
public:
    // `done` as the journal has it (empty: nothing done yet).
    RangePlan(ChunkLayout layout, std::vector<bool> done = {}, PlanOptions options = {});

    const ChunkLayout& layout() const { return layout_; }

    // Adds a peer (again: nothing changes; a dropped or bad peer stays so).
    void addPeer(const std::string& peer);

    // The next range for `peer`: the lowest unassigned chunk and up to
    // maxChunks - 1 unassigned chunks after it (no more than an equal share of
    // what is left among the usable peers). A peer may ask again while it
    // holds a range (to pipeline requests); an end-game duplicate goes only to
    // a peer that holds nothing. nullopt: nothing for this peer now (unknown,
    // excluded, or all work is held by peers it would not beat).
    std::optional<Assignment> next(const std::string& peer, SteadyTime now, std::uint32_t maxChunks = 1);

    // Bytes of `chunk` arrived from `peer` (for rates, latency and progress).
    void received(const std::string& peer, std::uint32_t chunk, std::uint64_t bytes, SteadyTime now);
    // `chunk` from `peer` was committed (the journal said Verified or
    // Unverified). Returns the other peers that held a copy: they no longer
    // hold it; cancel their requests (a later failed() for them is harmless).
    std::vector<std::string> completed(const std::string& peer, std::uint32_t chunk, SteadyTime now);
    // `peer` did not deliver `chunk`. Dropped and Mismatch exclude the peer
    // and release every chunk it holds; Cancelled releases only this one.
    void failed(const std::string& peer, std::uint32_t chunk, ChunkFailure why, const std::string& detail = {});
    // After a failed final hash, when the bad chunks are known: the peers that
    // supplied them are bad.
    void blame(const std::vector<std::uint32_t>& chunks, const std::string& detail);

    bool complete() const { return doneCount_ == layout_.count(); }
    // Chunks are missing and no usable peer is left: the download cannot go on.
    bool exhausted() const;
    // "no peer left: a dropped (connection refused); b sent wrong bytes (chunk 3)"
    std::string exhaustedReason() const;

    std::optional<std::string> supplier(std::uint32_t chunk) const;
    std::vector<std::string> holders(std::uint32_t chunk) const;
    std::uint32_t chunksDone() const { return doneCount_; }
    std::uint32_t unassignedCount() const { return unassigned_; }
    std::vector<PeerStats> peers() const;      // in the order they were added
    DownloadProgress progress(SteadyTime now) const;

    // Feeds the catalog's ranking: each peer that failed or was excluded
    // records a failed transfer; each that supplied chunks records a good one
    // if the file verified (else a failed one, unless others were blamed);
    // measured latency replaces the catalog's.
    void reportTo(MeshCatalog& catalog, bool fileVerified) const;

private:
    struct Holder {
        std::string peer;
        SteadyTime since;
        std::uint64_t received = 0;
        bool gotFirstByte = false;
        bool firstOfRange = true; // its first byte measures the peer's latency
    };
    struct Peer {
        PeerStats stats;
        RateMeter meter;
        std::vector<std::uint32_t> held;
        std::optional<SteadyTime> lastCompleted;
    };
    enum : std::uint8_t { Unassigned, Assigned, Done };

    Peer* find(const std::string& peer);
    const Peer* find(const std::string& peer) const;
    std::size_t usablePeers() const;
    void release(std::uint32_t chunk, const std::string& peer);
    void exclude(Peer& p, PeerState state, const std::string& problem);
    std::optional<Assignment> duplicateFor(Peer& p, SteadyTime now);

    ChunkLayout layout_;
    PlanOptions options_;
    std::vector<std::uint8_t> state_;
    std::vector<std::string> supplier_;
    std::map<std::uint32_t, std::vector<Holder>> inFlight_;
    std::vector<Peer> peers_;
    RateMeter total_;
    std::uint32_t doneCount_ = 0;
    std::uint64_t doneBytes_ = 0;
    std::uint32_t unassigned_ = 0;
    std::uint32_t lowest_ = 0; // no unassigned chunk below this
};

} // namespace atmo
