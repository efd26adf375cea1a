// Hardware tiers. A device's tier decides which models it needs; it comes from
// the hardware, never from what an archive claims.
//
// A package that carries its mission's requirements (manifest
// package.requirements) is placed by those instead: see core/package/package_tier.h.
// The station's own thresholds below decide for packages without them.
//
// Default thresholds (overridable in <home>/tiers.yaml, same keys):
//   tier 3: >= 16 GiB RAM, >= 8 cores, a GPU
//   tier 2: >=  8 GiB RAM, >= 4 cores
//   tier 1: anything else
// The highest tier whose every threshold the machine meets wins.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace atmo {

// Tiers are numbers inside the station and named as the mesh's seed names
// them wherever a person or another program sees them: "tier_1", "tier_2".
inline constexpr int kMaxTier = 99;
std::string tierName(int tier); // 2 -> "tier_2"
// "tier_2", and the bare number "2" the station used to write, -> 2; nullopt
// for anything else or a tier outside 1..kMaxTier.
std::optional<int> parseTierName(std::string_view text);
std::string tierListText(const std::vector<int>& tiers); // "tier_1, tier_2"
std::string gibText(std::uint64_t bytes);     // 16642998272 -> "15.5 GiB"

// What a mission says a device of one tier needs (PROTOCOL.md "Mission
// config", hardware_tiers.<tier>.requirements), kept as the mission wrote it
// so that it travels into the package's manifest unchanged.
struct TierRequirements {
    std::optional<double> minRamGb;  // min_ram_gb
    bool gpuRequired = false;        // gpu: required (optional or absent: false)
    std::optional<double> vramGb;    // vram_gb
    bool operator==(const TierRequirements&) const = default;
};
using TierRequirementMap = std::map<int, TierRequirements>; // by tier number

struct HardwareInfo {
    std::uint64_t ramBytes = 0;
    unsigned cores = 0;
    bool gpu = false;
    std::string gpuName;        // e.g. "NVIDIA (/dev/nvidia0)" or DRM driver name
    // The GPU's own memory where Linux tells it: amdgpu's
    // device/mem_info_vram_total, nvidia-smi for an NVIDIA card. nullopt:
    // unknown (Intel, nouveau, no GPU, nvidia-smi missing).
    std::optional<std::uint64_t> vramBytes;
    std::uint64_t diskFreeBytes = 0;
};

// Where detectHardware looks; tests point these into a fake tree.
struct HardwareProbe {
    std::filesystem::path proc = "/proc";
    std::filesystem::path sys = "/sys";
    std::filesystem::path dev = "/dev";
    // Asked for an NVIDIA GPU's name and memory (only when <dev>/nvidia0
    // exists); empty: "nvidia-smi" on PATH, if any.
    std::filesystem::path nvidiaSmi;
};

// Reads <proc>/meminfo, the online CPUs, <dev>/nvidia0 (and nvidia-smi),
// <sys>/class/drm/renderD*/device (a render node with a vendor other than a
// virtual one, and its mem_info_vram_total) and statvfs(root).
HardwareInfo detectHardware(const std::filesystem::path& root, const HardwareProbe& probe = {});

struct TierRule {
    int tier = 1;
    std::uint64_t minRamBytes = 0;
    unsigned minCores = 0;
    bool needsGpu = false;
    std::uint64_t minDiskBytes = 0;
};

struct TierPolicy {
    std::vector<TierRule> rules; // any order
    static TierPolicy defaults();
    // YAML: tiers: [{tier: 2, min_ram_gib: 8, min_cores: 4, gpu: false, min_disk_gib: 0}, ...]
    static Result<TierPolicy> load(const std::filesystem::path& file);
    // load() if the file exists, defaults() otherwise.
    static Result<TierPolicy> loadOrDefaults(const std::filesystem::path& file);
};

// One fact of the machine against one threshold or requirement, so a caller
// can word the decision in its own language (the window does; the CLI
// prints `reason`).
struct TierCriterion {
    enum class What { Ram, Cores, Gpu, Vram, DiskFree };
    What what = What::Ram;
    bool met = false;
    bool tolerated = false;    // met only within the requirement's tolerance
    bool unknown = false;      // the machine does not say (VRAM)
    std::uint64_t have = 0;    // bytes (Ram, Vram, DiskFree) or cores; 0 for Gpu
    std::uint64_t need = 0;    // the same unit; for Gpu the VRAM it must have, if any
    std::string gpuName;       // Gpu, when there is one
};

// A tier above the chosen one and what the machine lacks for it.
struct TierMiss {
    int tier = 1;
    std::vector<TierCriterion> unmet;
};

struct TierDecision {
    int tier = 1;
    std::string reason; // "tier_2: 15.5 GiB RAM >= 8 GiB, 8 cores >= 4; no GPU for tier_3"
    // What `reason` says, as facts:
    enum class Basis { Thresholds, Requirements, NoTiers, Operator };
    Basis basis = Basis::Thresholds;  // the station's tier thresholds, or the package's own requirements
    bool noneMet = false;             // no tier's thresholds or requirements are met: the lowest
    std::vector<TierCriterion> met;   // of the chosen tier (empty: it has none)
    std::vector<TierMiss> above;      // the tiers above it, ascending
};

TierDecision decideTier(const HardwareInfo& hw, const TierPolicy& policy);

} // namespace atmo
