#include "core/base/text.h"
#include "core/transfer/transfer_queue.h"

#include <algorithm>
#include <cctype>

namespace atmo {

namespace {

constexpr std::uint64_t kMB = 1000 * 1000;

int level(Priority p) { return static_cast<int>(p); }

// Display rank of a state: running first, finished last.
int stateRank(TransferState s)
{
    switch (s) {
    case TransferState::Active: return 0;
    case TransferState::Queued: return 1;
    case TransferState::Paused: return 2;
    default: return 3;
    }
}

} // namespace

std::string_view priorityName(Priority p)
{
    switch (p) {
    case Priority::Critical: return "critical";
    case Priority::High: return "high";
    case Priority::Normal: return "normal";
    case Priority::Low: return "low";
    }
    return "normal";
}

std::optional<Priority> parsePriority(std::string_view name)
{
    const std::string n = lower(name);
    for (Priority p : {Priority::Critical, Priority::High, Priority::Normal, Priority::Low})
        if (n == priorityName(p))
            return p;
    return std::nullopt;
}

SizeClass sizeClassOf(std::uint64_t bytes)
{
    if (bytes < 10 * kMB)
        return SizeClass::Small;
    return bytes <= 500 * kMB ? SizeClass::Medium : SizeClass::Large;
}

std::uint64_t BandwidthCaps::capFor(std::uint64_t sizeBytes) const
{
    switch (sizeClassOf(sizeBytes)) {
    case SizeClass::Small: return smallBytesPerSecond;
    case SizeClass::Medium: return mediumBytesPerSecond;
    case SizeClass::Large: return largeBytesPerSecond;
    }
    return 0;
}

std::string_view transferStateName(TransferState s)
{
    switch (s) {
    case TransferState::Queued: return "queued";
    case TransferState::Active: return "active";
    case TransferState::Paused: return "paused";
    case TransferState::Done: return "done";
    case TransferState::Failed: return "failed";
    case TransferState::Cancelled: return "cancelled";
    }
    return "queued";
}

TransferEntry* TransferQueue::get(std::uint64_t id)
{
    for (auto& e : entries_)
        if (e.id == id)
            return &e;
    return nullptr;
}

const TransferEntry* TransferQueue::find(std::uint64_t id) const
{
    return const_cast<TransferQueue*>(this)->get(id);
}

Status TransferQueue::problem(std::uint64_t id, const char* what) const
{
    const TransferEntry* e = find(id);
    if (!e)
        return fail("transfer " + std::to_string(id) + ": no such transfer");
    return fail("transfer " + std::to_string(id) + " (" + e->key + "): " + what + ", it is " +
                std::string(transferStateName(e->state)));
}

std::optional<std::uint64_t> TransferQueue::findKey(std::string_view key) const
{
    for (const auto& e : entries_)
        if (e.key == key && !isFinished(e.state))
            return e.id;
    return std::nullopt;
}

std::uint64_t TransferQueue::add(std::string key, std::uint64_t sizeBytes, Priority priority)
{
    if (auto existing = findKey(key)) {
        TransferEntry* e = get(*existing);
        if (e->state != TransferState::Active && level(priority) < level(e->priority))
            e->priority = priority;
        return e->id;
    }
    TransferEntry e;
    e.id = nextId_++;
    e.key = std::move(key);
    e.sizeBytes = sizeBytes;
    e.priority = priority;
    e.order = nextOrder_++;
    entries_.push_back(std::move(e));
    return entries_.back().id;
}

std::optional<std::uint64_t> TransferQueue::activeAt(Priority priority) const
{
    for (const auto& e : entries_)
        if (e.state == TransferState::Active && e.priority == priority)
            return e.id;
    return std::nullopt;
}

std::size_t TransferQueue::activeCount() const
{
    return std::size_t(std::count_if(entries_.begin(), entries_.end(),
                                     [](const TransferEntry& e) { return e.state == TransferState::Active; }));
}

std::vector<std::uint64_t> TransferQueue::schedule()
{
    std::vector<std::uint64_t> started;
    for (int l = 0; l < kPriorityLevels; ++l) {
        const auto p = static_cast<Priority>(l);
        if (activeAt(p))
            continue;
        TransferEntry* first = nullptr;
        for (auto& e : entries_)
            if (e.state == TransferState::Queued && e.priority == p && (!first || e.order < first->order))
                first = &e;
        if (first) {
            first->state = TransferState::Active;
            started.push_back(first->id);
        }
    }
    return started;
}

Status TransferQueue::pause(std::uint64_t id)
{
    TransferEntry* e = get(id);
    if (!e || (e->state != TransferState::Queued && e->state != TransferState::Active))
        return problem(id, "cannot be paused");
    e->state = TransferState::Paused;
    return {};
}

Status TransferQueue::resume(std::uint64_t id)
{
    TransferEntry* e = get(id);
    if (!e || e->state != TransferState::Paused)
        return problem(id, "cannot be resumed");
    e->state = TransferState::Queued; // keeps its order: ahead of later additions
    return {};
}

Status TransferQueue::cancel(std::uint64_t id)
{
    TransferEntry* e = get(id);
    if (!e || isFinished(e->state))
        return problem(id, "cannot be cancelled");
    e->state = TransferState::Cancelled;
    return {};
}

Status TransferQueue::retry(std::uint64_t id)
{
    TransferEntry* e = get(id);
    if (!e || (e->state != TransferState::Failed && e->state != TransferState::Cancelled))
        return problem(id, "cannot be retried");
    if (findKey(e->key))
        return fail("transfer " + std::to_string(id) + " (" + e->key + "): another transfer of it is under way");
    e->state = TransferState::Queued;
    e->error.clear();
    e->order = nextOrder_++;
    return {};
}

Status TransferQueue::setPriority(std::uint64_t id, Priority priority)
{
    TransferEntry* e = get(id);
    if (!e || e->state == TransferState::Active || isFinished(e->state))
        return problem(id, "cannot change priority");
    e->priority = priority;
    return {};
}

Status TransferQueue::finish(std::uint64_t id, bool ok, std::string error)
{
    TransferEntry* e = get(id);
    if (!e || e->state != TransferState::Active)
        return problem(id, "cannot finish");
    e->state = ok ? TransferState::Done : TransferState::Failed;
    e->error = ok ? std::string() : std::move(error);
    return {};
}

void TransferQueue::clearFinished()
{
    std::erase_if(entries_, [](const TransferEntry& e) { return isFinished(e.state); });
}

std::vector<TransferEntry> TransferQueue::entries() const
{
    std::vector<TransferEntry> out = entries_;
    std::stable_sort(out.begin(), out.end(), [](const TransferEntry& a, const TransferEntry& b) {
        const int ra = stateRank(a.state), rb = stateRank(b.state);
        if (ra != rb)
            return ra < rb;
        if (ra == 3)
            return a.id > b.id; // finished: newest first
        if (a.priority != b.priority)
            return level(a.priority) < level(b.priority);
        return a.order < b.order;
    });
    return out;
}

} // namespace atmo
