// A package's tiers in the seed's names, its mission's hardware requirements,
// and the device tier picked by them: packages of older stations (bare tier
// numbers) still verify and install; the installer and `atmosphere package
// import/verify` pick the highest tier the machine meets, say why in tier
// names, and `--tier` still overrides. Requirements are set impossibly high
// or trivially low, so the machine running the test decides nothing.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "core/package/installer.h"
#include "core/package/minisign.h"
#include "test_main.h"
#include "verify_fixture.h"

using namespace atmo;
using namespace vfix;
using testutil::RawEntry;

namespace {

// A policy no machine meets above tier 1, so a tier above 1 can only come
// from the package's requirements.
TierPolicy tierOneOnly()
{
    TierPolicy p;
    p.rules.push_back(TierRule{1, 0, 0, false, 0});
    p.rules.push_back(TierRule{2, 1ull << 60, 0, false, 0});
    return p;
}

// A policy every machine meets up to tier 2.
TierPolicy tierTwoForAll()
{
    TierPolicy p;
    p.rules.push_back(TierRule{1, 0, 0, false, 0});
    p.rules.push_back(TierRule{2, 0, 0, false, 0});
    return p;
}

constexpr const char* kImpossible = "  requirements:\n    tier_1: {gpu: optional}\n    tier_2: {min_ram_gb: 1000000}\n";
constexpr const char* kTrivial = "  requirements:\n    tier_1: {min_ram_gb: 0.001}\n    tier_2: {min_ram_gb: 0.002}\n";

QJsonObject json(const testutil::CliRun& r)
{
    return QJsonDocument::fromJson(r.out.trimmed().toUtf8()).object();
}

} // namespace

class TstPackageRequirements : public QObject {
    Q_OBJECT
    Fixture fx;
    fs::path pkg_;

    // pkg_ with its manifest edited and re-signed by the trusted mesh key.
    fs::path resigned(const fs::path& source, const std::function<void(std::string&)>& editManifest)
    {
        return vfix::resigned(fx, source.empty() ? pkg_ : source, editManifest, [](std::vector<RawEntry>& es) {
            // custody.jsonl names the original manifest's hash; drop it.
            es.erase(std::remove_if(es.begin(), es.end(), [](const RawEntry& e) { return e.path == kCustodyName; }),
                     es.end());
        });
    }

    fs::path withRequirements(const char* requirements, const fs::path& source = {})
    {
        return resigned(source, [&](std::string& yaml) { replaceAll(yaml, "\ncontents:\n", std::string("\n") + requirements + "contents:\n"); });
    }

    // A copy of `file` without the given content entries, nor their lines in
    // checksums.sha256 (as if they had never been exported).
    fs::path withoutEntries(const fs::path& file, const std::vector<std::string>& paths)
    {
        return fx.craft(file, [&](std::vector<RawEntry>& es) {
            es.erase(std::remove_if(es.begin(), es.end(),
                                    [&](const RawEntry& e) {
                                        return std::find(paths.begin(), paths.end(), e.path) != paths.end();
                                    }),
                     es.end());
            for (const auto& path : paths)
                dropChecksumLine(es, path);
        });
    }

    InstallResult install(const fs::path& file, std::optional<int> tier, const TierPolicy& policy)
    {
        InstallOptions o;
        o.root = fx.sb->path() / "device";
        o.trust = fx.trust.get();
        o.tier = tier;
        o.policy = policy;
        o.freeSpace = atmo::fixedFreeSpace(1ull << 40);
        return installPackage(file, o, nullptr, CancelToken());
    }

    testutil::CliRun cli(const QStringList& args) { return testutil::runCli(args, fx.sb->path() / "home"); }
    QString p(const fs::path& path) const { return QString::fromStdString(path.string()); }

private slots:
    void init()
    {
        fx.setUp();
        pkg_ = fx.build();
    }
    void cleanup() { fx.tearDown(); }

    void writesTierNames()
    {
        const VerifyReport r = fx.verify(pkg_);
        QVERIFY2(r.ok, r.reason.c_str());
        const auto entries = testutil::readTarEntries(pkg_);
        const std::string manifest = entries.front().data;
        QVERIFY2(manifest.find("  tiers: [tier_1, tier_2]\n") != std::string::npos, manifest.c_str());
        QVERIFY2(manifest.find("    tier_1: ") != std::string::npos, manifest.c_str());
        QVERIFY2(manifest.find("      tiers: [tier_2]\n") != std::string::npos, manifest.c_str());
    }

