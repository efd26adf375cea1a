#include "core/package/mission_mesh.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "core/package/tier.h"
#include "core/base/utf8.h"

namespace atmo::mission_detail {

namespace {

[[noreturn]] void bad(const std::string& file, const std::string& field, const std::string& reason)
{
    throw Failure(file + ": " + field + " " + reason);
}

std::string shown(const YAML::Node& n) { return n.IsScalar() ? n.Scalar() : std::string("a list or mapping"); }

// "4", "0.5": a number of gigabytes (from_chars: the same in every locale).
std::optional<double> gigabytes(const YAML::Node& n)
{
    if (!n.IsScalar())
        return std::nullopt;
    const std::string& s = n.Scalar();
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v < 0)
        return std::nullopt;
    return v;
}

// A name that can be part of one file name: no '/', nothing hidden.
bool isFileNamePart(const std::string& s)
{
    return !s.empty() && s[0] != '.' && s.find('/') == std::string::npos && isSafeRelativePath(s);
}

// "vision_agent@1.2 (tier_1, tier_2)"
std::string describe(const Declared& d)
{
    std::string s = d.name + (d.version.empty() ? "" : "@" + d.version);
    if (!d.tiers.empty())
        s += " (" + tierListText(d.tiers) + ")";
    return s;
}

// The declaration of name@version in list, added with no tiers if new.
Declared& declare(std::vector<Declared>& list, const std::string& name, const std::string& version, int tier)
{
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const Declared& d) { return d.name == name && d.version == version; });
    if (it == list.end()) {
        list.push_back({name, version, {}, {}});
        it = list.end() - 1;
    }
    if (tier > 0 && std::find(it->tiers.begin(), it->tiers.end(), tier) == it->tiers.end()) {
        it->tiers.push_back(tier);
        std::sort(it->tiers.begin(), it->tiers.end());
    }
    return *it;
}

TierRequirements readRequirements(const YAML::Node& node, const std::string& file, const std::string& where)
{
    TierRequirements r;
    if (node.IsNull())
        return r;
    if (!node.IsMap())
        bad(file, where, "must be a mapping with min_ram_gb, gpu and vram_gb");
    for (const auto& kv : node) {
        const std::string key = kv.first.Scalar();
        const std::string field = where + "." + key;
        const YAML::Node value = kv.second;
        if (key != "min_ram_gb" && key != "gpu" && key != "vram_gb")
            bad(file, field, "is not a requirement the station knows (min_ram_gb, gpu, vram_gb), so it could not "
                             "hold a device to it");
        if (value.IsNull())
            continue;
        if (key == "gpu") {
            if (!value.IsScalar() || (value.Scalar() != "required" && value.Scalar() != "optional"))
                bad(file, field, "is \"" + shown(value) + "\"; expected required or optional");
            r.gpuRequired = value.Scalar() == "required";
            continue;
        }
        const auto gb = gigabytes(value);
        if (!gb)
            bad(file, field, "is \"" + shown(value) + "\"; expected a number of gigabytes, 0 or more");
        (key == "min_ram_gb" ? r.minRamGb : r.vramGb) = *gb;
    }
    // VRAM is a GPU's: "optional" beside it would be read as required.
    if (r.vramGb && node["gpu"] && node["gpu"].IsScalar() && node["gpu"].Scalar() == "optional")
        bad(file, where + ".vram_gb", "needs a GPU, but gpu is optional; set gpu: required or drop vram_gb");
    return r;
}

bool statesNothing(const TierRequirements& r)
{
    return !r.minRamGb && !r.vramGb && !r.gpuRequired;
}

