// Delta packages end to end in core: made from a base package and a changed
// mission, verified, installed onto the installed base (byte-identical to a
// full install of the target), and every fault the issue names: no base,
// the wrong base, another build of the base, a base file changed on the
// device, applied twice, a tampered or truncated delta, a forged delta the
// signed manifest does not match, a delta for another package, cancel and
// disk full during the rebuild. After each the installed version is as it was.
#include <QtTest>

#include <sched.h>
#include <sys/mount.h>

#include <map>

#include "core/base/sha256.h"
#include "core/package/install_plan.h"
#include "core/package/installer.h"
#include "core/package/minisign.h"
#include "core/package/package_verifier.h"
#include "core/package/package_writer.h"
#include "core/package/trust_store.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

const std::string kId = "production-inspection";
const std::string kSmall = "models/tinyyolo-defects-1.3.onnx"; // tiers 1 and 2, changed in 1.4
const std::string kLarge = "models/llama-edge-2.0.gguf";       // tier 2 only, unchanged
const std::string kKnowledge = "knowledge/defects.chunks.jsonl";
const std::string kAgent = "agents/inspector-1.0.yaml";
const std::string kNewTool = "tools/light-0.1.yaml";

std::string records(int first, int last, const std::map<int, std::string>& texts = {})
{
    std::string out;
    for (int i = first; i <= last; ++i) {
        const auto it = texts.find(i);
        out += "{\"id\": " + std::to_string(i) + ", \"text\": \"" +
               (it != texts.end() ? it->second : "defect note number " + std::to_string(i) + " for the line") +
               "\"}\n";
    }
    return out;
}

// The failure's message for QVERIFY2, which evaluates it either way.
template <class T>
const char* why(const Result<T>& r)
{
    return r ? "" : r.message().c_str();
}

} // namespace

class TstDeltaPackage : public QObject {
    Q_OBJECT

    std::unique_ptr<testutil::Sandbox> sb_;
    SecretKey key_;
    std::unique_ptr<TrustStore> trust_;
    fs::path v13_, v14_; // mission sources
    bool privateMounts_ = false;
    FreeSpaceProbe freeSpace_; // empty: statvfs

    fs::path root() const { return sb_->path() / "installed"; }
    fs::path idDir() const { return root() / kId; }

    Result<CreateResult> create(const fs::path& mission, const std::string& version, const fs::path& deltaFrom = {},
                                std::optional<int> tier = std::nullopt, const std::string& out = "packages",
                                const std::string& station = "test-station")
    {
        CreateOptions o;
        o.missionDir = mission;
        o.version = version;
        o.outputDir = sb_->path() / out;
        o.meshKey = key_;
        o.stationName = station;
        o.tier = tier;
        o.deltaFrom = deltaFrom;
        o.trust = trust_.get();
        return createPackage(o, nullptr, CancelToken());
    }

    fs::path made(const fs::path& mission, const std::string& version, const fs::path& deltaFrom = {},
                  std::optional<int> tier = std::nullopt)
    {
        auto r = create(mission, version, deltaFrom, tier);
        if (!r)
            qFatal("createPackage %s: %s", version.c_str(), r.message().c_str());
        return r->file;
    }

    InstallResult install(const fs::path& package, int tier = 2, const CancelToken& cancel = {})
    {
        InstallOptions o;
        o.root = root();
        o.trust = trust_.get();
        o.tier = tier;
        o.freeSpace = freeSpace_;
        return installPackage(package, o, nullptr, cancel);
    }

    // Installs 1.3, makes the 1.4 delta from it; returns the delta.
    fs::path baseInstalledAndDelta(int tier = 2)
    {
        const fs::path base = made(v13_, "1.3");
        const auto r = install(base, tier);
        if (!r.report.ok)
            qFatal("install 1.3: %s", r.report.reason.c_str());
        return made(v14_, "1.4", base);
    }

