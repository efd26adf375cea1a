// The manifest model: deterministic YAML that round-trips byte for byte,
// strict validation whose messages name the field and the reason, dotted
// version comparison, and the safe relative path rule every entry obeys.
#include <QtTest>

#include <map>
#include <string>

#include "core/package/manifest.h"
#include "core/package/package_writer.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

ContentFile file(ContentKind kind, const std::string& path, std::uint64_t size, char hashDigit)
{
    ContentFile f;
    f.kind = kind;
    f.path = path;
    f.size = size;
    f.sha256 = std::string(64, hashDigit);
    return f;
}

// A valid manifest with one file of every kind and two models.
Manifest sampleManifest()
{
    Manifest m;
    m.id = "production-inspection";
    m.name = "Production inspection";
    m.version = "1.3";
    m.created = "2026-01-01T00:00:00Z";
    m.createdBy = "station-a";
    m.tiers = {1, 2};

    auto config = file(ContentKind::Config, "config/mission.yaml", 10, 'a');
    config.id = "mission";
    auto small = file(ContentKind::Model, "models/tinyyolo-defects-1.3.onnx", 300, 'b');
    small.id = "tinyyolo-defects";
    small.version = "1.3";
    small.tiers = {1, 2};
    auto large = file(ContentKind::Model, "models/llama-edge-2.0.gguf", 700, 'c');
    large.id = "llama-edge";
    large.version = "2.0";
    large.tiers = {2};
    auto agent = file(ContentKind::Agent, "agents/inspector-1.0.yaml", 20, 'd');
    agent.id = "inspector";
    agent.version = "1.0";
    auto tool = file(ContentKind::Tool, "tools/camera-0.4.yaml", 30, 'e');
    tool.id = "camera";
    tool.version = "0.4";
    auto knowledge = file(ContentKind::Knowledge, "knowledge/defects.chunks.jsonl", 40, 'f');
    knowledge.domain = "defects";
    knowledge.chunks = 3;
    m.files = {config, small, large, agent, tool, knowledge};
    m.recomputeSizes();
    m.signatures.push_back({kRoleMesh, "0123456789ABCDEF", kMeshSignatureName});
    m.signatures.push_back({kRoleFounder, "FEDCBA9876543210", kFounderSignatureName});
    return m;
}

// Replaces the first occurrence of `from`; fails the test if it is absent.
std::string edit(std::string yaml, const std::string& from, const std::string& to)
{
    const auto pos = yaml.find(from);
    if (pos == std::string::npos)
        qFatal("test bug: \"%s\" is not in the sample manifest", from.c_str());
    return yaml.replace(pos, from.size(), to);
}

} // namespace

class TstManifest : public QObject {
    Q_OBJECT

private:
    // Parses yaml, expects a rejection whose message contains every needle.
    void expectRejected(const std::string& yaml, const QStringList& needles)
    {
        auto parsed = Manifest::parse(yaml);
        QVERIFY2(!parsed, "a bad manifest was accepted");
        const QString msg = QString::fromStdString(parsed.message());
        QVERIFY2(msg.startsWith("manifest.yaml"), qPrintable("message does not name the file: " + msg));
        for (const auto& n : needles)
            QVERIFY2(msg.contains(n), qPrintable("\"" + n + "\" not in: " + msg));
    }

private slots:
    void roundTripIsByteIdentical()
    {
        const Manifest m = sampleManifest();
        const std::string yaml = m.toYaml();
        auto parsed = Manifest::parse(yaml);
        QVERIFY2(parsed, parsed ? "" : parsed.message().c_str());
        QCOMPARE(parsed->toYaml(), yaml);
        QCOMPARE(parsed->id, m.id);
        QCOMPARE(parsed->version, m.version);
        QCOMPARE(parsed->tiers, m.tiers);
        QCOMPARE(parsed->files.size(), m.files.size());
        QCOMPARE(parsed->sizeByTier, m.sizeByTier);
        QCOMPARE(parsed->sizeForTier(1), std::uint64_t(10 + 300 + 20 + 30 + 40));
        QCOMPARE(parsed->sizeForTier(2), std::uint64_t(10 + 300 + 700 + 20 + 30 + 40));
        const ContentFile* large = parsed->find("models/llama-edge-2.0.gguf");
        QVERIFY(large);
        QCOMPARE(large->tiers, std::vector<int>{2});
        QVERIFY(!large->inTier(1));
        QVERIFY(parsed->find("knowledge/defects.chunks.jsonl")->inTier(1));
        QCOMPARE(parsed->find("knowledge/defects.chunks.jsonl")->chunks, std::uint64_t(3));
        QCOMPARE(parsed->signature(kRoleFounder)->keyId, std::string("FEDCBA9876543210"));
        // Serialising twice gives the same bytes (it is what gets signed).
        QCOMPARE(m.toYaml(), yaml);
    }

