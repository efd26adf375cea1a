#include "core/transfer/range_plan.h"

#include <algorithm>
#include <limits>

#include "core/mesh/mesh_catalog.h"

namespace atmo {

namespace {

// Smoothing of per-peer chunk rates and latency: recent chunks count most,
// one odd chunk does not swing the end-game decision.
constexpr double kAlpha = 0.5;

void smooth(std::optional<double>& value, double sample)
{
    value = value ? kAlpha * sample + (1 - kAlpha) * *value : sample;
}

double seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

} // namespace

RangePlan::RangePlan(ChunkLayout layout, std::vector<bool> done, PlanOptions options)
    : layout_(layout), options_(options)
{
    const std::uint32_t count = layout_.count();
    state_.assign(count, Unassigned);
    supplier_.assign(count, {});
    for (std::uint32_t i = 0; i < count; ++i) {
        if (i < done.size() && done[i]) {
            state_[i] = Done;
            ++doneCount_;
            doneBytes_ += layout_.length(i);
        } else {
            ++unassigned_;
        }
    }
}

RangePlan::Peer* RangePlan::find(const std::string& peer)
{
    for (auto& p : peers_)
        if (p.stats.peer == peer)
            return &p;
    return nullptr;
}

const RangePlan::Peer* RangePlan::find(const std::string& peer) const
{
    return const_cast<RangePlan*>(this)->find(peer);
}

void RangePlan::addPeer(const std::string& peer)
{
    if (find(peer))
        return;
    Peer p;
    p.stats.peer = peer;
    peers_.push_back(std::move(p));
}

std::size_t RangePlan::usablePeers() const
{
    return std::size_t(std::count_if(peers_.begin(), peers_.end(),
                                     [](const Peer& p) { return p.stats.state == PeerState::Usable; }));
}

std::optional<Assignment> RangePlan::next(const std::string& peer, SteadyTime now, std::uint32_t maxChunks)
{
    Peer* p = find(peer);
    if (!p || p->stats.state != PeerState::Usable)
        return std::nullopt;
    if (unassigned_ == 0)
        return options_.endGame && p->held.empty() ? duplicateFor(*p, now) : std::nullopt;

    while (state_[lowest_] != Unassigned)
        ++lowest_;
    // An equal share at most, so a long range cannot leave the others idle
    // while one peer still works through the tail.
    const std::uint32_t share = std::max<std::uint32_t>(1, unassigned_ / std::uint32_t(usablePeers()));
    const std::uint32_t limit = std::max<std::uint32_t>(1, std::min(maxChunks, share));
    Assignment a;
    a.first = lowest_;
    a.count = 0;
    for (std::uint32_t i = lowest_; i < state_.size() && a.count < limit && state_[i] == Unassigned; ++i) {
        state_[i] = Assigned;
        inFlight_[i].push_back(Holder{peer, now, 0, false, a.count == 0});
        p->held.push_back(i);
        ++a.count;
    }
    unassigned_ -= a.count;
    a.offset = layout_.offset(a.first);
    a.length = 0;
    for (std::uint32_t i = a.first; i < a.first + a.count; ++i)
        a.length += layout_.length(i);
    p->stats.inFlight = std::uint32_t(p->held.size());
    return a;
}

// The in-flight chunk this idle peer would finish soonest ahead of its
// holder, judged by measured rates; none when this peer has no rate yet (it
// has not proven faster than anyone).
std::optional<Assignment> RangePlan::duplicateFor(Peer& p, SteadyTime now)
{
    if (!p.stats.chunkRate || *p.stats.chunkRate <= 0)
        return std::nullopt;
    std::optional<std::uint32_t> best;
    double bestGain = 0;
    for (const auto& [chunk, holders] : inFlight_) {
        if (holders.size() != 1 || holders.front().peer == p.stats.peer)
            continue;
        const Holder& h = holders.front();
        const Peer* hp = find(h.peer);
        double holderRate = hp && hp->stats.chunkRate ? *hp->stats.chunkRate : 0;
        if (holderRate <= 0 && h.received > 0 && now > h.since)
            holderRate = double(h.received) / seconds(now - h.since);
        const double length = double(layout_.length(chunk));
        const double left = length - double(std::min<std::uint64_t>(h.received, layout_.length(chunk)));
        const double holderEta = holderRate > 0 ? left / holderRate : std::numeric_limits<double>::infinity();
        const double mine = length / *p.stats.chunkRate;
        if (mine < holderEta && (!best || holderEta - mine > bestGain)) {
            best = chunk;
            bestGain = holderEta - mine;
        }
    }
    if (!best)
        return std::nullopt;
    inFlight_[*best].push_back(Holder{p.stats.peer, now, 0, false, true});
    p.held.push_back(*best);
    p.stats.inFlight = std::uint32_t(p.held.size());
    return Assignment{*best, 1, layout_.offset(*best), layout_.length(*best), true};
}

void RangePlan::received(const std::string& peer, std::uint32_t chunk, std::uint64_t bytes, SteadyTime now)
{
    Peer* p = find(peer);
    if (!p)
        return;
    p->stats.bytesReceived += bytes;
    p->meter.add(bytes, now);
    total_.add(bytes, now);
    auto it = inFlight_.find(chunk);
    if (it == inFlight_.end())
        return;
    for (auto& h : it->second) {
        if (h.peer != peer)
            continue;
        if (!h.gotFirstByte && h.firstOfRange)
            smooth(p->stats.latencyMs, std::chrono::duration<double, std::milli>(now - h.since).count());
        h.gotFirstByte = true;
        h.received += bytes;
    }
}

std::vector<std::string> RangePlan::completed(const std::string& peer, std::uint32_t chunk, SteadyTime now)
{
    std::vector<std::string> losers;
    Peer* p = find(peer);
    if (chunk >= state_.size() || state_[chunk] == Done) {
        if (p)
            release(chunk, peer);
        return losers;
    }
    if (state_[chunk] == Unassigned)
        --unassigned_;
    state_[chunk] = Done;
    ++doneCount_;
    doneBytes_ += layout_.length(chunk);
    supplier_[chunk] = peer;

    auto it = inFlight_.find(chunk);
    if (it != inFlight_.end()) {
        for (const auto& h : it->second) {
            if (h.peer != peer) {
                losers.push_back(h.peer);
                continue;
            }
            if (p) {
                // A chunk of a longer range started when the one before it ended.
                const SteadyTime start = std::max(h.since, p->lastCompleted.value_or(h.since));
                if (now > start)
                    smooth(p->stats.chunkRate, double(layout_.length(chunk)) / seconds(now - start));
            }
        }
        inFlight_.erase(it);
    }
    if (p) {
        ++p->stats.chunksSupplied;
        p->lastCompleted = now;
        std::erase(p->held, chunk);
        p->stats.inFlight = std::uint32_t(p->held.size());
    }
    for (const auto& loser : losers)
        if (Peer* lp = find(loser)) {
            std::erase(lp->held, chunk);
            lp->stats.inFlight = std::uint32_t(lp->held.size());
        }
    return losers;
}

void RangePlan::release(std::uint32_t chunk, const std::string& peer)
{
    if (Peer* p = find(peer)) {
        std::erase(p->held, chunk);
        p->stats.inFlight = std::uint32_t(p->held.size());
    }
    auto it = inFlight_.find(chunk);
    if (it == inFlight_.end())
        return;
    std::erase_if(it->second, [&](const Holder& h) { return h.peer == peer; });
    if (!it->second.empty())
        return;
    inFlight_.erase(it);
    if (state_[chunk] == Assigned) {
        state_[chunk] = Unassigned;
        ++unassigned_;
        lowest_ = std::min(lowest_, chunk);
    }
}

void RangePlan::exclude(Peer& p, PeerState state, const std::string& problem)
{
    if (p.stats.state == PeerState::Usable || state == PeerState::Bad) {
        p.stats.state = state;
        p.stats.problem = problem;
    }
    const auto held = p.held;
    for (std::uint32_t chunk : held)
        release(chunk, p.stats.peer);
}

void RangePlan::failed(const std::string& peer, std::uint32_t chunk, ChunkFailure why, const std::string& detail)
{
    Peer* p = find(peer);
    if (!p)
        return;
    release(chunk, peer);
    if (why == ChunkFailure::Dropped)
        exclude(*p, PeerState::Dropped, detail.empty() ? "stopped delivering chunk " + std::to_string(chunk) : detail);
    else if (why == ChunkFailure::Mismatch)
        exclude(*p, PeerState::Bad,
                detail.empty() ? "sent wrong bytes (chunk " + std::to_string(chunk) + ")" : detail);
}

void RangePlan::blame(const std::vector<std::uint32_t>& chunks, const std::string& detail)
{
    for (std::uint32_t chunk : chunks)
        if (chunk < supplier_.size() && !supplier_[chunk].empty())
            if (Peer* p = find(supplier_[chunk]))
                exclude(*p, PeerState::Bad, detail.empty() ? "sent wrong bytes (chunk " + std::to_string(chunk) + ")"
                                                           : detail);
}

bool RangePlan::exhausted() const { return !complete() && usablePeers() == 0; }

std::string RangePlan::exhaustedReason() const
{
    if (peers_.empty())
        return "no peer offers it";
    std::string out = "no usable peer left";
    const char* sep = ": ";
    for (const auto& p : peers_) {
        if (p.stats.state == PeerState::Usable)
            continue;
        out += sep + p.stats.peer + " " + p.stats.problem;
        sep = "; ";
    }
    return out;
}

std::optional<std::string> RangePlan::supplier(std::uint32_t chunk) const
{
    if (chunk >= supplier_.size() || supplier_[chunk].empty())
        return std::nullopt;
    return supplier_[chunk];
}

std::vector<std::string> RangePlan::holders(std::uint32_t chunk) const
{
    std::vector<std::string> out;
    if (auto it = inFlight_.find(chunk); it != inFlight_.end())
        for (const auto& h : it->second)
            out.push_back(h.peer);
    return out;
}

std::vector<PeerStats> RangePlan::peers() const
{
    std::vector<PeerStats> out;
    for (const auto& p : peers_)
        out.push_back(p.stats);
    return out;
}

DownloadProgress RangePlan::progress(SteadyTime now) const
{
    DownloadProgress d;
    d.totalBytes = layout_.size;
    d.totalChunks = layout_.count();
    d.chunksReceived = doneCount_;
    d.bytesDownloaded = doneBytes_;
    for (const auto& [chunk, holders] : inFlight_) {
        std::uint64_t most = 0;
        for (const auto& h : holders)
            most = std::max(most, h.received);
        d.bytesDownloaded += std::min(most, layout_.length(chunk));
    }
    d.rate = total_.rate(now);
    for (const auto& p : peers_)
        d.peers.push_back({p.stats.peer, p.stats.bytesReceived, p.meter.rate(now)});
    completeProgress(d);
    return d;
}

void RangePlan::reportTo(MeshCatalog& catalog, bool fileVerified) const
{
    const bool someoneBlamed = std::any_of(peers_.begin(), peers_.end(),
                                           [](const Peer& p) { return p.stats.state == PeerState::Bad; });
    for (const auto& p : peers_) {
        if (p.stats.latencyMs) {
            PeerQuality q = catalog.quality(p.stats.peer);
            q.latencyMs = *p.stats.latencyMs;
            catalog.setQuality(p.stats.peer, q);
        }
        if (p.stats.state != PeerState::Usable)
            catalog.recordTransfer(p.stats.peer, false);
        else if (p.stats.chunksSupplied > 0 && fileVerified)
            catalog.recordTransfer(p.stats.peer, true);
        else if (p.stats.chunksSupplied > 0 && !someoneBlamed)
            catalog.recordTransfer(p.stats.peer, false);
    }
}

} // namespace atmo
