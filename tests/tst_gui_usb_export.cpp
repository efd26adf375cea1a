// USB Export as a technician uses it, offscreen: drives come from a fake
// /sys tree (ATMOSPHERE_DRIVES_ROOT) whose mount points are real folders, so
// every write, flush, read-back and rename really happens. Tick two drives,
// write a real package, both end verified with the file under its final name;
// a drive that is really read-only (a read-only tmpfs the kernel refuses to
// write) shows its own red error while the other succeeds; a drive too small
// blocks writing with the reason; a package signed by a key the station does
// not trust is refused before any drive is touched; no drives shows "Plug in
// a USB drive…"; "Tick all that fit" ticks every drive with room and no other;
// eject runs through a stand-in udisksctl; the wizard's "Go to USB export"
// path opens the view with the package chosen.
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QHeaderView>
#include <QTableView>
#include <QTest>

#include <sys/mount.h>

#include <cerrno>
#include <cstring>

#include "app/JobRunner.h"
#include "app/LanguageManager.h"
#include "app/ProgressHold.h"
#include "app/StationContext.h"
#include "core/package/package_store.h"
#include "core/package/package_verifier.h"
#include "core/package/station_home.h"
#include "core/package/package_writer.h"
#include "core/package/trust_store.h"
#include "fake_sysfs.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/BuildView.h"
#include "ui/DriveProgressRow.h"
#include "ui/MainWindow.h"
#include "ui/UsbExportView.h"

using namespace testutil;
using fakesys::Disk;
using Phase = UsbExportJob::Phase;

namespace {
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

std::vector<std::string> listDir(const fs::path& dir)
{
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// Unmounts on scope exit, whatever the test's outcome.
struct TmpfsMount {
    fs::path path;
    bool mounted = false;
    TmpfsMount(const fs::path& p, const char* options, unsigned long flags = 0) : path(p)
    {
        fs::create_directories(p);
        mounted = ::mount("atmo-test", p.c_str(), "tmpfs", flags, options) == 0;
    }
    ~TmpfsMount()
    {
        if (mounted)
            ::umount2(path.c_str(), MNT_DETACH);
    }
};
} // namespace

class TestGuiUsbExport : public QObject {
    Q_OBJECT
    std::unique_ptr<Sandbox> box_;
    std::unique_ptr<fakesys::Tree> tree_;
    atmo::SecretKey mesh_ = makeKey();
    fs::path source_;
    LanguageManager language_; // English, with its plural forms, as the window starts

    fs::path dir(const std::string& name)
    {
        const fs::path d = box_->path() / name;
        fs::create_directories(d);
        return d;
    }

    // A USB stick whose only partition is mounted (the kernel's word, in the
    // fake mountinfo) at a real folder.
    void plug(const std::string& disk, int minor, const fs::path& mountPoint, const std::string& label)
    {
        const std::string part = disk + "1";
        const std::string majmin = "8:" + std::to_string(minor), partMajmin = "8:" + std::to_string(minor + 1);
        tree_->addDisk(Disk{disk, majmin, fakesys::kUsbBus, true, false, 30031872, "SanDisk", "Cruzer " + label, "",
                            {{part, partMajmin}}});
        tree_->mount(partMajmin, mountPoint, "vfat", "/dev/" + part);
        tree_->label(label, part);
    }

    void pull(const std::string& disk, int minor)
    {
        tree_->unmountAll("8:" + std::to_string(minor + 1));
        tree_->removeDisk(disk);
    }

    bool verifies(const fs::path& file)
    {
        const atmo::TrustStore trust(box_->path() / "home/trust");
        atmo::VerifyOptions o;
        o.trust = &trust;
        return atmo::verifyPackage(file, o, nullptr, atmo::CancelToken()).ok;
    }

    // The view, shown, with the package read and the drives listed.
    void ready(UsbExportView& view, int drives)
    {
        view.resize(1000, 720);
        view.show();
        view.selectPackage(q(source_));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isReadingPackage() && view.plan() && view.plan()->ok, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(view.drives()->rowCount(), drives, 10000);
        QCOMPARE(view.driveTable()->model()->rowCount(), drives);
        // One table row per drive, inserted one by one (a QIdentityProxyModel
        // above a sorting proxy once gave the header a row too many).
        QCOMPARE(view.driveTable()->verticalHeader()->count(), drives);
    }

