// atmosphere package verify
#include "CliContext.h"
#include "Commands.h"
#include "ReportOutput.h"

#include "core/trust_store.h"

namespace cli {

int packageVerify(const QStringList& args)
{
    Context ctx("package verify", args);
    QCommandLineParser p;
    p.addOption({"tier", "Require every file of this device tier (tier_1 or 1).", "tier"});
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
    if (ctx.json())
        ctx.printJson(reportJson(report));
    else
        printReport(ctx, report);
    if (!report.ok)
        return ctx.fail(about(file, report.reason));
    return Ok;
}

} // namespace cli
