// The job layer between core and the window: jobs run on the pool, report
// on the GUI thread in coalesced batches, can be cancelled, and leave nothing
// behind when they are; the report writer says what the banner says.
#include <QSignalSpy>
#include <fstream>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "app/CreateJob.h"
#include "app/JobRunner.h"
#include "app/KeyJob.h"
#include "app/MissionJob.h"
#include "app/ReportWriter.h"
#include "app/UsbExportJob.h"
#include "app/Verdict.h"
#include "app/VerifyJob.h"
#include "core/package/install_plan.h"
#include "core/package/installer.h"
#include "core/package/mission.h"
#include "core/package/mission_registry.h"
#include "core/package/package_writer.h"
#include "fake_sysfs.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }
}

class TestAppJobs : public QObject {
    Q_OBJECT
    Sandbox box_;
    atmo::SecretKey mesh_ = makeKey();
    fs::path package_;

private slots:
    void initTestCase()
    {
        qputenv("ATMOSPHERE_HOME", box_.path().string().c_str());
        trustKey(box_.path(), mesh_, atmo::TrustRole::Mesh, "Test mesh");
        MissionSpec spec;
        spec.largeModelSize = 24u << 20;
        makeMission(box_ / "mission", spec);
        atmo::CreateOptions options;
        options.missionDir = box_ / "mission";
        options.version = "1.0";
        options.outputDir = box_ / "out";
        options.meshKey = mesh_;
        fs::create_directories(options.outputDir);
        auto created = atmo::createPackage(options, nullptr, atmo::CancelToken());
        QVERIFY2(created.ok(), created.ok() ? "" : created.message().c_str());
        package_ = created->file;
    }