    void roundTripAwkwardText()
    {
        // Text that YAML would otherwise read as something else must survive.
        Manifest m = sampleManifest();
        m.name = "Inspection: \"line 3\" # night shift, ü, 1.10, ~, true, null";
        m.createdBy = "~";
        m.version = "1.10";
        m.files[0].id = "yes";
        m.files[3].version = "1.0";
        const std::string yaml = m.toYaml();
        auto parsed = Manifest::parse(yaml);
        QVERIFY2(parsed, parsed ? "" : parsed.message().c_str());
        QCOMPARE(parsed->name, m.name);
        QCOMPARE(parsed->createdBy, m.createdBy);
        QCOMPARE(parsed->version, std::string("1.10"));
        QCOMPARE(parsed->files[0].id, std::string("yes"));
        QCOMPARE(parsed->toYaml(), yaml);
    }

    // The seed's tools/core_tools.yaml has no version: an agent or tool may
    // leave it out (never written empty); a model may not.
    void unversionedAgentAndTool()
    {
        Manifest m = sampleManifest();
        m.files[3].version.clear();
        m.files[4].version.clear();
        const std::string yaml = m.toYaml();
        QVERIFY2(yaml.find("version: \"\"") == std::string::npos, yaml.c_str());
        auto parsed = Manifest::parse(yaml);
        QVERIFY2(parsed, parsed ? "" : parsed.message().c_str());
        QVERIFY(parsed->files[3].version.empty());
        QVERIFY(parsed->files[4].version.empty());
        QCOMPARE(parsed->toYaml(), yaml);

        const std::string full = sampleManifest().toYaml();
        expectRejected(edit(full, "\"1.3\"\n      path: \"models/tiny", "\"\"\n      path: \"models/tiny"),
                       {"contents.models[0].version", "is not a version"});
        expectRejected(edit(full, "      version: \"1.3\"\n      path: \"models/tiny", "      path: \"models/tiny"),
                       {"contents.models[0].version", "missing"});
        expectRejected(edit(full, "\"0.4\"", "\"\""), {"contents.tools[0].version", "is not a version"});
    }

    void roundTripOfARealPackageManifest()
    {
        testutil::Sandbox sb;
        CreateOptions o;
        o.missionDir = testutil::makeMission(sb / "mission");
        o.version = "1.3";
        o.meshKey = testutil::makeKey();
        auto built = buildManifest(o, nullptr, CancelToken());
        QVERIFY2(built, built ? "" : built.message().c_str());
        const std::string yaml = built->toYaml();
        auto parsed = Manifest::parse(yaml);
        QVERIFY2(parsed, parsed ? "" : parsed.message().c_str());
        QCOMPARE(parsed->toYaml(), yaml);
        QCOMPARE(parsed->files.size(), std::size_t(7));
    }

    void missingPackageVersion()
    {
        expectRejected(edit(sampleManifest().toYaml(), "\n  version: \"1.3\"\n", "\n"),
                       {"package.version", "missing"});
    }

