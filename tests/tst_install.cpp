// Installing verified packages: layout, upgrade/rollback, version and free
// space refusals, tier selection, and that every failure (tampering,
// cancellation) leaves the previous install exactly as it was.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <map>

#include "core/package/installer.h"
#include "core/package/package_writer.h"
#include "core/package/trust_store.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

const std::string kId = "production-inspection";
const std::string kSmall = "models/tinyyolo-defects-1.3.onnx"; // tiers 1 and 2
const std::string kLarge = "models/llama-edge-2.0.gguf";       // tier 2 only

bool hasLeftovers(const fs::path& idDir)
{
    if (!fs::exists(idDir))
        return false;
    for (const auto& e : fs::directory_iterator(idDir))
        if (e.path().filename().string()[0] == '.')
            return true;
    return false;
}

QJsonObject readState(const fs::path& idDir)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(testutil::readFile(idDir / "state.json"))).object();
}

class CancelObserver : public VerifyObserver {
public:
    CancelObserver(CancelToken token, fs::path idDir) : token_(std::move(token)), idDir_(std::move(idDir)) {}
    int cancelAfterFiles = 2;
    bool sawStagingContent = false;
    int files = 0;

    void onFile(const FileCheck& f) override
    {
        if (f.state != FileState::Ok || ++files < cancelAfterFiles || token_.cancelled())
            return;
        // Staging really holds content at this point.
        for (const auto& e : fs::directory_iterator(idDir_))
            if (e.path().filename().string().rfind(".staging-", 0) == 0 && !fs::is_empty(e.path()))
                sawStagingContent = true;
        token_.cancel();
    }

private:
    CancelToken token_;
    fs::path idDir_;
};

class ProgressCancel : public VerifyObserver {
public:
    explicit ProgressCancel(CancelToken token) : token_(std::move(token)) {}
    bool fired = false;
    void onProgress(const Progress& p) override
    {
        if (!fired) {
            fired = true;
            token_.cancel();
        }
    }

private:
    CancelToken token_;
};

} // namespace

class TstInstall : public QObject {
    Q_OBJECT

    testutil::Sandbox* sb_ = nullptr;
    SecretKey key_;
    std::unique_ptr<TrustStore> trust_;
    fs::path mission_;
    std::map<std::string, fs::path> packages_; // by version

    fs::path root() const { return sb_->path() / "installed"; }
    fs::path idDir() const { return root() / kId; }

    fs::path package(const std::string& version)
    {
        auto it = packages_.find(version);
        if (it != packages_.end())
            return it->second;
        CreateOptions o;
        o.missionDir = mission_;
        o.version = version;
        o.outputDir = sb_->path() / "packages";
        o.meshKey = key_;
        o.stationName = "test-station";
        auto r = createPackage(o, nullptr, CancelToken());
        if (!r)
            qFatal("createPackage %s: %s", version.c_str(), r.message().c_str());
        packages_[version] = r->file;
        return r->file;
    }

    InstallOptions options(std::optional<int> tier = 2) const
    {
        InstallOptions o;
        o.root = root();
        o.trust = trust_.get();
        o.tier = tier;
        return o;
    }

    InstallResult install(const std::string& version, InstallOptions o)
    {
        return installPackage(package(version), o, nullptr, CancelToken());
    }

    InstallResult install(const std::string& version) { return install(version, options()); }

    void checkInstalled(const std::string& version, int tier)
    {
        const fs::path dir = idDir() / version;
        QVERIFY2(fs::is_directory(dir), dir.c_str());
        QCOMPARE(fs::read_symlink(idDir() / "current").string(), version);
        QCOMPARE(testutil::readFile(dir / kSmall), testutil::readFile(mission_ / kSmall));
        QCOMPARE(fs::exists(dir / kLarge), tier >= 2);
        for (const char* f : {"config/llamafarm.yaml", "agents/inspector-1.0.yaml", "tools/camera-0.4.yaml",
                              "knowledge/defects.chunks.jsonl"})
            QCOMPARE(testutil::readFile(dir / f), testutil::readFile(mission_ / f));
        if (tier >= 2)
            QCOMPARE(testutil::readFile(dir / kLarge), testutil::readFile(mission_ / kLarge));
        QVERIFY(!hasLeftovers(idDir()));
    }

private slots:
    void init()
    {
        sb_ = new testutil::Sandbox;
        key_ = testutil::makeKey();
        testutil::trustKey(sb_->path() / "home", key_, TrustRole::Mesh, "mesh");
        trust_ = std::make_unique<TrustStore>(sb_->path() / "home/trust");
        mission_ = testutil::makeMission(sb_->path() / "mission");
        packages_.clear();
    }

