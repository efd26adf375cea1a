// Drive enumeration on a fake /sys, /proc and /dev (tests/fake_sysfs.h): what
// is offered, what never is (the computer's own disks), live add/remove as a
// diff, and eject through a stand-in udisksctl and through umount(2). Plus a
// smoke test of the real enumeration of this machine.
#include <QtTest>

#include <sys/mount.h>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include "core/drives/drive_eject.h"
#include "core/drives/drives.h"
#include "fake_sysfs.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;
using fakesys::Disk;
using fakesys::Part;

namespace {

const Drive* find(const std::vector<Drive>& v, const std::string& device)
{
    for (const auto& d : v)
        if (d.device == device)
            return &d;
    return nullptr;
}

std::string devices(const std::vector<Drive>& v)
{
    std::string s;
    for (const auto& d : v)
        s += d.device + (d.system ? "(system: " + d.systemReason + ")" : "") + " ";
    return s;
}

// The fake mount points are directories on the machine's own disk, whose
// free space other processes change at any moment: a diff may report those
// drives as changed. Drops such changes, keeping every other one.
DriveChanges ignoringFreeSpace(DriveChanges c, const std::vector<Drive>& before)
{
    std::vector<Drive> kept;
    for (const auto& d : c.changed) {
        const Drive* old = find(before, d.device);
        Drive same = d;
        if (old && same.mountpoints.size() == old->mountpoints.size())
            for (std::size_t i = 0; i < same.mountpoints.size(); ++i) {
                same.mountpoints[i].freeBytes = old->mountpoints[i].freeBytes;
                same.mountpoints[i].sizeBytes = old->mountpoints[i].sizeBytes;
            }
        if (!old || !(same == *old))
            kept.push_back(d);
    }
    c.changed = kept;
    return c;
}

bool isMountPoint(const fs::path& p)
{
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.find(" " + p.string() + " ") != std::string::npos)
            return true;
    return false;
}

} // namespace

class TstDrives : public QObject {
    Q_OBJECT

    std::unique_ptr<testutil::Sandbox> sb_;
    std::unique_ptr<fakesys::Tree> tree_;
    fs::path stick_, card_, data_, home_;

    SysfsDriveSource source() const
    {
        return SysfsDriveSource({home_}, SysfsRoots{tree_->sys(), tree_->proc(), tree_->dev()});
    }

private slots:
    void initTestCase() { fakesys::isolateMounts(); } // a crashed run leaves no tmpfs mounted behind

