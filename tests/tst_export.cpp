// exportPackage: one read of a verified source feeding several targets at
// once, each written under a temporary name, read back and compared before
// it takes its final name; a custody entry records the export. Faulty
// drives are simulated by an ExportTarget wrapping the real directoryTarget.
#include <QtTest>

#include <mutex>

#include "core/drives/package_export.h"
#include "core/package/package_verifier.h"
#include "core/base/sha256.h"
#include "core/package/package_writer.h"
#include "core/package/trust_store.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

const std::string kLarge = "models/llama-edge-2.0.gguf"; // tier 2 only
const std::string kSmall = "models/tinyyolo-defects-1.3.onnx";
const std::string kFullName = "production-inspection-v1.3.atmo";

// Every name in dir (hidden ones included).
std::vector<std::string> listDir(const fs::path& dir)
{
    std::vector<std::string> out;
    if (fs::exists(dir))
        for (const auto& e : fs::directory_iterator(dir))
            out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string joined(const std::vector<std::string>& v)
{
    std::string s;
    for (const auto& x : v)
        s += x + " ";
    return s;
}

// A directory target with injectable faults, counting what it was asked to do.
class FaultyTarget : public ExportTarget {
public:
    explicit FaultyTarget(const fs::path& dir) : inner_(directoryTarget(dir)) {}

    std::uint64_t failAfterBytes = UINT64_MAX;     // write() throws once this many bytes are written
    std::optional<std::uint64_t> flipReadBackAt;   // readBack() returns this byte flipped
    std::optional<std::uint64_t> freeOverride;
    bool readOnlyOverride = false;

    struct Counts {
        int opens = 0, writes = 0, commits = 0, discards = 0;
        std::uint64_t bytes = 0;
    };
    std::shared_ptr<Counts> counts = std::make_shared<Counts>();

    std::string name() const override { return inner_->name(); }
    fs::path directory() const override { return inner_->directory(); }
    void open(const std::string& finalName) override
    {
        ++counts->opens;
        inner_->open(finalName);
    }
    void write(const void* data, std::size_t size) override
    {
        ++counts->writes;
        if (counts->bytes + size > failAfterBytes)
            throw Failure(name() + ": write failed: Input/output error (the drive was removed)");
        inner_->write(data, size);
        counts->bytes += size;
    }
    void sync() override { inner_->sync(); }
    void dropCache() override { inner_->dropCache(); }
    std::size_t readBack(std::uint64_t offset, void* buf, std::size_t size) override
    {
        const std::size_t n = inner_->readBack(offset, buf, size);
        if (flipReadBackAt && *flipReadBackAt >= offset && *flipReadBackAt < offset + n)
            static_cast<char*>(buf)[*flipReadBackAt - offset] ^= 0x10;
        return n;
    }
    void commit() override
    {
        ++counts->commits;
        inner_->commit();
    }
    void discard() override
    {
        ++counts->discards;
        inner_->discard();
    }
    std::uint64_t freeBytes() const override { return freeOverride ? *freeOverride : inner_->freeBytes(); }
    bool readOnly() const override { return readOnlyOverride || inner_->readOnly(); }

private:
    std::unique_ptr<ExportTarget> inner_;
};

class RecordingExportObserver : public ExportObserver {
public:
    std::mutex mutex;
    std::map<std::size_t, int> done;
    std::map<std::size_t, TargetResult> results;
    std::function<void(std::size_t, const Progress&)> onProgressHook;

    void onTargetProgress(std::size_t i, const Progress& p) override
    {
        if (onProgressHook)
            onProgressHook(i, p);
    }
    void onTargetDone(std::size_t i, const TargetResult& r) override
    {
        std::lock_guard lock(mutex);
        ++done[i];
        results[i] = r;
    }
};

} // namespace

class TstExport : public QObject {
    Q_OBJECT

    std::unique_ptr<testutil::Sandbox> sb_;
    SecretKey mesh_, station_;
    std::unique_ptr<TrustStore> trust_;
    fs::path source_; // the full package

    fs::path build(std::optional<int> tier = std::nullopt, const fs::path& mission = {})
    {
        CreateOptions o;
        o.missionDir = mission.empty() ? sb_->path() / "mission" : mission;
        o.version = "1.3";
        o.outputDir = sb_->path() / ((tier ? "src-tier" : "src") + mission.filename().string());
        o.meshKey = mesh_;
        o.tier = tier;
        o.stationName = "creator";
        o.stationKey = station_;
        auto r = createPackage(o, nullptr, CancelToken());
        if (!r)
            qFatal("createPackage: %s", r.message().c_str());
        return r->file;
    }

