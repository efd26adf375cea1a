// The Python model bridge's own ways of naming what it finds (PROTOCOL.md
// "How a bridge builds its catalog"), restated so the station's library
// publishes the same ids, names and capabilities for the same files. Each is
// the Python expression the bridge evaluates, made in C++.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/mesh/catalog_wire.h"

namespace atmo {

// Hub files smaller than this are not models.
inline constexpr off_t kMinHubFileBytes = 1'000'000;

// (org, name) of a hub folder "models--{org}--{name}": every "models--"
// removed, split on "--", the first two parts; nullopt with fewer than two.
std::optional<std::pair<std::string, std::string>> hubRepoName(const std::string& dirName);

// Python's Path.stem: the name without its last extension; a leading dot
// alone, or a trailing one, is not an extension.
std::string pythonStem(const std::string& name);

// Python's st_mtime, the double CPython makes of the seconds and nanoseconds.
double pythonMtime(const struct stat& st);

// "{name}-{stem}".lower().replace(" ", "-") for text = name + "-" + stem.
// Python lowers every letter; the only one that becomes ASCII is U+212A
// KELVIN SIGN ('k'), so ASCII lowering plus that one gives the bridge's id
// whenever that id can be a valid model_id.
std::string bridgeModelId(const std::string& text);

// The capabilities the bridge gives a file of this kind (modelKindFromFileName
// has the type and format).
std::vector<std::string> bridgeCapabilities(const ModelKind& kind);

} // namespace atmo
