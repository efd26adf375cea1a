// Export to several drives at once, with real directories standing in for
// mounted drives: a 1 MiB tmpfs that is too small or fills up mid-write
// (mount(2); skipped where not permitted), drives written in parallel, a slow
// drive not holding back a fast one; and the CLI's `drives` command and
// `package export --eject`, against a fake /sys tree and a stand-in udisksctl.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <sys/mount.h>

#include <atomic>
#include <cstdlib>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>

#include "core/drives/export_eject.h"
#include "core/drives/package_export.h"
#include "core/package/package_verifier.h"
#include "core/package/package_writer.h"
#include "core/package/trust_store.h"
#include "fake_sysfs.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

std::vector<std::string> listDir(const fs::path& dir)
{
    std::vector<std::string> out;
    if (fs::exists(dir))
        for (const auto& e : fs::directory_iterator(dir))
            out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// Forwards everything to a real directory target; subclasses change one thing.
class Wrapped : public ExportTarget {
public:
    explicit Wrapped(const fs::path& dir) : inner_(directoryTarget(dir)) {}
    std::string name() const override { return inner_->name(); }
    fs::path directory() const override { return inner_->directory(); }
    void open(const std::string& n) override { inner_->open(n); }
    void write(const void* d, std::size_t s) override { inner_->write(d, s); }
    void sync() override { inner_->sync(); }
    void dropCache() override { inner_->dropCache(); }
    std::size_t readBack(std::uint64_t o, void* b, std::size_t s) override { return inner_->readBack(o, b, s); }
    void commit() override { inner_->commit(); }
    void discard() override { inner_->discard(); }
    std::uint64_t freeBytes() const override { return inner_->freeBytes(); }
    bool readOnly() const override { return inner_->readOnly(); }

protected:
    std::unique_ptr<ExportTarget> inner_;
};

// A filesystem whose statvfs promises more than it can hold (FAT's cluster
// slack, another program filling the stick meanwhile): the write itself runs out.
class OverPromising : public Wrapped {
public:
    using Wrapped::Wrapped;
    std::uint64_t freeBytes() const override { return 1ull << 40; }
};

// Drives that write only when a condition holds, to show what runs at once
// without timing it: a write waits (a one-minute watchdog, never a
// measurement) until the condition is met, and a wait that ran out is
// recorded, so an export that would never meet it fails instead of passing
// by luck. Also counts how many targets are inside write() at once.
struct Concurrency {
    std::mutex mutex;
    std::condition_variable cv;
    int now = 0, max = 0;
    int inFirstWrite = 0;     // targets that reached their first write
    int needTogether = 0;     // a first write waits until this many arrived
    bool gateOpen = true;     // a write of a gated target waits until it opens
    bool watchdogFired = false;
    int writesAfterGate = 0;  // writes of the gated target done after it opened

    bool waitFor(std::unique_lock<std::mutex>& l, const std::function<bool()>& pred)
    {
        if (!cv.wait_for(l, std::chrono::minutes(1), pred))
            watchdogFired = true;
        return !watchdogFired;
    }
    void openGate()
    {
        std::lock_guard l(mutex);
        gateOpen = true;
        cv.notify_all();
    }
};
class GatedTarget : public Wrapped {
public:
    GatedTarget(const fs::path& dir, std::shared_ptr<Concurrency> c, bool gated = false)
        : Wrapped(dir), c_(std::move(c)), gated_(gated)
    {
    }
    void write(const void* d, std::size_t s) override
    {
        {
            std::unique_lock l(c_->mutex);
            c_->max = std::max(c_->max, ++c_->now);
            if (first_) {
                first_ = false;
                ++c_->inFirstWrite;
                c_->cv.notify_all();
                c_->waitFor(l, [&] { return c_->inFirstWrite >= c_->needTogether || c_->watchdogFired; });
            }
            if (gated_) {
                c_->waitFor(l, [&] { return c_->gateOpen || c_->watchdogFired; });
                ++c_->writesAfterGate;
            }
            --c_->now;
        }
        Wrapped::write(d, s);
    }

private:
    std::shared_ptr<Concurrency> c_;
    bool gated_;
    bool first_ = true;
};

// Opens the gate when target `opener` is done, and records the order.
class OrderObserver : public ExportObserver {
public:
    std::mutex mutex;
    std::vector<std::size_t> doneOrder;
    std::shared_ptr<Concurrency> c;
    std::size_t opener = 0;
    int gatedWritesWhenOpenerDone = -1;
    void onTargetDone(std::size_t i, const TargetResult&) override
    {
        {
            std::lock_guard lock(mutex);
            doneOrder.push_back(i);
        }
        if (c && i == opener) {
            {
                std::lock_guard l(c->mutex);
                gatedWritesWhenOpenerDone = c->writesAfterGate;
            }
            c->openGate();
        }
    }
};

// Unmounts on scope exit, whatever the test's outcome.
struct TmpfsMount {
    fs::path path;
    bool mounted = false;
    TmpfsMount(const fs::path& p, const char* options) : path(p)
    {
        fs::create_directories(p);
        mounted = ::mount("atmo-test", p.c_str(), "tmpfs", 0, options) == 0;
    }
    ~TmpfsMount()
    {
        if (mounted)
            ::umount2(path.c_str(), MNT_DETACH);
    }
};

} // namespace

