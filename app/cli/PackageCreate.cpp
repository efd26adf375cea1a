// atmosphere package create
#include <QJsonArray>
#include <QJsonObject>

#include <iostream>

#include "CliContext.h"
#include "Commands.h"
#include "ReportOutput.h"

#include "core/base/fs_util.h"
#include "core/package/mission.h"
#include "core/package/mission_registry.h"
#include "core/package/package_store.h"
#include "core/package/package_writer.h"
#include "core/package/trust_store.h"

namespace cli {

namespace {

namespace fs = std::filesystem;

QString joined(const std::vector<fs::path>& paths)
{
    QStringList list;
    for (const auto& path : paths)
        list << q(path.string());
    return list.join(", ");
}

// --mission: a folder (relative to the working directory), else the id of a
// mission this station has built a package from (the CLI or the wizard
// recorded its folder in <home>/missions.json).
std::optional<fs::path> resolveMission(const atmo::StationHome& home, const QString& ref, QString& error)
{
    const fs::path asPath(s(ref));
    std::error_code ec;
    if (fs::is_directory(asPath, ec))
        return asPath;
    if (fs::exists(asPath, ec)) {
        error = "--mission: " + ref + " is a file, not a mission folder";
        return std::nullopt;
    }
    const atmo::MissionRegistry registry(home.missionsIndex());
    if (auto known = registry.find(s(ref))) {
        if (fs::is_directory(known->dir, ec))
            return known->dir;
        error = QString("--mission: the station built \"%1\" from %2, which no longer exists").arg(ref, q(known->dir.string()));
        return std::nullopt;
    }
    QStringList ids;
    if (auto all = registry.list())
        for (const auto& m : *all)
            ids << q(m.id);
    error = QString("--mission: \"%1\" is neither a folder (no %2) nor a mission this station has built (%3: %4)")
                .arg(ref, q(fs::absolute(asPath, ec).lexically_normal().string()), q(registry.indexFile().string()),
                     ids.isEmpty() ? QString("none yet") : "knows " + ids.join(", "));
    return std::nullopt;
}

// --sign, or else the station's one mesh authority key.
std::optional<QString> signingKeyFile(const atmo::StationHome& home, const QCommandLineParser& p, QString& error)
{
    if (p.isSet("sign"))
        return p.value("sign");
    const auto keys = home.meshAuthorityKeys();
    if (keys.size() == 1)
        return q(keys.front().string());
    if (keys.empty()) {
        // A key pair there whose public key is not trusted yet: say how to
        // trust it, not how to make another (that name is taken).
        QString untrusted;
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(home.keysDir(), ec))
            if (e.path().extension() == ".key" && fs::exists(fs::path(e.path()).replace_extension(".pub"), ec)) {
                untrusted = q(fs::path(e.path()).replace_extension(".pub").string());
                break;
            }
        error = QString("package create: no --sign KEY given, and the station has no mesh authority key to sign with "
                        "(a NAME.key in %1 whose NAME.pub it trusts as mesh); pass --sign KEY, or %2")
                    .arg(q(home.keysDir().string()),
                         untrusted.isEmpty() ? QString("make one with `atmosphere key generate --name mesh --trust mesh`")
                                             : "trust " + untrusted + " with `atmosphere trust add " + untrusted +
                                                   " --role mesh`");
    } else
        error = QString("package create: no --sign KEY given, and the station has %1 mesh authority keys (%2); "
                        "pass --sign KEY to choose one")
                    .arg(keys.size())
                    .arg(joined(keys));
    return std::nullopt;
}

} // namespace

