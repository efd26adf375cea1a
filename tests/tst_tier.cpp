// Hardware tiers: detection sanity, the default thresholds, the reason text,
// and strict loading of <home>/tiers.yaml.
#include <QtTest>

#include "core/package/package_tier.h"
#include "core/package/tier.h"
#include "fake_sysfs.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

constexpr std::uint64_t GiB = 1024ull * 1024 * 1024;

HardwareInfo machine(double ramGib, unsigned cores, bool gpu, double diskGib = 100)
{
    HardwareInfo hw;
    hw.ramBytes = static_cast<std::uint64_t>(ramGib * static_cast<double>(GiB));
    hw.cores = cores;
    hw.gpu = gpu;
    hw.gpuName = gpu ? "NVIDIA (/dev/nvidia0)" : "";
    hw.diskFreeBytes = static_cast<std::uint64_t>(diskGib * static_cast<double>(GiB));
    return hw;
}

HardwareInfo withVram(HardwareInfo hw, double vramGib)
{
    hw.vramBytes = static_cast<std::uint64_t>(vramGib * static_cast<double>(GiB));
    return hw;
}

// The seed's example mission's hardware_tiers requirements.
const TierRequirementMap kSeed = {{1, {4.0, false, std::nullopt}}, {2, {8.0, true, 4.0}}, {3, {32.0, true, 16.0}}};
const std::vector<int> kSeedTiers = {1, 2, 3};

const TierRule* ruleFor(const TierPolicy& p, int tier)
{
    for (const auto& r : p.rules)
        if (r.tier == tier)
            return &r;
    return nullptr;
}

} // namespace

class TstTier : public QObject {
    Q_OBJECT

private slots:
    // The seed's names, and the bare numbers older packages and users write.
    void tierNames()
    {
        QCOMPARE(atmo::tierName(1), std::string("tier_1"));
        QCOMPARE(atmo::tierName(12), std::string("tier_12"));
        QCOMPARE(atmo::parseTierName("tier_1"), std::optional<int>(1));
        QCOMPARE(atmo::parseTierName("tier_99"), std::optional<int>(99));
        QCOMPARE(atmo::parseTierName("3"), std::optional<int>(3));
        for (const char* bad : {"", "tier_", "tier_0", "0", "100", "tier_100", "tier1", "Tier_1", "tier_01", "01",
                                "tier_1 ", "-1", "tier_x", "x"})
            QVERIFY2(!atmo::parseTierName(bad), bad);
    }

    void detectsThisMachine()
    {
        testutil::Sandbox sb;
        const HardwareInfo hw = detectHardware(sb.path());
        QVERIFY(hw.ramBytes > 64u * 1024 * 1024);
        QVERIFY(hw.cores >= 1);
        QVERIFY(hw.diskFreeBytes > 0);
        QCOMPARE(hw.gpu, !hw.gpuName.empty());
        // A root that does not exist yet is measured on its nearest parent.
        QVERIFY(detectHardware(sb / "not/yet/there").diskFreeBytes > 0);
    }

    void defaultThresholds()
    {
        const TierPolicy p = TierPolicy::defaults();
        QCOMPARE(p.rules.size(), std::size_t(3));
        QVERIFY(ruleFor(p, 2) && ruleFor(p, 3));
        QCOMPARE(ruleFor(p, 2)->minRamBytes, 8 * GiB);
        QCOMPARE(ruleFor(p, 2)->minCores, 4u);
        QVERIFY(!ruleFor(p, 2)->needsGpu);
        QCOMPARE(ruleFor(p, 3)->minRamBytes, 16 * GiB);
        QCOMPARE(ruleFor(p, 3)->minCores, 8u);
        QVERIFY(ruleFor(p, 3)->needsGpu);
    }

    void decidesHighestTierMet_data()
    {
        QTest::addColumn<double>("ram");
        QTest::addColumn<unsigned>("cores");
        QTest::addColumn<bool>("gpu");
        QTest::addColumn<int>("tier");
        QTest::newRow("workstation") << 32.0 << 16u << true << 3;
        QTest::newRow("no gpu") << 32.0 << 16u << false << 2;
        QTest::newRow("gpu, too little ram") << 15.5 << 8u << true << 2;
        QTest::newRow("exactly tier 2") << 8.0 << 4u << false << 2;
        QTest::newRow("just below tier 2 ram") << 7.9 << 4u << false << 1;
        QTest::newRow("too few cores") << 64.0 << 2u << true << 1;
        QTest::newRow("tiny") << 1.0 << 1u << false << 1;
    }
    void decidesHighestTierMet()
    {
        QFETCH(double, ram);
        QFETCH(unsigned, cores);
        QFETCH(bool, gpu);
        QFETCH(int, tier);
        const TierDecision d = decideTier(machine(ram, cores, gpu), TierPolicy::defaults());
        QCOMPARE(d.tier, tier);
        QVERIFY2(d.reason.rfind("tier_" + std::to_string(tier) + ": ", 0) == 0, d.reason.c_str());
    }

