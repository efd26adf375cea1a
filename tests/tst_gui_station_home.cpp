// The station home is one thing the window is given: StationContext owns it
// and every view and job works in it (never a global, so two contexts in one
// process keep apart), the window takes --home like the CLI with the same
// refusal, and the CLI and the window resolve the same home from the same
// environment (both call atmo::StationHome::resolveRoot).
#include <QLabel>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include "app/SigningKeyModel.h"
#include "app/StationContext.h"
#include "app/TrustedKeyModel.h"
#include "core/package/station_home.h"
#include "core/package/trust_store.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/KeysView.h"

using namespace testutil;

namespace {
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

QString stationPath()
{
    const QByteArray dir = qgetenv("ATMO_BIN_DIR");
    return (dir.isEmpty() ? QCoreApplication::applicationDirPath() : QString::fromLocal8Bit(dir))
           + "/atmosphere-station";
}

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QString& program, const QStringList& args, const QProcessEnvironment& env, int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    dieWithTest(p);
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(timeoutMs) || p.exitStatus() != QProcess::NormalExit) {
        p.kill();
        p.waitForFinished();
        r.err = program + " did not finish: " + QString::fromUtf8(p.readAllStandardError());
        return r;
    }
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}
} // namespace

class TestGuiStationHome : public QObject {
    Q_OBJECT
    Sandbox box_;

private slots:
    void initTestCase()
    {
        // Qt warns on stderr without a runtime dir; the window's stderr is compared.
        fs::create_directories(box_ / "runtime");
        fs::permissions(box_ / "runtime", fs::perms::owner_all);
        qputenv("XDG_RUNTIME_DIR", (box_ / "runtime").string().c_str());
    }

    // The global a view might still reach for points elsewhere.
    void init() { qputenv("ATMOSPHERE_HOME", (box_ / "elsewhere").string().c_str()); }

    void twoContextsKeepToTheirHomes()
    {
        StationContext a(atmo::StationHome(box_ / "a"), q(box_ / "a.ini"));
        StationContext b(atmo::StationHome(box_ / "b"), q(box_ / "b.ini"));
        QCOMPARE(a.home().root(), box_ / "a");
        QCOMPARE(a.settings().installRoot(), q(box_ / "a/installed"));
        QCOMPARE(b.settings().installRoot(), q(box_ / "b/installed"));
        QCOMPARE(a.settings().outputDir(), q(box_ / "a/packages"));
        QCOMPARE(b.settings().outputDir(), q(box_ / "b/packages"));

        KeysView viewA(a);
        KeysView viewB(b);
        KeyJob* job = viewA.startGenerate("alpha", std::nullopt, atmo::TrustRole::Mesh);
        QSignalSpy done(job, &Job::finished);
        QVERIFY(done.wait(30000));
        QVERIFY2(done.at(0).at(0).toBool(), qPrintable(viewA.statusLabel()->text()));
        QVERIFY(fs::exists(box_ / "a/keys/alpha.key"));
        const QString keyId = viewA.signingModel()->key(0).keyId;
        QVERIFY(atmo::TrustStore(box_ / "a/trust").find(keyId.toStdString()));

        viewB.reload();
        QCOMPARE(viewB.signingModel()->rowCount(), 0);
        QCOMPARE(viewB.trustedModel()->rowCount(), 0);
        viewA.reload();
        QCOMPARE(viewA.signingModel()->rowCount(), 1);
        QVERIFY(!fs::exists(box_ / "elsewhere"));
        QVERIFY(!fs::exists(box_ / "b/keys/alpha.key"));
    }

    void cliAndWindowResolveTheSameHome_data()
    {
        QTest::addColumn<QByteArray>("atmosphereHome");
        QTest::addColumn<QByteArray>("xdgDataHome");
        QTest::addColumn<QString>("expected"); // under the sandbox
        QTest::newRow("ATMOSPHERE_HOME") << QByteArray("env-home") << QByteArray("xdg") << "env-home";
        QTest::newRow("XDG_DATA_HOME") << QByteArray() << QByteArray("xdg") << "xdg/atmosphere";
        QTest::newRow("HOME") << QByteArray() << QByteArray() << "user/.local/share/atmosphere";
    }

