// `atmosphere`: the station's command-line tool.
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <csignal>
#include <functional>
#include <iostream>
#include <map>
#include <utility>

#include "Commands.h"
#include "app/cli/CliContext.h"

namespace {

struct Command {
    const char* group;
    const char* name;
    const char* summary;
    std::function<int(const QStringList&)> run;
};

const std::vector<Command>& commands()
{
    static const std::vector<Command> list = {
        {"key", "generate", "make a signing key pair (minisign format)", cli::keyGenerate},
        {"trust", "add", "trust a public key as mesh authority, founder or station", cli::trustAdd},
        {"trust", "list", "list trusted keys", cli::trustList},
        {"trust", "remove", "stop trusting a key", cli::trustRemove},
        {"package", "create", "build a signed .atmo package from a mission directory", cli::packageCreate},
        {"package", "export", "write a package (or one tier) to drives or folders, verified", cli::packageExport},
        {"package", "verify", "check a package's signatures and every file; installs nothing", cli::packageVerify},
        {"package", "import", "verify and install a package", cli::packageImport},
        {"package", "list", "list installed packages", cli::packageList},
        {"package", "stored", "list the packages built or received here, and what became of each", cli::packageStored},
        {"package", "rollback", "switch a package back to its previous version", cli::packageRollback},
        {"package", "check-updates", "list newer versions of installed packages that peers offer", cli::packageCheckUpdates},
        {"package", "sync", "download a package from a peer (resumable), verify and install it", cli::packageSync},
        {"drives", "", "list the removable drives a package can be exported to", cli::drives},
        {"peers", "", "list the mesh peers around this station (mDNS, --peer)", cli::peers},
        {"models", "", "list the models the mesh offers, merged across peers", cli::models},
        {"mesh", "create", "make the key of a new mesh this station founds, and join it", cli::meshCreate},
        {"mesh", "token", "issue a join token signed with the mesh key (JSON)", cli::meshToken},
        {"mesh", "invite", "issue an invite: an atmosphere://join link with a token and endpoints", cli::meshInvite},
        {"mesh", "identity", "this station's node id and key, its mesh, whether it holds the mesh key", cli::meshIdentity},
        {"mesh", "register", "register this station's mesh on a relay as its founder", cli::meshRegister},
        {"mesh", "join", "join a mesh on a relay with a token or an invite, and remember it", cli::meshJoin},
        {"mesh", "status", "connect to the remembered relay: joined or refused, nodes and peers", cli::meshStatus},
        {"serve", "", "serve this station's models and packages to the mesh until interrupted", cli::serve},
        {"model", "pull", "download a model from the mesh, verified and resumable", cli::modelPull},
    };
    return list;
}

// Every command, or those of one group ("atmosphere package --help").
void usage(std::ostream& out, const QString& group = {})
{
    const std::string g = group.toStdString();
    out << "usage: atmosphere " << (g.empty() ? "<command>" : g + " <subcommand>")
        << " [options]   (atmosphere " << (g.empty() ? "<command>" : g + " <subcommand>") << " --help for details)\n\n"
        << "Global options: --home DIR (or ATMOSPHERE_HOME), --json, -v/--verbose (every log line)\n\n"
        << (g.empty() ? "commands:\n" : "subcommands:\n");
    for (const auto& c : commands()) {
        if (!g.empty() && g != c.group)
            continue;
        const std::string name = *c.name ? std::string(c.group) + " " + c.name : std::string(c.group);
        out << "  " << name << std::string(name.size() < 21 ? 23 - name.size() : 2, ' ') << c.summary << "\n";
    }
    if (!g.empty())
        return;
    // The manual page (installer/man/make-man.py) is made from this text and
    // each command's --help, so the two cannot say different things.
    out << "\nexit codes:\n";
    const std::pair<int, const char*> codes[] = {
        {cli::Ok, "success"},
        {cli::Failed, "the operation failed (reading or writing among them)"},
        {cli::Usage, "bad usage: unknown option, missing argument, bad value"},
        {cli::Untrusted, "no valid signature from a key this station trusts"},
        {cli::BadData, "damaged or malformed: bad archive, hash mismatch, bad manifest or mission"},
        {cli::NoSpace, "not enough free space where it would be written"},
        {cli::NotFound, "the named file, mission, key, package, peer or drive does not exist"},
        {cli::Busy, "locked or in use by another process or window"},
        {cli::Cancelled, "stopped by Ctrl-C (SIGINT), after cleaning up; a download is kept to resume"},
        {128 + SIGTERM, "stopped by SIGTERM, the same way (serve exits 0: that is how it stops)"},
    };
    for (const auto& [code, meaning] : codes)
        out << "  " << code << std::string(code < 10 ? 4 : 2, ' ') << meaning << "\n";
    out << "\nenvironment:\n"
           "  ATMOSPHERE_HOME  the station home when --home is not given\n"
           "  XDG_DATA_HOME    the default home is $XDG_DATA_HOME/atmosphere (~/.local/share/atmosphere)\n"
           "  XDG_CONFIG_HOME  its settings are in $XDG_CONFIG_HOME/atmosphere (~/.config/atmosphere)\n"
           "  XDG_CACHE_HOME   its caches are in $XDG_CACHE_HOME/atmosphere (~/.cache/atmosphere)\n"
           "  HF_HUB_CACHE, HF_HOME  where serve finds the Hugging Face models it serves\n"
           "  NOTIFY_SOCKET    set by systemd: serve reports readiness and stopping there\n"
           "  QT_LOGGING_RULES  which log lines show, by area: atmosphere.package, .usb, .mesh.server,\n"
           "                    .mesh.download, .mdns, .relay (\"atmosphere.mdns.debug=true\")\n"
           "\nfiles (in the station home or where noted):\n"
           "  store.json       the packages built or received here, and what became of each\n"
           "  missions.json    the missions built here\n"
           "  tiers.yaml       optional tier thresholds (RAM, cores, GPU per tier); by default in the\n"
           "                   settings folder (XDG_CONFIG_HOME above)\n"
           "  peers.json       the peers this station reached before\n"
           "  keys/            signing keys made here (minisign format)\n"
           "  trust/           the public keys this station trusts, by role\n"
           "  models/          models downloaded from peers (served to others)\n"
           "  cache/           caches that may be deleted (model hashes); by default the caches folder\n"
           "  installed/       the default install root\n"
           "  station/         this station's identity, node key, name and mesh; by default its name\n"
           "                   and mesh_id are in the settings folder\n";
}

bool isHelp(const QString& a) { return a == "--help" || a == "-h" || a == "--help-all" || a == "help"; }

} // namespace

