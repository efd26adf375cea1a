// The live drive list of USB Export on a fake /sys tree (tests/fake_sysfs.h)
// read through ATMOSPHERE_DRIVES_ROOT, as the window reads it: drives plugged
// in and pulled out become single row inserts and removes (never a reset), a
// ticked drive stays ticked across polls, a different stick under the same
// device name is not ticked, polling stops while paused (writing), system and
// write-protected disks are shown but cannot be ticked, and "fits" follows
// the package size. QAbstractItemModelTester watches every change.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include "app/DriveListModel.h"
#include "app/ModelRoles.h"
#include "fake_sysfs.h"
#include "test_main.h"
#include "testutil.h"

using fakesys::Disk;

namespace {
constexpr int kInterval = 50; // ms between polls: quick tests, same code path as the window's 1 s
}

class TstAppDriveListModel : public QObject {
    Q_OBJECT

    std::unique_ptr<testutil::Sandbox> sb_;
    std::unique_ptr<fakesys::Tree> tree_;
    fs::path stick_, home_;

    fs::path mountDir(const std::string& name)
    {
        const fs::path d = sb_->path() / "media" / name;
        fs::create_directories(d);
        return d;
    }

    void plugStick(const std::string& name, const std::string& majmin, const std::string& partMajmin,
                   const std::string& label, const std::string& model = "Cruzer Blade")
    {
        tree_->addDisk(Disk{name, majmin, fakesys::kUsbBus, true, false, 30031872, "SanDisk", model, "",
                            {{name + "1", partMajmin}}});
        tree_->mount(partMajmin, mountDir(label), "vfat", "/dev/" + name + "1");
        tree_->label(label, name + "1");
    }

    void pull(const std::string& name, const std::string& partMajmin)
    {
        tree_->unmountAll(partMajmin);
        tree_->removeDisk(name);
        fs::remove(tree_->dev() / "disk/by-label" / (name == "sdb" ? "STICK" : "OTHER"));
    }

    std::unique_ptr<DriveListModel> startedModel()
    {
        auto m = std::make_unique<DriveListModel>(DriveListModel::systemLister({home_}), nullptr, kInterval);
        m->start();
        return m;
    }

    // Waits until a poll that started after now has been applied.
    static bool nextPollApplied(DriveListModel& m)
    {
        const int started = m.pollsStarted();
        return testutil::waitFor(
            [&] {
                QCoreApplication::processEvents();
                return m.pollsApplied() >= started + 1 && m.pollsStarted() > started;
            },
            10000);
    }

private slots:
    // A USB stick, a USB disk holding / (a computer booted from it), a
    // write-protected card in a USB reader and an internal SATA disk.
    void init()
    {
        sb_ = std::make_unique<testutil::Sandbox>();
        tree_ = std::make_unique<fakesys::Tree>(sb_->path() / "root");
        home_ = sb_->path() / "home";
        fs::create_directories(home_);
        qputenv("ATMOSPHERE_DRIVES_ROOT", tree_->root().string().c_str());
        plugStick("sdb", "8:16", "8:17", "STICK");
        tree_->addDisk(Disk{"sdc", "8:32", fakesys::kUsbBus, false, false, 976773168, "WD", "Elements", "",
                            {{"sdc1", "8:33"}}});
        tree_->mount("8:33", "/", "ext4", "/dev/sdc1");
        tree_->addDisk(Disk{"sdd", "8:48", fakesys::kUsbBus, true, true, 15523840, "Generic", "STORAGE DEVICE", "",
                            {{"sdd1", "8:49"}}});
        tree_->mount("8:49", mountDir("CARD"), "exfat", "/dev/sdd1", true);
        tree_->addDisk(Disk{"sda", "8:0", fakesys::kSataBus, false, false, 1000215216, "ATA", "Samsung SSD", "",
                            {{"sda1", "8:1"}}});
        tree_->mount("8:1", "/data", "ext4", "/dev/sda1");
    }

    void cleanup()
    {
        tree_.reset();
        sb_.reset();
        qunsetenv("ATMOSPHERE_DRIVES_ROOT");
    }

