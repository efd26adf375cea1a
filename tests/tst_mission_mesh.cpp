// Missions in the mesh's own form (PROTOCOL.md "Mission config"): the seed's
// example mission (tests/data/seed-mission) scans to the files, tiers,
// versions and requirements it declares; every way a declaration and the
// files can disagree is a problem naming both; values the station would
// misread are refused; a save writes the same form back; and the seed's
// mission builds into a package that verifies and installs, unversioned
// tools/core_tools.yaml and models/llama3-8b-inspection.gguf included.
#include <QtTest>

#include <algorithm>

#include <yaml-cpp/yaml.h>

#include "core/package/installer.h"
#include "core/package/mission.h"
#include "core/package/package_verifier.h"
#include "core/package/package_writer.h"
#include "core/package/trust_store.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

// A copy of the seed's mission to change and write into.
fs::path copySeed(const fs::path& to)
{
    const fs::path seed = fs::path(qEnvironmentVariable("ATMO_SOURCE_DIR").toStdString()) / "tests/data/seed-mission";
    if (!fs::exists(seed / "config/mission.yaml"))
        qFatal("no seed mission at %s (ATMO_SOURCE_DIR)", seed.c_str());
    fs::copy(seed, to, fs::copy_options::recursive);
    return to;
}

const MissionFile* findFile(const Mission& m, const std::string& path)
{
    for (const auto& f : m.files)
        if (f.entry.path == path)
            return &f;
    return nullptr;
}

std::string problemList(const Mission& m)
{
    std::string s;
    for (const auto& p : m.problems)
        s += p.path + ": " + p.message + "\n";
    return s;
}

// The problem at path whose message starts with start.
bool hasProblem(const Mission& m, const std::string& path, const std::string& start)
{
    return std::any_of(m.problems.begin(), m.problems.end(), [&](const MissionProblem& p) {
        return p.path == path && p.message.rfind(start, 0) == 0;
    });
}

void replaceIn(const fs::path& file, const std::string& from, const std::string& to)
{
    std::string text = testutil::readFile(file);
    const auto at = text.find(from);
    if (at == std::string::npos)
        qFatal("\"%s\" not in %s", from.c_str(), file.c_str());
    text.replace(at, from.size(), to);
    testutil::writeFile(file, text);
}

// hardware_tiers.<tier>.models of a saved mission.yaml, as "id@version".
std::vector<std::string> modelsOf(const fs::path& dir, const std::string& tier)
{
    const YAML::Node doc = YAML::LoadFile((dir / "config/mission.yaml").string());
    std::vector<std::string> out;
    for (const auto& e : doc["mission"]["hardware_tiers"][tier]["models"])
        out.push_back(e["id"].Scalar() + "@" + e["version"].Scalar());
    return out;
}

} // namespace