    void verifyReportsOnTheGuiThreadInBatches()
    {
        JobRunner runner;
        VerifyJob::Request request;
        request.file = q(package_);
        request.trustDir = q(box_ / "trust");
        request.installRoot = q(box_ / "root");
        auto* job = runner.start(new VerifyJob(request));
        int files = 0, batches = 0;
        bool signatures = false, wrongThread = false;
        connect(job, &VerifyJob::filesChecked, this, [&](const std::vector<atmo::FileCheck>& batch) {
            files += static_cast<int>(batch.size());
            ++batches;
            wrongThread |= QThread::currentThread() != thread();
        });
        connect(job, &VerifyJob::signaturesChecked, this, [&](const atmo::VerifyReport& r) {
            signatures = true;
            QCOMPARE(r.signatures.front().state, atmo::SignatureState::Valid);
        });
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(30000));
        QVERIFY(finished.at(0).at(0).toBool());
        QVERIFY(!wrongThread);
        QVERIFY(signatures);
        QCOMPARE(files, static_cast<int>(job->report().files.size()));
        QVERIFY(batches >= 1 && batches <= files);
        QVERIFY(job->report().ok);
        QVERIFY(job->deviceFit().known);
        QVERIFY(job->deviceFit().packageOk);
        QVERIFY(job->deviceFit().bytesNeeded > 0);
        QVERIFY(job->deviceFit().installedVersion.isEmpty());
        const Verdict v = Verdict::of(job->report(), &job->deviceFit());
        QCOMPARE(v.kind, Verdict::Kind::Good);
    }

    void cancelledVerifyIsNotAPass()
    {
        JobRunner runner;
        VerifyJob::Request request;
        request.file = q(package_);
        request.trustDir = q(box_ / "trust");
        auto* job = new VerifyJob(request);
        job->cancel(); // before it starts: the core sees the token at once
        runner.start(job);
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(30000));
        QVERIFY(!finished.at(0).at(0).toBool());
        QVERIFY(job->wasCancelled());
        QCOMPARE(Verdict::of(job->report()).kind, Verdict::Kind::Cancelled);
    }

    void cancelledCreateLeavesNothing()
    {
        // Big enough that the first progress report comes long before the end.
        MissionSpec spec;
        spec.id = "big-mission";
        spec.largeModelSize = 200u << 20;
        makeMission(box_ / "big-mission", spec);
        JobRunner runner;
        CreateJob::Request request;
        request.missionDir = q(box_ / "big-mission");
        request.version = "2.0";
        request.outputDir = q(box_ / "cancelled-out");
        request.meshKey = mesh_;
        request.outputs = {std::nullopt, 1, 2};
        request.homeDir = q(box_.path());
        auto* job = new CreateJob(request);
        connect(job, &Job::progressChanged, job, &Job::cancel); // cancel at the first report
        runner.start(job);
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.at(0).at(0).toBool());
        QVERIFY(job->wasCancelled());
        QVERIFY(job->results().empty());
        int left = 0;
        for (const auto& e : fs::directory_iterator(box_ / "cancelled-out"))
            ++left, qWarning() << "left behind:" << e.path().c_str();
        QCOMPARE(left, 0);
        QVERIFY(!atmo::MissionRegistry(box_ / "missions.json").find("big-mission"));
    }

    void createWritesEveryOutputAndRecordsIt()
    {
        JobRunner runner;
        CreateJob::Request request;
        request.missionDir = q(box_ / "mission");
        request.version = "3.0";
        request.outputDir = q(box_ / "out3");
        request.meshKey = mesh_;
        request.outputs = {std::nullopt, 1};
        request.homeDir = q(box_.path());
        auto* job = runner.start(new CreateJob(request));
        QSignalSpy started(job, &CreateJob::outputStarted);
        QSignalSpy finished(job, &Job::finished);
        // One bar for the whole job: it never goes back (once it ran 0-100 %
        // for hashing and again for writing), and while the first of the two
        // outputs hashes it stays within that output's first half.
        std::vector<JobProgress> seen;
        connect(job, &Job::progressChanged, this, [&](const JobProgress& p) { seen.push_back(p); });
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(job->errorMessage()));
        QCOMPARE(started.count(), 2);
        QVERIFY(!seen.empty());
        for (std::size_t i = 0; i < seen.size(); ++i) {
            QVERIFY(seen[i].overall >= 0 && seen[i].overall <= 1);
            if (i > 0)
                QVERIFY2(seen[i].overall >= seen[i - 1].overall,
                         qPrintable(QString("%1 after %2").arg(seen[i].overall).arg(seen[i - 1].overall)));
        }
        QVERIFY(seen.front().phase == atmo::Phase::Hashing && seen.front().overall <= 0.25);
        QVERIFY2(seen.back().percent() >= 95, qPrintable(QString::number(seen.back().percent())));
        QCOMPARE(job->results().size(), std::size_t(2));
        QVERIFY(fs::exists(box_ / "out3/production-inspection-v3.0.atmo"));
        QVERIFY(fs::exists(box_ / "out3/production-inspection-v3.0-tier1.atmo"));
        QVERIFY(testutil::readFile(box_ / "store.json").find("production-inspection-v3.0-tier1.atmo") != std::string::npos);
        // ... and the mission by its id, for `atmosphere package create --mission production-inspection`.
        const auto known = atmo::MissionRegistry(box_ / "missions.json").find("production-inspection");
        QVERIFY(known.has_value());
        QCOMPARE(known->dir, fs::canonical(box_ / "mission"));
    }

    void keyGenerationAndUnlock()
    {
        JobRunner runner;
        KeyJob::GenerateRequest request{q(box_ / "keys"), "signer", QString("s3cret"), atmo::TrustRole::Founder,
                                        q(box_ / "trust")};
        auto* gen = runner.start(KeyJob::generate(request));
        QSignalSpy genDone(gen, &Job::finished);
        QVERIFY(genDone.wait(30000));
        QVERIFY2(genDone.at(0).at(0).toBool(), qPrintable(gen->errorMessage()));
        QVERIFY(fs::exists(box_ / "keys/signer.key"));
        QVERIFY(atmo::secretKeyFileIsEncrypted(box_ / "keys/signer.key"));
        QVERIFY(atmo::TrustStore(box_ / "trust").find(gen->publicKey()->keyId(), atmo::TrustRole::Founder));

        auto* wrong = runner.start(KeyJob::unlock(q(box_ / "keys/signer.key"), QString("nope")));
        QSignalSpy wrongDone(wrong, &Job::finished);
        QVERIFY(wrongDone.wait(30000));
        QVERIFY(!wrongDone.at(0).at(0).toBool());
        QVERIFY(wrong->errorMessage().contains("password"));
        auto* right = runner.start(KeyJob::unlock(q(box_ / "keys/signer.key"), QString("s3cret")));
        QSignalSpy rightDone(right, &Job::finished);
        QVERIFY(rightDone.wait(30000));
        QVERIFY(rightDone.at(0).at(0).toBool());
        QCOMPARE(right->secretKey()->keyId(), gen->publicKey()->keyId());
    }

    void missionJobAssemblesANewMission()
    {
        Sandbox picks;
        writeRandomFile(picks / "detector-2.1.onnx", 4096, 9);
        testutil::writeFile(picks / "llamafarm.yaml", "version: v1\n");
        testutil::writeFile(picks / "safety.chunks.jsonl", "{\"a\":1}\n{\"a\":2}\n");
        MissionJob::AssembleRequest request;
        request.assembler.add(q(picks / "detector-2.1.onnx"));
        request.assembler.add(q(picks / "llamafarm.yaml"));
        request.assembler.add(q(picks / "safety.chunks.jsonl"));
        QCOMPARE(request.assembler.picks().at(0).kind, atmo::ContentKind::Model);
        QCOMPARE(request.assembler.picks().at(2).kind, atmo::ContentKind::Knowledge);
        request.id = "new-mission";
        request.name = "New mission";
        request.tiers = {1, 2};
        JobRunner runner;
        auto* job = runner.start(MissionJob::assemble(q(box_ / "assembled"), request));
        QSignalSpy done(job, &Job::finished);
        QVERIFY(done.wait(30000));
        QVERIFY2(done.at(0).at(0).toBool(), qPrintable(job->errorMessage()));
        QCOMPARE(job->mission().id, std::string("new-mission"));
        QCOMPARE(job->mission().files.size(), std::size_t(4)); // + config/mission.yaml
        QVERIFY(job->mission().problems.empty());
        QCOMPARE(job->mission().tiers, (std::vector<int>{1, 2}));
        // The CLI reads the same folder.
        QVERIFY(atmo::scanMission(box_ / "assembled").ok());
    }

    // The device fit decides by the package's requirements when it carries
    // them, on the hardware the probe shows (a fake tree: 15.5 GiB, no GPU).
    void deviceFitDecidesByThePackagesRequirements()
    {
        atmo::TrustStore trust(box_ / "trust");
        atmo::VerifyOptions options;
        options.trust = &trust;
        atmo::VerifyReport report = atmo::verifyPackage(package_, options, nullptr, atmo::CancelToken());
        QVERIFY2(report.ok, report.reason.c_str());
        fakesys::Tree tree(box_ / "fake-hw");
        tree.memTotalKb(16252928);
        // A generous policy: tier 2 for any machine without requirements.
        atmo::TierPolicy generous;
        generous.rules = {atmo::TierRule{1, 0, 0, false, 0}, atmo::TierRule{2, 0, 0, false, 0}};
        DeviceFit fit = DeviceFit::evaluate(report, q(box_ / "root"), generous, std::nullopt, tree.hardwareProbe());
        QCOMPARE(fit.tier.tier, 2);

        report.manifest->requirements[2] = atmo::TierRequirements{8.0, true, std::nullopt};
        fit = DeviceFit::evaluate(report, q(box_ / "root"), generous, std::nullopt, tree.hardwareProbe());
        QCOMPARE(fit.tier.tier, 1);
        QCOMPARE(fit.tier.reason, std::string("tier_1: no requirements; tier_2 needs a GPU; none found"));
        QVERIFY(fit.packageCoversTier);
        QVERIFY(fit.bytesNeeded < (24u << 20)); // tier 1 leaves the large model out

        tree.addRenderNode("renderD128", "0x10de", "nouveau", std::nullopt);
        fit = DeviceFit::evaluate(report, q(box_ / "root"), generous, std::nullopt, tree.hardwareProbe());
        QCOMPARE(fit.tier.tier, 2);
        QCOMPARE(fit.tier.reason, std::string("tier_2: 15.5 GiB RAM >= 8 GB, GPU nouveau, NVIDIA (renderD128)"));

        // The settings' tier still wins.
        fit = DeviceFit::evaluate(report, q(box_ / "root"), generous, 1, tree.hardwareProbe());
        QCOMPARE(fit.tier.tier, 1);
        QVERIFY(fit.tierOverridden);
    }

    // The window offers Install exactly when core installs: at the edge of
    // the free space core needs (the window once allowed max(1 %, 16 MiB)
    // where core needs 1 % + 16 MiB), with free space unknown (the window
    // took it as enough, core as 0), and for a device above the package's
    // tiers (core installs the highest below it).
    void deviceFitOffersInstallExactlyWhenCoreInstalls()
    {
        atmo::TrustStore trust(box_ / "trust");
        atmo::VerifyOptions verify;
        verify.trust = &trust;
        const atmo::VerifyReport report = atmo::verifyPackage(package_, verify, nullptr, atmo::CancelToken());
        QVERIFY2(report.ok, report.reason.c_str());
        const std::uint64_t files = report.manifest->sizeForTier(2);
        QVERIFY(files / 100 > 0);
        const std::uint64_t coreNeeds = files + files / 100 + (16ull << 20);
        const std::uint64_t windowOnceNeeded = files + std::max<std::uint64_t>(files / 100, 16ull << 20);
        QVERIFY(windowOnceNeeded < coreNeeds);

        struct Case {
            const char* name;
            int tier;
            std::optional<std::uint64_t> free;
            bool installs;
        };
        const Case cases[] = {
            {"between the old rules", 2, windowOnceNeeded, false},
            {"one byte short", 2, coreNeeds - 1, false},
            {"exactly enough", 2, coreNeeds, true},
            {"full disk", 2, std::uint64_t(0), false},
            {"unknown free space", 2, std::nullopt, true},
            {"device above the package's tiers", 3, coreNeeds, true},
        };
        int n = 0;
        for (const Case& c : cases) {
            const fs::path root = box_ / ("fit-root-" + std::to_string(n++));
            const auto probe = atmo::fixedFreeSpace(c.free);
            const DeviceFit fit = DeviceFit::evaluate(report, q(root), atmo::TierPolicy::defaults(), c.tier, {}, probe);
            atmo::InstallOptions options;
            options.root = root;
            options.trust = &trust;
            options.tier = c.tier;
            options.freeSpace = probe;
            const auto installed = atmo::installPackage(package_, options, nullptr, atmo::CancelToken());
            QVERIFY2(installed.report.ok == c.installs, c.name);
            QVERIFY2(fit.installable() == c.installs, c.name);
            QVERIFY2(fit.plan && installed.plan && fit.plan->tier == installed.plan->tier, c.name);
            QVERIFY2(fit.bytesNeeded == installed.plan->bytesNeeded(), c.name);
            QVERIFY2(fit.warning.toStdString() == installed.plan->warning(), c.name);
            QVERIFY2(fit.warning.isEmpty() == c.free.has_value(), c.name);
            if (!c.installs)
                QVERIFY2(fit.refusal.toStdString() == installed.report.reason, c.name);
        }
    }

    // The window's export ejects by the same plan as the CLI's --eject: a
    // stick holding an output that failed stays in, even though another
    // output on it verified (the window once ejected per output).
    void usbExportEjectsADriveOnlyWhenEveryOutputOnItVerified()
    {
        const fs::path bin = box_ / "eject-bin", log = box_ / "eject-udisksctl.log";
        writeFile(bin / "udisksctl", "#!/bin/sh\necho \"$@\" >> '" + log.string() + "'\n");
        fs::permissions(bin / "udisksctl", fs::perms::owner_all);
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", QByteArray::fromStdString(bin.string()) + ":" + path);
        struct Restore {
            QByteArray path;
            ~Restore() { qputenv("PATH", path); }
        } restore{path};

        const fs::path a = box_ / "eject-a", b = box_ / "eject-b";
        fs::create_directories(a);
        fs::create_directories(b);
        writeFile(a / "a-file", "x"); // a folder under it cannot be made: that output fails
        atmo::Drive stickA, stickB;
        stickA.device = "/dev/sdx";
        stickA.name = "Stick A";
        stickA.mountpoints = {atmo::DriveMount{"/dev/sdx1", a, "vfat", "A", 0, 0, false}};
        stickB.device = "/dev/sdy";
        stickB.name = "Stick B";
        stickB.mountpoints = {atmo::DriveMount{"/dev/sdy1", b, "vfat", "B", 0, 0, false}};

        UsbExportJob::Request request;
        request.package = q(package_);
        request.eject = true;
        request.homeDir = q(box_.path());
        request.targets = {{q(a), "A", stickA}, {q(a / "a-file" / "sub"), "A again", stickA}, {q(b), "B", stickB}};
        JobRunner runner;
        auto* job = runner.start(new UsbExportJob(request));
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.at(0).at(0).toBool()); // one output failed

        QCOMPARE(readFile(log), std::string("unmount -b /dev/sdy1 --no-user-interaction\n"
                                            "power-off -b /dev/sdy --no-user-interaction\n"));
        QCOMPARE(job->drive(0).phase, UsbExportJob::Phase::Verified);
        QVERIFY(!job->drive(0).ejectFailed);
        QCOMPARE(job->drive(1).phase, UsbExportJob::Phase::Failed);
        QCOMPARE(job->drive(2).phase, UsbExportJob::Phase::Ejected);
    }

    // One bar per drive across writing, flushing and reading back, and one
    // over all drives: neither ever goes back (the drive's bar once started
    // over at "Reading back"), and both end full.
    void usbExportBarsNeverGoBack()
    {
        const fs::path a = box_ / "bars-a", b = box_ / "bars-b";
        fs::create_directories(a);
        fs::create_directories(b);
        UsbExportJob::Request request;
        request.package = q(package_);
        request.homeDir = q(box_.path());
        request.targets = {{q(a), "A", std::nullopt}, {q(b), "B", std::nullopt}};
        JobRunner runner;
        auto* job = runner.start(new UsbExportJob(request));
        std::vector<double> last(2, 0.0);
        double lastOverall = 0;
        int reports = 0;
        QStringList problems;
        connect(job, &UsbExportJob::driveChanged, this, [&](int i) {
            const UsbExportJob::DriveState& d = job->drive(i);
            ++reports;
            if (d.fraction < last[static_cast<std::size_t>(i)])
                problems << QString("drive %1 went back from %2 to %3").arg(i).arg(last[static_cast<std::size_t>(i)]).arg(d.fraction);
            if (d.phase == UsbExportJob::Phase::ReadingBack && d.fraction < 0.65)
                problems << QString("drive %1 reading back at %2").arg(i).arg(d.fraction);
            last[static_cast<std::size_t>(i)] = d.fraction;
            if (job->overallFraction() < lastOverall)
                problems << QString("overall went back to %1").arg(job->overallFraction());
            lastOverall = job->overallFraction();
        });
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.at(0).at(0).toBool());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join("; ")));
        QVERIFY(reports >= 2);
        QCOMPARE(job->drive(0).fraction, 1.0);
        QCOMPARE(job->drive(1).fraction, 1.0);
        QCOMPARE(job->overallFraction(), 1.0);
        QCOMPARE(job->secondsLeft(), qint64(0));
    }

    // A damaged source fails every drive, and says so about the package, not
    // as if the stick were broken (it once named the drive as the damaged thing).
    void usbExportOfADamagedPackageBlamesThePackage()
    {
        const fs::path damaged = box_ / "damaged.atmo";
        fs::copy_file(package_, damaged, fs::copy_options::overwrite_existing);
        {
            std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(static_cast<std::streamoff>(fs::file_size(damaged) - 200 * 1024));
            f.put('\x5a');
        }
        const fs::path a = box_ / "damaged-a";
        fs::create_directories(a);
        UsbExportJob::Request request;
        request.package = q(damaged);
        request.homeDir = q(box_.path());
        request.targets = {{q(a), "Stick A", std::nullopt}};
        JobRunner runner;
        auto* job = runner.start(new UsbExportJob(request));
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.at(0).at(0).toBool());
        const UsbExportJob::DriveState& d = job->drive(0);
        QCOMPARE(d.phase, UsbExportJob::Phase::Failed);
        QVERIFY2(d.error.startsWith("No drive got the package: damaged.atmo"), qPrintable(d.error));
        QVERIFY2(!d.error.contains("Stick A"), qPrintable(d.error));
        QVERIFY2(d.errorDetail.contains("SHA-256"), qPrintable(d.errorDetail));
        QVERIFY(fs::is_empty(a));
    }

    void reportSaysWhatTheBannerSays()
    {
        atmo::TrustStore trust(box_ / "trust");
        atmo::VerifyOptions options;
        options.trust = &trust;
        const auto report = atmo::verifyPackage(package_, options, nullptr, atmo::CancelToken());
        QVERIFY(report.ok);
        const DeviceFit fit = DeviceFit::evaluate(report, q(box_ / "root"), atmo::TierPolicy::defaults());
        ReportWriter writer(report, fit);
        const QString text = writer.text();
        QVERIFY(text.contains("Genuine and intact"));
        QVERIFY(text.contains("models/tinyyolo-defects-1.3.onnx"));
        QVERIFY(text.contains(QString::fromStdString(report.files.front().expectedSha256)));
        QVERIFY(text.contains(QString::fromStdString(mesh_.keyId())));
        const QString html = writer.html();
        QVERIFY(html.startsWith("<!DOCTYPE html>"));
        QVERIFY(html.contains("class=\"verdict good\""));
        QVERIFY(writer.save(q(box_ / "report.html")));
        QVERIFY(writer.save(q(box_ / "report.txt")));
        QVERIFY(testutil::readFile(box_ / "report.txt").find("VERDICT") != std::string::npos);
        QVERIFY(testutil::readFile(box_ / "report.html").find("<table>") != std::string::npos);
        atmo::VerifyReport bad = report;
        bad.ok = false;
        bad.reason = "models/x.onnx: SHA-256 does not match the manifest";
        bad.problem = atmo::VerifyProblem::FileAltered;
        bad.problemPath = "models/x.onnx";
        QVERIFY(ReportWriter(bad, fit).html().contains("class=\"verdict bad\""));
        QCOMPARE(Verdict::of(bad).headline, QString("Do not install"));
        // Worded by the problem's kind; core's English line is the technical detail.
        QCOMPARE(Verdict::of(bad).detail, QString("models/x.onnx does not match its checksum: it was altered or damaged."));
        QCOMPARE(Verdict::of(bad).technical, QString::fromStdString(bad.reason));
        QVERIFY(ReportWriter(bad, fit).text().contains("Details: " + QString::fromStdString(bad.reason)));
    }

    void runnerWaitsForRunningJobsOnDestruction()
    {
        QPointer<VerifyJob> job;
        {
            JobRunner runner;
            VerifyJob::Request request;
            request.file = q(package_);
            request.trustDir = q(box_ / "trust");
            job = runner.start(new VerifyJob(request));
        } // cancels and waits; the job dies with the runner
        QVERIFY(job.isNull());
    }
};

ATMO_TEST_GUILESS_MAIN(TestAppJobs)
#include "tst_app_jobs.moc"