    void unknownKeys()
    {
        const std::string yaml = sampleManifest().toYaml();
        expectRejected(edit(yaml, "\n  tiers: [tier_1, tier_2]\n", "\n  tiers: [tier_1, tier_2]\n  colour: blue\n"),
                       {"package.colour", "not a known field"});
        expectRejected(yaml + "extra: 1\n", {"extra", "not a known field"});
        expectRejected(edit(yaml, "      size: 700\n", "      size: 700\n      url: http://x\n"),
                       {"contents.models[1].url", "not a known field"});
        expectRejected(edit(yaml, "signatures:\n", "signatures:\n  station:\n    key_id: \"X\"\n"),
                       {"signatures.station", "not a known field"});
    }

    void badHashes()
    {
        const std::string yaml = sampleManifest().toYaml();
        const std::string b64 = std::string(64, 'b');
        expectRejected(edit(yaml, "sha256:" + b64, "sha256:" + std::string(63, 'b')),
                       {"contents.models[0].hash", "64 lowercase hex"});
        expectRejected(edit(yaml, "sha256:" + b64, "sha256:" + std::string(64, 'B')),
                       {"contents.models[0].hash", "64 lowercase hex"});
        expectRejected(edit(yaml, "sha256:" + b64, "sha256:" + std::string(63, 'b') + "g"),
                       {"contents.models[0].hash", "64 lowercase hex"});
        expectRejected(edit(yaml, "sha256:" + b64, "md5:" + b64), {"contents.models[0].hash", "sha256:"});
        expectRejected(edit(yaml, "      hash: sha256:" + b64 + "\n", "\n"), {"contents.models[0].hash", "missing"});
    }

    void pathOutsideItsSection()
    {
        const std::string yaml = sampleManifest().toYaml();
        expectRejected(edit(yaml, "\"models/llama-edge-2.0.gguf\"", "\"config/llama-edge-2.0.gguf\""),
                       {"contents.models[1].path", "inside models/"});
        expectRejected(edit(yaml, "\"models/llama-edge-2.0.gguf\"", "\"models/\""),
                       {"contents.models[1].path"});
        expectRejected(edit(yaml, "\"models/llama-edge-2.0.gguf\"", "\"llama-edge-2.0.gguf\""),
                       {"contents.models[1].path", "inside models/"});
        expectRejected(edit(yaml, "\"models/llama-edge-2.0.gguf\"", "\"models/../../evil\""),
                       {"contents.models[1].path", "not a safe relative path"});
        expectRejected(edit(yaml, "\"models/llama-edge-2.0.gguf\"", "\"/etc/passwd\""),
                       {"contents.models[1].path", "not a safe relative path"});
        expectRejected(edit(yaml, "\"tools/camera-0.4.yaml\"", "\"toolsx/camera-0.4.yaml\""),
                       {"contents.tools[0].path", "inside tools/"});
    }

    void duplicatePath()
    {
        const std::string yaml = sampleManifest().toYaml();
        expectRejected(edit(yaml, "\"models/llama-edge-2.0.gguf\"", "\"models/tinyyolo-defects-1.3.onnx\""),
                       {"contents.models[1].path", "listed twice"});
    }

    void duplicateKeys()
    {
        // yaml-cpp keeps the first of two equal keys, most other YAML readers
        // the last: a manifest with both would say different things to this
        // station and to `python -c yaml.safe_load` after `tar -xf`. Strict
        // validation must refuse it.
        const std::string yaml = sampleManifest().toYaml();
        expectRejected(edit(yaml, "\n  version: \"1.3\"\n", "\n  version: \"1.3\"\n  version: \"9.9\"\n"),
                       {"package.version"});
        expectRejected(edit(yaml, "      size: 700\n", "      size: 700\n      size: 1\n"),
                       {"contents.models[1].size"});
    }