    void listsRemovableDrivesAndSaysWhyOthersCannotBeTicked()
    {
        auto m = startedModel();
        QAbstractItemModelTester tester(m.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 3, 10000); // sdb, sdc, sdd; never the SATA disk
        QCOMPARE(m->rowOf("/dev/sda"), -1);

        const int stick = m->rowOf("/dev/sdb");
        QVERIFY(stick >= 0);
        QVERIFY(m->isOffered(stick));
        QCOMPARE(m->data(m->index(stick, DriveListModel::NameColumn)).toString(),
                 QString("SanDisk Cruzer Blade (STICK)"));
        QCOMPARE(m->data(m->index(stick, DriveListModel::DeviceColumn)).toString(), QString("/dev/sdb"));
        QCOMPARE(m->data(m->index(stick, DriveListModel::NameColumn), DriveListModel::TargetRole).toString(),
                 QString::fromStdString((sb_->path() / "media/STICK").string()));
        QVERIFY(m->flags(m->index(stick, DriveListModel::NameColumn)) & Qt::ItemIsUserCheckable);
        QCOMPARE(m->data(m->index(stick, DriveListModel::NameColumn), Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QCOMPARE(m->data(m->index(stick, DriveListModel::CapacityColumn), ModelRole::Sort).toULongLong(),
                 30031872ull * 512);
        QVERIFY(m->data(m->index(stick, DriveListModel::FreeColumn), ModelRole::Sort).toULongLong() > 0);

        const int system = m->rowOf("/dev/sdc");
        QVERIFY(!m->isOffered(system));
        QVERIFY(!(m->flags(m->index(system, DriveListModel::NameColumn)) & (Qt::ItemIsUserCheckable | Qt::ItemIsEnabled)));
        QVERIFY(!m->setData(m->index(system, DriveListModel::NameColumn), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(!m->isChecked(system));
        const QString why = m->data(m->index(system, DriveListModel::FitsColumn)).toString();
        QVERIFY2(why.contains("holds /"), qPrintable(why));
        QCOMPARE(m->data(m->index(system, DriveListModel::FitsColumn), ModelRole::Status).value<ItemStatus>(),
                 ItemStatus::Skipped);

        const int card = m->rowOf("/dev/sdd");
        QVERIFY(!m->isOffered(card));
        QCOMPARE(m->data(m->index(card, DriveListModel::FitsColumn)).toString(), QString("Write-protected"));
        QVERIFY(m->target(card).isEmpty());
    }

    void plugAndPullAreRowInsertsAndRemovesAndTicksSurvive()
    {
        auto m = startedModel();
        QAbstractItemModelTester tester(m.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 3, 10000);
        QSignalSpy inserted(m.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(m.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(m.get(), &QAbstractItemModel::modelReset);
        QSignalSpy checks(m.get(), &DriveListModel::checkedChanged);

        const int stick = m->rowOf("/dev/sdb");
        QVERIFY(m->setData(m->index(stick, DriveListModel::NameColumn), Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(checks.count(), 1);
        QCOMPARE(m->checkedRows(), QList<int>{stick});

        plugStick("sde", "8:64", "8:65", "OTHER", "Ultra Fit");
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 4, 10000);
        QCOMPARE(inserted.count(), 1);
        const int other = m->rowOf("/dev/sde");
        QCOMPARE(inserted.at(0).at(1).toInt(), other); // inserted where the listing puts it
        QCOMPARE(other, 3);                            // after sdb, sdc, sdd
        QVERIFY(m->isOffered(other));
        QVERIFY(!m->isChecked(other));

        // Several polls later the tick is still there, on the same drive.
        QVERIFY(nextPollApplied(*m));
        QVERIFY(nextPollApplied(*m));
        QVERIFY(m->isChecked(m->rowOf("/dev/sdb")));

        pull("sde", "8:65");
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 3, 10000);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 3);
        QVERIFY(m->isChecked(m->rowOf("/dev/sdb")));

        // Pulling the ticked stick removes it, and its tick with it.
        pull("sdb", "8:17");
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 2, 10000);
        QVERIFY(m->checkedRows().isEmpty());
        QCOMPARE(checks.count(), 2);
        QCOMPARE(reset.count(), 0);
    }

    void pausedMeansNoPolling()
    {
        auto m = startedModel();
        QAbstractItemModelTester tester(m.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 3, 10000);
        m->setChecked(m->rowOf("/dev/sdb"), true);
        m->setPaused(true);
        QVERIFY(m->isPaused());
        const int started = m->pollsStarted();
        const int applied = m->pollsApplied();
        plugStick("sde", "8:64", "8:65", "OTHER", "Ultra Fit");
        m->pollNow(); // asked outright, a paused model does not list either (no timing involved)
        QCOMPARE(m->pollsStarted(), started);
        // And the timer does not: twenty intervals, in which a running poller
        // would have listed sde (this wait can only miss a bug, never fail a
        // working model).
        QTest::qWait(20 * kInterval);
        QCOMPARE(m->pollsStarted(), started);
        QCOMPARE(m->pollsApplied(), applied); // a listing under way when paused is dropped
        QCOMPARE(m->rowCount(), 3);
        QVERIFY(m->isChecked(m->rowOf("/dev/sdb")));

        m->setPaused(false);
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 4, 10000);
        QVERIFY(m->isChecked(m->rowOf("/dev/sdb")));
    }

    void anotherStickUnderTheSameNameIsNotTicked()
    {
        auto m = startedModel();
        QAbstractItemModelTester tester(m.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 3, 10000);
        m->setChecked(m->rowOf("/dev/sdb"), true);
        QSignalSpy checks(m.get(), &DriveListModel::checkedChanged);
        // Swapped between two polls: the kernel gives the new stick the same name.
        m->setPaused(true);
        pull("sdb", "8:17");
        plugStick("sdb", "8:16", "8:17", "STICK", "Ultra Fit");
        m->setPaused(false);
        QTRY_VERIFY_WITH_TIMEOUT(m->data(m->index(m->rowOf("/dev/sdb"), 0)).toString().contains("Ultra Fit"), 10000);
        QVERIFY(!m->isChecked(m->rowOf("/dev/sdb")));
        QCOMPARE(checks.count(), 1);
    }

    void fitsFollowsThePackageSize()
    {
        auto m = startedModel();
        QAbstractItemModelTester tester(m.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 3, 10000);
        const int stick = m->rowOf("/dev/sdb");
        QVERIFY(m->fits(stick)); // nothing chosen yet
        QCOMPARE(m->data(m->index(stick, DriveListModel::FitsColumn)).toString(), QString("Ready"));

        QSignalSpy changed(m.get(), &QAbstractItemModel::dataChanged);
        m->setRequiredBytes(1u << 20);
        QVERIFY(changed.count() >= 1);
        QVERIFY(m->fits(stick));
        QCOMPARE(m->data(m->index(stick, DriveListModel::FitsColumn)).toString(), QString("Fits"));
        QCOMPARE(m->data(m->index(stick, DriveListModel::FitsColumn), ModelRole::Status).value<ItemStatus>(), ItemStatus::Ok);

        const std::uint64_t free = m->targetFreeBytes(stick);
        m->setRequiredBytes(free + (1ull << 40)); // a terabyte more than the folder's filesystem has
        QVERIFY(!m->fits(stick));
        const QString text = m->data(m->index(stick, DriveListModel::FitsColumn)).toString();
        QVERIFY2(text.startsWith("Too small"), qPrintable(text));
        QCOMPARE(m->data(m->index(stick, DriveListModel::FitsColumn), ModelRole::Status).value<ItemStatus>(), ItemStatus::Failed);
        // A drive too small can still be ticked: the view says why it will not write.
        m->setChecked(stick, true);
        QVERIFY(m->isChecked(stick));
        // Sorting by "fits" puts drives with room first and unavailable ones last.
        const qlonglong stickKey = m->data(m->index(stick, DriveListModel::FitsColumn), ModelRole::Sort).toLongLong();
        const qlonglong cardKey =
            m->data(m->index(m->rowOf("/dev/sdd"), DriveListModel::FitsColumn), ModelRole::Sort).toLongLong();
        QVERIFY(stickKey < 0);
        QVERIFY(cardKey < stickKey);
    }
};

ATMO_TEST_GUILESS_MAIN(TstAppDriveListModel)
#include "tst_app_drive_list_model.moc"
