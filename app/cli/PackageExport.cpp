// atmosphere package export
#include <QJsonArray>
#include <QJsonObject>

#include <mutex>

#include "CliContext.h"
#include "Commands.h"

#include "core/fs_util.h"
#include "core/package_export.h"
#include "core/package_store.h"
#include "core/trust_store.h"

namespace cli {

void installCancelOnSignal(const atmo::CancelToken& token);

// A file path, or "<id>-<version>" from the station's store.
std::optional<std::filesystem::path> resolvePackage(const Context& ctx, const QString& ref, QString& error)
{
    const std::filesystem::path asPath(s(ref));
    std::error_code ec;
    if (std::filesystem::is_regular_file(asPath, ec))
        return asPath;
    atmo::PackageStore store(ctx.home().storeIndex());
    if (auto found = store.find(s(ref)))
        return found->file;
    error = ref + ": no such file, and the station's store has no package of that name (expected a path or <id>-<version>)";
    return std::nullopt;
}

namespace {

// One line per target as each finishes; a bar for the slowest one in progress.
class ExportPrinter : public atmo::ExportObserver {
public:
    explicit ExportPrinter(bool interactive) : bar_(interactive) {}
    void onTargetProgress(std::size_t, const atmo::Progress& p) override
    {
        std::lock_guard lock(mutex_);
        bar_.onProgress(p);
    }
    void onTargetDone(std::size_t, const atmo::TargetResult&) override {}
    void done() { bar_.done(); }

private:
    std::mutex mutex_;
    TerminalProgress bar_;
};

} // namespace

int packageExport(const QStringList& args)
{
    Context ctx("package export", args);
    QCommandLineParser p;
    p.addOption({"output", "Target directory (a mounted drive); repeat for several.", "dir"});
    p.addOption({"tier", "Export only this tier's files.", "n"});
    if (!ctx.parse(p, 1, 1, "PACKAGE: a .atmo file or <id>-<version> from the station's store"))
        return Usage;
    const QStringList outputs = p.values("output");
    if (outputs.isEmpty())
        return ctx.usage("package export needs at least one --output DIR");
    QString error;
    const auto tier = ctx.intOption(p, "tier", error);
    if (!error.isEmpty())
        return ctx.usage(error);
    auto source = resolvePackage(ctx, p.positionalArguments().at(0), error);
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

    atmo::CancelToken cancel;
    installCancelOnSignal(cancel);
    ExportPrinter printer(!ctx.json());
    auto results = atmo::exportPackage(*source, std::move(targets), options, &printer, cancel);
    printer.done();
    if (!results)
        return ctx.fail(q(results.message()));

    bool allOk = true;
    QJsonArray json;
    for (const auto& r : *results) {
        allOk = allOk && r.ok;
        json.append(QJsonObject{{"target", q(r.target)},
                                {"ok", r.ok},
                                {"file", q(r.file.string())},
                                {"bytes", qint64(r.bytes)},
                                {"sha256", q(r.sha256)},
                                {"error", q(r.error)}});
        if (r.ok)
            ctx.print(QString("%1: written and verified: %2 (%3)")
                          .arg(q(r.target), q(r.file.string()), q(atmo::humanBytes(r.bytes))));
        else
            ctx.print(QString("%1: FAILED: %2").arg(q(r.target), q(r.error)));
    }
    if (ctx.json())
        ctx.printJson({{"ok", allOk}, {"targets", json}});
    if (!allOk) {
        int failed = 0;
        for (const auto& r : *results)
            failed += r.ok ? 0 : 1;
        return ctx.fail(QString("%1 of %2 targets failed").arg(failed).arg(results->size()));
    }
    return Ok;
}

} // namespace cli
