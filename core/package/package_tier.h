// A device's tier for one package. When the package carries its mission's
// requirements (manifest package.requirements), the device gets the highest
// of the package's tiers whose every requirement it meets; the station's own
// thresholds (TierPolicy, <home>/tiers.yaml) decide only for packages
// without them. The reason names what decided, in the seed's tier names:
//   "tier_2: 15.5 GiB RAM >= 8 GB, GPU NVIDIA GeForce RTX 3060 (/dev/nvidia0),
//    12.0 GiB VRAM >= 4 GB; tier_3 needs 32 GB RAM (15.5 GiB found) and
//    16 GB VRAM (12.0 GiB found)"
//   "tier_1: 15.5 GiB RAM >= 4 GB; tier_2 needs a GPU; none found"
//
// What "GB" means. The mesh's missions say min_ram_gb: 8 of a machine sold
// as "8 GB", whose memory is 8 GiB; Linux never reports all of it in
// MemTotal: firmware, the kernel image, crash kernels and a GPU's share are
// taken first (an 8 GB Raspberry Pi 4 or 5 reports about 7.6 GiB, an 8 GiB
// x86 laptop 7.5 to 7.7 GiB, an 8 GB machine with an integrated GPU's
// carve-out less). So a requirement of N GB counts as met from
// N GiB x (1 - kRequirementTolerance) = 0.9 N GiB: 7.2 GiB for 8 GB,
// 3.6 GiB for 4 GB, while the next smaller machine sold (6 GB, reporting at
// most ~5.8 GiB) still falls short of 8 GB. vram_gb is compared the same way
// (cards report their memory nearly in full, so the slack rarely matters).
// vram_gb needs a GPU whose memory the station can read; unknown VRAM does
// not meet it and the reason says "VRAM unknown".
#pragma once

#include <vector>

#include "core/package/manifest.h"
#include "core/package/tier.h"

namespace atmo {

inline constexpr double kRequirementTolerance = 0.10;

// The highest of `tiers` whose requirements `hw` meets (a tier without an
// entry in `requirements` has none); the lowest of `tiers` when none is met,
// with the reason saying so.
TierDecision decideTier(const HardwareInfo& hw, const std::vector<int>& tiers, const TierRequirementMap& requirements);

// By manifest.requirements when it has any, else by the policy.
TierDecision decidePackageTier(const HardwareInfo& hw, const Manifest& manifest, const TierPolicy& policy);

// "chosen by the operator" decision for --tier / the settings' override.
TierDecision operatorTier(int tier);

} // namespace atmo
