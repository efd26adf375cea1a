// Ejecting through UDisks2's D-Bus API (app/UdisksEject.h), against
// tests/udisks/fake_udisks2.py on a private dbus-daemon this test starts
// (never the machine's system bus): what is unmounted and in which order,
// the options sent, UDisks2's errors in core's words, the fallback to
// udisksctl when UDisks2 is not there, and the CLI's `package export --eject`
// with DBUS_SYSTEM_BUS_ADDRESS on the private bus.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <memory>

#include "app/UdisksEject.h"
#include "fake_sysfs.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

const QString kPython = "/usr/bin/python3"; // Debian's, with python3-dbus and python3-gi
const QString kBlocks = "/org/freedesktop/UDisks2/block_devices/";
const QString kDrives = "/org/freedesktop/UDisks2/drives/";

// A bus for this test alone (%1: its directory) that lets anyone own any
// name and call anything, and starts what its services/ folder offers.
const char* const kBusConfig = R"(<busconfig>
  <listen>unix:path=%1/bus</listen>
  <auth>EXTERNAL</auth>
  <servicedir>%1/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)";

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

QJsonArray udisksError(const char* name, const char* message)
{
    return QJsonArray{QString("org.freedesktop.UDisks2.Error.") + name, message};
}

// A dbus-daemon of our own in `dir`, allowing everything, and the fake
// UDisks2 on it: running, activatable (started by the bus on the first call
// to it), or absent.
class PrivateUdisks {
public:
    enum class Udisks { Running, Activatable, Absent };

    PrivateUdisks(const fs::path& dir, QJsonObject fake, Udisks udisks) : dir_(dir)
    {
        fs::create_directories(dir / "services");
        fake["log"] = q(log());
        writeFile(dir / "fake.json", QJsonDocument(fake).toJson().toStdString());
        const QString script = qEnvironmentVariable("ATMO_SOURCE_DIR") + "/tests/udisks/fake_udisks2.py";
        if (udisks == Udisks::Activatable)
            writeFile(dir / "services/org.freedesktop.UDisks2.service",
                      "[D-BUS Service]\nName=org.freedesktop.UDisks2\nExec=" + kPython.toStdString() + " " +
                          script.toStdString() + " " + (dir / "fake.json").string() + "\n");
        writeFile(dir / "bus.conf", QString(kBusConfig).arg(q(dir)).toStdString());
        dieWithTest(daemon_);
        daemon_.start("dbus-daemon",
                      {"--config-file=" + q(dir / "bus.conf"), "--nofork", "--nopidfile", "--print-address=1"});
        address_ = QString::fromUtf8(firstLine(daemon_)).trimmed();
        if (address_.isEmpty()) {
            failure_ = "the private dbus-daemon did not start: " + daemon_.readAllStandardError();
            return;
        }
        if (udisks != Udisks::Running)
            return;
        dieWithTest(fake_);
        fake_.start(kPython, {script, q(dir / "fake.json"), "--address", address_});
        if (firstLine(fake_).trimmed() != "READY")
            failure_ = "fake_udisks2.py did not start: " + fake_.readAllStandardError();
    }

    ~PrivateUdisks()
    {
        for (QProcess* p : {&fake_, &daemon_}) {
            p->kill();
            p->waitForFinished();
        }
    }

    QString failure() const { return failure_; } // empty when all started
    QString address() const { return address_; }
    fs::path log() const { return dir_ / "calls.log"; }

    // The calls UDisks2 got, as "Method object", in order.
    QStringList calls() const
    {
        QStringList out;
        for (const QJsonObject& c : callsWithOptions())
            out << c["method"].toString() + " " + c["object"].toString();
        return out;
    }

    QList<QJsonObject> callsWithOptions() const
    {
        QList<QJsonObject> out;
        if (!fs::exists(log()))
            return out;
        for (const QByteArray& line : QByteArray::fromStdString(readFile(log())).split('\n'))
            if (!line.isEmpty())
                out << QJsonDocument::fromJson(line).object();
        return out;
    }

private:
    static QByteArray firstLine(QProcess& p)
    {
        // A generous bound for a loaded machine; the line comes in well under a second.
        while (!p.canReadLine() && p.state() != QProcess::NotRunning && p.waitForReadyRead(30000)) {
        }
        return p.readLine();
    }

