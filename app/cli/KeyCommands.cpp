// atmosphere key generate
#include <QJsonObject>

#include "CliContext.h"
#include "Commands.h"

#include "core/minisign.h"

namespace cli {

int keyGenerate(const QStringList& args)
{
    Context ctx("key generate", args);
    QCommandLineParser p;
    p.addOption({"name", "Key name: writes NAME.key and NAME.pub.", "name"});
    p.addOption({"out", "Directory to write the key files into.", "dir"});
    p.addOption({"unencrypted", "Store the secret key without a password (not recommended)."});
    p.addOption({"password-file", "Read the new password from the first line of this file.", "file"});
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    if (!p.isSet("name") || !p.isSet("out"))
        return ctx.usage("key generate needs --name NAME and --out DIR");
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
    auto pub = atmo::writeKeyPair(s(p.value("out")), s(name), key, password);
    if (!pub)
        return ctx.fail(q(pub.message()));
    const QString dir = p.value("out");
    if (ctx.json()) {
        ctx.printJson({{"key_id", q(pub->keyId())},
                       {"secret_key", dir + "/" + name + ".key"},
                       {"public_key", dir + "/" + name + ".pub"},
                       {"encrypted", password.has_value()}});
    } else {
        ctx.print(QString("Key %1 written: %2/%3.key (%4) and %2/%3.pub")
                      .arg(q(pub->keyId()), dir, name, password ? "encrypted" : "UNENCRYPTED"));
    }
    return Ok;
}

} // namespace cli
