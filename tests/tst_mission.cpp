// Mission source directories: what scanMission finds in a real mission, the
// problems it reports (each naming the file), file-name id/version splitting,
// and saveMissionYaml keeping keys it does not know.
#include <QtTest>

#include <algorithm>

#include <yaml-cpp/yaml.h>

#include "core/package/mission.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

const MissionFile* findFile(const Mission& m, const std::string& path)
{
    for (const auto& f : m.files)
        if (f.entry.path == path)
            return &f;
    return nullptr;
}

const MissionProblem* findProblem(const Mission& m, const std::string& path)
{
    for (const auto& p : m.problems)
        if (p.path == path)
            return &p;
    return nullptr;
}

std::string problemList(const Mission& m)
{
    std::string s;
    for (const auto& p : m.problems)
        s += p.path + ": " + p.message + "\n";
    return s;
}

} // namespace

class TstMission : public QObject {
    Q_OBJECT

private slots:
    void scanRealMission()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QVERIFY2(m->problems.empty(), problemList(*m).c_str());
        QCOMPARE(m->id, std::string("production-inspection"));
        QCOMPARE(m->name, std::string("Production inspection"));
        QCOMPARE(m->tiers, (std::vector<int>{1, 2}));
        QVERIFY(m->root.is_absolute());
        QCOMPARE(m->files.size(), std::size_t(7));

        const auto* small = findFile(*m, "models/tinyyolo-defects-1.3.onnx");
        QVERIFY(small);
        QCOMPARE(small->entry.kind, ContentKind::Model);
        QCOMPARE(small->entry.id, std::string("tinyyolo-defects"));
        QCOMPARE(small->entry.version, std::string("1.3"));
        QCOMPARE(small->entry.tiers, (std::vector<int>{1, 2}));
        QCOMPARE(small->entry.size, std::uint64_t(300 * 1024));
        QVERIFY(small->source.is_absolute());
        QVERIFY(fs::exists(small->source));

        const auto* large = findFile(*m, "models/llama-edge-2.0.gguf");
        QVERIFY(large);
        QCOMPARE(large->entry.id, std::string("llama-edge"));
        QCOMPARE(large->entry.version, std::string("2.0"));
        QCOMPARE(large->entry.tiers, std::vector<int>{2});
        QCOMPARE(large->entry.size, std::uint64_t(700 * 1024));

        const auto* agent = findFile(*m, "agents/inspector-1.0.yaml");
        QVERIFY(agent);
        QCOMPARE(agent->entry.kind, ContentKind::Agent);
        QCOMPARE(agent->entry.id, std::string("inspector"));
        QCOMPARE(agent->entry.version, std::string("1.0"));
        const auto* tool = findFile(*m, "tools/camera-0.4.yaml");
        QVERIFY(tool);
        QCOMPARE(tool->entry.kind, ContentKind::Tool);
        QCOMPARE(tool->entry.id, std::string("camera"));
        QCOMPARE(tool->entry.version, std::string("0.4"));

        const auto* knowledge = findFile(*m, "knowledge/defects.chunks.jsonl");
        QVERIFY(knowledge);
        QCOMPARE(knowledge->entry.kind, ContentKind::Knowledge);
        QCOMPARE(knowledge->entry.domain, std::string("defects"));
        QCOMPARE(knowledge->entry.chunks, std::uint64_t(3));

        QVERIFY(findFile(*m, "config/mission.yaml"));
        const auto* farm = findFile(*m, "config/llamafarm.yaml");
        QVERIFY(farm);
        QCOMPARE(farm->entry.id, std::string("llamafarm"));