    void sizeByTierMismatch()
    {
        const std::string yaml = sampleManifest().toYaml();
        expectRejected(edit(yaml, "    tier_1: 400\n", "    tier_1: 401\n"), {"package.size_by_tier.tier_1", "400"});
        expectRejected(edit(yaml, "    tier_1: 400\n", ""), {"package.size_by_tier", "tier_1"});
        expectRejected(edit(yaml, "    tier_2: 1100\n", "    tier_2: 1100\n    tier_3: 5\n"), {"package.size_by_tier"});
        // The declared size of a file counts: change it and the tier sums disagree.
        expectRejected(edit(yaml, "      size: 700\n", "      size: 701\n"), {"package.size_by_tier.tier_2"});
        // The old and the new spelling of one tier are one key.
        expectRejected(edit(yaml, "    tier_2: 1100\n", "    tier_2: 1100\n    2: 1100\n"),
                       {"package.size_by_tier.2", "second time"});
    }

    void sizeByTierKeyOutOfRange()
    {
        // 4294967298 is not tier 2, even if it is 2 modulo 2^32.
        const std::string yaml = sampleManifest().toYaml();
        expectRejected(edit(yaml, "    tier_2: 1100\n", "    4294967298: 1100\n"), {"package.size_by_tier"});
        expectRejected(edit(yaml, "    tier_2: 1100\n", "    tier_2: 1100\n    0: 0\n"), {"package.size_by_tier"});
        expectRejected(edit(yaml, "    tier_2: 1100\n", "    tier_2: 1100\n    tier_0: 0\n"), {"package.size_by_tier"});
    }

    void modelTierNotInPackage()
    {
        const std::string yaml = sampleManifest().toYaml();
        expectRejected(edit(yaml, "      tiers: [tier_2]\n", "      tiers: [tier_3]\n"),
                       {"contents.models[1].tiers", "tier_3"});
        expectRejected(edit(yaml, "      tiers: [tier_2]\n", "      tiers: [0]\n"), {"contents.models[1].tiers"});
        expectRejected(edit(yaml, "      tiers: [tier_2]\n", "      tiers: [Tier_2]\n"), {"contents.models[1].tiers"});
        expectRejected(edit(yaml, "  tiers: [tier_1, tier_2]\n", "  tiers: []\n"), {"package.tiers"});
        expectRejected(edit(yaml, "  tiers: [tier_1, tier_2]\n", "  tiers: [tier_1, 1]\n"), {"package.tiers", "twice"});
    }

    // The seed's spelling is what the station writes.
    void writesTierNames()
    {
        const std::string yaml = sampleManifest().toYaml();
        QVERIFY2(yaml.find("\n  tiers: [tier_1, tier_2]\n") != std::string::npos, yaml.c_str());
        QVERIFY2(yaml.find("\n  size_by_tier:\n    tier_1: 400\n    tier_2: 1100\n") != std::string::npos, yaml.c_str());
        QVERIFY2(yaml.find("\n      tiers: [tier_2]\n") != std::string::npos, yaml.c_str());
        QVERIFY2(yaml.find("requirements") == std::string::npos, yaml.c_str()); // only when there are any
    }