    // ATMO_TEST_SHOTS=DIR: the view as the user sees it, to look at by hand.
    static void saveShot(QWidget& widget, const char* name)
    {
        const QString dir = qEnvironmentVariable("ATMO_TEST_SHOTS");
        if (!dir.isEmpty())
            widget.grab().save(dir + "/" + name + ".png");
    }

    // Ticks through the table, as a click on the check box does.
    static void tick(UsbExportView& view, const QString& device)
    {
        QAbstractItemModel* shown = view.driveTable()->model();
        for (int row = 0; row < shown->rowCount(); ++row) {
            const QModelIndex i = shown->index(row, DriveListModel::NameColumn);
            if (i.data(DriveListModel::DeviceRole).toString() == device) {
                QVERIFY(shown->flags(i) & Qt::ItemIsUserCheckable);
                QVERIFY(shown->setData(i, Qt::Checked, Qt::CheckStateRole));
                return;
            }
        }
        QFAIL(qPrintable(device + " is not in the table"));
    }

    static void writeAndWait(UsbExportView& view)
    {
        QVERIFY2(view.writeButton()->isEnabled(), qPrintable(view.writeBlockedReason()));
        QTest::mouseClick(view.writeButton(), Qt::LeftButton);
        QVERIFY(view.isWriting());
        QVERIFY(view.drives()->isPaused()); // no polling while writing
        QVERIFY(!view.driveTable()->isEnabled());
        QVERIFY(!view.writeButton()->isEnabled());
        // The bars as the user sees them: each drive's and the overall one
        // only ever move forward (a drive's bar once restarted at "Reading back").
        QVERIFY(view.overallBar()->isVisible());
        QStringList wentBack;
        QList<QProgressBar*> bars{view.overallBar()};
        for (DriveProgressRow* row : view.progressRows())
            bars << row->bar();
        for (QProgressBar* bar : bars) {
            auto previous = std::make_shared<int>(bar->value());
            connect(bar, &QProgressBar::valueChanged, &view, [bar, previous, &wentBack](int value) {
                if (value < *previous)
                    wentBack << QString("%1: %2 -> %3").arg(bar->accessibleName()).arg(*previous).arg(value);
                *previous = value;
            });
        }
        QTRY_VERIFY_WITH_TIMEOUT(!view.isWriting(), 120000);
        for (QProgressBar* bar : bars)
            disconnect(bar, nullptr, &view, nullptr);
        QVERIFY2(wentBack.isEmpty(), qPrintable(wentBack.join("; ")));
        QVERIFY(!view.overallBar()->isVisible()); // the summary says the rest
        QVERIFY(!view.drives()->isPaused());
        QVERIFY(view.driveTable()->isEnabled());
    }

private slots:
    void initTestCase()
    {
        fakesys::isolateMounts(); // a crashed run leaves no tmpfs mounted behind
        QVERIFY(language_.apply("en"));
        box_ = std::make_unique<Sandbox>();
        qputenv("ATMOSPHERE_HOME", (box_->path() / "home").string().c_str());
        trustKey(box_->path() / "home", mesh_, atmo::TrustRole::Mesh, "mesh");
        MissionSpec spec;
        spec.largeModelSize = 3u << 20; // several of the export's 1 MiB blocks
        makeMission(box_->path() / "mission", spec);
        atmo::CreateOptions o;
        o.missionDir = box_->path() / "mission";
        o.version = "1.3";
        o.outputDir = box_->path() / "out";
        o.meshKey = mesh_;
        auto created = atmo::createPackage(o, nullptr, atmo::CancelToken());
        QVERIFY2(created, created ? "" : created.message().c_str());
        source_ = created->file;
        // In the station's store, as a package built here is: a write is noted there.
        atmo::StoredPackage stored;
        stored.id = "production-inspection";
        stored.version = "1.3";
        stored.file = source_;
        stored.bytes = fs::file_size(source_);
        QVERIFY(atmo::PackageStore(atmo::StationHome(box_->path() / "home").storeIndex()).add(stored).ok());

        tree_ = std::make_unique<fakesys::Tree>(box_->path() / "root");
        plug("sdb", 16, dir("usb-a"), "ALPHA");
        plug("sdc", 32, dir("usb-b"), "BRAVO");
        qputenv("ATMOSPHERE_DRIVES_ROOT", tree_->root().string().c_str());
    }

