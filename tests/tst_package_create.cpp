// package create: parallel hashing, tier packages, zstd, and the faults that
// must leave nothing behind (a file vanishing or changing mid-build, cancel).
#include <QtTest>

#include <atomic>
#include <fstream>
#include <mutex>
#include <set>

#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/base/fs_util.h"
#include "core/package/package_verifier.h"
#include "core/package/package_writer.h"
#include "core/package/trust_store.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

// Runs an action the first time a given phase reports (its start is always reported).
class PhaseHook : public atmo::Observer {
public:
    PhaseHook(atmo::Phase phase, std::function<void()> action) : phase_(std::move(phase)), action_(std::move(action)) {}
    void onProgress(const atmo::Progress& p) override
    {
        phases.push_back(p.phase);
        if (p.phase == phase_ && !fired_.exchange(true))
            action_();
    }
    std::vector<atmo::Phase> phases;

private:
    atmo::Phase phase_;
    std::function<void()> action_;
    std::atomic<bool> fired_{false};
};

int entriesIn(const fs::path& dir)
{
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        (void)e;
        ++n;
    }
    return n;
}

} // namespace

class PackageCreate : public QObject {
    Q_OBJECT

    Sandbox box;
    atmo::SecretKey mesh = makeKey();

    atmo::CreateOptions options(const std::string& version, const fs::path& out)
    {
        atmo::CreateOptions o;
        o.missionDir = box / "mission";
        o.version = version;
        o.outputDir = out;
        o.meshKey = mesh;
        o.stationName = "test-station";
        return o;
    }

    atmo::VerifyReport verify(const fs::path& file, std::optional<int> tier = std::nullopt)
    {
        atmo::TrustStore trust(box / "home/trust");
        atmo::VerifyOptions vo;
        vo.trust = &trust;
        vo.tier = tier;
        return atmo::verifyPackage(file, vo, nullptr, {});
    }

private slots:
    void initTestCase()
    {
        MissionSpec spec;
        spec.smallModelSize = 3 << 20;
        spec.largeModelSize = 9 << 20;
        makeMission(box / "mission", spec);
        trustKey(box / "home", mesh, atmo::TrustRole::Mesh);
    }

    void fullAndTierPackages()
    {
        auto full = atmo::createPackage(options("1.0", box / "out"), nullptr, {});
        QVERIFY2(full.ok(), full.ok() ? "" : full.message().c_str());
        QCOMPARE(full->file.filename().string(), std::string("production-inspection-v1.0.atmo"));
        QCOMPARE(full->manifest.files.size(), std::size_t(7));
        QCOMPARE(full->manifest.sizeByTier.at(1), full->manifest.sizeForTier(1));
        QVERIFY(full->manifest.sizeByTier.at(2) > full->manifest.sizeByTier.at(1));
        QCOMPARE(full->archiveBytes, fs::file_size(full->file));
        auto r = verify(full->file, 2);
        QVERIFY2(r.ok, r.reason.c_str());

        auto o = options("1.0", box / "out");
        o.tier = 1;
        auto tier1 = atmo::createPackage(o, nullptr, {});
        QVERIFY2(tier1.ok(), tier1.ok() ? "" : tier1.message().c_str());
        QCOMPARE(tier1->file.filename().string(), std::string("production-inspection-v1.0-tier1.atmo"));
        QVERIFY(fs::file_size(tier1->file) < fs::file_size(full->file));
        r = verify(tier1->file, 1);
        QVERIFY2(r.ok, r.reason.c_str());
        r = verify(tier1->file, 2);
        QVERIFY(!r.ok);
        QVERIFY2(r.reason.find("llama-edge-2.0.gguf") != std::string::npos, r.reason.c_str());

        o.tier = 7;
        auto bad = atmo::createPackage(o, nullptr, {});
        QVERIFY(!bad.ok());
        QVERIFY2(bad.message().find("tier_7 is not one of the mission's tiers (tier_1, tier_2)") != std::string::npos,
                 bad.message().c_str());
    }

    void zstdIsDetectedOnRead()
    {
        auto o = options("1.1", box / "zstd");
        o.compression = atmo::Compression::Zstd;
        auto created = atmo::createPackage(o, nullptr, {});
        QVERIFY(created.ok());
        auto r = verify(created->file);
        QVERIFY2(r.ok, r.reason.c_str());
        QVERIFY(r.compression == atmo::Compression::Zstd);
    }

