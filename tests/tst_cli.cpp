// The `atmosphere` binary end to end, as a technician would run it: keys,
// trust, create, verify, export, import, list, rollback, and --json output;
// what each step did to a stored package is noted in the store (the Build
// list's status).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "test_main.h"
#include "testutil.h"

using namespace testutil;

class Cli : public QObject {
    Q_OBJECT

    Sandbox box;
    fs::path home() const { return box / "home"; }
    QString p(const std::string& rel) const { return QString::fromStdString((box / rel).string()); }

    CliRun run(const QStringList& args, const QByteArray& in = {}) { return runCli(args, home(), in); }

    // The store's entry for a file, as `package create` added it.
    QJsonObject stored(const QString& file) const
    {
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(readFile(home() / "store.json")));
        const QString canonical = QString::fromStdString(fs::weakly_canonical(file.toStdString()).string());
        for (const auto& e : doc.object()["packages"].toArray())
            if (e.toObject()["file"].toString() == canonical)
                return e.toObject();
        return {};
    }

    static QJsonObject json(const CliRun& r)
    {
        const auto doc = QJsonDocument::fromJson(r.out.trimmed().toUtf8());
        return doc.object();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
        makeMission(box / "mission");
        writeFile(box / "pw", "correct horse\n");
    }

    void keysAndTrust()
    {
        auto r = run({"key", "generate", "--name", "mesh", "--output", p("keys"), "--password-file", p("pw"), "--json"});
        QCOMPARE(r.exitCode, 0);
        const QString keyId = json(r)["key_id"].toString();
        QCOMPARE(keyId.size(), 16);
        QVERIFY(json(r)["encrypted"].toBool());
        QVERIFY(fs::exists(box / "keys/mesh.key"));
        QCOMPARE(fs::status(box / "keys/mesh.key").permissions() & fs::perms::others_read, fs::perms::none);

        r = run({"key", "generate", "--name", "founder", "--out", p("keys"), "--unencrypted"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("UNENCRYPTED"));

        QCOMPARE(run({"trust", "add", p("keys/mesh.pub"), "--role", "mesh"}).exitCode, 0);
        QCOMPARE(run({"trust", "add", p("keys/founder.pub"), "--role", "founder", "--name", "Founder A"}).exitCode, 0);
        r = run({"trust", "list", "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto keys = json(r)["keys"].toArray();
        QCOMPARE(keys.size(), 2);
        bool sawMesh = false;
        for (const auto& k : keys)
            if (k.toObject()["role"].toString() == "mesh" && k.toObject()["key_id"].toString() == keyId)
                sawMesh = true;
        QVERIFY(sawMesh);
    }

    void createVerifyImport()
    {
        auto r = run({"package", "create", "--mission", p("mission"), "--version", "1.3", "--output", p("out"),
                      "--sign", p("keys/mesh.key"), "--password-file", p("pw"), "--founder-sign",
                      p("keys/founder.key"), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString file = json(r)["file"].toString();
        QVERIFY(file.endsWith("production-inspection-v1.3.atmo"));
        QVERIFY(!stored(file).isEmpty());
        QVERIFY(!stored(file).contains("verified_at"));

        r = run({"package", "verify", file, "--json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(stored(file)["verified_ok"].toBool());
        QVERIFY(!stored(file).contains("installed_at"));
        const auto report = json(r);
        QVERIFY(report["ok"].toBool());
        QCOMPARE(report["signatures"].toArray().at(0).toObject()["state"].toString(), QString("valid"));
        QCOMPARE(report["signatures"].toArray().at(1).toObject()["state"].toString(), QString("valid"));
        QCOMPARE(report["files"].toArray().size(), 7);
        // The station signed a "created" custody entry with its own key, which it trusts.
        const auto custody = report["custody"].toArray();
        QCOMPARE(custody.size(), 1);
        QCOMPARE(custody.at(0).toObject()["action"].toString(), QString("created"));
        QVERIFY(custody.at(0).toObject()["valid"].toBool());
        QVERIFY(custody.at(0).toObject()["trusted"].toBool());

        r = run({"package", "verify", file});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("GENUINE AND INTACT"));

        r = run({"package", "import", file, "--root", p("device"), "--tier", "1", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(json(r)["installed"].toObject()["version"].toString(), QString("1.3"));
        QVERIFY(stored(file).contains("installed_at"));
        QVERIFY(fs::exists(box / "device/production-inspection/current/models/tinyyolo-defects-1.3.onnx"));
        QVERIFY(!fs::exists(box / "device/production-inspection/current/models/llama-edge-2.0.gguf"));

        r = run({"package", "list", "--root", p("device"), "--json"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(json(r)["packages"].toArray().size(), 1);
    }

    void exportFromStoreToTwoDrives()
    {
        fs::create_directories(box / "usb0");
        fs::create_directories(box / "usb1");
        auto r = run({"package", "export", "production-inspection-1.3", "--tier", "1", "--output", p("usb0"), "--output",
                      p("usb1")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QCOMPARE(r.out.count("written and verified"), 2);
        const QString source = p("out/production-inspection-v1.3.atmo");
        QCOMPARE(stored(source)["exported_drives"].toInt(), 2);
        QVERIFY(stored(source).contains("installed_at")); // kept from the import
        // As `package stored` says it (the window's Build list in words).
        const auto listed = json(run({"package", "stored", "--json"}))["packages"].toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.at(0).toObject()["status"].toString(), QString("on 2 drives, installed"));
        QVERIFY(run({"package", "stored"}).out.contains("on 2 drives, installed"));
        for (const char* d : {"usb0", "usb1"}) {
            const auto f = box / d / "production-inspection-v1.3-tier1.atmo";
            QVERIFY(fs::exists(f));
            auto v = run({"package", "verify", QString::fromStdString(f.string()), "--tier", "1", "--json"});
            QCOMPARE(v.exitCode, 0);
            const auto custody = json(v)["custody"].toArray();
            QCOMPARE(custody.size(), 2);
            QCOMPARE(custody.at(1).toObject()["action"].toString(), QString("exported"));
        }
    }

    void upgradeRollbackAndDowngrade()
    {
        auto r = run({"package", "create", "--mission", p("mission"), "--version", "1.4", "--output", p("out"),
                      "--sign", p("keys/mesh.key"), "--password-file", p("pw")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(run({"package", "import", p("out/production-inspection-v1.4.atmo"), "--root", p("device"), "--tier", "1"})
                     .exitCode,
                 0);
        r = run({"package", "import", p("out/production-inspection-v1.3.atmo"), "--root", p("device"), "--tier", "1"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("older") && r.err.contains("--allow-downgrade"), qPrintable(r.err));
        // Refused for being older: that says nothing about the package, its earlier check stands.
        QVERIFY(stored(p("out/production-inspection-v1.3.atmo"))["verified_ok"].toBool());
        // A check that fails is noted too.
        const QString v14 = p("out/production-inspection-v1.4.atmo");
        QVERIFY(stored(v14).contains("installed_at"));
        {
            auto bytes = readFile(box / "out/production-inspection-v1.4.atmo");
            bytes[bytes.size() / 2] ^= 0x5a;
            writeFile(box / "out/production-inspection-v1.4.atmo", bytes);
        }
        QVERIFY(run({"package", "verify", v14}).exitCode != 0);
        QCOMPARE(stored(v14)["verified_ok"].toBool(true), false);
        QCOMPARE(run({"package", "rollback", "production-inspection", "--root", p("device")}).exitCode, 0);
        r = run({"package", "list", "--root", p("device"), "--json"});
        QCOMPARE(json(r)["packages"].toArray().at(0).toObject()["version"].toString(), QString("1.3"));
    }
};

ATMO_TEST_GUILESS_MAIN(Cli)
#include "tst_cli.moc"