    void cleanupTestCase()
    {
        tree_.reset();
        box_.reset();
    }

    void noDrivesShowsHowToStart()
    {
        const fakesys::Tree empty(box_->path() / "empty-root");
        qputenv("ATMOSPHERE_DRIVES_ROOT", empty.root().string().c_str());
        StationContext context(q(box_->path() / "empty.ini"));
        UsbExportView view(context);
        qputenv("ATMOSPHERE_DRIVES_ROOT", tree_->root().string().c_str());
        view.show();
        view.selectPackage(q(source_));
        QTRY_VERIFY_WITH_TIMEOUT(view.drives()->pollsApplied() > 0 && !view.isReadingPackage(), 20000);
        QVERIFY(!view.driveTable()->isVisible());
        QVERIFY(view.emptyLabel()->isVisible());
        QVERIFY2(view.emptyLabel()->text().contains("Plug in a USB drive"), qPrintable(view.emptyLabel()->text()));
        QVERIFY(!view.writeButton()->isEnabled());
        QCOMPARE(view.reasonLabel()->text(), QString("Plug in a USB drive."));
    }

    void writesTwoDrivesAndVerifiesBoth()
    {
        StationContext context(q(box_->path() / "a.ini"));
        UsbExportView view(context);
        ready(view, 2);
        // Full package, or either tier.
        QCOMPARE(view.tierCombo()->count(), 3);
        QVERIFY2(view.tierCombo()->itemText(0).startsWith("Full package (tier_1, tier_2)"),
                 qPrintable(view.tierCombo()->itemText(0)));
        QVERIFY(!view.writeButton()->isEnabled());
        QCOMPARE(view.reasonLabel()->text(), QString("Tick the drives to write to."));

        tick(view, "/dev/sdb");
        QCOMPARE(view.writeButton()->text(), QString("&Write to 1 drive"));
        tick(view, "/dev/sdc");
        QCOMPARE(view.writeButton()->text(), QString("&Write to 2 drives"));
        writeAndWait(view);

        QCOMPARE(view.progressRows().size(), 2);
        for (DriveProgressRow* row : view.progressRows()) {
            QCOMPARE(row->phase(), Phase::Verified);
            QCOMPARE(row->phaseLabel()->text(), QString("Verified"));
            QCOMPARE(row->bar()->value(), row->bar()->maximum());
            QVERIFY(!row->errorLabel()->isVisible());
            QVERIFY2(row->detailLabel()->text().contains("production-inspection-v1.3.atmo"),
                     qPrintable(row->detailLabel()->text()));
        }
        for (const char* d : {"usb-a", "usb-b"}) {
            const fs::path folder = box_->path() / d;
            // Only the final name is left: no temporary file.
            QCOMPARE(listDir(folder), std::vector<std::string>{"production-inspection-v1.3.atmo"});
            QVERIFY(verifies(folder / "production-inspection-v1.3.atmo"));
        }
        QCOMPARE(view.summaryLabel()->text(), QString("Written and verified on 2 drives."));
        // The Build list will say so.
        const auto history =
            atmo::PackageStore(atmo::StationHome(box_->path() / "home").storeIndex()).find("production-inspection-1.3");
        QVERIFY(history);
        QCOMPARE(history->history.exportedDrives, 2);
        QVERIFY(history->history.verifiedOk);
        // Written sticks are unticked: Write is not armed again on them.
        QVERIFY(view.drives()->checkedRows().isEmpty());
        QVERIFY(!view.writeButton()->isEnabled());
        QCOMPARE(view.reasonLabel()->text(), QString("Tick the drives to write to."));
        // Nor through "Tick all that fit", until a stick is pulled out: the
        // next one in that port is a new stick.
        QVERIFY(!view.tickAllButton()->isEnabled());
        pull("sdc", 32);
        QTRY_COMPARE_WITH_TIMEOUT(view.drives()->rowCount(), 1, 10000);
        plug("sdc", 32, dir("usb-b"), "BRAVO");
        QTRY_COMPARE_WITH_TIMEOUT(view.drives()->rowCount(), 2, 10000);
        QVERIFY(view.tickAllButton()->isEnabled());
        QTest::mouseClick(view.tickAllButton(), Qt::LeftButton);
        QCOMPARE(view.drives()->checkedRows(), QList<int>{view.drives()->rowOf("/dev/sdc")});
        view.drives()->setChecked(view.drives()->rowOf("/dev/sdc"), false);
        // Not ejected: each says so and has its own Eject button.
        for (DriveProgressRow* row : view.progressRows()) {
            QVERIFY2(row->detailLabel()->text().endsWith("Safe to remove after ejecting"),
                     qPrintable(row->detailLabel()->text()));
            QVERIFY(row->ejectButton()->isVisible());
        }
    }