int packageCreate(const QStringList& args)
{
    Context ctx("package create", args);
    QCommandLineParser p;
    p.addOption({"mission", "Mission folder, or the id of a mission this station has built before.", "mission"});
    p.addOption({"version", "Package version, e.g. 1.3.", "version"});
    p.addOption({"output", "Directory to write the .atmo into (created if missing).", "dir"});
    p.addOption({"sign", "Mesh authority secret key (default: the station's one mesh authority key in <home>/keys).",
                 "key"});
    p.addOption({"founder-sign", "Founder secret key (optional second signature).", "key"});
    p.addOption({"password-file", "Password of the --sign key, first line of this file.", "file"});
    p.addOption({"founder-password-file", "Password of the --founder-sign key.", "file"});
    p.addOption({"tier", "Build only this tier's package (tier_1 or 1; writes <id>-v<V>-tier<N>.atmo).", "tier"});
    p.addOption({"compress", "Compression: zstd (default: none; model weights do not compress).", "method"});
    p.addOption({"delta-from", "Build a delta update from this earlier package of the mission (a .atmo file, or "
                               "<id>-<version> from the station's store): only what changed travels; writes "
                               "<id>-v<V>-from-v<BASE>.atmo.",
                 "package"});
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    for (const char* required : {"mission", "version", "output"})
        if (!p.isSet(required))
            return ctx.usage(QString("package create needs --%1").arg(required));
    QString error;
    const auto tier = ctx.tierOption(p, error);
    if (!error.isEmpty())
        return ctx.usage(error);
    atmo::Compression compression = atmo::Compression::None;
    if (p.isSet("compress")) {
        if (p.value("compress") != "zstd" && p.value("compress") != "none")
            return ctx.usage("--compress: \"" + p.value("compress") + "\" is not zstd or none");
        if (p.value("compress") == "zstd")
            compression = atmo::Compression::Zstd;
    }

    const atmo::StationHome home = ctx.home();
    const auto missionDir = resolveMission(home, p.value("mission"), error);
    if (!missionDir)
        return ctx.fail(error);
    // Every problem of the mission at once, before a password is asked for:
    // otherwise a technician fixes them one run at a time. (createPackage
    // scans again and refuses the same way; its message names the first.)
    if (auto scanned = atmo::scanMission(*missionDir); scanned && !scanned->problems.empty()) {
        QJsonArray list;
        for (const auto& problem : scanned->problems)
            list.append(q((scanned->root / problem.path).string()) + ": " + q(problem.message));
        const auto n = scanned->problems.size();
        if (n > 1) // one line each, then the summary
            for (const auto& line : list)
                std::cerr << "atmosphere: " << s(line.toString()) << "\n";
        const QString summary = n == 1 ? list.first().toString()
                                       : QString("%1: %2 problems to fix in the mission; nothing was built")
                                             .arg(q(scanned->root.string()))
                                             .arg(n);
        return ctx.fail(atmo::Error{s(summary), atmo::ErrorCode::BadData}, QJsonObject{{"problems", list}});
    }
    std::optional<std::filesystem::path> deltaFrom;
    if (p.isSet("delta-from")) {
        deltaFrom = ctx.resolvePackage(p.value("delta-from"), {}, error);
        if (!deltaFrom)
            return ctx.fail(atmo::Error{"--delta-from: " + s(error), atmo::ErrorCode::NotFound});
    }
    const auto keyFile = signingKeyFile(home, p, error);
    if (!keyFile)
        return ctx.usage(error);

    atmo::CreateOptions options;
    options.missionDir = *missionDir;
    options.version = s(p.value("version"));
    options.outputDir = s(p.value("output"));
    options.tier = tier;
    options.compression = compression;
    const atmo::TrustStore trust(home.trustDir());
    if (deltaFrom) {
        options.deltaFrom = *deltaFrom;
        options.trust = &trust;
    }
    auto mesh = ctx.loadKey(*keyFile, p.value("password-file"), error);
    if (!mesh)
        return ctx.fail(error);
    if (!p.isSet("sign")) {
        // The key was chosen because its .pub is trusted; make sure it is that key.
        fs::path pub = s(*keyFile);
        pub.replace_extension(".pub");
        auto trusted = atmo::PublicKey::load(pub);
        if (!trusted || trusted->keyId() != mesh->keyId())
            return ctx.fail(*keyFile + ": does not match " + q(pub.string()) + " beside it; pass --sign KEY");
    }
    options.meshKey = *mesh;
    if (p.isSet("founder-sign")) {
        auto founder = ctx.loadKey(p.value("founder-sign"), p.value("founder-password-file"), error);
        if (!founder)
            return ctx.fail(error);
        options.founderKey = *founder;
    }
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
        return ctx.fail(created.error());

    atmo::PackageStore store(home.storeIndex());
    atmo::StoredPackage stored;
    stored.id = created->manifest.id;
    stored.version = created->manifest.version;
    stored.tier = tier;
    stored.file = std::filesystem::absolute(created->file);
    stored.bytes = created->archiveBytes;
    stored.addedAt = atmo::utcTimestamp();
    if (created->manifest.delta)
        stored.deltaFrom = created->manifest.delta->baseVersion;
    if (auto added = store.add(stored); !added)
        return ctx.fail("the package was written to " + q(created->file.string()) +
                        " but could not be recorded in the station's store: " + q(added.message()));

    // So that `--mission <id>` finds this mission next time; the package is
    // made all the same if the index cannot be written.
    if (auto recorded = atmo::MissionRegistry(home.missionsIndex()).record(created->manifest.id, *missionDir); !recorded)
        std::cerr << "atmosphere: warning: " << recorded.message() << std::endl;

    const auto& m = created->manifest;
    std::size_t included = 0;
    for (const atmo::ContentFile* f : m.archiveFiles())
        included += (!tier || f->inTier(*tier)) ? 1 : 0;
    if (ctx.json()) {
        ctx.printJson({{"file", q(created->file.string())},
                       {"id", q(m.id)},
                       {"version", q(m.version)},
                       {"archive_bytes", qint64(created->archiveBytes)},
                       {"files", int(included)},
                       {"size_by_tier", sizesJson(m)},
                       {"mesh_key_id", q(options.meshKey.keyId())},
                       {"delta_from", m.delta ? QJsonValue(q(m.delta->baseVersion)) : QJsonValue()}});
    } else if (m.delta) {
        const std::uint64_t full = tier ? m.sizeForTier(*tier) : m.totalSize();
        ctx.print(QString("Created %1: delta update %2 -> %3 (%4; the full %3 carries %5 of files), %6 files, "
                          "signed by %7")
                      .arg(q(created->file.string()), q(m.delta->baseVersion), q(m.version),
                           q(atmo::humanBytes(created->archiveBytes)), q(atmo::humanBytes(full)))
                      .arg(included)
                      .arg(q(options.meshKey.keyId())));
        ctx.print(QString("  %1").arg(q(m.delta->summary())));
    } else {
        ctx.print(QString("Created %1 (%2, %3 files; %4), signed by %5")
                      .arg(q(created->file.string()), q(atmo::humanBytes(created->archiveBytes)))
                      .arg(included)
                      .arg(sizesText(m), q(options.meshKey.keyId())));
    }
    return Ok;
}

} // namespace cli
