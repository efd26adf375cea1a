// atmosphere package export
#include <QDir>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <map>
#include <mutex>

#include "CliContext.h"
#include "app/LogCategories.h"
#include "app/UdisksEject.h"
#include "Commands.h"

#include "core/drives/drives.h"
#include "core/drives/export_eject.h"
#include "core/base/fs_util.h"
#include "core/drives/package_export.h"
#include "core/package/package_store.h"
#include "core/package/trust_store.h"

namespace cli {

atmo::SysfsDriveSource driveSource(const Context& ctx); // DriveCommands.cpp

namespace {

// One line per target as each finishes; a bar for the slowest one in progress
// (the earliest phase, then the smallest fraction). Only that target feeds the
// bar, so its rate and time left follow one stream of bytes instead of
// several interleaved ones.
class ExportPrinter : public atmo::ExportObserver {
public:
    explicit ExportPrinter(bool interactive) : bar_(interactive) {}
    void onTargetProgress(std::size_t index, const atmo::Progress& p) override
    {
        std::lock_guard lock(mutex_);
        if (!latest_.count(index) || latest_[index].phase != p.phase)
            qCDebug(lcUsb, "output %zu: %s", index + 1, atmo::phaseName(p.phase));
        latest_[index] = p;
        const auto behind = [](const atmo::Progress& a, const atmo::Progress& b) {
            const auto frac = [](const atmo::Progress& x) {
                return x.total ? static_cast<double>(x.done) / static_cast<double>(x.total) : 0.0;
            };
            return a.phase != b.phase ? a.phase < b.phase : frac(a) < frac(b);
        };
        std::size_t slowest = index;
        for (const auto& [i, q] : latest_)
            if (behind(q, latest_[slowest]))
                slowest = i;
        if (slowest == index)
            bar_.onProgress(p);
    }
    void onTargetDone(std::size_t index, const atmo::TargetResult& r) override
    {
        if (r.ok)
            qCDebug(lcUsb, "output %zu: %s verified (%s)", index + 1, r.file.c_str(), atmo::humanBytes(r.bytes).c_str());
        else
            qCDebug(lcUsb, "output %zu: failed: %s", index + 1, r.error.c_str());
        std::lock_guard lock(mutex_);
        latest_.erase(index);
    }
    void done() { bar_.done(); }

private:
    std::mutex mutex_;
    std::map<std::size_t, atmo::Progress> latest_;
    TerminalProgress bar_;
};

} // namespace

int packageExport(const QStringList& args)
{
    Context ctx("package export", args);
    QCommandLineParser p;
    p.addOption({"output", "Target directory (a mounted drive; must exist); repeat for several "
                           "(default: the working directory).", "dir"});
    p.addOption({"version", "The version of the package id PACKAGE (default: the newest in the store).", "version"});
    p.addOption({"format", "What to write: archive, the signed .atmo file (the only format).", "format"});
    p.addOption({"tier", "Export only this tier's files (tier_1 or 1).", "tier"});
    p.addOption({"eject", "Unmount and power off each drive once everything on it is written and verified."});
    if (!ctx.parse(p, 1, 1, "PACKAGE: a .atmo file, or <id>-<version> or <id> [--version V] from the station's store"))
        return Usage;
    if (p.isSet("format") && p.value("format") != "archive")
        return ctx.usage("--format: \"" + p.value("format") + "\" is not a format (formats: archive, the signed .atmo file)");
    // No --output: into the working directory, as `cp` would; a given
    // --output must exist (a missing /media/usb is a drive not mounted, and
    // creating it would put the package on the system disk).
    QStringList outputs = p.values("output");
    if (outputs.isEmpty())
        outputs << QDir::currentPath();
    QString error;
    const auto tier = ctx.tierOption(p, error);
    if (!error.isEmpty())
        return ctx.usage(error);
    const QString ref = p.positionalArguments().at(0);
    if (p.isSet("version") && (ref.endsWith(".atmo") || ref.contains('/')))
        return ctx.usage("--version picks a version of a package id in the station's store; " + ref + " is a file");
    auto source = ctx.resolvePackage(ref, p.value("version"), error);
    if (!source)
        return ctx.fail(error);

    const atmo::StationHome home = ctx.home();
    auto identity = ctx.stationIdentity(error);
    if (!identity)
        return ctx.fail(error);
    atmo::TrustStore trust(home.trustDir());
    atmo::ExportOptions options;
    options.tier = tier;
    options.trust = &trust;
    options.stationKey = *identity;
    options.stationName = home.stationName();
    std::vector<std::unique_ptr<atmo::ExportTarget>> targets;
    for (const auto& dir : outputs)
        targets.push_back(atmo::directoryTarget(s(dir)));
    // Which removable drive each output is on, looked up before writing (an
    // output that is not on one is written all the same, just not ejected).
    const bool eject = p.isSet("eject");
    std::vector<atmo::Drive> drives;
    std::vector<const atmo::Drive*> driveOf(outputs.size(), nullptr);
    if (eject) {
        drives = driveSource(ctx).list();
        for (int i = 0; i < outputs.size(); ++i)
            driveOf[i] = atmo::driveHolding(drives, s(outputs[i]));
    }

    atmo::CancelToken cancel;
    installCancelOnSignal(cancel);
    ExportPrinter printer(!ctx.json());
    auto results = atmo::exportPackage(*source, std::move(targets), options, &printer, cancel);
    printer.done();
    if (!results) {
        // The package failed its own check before anything was written.
        if (results.code() == atmo::ErrorCode::BadData || results.code() == atmo::ErrorCode::Untrusted)
            ctx.record(*source, atmo::PackageEvent::VerifyFailed);
        return ctx.fail(results.error());
    }
    if (const auto written = std::count_if(results->begin(), results->end(), [](const auto& r) { return r.ok; }))
        ctx.record(*source, atmo::PackageEvent::Exported, static_cast<int>(written));

    // Eject each drive once, when every output on it was written and verified
    // (core/drives/export_eject.h; the window applies the same plan).
    struct Ejected {
        QString text;      // appended to the output's final line
        QString status;    // "ejected", "not_removable", "not_ejected", "failed"
        bool failed = false;
    };
    std::map<std::string, Ejected> ejected; // by device
    if (eject) {
        for (const atmo::DriveEject& plan : atmo::planEjects(*results, driveOf)) {
            const atmo::Drive* d = plan.drive;
            Ejected e;
            if (!plan.eject) {
                e = {"not ejected (a write to it failed)", "not_ejected"};
            } else if (auto r = UdisksEject::eject(*d)) {
                e.status = "ejected";
                e.text = r->poweredOff ? "ejected " + q(d->device) + ", safe to remove"
                                       : "unmounted " + q(d->device) + " (" + q(r->note) + ")";
            } else {
                e = {"eject FAILED: " + q(r.message()), "failed", true};
            }
            ejected[d->device] = e;
        }
    }

    int failed = 0, ejectFailed = 0;
    QJsonArray json;
    for (std::size_t i = 0; i < results->size(); ++i) {
        const auto& r = (*results)[i];
        failed += r.ok ? 0 : 1;
        Ejected e;
        if (eject && r.ok)
            e = driveOf[i] ? ejected[driveOf[i]->device]
                           : Ejected{"not on a removable drive, so not ejected", "not_removable"};
        ejectFailed += e.failed ? 1 : 0;
        QJsonObject o{{"target", q(r.target)},
                      {"ok", r.ok && !e.failed},
                      {"file", q(r.file.string())},
                      {"bytes", qint64(r.bytes)},
                      {"sha256", q(r.sha256)},
                      {"error", q(r.error)}};
        if (!r.ok)
            o["problem"] = q(std::string(atmo::driveProblemName(r.problem)));
        if (eject) {
            o["drive"] = driveOf[i] ? q(driveOf[i]->device) : QString();
            o["eject"] = e.status;
            o["eject_message"] = e.text;
        }
        json.append(o);
        if (r.ok)
            ctx.print(QString("%1: written and verified: %2 (%3)%4")
                          .arg(q(r.target), q(r.file.string()), q(atmo::humanBytes(r.bytes)),
                               e.text.isEmpty() ? QString() : "; " + e.text));
        else
            ctx.print(QString("%1: FAILED: %2").arg(q(r.target), q(r.error)));
    }
    const bool allOk = failed == 0 && ejectFailed == 0;
    if (ctx.json())
        ctx.printJson({{"ok", allOk}, {"targets", json}});
    if (!allOk) {
        QStringList why;
        if (failed)
            why << QString("%1 of %2 targets failed").arg(failed).arg(results->size());
        if (ejectFailed)
            why << QString("%1 of %2 targets could not be ejected").arg(ejectFailed).arg(results->size());
        return ctx.fail(why.join("; "));
    }
    return Ok;
}

} // namespace cli
