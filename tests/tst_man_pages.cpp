// The manual pages the build makes from the programs' --help
// (installer/man/make-man.py): they render with `man` without a warning,
// and say what --help says: every command, every option of every command,
// the exit codes; the window's page has its options.
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

QString manPage(const QString& name)
{
    return qEnvironmentVariable("ATMO_BIN_DIR") + "/../installer/man/" + name;
}

// The page as `man` shows it; fails the test on any warning.
QString rendered(const QString& page)
{
    QProcess man;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("MANWIDTH", "200"); // no hyphenation inside the words looked for
    env.insert("MAN_KEEP_FORMATTING", "");
    man.setProcessEnvironment(env);
    man.start("man", {"--warnings", "-l", page});
    if (!man.waitForFinished(60000))
        return {};
    const QString err = QString::fromUtf8(man.readAllStandardError()).trimmed();
    if (man.exitCode() != 0 || !err.isEmpty()) {
        qWarning("man -l %s: exit %d: %s", qPrintable(page), man.exitCode(), qPrintable(err));
        return {};
    }
    return QString::fromUtf8(man.readAllStandardOutput());
}

} // namespace

class ManPages : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable("man").isEmpty())
            QSKIP("man is not installed (installer/setup-deps.sh installs man-db)");
    }

    void cliPageSaysWhatHelpSays()
    {
        QVERIFY2(QFile::exists(manPage("atmosphere.1")), qPrintable(manPage("atmosphere.1") + " was not built"));
        const QString text = rendered(manPage("atmosphere.1"));
        QVERIFY(!text.isEmpty());
        const CliRun top = runCli({"--help"}, fs::temp_directory_path());
        QCOMPARE(top.exitCode, 0);
        const QStringList lines = top.out.split('\n');
        const int from = lines.indexOf("commands:"), to = lines.indexOf("exit codes:");
        QVERIFY(from > 0 && to > from);
        int commands = 0;
        for (int i = from + 1; i < to; ++i) {
            const QString name = lines[i].trimmed().section(QRegularExpression("\\s{2,}"), 0, 0);
            if (name.isEmpty())
                continue;
            ++commands;
            // Its section: from its heading to the next heading (three spaces in).
            const qsizetype start = text.indexOf("\n   " + name + "\n");
            QVERIFY2(start >= 0, qPrintable(name + " has no section"));
            const qsizetype end = text.indexOf(QRegularExpression("\n(   \\S|\\S)"), start + name.size() + 5);
            const QString section = text.mid(start, end < 0 ? -1 : end - start);
            // Each of its options, as its --help lists them.
            const CliRun help = runCli(name.split(' ') + QStringList{"--help"}, fs::temp_directory_path());
            QCOMPARE(help.exitCode, 0);
            QRegularExpression option("^  (?:-\\w, )?(--[\\w-]+)", QRegularExpression::MultilineOption);
            for (auto it = option.globalMatch(help.out); it.hasNext();) {
                const QString o = it.next().captured(1);
                if (o != "--home" && o != "--json" && o != "--help" && o != "--verbose") // global: described once
                    QVERIFY2(section.contains(o), qPrintable(name + ": " + o + " is not in its section"));
            }
        }
        QVERIFY(commands > 20);
        for (const char* heading : {"EXIT STATUS", "ENVIRONMENT", "FILES", "SEE ALSO"})
            QVERIFY2(text.contains(QString("\n") + heading + "\n"), heading);
        QVERIFY(text.contains("\n       130    stopped by Ctrl-C"));
        QVERIFY(text.contains("ATMOSPHERE_HOME"));
    }

    void stationPage()
    {
        if (!QFile::exists(qEnvironmentVariable("ATMO_BIN_DIR") + "/atmosphere-station"))
            return; // a build without the window has no page for it
        QVERIFY2(QFile::exists(manPage("atmosphere-station.1")), "atmosphere-station.1 was not built");
        const QString text = rendered(manPage("atmosphere-station.1"));
        QVERIFY(text.contains("--screenshot") && text.contains("--lang") && text.contains("--home"));
    }
};

ATMO_TEST_GUILESS_MAIN(ManPages)
#include "tst_man_pages.moc"