void readModels(const YAML::Node& node, const std::string& file, const std::string& where, int tier,
                std::vector<Declared>& out)
{
    if (!node || node.IsNull())
        return;
    if (!node.IsSequence())
        bad(file, where, "must be a list of models ({id, version, ...})");
    for (std::size_t i = 0; i < node.size(); ++i) {
        const std::string w = where + "[" + std::to_string(i) + "]";
        const YAML::Node e = node[i];
        if (!e.IsMap())
            bad(file, w, "must be a mapping with id and version");
        const YAML::Node id = e["id"], version = e["version"];
        if (!id || !id.IsScalar() || id.Scalar().empty())
            bad(file, w + ".id", "is missing");
        if (!isFileNamePart(id.Scalar()))
            bad(file, w + ".id", "\"" + id.Scalar() + "\" cannot be part of a file name");
        if (!version || !version.IsScalar() || version.Scalar().empty())
            bad(file, w + ".version", "is missing");
        if (!isValidVersion(version.Scalar()))
            bad(file, w + ".version", "\"" + version.Scalar() + "\" is not a version");
        Declared& d = declare(out, id.Scalar(), version.Scalar(), tier);
        // Informative only, and kept as the first tier that gives it says.
        if (!d.model.sizeMb && e["size_mb"])
            d.model.sizeMb = gigabytes(e["size_mb"]);
        if (d.model.format.empty() && e["format"] && e["format"].IsScalar())
            d.model.format = e["format"].Scalar();
        if (d.model.quantization.empty() && e["quantization"] && e["quantization"].IsScalar())
            d.model.quantization = e["quantization"].Scalar();
        if (e["role"] && e["role"].IsScalar())
            d.model.roles[tier] = e["role"].Scalar();
    }
}

// agents: [vision_agent@1.2], tools: [core_tools] (name@version also).
void readNames(const YAML::Node& node, const std::string& file, const std::string& where, int tier,
               std::vector<Declared>& out)
{
    if (!node || node.IsNull())
        return;
    if (!node.IsSequence())
        bad(file, where, "must be a list of names like vision_agent@1.2");
    for (std::size_t i = 0; i < node.size(); ++i) {
        const std::string w = where + "[" + std::to_string(i) + "]";
        if (!node[i].IsScalar())
            bad(file, w, "must be a name like vision_agent@1.2");
        const std::string& text = node[i].Scalar();
        const auto at = text.rfind('@');
        const std::string name = text.substr(0, at);
        const std::string version = at == std::string::npos ? std::string() : text.substr(at + 1);
        if (!isFileNamePart(name))
            bad(file, w, "\"" + text + "\" does not name a file");
        if (at != std::string::npos && !isValidVersion(version))
            bad(file, w, "\"" + text + "\": \"" + version + "\" is not a version");
        declare(out, name, version, tier);
    }
}

// knowledge: [{domain: defect-catalog, ...}] (or plain domain names).
void readKnowledge(const YAML::Node& node, const std::string& file, const std::string& where, int tier,
                   std::vector<Declared>& out)
{
    if (!node || node.IsNull())
        return;
    if (!node.IsSequence())
        bad(file, where, "must be a list of {domain, description, priority}");
    for (std::size_t i = 0; i < node.size(); ++i) {
        const std::string w = where + "[" + std::to_string(i) + "]";
        const YAML::Node e = node[i];
        const YAML::Node domain = e.IsMap() ? e["domain"] : e;
        if (!domain || !domain.IsScalar() || domain.Scalar().empty())
            bad(file, w + (e.IsMap() ? ".domain" : ""), "is missing");
        if (!isFileNamePart(domain.Scalar()))
            bad(file, w, "\"" + domain.Scalar() + "\" cannot be part of a file name");
        declare(out, domain.Scalar(), {}, tier);
    }
}

// models/<id>-<version>.<ext> or models/<id>.<ext>, where <ext> is one or
// more dot-separated parts of letters, digits and '_' with a letter in each
// (gguf, onnx, tar.gz; not the "1" of llama3.1).
bool namesModel(const std::string& name, const Declared& d)
{
    for (const std::string& prefix : {d.name + "-" + d.version + ".", d.name + "."}) {
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
            continue;
        bool ok = true, letter = false;
        for (std::size_t i = prefix.size(); i <= name.size() && ok; ++i) {
            const char c = i < name.size() ? name[i] : '.';
            if (c == '.') {
                ok = letter;
                letter = false;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                letter = true;
            } else if (!((c >= '0' && c <= '9') || c == '_')) {
                ok = false;
            }
        }
        if (ok)
            return true;
    }
    return false;
}

std::string yamlStem(const std::string& name)
{
    for (const char* ext : {".yaml", ".yml"})
        if (name.ends_with(ext))
            return name.substr(0, name.size() - std::string_view(ext).size());
    return name;
}