    // The refusal or failure left 1.3 installed exactly as before.
    void expectUnchanged(const std::map<std::string, std::string>& before)
    {
        QCOMPARE(testutil::snapshotTree(idDir()), before);
        QCOMPARE(fs::read_symlink(idDir() / "current").string(), std::string("1.3"));
    }

private slots:
    void initTestCase()
    {
        // Our own mount namespace (before any thread exists) for the disk-full
        // case's tmpfs, which vanishes with this process.
        privateMounts_ = ::unshare(CLONE_NEWNS) == 0 && ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
    }

    void init()
    {
        sb_ = std::make_unique<testutil::Sandbox>();
        key_ = testutil::makeKey();
        testutil::trustKey(sb_->path() / "home", key_, TrustRole::Mesh, "mesh");
        trust_ = std::make_unique<TrustStore>(sb_->path() / "home/trust");
        freeSpace_ = {};
        v13_ = testutil::makeMission(sb_->path() / "mission-1.3");
        testutil::writeFile(v13_ / kKnowledge, records(1, 2000));
        // 1.4: the small model changed in a few places, the knowledge with
        // 2 records added, 1 removed and 1 updated, the agent edited, a tool
        // added; the large model, the configs and the camera tool as they were.
        v14_ = sb_->path() / "mission-1.4";
        fs::copy(v13_, v14_, fs::copy_options::recursive);
        testutil::flipByte(v14_ / kSmall, 1000);
        testutil::flipByte(v14_ / kSmall, 150000);
        testutil::writeFile(v14_ / kKnowledge,
                            records(1, 999) + records(1001, 2000, {{1500, "updated: a deeper dent"}}) +
                                records(2001, 2002));
        testutil::writeFile(v14_ / kAgent, "name: inspector\nmodel: tinyyolo-defects\ntools: [camera, light]\n");
        testutil::writeFile(v14_ / kNewTool, "name: light\ndevice: /dev/gpiochip0\n");
    }

    void cleanup()
    {
        trust_.reset();
        sb_.reset();
    }

    void deltaSectionSaysWhatChanged()
    {
        const fs::path base = made(v13_, "1.3");
        auto r = create(v14_, "1.4", base);
        QVERIFY2(r.ok(), why(r));
        QCOMPARE(r->file.filename().string(), std::string("production-inspection-v1.4-from-v1.3.atmo"));
        const Manifest& m = r->manifest;
        QVERIFY(m.delta);
        const DeltaSection& d = *m.delta;
        QCOMPARE(d.baseVersion, std::string("1.3"));
        QCOMPARE(d.targetVersion, std::string("1.4"));
        QCOMPARE(d.unchanged, (std::vector<std::string>{"config/llamafarm.yaml", "config/mission.yaml", kLarge,
                                                        "tools/camera-0.4.yaml"}));
        const DeltaChange* model = d.changeFor(kSmall);
        QVERIFY(model && model->type == DeltaChangeType::Updated && model->viaDelta());
        QCOMPARE(model->delta, std::string("models/tinyyolo-defects-1.3-to-1.4.delta"));
        QVERIFY2(model->deltaSize < 100 * 1024, std::to_string(model->deltaSize).c_str()); // of a 300 KiB model
        const DeltaChange* knowledge = d.changeFor(kKnowledge);
        QVERIFY(knowledge && knowledge->viaDelta());
        QCOMPARE(knowledge->delta, std::string("knowledge/defects.chunks-1.3-to-1.4.delta"));
        QCOMPARE(d.chunks.added, 2u);
        QCOMPARE(d.chunks.removed, 1u);
        QCOMPARE(d.chunks.updated, 1u);
        const DeltaChange* agent = d.changeFor(kAgent);
        QVERIFY(agent && agent->type == DeltaChangeType::Updated && !agent->viaDelta());
        const DeltaChange* tool = d.changeFor(kNewTool);
        QVERIFY(tool && tool->type == DeltaChangeType::Added);
        // contents stay the whole target; the archive carries only the new.
        QCOMPARE(m.files.size(), 8u);
        std::vector<std::string> carried;
        for (const ContentFile* f : m.archiveFiles())
            carried.push_back(f->path);
        std::sort(carried.begin(), carried.end());
        QCOMPARE(carried, (std::vector<std::string>{kAgent, knowledge->delta, model->delta, kNewTool}));
        const auto full = create(v14_, "1.4", {}, std::nullopt, "full");
        QVERIFY(full.ok());
        QVERIFY2(r->archiveBytes * 5 < full->archiveBytes,
                 (std::to_string(r->archiveBytes) + " vs " + std::to_string(full->archiveBytes)).c_str());
        QCOMPARE(d.summary(), std::string("models: 1 updated (1 as a delta); agents: 1 updated; tools: 1 added; "
                                          "knowledge: 1 updated (1 as a delta), 2 records added, 1 removed, 1 "
                                          "updated; 4 files unchanged"));

        // The signed YAML reads back to the same section and bytes.
        const std::string yaml = m.toYaml();
        auto parsed = Manifest::parse(yaml);
        QVERIFY2(parsed.ok(), why(parsed));
        QCOMPARE(parsed->toYaml(), yaml);
        QVERIFY(yaml.find("chunks_added: 2") != std::string::npos);

        // And it verifies like any package, its rows being what it carries.
        VerifyOptions vo;
        vo.trust = trust_.get();
        const VerifyReport report = verifyPackage(r->file, vo, nullptr, CancelToken());
        QVERIFY2(report.ok, report.reason.c_str());
        QCOMPARE(report.files.size(), 4u);
        QCOMPARE(report.completeTiers, (std::vector<int>{1, 2}));
    }

