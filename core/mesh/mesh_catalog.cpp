#include "core/mesh/mesh_catalog.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <string_view>
#include <functional>
#include <unordered_map>

namespace atmo {

namespace {

constexpr std::int64_t kDefaultTtlSeconds = 300;
constexpr std::int64_t kMaxTtlSeconds = 24 * 3600;

// floor(log2(ms + 1)): 0 ms and 0.5 ms are band 0, 1-2 ms band 1, 3-6 ms band 2,
// 7-14 ms band 3, ... An unknown or nonsensical measurement ranks last.
int latencyBand(const std::optional<double>& ms)
{
    if (!ms || !std::isfinite(*ms) || *ms < 0)
        return INT_MAX;
    return static_cast<int>(std::floor(std::log2(*ms + 1.0)));
}

// Higher reliability first, compared exactly: (okA+1)/(nA+2) > (okB+1)/(nB+2)
// without floating point, so equal histories compare equal and the ordering
// stays a strict weak ordering.
int compareReliability(const PeerQuality& a, const PeerQuality& b)
{
    using Wide = unsigned __int128;
    const Wide lhs = Wide(a.transfersOk + 1ull) * Wide(b.transfersOk + 0ull + b.transfersFailed + 2ull);
    const Wide rhs = Wide(b.transfersOk + 1ull) * Wide(a.transfersOk + 0ull + a.transfersFailed + 2ull);
    return lhs > rhs ? -1 : (lhs < rhs ? 1 : 0);
}

struct RankedNode {
    const CatalogMessage* message;
    PeerQuality quality;
};

// One model offered by one node, to be grouped by model_id.
struct Offer {
    const CatalogEntry* entry;
    std::uint32_t rank; // the node's position in the ranking
};

// model_id -> group number, open addressing over a flat array: the merge
// looks up ~30,000 ids, and a node-based std::unordered_map spends more time
// allocating and chasing pointers than hashing.
class GroupIndex {
public:
    explicit GroupIndex(std::size_t expected)
    {
        std::size_t n = 16;
        while (n < expected * 2)
            n *= 2;
        slots_.assign(n, kEmpty);
        mask_ = n - 1;
        ids_.reserve(expected);
    }
    // The group of id, made when new.
    std::uint32_t find(std::string_view id)
    {
        std::size_t i = std::hash<std::string_view>{}(id) & mask_;
        while (slots_[i] != kEmpty) {
            if (ids_[slots_[i]] == id)
                return slots_[i];
            i = (i + 1) & mask_;
        }
        slots_[i] = static_cast<std::uint32_t>(ids_.size());
        ids_.push_back(id);
        return slots_[i];
    }
    const std::vector<std::string_view>& ids() const { return ids_; }

private:
    static constexpr std::uint32_t kEmpty = UINT32_MAX;
    std::vector<std::uint32_t> slots_;
    std::vector<std::string_view> ids_;
    std::size_t mask_ = 0;
};

struct Candidate {
    const CatalogEntry* first; // from the best-ranked node offering these bytes
    std::uint32_t count;
};

bool sameBytes(const CatalogEntry& a, const CatalogEntry& b)
{
    return a.sizeBytes == b.sizeBytes && a.sha256 == b.sha256;
}

} // namespace

double PeerQuality::reliability() const
{
    return (static_cast<double>(transfersOk) + 1.0) /
           (static_cast<double>(transfersOk) + static_cast<double>(transfersFailed) + 2.0);
}

bool rankedBefore(const std::string& aNode, const PeerQuality& a, const std::string& bNode,
                  const PeerQuality& b)
{
    if (a.directHttp != b.directHttp)
        return a.directHttp;
    const int bandA = latencyBand(a.latencyMs);
    const int bandB = latencyBand(b.latencyMs);
    if (bandA != bandB)
        return bandA < bandB;
    if (const int r = compareReliability(a, b); r != 0)
        return r < 0;
    return aNode < bNode;
}

std::vector<MergedEntry> mergeCatalogs(const std::vector<const CatalogMessage*>& messages,
                                       const std::map<std::string, PeerQuality>& quality)
{
    // One message per node: the newest (the last one given, on equal timestamps).
    std::unordered_map<std::string_view, const CatalogMessage*> byNode;
    byNode.reserve(messages.size());
    for (const CatalogMessage* m : messages) {
        if (!m || m->nodeId.empty())
            continue;
        auto [it, inserted] = byNode.try_emplace(m->nodeId, m);
        if (!inserted && m->timestampMs >= it->second->timestampMs)
            it->second = m;
    }

    std::vector<RankedNode> nodes;
    nodes.reserve(byNode.size());
    std::size_t offers = 0;
    for (const auto& [id, m] : byNode) {
        PeerQuality q;
        if (const auto it = quality.find(m->nodeId); it != quality.end())
            q = it->second;
        else
            q.directHttp = !m->httpEndpoint.empty();
        nodes.push_back({m, q});
        offers += m->models.size();
    }
    std::sort(nodes.begin(), nodes.end(), [](const RankedNode& a, const RankedNode& b) {
        return rankedBefore(a.message->nodeId, a.quality, b.message->nodeId, b.quality);
    });

    // Group the offers by model_id, walking the nodes best first, so each
    // group comes out in rank order without sorting the ~30,000 offers by
    // string; only the distinct ids are sorted, once.
    GroupIndex index(offers);
    std::vector<std::uint32_t> offerGroup;
    offerGroup.reserve(offers);
    for (const RankedNode& n : nodes)
        for (const CatalogEntry& e : n.message->models)
            offerGroup.push_back(index.find(e.modelId));
    const std::vector<std::string_view>& groupIds = index.ids();

    // A stable counting sort by group keeps each group's offers in rank order
    // (and a node's own duplicates next to each other).
    std::vector<std::uint32_t> groupStart(groupIds.size() + 1, 0);
    for (const std::uint32_t g : offerGroup)
        ++groupStart[g + 1];
    for (std::size_t g = 0; g < groupIds.size(); ++g)
        groupStart[g + 1] += groupStart[g];
    std::vector<Offer> grouped(offerGroup.size());
    {
        std::vector<std::uint32_t> fill(groupStart.begin(), groupStart.end() - 1);
        std::size_t k = 0;
        for (std::uint32_t rank = 0; rank < nodes.size(); ++rank)
            for (const CatalogEntry& e : nodes[rank].message->models)
                grouped[fill[offerGroup[k++]]++] = {&e, rank};
    }
    std::vector<std::uint32_t> order(groupIds.size());
    for (std::uint32_t g = 0; g < order.size(); ++g)
        order[g] = g;
    std::sort(order.begin(), order.end(),
              [&groupIds](std::uint32_t a, std::uint32_t b) { return groupIds[a] < groupIds[b]; });

    std::vector<MergedEntry> out;
    out.reserve(order.size());
    std::vector<Candidate> candidates;
    std::vector<const Offer*> group;
    for (const std::uint32_t g : order) {
        // One offer per node (the first, if a node listed the model twice).
        group.clear();
        for (std::uint32_t k = groupStart[g]; k < groupStart[g + 1]; ++k)
            if (group.empty() || group.back()->rank != grouped[k].rank)
                group.push_back(&grouped[k]);

        // Majority of the bytes on offer; candidates are in order of their
        // best-ranked node, so a tie goes to the best-ranked peer.
        candidates.clear();
        for (const Offer* o : group) {
            auto c = std::find_if(candidates.begin(), candidates.end(),
                                  [o](const Candidate& c) { return sameBytes(*c.first, *o->entry); });
            if (c == candidates.end())
                candidates.push_back({o->entry, 1});
            else
                ++c->count;
        }
        const Candidate* winner = &candidates.front();
        for (const Candidate& c : candidates)
            if (c.count > winner->count)
                winner = &c;

        MergedEntry& merged = out.emplace_back(MergedEntry{*winner->first, {}, {}});
        merged.peers.reserve(winner->count);
        if (group.size() > winner->count)
            merged.conflicting.reserve(group.size() - winner->count);
        for (const Offer* o : group) {
            const std::string& node = nodes[o->rank].message->nodeId;
            (sameBytes(*o->entry, *winner->first) ? merged.peers : merged.conflicting).push_back(node);
        }
    }
    return out;
}

void MeshCatalog::update(const CatalogMessage& message, Clock::time_point receivedAt)
{
    if (message.nodeId.empty())
        return;
    std::int64_t ttl = message.ttlSeconds > 0 ? message.ttlSeconds : kDefaultTtlSeconds;
    ttl = std::min(ttl, kMaxTtlSeconds);
    NodeCatalog& node = nodes_[message.nodeId];
    node.message = message;
    node.message.rejected.clear(); // nobody reads them here
    node.expiresAt = receivedAt + std::chrono::seconds(ttl);
    // The message is the authority on whether the node has an HTTP endpoint;
    // latency and history stay.
    quality_[message.nodeId].directHttp = !message.httpEndpoint.empty();
}

void MeshCatalog::removeNode(const std::string& nodeId)
{
    // Its transfer history stays: a peer that comes back keeps its record.
    nodes_.erase(nodeId);
}

std::vector<std::string> MeshCatalog::expire(Clock::time_point now)
{
    std::vector<std::string> dropped;
    for (auto it = nodes_.begin(); it != nodes_.end();) {
        if (it->second.expiresAt <= now) {
            dropped.push_back(it->first);
            it = nodes_.erase(it);
        } else {
            ++it;
        }
    }
    return dropped;
}

void MeshCatalog::setQuality(const std::string& nodeId, const PeerQuality& quality)
{
    quality_[nodeId] = quality;
}

PeerQuality MeshCatalog::quality(const std::string& nodeId) const
{
    const auto it = quality_.find(nodeId);
    return it == quality_.end() ? PeerQuality{} : it->second;
}

void MeshCatalog::recordTransfer(const std::string& nodeId, bool ok)
{
    PeerQuality& q = quality_[nodeId];
    std::uint32_t& counter = ok ? q.transfersOk : q.transfersFailed;
    if (counter != UINT32_MAX)
        ++counter;
}

std::vector<std::string> MeshCatalog::nodes() const
{
    std::vector<std::string> out;
    out.reserve(nodes_.size());
    for (const auto& [id, node] : nodes_)
        out.push_back(id);
    return out;
}

std::optional<Clock::time_point> MeshCatalog::expiresAt(const std::string& nodeId) const
{
    const auto it = nodes_.find(nodeId);
    if (it == nodes_.end())
        return std::nullopt;
    return it->second.expiresAt;
}

std::size_t MeshCatalog::modelCount(const std::string& nodeId) const
{
    const auto it = nodes_.find(nodeId);
    return it == nodes_.end() ? 0 : it->second.message.models.size();
}

std::string MeshCatalog::httpEndpoint(const std::string& nodeId) const
{
    const auto it = nodes_.find(nodeId);
    return it == nodes_.end() ? std::string() : it->second.message.httpEndpoint;
}

std::vector<MergedEntry> MeshCatalog::merged() const
{
    std::vector<const CatalogMessage*> messages;
    messages.reserve(nodes_.size());
    for (const auto& [id, node] : nodes_)
        messages.push_back(&node.message);
    return mergeCatalogs(messages, quality_);
}

} // namespace atmo