    fs::path dir_;
    QProcess daemon_;
    QProcess fake_;
    QString address_;
    QString failure_;
};

// /dev/sdb: the whole disk, sdb1 mounted at /media/usb, sdb2 mounted deeper
// (on sdb1's mount), sdb3 a filesystem not mounted; and /dev/sda, another
// drive with a mounted filesystem that must be left alone.
QJsonObject twoDrives(QJsonObject stick = {}, QJsonObject sdb1 = {})
{
    stick["name"] = "stick";
    if (!stick.contains("can_power_off"))
        stick["can_power_off"] = true;
    sdb1["name"] = "sdb1";
    sdb1["drive"] = "stick";
    if (!sdb1.contains("mounts"))
        sdb1["mounts"] = QJsonArray{"/media/usb"};
    return QJsonObject{
        {"drives", QJsonArray{stick, QJsonObject{{"name", "disk"}, {"can_power_off", false}}}},
        {"blocks",
         QJsonArray{QJsonObject{{"name", "sda"}, {"drive", "disk"}},
                    QJsonObject{{"name", "sda1"}, {"drive", "disk"}, {"mounts", QJsonArray{"/home"}}},
                    QJsonObject{{"name", "sdb"}, {"drive", "stick"}}, sdb1,
                    QJsonObject{{"name", "sdb2"}, {"drive", "stick"}, {"mounts", QJsonArray{"/media/usb/inner"}}},
                    QJsonObject{{"name", "sdb3"}, {"drive", "stick"}, {"mounts", QJsonArray{}}}}}};
}

atmo::Drive stick()
{
    atmo::Drive d;
    d.device = "/dev/sdb";
    d.name = "SanDisk Cruzer Blade";
    d.usb = true;
    d.mountpoints = {atmo::DriveMount{"/dev/sdb1", "/media/usb", "vfat", "USB", 0, 0, false}};
    return d;
}

} // namespace

class TestAppUdisksEject : public QObject {
    Q_OBJECT
    std::unique_ptr<Sandbox> box_;
    int cases_ = 0;

    fs::path caseDir() { return box_->path() / ("case-" + std::to_string(++cases_)); }

    // A udisksctl in dir/bin that records what it is asked in
    // dir/udisksctl.log, as tst_app_jobs's: the fallback's witness.
    static fs::path recordingUdisksctl(const fs::path& dir)
    {
        writeFile(dir / "bin/udisksctl", "#!/bin/sh\necho \"$@\" >> '" + (dir / "udisksctl.log").string() + "'\n");
        fs::permissions(dir / "bin/udisksctl", fs::perms::owner_all);
        return dir / "bin/udisksctl";
    }

