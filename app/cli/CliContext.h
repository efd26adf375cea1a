// What every `atmosphere` subcommand shares: global options (--home, --json),
// the one-line error convention, password prompts, and the terminal progress
// bar. The exit code and the --json "code" of a failure follow its kind
// (atmo::ErrorCode), decided in one place, exitCodeFor(): see Exit.
#pragma once

#include <QCommandLineParser>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "app/QtStrings.h"
#include "core/base/progress.h"
#include "core/base/result.h"
#include "core/package/minisign.h"
#include "core/package/package_history.h"
#include "core/package/package_verifier.h"
#include "core/base/rate_meter.h"
#include "core/package/station_home.h"

namespace cli {

// Documented in README.md ("Exit codes"); scripts rely on them.
enum Exit {
    Ok = 0,
    Failed = 1,     // anything else, I/O errors among them
    Usage = 2,      // bad command line
    Untrusted = 3,  // no valid signature from a trusted key
    BadData = 4,    // damaged or malformed: bad archive, hash mismatch, bad manifest
    NoSpace = 5,    // not enough free space
    NotFound = 6,   // the named file, key, package or peer does not exist
    Busy = 7,       // locked or in use by another process
    Cancelled = 130 // Ctrl-C, as a shell reports SIGINT; 143 after SIGTERM (exitCodeFor)
};
int exitCodeFor(atmo::ErrorCode code);

class Context {
public:
    Context(QString command, QStringList args);

    // Adds --home/--json/--help, parses; on a usage error prints it and returns false.
    // positionalHelp is "NAME: what it is"; NAME appears in the usage line.
    bool parse(QCommandLineParser& parser, int minPositional, int maxPositional, const QString& positionalHelp);

    const QString& command() const { return command_; }
    bool json() const { return json_; }
    atmo::StationHome home() const;
    // The station's own key (made on first use) for chain-of-custody entries;
    // core makes sure the station trusts it under its own name.
    std::optional<atmo::SecretKey> stationIdentity(QString& error) const;
    std::filesystem::path homePath() const { return home().root(); }

    // "atmosphere: <reason>" on stderr; with --json also {"error": reason,
    // "code": "no_space", ...extra} on stdout unless the command already
    // printed its result there (with its own "code"). Returns exitCodeFor(code).
    int fail(const atmo::Error& error, const QJsonObject& extra = {}) const;
    int fail(const QString& reason) const;              // an untyped failure: returns Failed
    int usage(const QString& reason) const;             // same, plus the --help hint; returns Usage
    void print(const QString& line) const;              // stdout, human mode only
    void printJson(const QJsonObject& object) const;    // stdout, compact, one line
    // Rows of columns, left-aligned, the first row a header; human mode only.
    void printTable(const QList<QStringList>& rows) const;

    // The optional --tier option: "tier_2" as the mesh writes it, or the bare
    // number "2"; on bad input sets error (a usage error).
    std::optional<int> tierOption(const QCommandLineParser& p, QString& error) const;

    // A package named on the command line: a .atmo file, or from the
    // station's store "<id>-<version>" (also the file names
    // "<id>-v<version>[-tier<N>]"), or "<id>" with `version`, or "<id>" alone
    // for the newest version the store has. On failure sets error.
    std::optional<std::filesystem::path> resolvePackage(const QString& ref, const QString& version,
                                                        QString& error) const;

    // Notes in the station's store what happened to a package it holds (the
    // Build list's status); a package it does not hold, or a home it cannot
    // write, is left as it was.
    void record(const std::filesystem::path& file, atmo::PackageEvent event, int drives = 0) const;

    // Loads a secret key, asking for its password if it is encrypted: from
    // passwordFile when given, else a hidden prompt on a terminal, else one
    // line of standard input.
    std::optional<atmo::SecretKey> loadKey(const QString& keyFile, const QString& passwordFile, QString& error) const;
    // A new password: from passwordFile, or asked twice on a terminal, or one line of stdin.
    std::optional<std::string> newPassword(const QString& passwordFile, const QString& forWhat, QString& error) const;

private:
    QString command_;
    QStringList args_;
    bool json_ = false;
    mutable bool printedJson_ = false;
    std::optional<atmo::StationHome> home_; // set by parse()
};

// A progress bar on stderr, only when stderr is a terminal and not --json.
class TerminalProgress : public atmo::VerifyObserver {
public:
    explicit TerminalProgress(bool enabled);
    ~TerminalProgress() override;
    void onProgress(const atmo::Progress& p) override;
    void done();                   // clears the bar line

private:
    bool enabled_;
    bool drawn_ = false;
    atmo::Phase phase_ = atmo::Phase::None;
    atmo::Phase loggedPhase_ = atmo::Phase::None; // for atmosphere.package's debug lines
    std::string loggedItem_;
    atmo::RateMeter rate_;
};

// "<subject>: <reason>", without repeating the subject when the reason already starts with it.
QString about(const QString& subject, const std::string& reason);

// One name per concept across commands (--output for where files go); an
// old spelling stays accepted, hidden from --help. optionValues() gives the
// values under either name.
void addAlias(QCommandLineParser& parser, const QString& oldName, const QString& valueName);
QStringList optionValues(const QCommandLineParser& parser, const QString& name, const QString& oldName);

// The install root a command's --root names, else the home's default.
std::filesystem::path installRootOption(const Context& ctx, const QCommandLineParser& p);

// Ctrl-C / SIGTERM cancel this token, so a job stops and cleans up after itself.
void installCancelOnSignal(const atmo::CancelToken& token);
// The signal (SIGINT, SIGTERM) that interrupted this run, or 0. A failure
// after it is reported as "interrupted" with exit 128 + the signal (130 for
// Ctrl-C, 143 for SIGTERM), whatever the command was doing.
int interruptedBy();

// Adds a logging rule ("atmosphere.mesh.server.info=true") to those the run
// has set (-v: "atmosphere.*=true"); QT_LOGGING_RULES still wins.
void enableLogRule(const QString& rule);

} // namespace cli