    // "Eject when done" was off: the Eject button on a verified drive's row
    // ejects that drive alone, off the GUI thread, and says so.
    void theEjectButtonEjectsOneDriveAfterTheWrite()
    {
        const fs::path log = box_->path() / "udisksctl-button.log";
        const fs::path tool = box_->path() / "bin-button/udisksctl";
        writeFile(tool, "#!/bin/sh\necho \"$@\" >> '" + log.string() + "'\n");
        fs::permissions(tool, fs::perms::owner_all);
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", QByteArray((box_->path() / "bin-button").string().c_str()) + ":" + path);
        struct Restore {
            QByteArray path;
            ~Restore() { qputenv("PATH", path); }
        } restore{path};
        for (const char* d : {"usb-a", "usb-b"})
            fs::remove(box_->path() / d / "production-inspection-v1.3.atmo");

        StationContext context(q(box_->path() / "g.ini"));
        UsbExportView view(context);
        ready(view, 2);
        // Three clicks for two drives: USB Export, Tick all that fit, Write.
        QVERIFY(view.tickAllButton()->isEnabled());
        QTest::mouseClick(view.tickAllButton(), Qt::LeftButton);
        QCOMPARE(view.drives()->checkedRows().size(), 2);
        QVERIFY(!view.tickAllButton()->isEnabled()); // nothing left to tick
        QVERIFY(!view.ejectBox()->isChecked());
        writeAndWait(view);
        QCOMPARE(view.progressRows().size(), 2);
        DriveProgressRow* second = view.progressRows()[1];
        QCOMPARE(second->phase(), Phase::Verified);
        QVERIFY(second->ejectButton()->isVisible());
        QVERIFY(!fs::exists(log)); // nothing ejected by itself
        saveShot(view, "usb-written-not-ejected");

        QTest::mouseClick(second->ejectButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(second->phase(), Phase::Ejected, 20000);
        QVERIFY(!second->ejectButton()->isVisible());
        QVERIFY2(second->detailLabel()->text().contains("Ejected: safe to remove"),
                 qPrintable(second->detailLabel()->text()));
        QCOMPARE(readFile(log), std::string("unmount -b /dev/sdc1 --no-user-interaction\n"
                                            "power-off -b /dev/sdc --no-user-interaction\n"));
        // The other drive still offers its own.
        QCOMPARE(view.progressRows()[0]->phase(), Phase::Verified);
        QVERIFY(view.progressRows()[0]->ejectButton()->isVisible());
        saveShot(view, "usb-one-ejected");
    }

    // Held while the drives flush (as screenshot mode holds it): each drive's
    // bar stands where writing left it, under "Flushing to the drive", the
    // overall bar is part way, and letting go finishes both drives.
    void theWriteInFlightShowsWhereEachDriveIs()
    {
        for (const char* d : {"usb-a", "usb-b"})
            fs::remove(box_->path() / d / "production-inspection-v1.3.atmo");
        StationContext context(q(box_->path() / "h.ini"));
        UsbExportView view(context);
        ready(view, 2);
        tick(view, "/dev/sdb");
        tick(view, "/dev/sdc");
        auto hold = std::make_shared<ProgressHold>([](const atmo::Progress& p) { return p.phase == atmo::Phase::Syncing; });
        connect(&context.runner(), &JobRunner::jobStarted, this, [hold](Job* job) { job->setHold(hold); });
        QTest::mouseClick(view.writeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(hold->isHolding(), 20000);
        const QList<DriveProgressRow*> rows = view.progressRows();
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(rows.begin(), rows.end(),
                                             [](DriveProgressRow* r) { return r->phase() == Phase::Flushing; }),
                                 10000);
        for (DriveProgressRow* row : rows)
            if (row->phase() == Phase::Flushing) {
                QCOMPARE(row->bar()->value(), 650); // where writing left it: the flush holds it
                QCOMPARE(row->phaseLabel()->text(), QString("Flushing to the drive"));
            }
        QVERIFY(view.overallBar()->isVisible());
        QVERIFY2(view.overallBar()->value() > 0 && view.overallBar()->value() < 1000,
                 qPrintable(QString::number(view.overallBar()->value())));
        saveShot(view, "usb-writing-held");
        hold->release();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isWriting(), 60000);
        for (DriveProgressRow* row : view.progressRows())
            QCOMPARE(row->phase(), Phase::Verified);
    }