    static UdisksEject::Options withUdisksctl(const fs::path& dir, const PrivateUdisks& bus)
    {
        UdisksEject::Options o;
        o.eject.udisksctl = recordingUdisksctl(dir);
        o.busAddress = bus.address();
        return o;
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable("dbus-daemon").isEmpty())
            QSKIP("dbus-daemon is not installed (the dbus package)");
        QProcess py;
        py.start(kPython, {"-c", "import dbus, dbus.mainloop.glib; from gi.repository import GLib"});
        if (!py.waitForFinished(30000) || py.exitStatus() != QProcess::NormalExit || py.exitCode() != 0)
            QSKIP("python3-dbus and python3-gi are not installed for /usr/bin/python3");
        box_ = std::make_unique<Sandbox>();
    }

    void cleanupTestCase() { box_.reset(); }

    // Every mounted filesystem of that drive and no other, deepest first,
    // then the drive powered off; never a password prompt.
    void unmountsDeepestFirstThenPowersOff()
    {
        const fs::path dir = caseDir();
        PrivateUdisks bus(dir, twoDrives(), PrivateUdisks::Udisks::Running);
        QVERIFY2(bus.failure().isEmpty(), qPrintable(bus.failure()));
        const UdisksEject::Options o = withUdisksctl(dir, bus);

        const auto r = UdisksEject::eject(stick(), o);
        QVERIFY2(r, r ? "" : r.message().c_str());
        QVERIFY(r->poweredOff);
        QCOMPARE(r->note, std::string());
        QCOMPARE(bus.calls(), (QStringList{"GetManagedObjects /org/freedesktop/UDisks2", "Unmount " + kBlocks + "sdb2",
                                           "Unmount " + kBlocks + "sdb1", "PowerOff " + kDrives + "stick"}));
        for (const QJsonObject& c : bus.callsWithOptions())
            if (c["method"] != "GetManagedObjects")
                QCOMPARE(c["options"].toObject(), (QJsonObject{{"auth.no_user_interaction", true}}));
        QVERIFY(!fs::exists(dir / "udisksctl.log"));
    }

    // Bus activation: UDisks2 is not running yet, only activatable (as on a
    // desktop that has not needed it since boot).
    void startsAnActivatableUdisks()
    {
        const fs::path dir = caseDir();
        PrivateUdisks bus(dir, twoDrives(), PrivateUdisks::Udisks::Activatable);
        QVERIFY2(bus.failure().isEmpty(), qPrintable(bus.failure()));

        const auto r = UdisksEject::eject(stick(), withUdisksctl(dir, bus));
        QVERIFY2(r, r ? "" : r.message().c_str());
        QVERIFY(r->poweredOff);
        QCOMPARE(bus.calls().size(), 4);
        QVERIFY(!fs::exists(dir / "udisksctl.log"));
    }

    // A file still open on sdb1: core's line and ErrorCode::Busy, and the
    // drive is not powered off.
    void busyFilesystemNamesDeviceAndMountPoint()
    {
        const fs::path dir = caseDir();
        PrivateUdisks bus(dir,
                          twoDrives({}, {{"unmount_error", udisksError("DeviceBusy", "Error unmounting /dev/sdb1: "
                                                                                     "target is busy")}}),
                          PrivateUdisks::Udisks::Running);
        QVERIFY2(bus.failure().isEmpty(), qPrintable(bus.failure()));

        const auto r = UdisksEject::eject(stick(), withUdisksctl(dir, bus));
        QVERIFY(!r);
        QCOMPARE(r.code(), atmo::ErrorCode::Busy);
        QCOMPARE(
            r.message(),
            std::string("/dev/sdb: cannot unmount /dev/sdb1 (/media/usb): it is busy (a file on it is still open?)"));
        QCOMPARE(r.error().subject, std::string("/dev/sdb"));
        QCOMPARE(bus.calls(), (QStringList{"GetManagedObjects /org/freedesktop/UDisks2", "Unmount " + kBlocks + "sdb2",
                                           "Unmount " + kBlocks + "sdb1"}));
    }

    // Unmounted meanwhile (UDisks2's NotMounted): what was wanted, so on to
    // the power-off.
    void notMountedIsDone()
    {
        const fs::path dir = caseDir();
        PrivateUdisks bus(dir, twoDrives({}, {{"unmount_error", udisksError("NotMounted", "Device is not mounted")}}),
                          PrivateUdisks::Udisks::Running);
        QVERIFY2(bus.failure().isEmpty(), qPrintable(bus.failure()));

        const auto r = UdisksEject::eject(stick(), withUdisksctl(dir, bus));
        QVERIFY2(r, r ? "" : r.message().c_str());
        QVERIFY(r->poweredOff);
        QCOMPARE(bus.calls().last(), "PowerOff " + kDrives + "stick");
    }

    // polkit says no to powering off without a password: unmounted (safe to
    // pull), but the eject failed, and says why in plain words.
    void powerOffNotAuthorised()
    {
        const fs::path dir = caseDir();
        PrivateUdisks bus(dir,
                          twoDrives({{"power_off_error",
                                      udisksError("NotAuthorizedCanObtain", "Not authorized to perform operation")}}),
                          PrivateUdisks::Udisks::Running);
        QVERIFY2(bus.failure().isEmpty(), qPrintable(bus.failure()));

        const auto r = UdisksEject::eject(stick(), withUdisksctl(dir, bus));
        QVERIFY(!r);
        QCOMPARE(r.code(), atmo::ErrorCode::Failed);
        QVERIFY2(r.message().starts_with("/dev/sdb: unmounted, but cannot power it off: not allowed without "
                                         "authentication"),
                 r.message().c_str());
        QCOMPARE(bus.calls().size(), 4);
        QCOMPARE(bus.calls().last(), "PowerOff " + kDrives + "stick");
        QVERIFY(!fs::exists(dir / "udisksctl.log"));
    }

    // A drive UDisks2 cannot power off (CanPowerOff false): unmounted, a
    // note, and no PowerOff call that could only fail.
    void driveThatCannotPowerOff()
    {
        const fs::path dir = caseDir();
        PrivateUdisks bus(dir, twoDrives({{"can_power_off", false}}), PrivateUdisks::Udisks::Running);
        QVERIFY2(bus.failure().isEmpty(), qPrintable(bus.failure()));

        const auto r = UdisksEject::eject(stick(), withUdisksctl(dir, bus));
        QVERIFY2(r, r ? "" : r.message().c_str());
        QVERIFY(!r->poweredOff);
        QVERIFY(!r->needsUdisks);
        QVERIFY2(r->note.find("safe to remove") != std::string::npos, r->note.c_str());
        QCOMPARE(bus.calls(), (QStringList{"GetManagedObjects /org/freedesktop/UDisks2", "Unmount " + kBlocks + "sdb2",
                                           "Unmount " + kBlocks + "sdb1"}));
    }

    // UDisks2 not on the bus, no bus at all, or a device UDisks2 does not
    // know: core's eject, through udisksctl, as before.
    void fallsBackToUdisksctl()
    {
        const auto expectUdisksctl = [](const fs::path& dir, const atmo::Result<atmo::EjectOutcome>& r) {
            QVERIFY2(r, r ? "" : r.message().c_str());
            QVERIFY(r->poweredOff);
            QCOMPARE(readFile(dir / "udisksctl.log"), std::string("unmount -b /dev/sdb1 --no-user-interaction\n"
                                                                  "power-off -b /dev/sdb --no-user-interaction\n"));
        };
        {
            const fs::path dir = caseDir();
            PrivateUdisks bus(dir, {}, PrivateUdisks::Udisks::Absent);
            QVERIFY2(bus.failure().isEmpty(), qPrintable(bus.failure()));
            expectUdisksctl(dir, UdisksEject::eject(stick(), withUdisksctl(dir, bus)));
        }
        {
            const fs::path dir = caseDir();
            PrivateUdisks bus(dir, twoDrives(), PrivateUdisks::Udisks::Running);
            QVERIFY2(bus.failure().isEmpty(), qPrintable(bus.failure()));
            UdisksEject::Options o = withUdisksctl(dir, bus);
            o.busAddress = "unix:path=" + q(dir / "no-such-bus");
            expectUdisksctl(dir, UdisksEject::eject(stick(), o));
            QCOMPARE(bus.calls(), QStringList());
        }
        {
            const fs::path dir = caseDir();
            QJsonObject other = twoDrives();
            other["blocks"] = QJsonArray{QJsonObject{{"name", "sdc"}, {"drive", "stick"}}};
            PrivateUdisks bus(dir, other, PrivateUdisks::Udisks::Running);
            QVERIFY2(bus.failure().isEmpty(), qPrintable(bus.failure()));
            expectUdisksctl(dir, UdisksEject::eject(stick(), withUdisksctl(dir, bus)));
            QCOMPARE(bus.calls(), QStringList{"GetManagedObjects /org/freedesktop/UDisks2"});
        }
    }

    // A system disk is refused before anything is asked of anyone.
    void systemDiskRefusedWithoutACall()
    {
        const fs::path dir = caseDir();
        PrivateUdisks bus(dir, twoDrives(), PrivateUdisks::Udisks::Running);
        QVERIFY2(bus.failure().isEmpty(), qPrintable(bus.failure()));
        atmo::Drive d = stick();
        d.system = true;
        d.systemReason = "holds /";

        const auto r = UdisksEject::eject(d, withUdisksctl(dir, bus));
        QVERIFY(!r);
        QCOMPARE(r.message(), std::string("/dev/sdb: refusing to eject a system disk (holds /)"));
        QCOMPARE(bus.calls(), QStringList());
        QVERIFY(!fs::exists(dir / "udisksctl.log"));
    }

    // The CLI end to end: a fake /sys with a USB stick "mounted" on a real
    // directory, the system bus's address pointing at the private bus, and a
    // udisksctl on PATH that must not be needed; ejected, then busy.
    void cliExportEjectsOverTheSystemBus()
    {
        const fs::path dir = caseDir();
        const fs::path stickDir = dir / "media/STICK";
        fs::create_directories(stickDir);
        fakesys::Tree tree(dir / "fake-root");
        tree.addDisk(fakesys::Disk{
            "sdb", "8:16", fakesys::kUsbBus, true, false, 30031872, "SanDisk", "Cruzer Blade", "", {{"sdb1", "8:17"}}});
        tree.mount("8:17", stickDir, "vfat", "/dev/sdb1");

        const auto stickOnly = [&](QJsonObject sdb1) {
            sdb1["mounts"] = QJsonArray{q(stickDir)};
            QJsonObject fake = twoDrives({}, sdb1);
            QJsonArray blocks = fake["blocks"].toArray();
            blocks.removeAt(4); // sdb2: the fake /sys has no second partition
            fake["blocks"] = blocks;
            return fake;
        };
        PrivateUdisks bus(dir / "bus", stickOnly({}), PrivateUdisks::Udisks::Running);
        QVERIFY2(bus.failure().isEmpty(), qPrintable(bus.failure()));
        recordingUdisksctl(dir);

        const QByteArray oldPath = qgetenv("PATH"), oldBus = qgetenv("DBUS_SYSTEM_BUS_ADDRESS");
        qputenv("PATH", QByteArray::fromStdString((dir / "bin").string()) + ":" + oldPath);
        qputenv("ATMOSPHERE_DRIVES_ROOT", QByteArray::fromStdString(tree.root().string()));
        qputenv("DBUS_SYSTEM_BUS_ADDRESS", bus.address().toUtf8());
        struct Restore {
            QByteArray path, bus;
            ~Restore()
            {
                qputenv("PATH", path);
                qunsetenv("ATMOSPHERE_DRIVES_ROOT");
                if (bus.isNull())
                    qunsetenv("DBUS_SYSTEM_BUS_ADDRESS");
                else
                    qputenv("DBUS_SYSTEM_BUS_ADDRESS", bus);
            }
        } restore{oldPath, oldBus};

        const fs::path home = dir / "home";
        const QString keys = q(dir / "keys");
        auto r = runCli({"key", "generate", "--name", "mesh", "--out", keys, "--unencrypted"}, home);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({"trust", "add", keys + "/mesh.pub", "--role", "mesh"}, home);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        makeMission(dir / "mission");
        r = runCli({"package", "create", "--mission", q(dir / "mission"), "--version", "2.0", "--output",
                    q(dir / "pkg"), "--sign", keys + "/mesh.key"},
                   home);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString pkg = q(dir / "pkg/production-inspection-v2.0.atmo");

        r = runCli({"package", "export", pkg, "--output", q(stickDir), "--eject"}, home);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.trimmed().endsWith("; ejected /dev/sdb, safe to remove"), qPrintable(r.out));
        QCOMPARE(bus.calls(), (QStringList{"GetManagedObjects /org/freedesktop/UDisks2", "Unmount " + kBlocks + "sdb1",
                                           "PowerOff " + kDrives + "stick"}));
        QVERIFY(!fs::exists(dir / "udisksctl.log"));

        // A file still open on the stick: the data is there, but the drive
        // is not safe to pull, so exit 1 with UDisks2's reason in core's words.
        PrivateUdisks busy(dir / "busy-bus",
                           stickOnly({{"unmount_error", udisksError("DeviceBusy", "target is busy")}}),
                           PrivateUdisks::Udisks::Running);
        QVERIFY2(busy.failure().isEmpty(), qPrintable(busy.failure()));
        qputenv("DBUS_SYSTEM_BUS_ADDRESS", busy.address().toUtf8());
        r = runCli({"package", "export", pkg, "--output", q(stickDir), "--eject"}, home);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.trimmed().endsWith("; eject FAILED: /dev/sdb: cannot unmount /dev/sdb1 (" + q(stickDir) +
                                          "): it is busy (a file on it is still open?)"),
                 qPrintable(r.out));
        QCOMPARE(r.err.trimmed(), QString("atmosphere: 1 of 1 targets could not be ejected"));
        QCOMPARE(busy.calls().size(), 2); // listed, one Unmount refused, no PowerOff
        QVERIFY(!fs::exists(dir / "udisksctl.log"));
    }
};

ATMO_TEST_GUILESS_MAIN(TestAppUdisksEject)
#include "tst_app_udisks_eject.moc"
