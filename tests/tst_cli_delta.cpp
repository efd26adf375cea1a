// Delta updates through the `atmosphere` binary, on the seed's own mission:
// `package create --delta-from` (by store name and by file), `package
// export` of one, what `package verify` says of a delta and of its base, `package import` onto the base
// and refused without it, bad --delta-from input, and a kill -9 during the
// rebuild that leaves the installed version as it was.
#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

#include <csignal>
#include <fstream>

#include "core/base/sha256.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

std::string sha(const fs::path& file)
{
    auto h = atmo::sha256FileHex(file, atmo::CancelToken());
    return h ? *h : h.message();
}

void replaceIn(const fs::path& file, const std::string& from, const std::string& to)
{
    std::string text = readFile(file);
    const auto at = text.find(from);
    QVERIFY2(at != std::string::npos, from.c_str());
    text.replace(at, from.size(), to);
    writeFile(file, text);
}

} // namespace

class CliDelta : public QObject {
    Q_OBJECT

    Sandbox box;
    fs::path home() const { return box / "home"; }
    QString p(const std::string& rel) const { return QString::fromStdString((box / rel).string()); }
    CliRun run(const QStringList& args) { return runCli(args, home(), {}, 300000); }

    QStringList create(const std::string& mission, const std::string& version, const std::string& out)
    {
        return {"package", "create", "--mission", p(mission), "--version", QString::fromStdString(version),
                "--output", p(out), "--sign", p("keys/mesh.key")};
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
        QCOMPARE(run({"key", "generate", "--name", "mesh", "--out", p("keys"), "--unencrypted"}).exitCode, 0);
        QCOMPARE(run({"trust", "add", p("keys/mesh.pub"), "--role", "mesh"}).exitCode, 0);
        // The seed's mission as 1.3, and a 1.4 of it: the tinyyolo model
        // retrained (a new version, a few bytes changed), the llama weights
        // patched in place, a knowledge record corrected and one added.
        const fs::path seed = fs::path(qgetenv("ATMO_SOURCE_DIR").toStdString()) / "tests/data/seed-mission";
        fs::copy(seed, box / "m13", fs::copy_options::recursive);
        fs::copy(seed, box / "m14", fs::copy_options::recursive);
        fs::rename(box / "m14/models/tinyyolo-defects-1.3.onnx", box / "m14/models/tinyyolo-defects-1.4.onnx");
        flipByte(box / "m14/models/tinyyolo-defects-1.4.onnx", 10);
        for (int i = 0; i < 3; ++i)
            replaceIn(box / "m14/config/mission.yaml", "- id: tinyyolo-defects\n          version: \"1.3\"",
                      "- id: tinyyolo-defects\n          version: \"1.4\"");
        flipByte(box / "m14/models/llama3-8b-inspection.gguf", 30000);
        replaceIn(box / "m14/knowledge/defect-catalog.chunks.jsonl", "deeper than 0.3 mm", "deeper than 0.2 mm");
        writeFile(box / "m14/knowledge/defect-catalog.chunks.jsonl",
                  readFile(box / "m14/knowledge/defect-catalog.chunks.jsonl") +
                      "{\"id\":\"dc-9\",\"text\":\"Chip: paint missing over 1 mm\"}\n");
        QCOMPARE(run(create("m13", "1.3", "out")).exitCode, 0);
    }

    void createFromTheStoreAndVerify()
    {
        auto r = run(create("m14", "1.4", "out") << "--delta-from" << "production-inspection-1.3");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("production-inspection-v1.4-from-v1.3.atmo: delta update 1.3 -> 1.4"), qPrintable(r.out));
        QVERIFY2(r.out.contains("models: 2 updated (2 as a delta)"), qPrintable(r.out));
        QVERIFY2(r.out.contains("knowledge: 1 updated (1 as a delta), 1 record added, 0 removed, 1 updated"),
                 qPrintable(r.out));