class TstExportDrives : public QObject {
    Q_OBJECT

    std::unique_ptr<testutil::Sandbox> sb_;
    SecretKey mesh_;
    std::unique_ptr<TrustStore> trust_;
    fs::path source_; // a package with a 6 MiB model: several 1 MiB blocks

    ExportOptions options()
    {
        ExportOptions o;
        o.trust = trust_.get();
        return o;
    }

    template <class... T>
    static std::vector<std::unique_ptr<ExportTarget>> targets(T... t)
    {
        std::vector<std::unique_ptr<ExportTarget>> v;
        (v.push_back(std::move(t)), ...);
        return v;
    }

    fs::path dir(const std::string& name)
    {
        const fs::path d = sb_->path() / name;
        fs::create_directories(d);
        return d;
    }

    bool verifies(const fs::path& file)
    {
        VerifyOptions o;
        o.trust = trust_.get();
        return verifyPackage(file, o, nullptr, CancelToken()).ok;
    }

private slots:
    void initTestCase()
    {
        fakesys::isolateMounts(); // a crashed run leaves no tmpfs mounted behind
        sb_ = std::make_unique<testutil::Sandbox>();
        testutil::MissionSpec spec;
        spec.largeModelSize = 6u << 20;
        testutil::makeMission(sb_->path() / "mission", spec);
        mesh_ = testutil::makeKey();
        testutil::trustKey(sb_->path() / "home", mesh_, TrustRole::Mesh, "mesh");
        trust_ = std::make_unique<TrustStore>(sb_->path() / "home" / "trust");
        CreateOptions o;
        o.missionDir = sb_->path() / "mission";
        o.version = "1.3";
        o.outputDir = sb_->path() / "src";
        o.meshKey = mesh_;
        auto r = createPackage(o, nullptr, CancelToken());
        QVERIFY2(r, r ? "" : r.message().c_str());
        source_ = r->file;
    }

    void cleanupTestCase()
    {
        trust_.reset();
        sb_.reset();
    }

