#include "core/package/mission.h"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>

#include "core/base/fs_util.h"
#include "core/package/mission_mesh.h"
#include "core/package/tier.h"
#include "core/base/utf8.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

bool isYamlName(const std::string& name)
{
    return name.size() > 5 && (name.ends_with(".yaml") || name.ends_with(".yml"));
}

std::string relPath(const fs::path& file, const fs::path& root)
{
    return file.lexically_relative(root).generic_string();
}

// Station form: a list of tier names (tier_2) or bare numbers (2).
std::vector<int> readTiers(const YAML::Node& node, const std::string& where)
{
    if (!node.IsSequence())
        throw Failure(where + " must be a list of tiers, like [tier_1, tier_2]");
    std::vector<int> out;
    for (const auto& t : node) {
        const std::optional<int> v = t.IsScalar() ? parseTierName(t.Scalar()) : std::nullopt;
        if (!v)
            throw Failure(where + " has \"" + (t.IsScalar() ? t.Scalar() : std::string("?")) +
                          "\", not a tier (tier_1 to tier_" + std::to_string(kMaxTier) + ", or 1 to " +
                          std::to_string(kMaxTier) + ")");
        out.push_back(*v);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

YAML::Node tierNames(const std::vector<int>& tiers)
{
    YAML::Node out(YAML::NodeType::Sequence);
    for (int t : tiers)
        out.push_back(tierName(t));
    out.SetStyle(YAML::EmitterStyle::Flow);
    return out;
}

// Regular files below dir (following symlinks to files), sorted, hidden ones skipped.
std::vector<fs::path> listFiles(const fs::path& dir)
{
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return out;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec)
            throw Failure(dir.string() + ": cannot list: " + ec.message());
        const std::string name = it->path().filename().string();
        if (!name.empty() && name[0] == '.') {
            if (it->is_directory())
                it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file())
            out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool isUtf8(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3, cp = c & 0x07;
        } else {
            return false;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size())
                return false;
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

// A key that yaml-cpp's writer saves as YAML it reads back: text of at most
// 256 bytes without control characters. Null, list and mapping keys, and
// keys whose escaped form passes YAML's 1024-character limit for an implicit
// key, were written in a form that does not parse.
bool isPlainKey(const YAML::Node& key)
{
    if (!key.IsScalar() || key.Scalar().size() > 256)
        return false;
    for (char c : key.Scalar())
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return false;
    return true;
}

// What is wrong with the keys of a mapping, anywhere in the document: a key
// given twice (yaml-cpp keeps both and a lookup finds the first, other YAML
// readers the last; saving replaced only the first), or a key that is not a
// plain name (isPlainKey). Both found by fuzz_mission.
std::optional<std::string> badKey(const YAML::Node& node, const std::string& path)
{
    if (node.IsSequence()) {
        for (const auto& item : node)
            if (auto bad = badKey(item, path))
                return bad;
    } else if (node.IsMap()) {
        std::set<std::string> seen;
        for (const auto& kv : node) {
            if (!isPlainKey(kv.first))
                return (path.empty() ? std::string("a key") : path + " has a key that") + " is not a plain name";
            const std::string key = path.empty() ? kv.first.Scalar() : path + "." + kv.first.Scalar();
            if (!seen.insert(kv.first.Scalar()).second)
                return key + " is given twice";
            if (auto bad = badKey(kv.second, key))
                return bad;
        }
    }
    return std::nullopt;
}

std::uint64_t countJsonlRecords(const fs::path& file, std::string& problem, int& problemLine)
{
    std::ifstream in(file, std::ios::binary);
    std::string line;
    std::uint64_t count = 0, lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        if (problem.empty() && !nlohmann::json::accept(line)) {
            problem = "line " + std::to_string(lineNo) + " is not a JSON record";
            problemLine = static_cast<int>(lineNo);
        }
        ++count;
    }
    return count;
}

} // namespace

std::uint64_t Mission::sizeForTier(int tier) const
{
    std::uint64_t total = 0;
    for (const auto& f : files)
        if (f.entry.inTier(tier))
            total += f.entry.size;
    return total;
}