    void cleanup()
    {
        trust_.reset();
        delete sb_;
        sb_ = nullptr;
    }

    void goodInstall()
    {
        const InstallResult r = install("1.3");
        QVERIFY2(r.report.ok, r.report.reason.c_str());
        QVERIFY(r.installed);
        QCOMPARE(r.installed->id, kId);
        QCOMPARE(r.installed->name, std::string("Production inspection"));
        QCOMPARE(r.installed->version, std::string("1.3"));
        QCOMPARE(r.installed->tier, 2);
        QVERIFY(r.installed->previousVersion.empty());
        QCOMPARE(r.installed->dir, idDir() / "1.3");
        QCOMPARE(r.tier.tier, 2);
        checkInstalled("1.3", 2);

        const QJsonObject st = readState(idDir());
        QCOMPARE(st.value("id").toString(), QString::fromStdString(kId));
        QCOMPARE(st.value("name").toString(), QString("Production inspection"));
        QCOMPARE(st.value("version").toString(), QString("1.3"));
        QCOMPARE(st.value("previous_version").toString(), QString());
        QCOMPARE(st.value("tier").toInt(), 2);
        QCOMPARE(st.value("downgrade_override").toBool(true), false);
        QVERIFY(!st.value("installed_at").toString().isEmpty());
        QCOMPARE(st.value("history").toArray().size(), 1);
        QVERIFY(st.value("history").toArray().first().toString().contains("install 1.3 (tier_2)"));

        auto found = findInstalled(root(), kId);
        QVERIFY(found);
        QCOMPARE(found->version, std::string("1.3"));
        QCOMPARE(found->installedAt, r.installed->installedAt);
        QCOMPARE(found->history, r.installed->history);
        const auto all = listInstalled(root());
        QCOMPARE(all.size(), std::size_t(1));
        QVERIFY(!findInstalled(root(), "nothing-here"));
        QVERIFY(listInstalled(sb_->path() / "nowhere").empty());
    }

    void upgradeKeepsPreviousRemovesOlder()
    {
        QVERIFY(install("1.2").report.ok);
        auto r13 = install("1.3");
        QVERIFY2(r13.report.ok, r13.report.reason.c_str());
        QCOMPARE(r13.installed->previousVersion, std::string("1.2"));
        QVERIFY(fs::is_directory(idDir() / "1.2"));
        auto r14 = install("1.4");
        QVERIFY2(r14.report.ok, r14.report.reason.c_str());
        QCOMPARE(r14.installed->previousVersion, std::string("1.3"));
        checkInstalled("1.4", 2);
        QVERIFY(fs::is_directory(idDir() / "1.3"));
        QVERIFY(!fs::exists(idDir() / "1.2"));
        QCOMPARE(r14.installed->history.size(), std::size_t(3));
        QVERIFY(r14.installed->history.back().find("replacing 1.3") != std::string::npos);
        QCOMPARE(readState(idDir()).value("previous_version").toString(), QString("1.3"));
    }

    void rollback()
    {
        QVERIFY(install("1.3").report.ok);
        auto none = rollbackPackage(root(), kId);
        QVERIFY(!none.ok());
        QVERIFY2(none.message().find("no previous version") != std::string::npos, none.message().c_str());
        QVERIFY(!rollbackPackage(root(), "not-installed").ok());

        QVERIFY(install("1.4").report.ok);
        auto rb = rollbackPackage(root(), kId);
        QVERIFY2(rb.ok(), rb.ok() ? "" : rb.message().c_str());
        checkInstalled("1.3", 2);
        auto found = findInstalled(root(), kId);
        QVERIFY(found);
        QCOMPARE(found->version, std::string("1.3"));
        QCOMPARE(found->previousVersion, std::string("1.4"));
        QCOMPARE(found->history.size(), std::size_t(3));
        QVERIFY(found->history.back().find("rollback 1.4 -> 1.3") != std::string::npos);
        QCOMPARE(readState(idDir()).value("version").toString(), QString("1.3"));

        // Rolling back again returns to 1.4; both versions are kept.
        QVERIFY(rollbackPackage(root(), kId).ok());
        checkInstalled("1.4", 2);
        QVERIFY(fs::is_directory(idDir() / "1.3"));
    }

