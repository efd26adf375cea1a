// The seed's CLI lines (Offline Distribution Protocol, "CLI Commands" and
// "USB"), typed as the seed writes them, through the real `atmosphere`
// binary: a key, the two create lines, export by id with --version/--tier
// into the working folder, export --format archive --output DIR/, import of
// the exported file, and global options before the command.
//
// seedLines runs once on the seed's own example mission (tests/data/
// seed-mission, the mesh's mission format) and once on the same lines with a
// mission in the station's own format, so the command-line grammar is checked
// whichever format the mission folder is in.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

// Runs the CLI in `cwd`. With a home, it is passed as ATMOSPHERE_HOME;
// without one the variable is removed and XDG_DATA_HOME points into the
// sandbox, so a command that ignored a --home on its line would show up there.
CliRun runAt(const fs::path& cwd, const QStringList& args, const std::optional<fs::path>& home,
             const fs::path& xdg)
{
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove("ATMOSPHERE_HOME");
    env.insert("XDG_DATA_HOME", QString::fromStdString(xdg.string()));
    if (home)
        env.insert("ATMOSPHERE_HOME", QString::fromStdString(home->string()));
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(QString::fromStdString(cwd.string()));
    p.start(cliPath(), args);
    CliRun r;
    if (!p.waitForStarted() || !p.waitForFinished(180000)) {
        p.kill();
        p.waitForFinished();
        r.err = "did not start or timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString str(const fs::path& path) { return QString::fromStdString(path.string()); }

QString describe(const CliRun& r)
{
    return QString("exit %1\nstdout: %2\nstderr: %3").arg(r.exitCode).arg(r.out, r.err);
}

} // namespace

class SeedCli : public QObject {
    Q_OBJECT

    Sandbox box;
    fs::path xdg() const { return box / "xdg"; }

private slots:
    void seedLines_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("seed mission (mesh format)") << "seed";
        QTest::newRow("station-format mission") << "station";
    }

    void seedLines()
    {
        QFETCH(QString, format);
        const fs::path root = box / format.toStdString();
        const fs::path home = root / "home";
        const fs::path work = root / "work";
        fs::create_directories(work);
        if (format == "seed")
            fs::copy(qEnvironmentVariable("ATMO_SOURCE_DIR").toStdString() + "/tests/data/seed-mission",
                     work / "production-inspection", fs::copy_options::recursive);
        else
            makeMission(work / "production-inspection");
        auto at = [&](const fs::path& cwd, const QStringList& args) { return runAt(cwd, args, home, xdg()); };

        // The station's own mesh authority key, made and trusted in one go.
        auto r = at(work, {"key", "generate", "--name", "mesh", "--unencrypted", "--trust", "mesh"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(fs::exists(home / "keys/mesh.key"));

        // atmosphere package create --mission production-inspection --version 1.3 --output ./packages/
        r = at(work, {"package", "create", "--mission", "production-inspection", "--version", "1.3", "--output",
                      "./packages/"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(fs::is_regular_file(work / "packages/production-inspection-v1.3.atmo"));

        // The same with --tier tier_1, the home given before the command.
        r = runAt(work,
                  {"--home", str(home), "package", "create", "--mission", "production-inspection", "--version", "1.3",
                   "--tier", "tier_1", "--output", "./packages/"},
                  std::nullopt, xdg());
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(fs::is_regular_file(work / "packages/production-inspection-v1.3-tier1.atmo"));
        QVERIFY2(!fs::exists(xdg() / "atmosphere"), "the --home before the command was not used");

        // atmosphere package export production-inspection --version 1.3 --tier tier_1
        // "Creates: production-inspection-v1.3-tier1.atmo" in the working folder.
        const fs::path exportDir = root / "export-here";
        fs::create_directories(exportDir);
        r = at(exportDir, {"package", "export", "production-inspection", "--version", "1.3", "--tier", "tier_1"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(fs::is_regular_file(exportDir / "production-inspection-v1.3-tier1.atmo"));

        // atmosphere package export production-inspection-1.3 --format archive --output /media/usb/
        const fs::path usb = root / "media/usb";
        fs::create_directories(usb);
        r = at(work, {"package", "export", "production-inspection-1.3", "--format", "archive", "--output",
                      str(usb) + "/"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(fs::is_regular_file(usb / "production-inspection-v1.3.atmo"));

        // atmosphere package import /media/usb/production-inspection-v1.3.atmo
        r = at(work, {"package", "import", str(usb / "production-inspection-v1.3.atmo")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        // ... and the tier export into another root, global options first.
        const fs::path otherRoot = root / "edge-device";
        r = runAt(work,
                  {"--home=" + str(home), "--json", "package", "import",
                   str(exportDir / "production-inspection-v1.3-tier1.atmo"), "--root", str(otherRoot), "--tier",
                   "tier_1"},
                  std::nullopt, xdg());
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(QJsonDocument::fromJson(r.out.toUtf8()).isObject(), qPrintable(r.out));

        // atmosphere --json --home H package list: what the import installed.
        r = runAt(work, {"--json", "--home", str(home), "package", "list"}, std::nullopt, xdg());
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QJsonArray installed = QJsonDocument::fromJson(r.out.toUtf8()).object()["packages"].toArray();
        QCOMPARE(installed.size(), 1);
        QCOMPARE(installed[0].toObject()["id"].toString(), QString("production-inspection"));
        QCOMPARE(installed[0].toObject()["version"].toString(), QString("1.3"));

        // The mission by its id from anywhere: the station remembers its folder.
        const fs::path elsewhere = root / "elsewhere";
        fs::create_directories(elsewhere);
        r = at(elsewhere, {"package", "create", "--mission", "production-inspection", "--version", "1.4", "--output",
                           "packages"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(fs::is_regular_file(elsewhere / "packages/production-inspection-v1.4.atmo"));
        QVERIFY(!fs::exists(elsewhere / "production-inspection"));

        // --format accepts only the archive, and says which formats there are.
        r = at(work, {"package", "export", "production-inspection-1.3", "--format", "zip", "--output", str(usb)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("zip") && r.err.contains("archive"), qPrintable(r.err));
    }

    void globalOptionsAnywhere()
    {
        const fs::path home = box / "globals/home";
        const fs::path cwd = box / "globals";
        fs::create_directories(cwd);
        auto run = [&](const QStringList& args) { return runAt(cwd, args, std::nullopt, xdg()); };
        for (const QStringList& args : {QStringList{"--home", str(home), "package", "list"},
                                        QStringList{"--home=" + str(home), "package", "list"},
                                        QStringList{"package", "--home", str(home), "list"},
                                        QStringList{"package", "list", "--home", str(home)},
                                        QStringList{"--home", str(home), "trust", "list"}}) {
            const auto r = run(args);
            QVERIFY2(r.exitCode == 0, qPrintable(args.join(' ') + "\n" + describe(r)));
        }
        // --json before the command, --home after it.
        auto r = run({"--json", "package", "list", "--home", str(home)});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()["root"].toString(), str(home / "installed"));
        QVERIFY2(!fs::exists(xdg() / "atmosphere"), "a --home on the line was not used");

        r = run({"--version"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("atmosphere "));
        r = run({"--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("package export"));
        r = run({"--home", str(home), "--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("package export"));
        r = run({"--frobnicate", "package", "list"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--frobnicate"), qPrintable(r.err));
    }

    // Every command's --help starts with the line a person would type.
    void usageLines()
    {
        const auto top = runAt(box.path(), {"--help"}, box / "usage-home", xdg());
        QCOMPARE(top.exitCode, 0);
        QStringList commands;
        bool inCommands = false; // the "commands:" section, up to its blank line
        for (const QString& line : top.out.split('\n')) {
            if (line == "commands:")
                inCommands = true;
            else if (line.isEmpty())
                inCommands = false;
            if (!inCommands || !line.startsWith("  "))
                continue;
            const QStringList words = line.trimmed().split(' ', Qt::SkipEmptyParts);
            // "  package create   build ..." or "  drives   list ...".
            const bool twoWords = QStringList{"key", "trust", "package", "model", "mesh"}.contains(words[0]);
            commands << (twoWords ? words[0] + " " + words[1] : words[0]);
        }
        QVERIFY2(commands.contains("package export") && commands.contains("drives"), qPrintable(commands.join(", ")));
        for (const QString& command : commands) {
            const auto r = runAt(box.path(), command.split(' ') + QStringList{"--help"}, box / "usage-home", xdg());
            QVERIFY2(r.exitCode == 0, qPrintable(command + ": " + describe(r)));
            const QString first = r.out.section('\n', 0, 0);
            QVERIFY2(first.startsWith("Usage: atmosphere " + command + " [options]"), qPrintable(first));
            QVERIFY2(!first.contains('/'), qPrintable(first));
        }
        const auto r = runAt(box.path(), {"package", "export", "--help"}, box / "usage-home", xdg());
        QCOMPARE(r.out.section('\n', 0, 0), QString("Usage: atmosphere package export [options] PACKAGE"));
    }
};

ATMO_TEST_GUILESS_MAIN(SeedCli)
#include "tst_seed_cli.moc"