class TstMissionMesh : public QObject {
    Q_OBJECT

private slots:
    void seedMissionScans()
    {
        testutil::Sandbox sb;
        const fs::path dir = copySeed(sb / "production-inspection");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QVERIFY2(m->problems.empty(), problemList(*m).c_str());
        QCOMPARE(m->format, MissionFormat::Mesh);
        QCOMPARE(m->id, std::string("production-inspection"));
        QCOMPARE(m->name, std::string("Production Line Inspection"));
        QCOMPARE(m->tiers, (std::vector<int>{1, 2, 3}));

        QCOMPARE(m->requirements.size(), std::size_t(3));
        QCOMPARE(m->requirements.at(1), (TierRequirements{4.0, false, std::nullopt}));
        QCOMPARE(m->requirements.at(2), (TierRequirements{8.0, true, 4.0}));
        QCOMPARE(m->requirements.at(3), (TierRequirements{32.0, true, 16.0}));

        QCOMPARE(m->files.size(), std::size_t(12));
        struct Expect {
            std::string path, id, version;
            std::vector<int> tiers;
        };
        const Expect models[] = {
            {"models/isolation-forest-line-1.0.pkl", "isolation-forest-line", "1.0", {1, 2, 3}},
            {"models/llama3-8b-inspection.gguf", "llama3-8b-inspection", "1.0", {3}},
            {"models/tinyyolo-defects-1.3.onnx", "tinyyolo-defects", "1.3", {1, 2, 3}},
            {"models/yolov8s-defects-2.1.tensorrt", "yolov8s-defects", "2.1", {2, 3}},
        };
        for (const auto& e : models) {
            const auto* f = findFile(*m, e.path);
            QVERIFY2(f, e.path.c_str());
            QCOMPARE(f->entry.kind, ContentKind::Model);
            QCOMPARE(f->entry.id, e.id);
            QCOMPARE(f->entry.version, e.version);
            QCOMPARE(f->entry.tiers, e.tiers);
            QVERIFY(f->declared);
        }
        const auto* llama = findFile(*m, "models/llama3-8b-inspection.gguf");
        QCOMPARE(llama->declared->format, std::string("gguf"));
        QCOMPARE(llama->declared->quantization, std::string("Q4_K_M"));
        QCOMPARE(llama->declared->sizeMb, std::optional<double>(4500));
        QCOMPARE(llama->declared->roles, (std::map<int, std::string>{{3, "reasoning"}}));
        QCOMPARE(findFile(*m, "models/tinyyolo-defects-1.3.onnx")->declared->roles,
                 (std::map<int, std::string>{{1, "defect_detection"}, {2, "fast_screening"}, {3, "fast_screening"}}));

        const Expect refs[] = {
            {"agents/anomaly_agent-1.0.yaml", "anomaly_agent", "1.0", {}},
            {"agents/learning_agent-1.1.yaml", "learning_agent", "1.1", {}},
            {"agents/vision_agent-1.2.yaml", "vision_agent", "1.2", {}},
            {"tools/core_tools.yaml", "core_tools", "", {}},
        };
        for (const auto& e : refs) {
            const auto* f = findFile(*m, e.path);
            QVERIFY2(f, e.path.c_str());
            QCOMPARE(f->entry.id, e.id);
            QCOMPARE(f->entry.version, e.version);
        }
        QCOMPARE(findFile(*m, "tools/core_tools.yaml")->entry.kind, ContentKind::Tool);
        QCOMPARE(findFile(*m, "knowledge/defect-catalog.chunks.jsonl")->entry.domain, std::string("defect-catalog"));
        QVERIFY(findFile(*m, "knowledge/sop-inspection.chunks.jsonl"));
        QVERIFY(findFile(*m, "config/mission.yaml"));
        QVERIFY(findFile(*m, "config/llamafarm.yaml"));
        // tier_3 carries every file; tier_1 neither yolov8s (22000 bytes) nor llama3 (45000).
        std::uint64_t all = 0;
        for (const auto& f : m->files)
            all += f.entry.size;
        QCOMPARE(m->sizeForTier(3), all);
        QCOMPARE(m->sizeForTier(2), all - 45000);
        QCOMPARE(m->sizeForTier(1), all - 45000 - 22000);
    }

    void versionsComeFromTheMission()
    {
        // Agent files without a version in their name take the mission's.
        testutil::Sandbox sb;
        const fs::path dir = copySeed(sb / "m");
        fs::rename(dir / "agents/vision_agent-1.2.yaml", dir / "agents/vision_agent.yaml");
        fs::rename(dir / "tools/core_tools.yaml", dir / "tools/core_tools-0.9.yaml");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QVERIFY2(m->problems.empty(), problemList(*m).c_str());
        QCOMPARE(findFile(*m, "agents/vision_agent.yaml")->entry.version, std::string("1.2"));
        // A tool the mission names without a version: the file name's, if any.
        QCOMPARE(findFile(*m, "tools/core_tools-0.9.yaml")->entry.version, std::string("0.9"));
    }