    void sameOrOlderRefused()
    {
        QVERIFY(install("1.3").report.ok);
        const auto before = testutil::snapshotTree(idDir());

        auto same = install("1.3");
        QVERIFY(!same.report.ok);
        QVERIFY(!same.installed);
        QVERIFY2(same.report.reason.find("1.3 is already installed") != std::string::npos, same.report.reason.c_str());
        QVERIFY2(same.report.reason.find("--allow-downgrade") != std::string::npos, same.report.reason.c_str());

        auto older = install("1.2");
        QVERIFY(!older.report.ok);
        QCOMPARE(older.report.reason, std::string("production-inspection 1.3 is already installed; 1.2 is older "
                                                  "(use --allow-downgrade to install it anyway)"));
        QVERIFY(testutil::snapshotTree(idDir()) == before);
    }

    void overrideAcceptedAndRecorded()
    {
        QVERIFY(install("1.3").report.ok);
        InstallOptions o = options();
        o.allowDowngrade = true;
        auto r = install("1.2", o);
        QVERIFY2(r.report.ok, r.report.reason.c_str());
        QVERIFY(r.installed->downgradeOverride);
        QCOMPARE(r.installed->previousVersion, std::string("1.3"));
        checkInstalled("1.2", 2);
        QVERIFY(r.installed->history.back().find("override") != std::string::npos);
        const QJsonObject st = readState(idDir());
        QCOMPARE(st.value("downgrade_override").toBool(), true);
        QVERIFY(st.value("history").toArray().last().toString().contains("downgrade override"));

        // Reinstalling the installed version replaces it in place and keeps
        // the rollback target.
        fs::remove(idDir() / "1.2" / kSmall); // damage the installed copy
        auto again = install("1.2", o);
        QVERIFY2(again.report.ok, again.report.reason.c_str());
        QCOMPARE(again.installed->previousVersion, std::string("1.3"));
        QVERIFY(again.installed->history.back().find("reinstall override") != std::string::npos);
        checkInstalled("1.2", 2);
        QVERIFY(fs::is_directory(idDir() / "1.3"));

        // A normal upgrade afterwards is no override.
        auto up = install("1.4");
        QVERIFY2(up.report.ok, up.report.reason.c_str());
        QVERIFY(!up.installed->downgradeOverride);
        QCOMPARE(up.installed->history.size(), std::size_t(4));
    }

    void tierSelection()
    {
        auto r = install("1.3", options(1));
        QVERIFY2(r.report.ok, r.report.reason.c_str());
        QCOMPARE(r.installed->tier, 1);
        checkInstalled("1.3", 1);
        QVERIFY(!fs::exists(idDir() / "1.3" / kLarge));

        // A tier 3 device gets the highest tier the package has (2).
        auto r3 = install("1.4", options(3));
        QVERIFY2(r3.report.ok, r3.report.reason.c_str());
        QCOMPARE(r3.installed->tier, 2);
        QCOMPARE(r3.tier.tier, 2);
        checkInstalled("1.4", 2);

        // From the hardware: a policy no machine meets above tier 1.
        InstallOptions o = options(std::nullopt);
        o.policy.rules = {TierRule{1, 0, 0, false, 0}, TierRule{2, 1ull << 60, 1, false, 0}};
        auto hw = install("1.5", o);
        QVERIFY2(hw.report.ok, hw.report.reason.c_str());
        QCOMPARE(hw.tier.tier, 1);
        QVERIFY2(hw.tier.reason.find("for tier_2") != std::string::npos, hw.tier.reason.c_str());
        checkInstalled("1.5", 1);
    }

    void tierExportLacksDeviceTierFiles()
    {
        // A tier 1 export cannot satisfy a tier 2 device: the device decides.
        CreateOptions o;
        o.missionDir = mission_;
        o.version = "1.3";
        o.outputDir = sb_->path() / "exports";
        o.meshKey = key_;
        o.tier = 1;
        auto pkg = createPackage(o, nullptr, CancelToken());
        QVERIFY2(pkg.ok(), pkg.ok() ? "" : pkg.message().c_str());
        auto r = installPackage(pkg->file, options(2), nullptr, CancelToken());
        QVERIFY(!r.report.ok);
        QVERIFY2(r.report.reason.find(kLarge) != std::string::npos, r.report.reason.c_str());
        QVERIFY(!fs::exists(root()));
        auto ok = installPackage(pkg->file, options(1), nullptr, CancelToken());
        QVERIFY2(ok.report.ok, ok.report.reason.c_str());
    }

