// A mission source directory, the input of `package create` and the wizard:
//   config/mission.yaml          required: id (package id), optional name, tiers,
//                                models: {<file name>: {tiers: [..]}}
//   config/*.yaml                other configuration (llamafarm.yaml, ...)
//   models/*                     model files named <id>-<version>.<ext>
//   agents/*.yaml, tools/*.yaml  named <id>-<version>.yaml
//   knowledge/*.chunks.jsonl     one JSON record per line; <domain>.chunks.jsonl
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/manifest.h"
#include "core/result.h"

namespace atmo {

struct MissionFile {
    ContentFile entry;               // everything but sha256
    std::filesystem::path source;    // absolute path of the source file
};

struct MissionProblem {
    std::string path;    // relative to the mission directory
    std::string message; // "file name has no version (expected <id>-<version>.<ext>)"
};

struct Mission {
    std::filesystem::path root;
    std::string id;
    std::string name;
    std::vector<int> tiers;                             // declared, or derived from models, or {1}
    TierRequirementMap requirements;                    // mesh format: hardware_tiers.<tier>.requirements
    std::map<std::string, std::vector<int>> modelTiers; // from mission.yaml, by file name
    std::vector<MissionFile> files;                     // sorted by kind then path
    std::vector<MissionProblem> problems;               // non-fatal per-file problems

    std::uint64_t sizeForTier(int tier) const;
};

// Splits "tinyyolo-defects-1.3.onnx" into {"tinyyolo-defects", "1.3"}; the
// version is the last '-'-separated part that starts with a digit.
std::optional<std::pair<std::string, std::string>> splitIdVersion(const std::string& fileName);

// Fails when config/mission.yaml is missing or unparseable or has no valid id.
// Per-file problems (a name without a version, unparseable YAML, a model tier
// the mission does not declare) are collected in `problems`; the CLI refuses
// to build while there are any, the wizard shows them inline.
Result<Mission> scanMission(const std::filesystem::path& dir);

// Writes id, name, tiers and the models' tiers back into config/mission.yaml,
// keeping any other keys it has. Atomic.
Status saveMissionYaml(const Mission& mission);

} // namespace atmo
