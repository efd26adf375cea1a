// atmosphere package import | list | rollback
#include <QJsonArray>
#include <QJsonObject>

#include <iostream>

#include "CliContext.h"
#include "Commands.h"
#include "ImportRun.h"
#include "ReportOutput.h"

#include "core/package/installer.h"
#include "core/package/trust_store.h"

namespace cli {

namespace {

QJsonObject installedJson(const atmo::InstalledPackage& pkg)
{
    QJsonArray history;
    for (const auto& h : pkg.history)
        history.append(q(h));
    return {{"id", q(pkg.id)},
            {"name", q(pkg.name)},
            {"version", q(pkg.version)},
            {"previous_version", q(pkg.previousVersion)},
            {"installed_at", q(pkg.installedAt)},
            {"tier", tierText(pkg.tier)},
            {"downgrade_override", pkg.downgradeOverride},
            {"dir", q(pkg.dir.string())},
            {"history", history}};
}

} // namespace

int packageImport(const QStringList& args)
{
    Context ctx("package import", args);
    QCommandLineParser p;
    p.addOption({"root", "Install root (default: <home>/installed).", "dir"});
    p.addOption({"tier", "This device's tier, tier_1 or 1 (default: decided from the hardware).", "tier"});
    p.addOption({"allow-downgrade", "Install even if this version is older than or equal to the installed one."});
    if (!ctx.parse(p, 1, 1, "FILE: the .atmo package"))
        return Usage;
    QString error;
    const auto tier = ctx.tierOption(p, error);
    if (!error.isEmpty())
        return ctx.usage(error);
    ImportChoices choices;
    choices.root = installRootOption(ctx, p);
    choices.tier = tier;
    choices.allowDowngrade = p.isSet("allow-downgrade");
    return runImport(ctx, p.positionalArguments().at(0), choices);
}

int runImport(const Context& ctx, const QString& file, const ImportChoices& choices)
{
    const atmo::StationHome home = ctx.home();
    atmo::TrustStore trust(home.trustDir());
    atmo::InstallOptions options;
    options.root = choices.root;
    options.trust = &trust;
    options.tier = choices.tier;
    options.allowDowngrade = choices.allowDowngrade;
    auto policy = atmo::TierPolicy::loadOrDefaults(home.tiersFile());
    if (!policy)
        return ctx.fail(policy.error());
    options.policy = *policy;

    atmo::CancelToken cancel;
    installCancelOnSignal(cancel);
    TerminalProgress progress(!ctx.json());
    const atmo::InstallResult result = atmo::installPackage(s(file), options, &progress, cancel);
    progress.done();
    if (const auto event = atmo::eventOf(result.report, result.installed.has_value()))
        ctx.record(s(file), *event);
    // Free space the filesystem cannot tell: installed all the same, said
    // (core/package/install_plan.h; the window shows the same line).
    const std::string warning = result.plan ? result.plan->warning() : std::string();
    if (!warning.empty())
        std::cerr << "atmosphere: warning: " << warning << std::endl;
    if (ctx.json()) {
        QJsonObject o = reportJson(result.report);
        if (!warning.empty())
            o["warning"] = q(warning);
        o["device_tier"] = tierText(result.tier.tier);
        o["tier_reason"] = q(result.tier.reason);
        if (result.installed)
            o["installed"] = installedJson(*result.installed);
        ctx.printJson(o);
    }
    if (!result.report.ok || !result.installed) {
        if (!ctx.json()) {
            printReport(ctx, result.report);
            ctx.print("  device     " + q(result.tier.reason));
        }
        return ctx.fail(atmo::Error{
            s(about(file, "not installed: " + about(file, result.report.reason).mid(file.size() + 2).toStdString())),
            result.report.code});
    }
    const auto& pkg = *result.installed;
    ctx.print(QString("Installed %1 %2 into %3").arg(q(pkg.id), q(pkg.version), q(pkg.dir.string())));
    ctx.print("  device     " + q(result.tier.reason));
    if (!pkg.previousVersion.empty())
        ctx.print("  previous   " + q(pkg.previousVersion) + " kept for rollback");
    if (pkg.downgradeOverride)
        ctx.print("  override   installed over a newer or equal version, as asked; recorded in the history");
    return Ok;
}

int packageList(const QStringList& args)
{
    Context ctx("package list", args);
    QCommandLineParser p;
    p.addOption({"root", "Install root (default: <home>/installed).", "dir"});
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    const auto installed = atmo::listInstalled(installRootOption(ctx, p));
    if (ctx.json()) {
        QJsonArray list;
        for (const auto& pkg : installed)
            list.append(installedJson(pkg));
        ctx.printJson({{"root", q(installRootOption(ctx, p).string())}, {"packages", list}});
        return Ok;
    }
    if (installed.empty()) {
        ctx.print("Nothing installed in " + q(installRootOption(ctx, p).string()));
        return Ok;
    }
    ctx.print(QString("%1 %2 %3 %4 %5").arg("ID", -28).arg("VERSION", -10).arg("TIER", -7).arg("PREVIOUS", -10).arg("INSTALLED"));
    for (const auto& pkg : installed)
        ctx.print(QString("%1 %2 %3 %4 %5")
                      .arg(q(pkg.id), -28)
                      .arg(q(pkg.version), -10)
                      .arg(tierText(pkg.tier), -7)
                      .arg(q(pkg.previousVersion.empty() ? "-" : pkg.previousVersion), -10)
                      .arg(q(pkg.installedAt)));
    return Ok;
}

int packageRollback(const QStringList& args)
{
    Context ctx("package rollback", args);
    QCommandLineParser p;
    p.addOption({"root", "Install root (default: <home>/installed).", "dir"});
    if (!ctx.parse(p, 1, 1, "ID: the installed package's id"))
        return Usage;
    const std::string id = s(p.positionalArguments().at(0));
    if (auto r = atmo::rollbackPackage(installRootOption(ctx, p), id); !r)
        return ctx.fail(r.error());
    auto now = atmo::findInstalled(installRootOption(ctx, p), id);
    if (ctx.json() && now)
        ctx.printJson(installedJson(*now));
    else if (now)
        ctx.print(QString("%1 is back at version %2").arg(q(id), q(now->version)));
    return Ok;
}

} // namespace cli