std::optional<std::pair<std::string, std::string>> splitIdVersion(const std::string& fileName)
{
    const auto dot = fileName.rfind('.');
    const std::string stem = dot == std::string::npos || dot == 0 ? fileName : fileName.substr(0, dot);
    for (auto pos = stem.rfind('-'); pos != std::string::npos && pos > 0; pos = stem.rfind('-', pos - 1)) {
        if (pos + 1 < stem.size() && stem[pos + 1] >= '0' && stem[pos + 1] <= '9') {
            std::string id = stem.substr(0, pos), version = stem.substr(pos + 1);
            if (!isValidVersion(version))
                return std::nullopt;
            return std::make_pair(std::move(id), std::move(version));
        }
        if (pos == 0)
            break;
    }
    return std::nullopt;
}

namespace {

// Station form: id, name, tiers, models: {<file>: {tiers}}.
void readStationMission(const YAML::Node& doc, const std::string& file, Mission& m)
{
    if (!doc["id"] || !doc["id"].IsScalar())
        throw Failure(file + ": id is missing");
    m.id = doc["id"].Scalar();
    if (!isValidPackageId(m.id))
        throw Failure(file + ": id \"" + m.id + "\" is not valid (lowercase letters, digits, '.', '_' and '-')");
    m.name = doc["name"] && doc["name"].IsScalar() ? doc["name"].Scalar() : m.id;
    if (doc["tiers"])
        m.tiers = readTiers(doc["tiers"], file + ": tiers");
    if (const YAML::Node models = doc["models"]) {
        if (!models.IsMap())
            throw Failure(file + ": models must map a model file name to its tiers");
        for (const auto& kv : models) {
            const std::string name = kv.first.as<std::string>();
            const YAML::Node spec = kv.second;
            if (spec.IsMap() && spec["tiers"])
                m.modelTiers[name] = readTiers(spec["tiers"], file + ": models." + name + ".tiers");
            else if (!spec.IsNull() && !spec.IsMap())
                throw Failure(file + ": models." + name + " must be a mapping with tiers");
        }
    }
}

// The files of every kind with what their place and name say whatever the
// form: kind, path, size; configs their id, knowledge its domain and chunks.
// A file that cannot go into a package is a problem instead.
std::vector<MissionFile> collectFiles(Mission& m)
{
    using Kind = MissionProblem::Kind;
    auto problem = [&](const fs::path& file, std::string message, Kind kind, int line = 0) {
        m.problems.push_back({printable(relPath(file, m.root)), std::move(message), {}, kind, {}, line});
    };
    std::vector<MissionFile> out;
    std::error_code ec;
    for (ContentKind kind : {ContentKind::Config, ContentKind::Model, ContentKind::Agent, ContentKind::Tool,
                             ContentKind::Knowledge}) {
        const fs::path dir = m.root / std::string(kindSection(kind));
        for (const fs::path& file : listFiles(dir)) {
            const std::string name = file.filename().string();
            MissionFile mf;
            mf.source = file;
            mf.entry.kind = kind;
            mf.entry.path = relPath(file, m.root);
            mf.entry.size = fs::file_size(file, ec);
            if (ec) {
                problem(file, "cannot read its size: " + ec.message(), Kind::Unreadable);
                continue;
            }
            if (!isSafeRelativePath(mf.entry.path)) {
                problem(file,
                        "has a name that cannot go into a package (control characters, invalid UTF-8, "
                        "a component over 255 bytes, or a backslash)",
                        Kind::BadName);
                continue;
            }
            if (kind == ContentKind::Config || kind == ContentKind::Agent || kind == ContentKind::Tool) {
                if (isYamlName(name)) {
                    try {
                        YAML::LoadFile(file.string());
                    } catch (const YAML::Exception& e) {
                        problem(file, "is not valid YAML (line " + std::to_string(e.mark.line + 1) + ": " + e.msg + ")",
                                Kind::BadYaml, e.mark.line + 1);
                        continue;
                    }
                } else if (kind != ContentKind::Config) {
                    problem(file,
                            std::string("is not a YAML file (") + std::string(kindSection(kind)) +
                                " must be <id>-<version>.yaml or <id>.yaml)",
                            Kind::NotYaml);
                    continue;
                }
            }
            if (kind == ContentKind::Config) {
                mf.entry.id = file.stem().string();
            } else if (kind == ContentKind::Knowledge) {
                const std::string suffix = ".chunks.jsonl";
                if (name.size() <= suffix.size() || !name.ends_with(suffix)) {
                    problem(file, "is not a knowledge file (expected <domain>.chunks.jsonl)", Kind::NotKnowledge);
                    continue;
                }
                mf.entry.domain = name.substr(0, name.size() - suffix.size());
                std::string bad;
                int badLine = 0;
                mf.entry.chunks = countJsonlRecords(file, bad, badLine);
                if (!bad.empty()) {
                    problem(file, bad, Kind::BadRecord, badLine);
                    continue;
                }
            }
            out.push_back(std::move(mf));
        }
    }
    return out;
}

// Station form: ids and versions from the file names (a model must have a
// version there; an agent or tool without one has none), model tiers from
// models: in mission.yaml.
void nameStationFiles(Mission& m, std::vector<MissionFile> files)
{
    std::set<int> modelTierUnion;
    for (MissionFile& mf : files) {
        const ContentKind kind = mf.entry.kind;
        if (kind == ContentKind::Model || kind == ContentKind::Agent || kind == ContentKind::Tool) {
            const std::string name = mf.source.filename().string();
            if (auto idv = splitIdVersion(name)) {
                mf.entry.id = idv->first;
                mf.entry.version = idv->second;
            } else if (kind != ContentKind::Model) {
                mf.entry.id = mf.source.stem().string(); // tools/core_tools.yaml: no version
            } else {
                m.problems.push_back({printable(mf.entry.path),
                                      "file name has no version (expected <id>-<version>." +
                                          (mf.source.has_extension() ? mf.source.extension().string().substr(1)
                                                                     : std::string("ext")) +
                                          ")",
                                      {}, MissionProblem::Kind::NoVersion});
                continue;
            }
            if (kind == ContentKind::Model) {
                auto it = m.modelTiers.find(name);
                if (it != m.modelTiers.end())
                    mf.entry.tiers = it->second;
                modelTierUnion.insert(mf.entry.tiers.begin(), mf.entry.tiers.end());
            }
        }
        m.files.push_back(std::move(mf));
    }
    for (const auto& entry : m.modelTiers) {
        // Not a structured binding: clang 14 (the fuzz tree) cannot capture one.
        const std::string& file = entry.first;
        const bool found = std::any_of(m.files.begin(), m.files.end(), [&](const MissionFile& f) {
            return f.entry.kind == ContentKind::Model && f.source.filename() == file;
        });
        if (!found)
            m.problems.push_back(
                {"config/mission.yaml", "models." + file + " names a model that is not in models/", file,
                 MissionProblem::Kind::MissingModel, file});
    }
    if (m.tiers.empty())
        m.tiers.assign(modelTierUnion.begin(), modelTierUnion.end());
    if (m.tiers.empty())
        m.tiers = {1};
    for (const auto& f : m.files)
        for (int t : f.entry.tiers)
            if (std::find(m.tiers.begin(), m.tiers.end(), t) == m.tiers.end())
                m.problems.push_back({f.entry.path,
                                      "is assigned " + tierName(t) + ", which the mission's tiers do not include", {},
                                      MissionProblem::Kind::TierNotInMission, tierName(t)});
}

} // namespace