    // A laptop: an SSD with LVM holding / and an EFI partition, a USB stick,
    // a USB disk used for swap, a USB disk holding the station's home, a
    // write-protected card in a USB reader, an internal data disk, an SD
    // card, an empty card reader, and a loop device.
    void init()
    {
        sb_ = std::make_unique<testutil::Sandbox>();
        tree_ = std::make_unique<fakesys::Tree>(sb_->path() / "root");
        stick_ = sb_->path() / "media/tech/MY STICK";
        card_ = sb_->path() / "media/tech/CARD";
        data_ = sb_->path() / "data";
        home_ = data_ / "atmosphere-home";
        for (const auto& d : {stick_, card_, data_, home_})
            fs::create_directories(d);
        auto& t = *tree_;

        t.addDisk(Disk{"sda", "8:0", fakesys::kSataBus, false, false, 1000215216, "ATA", "Samsung SSD 870", "",
                       {{"sda1", "8:1"}, {"sda2", "8:2"}}});
        t.addDm("dm-0", "254:0", "vg-root", "sda", "sda2");
        t.mount("254:0", "/", "ext4", "/dev/mapper/vg-root");
        t.mount("8:1", "/boot/efi", "vfat", "/dev/sda1");

        t.addDisk(Disk{"sdb", "8:16", fakesys::kUsbBus, true, false, 30031872, "SanDisk", "Cruzer Blade", "",
                       {{"sdb1", "8:17"}}});
        t.mount("8:17", stick_, "vfat", "/dev/sdb1");
        t.label("MY\\x20STICK", "sdb1");

        t.addDisk(Disk{"sdc", "8:32", fakesys::kUsbBus, false, false, 976773168, "WD", "Elements", "",
                       {{"sdc1", "8:33"}}});
        t.swap("/dev/sdc1", true);

        t.addDisk(Disk{"sdd", "8:48", fakesys::kUsbBus, true, false, 60063744, "Kingston", "DataTraveler", "",
                       {{"sdd1", "8:49"}}});
        t.mount("8:49", data_, "ext4", "/dev/sdd1");

        t.addDisk(Disk{"sde", "8:64", fakesys::kUsbBus, true, true, 15523840, "Generic", "STORAGE DEVICE", "",
                       {{"sde1", "8:65"}}});
        t.mount("8:65", card_, "exfat", "/dev/sde1", true);

        t.addDisk(Disk{"sdf", "8:80", fakesys::kSataBus, false, false, 3907029168, "ATA", "ST2000DM008", "",
                       {{"sdf1", "8:81"}}});
        t.mount("8:81", "/mnt/archive", "ext4", "/dev/sdf1");

        t.addDisk(Disk{"mmcblk0", "179:0", fakesys::kMmcBus, false, false, 62333952, "", "", "SD",
                       {{"mmcblk0p1", "179:1"}}});

        t.addDisk(Disk{"sdg", "8:96", fakesys::kUsbBus, true, false, 0, "Generic", "SD/MMC", "", {}});

        t.addDisk(Disk{"loop0", "7:0", fakesys::kVirtual, false, false, 204800, "", "", "", {}});
        t.mount("7:0", sb_->path() / "snap", "squashfs", "/dev/loop0");
    }

    void cleanup()
    {
        tree_.reset();
        sb_.reset();
    }

    void usbStickOffered()
    {
        const auto list = source().list();
        const Drive* d = find(list, "/dev/sdb");
        QVERIFY2(d, devices(list).c_str());
        QCOMPARE(d->name, std::string("SanDisk Cruzer Blade"));
        QCOMPARE(d->sizeBytes, std::uint64_t(30031872) * 512);
        QVERIFY(d->removable);
        QVERIFY(d->usb);
        QVERIFY(!d->readOnly);
        QVERIFY(!d->system);
        QVERIFY(d->writable());
        QCOMPARE(d->mountpoints.size(), std::size_t(1));
        const DriveMount& m = d->mountpoints[0];
        QCOMPARE(m.device, std::string("/dev/sdb1"));
        QCOMPARE(m.path, stick_); // "\040" in mountinfo decoded
        QCOMPARE(m.fsType, std::string("vfat"));
        QCOMPARE(m.label, std::string("MY STICK")); // "\x20" in by-label decoded
        QVERIFY(!m.readOnly);
        QVERIFY(m.freeBytes > 0); // statvfs of the (real) mount point
        QVERIFY(m.sizeBytes >= m.freeBytes);
    }

    void systemDisksNeverOffered()
    {
        const auto list = source().list();
        for (const char* dev : {"/dev/sda", "/dev/sdc", "/dev/sdd", "/dev/dm-0"})
            QVERIFY2(!find(list, dev), (std::string(dev) + " offered: " + devices(list)).c_str());
        for (const auto& d : list)
            QVERIFY(!d.system);

        // scan() sees them and says why.
        const auto all = source().scan();
        const Drive* sda = find(all, "/dev/sda");
        QVERIFY2(sda && sda->system, devices(all).c_str());
        // / is on LVM on sda2: found through holders/ and /dev/mapper.
        QVERIFY2(sda->systemReason == "holds /" || sda->systemReason == "holds /boot/efi", sda->systemReason.c_str());
        QCOMPARE(sda->systemReason, "holds " + sda->systemPath); // the window words it from systemPath
        QVERIFY(!sda->systemSwap);
        QCOMPARE(sda->mountpoints.size(), std::size_t(2));
        const Drive* sdc = find(all, "/dev/sdc");
        QVERIFY(sdc && sdc->system && sdc->usb); // a USB disk, but it holds swap
        QVERIFY2(sdc->systemReason.find("swap") != std::string::npos, sdc->systemReason.c_str());
        QVERIFY(sdc->systemSwap);
        const Drive* sdd = find(all, "/dev/sdd");
        QVERIFY(sdd && sdd->system && sdd->removable); // a stick holding the station's home
        QVERIFY2(sdd->systemReason.find(home_.string()) != std::string::npos, sdd->systemReason.c_str());
        QCOMPARE(sdd->systemPath, home_.string());
        // Virtual devices are not drives at all.
        QVERIFY(!find(all, "/dev/loop0"));
        QVERIFY(!find(all, "/dev/dm-0"));
    }

