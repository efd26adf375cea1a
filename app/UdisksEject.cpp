#include "app/UdisksEject.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusError>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QMap>
#include <QScopeGuard>
#include <QVariantMap>

#include <algorithm>
#include <atomic>
#include <optional>
#include <vector>

#include "app/LogCategories.h"
#include "app/QtStrings.h"

namespace {

const QString kUdisks = QStringLiteral("org.freedesktop.UDisks2");
const QString kUdisksRoot = QStringLiteral("/org/freedesktop/UDisks2");
const QString kBlockInterface = QStringLiteral("org.freedesktop.UDisks2.Block");
const QString kFilesystemInterface = QStringLiteral("org.freedesktop.UDisks2.Filesystem");
const QString kDriveInterface = QStringLiteral("org.freedesktop.UDisks2.Drive");

// As core's udisksctl eject: unmounting waits while the kernel flushes what
// is still cached for a slow stick; powering off is quick.
constexpr int kUnmountTimeoutMs = 120'000;
constexpr int kPowerOffTimeoutMs = 60'000;
// Listing UDisks2's objects may start it first (bus activation).
constexpr int kListTimeoutMs = 30'000;

using Interfaces = QMap<QString, QVariantMap>;            // a{sa{sv}}
using ManagedObjects = QMap<QDBusObjectPath, Interfaces>; // a{oa{sa{sv}}}

// UDisks2's paths are byte strings (ay) that end in a NUL.
QString udisksPath(QByteArray bytes)
{
    if (bytes.endsWith('\0'))
        bytes.chop(1);
    return QString::fromUtf8(bytes);
}

struct MountedBlock {
    QString object;     // /org/freedesktop/UDisks2/block_devices/sdb1
    QString device;     // /dev/sdb1
    QString mountPoint; // its deepest mount point
};

// What UDisks2 knows of one drive: its Drive object, and its filesystems
// that are mounted, deepest mount point first (nothing may stay mounted on
// top of what is being unmounted, as in core's eject).
struct UdisksDrive {
    QString object;
    bool canPowerOff = false;
    std::vector<MountedBlock> mounted;
};

std::optional<UdisksDrive> findUdisksDrive(const ManagedObjects& objects, const QString& device)
{
    const auto path = [](const QVariantMap& block, const char* property) {
        return udisksPath(block.value(property).toByteArray());
    };
    UdisksDrive found;
    for (auto o = objects.begin(); o != objects.end(); ++o) {
        const QVariantMap block = o.value().value(kBlockInterface);
        if (path(block, "Device") == device || path(block, "PreferredDevice") == device)
            found.object = block.value("Drive").value<QDBusObjectPath>().path();
    }
    // "/": a block device with no drive under it (a loop device).
    if (found.object.isEmpty() || found.object == "/")
        return std::nullopt;
    found.canPowerOff =
        objects.value(QDBusObjectPath(found.object)).value(kDriveInterface).value("CanPowerOff").toBool();
    for (auto o = objects.begin(); o != objects.end(); ++o) {
        const QVariantMap block = o.value().value(kBlockInterface);
        if (block.value("Drive").value<QDBusObjectPath>().path() != found.object ||
            !o.value().contains(kFilesystemInterface))
            continue;
        const auto mountPoints = qdbus_cast<QByteArrayList>(o.value().value(kFilesystemInterface).value("MountPoints"));
        MountedBlock m{o.key().path(), path(block, "Device"), {}};
        for (const QByteArray& p : mountPoints)
            if (const QString mountPoint = udisksPath(p); mountPoint.size() > m.mountPoint.size())
                m.mountPoint = mountPoint;
        if (!m.mountPoint.isEmpty())
            found.mounted.push_back(m);
    }
    std::sort(found.mounted.begin(), found.mounted.end(),
              [](const MountedBlock& a, const MountedBlock& b) { return a.mountPoint.size() > b.mountPoint.size(); });
    return found;
}

// UDisks2's error, in the words core's eject uses.
atmo::Error udisksReason(const QDBusError& error, int timeoutMs)
{
    const QString name = error.name();
    if (name == "org.freedesktop.UDisks2.Error.DeviceBusy")
        return atmo::fail(atmo::ErrorCode::Busy, "it is busy (a file on it is still open?)");
    if (name == "org.freedesktop.UDisks2.Error.NotAuthorizedCanObtain")
        return atmo::fail("not allowed without authentication (the system's polkit policy asks for a password, "
                          "and none is asked for here)");
    if (name == "org.freedesktop.UDisks2.Error.NotAuthorizedDismissed")
        return atmo::fail("not allowed: the password prompt was dismissed");
    if (name == "org.freedesktop.UDisks2.Error.NotAuthorized")
        return atmo::fail("not allowed for this user (the system's polkit policy refuses it)");
    if (name == "org.freedesktop.DBus.Error.NoReply" || name == "org.freedesktop.DBus.Error.Timeout")
        return atmo::fail("UDisks2 did not answer within " + std::to_string(timeoutMs / 1000) + " s");
    return atmo::fail(s(error.message().isEmpty() ? name : error.message()));
}

const QVariantMap& noUserInteraction()
{
    // Never a password dialog in the middle of an export: refused is refused.
    static const QVariantMap options{{"auth.no_user_interaction", true}};
    return options;
}

// A blocking call to UDisks2; the error when it fails.
std::optional<QDBusError> callUdisks(QDBusConnection& bus, const QString& object, const QString& interface,
                                     const QString& method, int timeoutMs)
{
    QDBusMessage call = QDBusMessage::createMethodCall(kUdisks, object, interface, method);
    call << noUserInteraction();
    const QDBusMessage reply = bus.call(call, QDBus::Block, timeoutMs);
    if (reply.type() == QDBusMessage::ErrorMessage)
        return QDBusError(reply);
    return std::nullopt;
}

atmo::Result<atmo::EjectOutcome> ejectThrough(QDBusConnection& bus, const atmo::Drive& drive, const UdisksDrive& found,
                                              bool powerOff)
{
    for (const MountedBlock& m : found.mounted) {
        qCInfo(lcUsb, "%s: unmounting %s (%s) through UDisks2", drive.device.c_str(), qPrintable(m.device),
               qPrintable(m.mountPoint));
        const auto error = callUdisks(bus, m.object, kFilesystemInterface, "Unmount", kUnmountTimeoutMs);
        if (!error)
            continue;
        if (error->name() == "org.freedesktop.UDisks2.Error.NotMounted")
            continue; // unmounted meanwhile: what was wanted
        const atmo::Error why = udisksReason(*error, kUnmountTimeoutMs);
        return atmo::fail(
            why.code, drive.device + ": cannot unmount " + s(m.device) + " (" + s(m.mountPoint) + "): " + why.message,
            drive.device);
    }
    atmo::EjectOutcome out;
    if (!powerOff)
        return out;
    if (!found.canPowerOff) {
        out.note = "unmounted; UDisks2 cannot power this drive off, so it stays powered but is safe to remove";
        return out;
    }
    qCInfo(lcUsb, "%s: powering off through UDisks2", drive.device.c_str());
    if (const auto error = callUdisks(bus, found.object, kDriveInterface, "PowerOff", kPowerOffTimeoutMs)) {
        const atmo::Error why = udisksReason(*error, kPowerOffTimeoutMs);
        return atmo::fail(why.code, drive.device + ": unmounted, but cannot power it off: " + why.message,
                          drive.device);
    }
    out.poweredOff = true;
    return out;
}

} // namespace