        // Files come grouped by kind, in section order.
        for (std::size_t i = 1; i < m->files.size(); ++i)
            QVERIFY(int(m->files[i - 1].entry.kind) <= int(m->files[i].entry.kind));
        QCOMPARE(m->sizeForTier(1) + std::uint64_t(700 * 1024), m->sizeForTier(2));
    }

    void tiersDefaultAndHiddenFiles()
    {
        testutil::Sandbox sb;
        const fs::path dir = sb / "m";
        testutil::writeFile(dir / "config/mission.yaml", "id: bare\n");
        testutil::writeFile(dir / "models/a-1.0.onnx", "weights");
        testutil::writeFile(dir / "models/.a-1.0.onnx.swp", "editor junk");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QVERIFY2(m->problems.empty(), problemList(*m).c_str());
        QCOMPARE(m->name, std::string("bare"));
        QCOMPARE(m->tiers, std::vector<int>{1});
        QCOMPARE(m->files.size(), std::size_t(2));
        QVERIFY(findFile(*m, "models/a-1.0.onnx")->entry.tiers.empty()); // every tier
    }

    void missingMissionYaml()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        fs::remove(dir / "config/mission.yaml");
        auto m = scanMission(dir);
        QVERIFY(!m);
        QVERIFY2(m.message().find("config/mission.yaml") != std::string::npos, m.message().c_str());
        QVERIFY2(m.message().find("missing") != std::string::npos, m.message().c_str());

        auto none = scanMission(sb / "does-not-exist");
        QVERIFY(!none);
        QVERIFY2(none.message().find("does-not-exist") != std::string::npos, none.message().c_str());
    }

    void unparseableMissionYaml()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        testutil::writeFile(dir / "config/mission.yaml", "id: x\nmodels: [unclosed\n");
        auto m = scanMission(dir);
        QVERIFY(!m);
        QVERIFY2(m.message().find("config/mission.yaml") != std::string::npos, m.message().c_str());
        QVERIFY2(m.message().find("not valid YAML") != std::string::npos, m.message().c_str());

        for (const std::string& text : {std::string("- a\n- b\n"), std::string("name: no id\n"),
                                        std::string("id: Not Valid\n"), std::string("id: x\ntiers: [one]\n"),
                                        std::string("id: x\ntiers: [0]\n"), std::string("id: x\nmodels: [a]\n")}) {
            testutil::writeFile(dir / "config/mission.yaml", text);
            auto bad = scanMission(dir);
            QVERIFY2(!bad, text.c_str());
            QVERIFY2(bad.message().find("config/mission.yaml") != std::string::npos, bad.message().c_str());
        }
    }

    // Found by fuzz_mission: a name with a stray byte scanned, and the
    // wizard's save (saveMissionYaml) wrote it back as U+FFFD, so the mission
    // changed name by being saved; it would also have gone into a signed
    // manifest that cannot be recorded as installed.
    void nameMustBeUtf8()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        for (const std::string& name : {std::string("caf\xe9"), std::string("\xc0\xaf overlong"),
                                        std::string("cut \xe6\xa4"), std::string("\xed\xa0\x80 surrogate")}) {
            testutil::writeFile(dir / "config/mission.yaml", "id: line-3\nname: \"" + name + "\"\n");
            auto m = scanMission(dir);
            QVERIFY2(!m, name.c_str());
            QCOMPARE(m.message(), (dir / "config/mission.yaml").string() + ": not valid UTF-8 text");
        }
        // Anywhere in the file: a save rewrote a key of stray bytes as U+FFFD.
        testutil::writeFile(dir / "config/mission.yaml", "id: line-3\n\"n\xc3\xc3\xc3" "e\": 1\n");
        auto key = scanMission(dir);
        QVERIFY(!key);
        QCOMPARE(key.message(), (dir / "config/mission.yaml").string() + ": not valid UTF-8 text");
        // Found by fuzz_mission: yaml-cpp read "\0N" as the byte 0x85, and
        // the save wrote a file that was not UTF-8 any more.
        testutil::writeFile(dir / "config/mission.yaml", std::string("id: line-3\nname: a\0N b\n", 23));
        auto nul = scanMission(dir);
        QVERIFY(!nul);
        QCOMPARE(nul.message(), (dir / "config/mission.yaml").string() + ": not YAML text (a NUL byte at byte 18)");
        // Found by fuzz_mission: a name of carriage returns lost one on each
        // save (yaml-cpp). A name is one line of text, in either form.
        for (const std::string& text : {std::string("id: line-3\nname: \r\r\r\n"),
                                        std::string("id: line-3\nname: \"tab\\there\"\n"),
                                        std::string("mission:\n  id: line-3\n  name: \"two\\nlines\"\n"
                                                    "  hardware_tiers:\n    tier_1:\n")}) {
            testutil::writeFile(dir / "config/mission.yaml", text);
            auto cr = scanMission(dir);
            QVERIFY2(!cr, text.c_str());
            QCOMPARE(cr.message(), (dir / "config/mission.yaml").string() +
                                       ": name has a control character (a name is one line of text)");
        }
        // Any real UTF-8 name survives a save.
        const std::string name = "Caf\xc3\xa9 \xe6\xa4\x9c\xe6\x9f\xbb \xf0\x9f\x94\x8d line";
        testutil::writeFile(dir / "config/mission.yaml", "id: line-3\nname: \"" + name + "\"\n");
        auto m = scanMission(dir);
        QVERIFY2(m.ok(), m ? "" : m.message().c_str());
        QCOMPARE(m->name, name);
        QVERIFY(saveMissionYaml(*m).ok());
        auto again = scanMission(dir);
        QVERIFY2(again.ok(), again ? "" : again.message().c_str());
        QCOMPARE(again->name, name);
    }

    // Found by fuzz_mission: a key given twice scanned (yaml-cpp reads the
    // first, other YAML readers the last), and saving replaced or removed
    // only the first, so the saved mission no longer scanned; a key that is
    // not a name was saved as YAML that does not parse.
    void keysGivenTwiceOrNotNames()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        const std::string file = (dir / "config/mission.yaml").string();
        const std::pair<std::string, std::string> cases[] = {
            {"id: line-3\nname: a\nid: line-4\n", ": id is given twice"},
            {"id: line-3\nmodels: {}\ntiers: [1]\nmodels:\n  a-1.0.onnx: [2]\n", ": models is given twice"},
            {"id: line-3\nmodels:\n  a-1.0.onnx: {tiers: [1]}\n  a-1.0.onnx: {tiers: [2]}\n",
             ": models.a-1.0.onnx is given twice"},
            {"id: line-3\nextra:\n  - {a: 1, a: 2}\n", ": extra.a is given twice"},
            // Keys that are not names: yaml-cpp saved this one as YAML it
            // could not read back ("end of map not found").
            {"id: line-3\n: {}: [1, 2]\n", ": a key is not a plain name"},
            {"id: line-3\n[a]: 1\n", ": a key is not a plain name"},
            {"id: line-3\nextra:\n  {x: 1}: 2\n", ": extra has a key that is not a plain name"},
            // Escaped, this key passes YAML's 1024-character limit for a key
            // and was saved as "illegal map value".
            {"id: line-3\n" + std::string(300, '\x02') + ": 1\n", ": a key is not a plain name"},
            {"id: line-3\n" + std::string(257, 'k') + ": 1\n", ": a key is not a plain name"},
        };
        for (const auto& [text, reason] : cases) {
            testutil::writeFile(file, text);
            auto m = scanMission(dir);
            QVERIFY2(!m, text.c_str());
            QCOMPARE(m.message(), file + reason);
        }
    }

    void modelWithoutVersion()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        testutil::writeFile(dir / "models/mystery.onnx", "weights");
        testutil::writeFile(dir / "models/other-v2.onnx", "weights");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        for (const std::string path : {"models/mystery.onnx", "models/other-v2.onnx"}) {
            const auto* p = findProblem(*m, path);
            QVERIFY2(p, (path + " not reported; problems:\n" + problemList(*m)).c_str());
            QVERIFY2(p->message.find("no version") != std::string::npos, p->message.c_str());
            QVERIFY(!findFile(*m, path));
        }
        QVERIFY(findFile(*m, "models/tinyyolo-defects-1.3.onnx")); // the others are still there
    }

    void agentWithInvalidYaml()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        testutil::writeFile(dir / "agents/broken-1.0.yaml", "name: broken\ntools: [camera\n");
        testutil::writeFile(dir / "tools/notes-1.0.txt", "not yaml");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        const auto* p = findProblem(*m, "agents/broken-1.0.yaml");
        QVERIFY2(p, problemList(*m).c_str());
        QVERIFY2(p->message.find("not valid YAML") != std::string::npos, p->message.c_str());
        QVERIFY2(p->message.find("line") != std::string::npos, p->message.c_str());
        const auto* t = findProblem(*m, "tools/notes-1.0.txt");
        QVERIFY2(t, problemList(*m).c_str());
        QVERIFY(!findFile(*m, "agents/broken-1.0.yaml"));
    }

    void knowledgeWithNonJsonLine()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        testutil::writeFile(dir / "knowledge/bad.chunks.jsonl", "{\"id\": 1}\nthis is not json\n{\"id\": 3}\n");
        testutil::writeFile(dir / "knowledge/notes.txt", "{}\n");
        testutil::writeFile(dir / "knowledge/blank.chunks.jsonl", "{\"id\": 1}\n\n   \n{\"id\": 2}\n");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        const auto* p = findProblem(*m, "knowledge/bad.chunks.jsonl");
        QVERIFY2(p, problemList(*m).c_str());
        QVERIFY2(p->message.find("line 2") != std::string::npos, p->message.c_str());
        QVERIFY2(p->message.find("JSON") != std::string::npos, p->message.c_str());
        QVERIFY(findProblem(*m, "knowledge/notes.txt"));
        const auto* blank = findFile(*m, "knowledge/blank.chunks.jsonl");
        QVERIFY(blank);
        QCOMPARE(blank->entry.chunks, std::uint64_t(2)); // blank lines are not records
        QCOMPARE(blank->entry.domain, std::string("blank"));
    }

    void missionNamesAMissingModel()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        fs::remove(dir / "models/llama-edge-2.0.gguf");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        const auto* p = findProblem(*m, "config/mission.yaml");
        QVERIFY2(p, problemList(*m).c_str());
        QVERIFY2(p->message.find("llama-edge-2.0.gguf") != std::string::npos, p->message.c_str());
        QCOMPARE(p->missingModel, std::string("llama-edge-2.0.gguf"));

        // Dropping the entry: the problem goes, the other model stays.
        QVERIFY(removeDeclaredModel(dir, "llama-edge-2.0.gguf").ok());
        auto again = scanMission(dir);
        QVERIFY(again.ok());
        QVERIFY2(again->problems.empty(), problemList(*again).c_str());
        QVERIFY(again->modelTiers.count("tinyyolo-defects-1.3.onnx"));
        // Not declared (any more), or no mission.yaml: one line naming the file.
        auto twice = removeDeclaredModel(dir, "llama-edge-2.0.gguf");
        QVERIFY(!twice.ok());
        QVERIFY2(twice.message().find("mission.yaml: declares no model llama-edge-2.0.gguf") != std::string::npos,
                 twice.message().c_str());
        auto none = removeDeclaredModel(sb / "nowhere", "x.onnx");
        QVERIFY(!none.ok());
        QVERIFY2(none.message().find("nowhere/config/mission.yaml") != std::string::npos, none.message().c_str());
        // Other problems carry no model to fix.
        for (const auto& other : again->problems)
            QVERIFY(other.missingModel.empty());
    }

    void modelTierOutsideMissionTiers()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        testutil::writeFile(dir / "config/mission.yaml",
                            "id: production-inspection\ntiers: [1]\nmodels:\n  llama-edge-2.0.gguf:\n    tiers: [3]\n");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        const auto* p = findProblem(*m, "models/llama-edge-2.0.gguf");
        QVERIFY2(p, problemList(*m).c_str());
        QVERIFY2(p->message.find("tier_3") != std::string::npos, p->message.c_str());
    }

    // The station's form takes the seed's tier names as well as numbers,
    // says what a tier must look like, and saves tier names.
    void stationFormWithTierNames()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        const fs::path file = dir / "config/mission.yaml";
        testutil::writeFile(file, "id: line-3\ntiers: [tier_1, 2]\nmodels:\n"
                                  "  tinyyolo-defects-1.3.onnx:\n    tiers: [tier_1, tier_2]\n"
                                  "  llama-edge-2.0.gguf: {tiers: [\"tier_2\"]}\n");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QVERIFY2(m->problems.empty(), problemList(*m).c_str());
        QCOMPARE(m->format, MissionFormat::Station);
        QCOMPARE(m->tiers, (std::vector<int>{1, 2}));
        QCOMPARE(findFile(*m, "models/tinyyolo-defects-1.3.onnx")->entry.tiers, (std::vector<int>{1, 2}));
        QCOMPARE(findFile(*m, "models/llama-edge-2.0.gguf")->entry.tiers, std::vector<int>{2});

        QVERIFY(saveMissionYaml(*m).ok());
        const std::string saved = testutil::readFile(file);
        QVERIFY2(saved.find("tiers: [tier_1, tier_2]") != std::string::npos, saved.c_str());
        QVERIFY2(saved.find("tiers: [tier_2]") != std::string::npos, saved.c_str());
        QVERIFY2(saved.find("mission:") == std::string::npos, saved.c_str());
        auto again = scanMission(dir);
        QVERIFY2(again, again ? "" : again.message().c_str());
        QCOMPARE(again->format, MissionFormat::Station);
        QCOMPARE(again->tiers, m->tiers);
        QCOMPARE(again->modelTiers, m->modelTiers);

        const std::pair<std::string, std::string> bad[] = {
            {"id: x\ntiers: [tier_one]\n", "tiers has \"tier_one\", not a tier (tier_1 to tier_99, or 1 to 99)"},
            {"id: x\ntiers: [tier_100]\n", "tiers has \"tier_100\", not a tier (tier_1 to tier_99, or 1 to 99)"},
            {"id: x\nmodels:\n  a-1.0.onnx: {tiers: [gpu]}\n",
             "models.a-1.0.onnx.tiers has \"gpu\", not a tier (tier_1 to tier_99, or 1 to 99)"},
        };
        for (const auto& [text, reason] : bad) {
            testutil::writeFile(file, text);
            auto r = scanMission(dir);
            QVERIFY2(!r, text.c_str());
            QCOMPARE(r.message(), file.string() + ": " + reason);
        }
    }

    // The seed names its tools without a version (tools/core_tools.yaml);
    // agents and tools may, in the station's form too. Models may not.
    void unversionedAgentsAndTools()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        testutil::writeFile(dir / "tools/core_tools.yaml", "tools: []\n");
        testutil::writeFile(dir / "agents/watcher.yml", "name: watcher\n");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QVERIFY2(m->problems.empty(), problemList(*m).c_str());
        const auto* tool = findFile(*m, "tools/core_tools.yaml");
        QVERIFY(tool);
        QCOMPARE(tool->entry.id, std::string("core_tools"));
        QVERIFY(tool->entry.version.empty());
        QCOMPARE(findFile(*m, "agents/watcher.yml")->entry.id, std::string("watcher"));
        QCOMPARE(findFile(*m, "tools/camera-0.4.yaml")->entry.version, std::string("0.4"));
    }

    void splitIdVersion_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("version"); // empty: no split
        QTest::newRow("tinyyolo") << "tinyyolo-defects-1.3.onnx" << "tinyyolo-defects" << "1.3";
        QTest::newRow("llama-7b") << "llama-7b-2.0.gguf" << "llama-7b" << "2.0";
        QTest::newRow("agent") << "inspector-1.0.yaml" << "inspector" << "1.0";
        QTest::newRow("three parts") << "camera-0.4.1.yaml" << "camera" << "0.4.1";
        QTest::newRow("no extension") << "model-3" << "model" << "3";
        QTest::newRow("no version") << "mystery.onnx" << "" << "";
        QTest::newRow("v prefix") << "other-v2.onnx" << "" << "";
        QTest::newRow("leading dash") << "-1.0.onnx" << "" << "";
        QTest::newRow("empty") << "" << "" << "";
    }

    void splitIdVersion()
    {
        QFETCH(QString, name);
        QFETCH(QString, id);
        QFETCH(QString, version);
        auto r = atmo::splitIdVersion(name.toStdString());
        if (version.isEmpty()) {
            QVERIFY2(!r, r ? (r->first + " / " + r->second).c_str() : "");
            return;
        }
        QVERIFY(r);
        QCOMPARE(QString::fromStdString(r->first), id);
        QCOMPARE(QString::fromStdString(r->second), version);
    }

    void saveMissionYamlKeepsUnknownKeys()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        const fs::path file = dir / "config/mission.yaml";
        testutil::writeFile(file, testutil::readFile(file) +
                                      "operator: alice\nnotes:\n  shift: night\n  lines: [3, 4]\n");
        auto m = scanMission(dir);
        QVERIFY2(m, m ? "" : m.message().c_str());
        QVERIFY2(m->problems.empty(), problemList(*m).c_str());

        // Saving unchanged keeps everything, and scanning again gives the same mission.
        QVERIFY(saveMissionYaml(*m).ok());
        auto again = scanMission(dir);
        QVERIFY2(again, again ? "" : again.message().c_str());
        QCOMPARE(again->id, m->id);
        QCOMPARE(again->name, m->name);
        QCOMPARE(again->tiers, m->tiers);
        QCOMPARE(again->modelTiers, m->modelTiers);
        YAML::Node doc = YAML::LoadFile(file.string());
        QCOMPARE(doc["operator"].as<std::string>(), std::string("alice"));
        QCOMPARE(doc["notes"]["shift"].as<std::string>(), std::string("night"));
        QCOMPARE(doc["notes"]["lines"][1].as<int>(), 4);

        // A change is written, the unknown keys stay, and no temporary file is left.
        Mission changed = *again;
        changed.name = "Renamed: inspection";
        changed.tiers = {1, 2, 3};
        for (auto& f : changed.files)
            if (f.entry.path == "models/llama-edge-2.0.gguf")
                f.entry.tiers = {2, 3};
        QVERIFY(saveMissionYaml(changed).ok());
        auto third = scanMission(dir);
        QVERIFY2(third, third ? "" : third.message().c_str());
        QVERIFY2(third->problems.empty(), problemList(*third).c_str());
        QCOMPARE(third->name, std::string("Renamed: inspection"));
        QCOMPARE(third->tiers, (std::vector<int>{1, 2, 3}));
        QCOMPARE(findFile(*third, "models/llama-edge-2.0.gguf")->entry.tiers, (std::vector<int>{2, 3}));
        doc = YAML::LoadFile(file.string());
        QCOMPARE(doc["operator"].as<std::string>(), std::string("alice"));
        QCOMPARE(doc["notes"]["lines"].size(), std::size_t(2));
        for (const auto& e : fs::directory_iterator(dir / "config"))
            QVERIFY2(e.path().filename().string()[0] != '.', e.path().c_str());
    }

    void saveMissionYamlRefusesToClobberBrokenYaml()
    {
        testutil::Sandbox sb;
        const fs::path dir = testutil::makeMission(sb / "mission");
        auto m = scanMission(dir);
        QVERIFY(m);
        const fs::path file = dir / "config/mission.yaml";
        testutil::writeFile(file, "id: x\nnotes: [unclosed\n");
        auto st = saveMissionYaml(*m);
        QVERIFY(!st.ok());
        QVERIFY2(st.message().find("mission.yaml") != std::string::npos, st.message().c_str());
        QCOMPARE(testutil::readFile(file), std::string("id: x\nnotes: [unclosed\n"));
    }
};

ATMO_TEST_GUILESS_MAIN(TstMission)
#include "tst_mission.moc"