    void disagreementsAreProblems()
    {
        testutil::Sandbox sb;
        const std::string mission = "config/mission.yaml";
        struct Case {
            const char* name;
            std::function<void(const fs::path&)> change;
            std::string path, start; // the problem expected
            std::string gone;        // a file no longer in the mission's files
        };
        const Case cases[] = {
            {"declared model without its file",
             [](const fs::path& d) { fs::remove(d / "models/llama3-8b-inspection.gguf"); }, mission,
             "llama3-8b-inspection@1.0 (tier_3): no file in models/", ""},
            {"model file no tier declares",
             [](const fs::path& d) { testutil::writeFile(d / "models/extra-2.0.onnx", "weights"); },
             "models/extra-2.0.onnx", "no tier of the mission lists this model", "models/extra-2.0.onnx"},
            {"model file in another version",
             [](const fs::path& d) { testutil::writeFile(d / "models/tinyyolo-defects-1.2.onnx", "old"); },
             "models/tinyyolo-defects-1.2.onnx",
             "no tier of the mission lists this model; the mission has tinyyolo-defects@1.3 (tier_1, tier_2, tier_3)",
             "models/tinyyolo-defects-1.2.onnx"},
            {"two files for one model",
             [](const fs::path& d) { testutil::writeFile(d / "models/tinyyolo-defects.onnx", "twin"); }, mission,
             "tinyyolo-defects@1.3 (tier_1, tier_2, tier_3): more than one file could be it: "
             "models/tinyyolo-defects-1.3.onnx and models/tinyyolo-defects.onnx",
             "models/tinyyolo-defects-1.3.onnx"},
            {"missing agent", [](const fs::path& d) { fs::remove(d / "agents/learning_agent-1.1.yaml"); }, mission,
             "learning_agent@1.1 (tier_2, tier_3): no file in agents/", ""},
            {"agent no tier lists",
             [](const fs::path& d) { testutil::writeFile(d / "agents/spare_agent-1.0.yaml", "name: spare\n"); },
             "agents/spare_agent-1.0.yaml", "no tier of the mission lists this agent", "agents/spare_agent-1.0.yaml"},
            {"missing tool", [](const fs::path& d) { fs::remove(d / "tools/core_tools.yaml"); }, mission,
             "core_tools (tier_1, tier_2, tier_3): no file in tools/", ""},
            {"missing knowledge",
             [](const fs::path& d) { fs::remove(d / "knowledge/sop-inspection.chunks.jsonl"); }, mission,
             "knowledge domain sop-inspection: no file in knowledge/ (expected knowledge/sop-inspection.chunks.jsonl)",
             ""},
            {"knowledge nobody declares",
             [](const fs::path& d) { testutil::writeFile(d / "knowledge/extra.chunks.jsonl", "{}\n"); },
             "knowledge/extra.chunks.jsonl", "the mission's knowledge list does not name extra",
             "knowledge/extra.chunks.jsonl"},
        };
        int n = 0;
        for (const auto& c : cases) {
            const fs::path dir = copySeed(sb / std::to_string(++n));
            c.change(dir);
            auto m = scanMission(dir);
            QVERIFY2(m, m ? "" : m.message().c_str());
            QVERIFY2(hasProblem(*m, c.path, c.start), (std::string(c.name) + ":\n" + problemList(*m)).c_str());
            QVERIFY2(m->problems.size() == 1, (std::string(c.name) + ":\n" + problemList(*m)).c_str());
            if (!c.gone.empty())
                QVERIFY2(!findFile(*m, c.gone), c.name);
        }
    }