    void reasonExplainsMetAndMissed()
    {
        const TierDecision d = decideTier(machine(15.5, 8, false), TierPolicy::defaults());
        QCOMPARE(d.tier, 2);
        const std::string& r = d.reason;
        QVERIFY2(r.rfind("tier_2: 15.5 GiB RAM >= 8 GiB, 8 cores >= 4; ", 0) == 0, r.c_str());
        QVERIFY2(r.find("no GPU") != std::string::npos, r.c_str());
        QVERIFY2(r.find("15.5 GiB RAM < 16 GiB") != std::string::npos, r.c_str());
        QVERIFY2(r.find("for tier_3") != std::string::npos, r.c_str());
        // The same as facts, for the window's own words.
        QCOMPARE(d.basis, TierDecision::Basis::Thresholds);
        QVERIFY(!d.noneMet);
        QCOMPARE(d.met.size(), std::size_t(2));
        QCOMPARE(d.met[0].what, TierCriterion::What::Ram);
        QCOMPARE(d.met[0].have, std::uint64_t(15.5 * GiB));
        QCOMPARE(d.met[0].need, std::uint64_t(8 * GiB));
        QCOMPARE(d.met[1].what, TierCriterion::What::Cores);
        QCOMPARE(d.above.size(), std::size_t(1));
        QCOMPARE(d.above[0].tier, 3);
        QVERIFY(std::any_of(d.above[0].unmet.begin(), d.above[0].unmet.end(),
                            [](const TierCriterion& c) { return c.what == TierCriterion::What::Gpu && !c.met; }));

        const TierDecision top = decideTier(machine(64, 32, true), TierPolicy::defaults());
        QCOMPARE(top.tier, 3);
        QVERIFY2(top.reason.find("GPU NVIDIA (/dev/nvidia0)") != std::string::npos, top.reason.c_str());
        QVERIFY2(top.reason.find("for tier") == std::string::npos, top.reason.c_str());

        const TierDecision low = decideTier(machine(4, 2, false), TierPolicy::defaults());
        QCOMPARE(low.tier, 1);
        QVERIFY2(low.reason.find("4.0 GiB RAM < 8 GiB, 2 cores < 4 for tier_2") != std::string::npos,
                 low.reason.c_str());
        QVERIFY2(low.reason.find("for tier_3") != std::string::npos, low.reason.c_str());
    }

    // The mission's own requirements, highest tier met; the reason names
    // what decided and each unmet requirement of the tiers above.
    void decidesByRequirements()
    {
        TierDecision d = decideTier(machine(15.5, 8, false), kSeedTiers, kSeed);
        QCOMPARE(d.tier, 1);
        QCOMPARE(d.reason, std::string("tier_1: 15.5 GiB RAM >= 4 GB; tier_2 needs a GPU with 4 GB VRAM; none found; "
                                       "tier_3 needs 32 GB RAM (15.5 GiB found) and a GPU with 16 GB VRAM (none found)"));
        QCOMPARE(d.basis, TierDecision::Basis::Requirements);
        QCOMPARE(d.met.size(), std::size_t(1));
        QCOMPARE(d.above.size(), std::size_t(2));
        QCOMPARE(d.above[0].tier, 2); // ascending
        QCOMPARE(d.above[1].tier, 3);
        QCOMPARE(d.above[1].unmet.front().what, TierCriterion::What::Ram);
        QCOMPARE(d.above[1].unmet.front().need, std::uint64_t(32 * GiB));

        d = decideTier(withVram(machine(15.5, 2, true), 12), kSeedTiers, kSeed);
        QCOMPARE(d.tier, 2);
        QCOMPARE(d.reason, std::string("tier_2: 15.5 GiB RAM >= 8 GB, GPU NVIDIA (/dev/nvidia0), 12.0 GiB VRAM >= 4 GB; "
                                       "tier_3 needs 32 GB RAM (15.5 GiB found) and 16 GB VRAM (12.0 GiB found)"));

        d = decideTier(withVram(machine(64, 2, true), 24), kSeedTiers, kSeed);
        QCOMPARE(d.tier, 3);
        QVERIFY2(d.reason.find("needs") == std::string::npos, d.reason.c_str());

        // The station's own thresholds (cores) play no part.
        QCOMPARE(decideTier(withVram(machine(64, 1, true), 24), kSeedTiers, kSeed).tier, 3);

        // The issue's own wording.
        d = decideTier(machine(15.5, 8, false), {1, 2}, {{2, {8.0, true, std::nullopt}}});
        QCOMPARE(d.tier, 1);
        QCOMPARE(d.reason, std::string("tier_1: no requirements; tier_2 needs a GPU; none found"));
    }