namespace {

QtMessageHandler qtDefaultHandler = nullptr;

// Qt 6.4 warns on stderr when a reply we aborted (a peer's answer refused at
// its headers) later gets the HTTP error the network thread had already
// queued for it: an internal double report, not something the user can act
// on, and it would break the one error line a failed command prints.
void quietQtNoise(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type == QtWarningMsg && message.startsWith(QLatin1String("QNetworkReplyImplPrivate::error: Internal problem")))
        return;
    qtDefaultHandler(type, context, message);
}

// Global options may come before the command, between its words, or among
// its own options (as git, docker and kubectl allow): the ones found before
// the command's words are handed to the command ahead of its own arguments,
// where every command's parser knows them.
struct CommandLine {
    QStringList words;    // the command's words and everything after them
    QStringList globals;  // --home DIR / --home=DIR / --json found before the words ended
    bool help = false;    // --help, -h or "help" before a command
    bool version = false; // --version before a command
    QString error;        // a usage error, already worded
};

bool takesSubcommand(const QString& group)
{
    for (const auto& c : commands())
        if (group == c.group && *c.name)
            return true;
    return false;
}

CommandLine splitCommandLine(const QStringList& args)
{
    CommandLine line;
    int i = 0;
    int wordsWanted = 1; // the group, then its subcommand if it has any
    for (; i < args.size() && wordsWanted > 0; ++i) {
        const QString& a = args[i];
        if (a == "--json" || a == "-v" || a == "--verbose") {
            line.globals << a;
        } else if (a == "--home") {
            if (i + 1 >= args.size() || args[i + 1].isEmpty()) {
                line.error = "--home needs a directory";
                return line;
            }
            line.globals << a << args[++i];
        } else if (a.startsWith("--home=")) {
            if (a.size() == 7) { // "--home=": the working directory would become the home
                line.error = "--home needs a directory";
                return line;
            }
            line.globals << a;
        } else if (line.words.isEmpty() && isHelp(a)) {
            line.help = true;
            return line;
        } else if (line.words.isEmpty() && a == "--version") {
            line.version = true;
            return line;
        } else if (a.startsWith('-') && a.size() > 1) {
            if (line.words.isEmpty()) {
                line.error = "unknown option \"" + a + "\" before the command; the global options are --home DIR, --json and -v";
                return line;
            }
            break; // "package --help" and the like: the group's own error or help
        } else {
            line.words << a;
            --wordsWanted;
            if (line.words.size() == 1 && takesSubcommand(a))
                ++wordsWanted;
        }
    }
    line.words += args.mid(i);
    return line;
}

} // namespace

