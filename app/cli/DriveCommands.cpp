// atmosphere drives: the removable drives a package can be exported to.
#include <QJsonArray>
#include <QJsonObject>

#include "CliContext.h"
#include "Commands.h"

#include "core/drives/drives.h"
#include "core/base/fs_util.h"

namespace cli {

// The drives this station may write to: never a system disk, nor the one
// holding the station's home. ATMOSPHERE_DRIVES_ROOT=DIR (for tests) reads
// DIR/sys, DIR/proc and DIR/dev instead of /sys, /proc and /dev.
atmo::SysfsDriveSource driveSource(const Context& ctx)
{
    atmo::SysfsRoots roots;
    const QByteArray root = qgetenv("ATMOSPHERE_DRIVES_ROOT");
    if (!root.isEmpty()) {
        const std::filesystem::path r(root.toStdString());
        roots = {r / "sys", r / "proc", r / "dev"};
    }
    return atmo::SysfsDriveSource({ctx.homePath()}, roots);
}

QJsonObject driveJson(const atmo::Drive& d)
{
    QJsonArray mounts;
    for (const auto& m : d.mountpoints)
        mounts.append(QJsonObject{{"device", q(m.device)},
                                  {"path", q(m.path.string())},
                                  {"fs_type", q(m.fsType)},
                                  {"label", q(m.label)},
                                  {"free_bytes", qint64(m.freeBytes)},
                                  {"size_bytes", qint64(m.sizeBytes)},
                                  {"read_only", m.readOnly}});
    return {{"device", q(d.device)},
            {"name", q(d.name)},
            {"size_bytes", qint64(d.sizeBytes)},
            {"removable", d.removable},
            {"usb", d.usb},
            {"read_only", d.readOnly},
            {"writable", d.writable()},
            {"mountpoints", mounts}};
}

int drives(const QStringList& args)
{
    Context ctx("drives", args);
    QCommandLineParser p;
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    const auto list = driveSource(ctx).list();
    if (ctx.json()) {
        QJsonArray a;
        for (const auto& d : list)
            a.append(driveJson(d));
        ctx.printJson({{"drives", a}});
        return Ok;
    }
    if (list.empty()) {
        ctx.print("No removable drives (the computer's own disks are never listed).");
        return Ok;
    }
    // One row per mounted filesystem; a drive with none gets one row saying so.
    QList<QStringList> rows{{"DEVICE", "NAME", "SIZE", "FREE", "MOUNT POINT", "READ-ONLY"}};
    for (const auto& d : list) {
        const QString size = q(atmo::humanBytes(d.sizeBytes));
        if (d.mountpoints.empty())
            rows.append({q(d.device), q(d.name), size, "-", "(not mounted)", d.readOnly ? "yes" : "no"});
        bool first = true;
        for (const auto& m : d.mountpoints) {
            QString where = q(m.path.string());
            if (!m.label.empty())
                where += " (" + q(m.label) + ")";
            rows.append({first ? q(d.device) : QString(), first ? q(d.name) : QString(), first ? size : QString(),
                         q(atmo::humanBytes(m.freeBytes)), where, d.readOnly || m.readOnly ? "yes" : "no"});
            first = false;
        }
    }
    ctx.printTable(rows);
    return Ok;
}

} // namespace cli
