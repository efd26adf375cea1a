// A mission source directory, the input of `package create` and the wizard:
//   config/mission.yaml          in one of two forms (below)
//   config/*.yaml                other configuration (llamafarm.yaml, ...)
//   models/*                     model files
//   agents/*.yaml, tools/*.yaml  named <id>-<version>.yaml or <id>.yaml
//   knowledge/*.chunks.jsonl     one JSON record per line; <domain>.chunks.jsonl
//
// The station's simple form: id (package id), optional name, tiers: [tier_1,
// tier_2] (bare numbers too), models: {<file name>: {tiers: [..]}}; model
// files are named <id>-<version>.<ext>, agents and tools may leave the
// version out.
//
// The mesh's own form (PROTOCOL.md "Mission config", core/package/mission_mesh.cpp):
// a `mission:` root with id, name and hardware_tiers, each tier listing its
// requirements, models by id and version, agents as name@version and tools
// by name; knowledge domains beside them. The files are found by those
// names: models/<id>-<version>.<ext> or models/<id>.<ext>, agents/<name>-
// <version>.yaml or agents/<name>.yaml, tools/<name>.yaml or tools/<name>-
// <version>.yaml, knowledge/<domain>.chunks.jsonl; versions come from the
// mission. Every file of models/, agents/, tools/ and knowledge/ must be
// declared; a declaration without its file is a problem.
//
// Either way config/mission.yaml itself travels in the package unchanged.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/package/manifest.h"
#include "core/base/result.h"

namespace atmo {

// What the mesh form says about a model beside its id, version and tiers;
// informative (the package records the file as it is).
struct DeclaredModel {
    std::optional<double> sizeMb;       // size_mb
    std::string format;                 // onnx, tensorrt, gguf, pickle, ...
    std::string quantization;           // Q4_K_M, ...
    std::map<int, std::string> roles;   // by tier: the role may differ per tier
};

struct MissionFile {
    ContentFile entry;               // everything but sha256
    std::filesystem::path source;    // absolute path of the source file
    std::optional<DeclaredModel> declared; // mesh form, models only
};

enum class MissionFormat {
    Station, // id, name, tiers, models: {<file>: {tiers}}
    Mesh,    // mission: {id, name, hardware_tiers, ...}
};

struct MissionProblem {
    std::string path;    // relative to the mission directory
    std::string message; // "file name has no version (expected <id>-<version>.<ext>)"
    // A model config/mission.yaml declares (station form) whose file is not
    // in models/: its file name. The wizard offers to add the file or to
    // drop the entry (removeDeclaredModel). Empty for other problems.
    std::string missingModel = {};
    // What kind of problem, for a caller's own words (the wizard translates
    // it; the CLI prints message). subject: what it is about beyond path
    // (the declared item, the tier); line: where in the file, when known.
    enum class Kind {
        Other,
        Unreadable,              // its size cannot be read
        BadName,                 // a name that cannot go into a package
        BadYaml,                 // not valid YAML (line)
        NotYaml,                 // an agent or tool that is not a .yaml file
        NotKnowledge,            // not <domain>.chunks.jsonl
        BadRecord,               // a knowledge line that is not a JSON record (line)
        NoVersion,               // a model file name without a version
        MissingModel,            // missingModel: declared, not in models/
        TierNotInMission,        // assigned a tier (subject) the mission does not have
        NoFileForDeclared,       // subject: the declared item; no file matches it
        Ambiguous,               // subject: the declared item; several files match
        FileOfTwo,               // one file matches two declared items
        Undeclared,              // a file no tier of the mission lists
        TierWithoutRequirements, // subject: the tier that states none above one that does
    };
    Kind kind = Kind::Other;
    std::string subject = {};
    int line = 0;
    std::string expected = {}; // NoFileForDeclared: the file names it would have
};

struct Mission {
    std::filesystem::path root;
    MissionFormat format = MissionFormat::Station; // the form it was read in, and is saved in
    std::string id;
    std::string name;
    std::vector<int> tiers;                             // declared, or derived from models, or {1}
    TierRequirementMap requirements;                    // mesh format: hardware_tiers.<tier>.requirements
    std::map<std::string, std::vector<int>> modelTiers; // from mission.yaml, by model file name
    std::vector<MissionFile> files;                     // sorted by kind then path
    std::vector<MissionProblem> problems;               // non-fatal per-file problems

    std::uint64_t sizeForTier(int tier) const;
};

// Splits "tinyyolo-defects-1.3.onnx" into {"tinyyolo-defects", "1.3"}; the
// version is the last '-'-separated part that starts with a digit.
std::optional<std::pair<std::string, std::string>> splitIdVersion(const std::string& fileName);

// Fails when config/mission.yaml is missing or unparseable, has no valid id,
// or a value the station would misread (a tier that is not a tier name, a
// requirement it does not know). Per-file problems (a model file without a
// version, unparseable YAML, a model tier the mission does not declare, a
// declared model without its file, a file nobody declares) are collected in
// `problems`; the CLI refuses to build while there are any, the wizard shows
// them inline.
Result<Mission> scanMission(const std::filesystem::path& dir);

// Drops one model from the models of a station-form config/mission.yaml
// (every other key and model stays), atomically. Fails naming the file when
// it cannot be read or written, or does not declare that model.
Status removeDeclaredModel(const std::filesystem::path& missionDir, const std::string& modelFile);

// Writes the mission back into config/mission.yaml in the form it was read
// in, keeping any other keys it has (yaml-cpp re-emits the document: comments
// and the original layout are not kept). Station form: id, name, tiers and
// the models' tiers, as tier_N names. Mesh form: id, name, the tiers of
// hardware_tiers and each model's entry in the tiers' models lists. Atomic.
Status saveMissionYaml(const Mission& mission);

} // namespace atmo
