// atmosphere package verify
#include "CliContext.h"
#include "Commands.h"
#include "ReportOutput.h"

#include "core/package/install_plan.h"
#include "core/package/installer.h"
#include "core/package/package_tier.h"
#include "core/package/trust_store.h"

namespace cli {

int packageVerify(const QStringList& args)
{
    Context ctx("package verify", args);
    QCommandLineParser p;
    p.addOption({"tier", "Require every file of this device tier (tier_1 or 1).", "tier"});
    p.addOption({"root", "Install root a delta package's base is looked for in (default: <home>/installed).", "dir"});
    if (!ctx.parse(p, 1, 1, "FILE: the .atmo package"))
        return Usage;
    QString error;
    const auto tier = ctx.tierOption(p, error);
    if (!error.isEmpty())
        return ctx.usage(error);
    const QString file = p.positionalArguments().at(0);
    atmo::TrustStore trust(ctx.home().trustDir());
    atmo::VerifyOptions options;
    options.trust = &trust;
    options.tier = tier;
    atmo::CancelToken cancel;
    installCancelOnSignal(cancel);
    TerminalProgress progress(!ctx.json());
    const atmo::VerifyReport report = atmo::verifyPackage(s(file), options, &progress, cancel);
    progress.done();
    if (const auto event = atmo::eventOf(report, false))
        ctx.record(s(file), *event);
    // The tier this machine would install, and why (the package's own
    // requirements when it carries them); --tier, when given, is the operator's.
    std::optional<atmo::TierDecision> device;
    if (tier) {
        device = atmo::operatorTier(*tier);
    } else if (report.manifest) {
        auto policy = atmo::TierPolicy::loadOrDefaults(ctx.home().tiersFile());
        if (!policy)
            return ctx.fail(policy.error());
        const auto hw = atmo::detectHardware(ctx.home().defaultInstallRoot());
        device = atmo::decidePackageTier(hw, *report.manifest, *policy);
    }
    // A delta package goes only onto its base: is it installed here?
    std::optional<std::string> baseRefusal;
    const auto root = p.isSet("root") ? std::filesystem::path(s(p.value("root"))) : ctx.home().defaultInstallRoot();
    if (report.manifest && report.manifest->delta)
        baseRefusal = atmo::deltaBaseRefusal(*report.manifest, atmo::findInstalled(root, report.manifest->id));
    const QString baseText = !report.manifest || !report.manifest->delta ? QString()
                             : baseRefusal ? q(root.string()) + ": " + q(*baseRefusal)
                                           : QString("%1 %2 is installed in %3 as the delta was made from it")
                                                 .arg(q(report.manifest->id), q(report.manifest->delta->baseVersion),
                                                      q(root.string()));
    if (ctx.json()) {
        QJsonObject o = reportJson(report);
        if (device) {
            o["device_tier"] = tierText(device->tier);
            o["tier_reason"] = q(device->reason);
        }
        if (!baseText.isEmpty()) {
            QJsonObject delta = o["delta"].toObject();
            delta["base_installed"] = !baseRefusal;
            delta["base_check"] = baseText;
            o["delta"] = delta;
        }
        ctx.printJson(o);
    } else {
        printReport(ctx, report);
        if (!baseText.isEmpty())
            ctx.print("  base       " + baseText);
        if (device)
            ctx.print("  device     " + q(device->reason));
    }
    if (!report.ok)
        return ctx.fail(atmo::Error{s(about(file, report.reason)), report.code});
    return Ok;
}

} // namespace cli