    void aReadOnlyDriveFailsAndTheOtherSucceeds()
    {
        // The fake mountinfo says read-write, the kernel says read-only:
        // the drive is offered, and the write itself is refused.
        TmpfsMount ro(box_->path() / "usb-ro", "size=16m", MS_RDONLY);
        if (!ro.mounted)
            QSKIP(qPrintable(QString("cannot mount a tmpfs here: %1").arg(strerror(errno))));
        plug("sdd", 48, ro.path, "ROCARD");
        StationContext context(q(box_->path() / "b.ini"));
        UsbExportView view(context);
        ready(view, 3);
        view.tierCombo()->setCurrentIndex(view.tierCombo()->findData(1)); // tier 1 only
        QCOMPARE(view.chosenTier(), std::optional<int>(1));
        tick(view, "/dev/sdb");
        tick(view, "/dev/sdd");
        writeAndWait(view);

        const auto rows = view.progressRows();
        QCOMPARE(rows.size(), 2);
        // In the order of the rows ticked: sdb, then sdd.
        QCOMPARE(rows[0]->phase(), Phase::Verified);
        QCOMPARE(rows[1]->phase(), Phase::Failed);
        QCOMPARE(rows[1]->phaseLabel()->text(), QString("Failed"));
        QVERIFY(rows[1]->errorLabel()->isVisible());
        QVERIFY2(rows[1]->errorLabel()->text().contains("read-only"), qPrintable(rows[1]->errorLabel()->text()));
        QVERIFY(verifies(box_->path() / "usb-a/production-inspection-v1.3-tier1.atmo"));
        QVERIFY(listDir(ro.path).empty());
        QVERIFY2(view.summaryLabel()->text().startsWith("1 of 2 drives written and verified"),
                 qPrintable(view.summaryLabel()->text()));
        pull("sdd", 48);
    }

    void aDriveTooSmallBlocksWritingWithTheReason()
    {
        TmpfsMount tiny(box_->path() / "usb-tiny", "size=1m");
        if (!tiny.mounted)
            QSKIP(qPrintable(QString("cannot mount a tmpfs here: %1").arg(strerror(errno))));
        plug("sde", 64, tiny.path, "TINY");
        StationContext context(q(box_->path() / "c.ini"));
        UsbExportView view(context);
        ready(view, 3);
        // "Tick all that fit" leaves the drive too small alone.
        QTest::mouseClick(view.tickAllButton(), Qt::LeftButton);
        const QList<int> ticked = view.drives()->checkedRows();
        QCOMPARE(ticked.size(), 2);
        QVERIFY(!view.drives()->isChecked(view.drives()->rowOf("/dev/sde")));
        QVERIFY2(view.writeButton()->isEnabled(), qPrintable(view.writeBlockedReason()));
        QVERIFY(!view.tickAllButton()->isEnabled());
        for (int row : ticked)
            view.drives()->setChecked(row, false);
        QVERIFY(view.tickAllButton()->isEnabled());
        tick(view, "/dev/sde");
        QVERIFY(!view.writeButton()->isEnabled());
        QVERIFY2(view.reasonLabel()->text().contains("Cruzer TINY (TINY) is too small"),
                 qPrintable(view.reasonLabel()->text()));
        const int row = view.drives()->rowOf("/dev/sde");
        QVERIFY(view.drives()->data(view.drives()->index(row, DriveListModel::FitsColumn)).toString().startsWith("Too small"));
        view.drives()->setChecked(row, false);
        tick(view, "/dev/sdc");
        QVERIFY2(view.writeButton()->isEnabled(), qPrintable(view.writeBlockedReason()));
        pull("sde", 64);
    }