    // What stations before the tier names signed must still verify and install.
    void olderNumericManifestVerifiesAndInstalls()
    {
        const fs::path old = resigned({}, [](std::string& yaml) { replaceAll(yaml, "tier_", ""); });
        const std::string manifest = testutil::readTarEntries(old).front().data;
        QVERIFY2(manifest.find("  tiers: [1, 2]\n") != std::string::npos, manifest.c_str());
        QVERIFY2(manifest.find("\n    2: ") != std::string::npos, manifest.c_str());
        const VerifyReport r = fx.verify(old, 2);
        QVERIFY2(r.ok, r.reason.c_str());
        QCOMPARE(r.manifest->tiers, (std::vector<int>{1, 2}));
        const InstallResult ir = install(old, std::nullopt, tierTwoForAll());
        QVERIFY2(ir.installed.has_value(), ir.report.reason.c_str());
        QCOMPARE(ir.installed->tier, 2);
        QVERIFY(fs::exists(fx.sb->path() / "device/production-inspection/current" / kLarge));
    }

    void installerPicksTheTierByRequirements()
    {
        // Requirements the machine meets for tier_2 beat a policy that would say tier 1.
        InstallResult ir = install(withRequirements(kTrivial), std::nullopt, tierOneOnly());
        QVERIFY2(ir.installed.has_value(), ir.report.reason.c_str());
        QCOMPARE(ir.installed->tier, 2);
        QCOMPARE(ir.tier.tier, 2);
        QVERIFY2(ir.tier.reason.rfind("tier_2: ", 0) == 0 && ir.tier.reason.find(" GiB RAM >= 0.002 GB") != std::string::npos,
                 ir.tier.reason.c_str());
        QVERIFY(fs::exists(fx.sb->path() / "device/production-inspection/current" / kLarge));
    }

    void installerRequirementsBeatAGenerousPolicy()
    {
        const InstallResult ir = install(withRequirements(kImpossible), std::nullopt, tierTwoForAll());
        QVERIFY2(ir.installed.has_value(), ir.report.reason.c_str());
        QCOMPARE(ir.installed->tier, 1);
        QVERIFY2(ir.tier.reason.rfind("tier_1: no requirements; tier_2 needs 1000000 GB RAM; ", 0) == 0,
                 ir.tier.reason.c_str());
        QVERIFY(!fs::exists(fx.sb->path() / "device/production-inspection/current" / kLarge));
        QVERIFY2(QString::fromStdString(ir.installed->history.back()).endsWith(" (tier_1)"),
                 ir.installed->history.back().c_str());
    }

    void operatorTierOverridesRequirements()
    {
        const InstallResult ir = install(withRequirements(kImpossible), 2, tierOneOnly());
        QVERIFY2(ir.installed.has_value(), ir.report.reason.c_str());
        QCOMPARE(ir.installed->tier, 2);
        QCOMPARE(ir.tier.reason, std::string("tier_2: chosen by the operator"));
    }