    // A package with a 6 MiB model, built once per test on demand.
    fs::path bigSource()
    {
        testutil::MissionSpec spec;
        spec.largeModelSize = 6u << 20;
        testutil::makeMission(sb_->path() / "big", spec);
        return build(std::nullopt, sb_->path() / "big");
    }

    ExportOptions options(std::optional<int> tier = std::nullopt)
    {
        ExportOptions o;
        o.tier = tier;
        o.trust = trust_.get();
        o.stationKey = station_;
        o.stationName = "burner";
        return o;
    }

    VerifyReport verify(const fs::path& file, std::optional<int> tier = std::nullopt)
    {
        VerifyOptions o;
        o.trust = trust_.get();
        o.tier = tier;
        return verifyPackage(file, o, nullptr, CancelToken());
    }

    template <class... T>
    static std::vector<std::unique_ptr<ExportTarget>> targets(T... t)
    {
        std::vector<std::unique_ptr<ExportTarget>> v;
        (v.push_back(std::move(t)), ...);
        return v;
    }

private slots:
    void init()
    {
        sb_ = std::make_unique<testutil::Sandbox>();
        testutil::makeMission(sb_->path() / "mission");
        mesh_ = testutil::makeKey();
        station_ = testutil::makeKey();
        testutil::trustKey(sb_->path() / "home", mesh_, TrustRole::Mesh, "mesh");
        testutil::trustKey(sb_->path() / "home", station_, TrustRole::Station, "station A");
        trust_ = std::make_unique<TrustStore>(sb_->path() / "home" / "trust");
        source_ = build();
    }
    void cleanup()
    {
        trust_.reset();
        sb_.reset();
    }

    void toTwoDirectoriesAtOnce()
    {
        const fs::path a = sb_->path() / "usb-a", b = sb_->path() / "usb-b";
        fs::create_directories(a);
        fs::create_directories(b);
        RecordingExportObserver obs;
        auto r = exportPackage(source_, targets(directoryTarget(a), directoryTarget(b)), options(), &obs,
                               CancelToken());
        QVERIFY2(r, r ? "" : r.message().c_str());
        QCOMPARE(r->size(), std::size_t(2));
        std::string sha;
        for (std::size_t i = 0; i < 2; ++i) {
            const TargetResult& t = (*r)[i];
            const fs::path dir = i == 0 ? a : b;
            QVERIFY2(t.ok, t.error.c_str());
            QCOMPARE(t.target, dir.string());
            QCOMPARE(t.file, dir / kFullName);
            QCOMPARE(listDir(dir), std::vector<std::string>{kFullName}); // no .part- leftovers
            QCOMPARE(t.bytes, std::uint64_t(fs::file_size(t.file)));
            QCOMPARE(t.sha256, sha256FileHex(t.file, CancelToken()).value());
            if (i == 1)
                QCOMPARE(t.sha256, sha); // one source read, the same bytes everywhere
            sha = t.sha256;
            QCOMPARE(obs.done[i], 1);

            const VerifyReport v = verify(t.file);
            QVERIFY2(v.ok, v.reason.c_str());
            QCOMPARE(v.completeTiers, (std::vector<int>{1, 2}));
            // The created entry from the source, then this export, both signed and valid.
            QCOMPARE(v.custody.size(), std::size_t(2));
            QCOMPARE(v.custody[0].entry.action, std::string("created"));
            QCOMPARE(v.custody[1].entry.action, std::string("exported"));
            QCOMPARE(v.custody[1].entry.station, std::string("burner"));
            QCOMPARE(v.custody[1].entry.keyId, station_.keyId());
            QVERIFY(v.custody[1].entry.detail.find("full package") != std::string::npos);
            for (const auto& c : v.custody) {
                QVERIFY(c.valid);
                QVERIFY(c.trusted);
                QCOMPARE(c.trustedName, std::string("station A"));
            }
            // The signed manifest went through untouched.
            QCOMPARE(v.manifestSha256, verify(source_).manifestSha256);
        }
    }