// agents/<name>-<version>.yaml or agents/<name>.yaml; with no version
// declared, any agents/<name>-<version>.yaml too.
bool namesRef(const std::string& name, const Declared& d)
{
    const std::string stem = yamlStem(name);
    if (stem == d.name || (!d.version.empty() && stem == d.name + "-" + d.version))
        return true;
    if (d.version.empty()) {
        const auto idv = splitIdVersion(name);
        return idv && idv->first == d.name;
    }
    return false;
}

// The files of one kind named by their declarations; `keep[i]` set for the
// ones that go into the package, problems added for the rest.
void matchKind(Mission& m, ContentKind kind, const std::vector<Declared>& declared, std::vector<MissionFile>& files,
               std::vector<char>& keep)
{
    const std::string dir = std::string(kindSection(kind)) + "/";
    auto nameOf = [&](const MissionFile& f) {
        return kind == ContentKind::Knowledge ? f.entry.domain : f.entry.path.substr(dir.size());
    };
    auto matches = [&](const MissionFile& f, const Declared& d) {
        switch (kind) {
        case ContentKind::Model: return namesModel(nameOf(f), d);
        case ContentKind::Knowledge: return f.entry.domain == d.name;
        default: return namesRef(nameOf(f), d);
        }
    };
    const char* what = kind == ContentKind::Model  ? "model"
                       : kind == ContentKind::Agent ? "agent"
                       : kind == ContentKind::Tool  ? "tool"
                                                    : "knowledge domain";
    std::vector<int> owner(files.size(), -1);
    std::vector<char> reported(files.size(), 0);
    for (std::size_t j = 0; j < declared.size(); ++j) {
        const Declared& d = declared[j];
        std::vector<std::size_t> candidates;
        for (std::size_t i = 0; i < files.size(); ++i)
            if (files[i].entry.kind == kind && matches(files[i], d))
                candidates.push_back(i);
        const std::string who = kind == ContentKind::Knowledge ? "knowledge domain " + d.name : describe(d);
        if (candidates.empty()) {
            std::string expected = dir + d.name + (d.version.empty() ? "" : "-" + d.version);
            if (kind == ContentKind::Model)
                expected += ".<ext> or " + dir + d.name + ".<ext>";
            else if (kind == ContentKind::Knowledge)
                expected = dir + d.name + ".chunks.jsonl";
            else
                expected += ".yaml" + (d.version.empty() ? std::string() : " or " + dir + d.name + ".yaml");
            m.problems.push_back({"config/mission.yaml", who + ": no file in " + dir + " (expected " + expected + ")", {},
                                  MissionProblem::Kind::NoFileForDeclared, who, 0, expected});
            continue;
        }
        if (candidates.size() > 1) {
            std::string list;
            for (std::size_t i : candidates) {
                list += (list.empty() ? "" : " and ") + files[i].entry.path;
                reported[i] = 1;
            }
            m.problems.push_back({"config/mission.yaml", who + ": more than one file could be it: " + list, {},
                                  MissionProblem::Kind::Ambiguous, who});
            continue;
        }
        const std::size_t i = candidates.front();
        if (owner[i] >= 0 && declared[static_cast<std::size_t>(owner[i])].name == d.name &&
            (d.version.empty() || declared[static_cast<std::size_t>(owner[i])].version.empty())) {
            // camera in one tier, camera@0.4 in another: the same tool.
            if (!d.version.empty())
                owner[i] = static_cast<int>(j);
            continue;
        }
        if (owner[i] >= 0) {
            m.problems.push_back({files[i].entry.path,
                                  "is the file of both " + describe(declared[static_cast<std::size_t>(owner[i])]) +
                                      " and " + describe(d),
                                  {}, MissionProblem::Kind::FileOfTwo});
            reported[i] = 1;
            continue;
        }
        owner[i] = static_cast<int>(j);
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
        MissionFile& f = files[i];
        if (f.entry.kind != kind || reported[i])
            continue;
        if (owner[i] < 0) {
            std::string hint = kind == ContentKind::Knowledge
                                   ? "the mission's knowledge list does not name " + f.entry.domain
                                   : std::string("no tier of the mission lists this ") + what;
            // A file of a declared model, agent or tool in another version.
            if (const auto idv = splitIdVersion(f.source.filename().string()); idv && kind != ContentKind::Knowledge)
                for (const Declared& d : declared)
                    if (d.name == idv->first && !d.version.empty())
                        hint += "; the mission has " + describe(d);
            m.problems.push_back({printable(f.entry.path), hint, {}, MissionProblem::Kind::Undeclared});
            continue;
        }
        const Declared& d = declared[static_cast<std::size_t>(owner[i])];
        if (kind != ContentKind::Knowledge) {
            f.entry.id = d.name;
            f.entry.version = d.version;
            if (f.entry.version.empty())
                if (const auto idv = splitIdVersion(f.source.filename().string()); idv && idv->first == d.name)
                    f.entry.version = idv->second;
        }
        if (kind == ContentKind::Model) {
            f.entry.tiers = d.tiers;
            f.declared = d.model;
            m.modelTiers[nameOf(f)] = d.tiers;
        }
        keep[i] = 1;
    }
}