    void freeSpaceTooSmall()
    {
        InstallOptions o = options();
        o.freeSpace = fixedFreeSpace(1024 * 1024);
        auto r = install("1.3", o);
        QVERIFY(!r.report.ok);
        const std::string& why = r.report.reason;
        QVERIFY2(why.find(root().string()) != std::string::npos, why.c_str());
        QVERIFY2(why.find("1.0 MiB available") != std::string::npos, why.c_str());
        QVERIFY2(why.find("needs ") != std::string::npos, why.c_str());
        QVERIFY(!fs::exists(root())); // nothing written, not even the directories

        // An upgrade refused for space leaves the install alone.
        QVERIFY(install("1.3").report.ok);
        const auto before = testutil::snapshotTree(idDir());
        QVERIFY(!install("1.4", o).report.ok);
        QVERIFY(testutil::snapshotTree(idDir()) == before);

        o.freeSpace = fixedFreeSpace(1ull << 40);
        QVERIFY(install("1.4", o).report.ok);
    }

    // The window once allowed max(1 %, 16 MiB) of headroom while core
    // required 1 % + 16 MiB: a package whose free space fell between the two
    // was offered by the window and refused by core. One plan decides now.
    void spaceBetweenTheOldRulesIsRefusedByThePlan()
    {
        InstallOptions probe = options();
        probe.root = sb_->path() / "probe-root";
        probe.freeSpace = fixedFreeSpace(1ull << 40);
        const auto sized = install("1.3", probe);
        QVERIFY2(sized.report.ok, sized.report.reason.c_str());
        QVERIFY(sized.plan);
        const std::uint64_t files = sized.plan->fileBytes;
        QVERIFY2(files >= 100, "the package must be large enough for 1 % to count");
        QCOMPARE(sized.plan->marginBytes, files / 100 + (16ull << 20));

        const std::uint64_t windowRule = files + std::max<std::uint64_t>(files / 100, 16ull << 20);
        InstallOptions o = options();
        o.freeSpace = fixedFreeSpace(windowRule);
        const auto r = install("1.3", o);
        QVERIFY(!r.report.ok);
        QVERIFY2(r.report.reason.find("not enough free space") != std::string::npos, r.report.reason.c_str());
        QVERIFY(r.plan);
        QCOMPARE(r.plan->space(), SpaceCheck::Short);
        QVERIFY(r.plan->refusal(true).has_value()); // consent to a downgrade does not buy space
        QVERIFY(!fs::exists(root()));

        o.freeSpace = fixedFreeSpace(files + files / 100 + (16ull << 20));
        const auto ok = install("1.3", o);
        QVERIFY2(ok.report.ok, ok.report.reason.c_str());
        QCOMPARE(ok.plan->space(), SpaceCheck::Enough);
    }

    // Free space the filesystem cannot tell is "unknown", not 0: installed
    // with a warning naming the root; a reported 0 is a full disk.
    void unknownFreeSpaceInstallsWithAWarning()
    {
        InstallOptions o = options();
        o.freeSpace = fixedFreeSpace(0);
        const auto full = install("1.3", o);
        QVERIFY(!full.report.ok);
        QVERIFY2(full.report.reason.find("0 B available") != std::string::npos, full.report.reason.c_str());

        o.freeSpace = fixedFreeSpace(std::nullopt);
        const auto r = install("1.3", o);
        QVERIFY2(r.report.ok, r.report.reason.c_str());
        QVERIFY(r.plan);
        QCOMPARE(r.plan->space(), SpaceCheck::Unknown);
        QVERIFY(!r.plan->freeBytes);
        const std::string warning = r.plan->warning();
        QVERIFY2(warning.find(root().string()) != std::string::npos, warning.c_str());
        QVERIFY2(warning.find("free space unknown") != std::string::npos, warning.c_str());
        checkInstalled("1.3", 2);
    }

    // The plan reads the installed version the installer refuses by.
    void planSaysInstalledVersionAndDowngrade()
    {
        QVERIFY(install("1.4").report.ok);
        const auto r = install("1.3");
        QVERIFY(!r.report.ok);
        QVERIFY(r.plan);
        QCOMPARE(r.plan->installedVersion.value_or(""), std::string("1.4"));
        QVERIFY(r.plan->downgrade);
        QCOMPARE(r.plan->refusal(false).value_or(""), r.report.reason);
        QVERIFY(!r.plan->refusal(true));
    }

    void tamperedContentInstallsNothing()
    {
        const fs::path bad = sb_->path() / "tampered.atmo";
        auto entries = testutil::readTarEntries(package("1.4"));
        bool flipped = false;
        for (auto& e : entries)
            if (e.path == kLarge) {
                e.data[e.data.size() / 2] ^= 0x01;
                flipped = true;
            }
        QVERIFY(flipped);
        testutil::writeTarEntries(bad, entries);

        auto fresh = installPackage(bad, options(), nullptr, CancelToken());
        QVERIFY(!fresh.report.ok);
        QVERIFY2(fresh.report.reason.find(kLarge) != std::string::npos, fresh.report.reason.c_str());
        QVERIFY(!fs::exists(root()));

        QVERIFY(install("1.3").report.ok);
        const auto before = testutil::snapshotTree(idDir());
        auto r = installPackage(bad, options(), nullptr, CancelToken());
        QVERIFY(!r.report.ok);
        QVERIFY(!r.installed);
        QVERIFY(testutil::snapshotTree(idDir()) == before);
        checkInstalled("1.3", 2);
    }