    void threeDirectoriesOneTooSmall()
    {
        TmpfsMount tiny(sb_->path() / "tiny-1", "size=1m");
        if (!tiny.mounted)
            QSKIP(qPrintable(QString("cannot mount a tmpfs here: %1").arg(strerror(errno))));
        const fs::path a = dir("usb-a1"), b = dir("usb-b1");
        auto r = exportPackage(source_, targets(directoryTarget(a), directoryTarget(tiny.path), directoryTarget(b)),
                               options(), nullptr, CancelToken());
        QVERIFY2(r, r ? "" : r.message().c_str());
        QVERIFY2((*r)[0].ok, (*r)[0].error.c_str());
        QVERIFY2((*r)[2].ok, (*r)[2].error.c_str());
        const TargetResult& t = (*r)[1];
        QVERIFY(!t.ok);
        QVERIFY2(t.error.find(tiny.path.string()) == 0, t.error.c_str());
        QVERIFY2(t.error.find("not enough free space") != std::string::npos, t.error.c_str());
        QVERIFY(listDir(tiny.path).empty());
        QVERIFY(verifies((*r)[0].file));
        QVERIFY(verifies((*r)[2].file));
    }

    void threeDirectoriesOneFillsUp()
    {
        TmpfsMount tiny(sb_->path() / "tiny-2", "size=1m");
        if (!tiny.mounted)
            QSKIP(qPrintable(QString("cannot mount a tmpfs here: %1").arg(strerror(errno))));
        const fs::path a = dir("usb-a2"), b = dir("usb-b2");
        auto r = exportPackage(source_,
                               targets(directoryTarget(a), std::make_unique<OverPromising>(tiny.path), directoryTarget(b)),
                               options(), nullptr, CancelToken());
        QVERIFY2(r, r ? "" : r.message().c_str());
        const TargetResult& t = (*r)[1];
        QVERIFY(!t.ok);
        QVERIFY2(t.error.find(tiny.path.string()) == 0, t.error.c_str());
        QVERIFY2(t.error.find("no space") != std::string::npos, t.error.c_str());
        QVERIFY(t.file.empty());
        // Neither the final name nor the temporary file is left on it.
        const auto left = listDir(tiny.path);
        QVERIFY2(left.empty(), (left.empty() ? std::string() : left.front()).c_str());
        for (std::size_t i : {0, 2}) {
            QVERIFY2((*r)[i].ok, (*r)[i].error.c_str());
            QCOMPARE(listDir((*r)[i].file.parent_path()), std::vector<std::string>{(*r)[i].file.filename().string()});
            QVERIFY(verifies((*r)[i].file));
        }
        QCOMPARE((*r)[0].sha256, (*r)[2].sha256);
    }

    // Direct I/O for aligned blocks, the page cache for the rest, in any mix:
    // the file holds exactly what was written and reads back the same, through
    // aligned and unaligned buffers alike.
    void directoryTargetMixesDirectAndBufferedIo()
    {
        const fs::path d = dir("mixed");
        auto t = directoryTarget(d);
        t->open("mixed.atmo");
        const std::size_t page = 4096;
        char* raw = static_cast<char*>(std::aligned_alloc(page, 64 * page));
        std::unique_ptr<char, decltype(&std::free)> mem(raw, &std::free);
        for (std::size_t i = 0; i < 64 * page; ++i)
            raw[i] = static_cast<char>(i * 131 + i / 7);
        std::string expected;
        auto put = [&](std::size_t from, std::size_t size) {
            t->write(raw + from, size);
            expected.append(raw + from, size);
        };
        put(0, 8 * page);      // aligned: direct
        put(8 * page, 1000);   // a short one: page cache
        put(0, 4 * page);      // aligned pointer and size, unaligned file offset: page cache
        put(3, 2 * page);      // unaligned pointer
        put(0, 3096);          // brings the offset back to a multiple of 4096
        put(16 * page, 16 * page);
        QCOMPARE(expected.size() % page, std::size_t(0));
        t->sync();
        t->dropCache();
        std::string back;
        std::vector<char> small(5000);
        char* big = static_cast<char*>(std::aligned_alloc(page, 8 * page));
        std::unique_ptr<char, decltype(&std::free)> bigMem(big, &std::free);
        for (bool aligned = true;; aligned = !aligned) {
            const std::size_t n = aligned ? t->readBack(back.size(), big, 8 * page)
                                          : t->readBack(back.size(), small.data(), small.size());
            if (n == 0)
                break;
            back.append(aligned ? big : small.data(), n);
        }
        QCOMPARE(back.size(), expected.size());
        QVERIFY(back == expected);
        t->commit();
        QVERIFY(testutil::readFile(d / "mixed.atmo") == expected);
        QCOMPARE(listDir(d), std::vector<std::string>{"mixed.atmo"});
    }

