// Nobody has to trust this program: after `tar -xf`, the stock minisign and
// sha256sum check a package the station built.
#include <QStandardPaths>
#include <QtTest>

#include "test_main.h"
#include "testutil.h"

using namespace testutil;

class ExternalTools : public QObject {
    Q_OBJECT

    static int sh(const QString& program, const QStringList& args, const fs::path& cwd, QString* out = nullptr)
    {
        QProcess p;
        p.setWorkingDirectory(QString::fromStdString(cwd.string()));
        p.start(program, args);
        p.waitForFinished(120000);
        if (out)
            *out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

private slots:
    void stockToolsVerifyAnExtractedPackage()
    {
        for (const char* tool : {"tar", "minisign", "sha256sum"})
            if (QStandardPaths::findExecutable(tool).isEmpty())
                QSKIP(qPrintable(QString("%1 is not installed").arg(tool)));
        Sandbox box;
        makeMission(box / "mission");
        writeFile(box / "pw", "pw\n");
        const fs::path home = box / "home";
        auto q = [&](const std::string& rel) { return QString::fromStdString((box / rel).string()); };
        QCOMPARE(runCli({"key", "generate", "--name", "mesh", "--out", q("keys"), "--password-file", q("pw")}, home).exitCode, 0);
        QCOMPARE(runCli({"key", "generate", "--name", "founder", "--out", q("keys"), "--unencrypted"}, home).exitCode, 0);
        auto r = runCli({"package", "create", "--mission", q("mission"), "--version", "1.3", "--output", q("out"), "--sign",
                         q("keys/mesh.key"), "--password-file", q("pw"), "--founder-sign", q("keys/founder.key"),
                         "--compress", "zstd"},
                        home);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        fs::create_directories(box / "x");
        QString out;
        QCOMPARE(sh("tar", {"--zstd", "-xf", q("out/production-inspection-v1.3.atmo")}, box / "x", &out), 0);
        QCOMPARE(sh("minisign", {"-Vm", "manifest.yaml", "-p", q("keys/mesh.pub")}, box / "x", &out), 0);
        QVERIFY2(out.contains("Signature and comment signature verified"), qPrintable(out));
        QCOMPARE(sh("minisign", {"-Vm", "manifest.yaml", "-p", q("keys/founder.pub"), "-x", "manifest.yaml.founder.minisig"},
                    box / "x", &out),
                 0);
        QCOMPARE(sh("sha256sum", {"-c", "checksums.sha256"}, box / "x", &out), 0);
        QCOMPARE(out.count(": OK"), 7);

        // And they catch what they should: the founder key does not verify the mesh signature,
        // and a changed file fails sha256sum.
        QVERIFY(sh("minisign", {"-Vm", "manifest.yaml", "-p", q("keys/founder.pub")}, box / "x", &out) != 0);
        writeFile(box / "x/tools/camera-0.4.yaml", "name: someone else's camera\n");
        QVERIFY(sh("sha256sum", {"-c", "checksums.sha256"}, box / "x", &out) != 0);
    }
};

ATMO_TEST_GUILESS_MAIN(ExternalTools)
#include "tst_external_tools.moc"