    void misreadValuesAreRefused()
    {
        testutil::Sandbox sb;
        const fs::path dir = copySeed(sb / "m");
        const fs::path file = dir / "config/mission.yaml";
        const std::string seed = testutil::readFile(file);
        const std::pair<std::string, std::string> cases[][2] = {
            {{"    tier_3:\n", "    edge:\n"}, {"hardware_tiers has \"edge\", not a tier name like tier_1", ""}},
            {{"    tier_3:\n", "    tier_0:\n"}, {"hardware_tiers has \"tier_0\", not a tier name like tier_1", ""}},
            {{"    tier_3:\n", "    \"1\":\n"}, {"hardware_tiers has tier_1 twice (as \"1\")", ""}},
            {{"        gpu: required\n        vram_gb: 4\n", "        gpu: yes\n        vram_gb: 4\n"},
             {"hardware_tiers.tier_2.requirements.gpu is \"yes\"; expected required or optional", ""}},
            {{"        min_ram_gb: 4\n", "        min_ram_gb: lots\n"},
             {"hardware_tiers.tier_1.requirements.min_ram_gb is \"lots\"; expected a number of gigabytes, 0 or more",
              ""}},
            {{"        min_ram_gb: 4\n", "        min_ram_gb: -4\n"},
             {"hardware_tiers.tier_1.requirements.min_ram_gb is \"-4\"", ""}},
            {{"        vram_gb: 16\n", "        vram_gb: 16\n        cpu_cores: 8\n"},
             {"hardware_tiers.tier_3.requirements.cpu_cores is not a requirement the station knows", ""}},
            {{"          version: \"2.1\"\n", "          revision: \"2.1\"\n"},
             {"hardware_tiers.tier_2.models[1].version is missing", ""}},
            {{"        - vision_agent@1.2\n        - anomaly_agent@1.0\n      tools",
              "        - vision_agent@latest\n        - anomaly_agent@1.0\n      tools"},
             {"hardware_tiers.tier_1.agents[0] \"vision_agent@latest\": \"latest\" is not a version", ""}},
            {{"  id: production-inspection\n", "  id: Production Inspection\n"}, {"id \"Production Inspection\"", ""}},
            {{"  hardware_tiers:\n", "  tiers:\n"}, {"hardware_tiers is missing", ""}},
            {{"        gpu: required\n        vram_gb: 4\n", "        gpu: optional\n        vram_gb: 4\n"},
             {"hardware_tiers.tier_2.requirements.vram_gb needs a GPU, but gpu is optional", ""}},
            {{"      - sop-search\n", "      - sop-search\nknowledge:\n  - domain: extra\n"},
             {"knowledge is given both under mission: and beside it", ""}},
        };
        for (const auto& c : cases) {
            testutil::writeFile(file, seed);
            replaceIn(file, c[0].first, c[0].second);
            auto m = scanMission(dir);
            QVERIFY2(!m, c[0].second.c_str());
            const std::string expected = file.string() + ": " + c[1].first;
            QVERIFY2(m.message().rfind(expected, 0) == 0, (m.message() + "\n  expected: " + expected).c_str());
        }
        // Neither gpu: optional nor a missing vram_gb is a problem, nor is null.
        testutil::writeFile(file, seed);
        replaceIn(file, "        gpu: required\n        vram_gb: 4\n", "        gpu: optional\n        vram_gb:\n");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QCOMPARE(m->requirements.at(2), (TierRequirements{8.0, false, std::nullopt}));
    }

    void saveKeepsTheMeshForm()
    {
        testutil::Sandbox sb;
        const fs::path dir = copySeed(sb / "m");
        const fs::path file = dir / "config/mission.yaml";
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());

        // Unchanged: the same mission, every key kept, versions still quoted.
        QVERIFY(saveMissionYaml(*m).ok());
        auto again = scanMission(dir);
        QVERIFY2(again, again ? "" : again.message().c_str());
        QVERIFY2(again->problems.empty(), problemList(*again).c_str());
        QCOMPARE(again->format, MissionFormat::Mesh);
        QCOMPARE(again->tiers, m->tiers);
        QCOMPARE(again->requirements, m->requirements);
        QCOMPARE(again->files.size(), m->files.size());
        for (std::size_t i = 0; i < m->files.size(); ++i) {
            QCOMPARE(again->files[i].entry.path, m->files[i].entry.path);
            QCOMPARE(again->files[i].entry.tiers, m->files[i].entry.tiers);
        }
        const std::string text = testutil::readFile(file);
        QVERIFY2(text.find("version: \"1.3\"") != std::string::npos, text.c_str());
        YAML::Node doc = YAML::LoadFile(file.string());
        QVERIFY(!doc["id"]); // not turned into the station's form
        QCOMPARE(doc["mission"]["config"]["escalation"]["on_low_confidence"].Scalar(), std::string("tier_3"));
        QCOMPARE(doc["mission"]["llamafarm"]["rag_strategies"].size(), std::size_t(2));
        QCOMPARE(doc["mission"]["knowledge"][1]["priority"].Scalar(), std::string("medium"));
        QCOMPARE(doc["mission"]["hardware_tiers"]["tier_2"]["requirements"]["vram_gb"].Scalar(), std::string("4"));