Result<Mission> scanMission(const fs::path& dirIn)
{
    return guarded([&]() -> Result<Mission> {
        std::error_code ec;
        if (!fs::is_directory(dirIn, ec))
            return fail(ErrorCode::NotFound, dirIn.string() + ": mission directory does not exist", dirIn.string());
        Mission m;
        m.root = fs::absolute(dirIn).lexically_normal();
        const fs::path missionYaml = m.root / "config" / "mission.yaml";
        if (!fs::exists(missionYaml))
            return fail(missionYaml.string() + ": missing (a mission needs config/mission.yaml with an id)");
        auto text = readFile(missionYaml, 1 << 20);
        if (!text)
            return text.error();
        // YAML is UTF-8 text; yaml-cpp reads stray bytes as they are and its
        // writer replaces them with U+FFFD, so a save renamed the mission or
        // changed its keys (fuzz_mission). Escapes yaml-cpp checks itself.
        // The name also goes into a signed manifest.
        if (!isUtf8(*text))
            return fail(missionYaml.string() + ": not valid UTF-8 text");
        // YAML text has no NUL; yaml-cpp reads "\0N" as the byte 0x85, which
        // a save then wrote as a file that is not UTF-8 (fuzz_mission).
        if (const auto nul = text->find('\0'); nul != std::string::npos)
            return fail(missionYaml.string() + ": not YAML text (a NUL byte at byte " + std::to_string(nul) + ")");
        YAML::Node doc;
        try {
            doc = YAML::Load(*text);
        } catch (const YAML::Exception& e) {
            return fail(missionYaml.string() + ": not valid YAML (line " + std::to_string(e.mark.line + 1) + ": " +
                        e.msg + ")");
        }
        mission_detail::MeshDeclarations declared;
        try {
            if (!doc.IsMap())
                return fail(missionYaml.string() + ": must be a mapping with at least an id");
            if (auto bad = badKey(doc, ""))
                return fail(missionYaml.string() + ": " + *bad);
            // The mesh's form has everything under one `mission:` key.
            if (doc["mission"] && !doc["id"]) {
                m.format = MissionFormat::Mesh;
                declared = mission_detail::readMeshMission(doc, missionYaml.string(), m);
            } else {
                readStationMission(doc, missionYaml.string(), m);
            }
            // One line of text, for the manifest and the window. yaml-cpp
            // also loses a bare carriage return of a plain scalar on each
            // save (fuzz_mission).
            if (!isCleanText(m.name))
                return fail(missionYaml.string() + ": name has a control character (a name is one line of text)");
        } catch (const Failure& e) {
            return fail(printable(e.what()));
        } catch (const YAML::Exception& e) {
            return fail(missionYaml.string() + ": " + e.msg);
        }
        std::vector<MissionFile> files = collectFiles(m);
        if (m.format == MissionFormat::Mesh)
            mission_detail::nameMeshFiles(m, declared, std::move(files));
        else
            nameStationFiles(m, std::move(files));
        return m;
    });
}

