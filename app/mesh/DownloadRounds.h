// Which peers a MeshDownload asks next after the whole file failed its
// SHA-256, and which peer sent the wrong bytes.
//
// Peers that offer per-chunk hashes are caught at the chunk they send (the
// journal refuses it, the plan fails over). Without them — model bridges
// offer none — only the final hash checks the file, and it says that some
// chunk is wrong, not whose. The journal then deletes the part file, and the
// download runs another round:
//   - A failed round whose chunks all came from one peer convicts that peer;
//     the next round uses all the others.
//   - A failed round with several suppliers (or chunks of unknown origin,
//     kept from an earlier session) switches to single-peer rounds: one peer
//     at a time, best ranked first, each at most once. A failed single round
//     convicts its peer (if nobody else supplied part of it).
//   - The first round that verifies is the truth. Chunk fingerprints (each
//     chunk's SHA-256 as it arrived, taken while several peers share a round
//     or after a failure) of the failed rounds that differ from it convict
//     their suppliers exactly. Where no fingerprint can be compared, a failed
//     round's one remaining supplier besides the peer that alone delivered the
//     verified file is convicted by elimination; several stay suspects, named
//     but not ranked down, since an innocent peer must never be.
//   - With no peer left, the download fails, naming the convicted peers.
// So the rounds are bounded: mixed rounds only continue after a conviction
// (one peer fewer), single rounds try each peer once.
//
// Plain bookkeeping, no I/O: MeshDownload feeds it what each round's chunks
// were and acts on what it answers.
#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

// Where a chunk on disk came from: its peer ("" unknown: written in an
// earlier session) and, when taken, the SHA-256 of its bytes as they arrived.
struct ChunkOrigin {
    QString peer;
    std::string fingerprint;
};

class DownloadRounds {
public:
    struct Conviction {
        QString peer;
        QString why; // "sent bytes that do not match the catalog's SHA-256 (...)"
    };

    DownloadRounds() = default;
    explicit DownloadRounds(std::vector<QString> ranked) : ranked_(std::move(ranked)) {}

    // The peers of the round to run now: every usable peer, or the one whose
    // single-peer round it is. Empty: nobody is left.
    std::vector<QString> roundPeers() const;
    bool singlePeerRound() const { return single_.has_value(); }
    // A round has failed its final hash before (later rounds fingerprint chunks).
    bool afterMismatch() const { return !failedRounds_.empty(); }

    // The peer left this download for another reason (unreachable, stalled,
    // a per-chunk mismatch): not asked again.
    void exclude(const QString& peer);
    // The single-peer round's peer dropped out before the file was complete:
    // the next peer carries on (what was delivered stays). False: nobody left.
    bool nextSinglePeer();

    // The round's file failed its final hash; `chunks` says where each chunk
    // came from (chunks of `chunkSize` bytes). Returns the peers this proves
    // guilty (no longer usable).
    std::vector<Conviction> failed(const std::vector<ChunkOrigin>& chunks, std::uint64_t chunkSize);
    // The round's file verified: convicts the guilty of earlier failed rounds
    // (fingerprints are compared only between rounds of the same chunk size).
    std::vector<Conviction> verified(const std::vector<ChunkOrigin>& chunks, std::uint64_t chunkSize);

    const std::vector<QString>& convicted() const { return convicted_; }
    bool isConvicted(const QString& peer) const;
    // Peers of failed rounds that could be neither convicted nor cleared.
    std::vector<QString> suspects() const;

private:
    bool usable(const QString& peer) const;
    void convict(const QString& peer, const QString& why, std::vector<Conviction>& out);
    void advanceSingle();

    std::vector<QString> ranked_;
    std::set<QString> excluded_;
    std::vector<QString> convicted_;
    std::set<QString> tried_;                 // have had their single-peer round
    std::optional<QString> single_;           // whose single-peer round it is
    bool singleMode_ = false;
    using Round = std::pair<std::uint64_t, std::vector<ChunkOrigin>>; // chunk size, origins
    std::vector<Round> failedRounds_;
    std::set<QString> suspects_;
};