    void reportsPhasesAndIsThrottled()
    {
        std::vector<atmo::Progress> seen;
        struct Collect : atmo::Observer {
            std::vector<atmo::Progress>* out;
            std::mutex m;
            void onProgress(const atmo::Progress& p) override
            {
                std::lock_guard l(m);
                out->push_back(p);
            }
        } collect;
        collect.out = &seen;
        QElapsedTimer t;
        t.start();
        auto created = atmo::createPackage(options("1.2", box / "phases"), &collect, {});
        const double secs = t.elapsed() / 1000.0;
        QVERIFY(created.ok());
        std::set<atmo::Phase> phases;
        for (const auto& p : seen)
            phases.insert(p.phase);
        QVERIFY(phases.count(atmo::Phase::Hashing));
        QVERIFY(phases.count(atmo::Phase::Writing));
        // At most ~10 reports a second per phase, plus one per phase change and the final one.
        QVERIFY2(seen.size() <= static_cast<std::size_t>(secs * 10 * 2 + 12),
                 qPrintable(QString("%1 reports in %2 s").arg(seen.size()).arg(secs)));
        const auto& last = seen.back();
        QVERIFY(last.done <= last.total || last.total == 0);
    }

    // Files are hashed in parallel, largest first: the progress names the
    // largest file in flight, not the small one that started last.
    void progressNamesTheLargestFileInFlight()
    {
        atmo::ProgressReporter r(nullptr, std::chrono::milliseconds(0));
        r.phase(atmo::Phase::Hashing, 100);
        r.beginItem("models/llama-edge-2.0.gguf", 90);
        r.beginItem("tools/camera-0.4.yaml", 5);
        QCOMPARE(r.snapshot().item, std::string("models/llama-edge-2.0.gguf"));
        // The named file's own bytes travel with it; another file's do not.
        r.itemDone("models/llama-edge-2.0.gguf", 40);
        r.itemDone("tools/camera-0.4.yaml", 4);
        QCOMPARE(r.snapshot().itemDone, std::uint64_t(40));
        QCOMPARE(r.snapshot().itemTotal, std::uint64_t(90));
        r.itemDone("not/begun.yaml", 7); // ignored
        r.endItem("tools/camera-0.4.yaml");
        QCOMPARE(r.snapshot().itemDone, std::uint64_t(40));
        {
            const atmo::ProgressItem named(r, "tools/reject-gate-1.1.yaml", 5);
            QCOMPARE(r.snapshot().item, std::string("models/llama-edge-2.0.gguf"));
        }
        r.beginItem("agents/inspector-1.0.yaml", 3);
        r.endItem("models/llama-edge-2.0.gguf");
        QCOMPARE(r.snapshot().item, std::string("agents/inspector-1.0.yaml"));
        QCOMPARE(r.snapshot().itemDone, std::uint64_t(0));
        QCOMPARE(r.snapshot().itemTotal, std::uint64_t(3));
        r.endItem("agents/inspector-1.0.yaml");
        QCOMPARE(r.snapshot().item, std::string("agents/inspector-1.0.yaml")); // the last stays named, as done
        QCOMPARE(r.snapshot().itemDone, std::uint64_t(3));
    }

    void fileVanishesDuringWrite()
    {
        // Copy the mission so the original stays intact for other tests.
        fs::copy(box / "mission", box / "vanish", fs::copy_options::recursive);
        auto o = options("2.0", box / "vanish-out");
        o.missionDir = box / "vanish";
        PhaseHook hook(atmo::Phase::Writing, [&] { fs::remove(box / "vanish/models/llama-edge-2.0.gguf"); });
        auto created = atmo::createPackage(o, &hook, {});
        QVERIFY(!created.ok());
        QVERIFY2(created.message().find("llama-edge-2.0.gguf") != std::string::npos, created.message().c_str());
        QVERIFY2(created.message().find("vanished") != std::string::npos, created.message().c_str());
        QCOMPARE(entriesIn(box / "vanish-out"), 0); // no .atmo, no .part file
    }

    void fileChangesAfterHashing()
    {
        fs::copy(box / "mission", box / "change", fs::copy_options::recursive);
        auto o = options("2.1", box / "change-out");
        o.missionDir = box / "change";
        PhaseHook hook(atmo::Phase::Writing, [&] { writeRandomFile(box / "change/models/llama-edge-2.0.gguf", 9 << 20, 99); });
        auto created = atmo::createPackage(o, &hook, {});
        QVERIFY(!created.ok());
        QVERIFY2(created.message().find("changed while the package was being built") != std::string::npos,
                 created.message().c_str());
        QCOMPARE(entriesIn(box / "change-out"), 0);
    }