    void otherDisksNotOffered()
    {
        const auto list = source().list();
        QVERIFY(!find(list, "/dev/sdf")); // internal, not removable: not a candidate
        QVERIFY(!find(list, "/dev/sdg")); // a card reader with no card
        const auto all = source().scan(); // find() points into it: keep it alive
        const Drive* sdf = find(all, "/dev/sdf");
        QVERIFY(sdf && !sdf->system && !sdf->removable && !sdf->usb);
    }

    void sdCardOffered()
    {
        const auto list = source().list();
        const Drive* d = find(list, "/dev/mmcblk0");
        QVERIFY2(d, devices(list).c_str());
        QVERIFY(d->removable);
        QVERIFY(!d->usb);
        QVERIFY(d->mountpoints.empty());
        QVERIFY(!d->writable()); // nothing mounted to write to
        QVERIFY(!d->name.empty());
    }

    void readOnlyCardReaderFlagged()
    {
        const auto list = source().list();
        const Drive* d = find(list, "/dev/sde");
        QVERIFY2(d, devices(list).c_str());
        QVERIFY(d->readOnly);
        QVERIFY(!d->writable());
        QCOMPARE(d->mountpoints.size(), std::size_t(1));
        QVERIFY(d->mountpoints[0].readOnly);
        QCOMPARE(d->mountpoints[0].path, card_);
    }

    void swapFileOnAStick()
    {
        // A swap file, not a partition: the stick whose filesystem holds it is a system disk.
        tree_->addDisk(Disk{"sdh", "8:112", fakesys::kUsbBus, true, false, 30031872, "Lexar", "JumpDrive", "",
                            {{"sdh1", "8:113"}}});
        const fs::path mnt = sb_->path() / "media/tech/SWAPPY";
        fs::create_directories(mnt);
        tree_->mount("8:113", mnt, "ext4", "/dev/sdh1");
        QVERIFY(find(source().list(), "/dev/sdh"));
        tree_->swap((mnt / "swapfile").string(), false);
        QVERIFY(!find(source().list(), "/dev/sdh"));
        QVERIFY(find(source().list(), "/dev/sdb")); // the other stick is unaffected
    }

    void plugAndUnplug()
    {
        const auto before = source().list();
        QVERIFY(ignoringFreeSpace(diffDrives(before, source().list()), before).empty());

        // Plugged in: a new drive, then its filesystem mounted.
        tree_->addDisk(Disk{"sdi", "8:128", fakesys::kUsbBus, true, false, 7821312, "Verbatim", "Store n Go", "",
                            {{"sdi1", "8:129"}}});
        auto after = source().list();
        DriveChanges c = ignoringFreeSpace(diffDrives(before, after), before);
        QVERIFY(c.removed.empty());
        QVERIFY(c.changed.empty());
        QCOMPARE(c.added.size(), std::size_t(1));
        QCOMPARE(c.added[0].device, std::string("/dev/sdi"));
        QVERIFY(c.added[0].mountpoints.empty());

        const fs::path mnt = sb_->path() / "media/tech/VERBATIM";
        fs::create_directories(mnt);
        tree_->mount("8:129", mnt, "vfat", "/dev/sdi1");
        auto mounted = source().list();
        c = ignoringFreeSpace(diffDrives(after, mounted), after);
        QVERIFY(c.added.empty() && c.removed.empty());
        QCOMPARE(c.changed.size(), std::size_t(1));
        QCOMPARE(c.changed[0].mountpoints.size(), std::size_t(1));

        // Pulled out: the stick goes, the others stay as they were.
        tree_->unmountAll("8:17");
        tree_->removeDisk("sdb");
        c = ignoringFreeSpace(diffDrives(mounted, source().list()), mounted);
        QCOMPARE(c.removed, std::vector<std::string>{"/dev/sdb"});
        QVERIFY(c.added.empty());
        QVERIFY(c.changed.empty());
    }