bool isModelEntry(const YAML::Node& e, const std::string& id, const std::string& version)
{
    return e.IsMap() && e["id"] && e["id"].IsScalar() && e["id"].Scalar() == id && e["version"] &&
           e["version"].IsScalar() && e["version"].Scalar() == version;
}

// hardware_tiers.<key>.models, or a null node: looking creates nothing, and
// a tier without models (or without anything) is not an error (yaml-cpp
// throws on a lookup in a key that is not there).
YAML::Node modelsIn(const YAML::Node& tiers, const std::string& key)
{
    const YAML::Node spec = tiers[key];
    if (!spec || !spec.IsMap())
        return YAML::Node();
    const YAML::Node models = spec["models"];
    return models && models.IsSequence() ? models : YAML::Node();
}

// A models list's first entry for id@version, or -1.
int findModel(const YAML::Node& models, const std::string& id, const std::string& version)
{
    if (!models.IsSequence())
        return -1;
    for (std::size_t i = 0; i < models.size(); ++i)
        if (isModelEntry(models[i], id, version))
            return static_cast<int>(i);
    return -1;
}

constexpr std::size_t kMaxEmittedNodes = 1 << 16;

// Whether emitNode visits at most `budget` nodes (an alias counts each time
// it is used).
bool fewNodes(const YAML::Node& n, std::size_t& budget)
{
    if (budget == 0)
        return false;
    --budget;
    if (n.IsMap()) {
        for (const auto& kv : n)
            if (!fewNodes(kv.first, budget) || !fewNodes(kv.second, budget))
                return false;
    } else if (n.IsSequence()) {
        for (const auto& item : n)
            if (!fewNodes(item, budget))
                return false;
    }
    return true;
}

void emitNode(YAML::Emitter& out, const YAML::Node& n)
{
    switch (n.Type()) {
    case YAML::NodeType::Sequence:
        if (n.Style() == YAML::EmitterStyle::Flow)
            out << YAML::Flow;
        out << YAML::BeginSeq;
        for (const auto& item : n)
            emitNode(out, item);
        out << YAML::EndSeq;
        break;
    case YAML::NodeType::Map:
        if (n.Style() == YAML::EmitterStyle::Flow)
            out << YAML::Flow;
        out << YAML::BeginMap;
        for (const auto& kv : n) {
            out << YAML::Key;
            emitNode(out, kv.first);
            out << YAML::Value;
            emitNode(out, kv.second);
        }
        out << YAML::EndMap;
        break;
    case YAML::NodeType::Scalar:
        // yaml-cpp tags a quoted scalar "!" (text, whatever it looks like).
        if (n.Tag() == "!") {
            out << YAML::DoubleQuoted << n.Scalar();
        } else {
            if (!n.Tag().empty() && n.Tag() != "?")
                out << YAML::VerbatimTag(n.Tag());
            out << n.Scalar();
        }
        break;
    default: out << YAML::Null; break;
    }
}

} // namespace