    void drivesWriteInParallel()
    {
        // Each drive's first write waits until the other one is writing too:
        // written one after the other, the first would wait for ever (the
        // watchdog fails the test); in parallel, both are in write() at once.
        auto c = std::make_shared<Concurrency>();
        c->needTogether = 2;
        const fs::path a = dir("slow-a"), b = dir("slow-b");
        auto r = exportPackage(source_,
                               targets(std::make_unique<GatedTarget>(a, c), std::make_unique<GatedTarget>(b, c)),
                               options(), nullptr, CancelToken());
        QVERIFY2(r, r ? "" : r.message().c_str());
        QVERIFY(!c->watchdogFired);
        QVERIFY((*r)[0].ok && (*r)[1].ok);
        QCOMPARE(c->max, 2);
    }

    void slowDriveDoesNotHoldBackAFastOne()
    {
        // The package (7 blocks) fits in the block pool: the fast drive gets
        // every block at once, syncs, reads back and is done while the slow
        // one is still writing. The slow drive writes nothing until the fast
        // one is done, so a fan-out that held the fast drive back to the slow
        // one's pace would never finish it (the watchdog fails the test).
        auto c = std::make_shared<Concurrency>();
        c->gateOpen = false;
        const fs::path fast = dir("fast"), slow = dir("slow");
        OrderObserver obs;
        obs.c = c;
        obs.opener = 1;
        auto r = exportPackage(source_, targets(std::make_unique<GatedTarget>(slow, c, true), directoryTarget(fast)),
                               options(), &obs, CancelToken());
        QVERIFY2(r, r ? "" : r.message().c_str());
        QVERIFY(!c->watchdogFired);
        QVERIFY((*r)[0].ok && (*r)[1].ok);
        QCOMPARE(obs.doneOrder, (std::vector<std::size_t>{1, 0}));
        // Verified and renamed into place before the slow one wrote a byte.
        QCOMPARE(obs.gatedWritesWhenOpenerDone, 0);
    }

    // The eject plan both front ends follow, on real exports: two outputs on
    // one stick (one cannot be written: its folder is under a regular file),
    // one on another stick, one in a plain folder. Only the stick whose every
    // output verified is ejected, once; the plain folder is never listed.
    void ejectPlanEjectsADriveOnlyWhenEveryOutputOnItVerified()
    {
        const fs::path a = dir("eject-stick-a"), b = dir("eject-stick-b"), plain = dir("eject-plain");
        testutil::writeFile(a / "a-file", "x");
        const fs::path aBad = a / "a-file" / "sub";
        std::vector<Drive> drives(2);
        drives[0].device = "/dev/sdx";
        drives[0].name = "Stick A";
        drives[0].mountpoints = {DriveMount{"/dev/sdx1", a, "vfat", "A", 0, 0, false}};
        drives[1].device = "/dev/sdy";
        drives[1].name = "Stick B";
        drives[1].mountpoints = {DriveMount{"/dev/sdy1", b, "vfat", "B", 0, 0, false}};
        const std::vector<fs::path> outputs = {a, aBad, b, plain};
        std::vector<const Drive*> driveOf;
        for (const auto& o : outputs)
            driveOf.push_back(driveHolding(drives, o));
        QCOMPARE(driveOf[0], &drives[0]);
        QCOMPARE(driveOf[1], &drives[0]);
        QCOMPARE(driveOf[2], &drives[1]);
        QCOMPARE(driveOf[3], static_cast<const Drive*>(nullptr));

        auto r = exportPackage(source_,
                               targets(directoryTarget(a), directoryTarget(aBad), directoryTarget(b),
                                       directoryTarget(plain)),
                               options(), nullptr, CancelToken());
        QVERIFY2(r, r ? "" : r.message().c_str());
        QVERIFY((*r)[0].ok && !(*r)[1].ok && (*r)[2].ok && (*r)[3].ok);

        const auto plan = planEjects(*r, driveOf);
        QCOMPARE(plan.size(), std::size_t(2));
        QCOMPARE(plan[0].drive, &drives[0]);
        QCOMPARE(plan[0].targets, (std::vector<std::size_t>{0, 1}));
        QVERIFY(!plan[0].eject); // output 0 verified, but output 1 on the same stick failed
        QCOMPARE(plan[1].drive, &drives[1]);
        QCOMPARE(plan[1].targets, (std::vector<std::size_t>{2}));
        QVERIFY(plan[1].eject);
    }