    void vramUnknownIsNotMet()
    {
        const TierDecision d = decideTier(machine(15.5, 8, true), kSeedTiers, kSeed);
        QCOMPARE(d.tier, 1);
        QVERIFY2(d.reason.find("tier_2 needs 4 GB VRAM; VRAM unknown") != std::string::npos, d.reason.c_str());
        // A GPU with no VRAM requirement is enough without knowing its memory.
        QCOMPARE(decideTier(machine(15.5, 8, true), {1, 2}, {{2, {8.0, true, std::nullopt}}}).tier, 2);
    }

    // "8 GB" is met by what an 8 GB machine reports: 90 % of 8 GiB and up.
    void ramToleranceForWhatLinuxReports_data()
    {
        QTest::addColumn<double>("ramGib");
        QTest::addColumn<int>("tier");
        QTest::addColumn<QString>("says");
        QTest::newRow("8 GiB") << 8.0 << 2 << "8.0 GiB RAM >= 8 GB";
        QTest::newRow("8 GB Raspberry Pi (7.6 GiB)") << 7.6 << 2 << "7.6 GiB RAM counts as 8 GB";
        QTest::newRow("just within (7.21 GiB)") << 7.21 << 2 << "7.2 GiB RAM counts as 8 GB";
        QTest::newRow("just short (7.1 GiB)") << 7.1 << 1 << "tier_2 needs 8 GB RAM; 7.1 GiB found";
        QTest::newRow("6 GB machine (5.8 GiB)") << 5.8 << 1 << "tier_2 needs 8 GB RAM; 5.8 GiB found";
    }
    void ramToleranceForWhatLinuxReports()
    {
        QFETCH(double, ramGib);
        QFETCH(int, tier);
        QFETCH(QString, says);
        const TierDecision d = decideTier(machine(ramGib, 4, false), {1, 2}, {{1, {4.0, false, {}}}, {2, {8.0, false, {}}}});
        QCOMPARE(d.tier, tier);
        QVERIFY2(QString::fromStdString(d.reason).contains(says), d.reason.c_str());
        QCOMPARE(kRequirementTolerance, 0.10);
    }

    void meetsNoTierInstallsTheLowest()
    {
        const TierDecision d = decideTier(machine(2, 1, false), kSeedTiers, kSeed);
        QCOMPARE(d.tier, 1);
        QVERIFY2(d.reason.rfind("tier_1: meets none of the package's requirements", 0) == 0, d.reason.c_str());
        QVERIFY2(d.reason.find("tier_1 needs 4 GB RAM; 2.0 GiB found") != std::string::npos, d.reason.c_str());
        // A package whose tiers start above 1 installs its own lowest.
        QCOMPARE(decideTier(machine(2, 1, false), {2, 3}, kSeed).tier, 2);
    }

    // Packages without requirements keep the station's thresholds.
    void packageTierFallsBackToThePolicy()
    {
        Manifest m;
        m.tiers = {1, 2, 3};
        QCOMPARE(decidePackageTier(machine(32, 16, true), m, TierPolicy::defaults()).tier, 3);
        QVERIFY(decidePackageTier(machine(32, 16, true), m, TierPolicy::defaults()).reason.find("16 cores") !=
                std::string::npos);
        m.requirements = kSeed;
        QCOMPARE(decidePackageTier(machine(32, 16, true), m, TierPolicy::defaults()).tier, 1);
        QCOMPARE(operatorTier(2).reason, std::string("tier_2: chosen by the operator"));
    }