MeshDeclarations readMeshMission(const YAML::Node& root, const std::string& file, Mission& m)
{
    const YAML::Node mission = root["mission"];
    if (!mission.IsMap())
        bad(file, "mission", "must be a mapping with id, name and hardware_tiers");
    const YAML::Node id = mission["id"];
    if (!id || !id.IsScalar())
        bad(file, "id", "is missing");
    m.id = id.Scalar();
    if (!isValidPackageId(m.id))
        bad(file, "id", "\"" + m.id + "\" is not valid (lowercase letters, digits, '.', '_' and '-')");
    m.name = mission["name"] && mission["name"].IsScalar() ? mission["name"].Scalar() : m.id;
    const YAML::Node tiers = mission["hardware_tiers"];
    if (!tiers || tiers.IsNull())
        bad(file, "hardware_tiers", "is missing (each tier's requirements, models, agents and tools)");
    if (!tiers.IsMap() || tiers.size() == 0)
        bad(file, "hardware_tiers", "must map tier names (tier_1, tier_2, ...) to each tier's requirements and models");
    MeshDeclarations d;
    for (const auto& kv : tiers) {
        const std::string key = kv.first.Scalar();
        const std::optional<int> tier = parseTierName(key);
        if (!tier)
            bad(file, "hardware_tiers", "has \"" + key + "\", not a tier name like tier_1");
        if (std::find(m.tiers.begin(), m.tiers.end(), *tier) != m.tiers.end())
            bad(file, "hardware_tiers", "has " + tierName(*tier) + " twice (as \"" + key + "\")");
        m.tiers.push_back(*tier);
        const std::string where = "hardware_tiers." + key;
        const YAML::Node spec = kv.second;
        if (spec.IsNull())
            continue;
        if (!spec.IsMap())
            bad(file, where, "must be a mapping with requirements, models, agents and tools");
        if (spec["requirements"])
            m.requirements[*tier] = readRequirements(spec["requirements"], file, where + ".requirements");
        readModels(spec["models"], file, where + ".models", *tier, d.models);
        readNames(spec["agents"], file, where + ".agents", *tier, d.agents);
        readNames(spec["tools"], file, where + ".tools", *tier, d.tools);
        readKnowledge(spec["knowledge"], file, where + ".knowledge", *tier, d.knowledge);
    }
    std::sort(m.tiers.begin(), m.tiers.end());
    // A device belongs to the highest tier whose requirements it meets, so
    // once some tier states requirements, a higher one stating none would
    // take every device (and skip the models of the tiers below it).
    if (!m.requirements.empty())
        for (std::size_t i = 1; i < m.tiers.size(); ++i) {
            const auto it = m.requirements.find(m.tiers[i]);
            if (it == m.requirements.end() || statesNothing(it->second))
                m.problems.push_back({"config/mission.yaml",
                                      "hardware_tiers." + tierName(m.tiers[i]) +
                                          " states no requirements, so every device would meet it and skip " +
                                          tierName(m.tiers[i - 1]) + "; give it min_ram_gb, gpu or vram_gb",
                                      {}, MissionProblem::Kind::TierWithoutRequirements, tierName(m.tiers[i])});
        }
    // PROTOCOL.md has knowledge "beside" hardware_tiers; a mission that puts
    // it beside `mission:` at the top means the same.
    const YAML::Node inside = mission["knowledge"], beside = root["knowledge"];
    if (inside && beside)
        bad(file, "knowledge", "is given both under mission: and beside it; keep the one under mission:");
    readKnowledge(inside ? inside : beside, file, "knowledge", 0, d.knowledge);
    return d;
}

void nameMeshFiles(Mission& m, const MeshDeclarations& declared, std::vector<MissionFile> files)
{
    std::vector<char> keep(files.size(), 0);
    for (std::size_t i = 0; i < files.size(); ++i)
        keep[i] = files[i].entry.kind == ContentKind::Config;
    matchKind(m, ContentKind::Model, declared.models, files, keep);
    matchKind(m, ContentKind::Agent, declared.agents, files, keep);
    matchKind(m, ContentKind::Tool, declared.tools, files, keep);
    matchKind(m, ContentKind::Knowledge, declared.knowledge, files, keep);
    for (std::size_t i = 0; i < files.size(); ++i)
        if (keep[i])
            m.files.push_back(std::move(files[i]));
}