    void cliEjectSkipsADirectoryNotOnARemovableDrive()
    {
        const fs::path home = sb_->path() / "cli-home";
        const QString out = QString::fromStdString(dir("cli-out").string());
        const QString keys = QString::fromStdString((sb_->path() / "cli-keys").string());
        auto r = testutil::runCli({"key", "generate", "--name", "mesh", "--out", keys, "--unencrypted"}, home);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = testutil::runCli({"trust", "add", keys + "/mesh.pub", "--role", "mesh"}, home);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = testutil::runCli({"package", "create", "--mission", QString::fromStdString((sb_->path() / "mission").string()),
                              "--version", "2.0", "--output", QString::fromStdString((sb_->path() / "cli-pkg").string()),
                              "--sign", keys + "/mesh.key"},
                             home);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString pkg = QString::fromStdString((sb_->path() / "cli-pkg/production-inspection-v2.0.atmo").string());

        r = testutil::runCli({"package", "export", pkg, "--output", out, "--eject"}, home);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        const QStringList lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith(out + ": written and verified: " + out + "/production-inspection-v2.0.atmo"),
                 qPrintable(lines[0]));
        QVERIFY2(lines[0].endsWith("; not on a removable drive, so not ejected"), qPrintable(lines[0]));
        QVERIFY(fs::exists(sb_->path() / "cli-out/production-inspection-v2.0.atmo"));

