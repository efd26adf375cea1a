// The mesh's own mission form (PROTOCOL.md "Mission config"), for
// core/package/mission.cpp: reading `mission:` and its hardware_tiers, finding the
// declared models, agents, tools and knowledge among a mission's files, and
// writing a changed mission back into the same document. Internal to
// scanMission / saveMissionYaml (core/package/mission.h is the interface).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "core/package/mission.h"

namespace atmo::mission_detail {

// One declared thing and the tiers that list it (empty: the mission itself,
// for knowledge).
struct Declared {
    std::string name;       // model id, agent or tool name, knowledge domain
    std::string version;    // empty: none given
    std::vector<int> tiers; // ascending
    DeclaredModel model;    // models only
};

struct MeshDeclarations {
    std::vector<Declared> models, agents, tools, knowledge;
};

// Reads the document's `mission:` mapping (and a `knowledge:` list beside it) into m (id, name, tiers, requirements) and
// returns what its tiers declare. `file` prefixes every error. Throws Failure
// on a value the station would misread: a tier key that is not a tier name, a
// requirement it does not know or cannot read, a model without id or version.
MeshDeclarations readMeshMission(const YAML::Node& root, const std::string& file, Mission& m);

// Gives the files of models/, agents/, tools/ and knowledge/ (in `files`,
// their kind, path and size known) the ids, versions and tiers their
// declarations give them, and moves them into m.files. Adds a problem for
// every declaration without its file (or with two candidates) and for every
// file no declaration names; such files are not kept.
void nameMeshFiles(Mission& m, const MeshDeclarations& declared, std::vector<MissionFile> files);

// Writes id, name, the tiers and each model's tier membership of m into
// doc (the document config/mission.yaml holds now), keeping every other key.
// Throws Failure if doc is no longer in the mesh form.
void writeMeshMission(YAML::Node& doc, const Mission& m);

// The document as YAML text. Unlike `YAML::Emitter << node`, text that was
// quoted stays quoted (a version "1.10" must not come back as the number
// 1.1 to a reader of the mesh).
std::string emitYaml(const YAML::Node& doc);

} // namespace atmo::mission_detail