    void installsOntoTheBaseByteForByte()
    {
        const fs::path delta = baseInstalledAndDelta();
        const auto r = install(delta);
        QVERIFY2(r.report.ok, r.report.reason.c_str());
        QVERIFY(r.installed);
        QCOMPARE(r.installed->version, std::string("1.4"));
        QCOMPARE(r.installed->previousVersion, std::string("1.3"));
        for (const auto& e : fs::recursive_directory_iterator(v14_))
            if (e.is_regular_file()) {
                const auto rel = fs::relative(e.path(), v14_);
                QVERIFY2(testutil::readFile(idDir() / "1.4" / rel) == testutil::readFile(e.path()), rel.c_str());
            }
        // No .delta and nothing else beside the target's files and manifest.
        std::size_t files = 0;
        for (const auto& e : fs::recursive_directory_iterator(idDir() / "1.4"))
            files += e.is_regular_file() ? 1 : 0;
        QCOMPARE(files, 8u + 1u);
        // 1.3 stays for rollback, and rolls back.
        QVERIFY(rollbackPackage(root(), kId).ok());
        QCOMPARE(fs::read_symlink(idDir() / "current").string(), std::string("1.3"));
        QCOMPARE(testutil::readFile(idDir() / "1.3" / kSmall), testutil::readFile(v13_ / kSmall));
        // Rolled back to 1.3, the delta goes on again (the base is checked
        // by the manifest kept beside 1.3, not by the last install's).
        const auto again = install(delta);
        QVERIFY2(again.report.ok, again.report.reason.c_str());
        QCOMPARE(testutil::readFile(idDir() / "1.4" / kSmall), testutil::readFile(v14_ / kSmall));
    }

    void tierDeltaOntoATierInstall()
    {
        const fs::path base = made(v13_, "1.3", {}, 1);
        QVERIFY(install(base, 1).report.ok);
        auto r = create(v14_, "1.4", base, 1);
        QVERIFY2(r.ok(), why(r));
        QCOMPARE(r->file.filename().string(), std::string("production-inspection-v1.4-from-v1.3-tier1.atmo"));
        const auto installed = install(r->file, 1);
        QVERIFY2(installed.report.ok, installed.report.reason.c_str());
        QCOMPARE(testutil::readFile(idDir() / "1.4" / kSmall), testutil::readFile(v14_ / kSmall));
        QVERIFY(!fs::exists(idDir() / "1.4" / kLarge));
        // A tier_2 device cannot take a tier_1 delta: the large model is not in it.
        QVERIFY(rollbackPackage(root(), kId).ok());
        const auto wrongTier = install(r->file, 2);
        QVERIFY(!wrongTier.report.ok);
    }