    void diffByDevice()
    {
        Drive a, b, c;
        a.device = "/dev/sda";
        b.device = "/dev/sdb";
        c.device = "/dev/sdc";
        Drive b2 = b;
        b2.mountpoints.push_back(DriveMount{"/dev/sdb1", "/media/b", "vfat", "B", 1, 2, false});
        const DriveChanges d = diffDrives({a, b}, {b2, c});
        QCOMPARE(d.removed, std::vector<std::string>{"/dev/sda"});
        QCOMPARE(d.added.size(), std::size_t(1));
        QCOMPARE(d.added[0].device, std::string("/dev/sdc"));
        QCOMPARE(d.changed.size(), std::size_t(1));
        QVERIFY(d.changed[0] == b2);
        QVERIFY(diffDrives({a, b}, {a, b}).empty());
        QVERIFY(diffDrives({}, {}).empty());
        QCOMPARE(diffDrives({a, b}, {}).removed, (std::vector<std::string>{"/dev/sda", "/dev/sdb"}));
    }

    void whichDriveHoldsAPath()
    {
        const auto list = source().list();
        const Drive* d = driveHolding(list, stick_ / "packages");
        QVERIFY(d);
        QCOMPARE(d->device, std::string("/dev/sdb"));
        QCOMPARE(driveHolding(list, card_)->device, std::string("/dev/sde"));
        QVERIFY(!driveHolding(list, stick_.string() + "2")); // "/media/tech/MY STICK2" is not on it
        QVERIFY(!driveHolding(list, home_));                  // the station's disk is not in the list
        QVERIFY(!driveHolding(list, sb_->path()));
    }

    void ejectWithUdisksctl()
    {
        const fs::path log = sb_->path() / "udisksctl.log";
        const fs::path tool = sb_->path() / "bin/udisksctl";
        testutil::writeFile(tool, "#!/bin/sh\necho \"$@\" >> '" + log.string() + "'\n");
        fs::permissions(tool, fs::perms::owner_all);
        const Drive stick = *find(source().list(), "/dev/sdb");
        EjectOptions o;
        o.udisksctl = tool;
        auto r = ejectDrive(stick, o);
        QVERIFY2(r, r ? "" : r.message().c_str());
        QVERIFY(r->poweredOff);
        QCOMPARE(testutil::readFile(log), std::string("unmount -b /dev/sdb1 --no-user-interaction\n"
                                                      "power-off -b /dev/sdb --no-user-interaction\n"));

        // udisksctl says no: one line naming the drive, the filesystem and the reason.
        testutil::writeFile(tool, "#!/bin/sh\necho 'Error unmounting /dev/sdb1: "
                                  "GDBus.Error:org.freedesktop.UDisks2.Error.DeviceBusy: Error unmounting /dev/sdb1: "
                                  "target is busy' >&2\nexit 1\n");
        r = ejectDrive(stick, o);
        QVERIFY(!r);
        QCOMPARE(r.message(), "/dev/sdb: cannot unmount /dev/sdb1 (" + stick_.string() + "): target is busy");

        // Unmounted, but it will not power off.
        testutil::writeFile(tool, "#!/bin/sh\n[ \"$1\" = power-off ] && { echo 'Error powering off drive: "
                                  "GDBus.Error:org.freedesktop.UDisks2.Error.Failed: Error powering off drive: "
                                  "device is in use' >&2; exit 1; }\nexit 0\n");
        r = ejectDrive(stick, o);
        QVERIFY(!r);
        QVERIFY2(r.message().rfind("/dev/sdb: unmounted, but cannot power it off", 0) == 0, r.message().c_str());
    }