        r = testutil::runCli({"package", "export", pkg, "--output", QString::fromStdString(dir("cli-out-2").string()),
                              "--eject", "--json"},
                             home);
        QCOMPARE(r.exitCode, 0);
        const auto t = QJsonDocument::fromJson(r.out.toUtf8()).object()["targets"].toArray().at(0).toObject();
        QCOMPARE(t["eject"].toString(), QString("not_removable"));
        QVERIFY(t["ok"].toBool());
    }

    // The CLI against a fake /sys tree with a USB stick "mounted" on a real
    // directory, and a udisksctl that records what it is asked.
    void cliDrivesAndEjectOnAFakeStick()
    {
        fakesys::Tree tree(sb_->path() / "fake-root");
        const fs::path stick = dir("media/tech/STICK");
        tree.addDisk(fakesys::Disk{"sdb", "8:16", fakesys::kUsbBus, true, false, 30031872, "SanDisk", "Cruzer Blade",
                                   "", {{"sdb1", "8:17"}}});
        tree.mount("8:17", stick, "vfat", "/dev/sdb1");
        tree.label("STICK", "sdb1");
        const fs::path bin = dir("fake-bin"), log = sb_->path() / "udisksctl.log";
        testutil::writeFile(bin / "udisksctl", "#!/bin/sh\necho \"$@\" >> '" + log.string() + "'\n");
        fs::permissions(bin / "udisksctl", fs::perms::owner_all);
        const QByteArray oldPath = qgetenv("PATH");
        qputenv("PATH", QByteArray::fromStdString(bin.string()) + ":" + oldPath);
        qputenv("ATMOSPHERE_DRIVES_ROOT", QByteArray::fromStdString(tree.root().string()));
        struct Restore {
            QByteArray path;
            ~Restore()
            {
                qputenv("PATH", path);
                qunsetenv("ATMOSPHERE_DRIVES_ROOT");
            }
        } restore{oldPath};
        const fs::path home = sb_->path() / "home";

        auto r = testutil::runCli({"drives"}, home);
        QCOMPARE(r.exitCode, 0);
        QStringList lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[0].startsWith("DEVICE") && lines[0].contains("MOUNT POINT") && lines[0].endsWith("READ-ONLY"),
                 qPrintable(lines[0]));
        QVERIFY2(lines[1].startsWith("/dev/sdb") && lines[1].contains("SanDisk Cruzer Blade") &&
                     lines[1].contains("14.3 GiB") && lines[1].contains(QString::fromStdString(stick.string()) + " (STICK)") &&
                     lines[1].endsWith("no"),
                 qPrintable(lines[1]));

        r = testutil::runCli({"drives", "--json"}, home);
        QCOMPARE(r.exitCode, 0);
        const auto drives = QJsonDocument::fromJson(r.out.toUtf8()).object()["drives"].toArray();
        QCOMPARE(drives.size(), 1);
        const auto d = drives.at(0).toObject();
        QCOMPARE(d["device"].toString(), QString("/dev/sdb"));
        QVERIFY(d["usb"].toBool());
        QVERIFY(d["writable"].toBool());
        QCOMPARE(d["mountpoints"].toArray().at(0).toObject()["label"].toString(), QString("STICK"));
        QCOMPARE(d["mountpoints"].toArray().at(0).toObject()["fs_type"].toString(), QString("vfat"));

        // Export to the stick and to a plain folder, ejecting: the stick is
        // unmounted and powered off, the folder is left alone.
        testutil::trustKey(home, mesh_, TrustRole::Mesh, "mesh");
        const QString plain = QString::fromStdString(dir("plain").string());
        r = testutil::runCli({"package", "export", QString::fromStdString(source_.string()), "--output",
                              QString::fromStdString(stick.string()), "--output", plain, "--eject"},
                             home);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[0].endsWith("; ejected /dev/sdb, safe to remove"), qPrintable(lines[0]));
        QVERIFY2(lines[1].endsWith("; not on a removable drive, so not ejected"), qPrintable(lines[1]));
        QCOMPARE(testutil::readFile(log), std::string("unmount -b /dev/sdb1 --no-user-interaction\n"
                                                      "power-off -b /dev/sdb --no-user-interaction\n"));

        // udisksctl refuses: the data is there, but the drive is not safe to pull: exit 1.
        testutil::writeFile(bin / "udisksctl", "#!/bin/sh\necho 'Error unmounting /dev/sdb1: GDBus.Error:org.freedesktop."
                                               "UDisks2.Error.DeviceBusy: Error unmounting /dev/sdb1: target is busy' "
                                               ">&2\nexit 1\n");
        r = testutil::runCli({"package", "export", QString::fromStdString(source_.string()), "--output",
                              QString::fromStdString(stick.string()), "--eject"},
                             home);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.trimmed().endsWith("; eject FAILED: /dev/sdb: cannot unmount /dev/sdb1 (" +
                                          QString::fromStdString(stick.string()) + "): target is busy"),
                 qPrintable(r.out));
        QCOMPARE(r.err.trimmed(), QString("atmosphere: 1 of 1 targets could not be ejected"));

        // No drives at all.
        tree.unmountAll("8:17");
        tree.removeDisk("sdb");
        r = testutil::runCli({"drives"}, home);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("No removable drives"), qPrintable(r.out));
        r = testutil::runCli({"drives", "--json"}, home);
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()["drives"].toArray().size(), 0);
    }
};

ATMO_TEST_GUILESS_MAIN(TstExportDrives)
#include "tst_export_drives.moc"