    void refusedWithoutItsBase()
    {
        const fs::path base = made(v13_, "1.3");
        const fs::path delta = made(v14_, "1.4", base);
        auto none = install(delta);
        QVERIFY(!none.report.ok);
        QCOMPARE(none.report.reason, std::string("production-inspection 1.4: needs production-inspection 1.3 "
                                                 "installed; this device has no production-inspection (install "
                                                 "the full 1.4 package)"));
        QVERIFY(!fs::exists(idDir() / "current"));

        // 1.2 installed: the wrong base.
        const fs::path v12 = made(v13_, "1.2");
        QVERIFY(install(v12).report.ok);
        const auto before = testutil::snapshotTree(idDir());
        auto wrong = install(delta);
        QVERIFY(!wrong.report.ok);
        QCOMPARE(wrong.report.reason, std::string("production-inspection 1.4: needs production-inspection 1.3 "
                                                  "installed; this device has 1.2"));
        QCOMPARE(testutil::snapshotTree(idDir()), before);
    }

    void refusedOnAnotherBuildOfTheBase()
    {
        // 1.3 built twice (another station, another day): same version, another signed manifest.
        const fs::path installed = made(v13_, "1.3");
        auto other = create(v13_, "1.3", {}, std::nullopt, "elsewhere", "another-station");
        QVERIFY(other.ok());
        QVERIFY(install(installed).report.ok);
        const auto before = testutil::snapshotTree(idDir());
        const fs::path delta = made(v14_, "1.4", other->file);
        auto r = install(delta);
        QVERIFY(!r.report.ok);
        QVERIFY2(r.report.reason.find("needs production-inspection 1.3 installed as it was signed") != std::string::npos,
                 r.report.reason.c_str());
        expectUnchanged(before);
    }

    void appliedTwiceIsRefused()
    {
        const fs::path delta = baseInstalledAndDelta();
        QVERIFY(install(delta).report.ok);
        const auto before = testutil::snapshotTree(idDir());
        auto again = install(delta);
        QVERIFY(!again.report.ok);
        QCOMPARE(again.report.reason, std::string("production-inspection 1.4: production-inspection 1.4 is already "
                                                  "installed (this delta updates 1.3 to it)"));
        QCOMPARE(testutil::snapshotTree(idDir()), before);
    }

