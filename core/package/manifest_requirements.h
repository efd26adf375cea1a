// package.requirements in manifest.yaml: what a device of each tier needs, as
// the mission's hardware_tiers state it (PROTOCOL.md "Mission config"):
//   requirements:
//     tier_1: {min_ram_gb: 4, gpu: optional}
//     tier_2: {min_ram_gb: 8, gpu: required, vram_gb: 4}
// Internal to core/package/manifest.cpp (yaml-cpp types).
#pragma once

#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/package/tier.h"

namespace atmo {

// Strict: every key a tier of `packageTiers`, only min_ram_gb, gpu
// (required|optional) and vram_gb, numbers >= 0. Throws Failure naming the
// field.
TierRequirementMap parseRequirements(const YAML::Node& node, const std::vector<int>& packageTiers);
// Writes "requirements: {...}" as a key of the current map, deterministically.
void emitRequirements(YAML::Emitter& out, const TierRequirementMap& requirements);

} // namespace atmo