    // VRAM where Linux exposes it: amdgpu's sysfs file, nvidia-smi.
    void detectsAmdVramInSysfs()
    {
        testutil::Sandbox sb;
        fakesys::Tree tree(sb / "root");
        tree.memTotalKb(16303100); // 15.5 GiB
        tree.addRenderNode("renderD128", "0x1002", "amdgpu", 8573157376ull);
        const HardwareInfo hw = detectHardware(sb.path(), tree.hardwareProbe());
        QCOMPARE(hw.ramBytes, 16303100ull * 1024);
        QVERIFY(hw.gpu);
        QCOMPARE(hw.gpuName, std::string("amdgpu, AMD (renderD128)"));
        QCOMPARE(hw.vramBytes, std::optional<std::uint64_t>(8573157376ull));
        const TierDecision d = decideTier(hw, kSeedTiers, kSeed);
        QCOMPARE(d.tier, 2);
        QVERIFY2(d.reason.find("8.0 GiB VRAM >= 4 GB") != std::string::npos, d.reason.c_str());
    }

    void intelGpuVramUnknown()
    {
        testutil::Sandbox sb;
        fakesys::Tree tree(sb / "root");
        tree.memTotalKb(8000000);
        tree.addRenderNode("renderD128", "0x8086", "i915", std::nullopt);
        const HardwareInfo hw = detectHardware(sb.path(), tree.hardwareProbe());
        QVERIFY(hw.gpu);
        QVERIFY(!hw.vramBytes);
        QVERIFY2(decideTier(hw, kSeedTiers, kSeed).reason.find("VRAM unknown") != std::string::npos,
                 decideTier(hw, kSeedTiers, kSeed).reason.c_str());
        // A virtual display adapter is no GPU.
        testutil::Sandbox vm;
        fakesys::Tree virt(vm / "root");
        virt.memTotalKb(8000000);
        virt.addRenderNode("renderD128", "0x1af4", "virtio-pci", std::nullopt);
        QVERIFY(!detectHardware(vm.path(), virt.hardwareProbe()).gpu);
    }

    void detectsNvidiaVramWithNvidiaSmi()
    {
        testutil::Sandbox sb;
        fakesys::Tree tree(sb / "root");
        tree.memTotalKb(32000000);
        tree.addNvidiaDevice();
        HardwareProbe probe = tree.hardwareProbe();
        probe.nvidiaSmi = sb / "nvidia-smi";
        testutil::writeFile(probe.nvidiaSmi,
                            "#!/bin/sh\n"
                            "[ \"$1\" = --query-gpu=name,memory.total ] || exit 2\n"
                            "echo 'NVIDIA GeForce RTX 3060, 12288'\n");
        fs::permissions(probe.nvidiaSmi, fs::perms::owner_all);
        HardwareInfo hw = detectHardware(sb.path(), probe);
        QVERIFY(hw.gpu);
        QCOMPARE(hw.gpuName, std::string("NVIDIA GeForce RTX 3060 (/dev/nvidia0)"));
        QCOMPARE(hw.vramBytes, std::optional<std::uint64_t>(12288ull * 1024 * 1024));

        // nvidia-smi failing or absent: a GPU of unknown memory.
        testutil::writeFile(probe.nvidiaSmi, "#!/bin/sh\necho 'NVIDIA-SMI has failed'\nexit 9\n");
        hw = detectHardware(sb.path(), probe);
        QVERIFY(hw.gpu);
        QCOMPARE(hw.gpuName, std::string("NVIDIA (/dev/nvidia0)"));
        QVERIFY(!hw.vramBytes);
        probe.nvidiaSmi = sb / "not-there";
        hw = detectHardware(sb.path(), probe);
        QVERIFY(hw.gpu);
        QVERIFY(!hw.vramBytes);
    }

    void emptyPolicyIsTierOne()
    {
        const TierDecision d = decideTier(machine(64, 64, true), TierPolicy{});
        QCOMPARE(d.tier, 1);
        QVERIFY(!d.reason.empty());
    }