    void cliAndWindowResolveTheSameHome()
    {
        QFETCH(QByteArray, atmosphereHome);
        QFETCH(QByteArray, xdgDataHome);
        QFETCH(QString, expected);
        const fs::path sandbox = box_ / QTest::currentDataTag();
        const QByteArray savedHome = qgetenv("HOME");
        atmosphereHome.isEmpty() ? qunsetenv("ATMOSPHERE_HOME")
                                 : qputenv("ATMOSPHERE_HOME", (sandbox / atmosphereHome.toStdString()).c_str());
        xdgDataHome.isEmpty() ? qunsetenv("XDG_DATA_HOME")
                              : qputenv("XDG_DATA_HOME", (sandbox / xdgDataHome.toStdString()).c_str());
        qputenv("HOME", (sandbox / "user").c_str());

        // The CLI writes a key into its home...
        const Run cli = run(cliPath(), {"key", "generate", "--name", "from-cli", "--unencrypted"},
                            QProcessEnvironment::systemEnvironment());
        // ...and the window, resolving its home as main() does without --home, lists it.
        const auto root = atmo::StationHome::resolveRoot(std::nullopt);
        StationContext context(atmo::StationHome(*root), q(sandbox / "settings.ini"));
        KeysView view(context);
        const int keys = view.signingModel()->rowCount();
        const QString name = keys ? view.signingModel()->key(0).name : QString();

        qputenv("HOME", savedHome);
        qunsetenv("XDG_DATA_HOME");
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
        QCOMPARE(context.home().root(), sandbox / expected.toStdString());
        QVERIFY(fs::exists(sandbox / expected.toStdString() / "keys/from-cli.key"));
        QCOMPARE(keys, 1);
        QCOMPARE(name, QString("from-cli"));
    }

    void windowRefusesABadHomeAsTheCliDoes()
    {
        const auto env = QProcessEnvironment::systemEnvironment();
        const Run window = run(stationPath(), {"--home="}, env);
        QCOMPARE(window.exitCode, 2);
        QCOMPARE(window.err, QString("atmosphere-station: --home needs a directory\n"));
        const Run cli = run(cliPath(), {"package", "list", "--home="}, env);
        QCOMPARE(cli.exitCode, 2);
        QVERIFY2(cli.err.startsWith("atmosphere: --home needs a directory"), qPrintable(cli.err));

        writeFile(box_ / "not-a-dir", "x");
        const Run file = run(stationPath(), {"--home", q(box_ / "not-a-dir")}, env);
        QCOMPARE(file.exitCode, 1);
        QVERIFY2(file.err.startsWith("atmosphere-station: " + q(box_ / "not-a-dir")), qPrintable(file.err));
        QCOMPARE(file.err.count('\n'), 1);
    }

    void windowWorksInTheHomeGiven()
    {
        // --screenshot builds its demo workspace in the --home given and runs
        // the whole window there: the mesh it starts makes the station's node
        // id in that home, not in $ATMOSPHERE_HOME.
        const Run window = run(stationPath(), {"--home", q(box_ / "window-home"), "--screenshot", q(box_ / "shots")},
                               QProcessEnvironment::systemEnvironment(), 600000);
        QVERIFY2(window.exitCode == 0, qPrintable(window.err));
        QVERIFY(fs::exists(box_ / "window-home/store.json"));
        QVERIFY(fs::exists(box_ / "window-home/keys/mesh-authority.key"));
        QVERIFY(fs::exists(box_ / "window-home/station/node.key"));
        QVERIFY(fs::exists(box_ / "shots/18-mesh.png"));
        QVERIFY(!fs::exists(box_ / "elsewhere"));
    }
};

ATMO_TEST_MAIN(TestGuiStationHome)
#include "tst_gui_station_home.moc"
