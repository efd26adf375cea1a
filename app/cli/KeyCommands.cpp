// atmosphere key generate
#include <QJsonObject>

#include "CliContext.h"
#include "Commands.h"

#include "core/package/minisign.h"
#include "core/package/trust_store.h"

namespace cli {

int keyGenerate(const QStringList& args)
{
    Context ctx("key generate", args);
    QCommandLineParser p;
    p.addOption({"name", "Key name: writes NAME.key and NAME.pub.", "name"});
    p.addOption({"output", "Directory to write the key files into (default: the station's keys folder, <home>/keys).", "dir"});
    addAlias(p, "out", "dir");
    p.addOption({"trust", "Also trust the new public key on this station as mesh or founder (as the Keys view does).",
                 "role"});
    p.addOption({"unencrypted", "Store the secret key without a password (not recommended)."});
    p.addOption({"password-file", "Read the new password from the first line of this file.", "file"});
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    if (!p.isSet("name"))
        return ctx.usage("key generate needs --name NAME");
    std::optional<atmo::TrustRole> trustAs;
    if (p.isSet("trust")) {
        trustAs = atmo::roleFromName(s(p.value("trust")));
        if (!trustAs || *trustAs == atmo::TrustRole::Station)
            return ctx.usage("--trust: \"" + p.value("trust") + "\" is not mesh or founder");
    }
    const QString name = p.value("name");
    if (name.isEmpty() || name.contains('/') || name.startsWith('.'))
        return ctx.usage("--name: \"" + name + "\" is not a usable file name");
    if (p.isSet("unencrypted") && p.isSet("password-file"))
        return ctx.usage("--unencrypted and --password-file contradict each other");

    std::optional<std::string> password;
    if (!p.isSet("unencrypted")) {
        QString error;
        password = ctx.newPassword(p.value("password-file"), name, error);
        if (!password)
            return ctx.fail(error);
    }
    const atmo::SecretKey key = atmo::generateSecretKey();
    const QStringList given = optionValues(p, "output", "out");
    const QString dir = given.isEmpty() ? q(ctx.home().keysDir().string()) : given.last();
    auto pub = atmo::writeKeyPair(s(dir), s(name), key, password);
    if (!pub)
        return ctx.fail(pub.error());
    if (trustAs) {
        if (auto added = atmo::TrustStore(ctx.home().trustDir()).add(*pub, *trustAs, s(name)); !added)
            return ctx.fail("the key was written to " + dir + " but could not be trusted: " + q(added.message()));
    }
    if (ctx.json()) {
        ctx.printJson({{"key_id", q(pub->keyId())},
                       {"secret_key", dir + "/" + name + ".key"},
                       {"public_key", dir + "/" + name + ".pub"},
                       {"encrypted", password.has_value()},
                       {"trusted_as", trustAs ? q(std::string(atmo::roleName(*trustAs))) : QString()}});
    } else {
        ctx.print(QString("Key %1 written: %2/%3.key (%4) and %2/%3.pub%5")
                      .arg(q(pub->keyId()), dir, name, password ? "encrypted" : "UNENCRYPTED",
                           trustAs ? "; trusted here as " + q(std::string(atmo::roleName(*trustAs))) : QString()));
    }
    return Ok;
}

} // namespace cli
