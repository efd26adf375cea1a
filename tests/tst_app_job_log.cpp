// The window's jobs log as the CLI does for the same work: under their area's
// category (atmosphere.package, atmosphere.usb), a line when they start and
// one saying how they ended (a failure as a warning, shown by default), and
// each phase at debug, so QT_LOGGING_RULES tells an administrator what the
// window did.
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <mutex>

#include "app/JobRunner.h"
#include "app/VerifyJob.h"
#include "test_main.h"
#include "verify_fixture.h"

namespace {

struct Line {
    QtMsgType type;
    QString category;
    QString text;
};

std::mutex g_mutex;
std::vector<Line> g_lines;

void collect(QtMsgType type, const QMessageLogContext& context, const QString& text)
{
    std::lock_guard lock(g_mutex);
    g_lines.push_back({type, QString::fromUtf8(context.category ? context.category : ""), text});
}

std::vector<Line> lines()
{
    std::lock_guard lock(g_mutex);
    return g_lines;
}

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

} // namespace

class TestAppJobLog : public QObject {
    Q_OBJECT
    vfix::Fixture fx_;
    fs::path package_;
    QtMessageHandler previous_ = nullptr;

    bool runVerify(const QString& file)
    {
        JobRunner runner;
        VerifyJob::Request request;
        request.file = file;
        request.trustDir = q(fx_.sb->path() / "home" / "trust");
        auto* job = runner.start(new VerifyJob(request));
        QSignalSpy finished(job, &Job::finished);
        if (!finished.wait(30000))
            return false;
        return finished.at(0).at(0).toBool();
    }

private slots:
    void initTestCase()
    {
        fx_.setUp();
        qputenv("ATMOSPHERE_HOME", (fx_.sb->path() / "home").string().c_str());
        package_ = fx_.build();
    }

    void cleanupTestCase() { fx_.tearDown(); }

    void init()
    {
        std::lock_guard lock(g_mutex);
        g_lines.clear();
        previous_ = qInstallMessageHandler(collect);
    }

    void cleanup()
    {
        qInstallMessageHandler(previous_);
        QLoggingCategory::setFilterRules(QString());
    }

    void aCheckSaysItsPhasesAtDebug()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("atmosphere.package=true")); // every level
        QVERIFY(runVerify(q(package_)));
        QStringList said;
        for (const Line& l : lines()) {
            QCOMPARE(l.category, QStringLiteral("atmosphere.package"));
            said << l.text;
        }
        const QString name = QString::fromStdString(package_.filename().string());
        QVERIFY2(said.size() >= 3, qPrintable(said.join('\n')));
        QVERIFY2(said.front() == "verify " + name + ": started", qPrintable(said.join('\n')));
        QVERIFY2(said.back().contains(QRegularExpression(": done in [0-9]+\\.[0-9] s$")), qPrintable(said.join('\n')));
        QVERIFY2(said.filter(QRegularExpression(": (checking|hashing|verifying)")).size() >= 1, qPrintable(said.join('\n')));
    }

    void byDefaultOnlyAFailureIsSaid()
    {
        // Qt's default: info and debug off for these categories, warnings on.
        QLoggingCategory::setFilterRules(QStringLiteral("atmosphere.*.info=false\natmosphere.*.debug=false"));
        QVERIFY(runVerify(q(package_)));
        QVERIFY(lines().empty());
        QVERIFY(!runVerify(q(fx_.sb->path() / "no-such-package.atmo")));
        const auto said = lines();
        QCOMPARE(said.size(), std::size_t(1));
        QCOMPARE(said.front().type, QtWarningMsg);
        QCOMPARE(said.front().category, QStringLiteral("atmosphere.package"));
        QVERIFY2(said.front().text.contains(": failed: ") && said.front().text.contains("no-such-package.atmo"),
                 qPrintable(said.front().text));
    }
};

ATMO_TEST_GUILESS_MAIN(TestAppJobLog)
#include "tst_app_job_log.moc"