        // llama3 into tier_2 as well, yolov8s out of it, and a renamed mission.
        Mission changed = *again;
        changed.name = "Line 3: inspection";
        for (auto& f : changed.files) {
            if (f.entry.id == "llama3-8b-inspection")
                f.entry.tiers = {2, 3};
            if (f.entry.id == "yolov8s-defects")
                f.entry.tiers = {3};
        }
        QVERIFY(saveMissionYaml(changed).ok());
        QCOMPARE(modelsOf(dir, "tier_1"),
                 (std::vector<std::string>{"tinyyolo-defects@1.3", "isolation-forest-line@1.0"}));
        QCOMPARE(modelsOf(dir, "tier_2"), (std::vector<std::string>{"tinyyolo-defects@1.3", "isolation-forest-line@1.0",
                                                                    "llama3-8b-inspection@1.0"}));
        QCOMPARE(modelsOf(dir, "tier_3"), (std::vector<std::string>{"tinyyolo-defects@1.3", "yolov8s-defects@2.1",
                                                                    "isolation-forest-line@1.0",
                                                                    "llama3-8b-inspection@1.0"}));
        doc = YAML::LoadFile(file.string());
        const YAML::Node added = doc["mission"]["hardware_tiers"]["tier_2"]["models"][2];
        QCOMPARE(added["quantization"].Scalar(), std::string("Q4_K_M")); // copied from tier_3's entry
        QCOMPARE(added["format"].Scalar(), std::string("gguf"));
        QVERIFY(!added["role"]); // tier_3's role is not tier_2's
        QCOMPARE(doc["mission"]["name"].Scalar(), std::string("Line 3: inspection"));
        QCOMPARE(doc["mission"]["hardware_tiers"]["tier_2"]["agents"].size(), std::size_t(3));
        auto third = scanMission(dir);
        QVERIFY2(third, third ? "" : third.message().c_str());
        QVERIFY2(third->problems.empty(), problemList(*third).c_str());
        QCOMPARE(findFile(*third, "models/llama3-8b-inspection.gguf")->entry.tiers, (std::vector<int>{2, 3}));
        QCOMPARE(findFile(*third, "models/yolov8s-defects-2.1.tensorrt")->entry.tiers, std::vector<int>{3});
        QCOMPARE(third->name, std::string("Line 3: inspection"));