    void ejectsEachVerifiedDrive()
    {
        const fs::path log = box_->path() / "udisksctl.log";
        const fs::path tool = box_->path() / "bin/udisksctl";
        writeFile(tool, "#!/bin/sh\necho \"$@\" >> '" + log.string() + "'\n");
        fs::permissions(tool, fs::perms::owner_all);
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", QByteArray((box_->path() / "bin").string().c_str()) + ":" + path);
        fs::remove(box_->path() / "usb-b/production-inspection-v1.3.atmo");

        StationContext context(q(box_->path() / "d.ini"));
        UsbExportView view(context);
        ready(view, 2);
        tick(view, "/dev/sdc");
        view.ejectBox()->setChecked(true);
        writeAndWait(view);
        qputenv("PATH", path);

        QCOMPARE(view.progressRows().size(), 1);
        DriveProgressRow* row = view.progressRows().first();
        QCOMPARE(row->phase(), Phase::Ejected);
        QVERIFY2(row->detailLabel()->text().contains("safe to remove"), qPrintable(row->detailLabel()->text()));
        QCOMPARE(readFile(log), std::string("unmount -b /dev/sdc1 --no-user-interaction\n"
                                            "power-off -b /dev/sdc --no-user-interaction\n"));
        QVERIFY(verifies(box_->path() / "usb-b/production-inspection-v1.3.atmo"));
    }

    void aPackageThisStationDoesNotTrustIsRefusedUpFront()
    {
        atmo::CreateOptions o;
        o.missionDir = box_->path() / "mission";
        o.version = "1.4";
        o.outputDir = box_->path() / "foreign";
        o.meshKey = makeKey(); // not in the trust store
        auto foreign = atmo::createPackage(o, nullptr, atmo::CancelToken());
        QVERIFY2(foreign, foreign ? "" : foreign.message().c_str());
        StationContext context(q(box_->path() / "f.ini"));
        UsbExportView view(context);
        view.show();
        QTRY_COMPARE_WITH_TIMEOUT(view.drives()->rowCount(), 2, 10000);
        view.drives()->setChecked(view.drives()->rowOf("/dev/sdb"), true);
        view.selectPackage(q(foreign->file));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isReadingPackage(), 20000);
        QVERIFY(view.plan() && !view.plan()->ok);
        QVERIFY2(view.plan()->error.contains("does not trust"), qPrintable(view.plan()->error));
        QVERIFY(!view.writeButton()->isEnabled());
        QCOMPARE(view.reasonLabel()->text(), QString("This package cannot be written (see above)."));
        QCOMPARE(view.tierCombo()->count(), 0);
        // Back to a good one: writable again.
        view.selectPackage(q(source_));
        QTRY_VERIFY_WITH_TIMEOUT(view.plan() && view.plan()->ok, 20000);
        QVERIFY2(view.writeButton()->isEnabled(), qPrintable(view.writeBlockedReason()));
    }

    void theWindowOpensTheViewWithABuiltPackage()
    {
        StationContext context(q(box_->path() / "e.ini"));
        MainWindow window(context);
        QCOMPARE(window.sidebar()->item(MainWindow::UsbExportViewIndex)->text(), QString("USB Export"));
        // What the wizard's "Go to USB export" does after a build.
        emit window.buildView()->exportRequested(q(source_));
        QCOMPARE(window.currentView(), MainWindow::UsbExportViewIndex);
        UsbExportView* view = window.usbExportView();
        QCOMPARE(view->packageCombo()->currentData().toString(), q(source_));
        QTRY_VERIFY_WITH_TIMEOUT(view->plan() && view->plan()->ok, 20000);
        QCOMPARE(view->plan()->fileName(std::nullopt), QString("production-inspection-v1.3.atmo"));
    }
};

ATMO_TEST_MAIN(TestGuiUsbExport)
#include "tst_gui_usb_export.moc"