    void tierExportCarriesOnlyThatTier()
    {
        const fs::path a = sb_->path() / "usb-a", b = sb_->path() / "usb-b";
        fs::create_directories(a);
        fs::create_directories(b);
        auto r = exportPackage(source_, targets(directoryTarget(a), directoryTarget(b)), options(1), nullptr,
                               CancelToken());
        QVERIFY2(r, r ? "" : r.message().c_str());
        for (const auto& t : *r) {
            QVERIFY2(t.ok, t.error.c_str());
            QCOMPARE(t.file.filename().string(), std::string("production-inspection-v1.3-tier1.atmo"));
            QCOMPARE(listDir(t.file.parent_path()).size(), std::size_t(1));
            std::vector<std::string> paths;
            for (const auto& e : testutil::readTarEntries(t.file))
                paths.push_back(e.path);
            QVERIFY2(std::find(paths.begin(), paths.end(), kLarge) == paths.end(), joined(paths).c_str());
            QVERIFY(std::find(paths.begin(), paths.end(), kSmall) != paths.end());
            QVERIFY(std::find(paths.begin(), paths.end(), "knowledge/defects.chunks.jsonl") != paths.end());
            for (const auto& e : testutil::readTarEntries(t.file))
                if (e.path == kChecksumsName)
                    QVERIFY(e.data.find(kLarge) == std::string::npos);

            VerifyReport v = verify(t.file, 1);
            QVERIFY2(v.ok, v.reason.c_str());
            QCOMPARE(v.completeTiers, std::vector<int>{1});
            QCOMPARE(v.custody.back().entry.action, std::string("exported"));
            QVERIFY(v.custody.back().entry.detail.find("tier_1") != std::string::npos);
            QVERIFY(v.custody.back().valid);
            v = verify(t.file, 2);
            QVERIFY(!v.ok);
            QVERIFY2(v.reason.find(kLarge) != std::string::npos, v.reason.c_str());
        }
    }

    void reexportingATierExportWithoutATier()
    {
        // A tier 1 export exported again with no tier: whatever comes out must
        // verify, and must not claim to be the full package.
        const fs::path tier1 = build(1);
        const fs::path a = sb_->path() / "usb-a";
        fs::create_directories(a);
        auto r = exportPackage(tier1, targets(directoryTarget(a)), options(), nullptr, CancelToken());
        if (!r || !(*r)[0].ok)
            return; // refused: acceptable
        const VerifyReport v = verify((*r)[0].file);
        QVERIFY2(v.ok, qPrintable("the export of a tier 1 package does not verify: " + QString::fromStdString(v.reason)));
        QVERIFY2((*r)[0].file.filename() != kFullName, "a tier 1 package was exported under the full package's name");
    }

    void oneDrivePulledMidWrite()
    {
        const fs::path a = sb_->path() / "usb-a", b = sb_->path() / "usb-b";
        fs::create_directories(a);
        fs::create_directories(b);
        // A source big enough that the drive goes while the source is still
        // being read: the first 1 MiB block lands, the second fails.
        const fs::path big = bigSource();
        auto pulled = std::make_unique<FaultyTarget>(a);
        pulled->failAfterBytes = 3u << 19;
        auto counts = pulled->counts;
        RecordingExportObserver obs;
        auto r = exportPackage(big, targets(std::move(pulled), directoryTarget(b)), options(), &obs,
                               CancelToken());
        QVERIFY2(r, r ? "" : r.message().c_str());
        const TargetResult& bad = (*r)[0];
        QVERIFY(!bad.ok);
        QVERIFY2(bad.error.find(a.string()) != std::string::npos, bad.error.c_str());
        QVERIFY2(bad.error.find("removed") != std::string::npos, bad.error.c_str());
        QVERIFY(bad.file.empty());
        QVERIFY2(listDir(a).empty(), joined(listDir(a)).c_str());
        QCOMPARE(counts->commits, 0);
        QVERIFY(counts->discards >= 1);
        QVERIFY(counts->bytes > 0); // it really was mid-write
        QCOMPARE(obs.done[0], 1);

        const TargetResult& good = (*r)[1];
        QVERIFY2(good.ok, good.error.c_str());
        QCOMPARE(listDir(b), std::vector<std::string>{kFullName});
        const VerifyReport v = verify(good.file);
        QVERIFY2(v.ok, v.reason.c_str());
        QCOMPARE(obs.done[1], 1);
    }

