#include "CliContext.h"

#include <QFile>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <csignal>
#include <termios.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "app/LogCategories.h"
#include "core/base/fs_util.h"
#include "core/package/package_store.h"
#include "core/package/tier.h"
#include "core/package/trust_store.h"

namespace cli {

std::filesystem::path installRootOption(const Context& ctx, const QCommandLineParser& p)
{
    return p.isSet("root") ? std::filesystem::path(s(p.value("root"))) : ctx.home().defaultInstallRoot();
}

namespace {
volatile std::sig_atomic_t g_interruptedBy = 0;
}

void installCancelOnSignal(const atmo::CancelToken& token)
{
    // The token's flag is a lock-free atomic, so setting it is safe in a handler.
    static atmo::CancelToken current;
    current = token;
    auto handler = [](int sig) {
        g_interruptedBy = sig;
        current.cancel();
    };
    std::signal(SIGINT, handler);
    std::signal(SIGTERM, handler);
    // A signal before this job began stops it too: one Ctrl-C stops the run.
    if (g_interruptedBy)
        current.cancel();
}

int interruptedBy() { return g_interruptedBy; }

void enableLogRule(const QString& rule)
{
    static QStringList rules;
    rules << rule;
    // QT_LOGGING_RULES, read after these, keeps the last word.
    QLoggingCategory::setFilterRules(rules.join('\n'));
}

QString about(const QString& subject, const std::string& reason)
{
    QString r = q(reason);
    if (r.startsWith(subject + ": "))
        r = r.mid(subject.size() + 2);
    return subject + ": " + r;
}

Context::Context(QString command, QStringList args) : command_(std::move(command)), args_(std::move(args)) {}

bool Context::parse(QCommandLineParser& parser, int minPositional, int maxPositional, const QString& positionalHelp)
{
    parser.setApplicationDescription("atmosphere " + command_);
    parser.addOption({"home", "Station home directory (default: $ATMOSPHERE_HOME or the user's data dir).", "dir"});
    parser.addOption({"json", "Machine-readable output on stdout."});
    parser.addOption({{"v", "verbose"}, "Every log line of every area on stderr (QT_LOGGING_RULES picks finer)."});
    // Not addHelpOption(): it advertises --help-all for Qt's own options,
    // which a command-line tool has none of. --help-all still shows the help.
    parser.addOption({{"h", "help"}, "Show this help and exit."});
    QCommandLineOption helpAll("help-all");
    helpAll.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(helpAll);
    // Known before parsing, so a bad command line under --json still gets its {"error", "code"}.
    json_ = args_.contains("--json");
    // "PACKAGE: a .atmo file ..." names the argument PACKAGE in the usage line.
    const QString positionalName = positionalHelp.section(':', 0, 0).trimmed();
    if (!positionalHelp.isEmpty())
        parser.addPositionalArgument(positionalName, positionalHelp.section(':', 1).trimmed(), positionalName);
    if (!parser.parse(QStringList{"atmosphere " + command_} + args_)) {
        usage(parser.errorText());
        return false;
    }
    if (parser.isSet("help") || parser.isSet("help-all")) {
        // Qt starts the usage line with the path the binary was run by; the
        // user types "atmosphere package export", so that is what it shows.
        QString help = parser.helpText();
        const qsizetype eol = help.indexOf('\n');
        QString usageLine = "Usage: atmosphere " + command_ + " [options]";
        if (!positionalHelp.isEmpty())
            usageLine += " " + positionalName;
        help.replace(0, eol, usageLine);
        std::cout << help.toStdString();
        std::exit(Ok);
    }
    json_ = parser.isSet("json");
    if (parser.isSet("verbose"))
        enableLogRule("atmosphere.*=true");
    const auto home = atmo::StationHome::resolve(parser.isSet("home") ? std::optional<std::string>(s(parser.value("home")))
                                                                      : std::nullopt);
    if (!home) {
        usage(q(home.message()));
        return false;
    }
    home_ = *home;
    for (const std::string& line : home_->moveToStandardPlaces())
        std::cerr << "atmosphere: note: " << line << std::endl;
    const int n = static_cast<int>(parser.positionalArguments().size());
    if (n < minPositional) {
        usage(QString("%1: missing argument (%2)").arg(command_, positionalHelp));
        return false;
    }
    if (maxPositional >= 0 && n > maxPositional) {
        usage(QString("%1: unexpected argument \"%2\"").arg(command_, parser.positionalArguments().value(maxPositional)));
        return false;
    }
    return true;
}

atmo::StationHome Context::home() const { return home_.value_or(atmo::StationHome::standard()); }

std::optional<atmo::SecretKey> Context::stationIdentity(QString& error) const
{
    const atmo::StationHome h = home();
    if (auto ensured = h.ensure(); !ensured) {
        error = q(ensured.message());
        return std::nullopt;
    }
    auto identity = h.identity();
    if (!identity) {
        error = q(identity.message());
        return std::nullopt;
    }
    return *identity;
}

int exitCodeFor(atmo::ErrorCode code)
{
    switch (code) {
    case atmo::ErrorCode::Failed: return Failed;
    case atmo::ErrorCode::Io: return Failed;
    case atmo::ErrorCode::Usage: return Usage;
    case atmo::ErrorCode::Untrusted: return Untrusted;
    case atmo::ErrorCode::BadData: return BadData;
    case atmo::ErrorCode::NoSpace: return NoSpace;
    case atmo::ErrorCode::NotFound: return NotFound;
    case atmo::ErrorCode::Busy: return Busy;
    case atmo::ErrorCode::Cancelled: return interruptedBy() ? 128 + interruptedBy() : Cancelled;
    }
    return Failed;
}

int Context::fail(const atmo::Error& failure, const QJsonObject& extra) const
{
    // Whatever failed after Ctrl-C or SIGTERM failed because of it.
    const atmo::Error error = interruptedBy() && failure.code != atmo::ErrorCode::Cancelled
                                  ? atmo::Error{"interrupted (" + failure.message + ")", atmo::ErrorCode::Cancelled}
                                  : failure;
    std::cerr << "atmosphere: " << error.message;
    if (error.code == atmo::ErrorCode::Usage)
        std::cerr << " (see atmosphere " << command_.toStdString() << " --help)";
    std::cerr << std::endl;
    if (json_ && !printedJson_) { // a command that printed its result put the code in it
        QJsonObject o = extra;
        o.insert("error", q(error.message));
        o.insert("code", QString::fromLatin1(atmo::errorCodeName(error.code)));
        printJson(o);
    }
    return exitCodeFor(error.code);
}

int Context::fail(const QString& reason) const { return fail(atmo::Error{reason.toStdString()}); }

int Context::usage(const QString& reason) const { return fail(atmo::Error{reason.toStdString(), atmo::ErrorCode::Usage}); }

void Context::print(const QString& line) const
{
    if (!json_)
        std::cout << line.toStdString() << std::endl;
}

void Context::printJson(const QJsonObject& object) const
{
    printedJson_ = true;
    std::cout << QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString() << std::endl;
}

void Context::printTable(const QList<QStringList>& rows) const
{
    if (rows.isEmpty())
        return;
    QList<int> width(rows[0].size(), 0);
    for (const auto& r : rows)
        for (int c = 0; c < r.size() && c < width.size(); ++c)
            width[c] = std::max<int>(width[c], static_cast<int>(r[c].size()));
    for (const auto& r : rows) {
        QString line;
        for (int c = 0; c < r.size(); ++c)
            line += c + 1 < r.size() ? r[c].leftJustified(width.value(c) + 2) : r[c];
        while (line.endsWith(' '))
            line.chop(1);
        print(line);
    }
}

std::optional<int> Context::tierOption(const QCommandLineParser& p, QString& error) const
{
    if (!p.isSet("tier"))
        return std::nullopt;
    const QString value = p.value("tier");
    if (auto tier = atmo::parseTierName(s(value)))
        return tier;
    error = QString("--tier: \"%1\" is not a tier (tier_1, tier_2, ... or 1, 2, ...)").arg(value);
    return std::nullopt;
}

namespace {

std::optional<std::string> readPasswordFile(const QString& file, QString& error)
{
    auto text = atmo::readFile(s(file), 4096);
    if (!text) {
        error = q(text.message());
        return std::nullopt;
    }
    std::string pw = *text;
    if (auto nl = pw.find('\n'); nl != std::string::npos)
        pw.resize(nl);
    if (!pw.empty() && pw.back() == '\r')
        pw.pop_back();
    if (pw.empty()) {
        error = file + ": the password file is empty";
        return std::nullopt;
    }
    return pw;
}

std::optional<std::string> prompt(const std::string& text)
{
    if (isatty(STDIN_FILENO)) {
        std::cerr << text << std::flush;
        termios old {};
        tcgetattr(STDIN_FILENO, &old);
        termios silent = old;
        silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
        std::string line;
        const bool got = static_cast<bool>(std::getline(std::cin, line));
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        std::cerr << std::endl;
        if (!got)
            return std::nullopt;
        return line;
    }
    std::string line;
    if (!std::getline(std::cin, line))
        return std::nullopt;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

} // namespace

std::optional<atmo::SecretKey> Context::loadKey(const QString& keyFile, const QString& passwordFile,
                                                QString& error) const
{
    auto text = atmo::readFile(s(keyFile), 64 * 1024);
    if (!text) {
        error = q(text.message());
        return std::nullopt;
    }
    std::optional<std::string> password;
    if (atmo::secretKeyIsEncrypted(*text)) {
        if (!passwordFile.isEmpty())
            password = readPasswordFile(passwordFile, error);
        else
            password = prompt("Password for " + s(keyFile) + ": ");
        if (!password) {
            if (error.isEmpty())
                error = keyFile + ": the key is encrypted and no password was given (use --password-file)";
            return std::nullopt;
        }
    }
    auto key = atmo::parseSecretKey(*text, password, s(keyFile));
    if (!key) {
        error = q(key.message());
        return std::nullopt;
    }
    return *key;
}

std::optional<std::string> Context::newPassword(const QString& passwordFile, const QString& forWhat,
                                                QString& error) const
{
    if (!passwordFile.isEmpty())
        return readPasswordFile(passwordFile, error);
    auto first = prompt("New password for " + s(forWhat) + ": ");
    if (!first || first->empty()) {
        error = forWhat + ": no password given (use --password-file, or --unencrypted for a key without one)";
        return std::nullopt;
    }
    if (isatty(STDIN_FILENO)) {
        auto again = prompt("Repeat the password: ");
        if (!again || *again != *first) {
            error = "the two passwords differ";
            return std::nullopt;
        }
    }
    return first;
}

TerminalProgress::TerminalProgress(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)) {}

TerminalProgress::~TerminalProgress() { done(); }

void TerminalProgress::onProgress(const atmo::Progress& p)
{
    if (p.phase != loggedPhase_ || p.item != loggedItem_) { // each phase, and each file in it
        loggedPhase_ = p.phase;
        loggedItem_ = p.item;
        if (lcPackage().isDebugEnabled()) {
            done(); // not in the middle of the bar's line
            qCDebug(lcPackage, "%s%s%s", atmo::phaseName(p.phase), p.item.empty() ? "" : ": ", p.item.c_str());
        }
    }
    if (!enabled_)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (p.phase != phase_) {
        phase_ = p.phase;
        rate_.reset();
    }
    rate_.addTotal(p.done, now);
    const double frac = p.total ? static_cast<double>(p.done) / static_cast<double>(p.total) : 0.0;
    const int width = 30;
    const int filled = static_cast<int>(frac * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '-');
    // Half a second of data before guessing, as in the window (app/ProgressMeter).
    const double rate = rate_.measured(now) >= std::chrono::milliseconds(500) ? rate_.rate(now) : 0.0;
    std::string eta;
    if (const auto left = atmo::secondsLeft(p.total > p.done ? p.total - p.done : 0, rate); left && *left > 0)
        eta = " " + std::to_string(static_cast<long>(std::ceil(*left))) + "s left";
    std::string item = p.item;
    if (item.size() > 32)
        item = "..." + item.substr(item.size() - 29);
    std::fprintf(stderr, "\r\033[K%-12s [%s] %3d%% %s%s%s", atmo::phaseName(p.phase), bar.c_str(), static_cast<int>(frac * 100),
                 rate > 0 ? (atmo::humanBytes(static_cast<std::uint64_t>(rate)) + "/s").c_str() : "", eta.c_str(),
                 item.empty() ? "" : ("  " + item).c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void TerminalProgress::done()
{
    if (enabled_ && drawn_) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
        drawn_ = false;
    }
}

void Context::record(const std::filesystem::path& file, atmo::PackageEvent event, int drives) const
{
    (void)atmo::PackageStore(home().storeIndex()).record(file, event, drives);
}

void addAlias(QCommandLineParser& parser, const QString& oldName, const QString& valueName)
{
    QCommandLineOption alias(oldName, "Old spelling.", valueName);
    alias.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(alias);
}

QStringList optionValues(const QCommandLineParser& parser, const QString& name, const QString& oldName)
{
    return parser.values(name) + parser.values(oldName);
}

std::optional<std::filesystem::path> Context::resolvePackage(const QString& ref, const QString& version,
                                                             QString& error) const
{
    const std::filesystem::path asPath(s(ref));
    std::error_code ec;
    if (version.isEmpty() && std::filesystem::is_regular_file(asPath, ec))
        return asPath;
    const atmo::PackageStore store(home().storeIndex());
    QStringList versions; // of the id `ref`, for the error
    for (const auto& stored : store.list())
        if (stored.id == s(ref) && !versions.contains(q(stored.version)))
            versions << q(stored.version);
    if (!version.isEmpty()) {
        if (auto found = store.find(s(ref) + "-" + s(version)))
            return found->file;
        error = QString("%1 %2: not in the station's store (%3)")
                    .arg(ref, version,
                         versions.isEmpty() ? QString("it has no package %1").arg(ref)
                                            : QString("it has %1 %2").arg(ref, versions.join(", ")));
        return std::nullopt;
    }
    if (auto found = store.find(s(ref)))
        return found->file;
    if (auto latest = store.latestVersion(s(ref)))
        if (auto found = store.find(s(ref) + "-" + *latest))
            return found->file;
    error = ref + ": no such file, and the station's store has no package of that name "
                  "(expected a path, <id>-<version>, or <id> with --version V)";
    return std::nullopt;
}

} // namespace cli
