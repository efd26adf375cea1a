// The peers this station has reached, kept in <home>/peers.json so a node
// name given to --from or --peer, and `package check-updates` with no
// arguments, find peers that mDNS does not show (another subnet, mDNS
// blocked, a peer that is down right now). Also the store for peers added by
// hand (issue #16): add(), remove() and peers() are all it needs.
//
// File: {"version":1,"peers":[{"node_id":"..","node_name":"..",
//   "endpoint":"http://host:port","last_reachable_ms":<Unix ms>,
//   "added_by_hand":false}]}
// At most kMaxPeers entries: when full, the entry reached longest ago goes
// first, entries added by hand only after every other. Saved atomically
// (write, fsync, rename). A file that cannot be read as this format is
// reported once through warning(), moved aside to peers.json.corrupt and
// replaced by an empty list; single malformed entries are skipped.
// Two processes saving at once: the last one wins (nothing is torn).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace atmo {

struct RememberedPeer {
    std::string nodeId;            // "" for a peer without one (a model bridge found by address)
    std::string nodeName;          // its node name, or "" when it has none
    std::string endpoint;          // "http://host:port"
    std::int64_t lastReachableMs = 0; // Unix ms; 0: never reached (added by hand)
    bool addedByHand = false;
};

class RememberedPeers {
public:
    static constexpr std::size_t kMaxPeers = 64;

    explicit RememberedPeers(std::filesystem::path file);

    // Reads the file; a missing file is an empty list, a corrupt one too
    // (see warning()).
    void load();
    // One line when load() found the file corrupt or skipped entries; "" otherwise.
    const std::string& warning() const { return warning_; }

    const std::vector<RememberedPeer>& peers() const { return peers_; }
    const std::filesystem::path& file() const { return file_; }

    // A peer answered just now: its entry (matched by node id, else by
    // endpoint) is updated, or one is added. Other entries at the same
    // endpoint go: the address now belongs to this node.
    void reached(const RememberedPeer& peer);
    // A peer added by hand (#16). Fails for an endpoint that is not
    // "http://host:port".
    Status add(const std::string& endpoint, const std::string& nodeName = {});
    // Removes the entries with this node id or endpoint; false if none.
    bool remove(std::string_view nodeIdOrEndpoint);

    Status save() const;

    // The JSON text of a list (for tests and save()).
    static std::string toJson(const std::vector<RememberedPeer>& peers);

private:
    void trim();

    std::filesystem::path file_;
    std::vector<RememberedPeer> peers_;
    std::string warning_;
};

} // namespace atmo
