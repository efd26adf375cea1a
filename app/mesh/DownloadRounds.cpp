#include "app/mesh/DownloadRounds.h"

#include <algorithm>
#include <map>

namespace {

const QString kWrongBytes = QStringLiteral("sent bytes that do not match the catalog's SHA-256");

// The known peers of a round and whether some chunk's origin is unknown.
std::set<QString> suppliersOf(const std::vector<ChunkOrigin>& chunks, bool* unknown)
{
    std::set<QString> out;
    *unknown = false;
    for (const auto& c : chunks) {
        if (c.peer.isEmpty())
            *unknown = true;
        else
            out.insert(c.peer);
    }
    return out;
}

} // namespace

bool DownloadRounds::isConvicted(const QString& peer) const
{
    return std::find(convicted_.begin(), convicted_.end(), peer) != convicted_.end();
}

bool DownloadRounds::usable(const QString& peer) const { return !excluded_.count(peer) && !isConvicted(peer); }

std::vector<QString> DownloadRounds::roundPeers() const
{
    if (singleMode_)
        return single_ ? std::vector<QString>{*single_} : std::vector<QString>{};
    std::vector<QString> out;
    for (const auto& p : ranked_)
        if (usable(p))
            out.push_back(p);
    return out;
}

void DownloadRounds::exclude(const QString& peer) { excluded_.insert(peer); }

void DownloadRounds::advanceSingle()
{
    if (single_)
        tried_.insert(*single_);
    single_.reset();
    for (const auto& p : ranked_)
        if (usable(p) && !tried_.count(p)) {
            single_ = p;
            return;
        }
}

bool DownloadRounds::nextSinglePeer()
{
    if (!singleMode_)
        return false;
    advanceSingle();
    return single_.has_value();
}

void DownloadRounds::convict(const QString& peer, const QString& why, std::vector<Conviction>& out)
{
    if (peer.isEmpty() || isConvicted(peer))
        return;
    convicted_.push_back(peer);
    suspects_.erase(peer);
    out.push_back({peer, why});
}

std::vector<DownloadRounds::Conviction> DownloadRounds::failed(const std::vector<ChunkOrigin>& chunks,
                                                               std::uint64_t chunkSize)
{
    std::vector<Conviction> out;
    failedRounds_.push_back({chunkSize, chunks});
    bool unknown = false;
    const std::set<QString> suppliers = suppliersOf(chunks, &unknown);
    if (!unknown && suppliers.size() == 1) {
        convict(*suppliers.begin(), kWrongBytes, out);
    } else {
        for (const auto& p : suppliers)
            if (!isConvicted(p))
                suspects_.insert(p);
        singleMode_ = true; // from now on one peer at a time, until a file verifies
    }
    if (singleMode_)
        advanceSingle();
    return out;
}

std::vector<DownloadRounds::Conviction> DownloadRounds::verified(const std::vector<ChunkOrigin>& chunks,
                                                                 std::uint64_t chunkSize)
{
    std::vector<Conviction> out;
    bool unknown = false;
    const std::set<QString> suppliers = suppliersOf(chunks, &unknown);
    // A peer that alone delivered the verified file sent right bytes for every chunk.
    const std::optional<QString> cleared =
        !unknown && suppliers.size() == 1 ? std::optional<QString>(*suppliers.begin()) : std::nullopt;

    // Exact: a fingerprint that differs from the verified chunk's.
    for (const auto& [size, round] : failedRounds_)
        for (std::size_t i = 0; size == chunkSize && i < round.size() && i < chunks.size(); ++i) {
            const auto& had = round[i];
            if (!had.peer.isEmpty() && !had.fingerprint.empty() && !chunks[i].fingerprint.empty() &&
                had.fingerprint != chunks[i].fingerprint)
                convict(had.peer, kWrongBytes + QStringLiteral(" (chunk %1)").arg(i), out);
        }
    // By elimination, in a failed round no conviction explains: the peers
    // whose chunks could not be compared, but for the one cleared above.
    const auto unexplained = [&](const Round& r) {
        return std::none_of(r.second.begin(), r.second.end(),
                            [&](const ChunkOrigin& c) { return isConvicted(c.peer); });
    };
    const auto uncompared = [&](const Round& r) {
        const auto& round = r.second;
        std::set<QString> out;
        for (std::size_t i = 0; i < round.size(); ++i) {
            const bool compared = r.first == chunkSize && i < chunks.size() && !round[i].fingerprint.empty() &&
                                  !chunks[i].fingerprint.empty();
            if (!compared && round[i].peer != cleared.value_or(QString()))
                out.insert(round[i].peer);
        }
        return out;
    };
    for (const auto& round : failedRounds_) {
        const std::set<QString> candidates = uncompared(round);
        if (unexplained(round) && candidates.size() == 1 && !candidates.begin()->isEmpty())
            convict(*candidates.begin(), kWrongBytes + QStringLiteral(" (the only other source of a copy that failed)"),
                    out);
    }
    // Whoever is left of a round still unexplained stays a suspect.
    suspects_.clear();
    for (const auto& round : failedRounds_)
        if (unexplained(round))
            for (const auto& p : uncompared(round))
                if (!p.isEmpty())
                    suspects_.insert(p);
    return out;
}

std::vector<QString> DownloadRounds::suspects() const
{
    std::vector<QString> out;
    for (const auto& p : ranked_)
        if (suspects_.count(p) && !isConvicted(p))
            out.push_back(p);
    return out;
}