    void cliShowsTierNamesAndTheReason()
    {
        const fs::path file = withRequirements(kImpossible);
        auto r = cli({"package", "verify", p(file), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QJsonObject o = json(r);
        QCOMPARE(o["package"].toObject()["tiers"].toArray(), (QJsonArray{"tier_1", "tier_2"}));
        QVERIFY(o["package"].toObject()["size_by_tier"].toObject().contains("tier_2"));
        QCOMPARE(o["package"].toObject()["requirements"].toObject()["tier_2"].toObject()["min_ram_gb"].toDouble(), 1e6);
        QCOMPARE(o["complete_tiers"].toArray(), (QJsonArray{"tier_1", "tier_2"}));
        QCOMPARE(o["device_tier"].toString(), QString("tier_1"));
        QVERIFY2(o["tier_reason"].toString().contains("tier_2 needs 1000000 GB RAM; "), qPrintable(r.out));
        bool sawLarge = false;
        for (const auto& f : o["files"].toArray())
            if (f.toObject()["path"].toString() == QString::fromStdString(kLarge)) {
                QCOMPARE(f.toObject()["tiers"].toArray(), QJsonArray{"tier_2"});
                sawLarge = true;
            }
        QVERIFY(sawLarge);

        r = cli({"package", "verify", p(file)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("  tiers      tier_1: "), qPrintable(r.out));
        QVERIFY2(r.out.contains("  requires   tier_1: nothing; tier_2: 1000000 GB RAM\n"), qPrintable(r.out));
        QVERIFY2(r.out.contains("  device     tier_1: no requirements; tier_2 needs 1000000 GB RAM; "), qPrintable(r.out));

        r = cli({"package", "import", p(file), "--root", p(fx.sb->path() / "device"), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        o = json(r);
        QCOMPARE(o["device_tier"].toString(), QString("tier_1"));
        QCOMPARE(o["tier"].toString(), QString("tier_1"));
        QCOMPARE(o["installed"].toObject()["tier"].toString(), QString("tier_1"));
        QVERIFY2(o["tier_reason"].toString().startsWith("tier_1: no requirements; tier_2 needs 1000000 GB RAM; "),
                 qPrintable(r.out));
        QVERIFY(!fs::exists(fx.sb->path() / "device/production-inspection/current" / kLarge));

        // --tier overrides the requirements (a re-install of the same version needs consent).
        r = cli({"package", "import", p(file), "--root", p(fx.sb->path() / "device2"), "--tier", "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("  device     tier_2: chosen by the operator"), qPrintable(r.out));
        QVERIFY(fs::exists(fx.sb->path() / "device2/production-inspection/current" / kLarge));

        r = cli({"package", "list", "--root", p(fx.sb->path() / "device"), "--json"});
        QCOMPARE(json(r)["packages"].toArray().at(0).toObject()["tier"].toString(), QString("tier_1"));
    }

    // The seed's USB flow: a tier_1 export imported where the package's own
    // requirements make the device tier_2. Refused (the device's tier decides
    // what is required), but said as a tier mismatch with the device's tier,
    // why, and what to do; not as damage.
    void tierOneExportOnATierTwoDevice()
    {
        // What `package export --tier tier_1` writes: only tier_1's files.
        const fs::path file = withRequirements(kTrivial, fx.build(1));
        QVERIFY(fx.verify(file, 1).ok);

        InstallResult ir = install(file, std::nullopt, tierOneOnly());
        QVERIFY(!ir.report.ok);
        QVERIFY(!ir.installed);
        QCOMPARE(ir.tier.tier, 2);
        QVERIFY(ir.report.tierMismatch);
        const QString reason = QString::fromStdString(ir.report.reason);
        QVERIFY2(reason.startsWith("this archive is a tier_1 export: it carries only tier_1's files, not " +
                                   QString::fromStdString(kLarge) + " that tier_2 needs; this device is tier_2 ("),
                 qPrintable(reason));
        QVERIFY2(reason.contains(" GiB RAM >= 0.002 GB"), qPrintable(reason));
        QVERIFY2(reason.endsWith("): use the full package or a tier_2 export, or install it as tier_1 with --tier tier_1"),
                 qPrintable(reason));
        QVERIFY2(!reason.contains("missing") && !reason.contains("damaged"), qPrintable(reason));
        QVERIFY(!fs::exists(fx.sb->path() / "device/production-inspection"));

        auto r = cli({"package", "import", p(file), "--root", p(fx.sb->path() / "device")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("DO NOT INSTALL: this archive is a tier_1 export: "), qPrintable(r.out));
        QVERIFY2(r.out.contains("\n  device     tier_2: "), qPrintable(r.out));
        QVERIFY2(r.out.contains(", 1 needed for tier_2 not in this export"), qPrintable(r.out));
        QVERIFY2(!r.out.contains("MISSING"), qPrintable(r.out));
        QVERIFY2(r.err.contains("or install it as tier_1 with --tier tier_1"), qPrintable(r.err));
        QVERIFY(!fs::exists(fx.sb->path() / "device/production-inspection"));

        r = cli({"package", "import", p(file), "--root", p(fx.sb->path() / "device"), "--tier", "tier_1"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("  device     tier_1: chosen by the operator"), qPrintable(r.out));
        QVERIFY(fs::exists(fx.sb->path() / "device/production-inspection/current" / kSmall));
    }

    // A tier_1 export that lost one of its own tier_1 files is damaged, and says so.
    void tierOneExportMissingItsOwnFileIsMissing()
    {
        const fs::path file = withoutEntries(withRequirements(kTrivial, fx.build(1)), {kSmall});
        for (std::optional<int> tier : {std::optional<int>(), std::optional<int>(1)}) {
            const InstallResult ir = install(file, tier, tierOneOnly());
            QVERIFY(!ir.installed);
            QVERIFY(!ir.report.tierMismatch);
            const QString reason = QString::fromStdString(ir.report.reason);
            QVERIFY2(reason.contains(" is missing (needed for tier_"), qPrintable(reason));
            QVERIFY2(!reason.contains("export"), qPrintable(reason));
        }
        const auto r = cli({"package", "import", p(file), "--root", p(fx.sb->path() / "device")});
        QCOMPARE(r.exitCode, 4); // bad data: the export is damaged, unlike a tier mismatch (exit 1)
        QVERIFY2(r.out.contains("MISSING"), qPrintable(r.out));
        QVERIFY2(r.out.contains(QString::fromStdString(kSmall) + ": " + QString::fromStdString(kSmall) + " is missing (needed for tier_2)"),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains("\n  device     tier_2: "), qPrintable(r.out));
        QVERIFY(!fs::exists(fx.sb->path() / "device/production-inspection"));
    }
};

ATMO_TEST_GUILESS_MAIN(TstPackageRequirements)
#include "tst_package_requirements.moc"