    void neverEjectsASystemDisk()
    {
        const auto all = source().scan();
        const Drive* sda = find(all, "/dev/sda");
        QVERIFY(sda);
        const fs::path log = sb_->path() / "udisksctl.log";
        const fs::path tool = sb_->path() / "bin/udisksctl";
        testutil::writeFile(tool, "#!/bin/sh\necho \"$@\" >> '" + log.string() + "'\n");
        fs::permissions(tool, fs::perms::owner_all);
        EjectOptions o;
        o.udisksctl = tool;
        auto r = ejectDrive(*sda, o);
        QVERIFY(!r);
        QVERIFY2(r.message().find("/dev/sda: refusing") == 0, r.message().c_str());
        QVERIFY(!fs::exists(log));
    }

    void ejectWithUmountFallback()
    {
        // A real filesystem to unmount: a tmpfs (needs root, or CAP_SYS_ADMIN).
        const fs::path mnt = sb_->path() / "tmpfs-stick";
        fs::create_directories(mnt);
        if (::mount("atmo-test", mnt.c_str(), "tmpfs", 0, "size=1m") != 0)
            QSKIP(qPrintable(QString("cannot mount a tmpfs here: %1").arg(strerror(errno))));
        struct Unmount {
            fs::path p;
            ~Unmount() { ::umount2(p.c_str(), MNT_DETACH); }
        } guard{mnt};
        Drive d;
        d.device = "/dev/sdz";
        d.name = "Test stick";
        d.removable = d.usb = true;
        d.mountpoints.push_back(DriveMount{"/dev/sdz1", mnt, "tmpfs", "", 0, 0, false});
        EjectOptions o;
        o.useUdisks = false;

        {
            // A file left open on it: busy, and it says so.
            const int fd = ::open((mnt / "open.txt").c_str(), O_CREAT | O_WRONLY, 0644);
            QVERIFY(fd >= 0);
            auto r = ejectDrive(d, o);
            ::close(fd);
            QVERIFY(!r);
            QVERIFY2(r.message().find("/dev/sdz: cannot unmount /dev/sdz1") == 0, r.message().c_str());
            QVERIFY2(r.message().find("busy") != std::string::npos, r.message().c_str());
            QVERIFY(isMountPoint(mnt));
        }
        auto r = ejectDrive(d, o);
        QVERIFY2(r, r ? "" : r.message().c_str());
        QVERIFY(!r->poweredOff);
        QVERIFY2(r->note.find("udisks2") != std::string::npos, r->note.c_str());
        QVERIFY(!isMountPoint(mnt));
    }

    // The real thing, on whatever machine runs the tests: nothing offered may
    // be a system disk, and the disk holding / must be flagged as one.
    void realEnumerationOffersNoSystemDisk()
    {
        SysfsDriveSource real({QDir::homePath().toStdString()});
        const auto all = real.scan();
        const auto list = real.list();
        qInfo("block devices here: %s", devices(all).c_str());
        for (const auto& d : list) {
            QVERIFY2(!d.system, d.device.c_str());
            QVERIFY2(d.removable || d.usb, d.device.c_str());
            for (const auto& m : d.mountpoints)
                for (const char* sys : {"/", "/boot", "/boot/efi", "/home", "/var", "/usr"})
                    QVERIFY2(m.path != sys, (d.device + " holds " + sys).c_str());
        }
        for (const auto& d : all)
            for (const auto& m : d.mountpoints)
                if (m.path == "/")
                    QVERIFY2(d.system, (d.device + " holds / but is not flagged").c_str());
        QVERIFY(!driveHolding(list, "/"));
        QVERIFY(!driveHolding(list, QDir::homePath().toStdString()));
    }
};

ATMO_TEST_GUILESS_MAIN(TstDrives)
#include "tst_drives.moc"
