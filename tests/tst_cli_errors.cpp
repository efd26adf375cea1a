// Bad input through the real `atmosphere` binary: each case must end with a
// one-line reason on stderr that names the thing, a non-zero exit, and no
// partial output.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <sys/mount.h>
#include <sys/stat.h>
#include <signal.h>

#include <fstream>

#include "test_main.h"
#include "testutil.h"

using namespace testutil;

class CliErrors : public QObject {
    Q_OBJECT

    Sandbox box;
    fs::path home() const { return box / "home"; }
    QString p(const std::string& rel) const { return QString::fromStdString((box / rel).string()); }
    CliRun run(const QStringList& args, const QByteArray& in = {}) { return runCli(args, home(), in); }

    static int filesIn(const fs::path& dir)
    {
        int n = 0;
        std::error_code ec;
        if (!fs::exists(dir))
            return 0;
        for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
            (void)e;
            ++n;
        }
        return n;
    }

    CliRun create(const QString& version, const QString& out, const QStringList& extra = {})
    {
        return run(QStringList{"package", "create", "--mission", p("mission"), "--version", version, "--output", out,
                               "--sign", p("keys/mesh.key"), "--password-file", p("pw")} +
                   extra);
    }

private slots:
    void initTestCase()
    {
        makeMission(box / "mission");
        writeFile(box / "pw", "right\n");
        writeFile(box / "wrongpw", "wrong\n");
        QCOMPARE(run({"key", "generate", "--name", "mesh", "--out", p("keys"), "--password-file", p("pw")}).exitCode, 0);
        QCOMPARE(run({"trust", "add", p("keys/mesh.pub"), "--role", "mesh"}).exitCode, 0);
        QCOMPARE(create("1.0", p("good")).exitCode, 0);
    }

    void usageErrors()
    {
        expectOneLine(run({"frobnicate"}), 2, {"unknown command", "frobnicate"});
        expectOneLine(run({"package", "explode"}), 2, {"explode"});
        expectOneLine(run({"package", "create", "--mission", p("mission")}), 2, {"--version"});
        expectOneLine(run({"package", "verify"}), 2, {"missing argument"});
        expectOneLine(run({"package", "verify", p("good/production-inspection-v1.0.atmo"), "--tier", "zero"}), 2,
                      {"--tier", "zero"});
        expectOneLine(run({"trust", "add", p("keys/mesh.pub"), "--role", "boss"}), 2, {"boss"});
        expectOneLine(run({"package", "create", "--bogus"}), 2, {"bogus"});
    }

    // Every command group answers --help; --help-all is not advertised but
    // shows the help; a group alone asks which subcommand; a bad option under
    // --json still prints {"error", "code"}; old option spellings still work.
    void helpAndConventions()
    {
        for (const QStringList& args : {QStringList{"package", "--help"}, QStringList{"mesh", "-h"},
                                        QStringList{"trust", "help"}, QStringList{"key", "--help-all"}}) {
            const CliRun r = run(args);
            QVERIFY2(r.exitCode == 0, qPrintable(args.join(' ') + ": " + r.err));
            QVERIFY2(r.out.contains("  " + args.at(0) + " "), qPrintable(r.out));
            QVERIFY2(!r.out.contains("  serve "), qPrintable(r.out)); // that group's commands only
        }
        CliRun r = run({"--help-all"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("package create"));
        r = run({"package", "verify", "--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.out.contains("--help-all") && !r.out.contains("Qt"), qPrintable(r.out));
        r = run({"package", "verify", "--help-all"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("Usage: atmosphere package verify"));
        r = run({"package"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("package create") && r.err.contains("which subcommand"), qPrintable(r.err));

        r = run({"package", "verify", "--bogus", "--json"});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(jsonOf(r).value("code").toString(), QString("usage"));
        QVERIFY2(jsonOf(r).value("error").toString().contains("bogus"), qPrintable(r.out));

        // --output is the name for where files go; --out and --dest still work, unadvertised.
        r = run({"key", "generate", "--name", "spare", "--output", p("keys-new"), "--unencrypted"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(fs::exists(box / "keys-new/spare.key"));
        QVERIFY(!run({"key", "generate", "--help"}).out.contains("--out "));
        QVERIFY(!run({"model", "pull", "--help"}).out.contains("--dest"));
    }

    // Log lines by area: none by default, all with -v (anywhere on the line),
    // one area with QT_LOGGING_RULES.
    void verboseAndLoggingRules()
    {
        const QString good = p("good/production-inspection-v1.0.atmo");
        CliRun r = run({"package", "verify", good});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.err.contains("atmosphere.package"), qPrintable(r.err));
        for (const QStringList& args : {QStringList{"-v", "package", "verify", good},
                                        QStringList{"package", "verify", good, "--verbose"}}) {
            r = run(args);
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.err.contains("atmosphere: atmosphere.package: "), qPrintable(r.err));
        }
        qputenv("QT_LOGGING_RULES", "atmosphere.package.debug=true");
        r = run({"package", "verify", good});
        qunsetenv("QT_LOGGING_RULES");
        QVERIFY2(r.err.contains("atmosphere: atmosphere.package: "), qPrintable(r.err));
    }

    // The seed's command-line grammar (issue #12): what it refuses, and how.
    void seedGrammarErrors()
    {
        const QString good = p("good/production-inspection-v1.0.atmo");
        expectOneLine(run({"package", "verify", good, "--tier", "x"}), 2,
                      {"--tier: \"x\" is not a tier", "tier_1, tier_2", "1, 2"});
        expectOneLine(run({"package", "export", good, "--tier", "tier_x", "--output", p("t")}), 2, {"--tier", "tier_x"});
        expectOneLine(run({"package", "export", "production-inspection-1.0", "--format", "zip", "--output", p("fmt")}), 2,
                      {"--format", "\"zip\"", "archive"});
        QVERIFY(!fs::exists(box / "fmt"));
        expectOneLine(run({"--frobnicate", "package", "list"}), 2, {"unknown option", "--frobnicate", "--home"});
        expectOneLine(run({"--home"}), 2, {"--home"});
        // An empty --home= would make the working directory the station home.
        expectOneLine(run({"--home=", "package", "list"}), 2, {"--home needs a directory"});
        expectOneLine(run({"--home", "", "package", "list"}), 2, {"--home needs a directory"});

        // A --mission that is neither a folder nor a mission this station built.
        auto r = run({"package", "create", "--mission", "no-such-mission", "--version", "1.0", "--output", p("nm"),
                      "--sign", p("keys/mesh.key"), "--password-file", p("pw")});
        expectOneLine(r, 1, {"no-such-mission", "neither a folder", "missions.json"});
        QVERIFY(!fs::exists(box / "nm"));
    }

    // A technician sees every problem of a mission in one run, each on its
    // own line naming the file, then a summary; --json lists them too.
    void everyMissionProblemAtOnce()
    {
        const fs::path m = box / "three-problems";
        makeMission(m);
        writeFile(m / "models/noversion.onnx", "weights\n");
        writeFile(m / "knowledge/notes.txt", "free text\n");
        writeFile(m / "knowledge/broken.chunks.jsonl", "{\"id\": 1}\nnot json\n");
        auto r = run({"--json", "package", "create", "--mission", p("three-problems"), "--version", "1.0", "--output",
                      p("tp"), "--sign", p("keys/mesh.key"), "--password-file", p("pw")});
        QCOMPARE(r.exitCode, 4); // bad data: the mission
        const QStringList lines = r.err.trimmed().split('\n');
        QVERIFY2(lines.size() == 4, qPrintable(r.err));
        for (const QString& line : lines)
            QVERIFY2(line.startsWith("atmosphere: "), qPrintable(line));
        QVERIFY2(r.err.contains("models/noversion.onnx: file name has no version"), qPrintable(r.err));
        QVERIFY2(r.err.contains("knowledge/notes.txt: is not a knowledge file"), qPrintable(r.err));
        QVERIFY2(r.err.contains("knowledge/broken.chunks.jsonl: line 2 is not a JSON record"), qPrintable(r.err));
        QVERIFY2(lines.last().contains("3 problems to fix in the mission; nothing was built"), qPrintable(lines.last()));
        const QJsonObject out = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(out["problems"].toArray().size(), 3);
        QCOMPARE(out["code"].toString(), QString("bad_data"));
        QVERIFY(out["error"].toString().contains("3 problems"));
        QVERIFY(!fs::exists(box / "tp"));
    }

    void defaultSigningKey()
    {
        // This home keeps its keys outside <home>/keys: nothing to choose from.
        auto r = run({"package", "create", "--mission", p("mission"), "--version", "3.0", "--output", p("nokey")});
        expectOneLine(r, 2, {"no mesh authority key", "--sign KEY", (home() / "keys").string().c_str()});
        QVERIFY(!fs::exists(box / "nokey"));

        // Two trusted mesh keys in the keys folder: the station does not guess.
        const fs::path two = box / "two-keys-home";
        for (const char* name : {"alpha", "beta"})
            QCOMPARE(runCli({"key", "generate", "--name", name, "--unencrypted", "--trust", "mesh"}, two).exitCode, 0);
        r = runCli({"package", "create", "--mission", p("mission"), "--version", "3.0", "--output", p("twokeys")}, two);
        expectOneLine(r, 2, {"2 mesh authority keys", "alpha.key", "beta.key", "--sign KEY"});
        QVERIFY(!fs::exists(box / "twokeys"));

        // A key pair there whose public key is not trusted: the advice is to
        // trust it (generating another of that name would fail).
        const fs::path untrusted = box / "untrusted-key-home";
        QCOMPARE(runCli({"key", "generate", "--name", "mesh", "--unencrypted"}, untrusted).exitCode, 0);
        r = runCli({"package", "create", "--mission", p("mission"), "--version", "3.0", "--output", p("untrusted")},
                   untrusted);
        expectOneLine(r, 2, {"no mesh authority key", "atmosphere trust add", "mesh.pub --role mesh"});

        // A key there that is not trusted as mesh authority is not a candidate.
        const fs::path one = box / "one-key-home";
        QCOMPARE(runCli({"key", "generate", "--name", "mesh", "--unencrypted", "--trust", "mesh"}, one).exitCode, 0);
        QCOMPARE(runCli({"key", "generate", "--name", "founder", "--unencrypted", "--trust", "founder"}, one).exitCode, 0);
        r = runCli({"--json", "package", "create", "--mission", p("mission"), "--version", "3.0", "--output", p("onekey")},
                   one);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto meshPub = atmo::PublicKey::load(one / "keys/mesh.pub");
        QVERIFY(meshPub.ok());
        QVERIFY2(r.out.contains(QString::fromStdString(meshPub->keyId())), qPrintable(r.out));
    }

    void wrongPassword()
    {
        auto r = run({"package", "create", "--mission", p("mission"), "--version", "2.0", "--output", p("wp"), "--sign",
                      p("keys/mesh.key"), "--password-file", p("wrongpw")});
        expectOneLine(r, 1, {"mesh.key", "wrong password"});
        QCOMPARE(filesIn(box / "wp"), 0);
    }

    void passwordOnStdin()
    {
        auto r = run({"package", "create", "--mission", p("mission"), "--version", "2.1", "--output", p("stdin"),
                      "--sign", p("keys/mesh.key")},
                     "right\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = run({"package", "create", "--mission", p("mission"), "--version", "2.2", "--output", p("nopw"), "--sign",
                 p("keys/mesh.key")});
        expectOneLine(r, 1, {"mesh.key", "password"});
    }

    void unreadableKey()
    {
        auto r = run({"package", "create", "--mission", p("mission"), "--version", "2.0", "--output", p("uk"), "--sign",
                      p("keys/nope.key")});
        expectOneLine(r, 1, {"nope.key"});
        writeFile(box / "keys/garbage.key", "this is not a key\n");
        r = run({"package", "create", "--mission", p("mission"), "--version", "2.0", "--output", p("uk"), "--sign",
                 p("keys/garbage.key")});
        expectOneLine(r, 1, {"garbage.key"});
        expectOneLine(run({"trust", "add", p("keys/garbage.key"), "--role", "mesh"}), 1, {"garbage.key"});
        QCOMPARE(filesIn(box / "uk"), 0);
    }

    void missingMissionYaml()
    {
        fs::create_directories(box / "empty-mission/models");
        auto r = run({"package", "create", "--mission", p("empty-mission"), "--version", "1.0", "--output", p("em"),
                      "--sign", p("keys/mesh.key"), "--password-file", p("pw")});
        expectOneLine(r, 1, {"mission.yaml", "missing"});
        QCOMPARE(filesIn(box / "em"), 0);
    }

    void badVersionAndExistingOutput()
    {
        expectOneLine(create("one", p("bv")), 1, {"version", "one"});
        expectOneLine(create("1.0", p("good")), 1, {"production-inspection-v1.0.atmo", "already exists"});
    }

    void truncatedAndTamperedArchives()
    {
        const auto good = box / "good/production-inspection-v1.0.atmo";
        const auto size = fs::file_size(good);
        fs::copy_file(good, box / "trunc.atmo");
        fs::resize_file(box / "trunc.atmo", size / 2);
        expectOneLine(run({"package", "verify", p("trunc.atmo")}), 4, {"trunc.atmo"});

        fs::copy_file(good, box / "tampered.atmo");
        {
            std::fstream f(box / "tampered.atmo", std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(static_cast<std::streamoff>(size - 200 * 1024));
            f.put('\x5a');
        }
        auto r = run({"package", "verify", p("tampered.atmo")});
        expectOneLine(r, 4, {"tampered.atmo", "SHA-256"});
        QVERIFY(r.out.startsWith("DO NOT INSTALL"));
        // --json names the kind of problem and the file, for scripts.
        r = run({"--json", "package", "verify", p("tampered.atmo")});
        QCOMPARE(r.exitCode, 4);
        const QJsonObject tampered = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(tampered["problem"].toString(), QString("file-altered"));
        QVERIFY2(tampered["problem_path"].toString().startsWith("models/"), qPrintable(r.out));

        writeFile(box / "notatar.atmo", "hello, I am not an archive\n");
        expectOneLine(run({"package", "verify", p("notatar.atmo")}), 4, {"notatar.atmo"});
        expectOneLine(run({"package", "verify", p("does-not-exist.atmo")}), 6, {"does-not-exist.atmo"});
    }

    // The exit code and the --json "code" follow the kind of failure, never
    // its words (README "Exit codes").
    void exitCodeAndJsonCodeFollowTheKind()
    {
        const QString good = p("good/production-inspection-v1.0.atmo");
        const auto jsonCode = [](const CliRun& r) {
            const QList<QByteArray> lines = r.out.toUtf8().trimmed().split('\n');
            return QJsonDocument::fromJson(lines.last()).object().value("code").toString();
        };
        // A station that trusts no key: the package is untrusted, not damaged.
        auto r = runCli({"package", "verify", good}, box / "stranger");
        expectOneLine(r, 3, {"production-inspection-v1.0.atmo", "does not trust"});
        r = runCli({"package", "verify", good, "--json"}, box / "stranger");
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(jsonCode(r), QString("untrusted"));

        r = run({"package", "verify", p("does-not-exist.atmo"), "--json"});
        QCOMPARE(r.exitCode, 6);
        QCOMPARE(jsonCode(r), QString("not_found"));

        r = run({"trust", "remove", "0123456789ABCDEF", "--json"});
        QCOMPARE(r.exitCode, 6);
        QCOMPARE(jsonCode(r), QString("not_found"));

        r = run({"package", "verify", "--json"});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(jsonCode(r), QString("usage"));

        // Lines no command takes are usage errors in the same shape.
        for (const QStringList& line : {QStringList{"package", "frobnicate", "--json"}, QStringList{"frobnicate", "--json"},
                                        QStringList{"--json", "package", "list", "--home="}}) {
            r = run(line);
            QVERIFY2(r.exitCode == 2, qPrintable(line.join(' ') + ": " + r.err));
            QVERIFY2(jsonCode(r) == "usage", qPrintable(line.join(' ') + ": " + r.out));
        }

        r = run({"package", "create", "--mission", p("no-such-dir/m"), "--version", "1.0", "--output", p("x"),
                 "--json"});
        QVERIFY2(r.exitCode != 0, qPrintable(r.err));
        QVERIFY(!jsonCode(r).isEmpty());
    }

    void pathTraversalEntry()
    {
        auto entries = readTarEntries(box / "good/production-inspection-v1.0.atmo");
        entries.push_back({"../../etc/evil", "owned\n", '0', {}});
        writeTarEntries(box / "evil.atmo", entries);
        auto r = run({"package", "import", p("evil.atmo"), "--root", p("evil-root"), "--tier", "2"});
        expectOneLine(r, 4, {"evil.atmo", "../../etc/evil"});
        QVERIFY(!fs::exists(box / "evil-root/production-inspection/current"));
        QVERIFY(!fs::exists(box / "etc/evil"));
    }

    void downgradeRefusedThenOverridden()
    {
        QCOMPARE(create("1.1", p("good")).exitCode, 0);
        QCOMPARE(run({"package", "import", p("good/production-inspection-v1.1.atmo"), "--root", p("dev"), "--tier", "1"})
                     .exitCode,
                 0);
        auto r = run({"package", "import", p("good/production-inspection-v1.0.atmo"), "--root", p("dev"), "--tier", "1"});
        expectOneLine(r, 1, {"production-inspection-v1.0.atmo", "1.1", "--allow-downgrade"});
        r = run({"package", "import", p("good/production-inspection-v1.0.atmo"), "--root", p("dev"), "--tier", "1",
                 "--allow-downgrade"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("override"));
    }

    void trustAddOnAFifoDoesNotBlock()
    {
        QVERIFY(::mkfifo((box / "keys/fifo.pub").c_str(), 0600) == 0);
        // Before: the open waited for a writer forever (runCli gives up after 30 s).
        expectOneLine(runCli({"trust", "add", p("keys/fifo.pub"), "--role", "mesh"}, home(), {}, 30000), 1,
                      {"fifo.pub", "not a regular file"});
    }

    void exportToAFolderThatDoesNotExist()
    {
        auto r = run({"package", "export", p("good/production-inspection-v1.0.atmo"), "--output", p("no/such/stick")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("does not exist") || r.err.contains("does not exist"), qPrintable(r.out + r.err));
        QVERIFY2(!r.out.contains("read-only") && !r.err.contains("read-only"), qPrintable(r.out + r.err));
        QVERIFY(!fs::exists(box / "no"));
    }

    void fileNameWithANewlineIsAProblemNamedOnOneLine()
    {
        fs::copy(box / "mission", box / "nl-mission", fs::copy_options::recursive);
        writeFile(box / "nl-mission/models/bad\nname-1.0.onnx", "weights");
        auto r = run({"package", "create", "--mission", p("nl-mission"), "--version", "1.0", "--output", p("nl-out"),
                      "--sign", p("keys/mesh.key"), "--password-file", p("pw")});
        expectOneLine(r, 4, {"models/bad\\nname-1.0.onnx"});
        QCOMPARE(filesIn(box / "nl-out"), 0);
    }

    void killedCreateLeavesNothingBehind()
    {
        // A model big enough that create is still writing when it is killed.
        fs::copy(box / "mission", box / "big-mission", fs::copy_options::recursive);
        {
            std::ofstream f(box / "big-mission/models/bulk-1.0.onnx");
        }
        fs::resize_file(box / "big-mission/models/bulk-1.0.onnx", 3ull << 30); // sparse
        const fs::path out = box / "killed-out";
        QProcess proc;
        proc.setProcessEnvironment([&] {
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert("ATMOSPHERE_HOME", QString::fromStdString(home().string()));
            return env;
        }());
        proc.start(cliPath(), {"package", "create", "--mission", p("big-mission"), "--version", "1.0", "--output",
                               QString::fromStdString(out.string()), "--sign", p("keys/mesh.key"), "--password-file",
                               p("pw")});
        QVERIFY(proc.waitForStarted());
        // Wait until it has the output open (a named part file, or an unnamed one).
        const auto writing = [&] {
            const fs::path fds = "/proc/" + std::to_string(proc.processId()) + "/fd";
            std::error_code ec;
            for (const auto& e : fs::directory_iterator(fds, ec)) {
                const auto target = fs::read_symlink(e.path(), ec);
                if (!ec && target.string().rfind(out.string() + "/", 0) == 0)
                    return true;
            }
            return false;
        };
        QVERIFY2(waitFor(writing, 120000), "create never opened its output");
        ::kill(static_cast<pid_t>(proc.processId()), SIGKILL);
        QVERIFY(proc.waitForFinished(30000));
        QCOMPARE(filesIn(out), 0);
        // And the next create into the same folder works.
        fs::remove(box / "big-mission/models/bulk-1.0.onnx");
        auto r = run({"package", "create", "--mission", p("big-mission"), "--version", "1.0", "--output",
                      QString::fromStdString(out.string()), "--sign", p("keys/mesh.key"), "--password-file", p("pw")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(filesIn(out), 1);
    }

    void fullDisk()
    {
        // A real full filesystem: a 1 MiB tmpfs, where the test may mount one.
        fs::create_directories(box / "tiny");
        if (::mount("tmpfs", (box / "tiny").c_str(), "tmpfs", 0, "size=1m") != 0)
            QSKIP("cannot mount a tmpfs here (needs root and a mount namespace that allows it)");
        auto unmount = qScopeGuard([&] { ::umount2((box / "tiny").c_str(), MNT_DETACH); });
        auto r = create("3.0", p("tiny"));
        expectOneLine(r, 5, {"tiny", "space"});
        QCOMPARE(filesIn(box / "tiny"), 0);
        r = run({"package", "import", p("good/production-inspection-v1.0.atmo"), "--root", p("tiny"), "--tier", "2"});
        expectOneLine(r, 5, {"space"});
        QVERIFY(!fs::exists(box / "tiny/production-inspection/current"));
        r = run({"package", "export", p("good/production-inspection-v1.0.atmo"), "--output", p("tiny")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("space") || r.err.contains("space"), qPrintable(r.out + r.err));
        QCOMPARE(filesIn(box / "tiny"), 0);
    }
};

ATMO_TEST_GUILESS_MAIN(CliErrors)
#include "tst_cli_errors.moc"