        r = run({"package", "verify", p("out/production-inspection-v1.4-from-v1.3.atmo"), "--root", p("device")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.startsWith("GENUINE AND INTACT"));
        QVERIFY2(r.out.contains("  delta      update 1.3 -> 1.4: "), qPrintable(r.out));
        QVERIFY2(r.out.contains("  base       " + p("device") +
                                ": needs production-inspection 1.3 installed; this device has no production-inspection"),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains("delta update from 1.3") || r.out.contains("delta from 1.3"), qPrintable(r.out));

        // To a stick like any package, keeping its name (and its tier's).
        fs::create_directories(box / "usb");
        r = run({"package", "export", "production-inspection-v1.4-from-v1.3", "--output", p("usb")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(fs::exists(box / "usb/production-inspection-v1.4-from-v1.3.atmo"));
        r = run({"package", "export", p("out/production-inspection-v1.4-from-v1.3.atmo"), "--tier", "1", "--output",
                 p("usb")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = run({"package", "verify", p("usb/production-inspection-v1.4-from-v1.3-tier1.atmo"), "--tier", "1"});
        QVERIFY2(r.exitCode == 0 && r.out.contains("delta      update 1.3 -> 1.4"), qPrintable(r.out + r.err));

        r = run({"package", "verify", p("out/production-inspection-v1.4-from-v1.3.atmo"), "--json"});
        const QJsonObject delta = jsonOf(r)["delta"].toObject();
        QCOMPARE(delta["base_version"].toString(), QString("1.3"));
        QCOMPARE(delta["chunks_added"].toInt(), 1);
        QCOMPARE(delta["base_installed"].toBool(true), false);
    }

    void importRefusedWithoutTheBaseThenApplied()
    {
        const QString delta = p("out/production-inspection-v1.4-from-v1.3.atmo");
        auto r = run({"package", "import", delta, "--root", p("device"), "--tier", "3"});
        expectOneLine(r, 1, {"needs production-inspection 1.3 installed", "install the full 1.4 package"});
        QVERIFY(!fs::exists(box / "device/production-inspection/current"));

        QCOMPARE(run({"package", "import", p("out/production-inspection-v1.3.atmo"), "--root", p("device"), "--tier",
                      "3"})
                     .exitCode,
                 0);
        r = run({"package", "verify", delta, "--root", p("device")});
        QVERIFY2(r.out.contains("  base       production-inspection 1.3 is installed in " + p("device")),
                 qPrintable(r.out));
        r = run({"package", "import", delta, "--root", p("device"), "--tier", "3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("previous   1.3 kept for rollback"), qPrintable(r.out));
        for (const auto& e : fs::recursive_directory_iterator(box / "m14"))
            if (e.is_regular_file()) {
                const auto rel = fs::relative(e.path(), box / "m14");
                QVERIFY2(readFile(box / "device/production-inspection/1.4" / rel) == readFile(e.path()), rel.c_str());
            }
        r = run({"package", "import", delta, "--root", p("device"), "--tier", "3"});
        expectOneLine(r, 1, {"production-inspection 1.4 is already installed (this delta updates 1.3 to it)"});
    }

    void badDeltaFrom()
    {
        auto r = run(create("m14", "1.5", "bad") << "--delta-from" << "production-inspection-0.9");
        expectOneLine(r, 6, {"--delta-from", "production-inspection-0.9"});
        r = run(create("m14", "1.5", "bad") << "--delta-from" << p("keys/mesh.pub"));
        expectOneLine(r, 4, {"--delta-from", "mesh.pub"});
        // Not older than the new version.
        r = run(create("m14", "1.2", "bad") << "--delta-from" << p("out/production-inspection-v1.3.atmo"));
        expectOneLine(r, 4, {"its version 1.3 is not older than 1.2"});
        // A delta is not a base.
        r = run(create("m14", "1.5", "bad") << "--delta-from" << p("out/production-inspection-v1.4-from-v1.3.atmo"));
        expectOneLine(r, 4, {"it is a delta package itself"});
        QVERIFY(!fs::exists(box / "bad") || fs::is_empty(box / "bad"));
    }

    void killedDuringTheRebuildKeepsTheBase()
    {
        // A 1.6 whose model is big enough that the rebuild is still running
        // when the import is killed; 1.5 installed as its base.
        fs::copy(box / "m14", box / "m15", fs::copy_options::recursive);
        writeRandomFile(box / "m15/models/llama3-8b-inspection.gguf", 64ull << 20, 5);
        fs::copy(box / "m15", box / "m16", fs::copy_options::recursive);
        for (std::uint64_t at = 1; at < (64ull << 20); at += 8ull << 20)
            flipByte(box / "m16/models/llama3-8b-inspection.gguf", at);
        QCOMPARE(run(create("m15", "1.5", "big")).exitCode, 0);
        auto r = run(create("m16", "1.6", "big") << "--delta-from" << p("big/production-inspection-v1.5.atmo"));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(run({"package", "import", p("big/production-inspection-v1.5.atmo"), "--root", p("device"), "--tier",
                      "3"})
                     .exitCode,
                 0);
        const fs::path idDir = box / "device/production-inspection";
        const std::string stateBefore = readFile(idDir / "state.json");

        QProcess proc;
        proc.setProcessEnvironment([&] {
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert("ATMOSPHERE_HOME", QString::fromStdString(home().string()));
            return env;
        }());
        proc.start(cliPath(), {"package", "import", p("big/production-inspection-v1.6-from-v1.5.atmo"), "--root",
                               p("device"), "--tier", "3"});
        QVERIFY(proc.waitForStarted());
        // Wait until the rebuilt model is being written in staging.
        const auto rebuilding = [&] {
            std::error_code ec;
            for (const auto& e : fs::directory_iterator(idDir, ec))
                if (e.path().filename().string().rfind(".staging-", 0) == 0)
                    for (const auto& f : fs::directory_iterator(e.path() / "models", ec))
                        if (f.path().filename().string().find("llama3-8b-inspection") != std::string::npos &&
                            f.path().extension() != ".delta")
                            return true;
            return false;
        };
        QVERIFY2(waitFor(rebuilding, 120000), "the import never started rebuilding");
        ::kill(static_cast<pid_t>(proc.processId()), SIGKILL);
        QVERIFY(proc.waitForFinished(30000));
        QCOMPARE(fs::read_symlink(idDir / "current").string(), std::string("1.5"));
        QCOMPARE(readFile(idDir / "state.json"), stateBefore);
        QCOMPARE(sha(idDir / "1.5/models/llama3-8b-inspection.gguf"), sha(box / "m15/models/llama3-8b-inspection.gguf"));
        // The next import goes through and clears what the killed one left.
        r = run({"package", "import", p("big/production-inspection-v1.6-from-v1.5.atmo"), "--root", p("device"),
                 "--tier", "3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        for (const auto& e : fs::directory_iterator(idDir))
            QVERIFY2(e.path().filename().string()[0] != '.', e.path().c_str());
        QCOMPARE(sha(idDir / "1.6/models/llama3-8b-inspection.gguf"), sha(box / "m16/models/llama3-8b-inspection.gguf"));
    }
};

ATMO_TEST_GUILESS_MAIN(CliDelta)
#include "tst_cli_delta.moc"