void writeMeshMission(YAML::Node& doc, const Mission& m)
{
    if (!doc.IsMap() || !doc["mission"] || !doc["mission"].IsMap())
        throw Failure("no longer has a mission: mapping, not overwriting it");
    // Handles, not copies: assigning to their children changes doc. (Never
    // assign a handle itself: that would rebind the node it shares.)
    YAML::Node root = doc["mission"];
    root["id"] = m.id;
    root["name"] = m.name;
    if (!root["hardware_tiers"].IsMap())
        root["hardware_tiers"] = YAML::Node(YAML::NodeType::Map);
    YAML::Node tiers = root["hardware_tiers"];
    // The tiers as the file names them ("tier_2", or "2"); those m no longer
    // has go, new ones come with an empty models list.
    std::map<int, std::string> keyOf;
    std::vector<std::string> dropped;
    for (const auto& kv : tiers) {
        const auto t = parseTierName(kv.first.Scalar());
        if (t && std::find(m.tiers.begin(), m.tiers.end(), *t) != m.tiers.end())
            keyOf[*t] = kv.first.Scalar();
        else if (t)
            dropped.push_back(kv.first.Scalar());
    }
    for (const std::string& key : dropped)
        tiers.remove(key);
    for (int t : m.tiers)
        if (!keyOf.count(t)) {
            keyOf[t] = tierName(t);
            tiers[tierName(t)]["models"] = YAML::Node(YAML::NodeType::Sequence);
        }

    // Each model's entry in the tiers it belongs to, and in no other. An
    // entry added to a tier is a copy of the model's entry in another tier
    // (size_mb, format, role...), or just its id and version.
    const YAML::Node& view = tiers; // const: looking must not turn a null tier into a mapping
    for (const MissionFile& f : m.files) {
        if (f.entry.kind != ContentKind::Model)
            continue;
        const std::vector<int>& want = f.entry.tiers.empty() ? m.tiers : f.entry.tiers;
        std::optional<YAML::Node> copy;
        for (int t : m.tiers) {
            const YAML::Node models = modelsIn(view, keyOf[t]);
            if (const int i = findModel(models, f.entry.id, f.entry.version); i >= 0 && !copy) {
                copy = YAML::Clone(models[static_cast<std::size_t>(i)]);
                copy->remove("role"); // a role belongs to one tier
            }
        }
        for (int t : m.tiers) {
            const std::string& key = keyOf[t];
            const int at = findModel(modelsIn(view, key), f.entry.id, f.entry.version);
            const bool in = std::find(want.begin(), want.end(), t) != want.end();
            if (in && at < 0) {
                YAML::Node entry = copy ? YAML::Clone(*copy) : YAML::Node(YAML::NodeType::Map);
                if (!copy) {
                    entry["id"] = f.entry.id;
                    entry["version"] = f.entry.version;
                    entry["version"].SetTag("!"); // quoted: "1.10" is not the number 1.1
                }
                if (!tiers[key].IsMap())
                    tiers[key] = YAML::Node(YAML::NodeType::Map);
                if (!tiers[key]["models"].IsSequence())
                    tiers[key]["models"] = YAML::Node(YAML::NodeType::Sequence);
                tiers[key]["models"].SetStyle(YAML::EmitterStyle::Block);
                tiers[key]["models"].push_back(entry);
            } else if (!in && at >= 0) {
                // Every entry of the model goes: a tier may list it twice.
                const YAML::Node models = modelsIn(view, key);
                YAML::Node kept(YAML::NodeType::Sequence);
                for (std::size_t i = 0; i < models.size(); ++i)
                    if (!isModelEntry(models[i], f.entry.id, f.entry.version))
                        kept.push_back(models[i]);
                tiers[key]["models"] = kept;
            }
        }
    }
}

std::string emitYaml(const YAML::Node& doc)
{
    YAML::Emitter out;
    // Aliases are written out in full by emitNode; a document of many
    // aliases is written the plain way instead (quotes lost, anchors kept).
    std::size_t budget = kMaxEmittedNodes;
    if (!fewNodes(doc, budget))
        out << doc;
    else
        emitNode(out, doc);
    if (!out.good())
        throw Failure("cannot be written as YAML: " + out.GetLastError());
    return std::string(out.c_str()) + "\n";
}

} // namespace atmo::mission_detail
