// atmosphere package create
#include <QJsonArray>
#include <QJsonObject>

#include "CliContext.h"
#include "Commands.h"
#include "ReportOutput.h"

#include "core/fs_util.h"
#include "core/package_store.h"
#include "core/package_writer.h"

namespace cli {


int packageCreate(const QStringList& args)
{
    Context ctx("package create", args);
    QCommandLineParser p;
    p.addOption({"mission", "Mission source directory.", "dir"});
    p.addOption({"version", "Package version, e.g. 1.3.", "version"});
    p.addOption({"output", "Directory to write the .atmo into.", "dir"});
    p.addOption({"sign", "Mesh authority secret key (required).", "key"});
    p.addOption({"founder-sign", "Founder secret key (optional second signature).", "key"});
    p.addOption({"password-file", "Password of the --sign key, first line of this file.", "file"});
    p.addOption({"founder-password-file", "Password of the --founder-sign key.", "file"});
    p.addOption({"tier", "Build only this tier's package (<id>-v<V>-tier<N>.atmo).", "n"});
    p.addOption({"compress", "Compression: zstd (default: none; model weights do not compress).", "method"});
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    for (const char* required : {"mission", "version", "output", "sign"})
        if (!p.isSet(required))
            return ctx.usage(QString("package create needs --%1").arg(required));
    QString error;
    const auto tier = ctx.intOption(p, "tier", error);
    if (!error.isEmpty())
        return ctx.usage(error);
    atmo::Compression compression = atmo::Compression::None;
    if (p.isSet("compress")) {
        if (p.value("compress") != "zstd" && p.value("compress") != "none")
            return ctx.usage("--compress: \"" + p.value("compress") + "\" is not zstd or none");
        if (p.value("compress") == "zstd")
            compression = atmo::Compression::Zstd;
    }

    atmo::CreateOptions options;
    options.missionDir = s(p.value("mission"));
    options.version = s(p.value("version"));
    options.outputDir = s(p.value("output"));
    options.tier = tier;
    options.compression = compression;
    auto mesh = ctx.loadKey(p.value("sign"), p.value("password-file"), error);
    if (!mesh)
        return ctx.fail(error);
    options.meshKey = *mesh;
    if (p.isSet("founder-sign")) {
        auto founder = ctx.loadKey(p.value("founder-sign"), p.value("founder-password-file"), error);
        if (!founder)
            return ctx.fail(error);
        options.founderKey = *founder;
    }
    const atmo::StationHome home = ctx.home();
    auto identity = ctx.stationIdentity(error);
    if (!identity)
        return ctx.fail(error);
    options.stationName = home.stationName();
    options.stationKey = *identity;

    atmo::CancelToken cancel;
    installCancelOnSignal(cancel);
    TerminalProgress progress(!ctx.json());
    auto created = atmo::createPackage(options, &progress, cancel);
    progress.done();
    if (!created)
        return ctx.fail(q(created.message()));

    atmo::PackageStore store(home.storeIndex());
    atmo::StoredPackage stored;
    stored.id = created->manifest.id;
    stored.version = created->manifest.version;
    stored.tier = tier;
    stored.file = std::filesystem::absolute(created->file);
    stored.bytes = created->archiveBytes;
    stored.addedAt = atmo::utcTimestamp();
    if (auto added = store.add(stored); !added)
        return ctx.fail("the package was written to " + q(created->file.string()) +
                        " but could not be recorded in the station's store: " + q(added.message()));

    const auto& m = created->manifest;
    std::size_t included = 0;
    for (const auto& f : m.files)
        included += (!tier || f.inTier(*tier)) ? 1 : 0;
    if (ctx.json()) {
        ctx.printJson({{"file", q(created->file.string())},
                       {"id", q(m.id)},
                       {"version", q(m.version)},
                       {"archive_bytes", qint64(created->archiveBytes)},
                       {"files", int(included)},
                       {"size_by_tier", sizesJson(m)},
                       {"mesh_key_id", q(options.meshKey.keyId())}});
    } else {
        ctx.print(QString("Created %1 (%2, %3 files; %4), signed by %5")
                      .arg(q(created->file.string()), q(atmo::humanBytes(created->archiveBytes)))
                      .arg(included)
                      .arg(sizesText(m), q(options.meshKey.keyId())));
    }
    return Ok;
}

} // namespace cli