    void hostileEntryWritesNothingOutside()
    {
        const fs::path bad = sb_->path() / "hostile.atmo";
        auto entries = testutil::readTarEntries(package("1.3"));
        entries.push_back({"models/../../../escaped", "boom", '0', ""});
        entries.push_back({"models/link", "", '2', "/etc/passwd"});
        testutil::writeTarEntries(bad, entries);
        auto r = installPackage(bad, options(), nullptr, CancelToken());
        QVERIFY(!r.report.ok);
        QVERIFY(!fs::exists(root()));
        QVERIFY(!fs::exists(sb_->path() / "escaped"));
    }

    void interruptedImportKeepsOldVersion()
    {
        QVERIFY(install("1.3").report.ok);
        const auto before = testutil::snapshotTree(idDir());

        CancelToken cancel;
        CancelObserver obs(cancel, idDir());
        obs.cancelAfterFiles = 3;
        auto r = installPackage(package("1.4"), options(), &obs, cancel);
        QVERIFY(!r.report.ok);
        QCOMPARE(r.report.reason, std::string("cancelled"));
        QVERIFY(obs.sawStagingContent);
        QVERIFY(testutil::snapshotTree(idDir()) == before);
        checkInstalled("1.3", 2);
        QVERIFY(!fs::exists(idDir() / "1.4"));

        // Cancelled from the progress callback, before any content.
        CancelToken cancel2;
        ProgressCancel pc(cancel2);
        auto r2 = installPackage(package("1.4"), options(), &pc, cancel2);
        QVERIFY(pc.fired);
        QVERIFY(!r2.report.ok);
        QVERIFY(testutil::snapshotTree(idDir()) == before);

        // And the next attempt goes through.
        QVERIFY(install("1.4").report.ok);
        checkInstalled("1.4", 2);
    }

    void concurrentInstallRefused()
    {
        QVERIFY(install("1.3").report.ok);
        const auto before = testutil::snapshotTree(idDir());
        const int fd = ::open(idDir().c_str(), O_RDONLY | O_DIRECTORY);
        QVERIFY(fd >= 0);
        QCOMPARE(::flock(fd, LOCK_EX), 0); // as another installer holds it
        auto r = install("1.4");
        QVERIFY(!r.report.ok);
        QVERIFY2(r.report.reason.find("another install") != std::string::npos, r.report.reason.c_str());
        QVERIFY(!rollbackPackage(root(), kId).ok());
        ::close(fd);
        QVERIFY(testutil::snapshotTree(idDir()) == before);
        QVERIFY(install("1.4").report.ok);
    }

    void recoversFromCrashLeftovers()
    {
        QVERIFY(install("1.3").report.ok);
        QVERIFY(install("1.4").report.ok);
        // A crash after `current` was switched back but before state.json was
        // written: the link is the authority.
        fs::remove(idDir() / "current");
        fs::create_directory_symlink("1.3", idDir() / "current");
        auto found = findInstalled(root(), kId);
        QVERIFY(found);
        QCOMPARE(found->version, std::string("1.3"));
        QCOMPARE(found->previousVersion, std::string("1.4"));

        // Leftovers of a crashed install: a staging directory, a temporary
        // link, an orphan version directory that never became current.
        testutil::writeFile(idDir() / ".staging-dead00/models/x", "partial");
        fs::create_directory_symlink("1.3", idDir() / ".current-dead0000");
        testutil::writeFile(idDir() / "9.9/config/x.yaml", "orphan");
        auto again = findInstalled(root(), kId);
        QVERIFY(again && again->version == "1.3");
        QCOMPARE(listInstalled(root()).size(), std::size_t(1));

        auto r = install("1.5");
        QVERIFY2(r.report.ok, r.report.reason.c_str());
        QCOMPARE(r.installed->previousVersion, std::string("1.3"));
        checkInstalled("1.5", 2);
        QVERIFY(!fs::exists(idDir() / "9.9"));
        QVERIFY(!fs::exists(idDir() / "1.4"));
    }
};

ATMO_TEST_GUILESS_MAIN(TstInstall)
#include "tst_install.moc"
