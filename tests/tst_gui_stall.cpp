// The window never freezes while a package is checked: a 1 GiB package (one
// large model and a few hundred small files, so rows arrive in bursts) is
// verified in Import & Verify while a 5 ms timer measures the event loop.
// The longest gap between two ticks must stay under 50 ms (under a
// sanitizer: under half the check, see kSanitized).
#include <QElapsedTimer>
#include <QTest>
#include <QTimer>

#include "app/StationContext.h"
#include "core/package_writer.h"
#include "testutil.h"
#include "ui/ImportVerifyView.h"
#include "ui/ProgressPanel.h"
#include "ui/VerdictBanner.h"

using namespace testutil;

// Under a sanitizer (installer/sanitize.sh) every allocation and memory access
// is checked, which makes event-loop turns several times slower and their
// length a measure of what else the machine runs (83 ms alone, 210 ms and
// 1025 ms beside other builds). There the bound is relative: no stall may last
// half the check. That still fails the freeze this test is about (a check run
// on the GUI thread blocks it for the whole of it).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

class TestGuiStall : public QObject {
    Q_OBJECT
    Sandbox box_;
    fs::path package_;

private slots:
    void initTestCase()
    {
        qputenv("ATMOSPHERE_HOME", (box_ / "home").string().c_str());
        const auto mesh = makeKey();
        trustKey(box_ / "home", mesh, atmo::TrustRole::Mesh, "Mesh");
        MissionSpec spec;
        spec.largeModelSize = 1ull << 30;
        makeMission(box_ / "mission", spec);
        for (int i = 0; i < 400; ++i)
            writeFile(box_ / ("mission/agents/helper" + std::to_string(i) + "-1.0.yaml"),
                      "name: helper" + std::to_string(i) + "\n");
        atmo::CreateOptions options;
        options.missionDir = box_ / "mission";
        options.version = "1.0";
        options.outputDir = box_ / "out";
        options.meshKey = mesh;
        fs::create_directories(options.outputDir);
        auto created = atmo::createPackage(options, nullptr, atmo::CancelToken());
        QVERIFY2(created.ok(), created.ok() ? "" : created.message().c_str());
        package_ = created->file;
        QVERIFY(fs::file_size(package_) >= (1ull << 30));
    }

    void eventLoopStaysResponsiveWhileVerifying()
    {
        StationContext context(QString::fromStdString((box_ / "settings.ini").string()));
        ImportVerifyView view(context);
        view.resize(1200, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        QElapsedTimer clock;
        qint64 last = 0, longest = 0;
        int ticks = 0;
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        timer.setInterval(5);
        connect(&timer, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            longest = std::max(longest, now - last);
            last = now;
            ++ticks;
        });
        int progressUpdates = 0;
        connect(view.progressPanel(), &ProgressPanel::titleProgress, this, [&] { ++progressUpdates; });

        clock.start();
        timer.start();
        view.openPackage(QString::fromStdString(package_.string()));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), 240000);
        const qint64 took = clock.elapsed();
        timer.stop();

        QCOMPARE(view.banner()->verdict().kind, Verdict::Kind::Good);
        QCOMPARE(view.fileModel()->rowCount(), 407);
        qInfo("verified %.2f GiB in %lld ms; %d ticks, %d progress updates; longest event-loop stall %lld ms",
              double(fs::file_size(package_)) / double(1ull << 30), took, ticks, progressUpdates, longest);
        QVERIFY2(took > 200, "the check was too quick to measure anything");
        QVERIFY(progressUpdates >= 2);
        if (kSanitized)
            QVERIFY2(longest < took / 2, qPrintable(QString("longest stall %1 ms of %2 ms").arg(longest).arg(took)));
        else
            QVERIFY2(longest < 50, qPrintable(QString("longest stall %1 ms").arg(longest)));
    }
};

QTEST_MAIN(TestGuiStall)
#include "tst_gui_stall.moc"
