// The `delta:` section of manifest.yaml (delta_section.h) in YAML: parsed
// strictly against the manifest's own contents, written deterministically.
// Internal to core/package/manifest.cpp (yaml-cpp types).
#pragma once

#include <yaml-cpp/yaml.h>

#include "core/package/manifest.h"

namespace atmo {

// `m` has its package fields and contents already. Throws Failure naming
// the field: a version that does not go forward, a path that is not in
// contents (or a .delta that is), a contents file the section does not
// account for, or one it accounts for twice.
DeltaSection parseDeltaSection(const YAML::Node& node, const Manifest& m);
// Writes "delta: {...}" as a key of the current map.
void emitDeltaSection(YAML::Emitter& out, const DeltaSection& delta);

} // namespace atmo
