// atmosphere package stored: the packages in the station's store (built or
// received here), each with what became of it (verified, written to drives,
// installed), as the window's Build list shows them; `package export` takes
// the names listed ("<id>-<version>") instead of a path.
#include <QJsonArray>
#include <QJsonObject>

#include "CliContext.h"
#include "Commands.h"

#include "core/base/fs_util.h"
#include "core/package/package_store.h"

namespace cli {

namespace {

// "verified", "on 2 drives, installed", "FAILED its check", ...
QString statusText(const atmo::StoredPackage& p)
{
    const atmo::PackageHistory& h = p.history;
    switch (atmo::packageState(h, p.file)) {
    case atmo::PackageState::NotVerified: return "not verified";
    case atmo::PackageState::Changed: return "CHANGED since verified";
    case atmo::PackageState::Failed: return "FAILED its check";
    case atmo::PackageState::Good: break;
    }
    QStringList parts;
    if (!h.exportedAt.empty())
        parts << QString("on %1 %2").arg(h.exportedDrives).arg(h.exportedDrives == 1 ? "drive" : "drives");
    if (!h.installedAt.empty())
        parts << "installed";
    return parts.isEmpty() ? QString("verified") : parts.join(", ");
}

QString contentText(const atmo::StoredPackage& p)
{
    const QString what = p.tier ? QString("tier_%1").arg(*p.tier) : QString("full");
    return p.deltaFrom.empty() ? what : what + " delta from " + q(p.deltaFrom);
}

} // namespace

int packageStored(const QStringList& args)
{
    Context ctx("package stored", args);
    QCommandLineParser p;
    p.addOption({"id", "Only the packages of this id.", "id"});
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    const atmo::PackageStore store(ctx.home().storeIndex());
    std::vector<atmo::StoredPackage> packages;
    for (auto& stored : store.list())
        if (!p.isSet("id") || stored.id == s(p.value("id")))
            packages.push_back(std::move(stored));

    if (ctx.json()) {
        QJsonArray list;
        for (const auto& pkg : packages) {
            const atmo::PackageHistory& h = pkg.history;
            QJsonObject o{{"id", q(pkg.id)},
                          {"version", q(pkg.version)},
                          {"tier", pkg.tier ? QJsonValue(*pkg.tier) : QJsonValue()},
                          {"file", q(pkg.file.string())},
                          {"bytes", static_cast<qint64>(pkg.bytes)},
                          {"added_at", q(pkg.addedAt)},
                          {"status", statusText(pkg)}};
            if (!pkg.deltaFrom.empty())
                o["delta_from"] = q(pkg.deltaFrom);
            if (!h.verifiedAt.empty()) {
                o["verified_at"] = q(h.verifiedAt);
                o["verified_ok"] = h.verifiedOk;
                o["changed_since_verified"] = atmo::changedSinceVerified(h, pkg.file);
            }
            if (!h.exportedAt.empty()) {
                o["exported_at"] = q(h.exportedAt);
                o["exported_drives"] = h.exportedDrives;
            }
            if (!h.installedAt.empty())
                o["installed_at"] = q(h.installedAt);
            list.append(o);
        }
        ctx.printJson(QJsonObject{{"packages", list}});
        return Ok;
    }
    if (packages.empty()) {
        ctx.print(p.isSet("id") ? QString("The station's store has no package %1.").arg(p.value("id"))
                                : QString("The station's store is empty: `atmosphere package create` adds to it."));
        return Ok;
    }
    QList<QStringList> rows{{"ID", "VERSION", "CONTENT", "SIZE", "STATUS", "FILE"}};
    for (const auto& pkg : packages)
        rows << QStringList{q(pkg.id), q(pkg.version), contentText(pkg), q(atmo::humanBytes(pkg.bytes)),
                            statusText(pkg), q(pkg.file.string())};
    ctx.printTable(rows);
    return Ok;
}

} // namespace cli
