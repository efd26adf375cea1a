// The station's small JSON index files in its home (store.json: the package
// store, missions.json: the mission registry). The CLI and the window change
// them read-modify-write, possibly at the same time; these are the two steps
// every index shares. Internal to core (its stores' headers do not show JSON).
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string_view>

#include "core/base/result.h"

namespace atmo {

// The index's JSON object: an empty object when the file does not exist;
// fails naming the file when it cannot be read or is not a JSON object
// (`what`, e.g. "package index", goes into that message).
Result<nlohmann::json> readJsonIndex(const std::filesystem::path& index, std::string_view what,
                                     std::size_t maxBytes = 4u << 20);

// Runs `change` under an exclusive flock on "<index>.lock" (made, with the
// index's folder, when missing), so two processes adding at once do not
// lose an entry. `change` reads the index and replaces it atomically
// (writeFileAtomic), so readers never need the lock.
Status withIndexLock(const std::filesystem::path& index, const std::function<Status()>& change);

} // namespace atmo
