// The download queue: what to download, in which order, and which transfers
// may run now.
//
// Priorities (PROTOCOL.md): critical > high (user-requested) > normal
// (background sync) > low (prefetch). "One active transfer per priority
// level" is implemented literally: each level has one slot, so at most four
// transfers run at once, one per level, and within a level entries start in
// the order they were added (FIFO). The point of the rule is that the levels
// never wait for each other: a user's click (high) starts at once even while
// a background sync (normal) and a prefetch (low) are running, and a long
// prefetch can never hold up a critical transfer. What the order between the
// levels decides is which transfer starts first when several slots free at
// once, and the order the downloads panel lists them in.
//
// Paused entries keep their place but not a slot; resuming puts an entry back
// in the queue of its level ahead of entries added after it, without
// pre-empting the level's running transfer. Finished, failed and cancelled
// entries stay listed until cleared.
//
// Bandwidth caps are per size class (PROTOCOL.md: < 10 MB, 10-500 MB,
// > 500 MB; MB = 10^6 bytes; 10 MB exactly is "medium", 500 MB exactly too)
// and apply to each transfer of that class; 0 means uncapped. The LAN default
// is uncapped; relayPreset() has the relay's 5 Mbps / 2 Mbps.
//
// Plain bookkeeping: no threads, no clock. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace atmo {

enum class Priority : std::uint8_t { Critical = 0, High = 1, Normal = 2, Low = 3 };
inline constexpr int kPriorityLevels = 4;
std::string_view priorityName(Priority p);                  // "critical", "high", "normal", "low"
std::optional<Priority> parsePriority(std::string_view name); // case-insensitive

enum class SizeClass : std::uint8_t { Small, Medium, Large };
SizeClass sizeClassOf(std::uint64_t bytes);

struct BandwidthCaps {
    std::uint64_t smallBytesPerSecond = 0;   // 0 = uncapped
    std::uint64_t mediumBytesPerSecond = 0;
    std::uint64_t largeBytesPerSecond = 0;

    std::uint64_t capFor(std::uint64_t sizeBytes) const;
    static BandwidthCaps lanDefaults() { return {}; }
    // The mesh relay's caps: small unthrottled, medium 5 Mbps, large 2 Mbps.
    static BandwidthCaps relayPreset() { return {0, 5'000'000 / 8, 2'000'000 / 8}; }
    bool operator==(const BandwidthCaps&) const = default;
};

enum class TransferState : std::uint8_t { Queued, Active, Paused, Done, Failed, Cancelled };
std::string_view transferStateName(TransferState s);
inline bool isFinished(TransferState s)
{
    return s == TransferState::Done || s == TransferState::Failed || s == TransferState::Cancelled;
}

struct TransferEntry {
    std::uint64_t id = 0;
    std::string key;             // what is transferred: a model id, or a package id/version/tier
    std::uint64_t sizeBytes = 0;
    Priority priority = Priority::Normal;
    TransferState state = TransferState::Queued;
    std::string error;           // Failed: why, in one line
    std::uint64_t order = 0;     // FIFO position within its level
};

class TransferQueue {
public:
    // Adds a transfer. If one with the same key is queued, active or paused,
    // that one is returned instead, raised to `priority` if that is higher
    // and it is not running (a running one keeps its slot).
    std::uint64_t add(std::string key, std::uint64_t sizeBytes, Priority priority);

    // Starts what the one-per-level rule allows: for each level without an
    // active transfer, its first queued entry. Returns the ids that became
    // active, highest level first.
    std::vector<std::uint64_t> schedule();

    Status pause(std::uint64_t id);    // queued or active -> paused
    Status resume(std::uint64_t id);   // paused -> queued (call schedule())
    Status cancel(std::uint64_t id);   // anything not finished -> cancelled
    Status retry(std::uint64_t id);    // failed or cancelled -> queued, at the back of its level
    // Active entries cannot change level (the slot is the level's): pause first.
    Status setPriority(std::uint64_t id, Priority priority);
    Status finish(std::uint64_t id, bool ok, std::string error = {}); // active -> done / failed
    void clearFinished();

    const TransferEntry* find(std::uint64_t id) const;
    std::optional<std::uint64_t> findKey(std::string_view key) const; // the unfinished one, if any
    std::optional<std::uint64_t> activeAt(Priority priority) const;
    std::size_t activeCount() const;
    // Display order: active, queued, paused (each by level, then FIFO), then
    // finished ones, newest first.
    std::vector<TransferEntry> entries() const;

private:
    TransferEntry* get(std::uint64_t id);
    Status problem(std::uint64_t id, const char* what) const;

    std::vector<TransferEntry> entries_;
    std::uint64_t nextId_ = 1;
    std::uint64_t nextOrder_ = 1;
};

} // namespace atmo
