// The bash completion script (installer/completion/atmosphere) in a real
// bash against the real binary: it loads cleanly and completes command
// groups, subcommands, options (from the command's --help), tier names, and
// package names from the station's store (the --home given on the line).
#include <QProcess>
#include <QtTest>

#include "test_main.h"
#include "testutil.h"

using namespace testutil;

class CliCompletion : public QObject {
    Q_OBJECT

    Sandbox box_;

    // What bash offers for the command line `line` (the cursor at its end).
    QStringList complete(const QString& line)
    {
        QString words = line;
        const bool fresh = line.endsWith(' ');
        QStringList parts = line.split(' ', Qt::SkipEmptyParts);
        if (fresh)
            parts << "";
        QString array;
        for (const QString& p : parts)
            array += " '" + p + "'";
        const QString script =
            QString("set -u; source '%1/installer/completion/atmosphere' || exit 3\n"
                    "COMP_WORDS=(%2); COMP_CWORD=%3; _atmosphere; printf '%s\\n' \"${COMPREPLY[@]}\"\n")
                .arg(qEnvironmentVariable("ATMO_SOURCE_DIR"), array)
                .arg(parts.size() - 1);
        QProcess bash;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("PATH", qEnvironmentVariable("ATMO_BIN_DIR") + ":" + env.value("PATH"));
        env.insert("ATMOSPHERE_HOME", QString::fromStdString((box_ / "default-home").string()));
        env.insert("ASAN_OPTIONS", "detect_leaks=0");
        bash.setProcessEnvironment(env);
        bash.setWorkingDirectory(QString::fromStdString(box_.path().string()));
        bash.start("bash", {"-c", script});
        if (!bash.waitForFinished(60000) || bash.exitCode() != 0) {
            qWarning("bash: %s", bash.readAllStandardError().constData());
            return {"<failed>"};
        }
        const QString err = QString::fromUtf8(bash.readAllStandardError()).trimmed();
        if (!err.isEmpty())
            qWarning("bash said: %s", qPrintable(err));
        return QString::fromUtf8(bash.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    }

private slots:
    void initTestCase()
    {
        // A store with one package in a home named on the line.
        writeFile(box_ / "pkgs/production-inspection-v1.3.atmo", "stands in for a package");
        writeFile(box_ / "home/store.json",
                  "{\"format\": 1, \"packages\": [{\"id\": \"production-inspection\", \"version\": \"1.3\", "
                  "\"tier\": null, \"file\": \"" + (box_ / "pkgs/production-inspection-v1.3.atmo").string() +
                      "\", \"bytes\": 23, \"added_at\": \"2026-12-04T10:00:00Z\"}]}\n");
    }

    void loadsCleanly()
    {
        QProcess bash;
        bash.start("bash", {"-n", qEnvironmentVariable("ATMO_SOURCE_DIR") + "/installer/completion/atmosphere"});
        QVERIFY(bash.waitForFinished(30000));
        QCOMPARE(bash.exitCode(), 0);
        QVERIFY(bash.readAllStandardError().isEmpty());
    }

    void completes()
    {
        QCOMPARE(complete("atmosphere pack"), QStringList{"package"});
        QVERIFY(complete("atmosphere ").contains("mesh"));
        QCOMPARE(complete("atmosphere package ex"), QStringList{"export"});
        QCOMPARE(complete("atmosphere package st"), QStringList{"stored"});
        QCOMPARE(complete("atmosphere package export --ti"), QStringList{"--tier"});
        QVERIFY(complete("atmosphere model pull --").contains("--output"));
        QVERIFY(!complete("atmosphere model pull --").contains("--dest")); // an old spelling, not offered
        QCOMPARE(complete("atmosphere package verify --tier tier_"),
                 (QStringList{"tier_1", "tier_2", "tier_3", "tier_4"}));
        QCOMPARE(complete("atmosphere trust add --role f"), QStringList{"founder"});
        const QString home = QString::fromStdString((box_ / "home").string());
        QCOMPARE(complete("atmosphere --home " + home + " package export prod"),
                 QStringList{"production-inspection-1.3"});
        QCOMPARE(complete("atmosphere package rollback --home " + home + " pro"),
                 QStringList{"production-inspection"});
        // Global options anywhere before the command do not count as its words.
        QCOMPARE(complete("atmosphere -v --json package ex"), QStringList{"export"});
        // verify takes a file, not a store name: none offered.
        QVERIFY(complete("atmosphere --home " + home + " package verify prod").isEmpty());
    }
};

ATMO_TEST_GUILESS_MAIN(CliCompletion)
#include "tst_cli_completion.moc"