    void baseFileChangedOnTheDevice_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("rebuilt from it") << QString::fromStdString(kSmall);
        QTest::newRow("taken as it is") << QString::fromStdString(kLarge);
    }

    void baseFileChangedOnTheDevice()
    {
        QFETCH(QString, path);
        const fs::path delta = baseInstalledAndDelta();
        testutil::flipByte(idDir() / "1.3" / path.toStdString(), 4096);
        const auto before = testutil::snapshotTree(idDir());
        auto r = install(delta);
        QVERIFY(!r.report.ok);
        QCOMPARE(r.report.code, ErrorCode::BadData);
        QVERIFY2(r.report.reason.find(path.toStdString() + " of the installed production-inspection 1.3 was changed "
                                                           "on this device") != std::string::npos,
                 r.report.reason.c_str());
        QVERIFY(r.report.reason.find("use the full 1.4 package") != std::string::npos);
        expectUnchanged(before);
    }

    void baseFileMissingOnTheDevice()
    {
        const fs::path delta = baseInstalledAndDelta();
        fs::remove(idDir() / "1.3" / kLarge);
        const auto before = testutil::snapshotTree(idDir());
        auto r = install(delta);
        QVERIFY(!r.report.ok);
        QVERIFY2(r.report.reason.find(kLarge + " of the installed production-inspection 1.3 is missing") !=
                     std::string::npos,
                 r.report.reason.c_str());
        expectUnchanged(before);
    }

    void tamperedOrTruncatedDeltaInstallsNothing_data()
    {
        QTest::addColumn<int>("how");
        QTest::newRow("a byte of the model's .delta") << 0;
        QTest::newRow("the archive cut short") << 1;
    }

    void tamperedOrTruncatedDeltaInstallsNothing()
    {
        QFETCH(int, how);
        const fs::path delta = baseInstalledAndDelta();
        auto entries = testutil::readTarEntries(delta);
        if (how == 0) {
            for (auto& e : entries)
                if (e.path == "models/tinyyolo-defects-1.3-to-1.4.delta")
                    e.data[e.data.size() / 2] ^= 1;
            testutil::writeTarEntries(delta, entries);
        } else {
            fs::resize_file(delta, fs::file_size(delta) / 2);
        }
        const auto before = testutil::snapshotTree(idDir());
        auto r = install(delta);
        QVERIFY(!r.report.ok);
        QCOMPARE(r.report.code, ErrorCode::BadData);
        expectUnchanged(before);
    }

    void forgedDeltaThatDoesNotRebuildTheSignedFile()
    {
        // A delta signed by a trusted key whose .delta rebuilds another file
        // than the manifest's hash: the rebuild is refused, nothing installed.
        const fs::path delta = baseInstalledAndDelta();
        const fs::path other = sb_->path() / "mission-other";
        fs::copy(v14_, other, fs::copy_options::recursive);
        testutil::flipByte(other / kSmall, 2000);
        const auto forgedBase = create(v13_, "1.3", {}, std::nullopt, "forge");
        QVERIFY(forgedBase.ok());
        const auto forgedPackage = create(other, "1.4", forgedBase->file, std::nullopt, "forge");
        QVERIFY2(forgedPackage.ok(), why(forgedPackage));
        const fs::path forged = forgedPackage->file;
        // The forged package's .delta in the genuine package's signed frame.
        auto genuine = testutil::readTarEntries(delta);
        const auto forgedEntries = testutil::readTarEntries(forged);
        std::string forgedDelta;
        for (const auto& e : forgedEntries)
            if (e.path == "models/tinyyolo-defects-1.3-to-1.4.delta")
                forgedDelta = e.data;
        QVERIFY(!forgedDelta.empty());
        std::string manifest;
        for (const auto& e : genuine)
            if (e.path == "manifest.yaml")
                manifest = e.data;
        auto m = Manifest::parse(manifest);
        QVERIFY(m.ok());
        for (auto& c : m->delta->changes)
            if (c.path == kSmall) {
                c.deltaSize = forgedDelta.size();
                c.deltaSha256 = sha256Hex(forgedDelta);
            }
        m->indexDelta();
        const std::string yaml = m->toYaml();
        for (auto& e : genuine) {
            if (e.path == "manifest.yaml")
                e.data = yaml;
            else if (e.path == "manifest.yaml.minisig")
                e.data = signMessage(key_, yaml, "forged").fileText();
            else if (e.path == "checksums.sha256")
                e.data = Manifest::checksumsText(m->archiveFiles());
            else if (e.path == "custody.jsonl")
                e.path = "drop";
            else if (e.path == "models/tinyyolo-defects-1.3-to-1.4.delta")
                e.data = forgedDelta;
        }
        std::erase_if(genuine, [](const auto& e) { return e.path == "drop"; });
        testutil::writeTarEntries(delta, genuine);
        const auto before = testutil::snapshotTree(idDir());
        auto r = install(delta);
        QVERIFY(!r.report.ok);
        QCOMPARE(r.report.code, ErrorCode::BadData);
        QVERIFY2(r.report.reason.find("made for other files than the signed manifest names") != std::string::npos,
                 r.report.reason.c_str());
        expectUnchanged(before);
    }

    void deltaForAnotherPackage()
    {
        testutil::MissionSpec spec;
        spec.id = "other-mission";
        const fs::path otherMission = testutil::makeMission(sb_->path() / "other", spec);
        const fs::path otherBase = made(otherMission, "1.3");
        // Made from another package's base: refused when built.
        auto r = create(v14_, "1.4", otherBase);
        QVERIFY(!r.ok());
        QVERIFY2(r.message().find("it is a package of other-mission, not production-inspection") != std::string::npos,
                 r.message().c_str());
        QVERIFY(!fs::exists(sb_->path() / "packages" / "production-inspection-v1.4-from-v1.3.atmo"));
        // And said before the mission is hashed (a model can take minutes).
        struct Phases : Observer {
            bool hashed = false;
            void onProgress(const Progress& p) override { hashed = hashed || p.phase == Phase::Hashing; }
        } phases;
        CreateOptions o;
        o.missionDir = v14_;
        o.version = "1.4";
        o.outputDir = sb_->path() / "packages";
        o.meshKey = key_;
        o.deltaFrom = otherBase;
        o.trust = trust_.get();
        auto early = createPackage(o, &phases, CancelToken());
        QVERIFY(!early.ok());
        QVERIFY(early.message().find("it is a package of other-mission") != std::string::npos);
        QVERIFY(!phases.hashed);
        // A delta of another package finds no base of its own id here.
        spec.id = "other-mission";
        const fs::path otherTarget = sb_->path() / "other-1.4";
        fs::copy(otherMission, otherTarget, fs::copy_options::recursive);
        testutil::flipByte(otherTarget / kSmall, 10);
        const fs::path otherDelta = made(otherTarget, "1.4", otherBase);
        QVERIFY(install(made(v13_, "1.3")).report.ok);
        const auto before = testutil::snapshotTree(idDir());
        auto installed = install(otherDelta);
        QVERIFY(!installed.report.ok);
        QVERIFY2(installed.report.reason.find("needs other-mission 1.3 installed; this device has no other-mission") !=
                     std::string::npos,
                 installed.report.reason.c_str());
        expectUnchanged(before);
    }

    void cancelledDuringTheRebuild()
    {
        const fs::path delta = baseInstalledAndDelta();
        const auto before = testutil::snapshotTree(idDir());
        struct CancelWhenRebuilding : VerifyObserver {
            CancelToken token;
            void onProgress(const Progress& p) override
            {
                if (p.phase == Phase::Installing && p.total > 1)
                    token.cancel();
            }
        } observer;
        InstallOptions o;
        o.root = root();
        o.trust = trust_.get();
        o.tier = 2;
        auto r = installPackage(delta, o, &observer, observer.token);
        QVERIFY(!r.report.ok);
        QCOMPARE(r.report.code, ErrorCode::Cancelled);
        expectUnchanged(before);
    }

    void diskFullDuringTheRebuild()
    {
        // The root on a 2 MiB tmpfs: 1.3 (a 1 MiB model) fits, the rebuilt
        // 1.4 model does not beside it.
        const fs::path tiny = root();
        fs::create_directories(tiny);
        if (!privateMounts_ || ::mount("tmpfs", tiny.c_str(), "tmpfs", 0, "size=2m") != 0)
            QSKIP("cannot mount a tmpfs here (needs root and a private mount namespace)");
        struct Unmount {
            fs::path dir;
            ~Unmount() { ::umount2(dir.c_str(), MNT_DETACH); }
        } unmount{tiny};
        // Past the plan's margin, so the real write runs into the full disk.
        freeSpace_ = fixedFreeSpace(1ull << 40);
        testutil::writeRandomFile(v13_ / kSmall, 1200 * 1024, 7);
        fs::copy_file(v13_ / kSmall, v14_ / kSmall, fs::copy_options::overwrite_existing);
        testutil::flipByte(v14_ / kSmall, 600000);
        const fs::path base = made(v13_, "1.3", {}, 1);
        QVERIFY(install(base, 1).report.ok);
        const fs::path delta = made(v14_, "1.4", base, 1);
        const auto before = testutil::snapshotTree(idDir());
        auto r = install(delta, 1);
        QVERIFY(!r.report.ok);
        QCOMPARE(r.report.code, ErrorCode::NoSpace);
        QVERIFY2(r.report.reason.find(kSmall + ": no space left on the device to rebuild it in " + idDir().string()) !=
                     std::string::npos,
                 r.report.reason.c_str());
        QVERIFY2(r.report.reason.find('\n') == std::string::npos, r.report.reason.c_str());
        expectUnchanged(before);
    }
};

ATMO_TEST_GUILESS_MAIN(TstDeltaPackage)
#include "tst_delta_package.moc"