    void loadsOverrides()
    {
        testutil::Sandbox sb;
        const fs::path file = sb / "tiers.yaml";
        testutil::writeFile(file, "tiers:\n"
                                  "  - {tier: 2, min_ram_gib: 1.5, min_cores: 1, gpu: false, min_disk_gib: 0}\n"
                                  "  - tier: 4\n    min_ram_gib: 64\n    min_cores: 32\n    gpu: true\n"
                                  "    min_disk_gib: 500\n");
        auto p = TierPolicy::load(file);
        QVERIFY2(p.ok(), p.ok() ? "" : p.message().c_str());
        // Tier 2 replaced, tier 3 keeps its default, tier 4 added.
        QVERIFY(ruleFor(*p, 2) && ruleFor(*p, 3) && ruleFor(*p, 4));
        QCOMPARE(ruleFor(*p, 2)->minRamBytes, GiB + GiB / 2);
        QCOMPARE(ruleFor(*p, 2)->minCores, 1u);
        QCOMPARE(ruleFor(*p, 3)->minRamBytes, 16 * GiB);
        QCOMPARE(ruleFor(*p, 4)->minDiskBytes, 500 * GiB);
        QVERIFY(ruleFor(*p, 4)->needsGpu);

        QCOMPARE(decideTier(machine(2, 1, false), *p).tier, 2);
        QCOMPARE(decideTier(machine(128, 64, true, 1000), *p).tier, 4);
        const TierDecision d = decideTier(machine(128, 64, true, 100), *p);
        QCOMPARE(d.tier, 3);
        QVERIFY2(d.reason.find("100.0 GiB free < 500 GiB for tier_4") != std::string::npos, d.reason.c_str());
    }

    void rejectsBadFiles_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown key") << "tiers:\n  - {tier: 2, min_ram: 8}\n" << "tiers[0].min_ram: unknown key";
        QTest::newRow("bad number") << "tiers:\n  - {tier: 2, min_ram_gib: lots}\n" << "tiers[0].min_ram_gib";
        QTest::newRow("negative ram") << "tiers:\n  - {tier: 2, min_ram_gib: -1}\n" << "tiers[0].min_ram_gib";
        QTest::newRow("fractional cores") << "tiers:\n  - {tier: 2, min_cores: 2.5}\n" << "tiers[0].min_cores";
        QTest::newRow("negative cores") << "tiers:\n  - {tier: 2, min_cores: -4}\n" << "tiers[0].min_cores";
        QTest::newRow("bad bool") << "tiers:\n  - {tier: 3, gpu: maybe}\n" << "tiers[0].gpu";
        QTest::newRow("tier zero") << "tiers:\n  - {tier: 0}\n" << "tiers[0].tier";
        QTest::newRow("tier missing") << "tiers:\n  - {min_cores: 2}\n" << "tiers[0].tier: is missing";
        QTest::newRow("tier twice") << "tiers:\n  - {tier: 2}\n  - {tier: 2}\n" << "tiers[1].tier";
        QTest::newRow("key twice") << "tiers:\n  - {tier: 2, min_cores: 1, min_cores: 2}\n" << "tiers[0].min_cores";
        QTest::newRow("rule not a map") << "tiers:\n  - 2\n" << "tiers[0]";
        QTest::newRow("tiers not a list") << "tiers: 2\n" << "tiers";
        QTest::newRow("top-level unknown") << "tiers: []\nextra: 1\n" << "extra: unknown key";
        QTest::newRow("no tiers") << "{}\n" << "tiers: is missing";
        QTest::newRow("not yaml") << "tiers: [\n" << "not valid YAML";
        QTest::newRow("list at top") << "- tier: 2\n" << "tiers";
    }
    void rejectsBadFiles()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, mentions);
        testutil::Sandbox sb;
        const fs::path file = sb / "tiers.yaml";
        testutil::writeFile(file, yaml.toStdString());
        auto p = TierPolicy::load(file);
        QVERIFY(!p.ok());
        const QString msg = QString::fromStdString(p.message());
        QVERIFY2(msg.startsWith(QString::fromStdString(file.string()) + ": "), qPrintable(msg));
        QVERIFY2(msg.contains(mentions), qPrintable(msg));
    }

    void loadOrDefaults()
    {
        testutil::Sandbox sb;
        auto missing = TierPolicy::loadOrDefaults(sb / "tiers.yaml");
        QVERIFY(missing.ok());
        QCOMPARE(missing->rules.size(), TierPolicy::defaults().rules.size());
        QVERIFY(!TierPolicy::load(sb / "tiers.yaml").ok());

        testutil::writeFile(sb / "tiers.yaml", "tiers:\n  - {tier: 2, bogus: 1}\n");
        QVERIFY(!TierPolicy::loadOrDefaults(sb / "tiers.yaml").ok());
    }
};

ATMO_TEST_GUILESS_MAIN(TstTier)
#include "tst_tier.moc"
