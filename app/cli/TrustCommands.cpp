// atmosphere trust add | list | remove
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include "CliContext.h"
#include "Commands.h"

#include "core/package/trust_store.h"

namespace cli {

int trustAdd(const QStringList& args)
{
    Context ctx("trust add", args);
    QCommandLineParser p;
    p.addOption({"role", "mesh, founder or station.", "role"});
    p.addOption({"name", "A name for the key (default: the file name).", "name"});
    if (!ctx.parse(p, 1, 1, "PUBKEY: a minisign public key file"))
        return Usage;
    if (!p.isSet("role"))
        return ctx.usage("trust add needs --role mesh|founder|station");
    auto role = atmo::roleFromName(s(p.value("role")));
    if (!role)
        return ctx.usage("--role: \"" + p.value("role") + "\" is not mesh, founder or station");
    const QString file = p.positionalArguments().at(0);
    auto key = atmo::PublicKey::load(s(file));
    if (!key)
        return ctx.fail(key.error());
    const QString name = p.isSet("name") ? p.value("name") : QFileInfo(file).completeBaseName();
    atmo::TrustStore store(ctx.home().trustDir());
    auto added = store.add(*key, *role, s(name));
    if (!added)
        return ctx.fail(added.error());
    if (ctx.json())
        ctx.printJson({{"key_id", q(added->keyId())}, {"role", q(std::string(atmo::roleName(*role)))}, {"name", name}});
    else
        ctx.print(QString("Trusted %1 (%2) as %3").arg(q(added->keyId()), name, q(std::string(atmo::roleName(*role)))));
    return Ok;
}

int trustList(const QStringList& args)
{
    Context ctx("trust list", args);
    QCommandLineParser p;
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    atmo::TrustStore store(ctx.home().trustDir());
    const auto keys = store.list();
    if (ctx.json()) {
        QJsonArray list;
        for (const auto& k : keys)
            list.append(QJsonObject{{"key_id", q(k.keyId())},
                                    {"role", q(std::string(atmo::roleName(k.role)))},
                                    {"name", q(k.name)},
                                    {"public_key", q(k.key.base64())}});
        ctx.printJson({{"keys", list}});
        return Ok;
    }
    if (keys.empty()) {
        ctx.print("No trusted keys. Add one with: atmosphere trust add KEY.pub --role mesh");
        return Ok;
    }
    ctx.print(QString("%1 %2 %3").arg("ROLE", -8).arg("KEY ID", -16).arg("NAME"));
    for (const auto& k : keys)
        ctx.print(QString("%1 %2 %3").arg(q(std::string(atmo::roleName(k.role))), -8).arg(q(k.keyId()), -16).arg(q(k.name)));
    return Ok;
}

int trustRemove(const QStringList& args)
{
    Context ctx("trust remove", args);
    QCommandLineParser p;
    p.addOption({"role", "Only remove the key from this role.", "role"});
    if (!ctx.parse(p, 1, 1, "KEYID: the key id shown by trust list"))
        return Usage;
    std::optional<atmo::TrustRole> role;
    if (p.isSet("role")) {
        role = atmo::roleFromName(s(p.value("role")));
        if (!role)
            return ctx.usage("--role: \"" + p.value("role") + "\" is not mesh, founder or station");
    }
    atmo::TrustStore store(ctx.home().trustDir());
    auto removed = store.remove(s(p.positionalArguments().at(0).toUpper()), role);
    if (!removed)
        return ctx.fail(removed.error());
    ctx.print("Removed " + p.positionalArguments().at(0).toUpper());
    if (ctx.json())
        ctx.printJson({{"removed", p.positionalArguments().at(0).toUpper()}});
    return Ok;
}

} // namespace cli