    // Packages signed by stations before the tier names carry bare numbers;
    // the signature is over those bytes, so they must parse as written.
    void olderNumericTiersParse()
    {
        const std::string legacy = R"(format: "1"
package:
  id: production-inspection
  name: "Production inspection"
  version: "1.3"
  created: "2026-01-01T00:00:00Z"
  created_by: "station-a"
  tiers: [1, 2]
  size_by_tier:
    1: 400
    2: 1100
contents:
  config:
    - id: "mission"
      path: "config/mission.yaml"
      size: 10
      hash: sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
  models:
    - id: "tinyyolo-defects"
      version: "1.3"
      path: "models/tinyyolo-defects-1.3.onnx"
      size: 300
      tiers: [1, 2]
      hash: sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
    - id: "llama-edge"
      version: "2.0"
      path: "models/llama-edge-2.0.gguf"
      size: 700
      tiers: [2]
      hash: sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
  agents:
    - id: "inspector"
      version: "1.0"
      path: "agents/inspector-1.0.yaml"
      size: 20
      hash: sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  tools:
    - id: "camera"
      version: "0.4"
      path: "tools/camera-0.4.yaml"
      size: 30
      hash: sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee
  knowledge:
    - domain: "defects"
      path: "knowledge/defects.chunks.jsonl"
      size: 40
      chunks: 3
      hash: sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
signatures:
  mesh_authority:
    key_id: "0123456789ABCDEF"
    file: manifest.yaml.minisig
  founder:
    key_id: "FEDCBA9876543210"
    file: manifest.yaml.founder.minisig
)";
        auto parsed = Manifest::parse(legacy);
        QVERIFY2(parsed, parsed ? "" : parsed.message().c_str());
        QCOMPARE(parsed->tiers, (std::vector<int>{1, 2}));
        QCOMPARE(parsed->sizeByTier, (std::map<int, std::uint64_t>{{1, 400}, {2, 1100}}));
        QCOMPARE(parsed->find("models/llama-edge-2.0.gguf")->tiers, std::vector<int>{2});
        QVERIFY(parsed->requirements.empty());
        // The same manifest, written today, differs only in the names.
        std::string named = sampleManifest().toYaml();
        for (auto at = named.find("tier_"); at != std::string::npos; at = named.find("tier_", at))
            named.erase(at, 5);
        QCOMPARE(named, legacy);
    }

    void requirementsRoundTrip()
    {
        Manifest m = sampleManifest();
        m.requirements[1] = TierRequirements{4.0, false, std::nullopt};
        m.requirements[2] = TierRequirements{7.5, true, 0.25};
        const std::string yaml = m.toYaml();
        QVERIFY2(yaml.find("\n  requirements:\n"
                           "    tier_1: {min_ram_gb: 4, gpu: optional}\n"
                           "    tier_2: {min_ram_gb: 7.5, gpu: required, vram_gb: 0.25}\n"
                           "contents:\n") != std::string::npos,
                 yaml.c_str());
        auto parsed = Manifest::parse(yaml);
        QVERIFY2(parsed, parsed ? "" : parsed.message().c_str());
        QCOMPARE(parsed->requirements, m.requirements);
        QCOMPARE(parsed->toYaml(), yaml);

        // As a mission writes it, block style, gpu optional or absent.
        const std::string block = edit(sampleManifest().toYaml(), "contents:\n",
                                       "  requirements:\n    tier_2:\n      gpu: required\n      vram_gb: 4\n"
                                       "    tier_1:\n      min_ram_gb: 1024\ncontents:\n");
        auto fromBlock = Manifest::parse(block);
        QVERIFY2(fromBlock, fromBlock ? "" : fromBlock.message().c_str());
        QCOMPARE(fromBlock->requirements.size(), std::size_t(2));
        QCOMPARE(fromBlock->requirements.at(1), (TierRequirements{1024.0, false, std::nullopt}));
        QCOMPARE(fromBlock->requirements.at(2), (TierRequirements{std::nullopt, true, 4.0}));
    }

    void requirementsBadValues_data()
    {
        QTest::addColumn<QString>("requirements");
        QTest::addColumn<QStringList>("needles");
        auto row = [](const char* name, const char* text, QStringList needles) {
            QTest::newRow(name) << QString(text) << needles;
        };
        row("not a mapping", "[tier_1]", {"package.requirements", "mapping"});
        row("tier not in package", "{tier_3: {min_ram_gb: 4}}", {"package.requirements.tier_3", "package.tiers lacks"});
        row("not a tier", "{gpu: {min_ram_gb: 4}}", {"package.requirements.gpu", "not a tier"});
        row("tier twice", "{tier_1: {min_ram_gb: 4}, 1: {min_ram_gb: 2}}", {"package.requirements.1", "second time"});
        row("unknown field", "{tier_1: {min_cpu: 4}}", {"package.requirements.tier_1.min_cpu", "not a known field"});
        row("gpu word", "{tier_1: {gpu: yes}}", {"package.requirements.tier_1.gpu", "required or optional"});
        row("gpu bool", "{tier_1: {gpu: true}}", {"package.requirements.tier_1.gpu", "required or optional"});
        row("negative ram", "{tier_1: {min_ram_gb: -4}}", {"package.requirements.tier_1.min_ram_gb", "0 or more"});
        row("text ram", "{tier_1: {min_ram_gb: lots}}", {"package.requirements.tier_1.min_ram_gb", "number"});
        row("ram with unit", "{tier_1: {min_ram_gb: 8GB}}", {"package.requirements.tier_1.min_ram_gb"});
        row("nan vram", "{tier_2: {vram_gb: .nan}}", {"package.requirements.tier_2.vram_gb"});
        row("inf vram", "{tier_2: {vram_gb: inf}}", {"package.requirements.tier_2.vram_gb"});
        row("exponent", "{tier_2: {vram_gb: 1e3}}", {"package.requirements.tier_2.vram_gb"});
        row("huge", "{tier_2: {vram_gb: 99999999999}}", {"package.requirements.tier_2.vram_gb"});
        row("list value", "{tier_2: {vram_gb: [4]}}", {"package.requirements.tier_2.vram_gb"});
        row("field twice", "{tier_2: {vram_gb: 4, vram_gb: 8}}", {"package.requirements.tier_2.vram_gb", "twice"});
        row("tier not a mapping", "{tier_2: required}", {"package.requirements.tier_2", "mapping"});
    }
    void requirementsBadValues()
    {
        QFETCH(QString, requirements);
        QFETCH(QStringList, needles);
        expectRejected(edit(sampleManifest().toYaml(), "contents:\n",
                            "  requirements: " + requirements.toStdString() + "\ncontents:\n"),
                       needles);
    }

    void missingMeshAuthority()
    {
        Manifest m = sampleManifest();
        m.signatures.erase(m.signatures.begin()); // founder only
        expectRejected(m.toYaml(), {"signatures.mesh_authority", "missing"});
        Manifest none = sampleManifest();
        none.signatures.clear();
        expectRejected(none.toYaml(), {"signatures.mesh_authority"});
        expectRejected(edit(sampleManifest().toYaml(), "file: manifest.yaml.minisig", "file: other.minisig"),
                       {"signatures.mesh_authority.file", "manifest.yaml.minisig"});
    }

    void otherStrictChecks()
    {
        const std::string yaml = sampleManifest().toYaml();
        expectRejected(edit(yaml, "format: \"1\"", "format: \"2\""), {"format", "not supported"});
        expectRejected(edit(yaml, "      size: 700\n", "      size: -700\n"), {"contents.models[1].size", "whole number"});
        expectRejected(edit(yaml, "      size: 700\n", "      size: 7e2\n"), {"contents.models[1].size", "whole number"});
        expectRejected(edit(yaml, "  id: production-inspection\n", "  id: Production Inspection\n"),
                       {"package.id", "not a valid package id"});
        expectRejected(edit(yaml, "\n  version: \"1.3\"\n", "\n  version: \"v1.3\"\n"),
                       {"package.version", "not a version"});
        expectRejected(edit(yaml, "version: \"2.0\"", "version: [2]"), {"contents.models[1].version", "text"});
        expectRejected("- just\n- a list\n", {"the document", "mapping"});
        expectRejected("package: [unclosed\n", {"not valid YAML"});
        expectRejected("", {});
    }

    void compareVersions_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("sign");
        QTest::newRow("1.10 > 1.9") << "1.10" << "1.9" << 1;
        QTest::newRow("1.9 < 1.10") << "1.9" << "1.10" << -1;
        QTest::newRow("1.3 == 1.3.0") << "1.3" << "1.3.0" << 0;
        QTest::newRow("1.3.0 == 1.3") << "1.3.0" << "1.3" << 0;
        QTest::newRow("2.0 > 1.99") << "2.0" << "1.99" << 1;
        QTest::newRow("1.99 < 2.0") << "1.99" << "2.0" << -1;
        QTest::newRow("equal") << "1.3" << "1.3" << 0;
        QTest::newRow("1.3.1 > 1.3") << "1.3.1" << "1.3" << 1;
        QTest::newRow("10.0 > 9.9") << "10.0" << "9.9" << 1;
        QTest::newRow("1.03 == 1.3") << "1.03" << "1.3" << 0;
        QTest::newRow("1.100 > 1.99") << "1.100" << "1.99" << 1;
        QTest::newRow("long numbers") << "1.12345678901234567890" << "1.12345678901234567891" << -1;
    }

    void compareVersions()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, sign);
        const int r = atmo::compareVersions(a.toStdString(), b.toStdString());
        QCOMPARE((r > 0) - (r < 0), sign);
    }

    void isSafeRelativePath_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("safe");
        QTest::newRow("plain") << QByteArray("models/a.onnx") << true;
        QTest::newRow("single name") << QByteArray("a") << true;
        QTest::newRow("dots in a name") << QByteArray("models/..a") << true;
        QTest::newRow("dotted name") << QByteArray("models/a..b") << true;
        QTest::newRow("empty") << QByteArray("") << false;
        QTest::newRow("absolute") << QByteArray("/etc/passwd") << false;
        QTest::newRow("root") << QByteArray("/") << false;
        QTest::newRow("parent") << QByteArray("../evil") << false;
        QTest::newRow("parent inside") << QByteArray("models/../../evil") << false;
        QTest::newRow("parent at end") << QByteArray("models/..") << false;
        QTest::newRow("just dotdot") << QByteArray("..") << false;
        QTest::newRow("dot") << QByteArray("./models/a") << false;
        QTest::newRow("dot inside") << QByteArray("models/./a") << false;
        QTest::newRow("double slash") << QByteArray("models//a") << false;
        QTest::newRow("trailing slash") << QByteArray("models/") << false;
        QTest::newRow("backslash") << QByteArray("models\\..\\evil") << false;
        QTest::newRow("nul") << QByteArray("models/a\0b", 10) << false;
        QTest::newRow("too long") << QByteArray(4097, 'a') << false;
        QTest::newRow("longest") << (QByteArray(255, 'a') + '/').repeated(16).chopped(1) << true; // 4095 bytes
        QTest::newRow("component of 255") << QByteArray("models/") + QByteArray(255, 'a') << true;
        QTest::newRow("component of 256") << QByteArray("models/") + QByteArray(256, 'a') << false;
        QTest::newRow("newline") << QByteArray("models/a\nb.onnx") << false;
        QTest::newRow("escape") << QByteArray("models/a\x1b[2Jb.onnx") << false;
        QTest::newRow("not utf-8") << QByteArray("models/caf\xe9.onnx") << false;
        QTest::newRow("utf-8") << QByteArray("models/caf\xc3\xa9.onnx") << true;
    }

    void isSafeRelativePath()
    {
        QFETCH(QByteArray, path);
        QFETCH(bool, safe);
        QCOMPARE(atmo::isSafeRelativePath(std::string_view(path.constData(), std::size_t(path.size()))), safe);
    }

    void namesAndVersions()
    {
        QCOMPARE(packageFileName("production-inspection", "1.3", std::nullopt),
                 std::string("production-inspection-v1.3.atmo"));
        QCOMPARE(packageFileName("production-inspection", "1.3", 1),
                 std::string("production-inspection-v1.3-tier1.atmo"));
        QVERIFY(isValidVersion("1.3"));
        QVERIFY(isValidVersion("2.0.1-rc1"));
        QVERIFY(!isValidVersion(""));
        QVERIFY(!isValidVersion("v1"));
        QVERIFY(!isValidVersion("1.3/../x"));
        QVERIFY(isValidPackageId("production-inspection"));
        QVERIFY(!isValidPackageId("Production"));
        QVERIFY(!isValidPackageId("-x"));
        QVERIFY(!isValidPackageId("a/b"));
        QVERIFY(!isValidPackageId(std::string(129, 'a')));
    }
};

ATMO_TEST_GUILESS_MAIN(TstManifest)
#include "tst_manifest.moc"