    void readBackDiffers()
    {
        const fs::path a = sb_->path() / "usb-a", b = sb_->path() / "usb-b";
        fs::create_directories(a);
        fs::create_directories(b);
        auto faulty = std::make_unique<FaultyTarget>(a);
        faulty->flipReadBackAt = 600 * 1024; // inside a model
        auto counts = faulty->counts;
        auto r = exportPackage(source_, targets(std::move(faulty), directoryTarget(b)), options(), nullptr,
                               CancelToken());
        QVERIFY2(r, r ? "" : r.message().c_str());
        const TargetResult& bad = (*r)[0];
        QVERIFY(!bad.ok);
        QVERIFY2(bad.error.find(a.string()) != std::string::npos, bad.error.c_str());
        QVERIFY2(bad.error.find("read back differs") != std::string::npos, bad.error.c_str());
        QCOMPARE(bad.problem, DriveProblem::ReadBackDiffers); // the kind the window words
        QCOMPARE((*r)[1].problem, DriveProblem::None);
        QCOMPARE(counts->commits, 0);
        QVERIFY2(listDir(a).empty(), joined(listDir(a)).c_str()); // no final name, no temp file

        QVERIFY2((*r)[1].ok, (*r)[1].error.c_str());
        QVERIFY(verify((*r)[1].file).ok);
    }

    void targetTooFull()
    {
        const fs::path a = sb_->path() / "usb-a", b = sb_->path() / "usb-b";
        fs::create_directories(a);
        fs::create_directories(b);
        auto full = std::make_unique<FaultyTarget>(a);
        full->freeOverride = 64 * 1024;
        auto counts = full->counts;
        auto r = exportPackage(source_, targets(std::move(full), directoryTarget(b)), options(), nullptr,
                               CancelToken());
        QVERIFY2(r, r ? "" : r.message().c_str());
        const TargetResult& bad = (*r)[0];
        QVERIFY(!bad.ok);
        QVERIFY2(bad.error.find(a.string()) != std::string::npos, bad.error.c_str());
        QVERIFY2(bad.error.find("not enough free space") != std::string::npos, bad.error.c_str());
        QCOMPARE(bad.problem, DriveProblem::NoSpace);
        QCOMPARE(bad.code, ErrorCode::NoSpace);
        QCOMPARE(counts->opens, 0);  // refused before writing anything
        QCOMPARE(counts->writes, 0);
        QVERIFY(listDir(a).empty());
        QVERIFY2((*r)[1].ok, (*r)[1].error.c_str());

        // Every target full: each says why, nothing is written.
        auto f1 = std::make_unique<FaultyTarget>(a);
        f1->freeOverride = 0;
        auto f2 = std::make_unique<FaultyTarget>(sb_->path());
        f2->freeOverride = 1;
        auto all = exportPackage(source_, targets(std::move(f1), std::move(f2)), options(), nullptr, CancelToken());
        if (all) {
            for (const auto& t : *all) {
                QVERIFY(!t.ok);
                QVERIFY2(t.error.find("not enough free space") != std::string::npos, t.error.c_str());
            }
        } else {
            QVERIFY2(all.message().find("free space") != std::string::npos, all.message().c_str());
        }
        QVERIFY(listDir(a).empty());
    }

    void readOnlyTarget()
    {
        const fs::path a = sb_->path() / "usb-a", b = sb_->path() / "usb-b";
        fs::create_directories(a);
        fs::create_directories(b);
        auto ro = std::make_unique<FaultyTarget>(a);
        ro->readOnlyOverride = true;
        auto counts = ro->counts;
        auto r = exportPackage(source_, targets(std::move(ro), directoryTarget(b)), options(), nullptr,
                               CancelToken());
        QVERIFY2(r, r ? "" : r.message().c_str());
        QVERIFY(!(*r)[0].ok);
        QVERIFY2((*r)[0].error.find("read-only") != std::string::npos, (*r)[0].error.c_str());
        QCOMPARE((*r)[0].problem, DriveProblem::ReadOnly);
        QVERIFY2((*r)[0].error.find(a.string()) != std::string::npos, (*r)[0].error.c_str());
        QCOMPARE(counts->opens, 0);
        QCOMPARE(counts->writes, 0);
        QVERIFY(listDir(a).empty());
        QVERIFY2((*r)[1].ok, (*r)[1].error.c_str());

        // A directory that is not there (drive not mounted).
        auto r2 = exportPackage(source_, targets(directoryTarget(sb_->path() / "not-mounted"), directoryTarget(b)),
                                options(1), nullptr, CancelToken());
        QVERIFY2(r2, r2 ? "" : r2.message().c_str());
        QVERIFY(!(*r2)[0].ok);
        QVERIFY2((*r2)[0].error.find("not-mounted") != std::string::npos, (*r2)[0].error.c_str());
        QVERIFY(!fs::exists(sb_->path() / "not-mounted"));
        QVERIFY((*r2)[1].ok);
    }