int main(int argc, char** argv)
{
    qtDefaultHandler = qInstallMessageHandler(quietQtNoise);
    // Log lines as the rest of what the tool says: "atmosphere: <category>: ...",
    // one line each, no timestamp (journald adds its own).
    qSetMessagePattern(QStringLiteral("atmosphere: %{if-category}%{category}: %{endif}%{message}"));
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("atmosphere");
    QCoreApplication::setApplicationVersion(ATMO_VERSION);
    const QStringList raw = app.arguments().mid(1);
    const CommandLine line = splitCommandLine(raw);
    // A command line no command took: one line on stderr and, with --json,
    // the same {"error", "code"} object a command's own usage error prints.
    const auto usageError = [&raw](const std::string& reason) {
        std::cerr << "atmosphere: " << reason << " (see atmosphere --help)\n";
        if (raw.contains(QStringLiteral("--json"))) {
            const QJsonObject o{{"error", QString::fromStdString(reason)},
                                {"code", QString::fromUtf8(atmo::errorCodeName(atmo::ErrorCode::Usage))}};
            std::cout << QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString() << "\n";
        }
        return cli::exitCodeFor(atmo::ErrorCode::Usage);
    };
    if (!line.error.isEmpty())
        return usageError(line.error.toStdString());
    if (line.version) {
        std::cout << "atmosphere " << ATMO_VERSION << "\n";
        return 0;
    }
    if (line.help) {
        usage(std::cout);
        return 0;
    }
    if (line.words.isEmpty()) { // nothing, or only global options
        usage(std::cerr);
        return 2;
    }
    const QStringList& args = line.words;
    const QString group = args[0];
    const QString name = args.value(1);
    if (takesSubcommand(group) && isHelp(name)) {
        usage(std::cout, group);
        return 0;
    }
    if (takesSubcommand(group) && args.size() == 1) {
        usage(std::cerr, group);
        return usageError(group.toStdString() + ": which subcommand?");
    }
    // After Ctrl-C or SIGTERM a command that failed was stopped by it:
    // 128 + the signal, as a shell reports a process it killed. A command
    // that finished (or `serve`, whose normal end this is) keeps its code.
    const auto interrupted = [](int rc) { return rc != 0 && cli::interruptedBy() ? 128 + cli::interruptedBy() : rc; };
    for (const auto& c : commands()) {
        if (group == c.group && !*c.name) // a command of one word: "atmosphere drives"
            return interrupted(c.run(line.globals + args.mid(1)));
        if (group == c.group && name == c.name)
            return interrupted(c.run(line.globals + args.mid(2)));
    }
    bool knownGroup = false;
    for (const auto& c : commands())
        knownGroup = knownGroup || group == c.group;
    if (knownGroup)
        return usageError(group.toStdString() + ": unknown subcommand \"" + name.toStdString() + "\"");
    return usageError("unknown command \"" + group.toStdString() + "\"");
}