    void changeCaughtWithoutRehashing()
    {
        // Files older than the racy window are not hashed again while copied;
        // a change must still be caught, through the file's identity. The
        // window is on the ctime, which cannot be back-dated: the build's
        // clock is set an hour ahead instead of waiting for the files to age.
        fs::copy(box / "mission", box / "settled", fs::copy_options::recursive);
        auto o = options("2.2", box / "settled-out");
        o.missionDir = box / "settled";
        o.racyClock = std::time(nullptr) + 3600;
        PhaseHook hook(atmo::Phase::Writing, [&] {
            std::fstream f(box / "settled/models/llama-edge-2.0.gguf", std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(4096);
            f.put('!');
        });
        auto created = atmo::createPackage(o, &hook, {});
        QVERIFY(!created.ok());
        QVERIFY2(created.message().find("llama-edge-2.0.gguf: changed while the package was being built") !=
                     std::string::npos,
                 created.message().c_str());
        QCOMPARE(entriesIn(box / "settled-out"), 0);
        // Unchanged, the same settled mission builds and verifies.
        o.version = "2.3";
        auto again = atmo::createPackage(o, nullptr, {});
        QVERIFY2(again.ok(), again.ok() ? "" : again.message().c_str());
        QVERIFY(verify(again->file).ok);
    }

    void cancelLeavesNothing()
    {
        for (const atmo::Phase phase : {atmo::Phase::Hashing, atmo::Phase::Writing}) {
            atmo::CancelToken cancel;
            PhaseHook hook(phase, [&] { cancel.cancel(); });
            const fs::path out = box / (std::string("cancel-") + atmo::phaseName(phase));
            auto created = atmo::createPackage(options("3.0", out), &hook, cancel);
            QVERIFY(!created.ok());
            QCOMPARE(created.message(), std::string("cancelled"));
            QVERIFY(!fs::exists(out) || entriesIn(out) == 0);
        }
    }

    void problemsStopTheBuild()
    {
        fs::copy(box / "mission", box / "problem", fs::copy_options::recursive);
        // A model needs its version in the station's form (agents and tools do not).
        writeFile(box / "problem/models/noversion.onnx", "weights");
        auto o = options("1.0", box / "problem-out");
        o.missionDir = box / "problem";
        auto created = atmo::createPackage(o, nullptr, {});
        QVERIFY(!created.ok());
        QVERIFY2(created.message().find("models/noversion.onnx") != std::string::npos, created.message().c_str());
        QVERIFY2(created.message().find("no version") != std::string::npos, created.message().c_str());
        QVERIFY(!fs::exists(box / "problem-out"));
    }

    void stalePartsOfKilledWritersAreRemovedLiveOnesKept()
    {
        // Where a filesystem has no O_TMPFILE, a writer's part file is named and
        // flock'ed; what a killed writer left (no lock) goes, a live one stays.
        testutil::Sandbox box;
        testutil::writeFile(box / ".pkg.atmo.part-dead01", std::string(1000, 'x'));
        testutil::writeFile(box / ".pkg.atmo.part-live01", std::string(1000, 'y'));
        testutil::writeFile(box / ".other.atmo.part-dead02", "z");
        atmo::UniqueFd live(::open((box / ".pkg.atmo.part-live01").c_str(), O_RDONLY | O_CLOEXEC));
        QVERIFY(live && ::flock(live.get(), LOCK_EX | LOCK_NB) == 0);
        atmo::removeStaleParts(box.path(), "pkg.atmo");
        QVERIFY(!fs::exists(box / ".pkg.atmo.part-dead01"));
        QVERIFY(fs::exists(box / ".pkg.atmo.part-live01"));
        QVERIFY(fs::exists(box / ".other.atmo.part-dead02")); // another file's part is not ours to judge
    }

    void atomicFileRefusesToReplaceWhenAsked()
    {
        testutil::Sandbox box;
        testutil::writeFile(box / "taken", "old");
        {
            atmo::AtomicFile f(box / "taken");
            f.write("new");
            QVERIFY_THROWS_EXCEPTION(atmo::Failure, f.commit(false));
        }
        QCOMPARE(testutil::readFile(box / "taken"), std::string("old"));
        {
            atmo::AtomicFile f(box / "taken");
            f.write("new");
            f.commit(true);
        }
        QCOMPARE(testutil::readFile(box / "taken"), std::string("new"));
        int entries = 0;
        for (const auto& e : fs::directory_iterator(box.path())) {
            (void)e;
            ++entries;
        }
        QCOMPARE(entries, 1); // no part file left either way
    }
};

ATMO_TEST_GUILESS_MAIN(PackageCreate)
#include "tst_package_create.moc"