    void badSourceWritesNothing_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("flipped model byte") << "flip";
        QTest::newRow("edited manifest") << "manifest";
        QTest::newRow("truncated") << "truncate";
        QTest::newRow("untrusted") << "untrusted";
    }

    void badSourceWritesNothing()
    {
        QFETCH(QString, damage);
        std::string bytes = testutil::readFile(source_);
        const fs::path bad = sb_->path() / "bad.atmo";
        const TrustStore* store = trust_.get();
        testutil::Sandbox otherHome;
        TrustStore empty(otherHome.path() / "trust");
        if (damage == "flip") {
            const std::string model = testutil::readFile(sb_->path() / "mission" / kSmall);
            const auto at = bytes.find(model.substr(0, 256));
            QVERIFY(at != std::string::npos);
            bytes[at + 250000] ^= 1; // late, after the targets were opened and written to
        } else if (damage == "manifest") {
            const auto at = bytes.find("format: \"1\"");
            QVERIFY(at != std::string::npos);
            bytes[at + 9] = '2';
        } else if (damage == "truncate") {
            bytes.resize(bytes.size() * 2 / 3);
        } else {
            store = &empty;
        }
        testutil::writeFile(bad, bytes);

        const fs::path a = sb_->path() / "usb-a", b = sb_->path() / "usb-b";
        fs::create_directories(a);
        fs::create_directories(b);
        ExportOptions o = options();
        o.trust = store;
        auto r = exportPackage(bad, targets(directoryTarget(a), directoryTarget(b)), o, nullptr, CancelToken());
        QVERIFY2(!r, "a bad source was exported");
        QVERIFY2(r.message().find("bad.atmo") != std::string::npos, r.message().c_str());
        QVERIFY2(listDir(a).empty(), joined(listDir(a)).c_str());
        QVERIFY2(listDir(b).empty(), joined(listDir(b)).c_str());
    }

    void cancelledMidExport()
    {
        // Big enough that the writer hands bytes to the targets while the
        // source is still being read (it writes in 1 MiB blocks).
        const fs::path big = bigSource();
        const fs::path a = sb_->path() / "usb-a", b = sb_->path() / "usb-b";
        fs::create_directories(a);
        fs::create_directories(b);
        CancelToken cancel;
        RecordingExportObserver obs;
        std::uint64_t cancelledAt = 0;
        obs.onProgressHook = [&](std::size_t, const Progress& p) {
            if (p.phase == atmo::Phase::Writing && p.done > (1u << 20) && !cancel.cancelled()) {
                cancelledAt = p.done;
                cancel.cancel();
            }
        };
        auto r = exportPackage(big, targets(directoryTarget(a), directoryTarget(b)), options(), &obs, cancel);
        QVERIFY2(cancelledAt > 0 && cancelledAt < (6u << 20), "not cancelled while writing");
        if (r) { // each target may carry the cancellation instead of the whole
            for (const auto& t : *r) {
                QVERIFY(!t.ok);
                QCOMPARE(t.error, std::string("cancelled"));
            }
        } else {
            QVERIFY2(r.message().find("cancelled") != std::string::npos, r.message().c_str());
        }
        QVERIFY2(listDir(a).empty(), joined(listDir(a)).c_str());
        QVERIFY2(listDir(b).empty(), joined(listDir(b)).c_str());
    }

    void tierTheSourceLacks()
    {
        const fs::path a = sb_->path() / "usb-a";
        fs::create_directories(a);
        auto r = exportPackage(source_, targets(directoryTarget(a)), options(7), nullptr, CancelToken());
        const std::string msg = !r ? r.message() : (*r)[0].error;
        QVERIFY(!r || !(*r)[0].ok);
        QVERIFY2(msg.find("has no tier_7 (it has tier_1, tier_2)") != std::string::npos, msg.c_str());
        QVERIFY(listDir(a).empty());
        auto none = exportPackage(source_, {}, options(), nullptr, CancelToken());
        QVERIFY(!none);
    }
};

ATMO_TEST_GUILESS_MAIN(TstExport)
#include "tst_export.moc"