atmo::Result<atmo::EjectOutcome> UdisksEject::eject(const atmo::Drive& drive, const Options& options)
{
    if (auto refused = atmo::checkEjectable(drive); !refused)
        return refused.error();
    const auto fallBack = [&](const QString& why) {
        qCInfo(lcUsb, "%s: %s; ejecting with udisksctl, else umount(2)", drive.device.c_str(), qPrintable(why));
        return atmo::ejectDrive(drive, options.eject);
    };
    if (!options.eject.useUdisks)
        return fallBack("UDisks2 not wanted");

    // A connection of our own, closed after: the process's shared system bus
    // connection would keep a bus that has gone (UDisks2 restarted, or tests
    // with buses of their own) for the rest of the process.
    static std::atomic<int> serial = 0;
    const QString name = QStringLiteral("atmosphere-eject-%1").arg(++serial);
    QDBusConnection bus = options.busAddress.isEmpty() ? QDBusConnection::connectToBus(QDBusConnection::SystemBus, name)
                                                       : QDBusConnection::connectToBus(options.busAddress, name);
    const auto close = qScopeGuard([&] { QDBusConnection::disconnectFromBus(name); });
    if (!bus.isConnected())
        return fallBack("no system bus (" + bus.lastError().message() + ")");
    const bool running = bus.interface()->isServiceRegistered(kUdisks).value();
    if (!running && !bus.interface()->activatableServiceNames().value().contains(kUdisks))
        return fallBack("UDisks2 is not on the system bus");

    const QDBusMessage reply = bus.call(
        QDBusMessage::createMethodCall(kUdisks, kUdisksRoot, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects"),
        QDBus::Block, kListTimeoutMs);
    if (reply.type() == QDBusMessage::ErrorMessage || reply.arguments().isEmpty())
        return fallBack("UDisks2 did not list its devices (" + QDBusError(reply).message() + ")");
    const auto found = findUdisksDrive(qdbus_cast<ManagedObjects>(reply.arguments().at(0)), q(drive.device));
    if (!found)
        return fallBack("UDisks2 knows no drive " + q(drive.device));
    qCInfo(lcUsb, "%s: ejecting through UDisks2 (%s)", drive.device.c_str(), qPrintable(found->object));
    return ejectThrough(bus, drive, *found, options.eject.powerOff);
}