        // A tier more (the wizard's tiers field): an empty tier_4; a tier less: gone.
        Mission tiers = *third;
        tiers.tiers = {1, 2, 3, 4};
        QVERIFY(saveMissionYaml(tiers).ok());
        auto fourth = scanMission(dir);
        QVERIFY2(fourth, fourth ? "" : fourth.message().c_str());
        QCOMPARE(fourth->tiers, (std::vector<int>{1, 2, 3, 4}));
        QVERIFY(modelsOf(dir, "tier_4").empty());
        tiers.tiers = {2, 3};
        QVERIFY(saveMissionYaml(tiers).ok());
        doc = YAML::LoadFile(file.string());
        QVERIFY(!doc["mission"]["hardware_tiers"]["tier_1"]);
        QVERIFY(!doc["mission"]["hardware_tiers"]["tier_4"]);
        auto fifth = scanMission(dir);
        QVERIFY2(fifth, fifth ? "" : fifth.message().c_str());
        QCOMPARE(fifth->tiers, (std::vector<int>{2, 3}));
        QVERIFY2(fifth->problems.empty(), problemList(*fifth).c_str());
    }

    // A tier may list a model twice: when the model leaves that tier, both
    // entries go (else it scans back in the tier).
    void modelListedTwiceInATier()
    {
        testutil::Sandbox sb;
        const fs::path dir = copySeed(sb / "m");
        replaceIn(dir / "config/mission.yaml",
                  "      agents:\n        - vision_agent@1.2\n        - anomaly_agent@1.0\n      tools",
                  "        - id: yolov8s-defects\n          version: \"2.1\"\n        - id: yolov8s-defects\n"
                  "          version: \"2.1\"\n"
                  "      agents:\n        - vision_agent@1.2\n        - anomaly_agent@1.0\n      tools");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QVERIFY2(m->problems.empty(), problemList(*m).c_str());
        QCOMPARE(findFile(*m, "models/yolov8s-defects-2.1.tensorrt")->entry.tiers, (std::vector<int>{1, 2, 3}));
        for (auto& f : m->files)
            if (f.entry.id == "yolov8s-defects")
                f.entry.tiers = {2, 3};
        QVERIFY(saveMissionYaml(*m).ok());
        QCOMPARE(modelsOf(dir, "tier_1"),
                 (std::vector<std::string>{"tinyyolo-defects@1.3", "isolation-forest-line@1.0"}));
        auto again = scanMission(dir);
        QVERIFY2(again, again ? "" : again.message().c_str());
        QCOMPARE(findFile(*again, "models/yolov8s-defects-2.1.tensorrt")->entry.tiers, (std::vector<int>{2, 3}));
    }

    // A tool named with and without its version in different tiers is one tool.
    void toolNamedWithAndWithoutVersion()
    {
        testutil::Sandbox sb;
        const fs::path dir = copySeed(sb / "m");
        replaceIn(dir / "config/mission.yaml", "      tools:\n        - core_tools\n",
                  "      tools:\n        - core_tools@0.9\n");
        fs::rename(dir / "tools/core_tools.yaml", dir / "tools/core_tools-0.9.yaml");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QVERIFY2(m->problems.empty(), problemList(*m).c_str());
        QCOMPARE(findFile(*m, "tools/core_tools-0.9.yaml")->entry.version, std::string("0.9"));
    }

    // Found by fuzz_mission: saving a mission with a tier that lists no
    // models failed ("invalid node"), yaml-cpp throwing on the lookup.
    void tiersWithoutModels()
    {
        testutil::Sandbox sb;
        const fs::path dir = copySeed(sb / "m");
        const fs::path file = dir / "config/mission.yaml";
        replaceIn(file, "  hardware_tiers:\n",
                  "  hardware_tiers:\n    tier_4:\n      requirements: {min_ram_gb: 64}\n    tier_5:\n");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        // tier_5 states nothing: every device would meet it (see below).
        QCOMPARE(m->problems.size(), std::size_t(1));
        QVERIFY2(hasProblem(*m, "config/mission.yaml", "hardware_tiers.tier_5 states no requirements"),
                 problemList(*m).c_str());
        QCOMPARE(m->tiers, (std::vector<int>{1, 2, 3, 4, 5}));
        QCOMPARE(m->requirements.at(4), (TierRequirements{64.0, false, std::nullopt}));
        QVERIFY2(saveMissionYaml(*m).ok(), saveMissionYaml(*m).message().c_str());
        for (auto& f : m->files)
            if (f.entry.id == "llama3-8b-inspection")
                f.entry.tiers = {3, 4};
        const auto saved = saveMissionYaml(*m);
        QVERIFY2(saved.ok(), saved.ok() ? "" : saved.message().c_str());
        QCOMPARE(modelsOf(dir, "tier_4"), std::vector<std::string>{"llama3-8b-inspection@1.0"});
        QVERIFY(YAML::LoadFile(file.string())["mission"]["hardware_tiers"]["tier_5"].IsNull());
        auto again = scanMission(dir);
        QVERIFY2(again, again ? "" : again.message().c_str());
        QCOMPARE(findFile(*again, "models/llama3-8b-inspection.gguf")->entry.tiers, (std::vector<int>{3, 4}));
    }

    // A device belongs to the highest tier whose requirements it meets: a
    // tier above others that states none (forgotten, or `{}`) would take
    // every device and install none of the models below it.
    void tierStatingNoRequirementsIsAProblem()
    {
        testutil::Sandbox sb;
        const fs::path dir = copySeed(sb / "m");
        const fs::path file = dir / "config/mission.yaml";
        const std::string seed = testutil::readFile(file);
        replaceIn(file, "  hardware_tiers:\n", "  hardware_tiers:\n    tier_4: {}\n");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QVERIFY2(hasProblem(*m, "config/mission.yaml",
                            "hardware_tiers.tier_4 states no requirements, so every device would meet it and skip "
                            "tier_3"),
                 problemList(*m).c_str());

        // The same for a tier whose requirements block was left out.
        testutil::writeFile(file, seed);
        replaceIn(file, "      requirements:\n        min_ram_gb: 8\n        gpu: required\n        vram_gb: 4\n", "");
        m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QVERIFY2(hasProblem(*m, "config/mission.yaml", "hardware_tiers.tier_2 states no requirements"),
                 problemList(*m).c_str());

        // The lowest tier may state none (every device meets it anyway), and
        // so may every tier: then the station's own thresholds decide.
        testutil::writeFile(file, seed);
        replaceIn(file, "      requirements:\n        min_ram_gb: 4\n        gpu: optional\n", "");
        m = scanMission(dir);
        QVERIFY2(m && m->problems.empty(), m ? problemList(*m).c_str() : m.message().c_str());
    }

    // PROTOCOL.md puts knowledge "beside" hardware_tiers; beside `mission:`
    // at the top of the file is read the same way.
    void knowledgeBesideTheMission()
    {
        testutil::Sandbox sb;
        const fs::path dir = copySeed(sb / "m");
        const fs::path file = dir / "config/mission.yaml";
        std::string text = testutil::readFile(file);
        const auto from = text.find("  knowledge:\n"), to = text.find("  llamafarm:\n");
        QVERIFY(from != std::string::npos && to != std::string::npos && from < to);
        std::string block = text.substr(from, to - from);
        text.erase(from, to - from);
        std::string unindented;
        std::size_t pos = 0;
        while (pos < block.size()) { // one level out
            const auto nl = block.find('\n', pos);
            const std::string line = block.substr(pos, nl - pos);
            unindented += (line.rfind("  ", 0) == 0 ? line.substr(2) : line) + "\n";
            pos = nl + 1;
        }
        testutil::writeFile(file, text + unindented);
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QVERIFY2(m->problems.empty(), problemList(*m).c_str());
        QVERIFY(findFile(*m, "knowledge/defect-catalog.chunks.jsonl"));
        QVERIFY(findFile(*m, "knowledge/sop-inspection.chunks.jsonl"));
    }

    // The seed's mission as a package: unversioned tools/core_tools.yaml and
    // models/llama3-8b-inspection.gguf go in, mission.yaml travels
    // unchanged, and the package verifies and installs on every tier.
    void seedMissionBuildsVerifiesAndInstalls()
    {
        testutil::Sandbox sb;
        const fs::path dir = copySeed(sb / "production-inspection");
        const SecretKey mesh = testutil::makeKey();
        testutil::trustKey(sb / "home", mesh, TrustRole::Mesh);
        CreateOptions o;
        o.missionDir = dir;
        o.version = "1.3";
        o.outputDir = sb / "out";
        o.meshKey = mesh;
        o.stationName = "training-server-01";
        auto created = createPackage(o, nullptr, {});
        QVERIFY2(created, created ? "" : created.message().c_str());
        QCOMPARE(created->file.filename().string(), std::string("production-inspection-v1.3.atmo"));

        TrustStore trust(sb / "home/trust");
        VerifyOptions vo;
        vo.trust = &trust;
        const VerifyReport report = verifyPackage(created->file, vo, nullptr, {});
        QVERIFY2(report.ok, report.reason.c_str());
        const Manifest& m = *report.manifest;
        QCOMPARE(m.tiers, (std::vector<int>{1, 2, 3}));
        const ContentFile* tools = m.find("tools/core_tools.yaml");
        QVERIFY(tools);
        QCOMPARE(tools->id, std::string("core_tools"));
        QVERIFY(tools->version.empty());
        const ContentFile* llama = m.find("models/llama3-8b-inspection.gguf");
        QVERIFY(llama);
        QCOMPARE(llama->version, std::string("1.0"));
        QCOMPARE(llama->tiers, std::vector<int>{3});
        QVERIFY(m.find("config/mission.yaml"));
        QCOMPARE(m.find("agents/vision_agent-1.2.yaml")->version, std::string("1.2"));

        for (int tier : {1, 3}) {
            InstallOptions io;
            io.root = sb / ("installed-" + std::to_string(tier));
            io.trust = &trust;
            io.tier = tier;
            const InstallResult r = installPackage(created->file, io, nullptr, {});
            QVERIFY2(r.report.ok, r.report.reason.c_str());
            QVERIFY(r.installed);
            const fs::path root = r.installed->dir;
            QVERIFY(fs::exists(root / "tools/core_tools.yaml"));
            QCOMPARE(fs::exists(root / "models/llama3-8b-inspection.gguf"), tier == 3);
            QCOMPARE(testutil::readFile(root / "config/mission.yaml"),
                     testutil::readFile(dir / "config/mission.yaml"));
        }
    }
};

ATMO_TEST_GUILESS_MAIN(TstMissionMesh)
#include "tst_mission_mesh.moc"