Status removeDeclaredModel(const fs::path& missionDir, const std::string& modelFile)
{
    return guarded([&]() -> Status {
        const fs::path file = missionDir / "config" / "mission.yaml";
        YAML::Node doc;
        try {
            doc = YAML::LoadFile(file.string());
        } catch (const YAML::Exception& e) {
            return fail(file.string() + ": cannot read it as YAML (" + e.msg + ")");
        }
        YAML::Node models = doc.IsMap() ? doc["models"] : YAML::Node();
        if (!models.IsMap() || !models[modelFile])
            return fail(file.string() + ": declares no model " + modelFile);
        models.remove(modelFile);
        if (models.size() == 0)
            doc.remove("models");
        return writeFileAtomic(file, mission_detail::emitYaml(doc));
    });
}

Status saveMissionYaml(const Mission& mission)
{
    return guarded([&]() -> Status {
        const fs::path file = mission.root / "config" / "mission.yaml";
        YAML::Node doc;
        if (fs::exists(file)) {
            try {
                doc = YAML::LoadFile(file.string());
            } catch (const YAML::Exception& e) {
                return fail(file.string() + ": not valid YAML, not overwriting it (" + e.msg + ")");
            }
        }
        if (mission.format == MissionFormat::Mesh) {
            try {
                mission_detail::writeMeshMission(doc, mission);
            } catch (const Failure& e) {
                return fail(file.string() + ": " + e.what());
            }
        } else {
            if (!doc.IsMap())
                doc = YAML::Node(YAML::NodeType::Map);
            doc["id"] = mission.id;
            doc["name"] = mission.name;
            doc["tiers"] = tierNames(mission.tiers);
            YAML::Node models(YAML::NodeType::Map);
            for (const auto& f : mission.files)
                if (f.entry.kind == ContentKind::Model && !f.entry.tiers.empty())
                    models[f.source.filename().string()]["tiers"] = tierNames(f.entry.tiers);
            if (models.size() > 0)
                doc["models"] = models;
            else
                doc.remove("models");
        }
        fs::create_directories(file.parent_path());
        return writeFileAtomic(file, mission_detail::emitYaml(doc));
    });
}

} // namespace atmo
