// The real `atmosphere` binary (`model pull`, `models`, `peers`, `package
// check-updates`) against a hostile peer (tests/mesh/hostile_peer.py, a real
// process on 127.0.0.1), one misbehaviour per row: error statuses and
// redirects, wrong 416s, Range ignored, too many or too few bytes, lies about
// the size and the hash, trickled bodies and JSON, headers that never end,
// gigantic, deeply nested and non-UTF-8 JSON, on each kind of request the
// station makes. Every row must end (the waits are generous; no timing is
// asserted) without a crash, with the expected exit code, and, when it
// fails, with one error line naming the peer; a failed pull leaves neither a
// part file nor a final file behind. Some rows add a well-behaved model
// bridge with the same file: then the pull must end in the verified file.
// Also: a model already complete in --dest is not fetched again; a pull
// stopped by Ctrl-C or SIGTERM keeps its part file to resume and exits 130
// or 143 (with {"error", "code": "cancelled"} under --json).
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <csignal>

#include "core/base/sha256.h"
#include "mesh_processes.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

constexpr std::uint64_t kFileSize = 3ull << 20;
const char* const kModel = "hostile-model";

class HostilePeer {
public:
    HostilePeer(const fs::path& file, const QStringList& args)
    {
        const QString script = qEnvironmentVariable("ATMO_SOURCE_DIR") + "/tests/mesh/hostile_peer.py";
        dieWithTest(process_);
        process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process_.start("/usr/bin/python3", QStringList{script, "--file", QString::fromStdString(file.string())} + args);
        if (waitFor([this] { return process_.canReadLine() || (process_.waitForReadyRead(100) && process_.canReadLine()); },
                    20000)) {
            const QByteArray line = process_.readLine().trimmed();
            if (line.startsWith("PORT "))
                port_ = line.mid(5).toInt();
        }
    }
    ~HostilePeer()
    {
        process_.kill();
        process_.waitForFinished(5000);
    }
    bool ok() const { return port_ > 0; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(port_); }

private:
    QProcess process_;
    int port_ = 0;
};

// stderr lines that are not notes: the error, if any.
QStringList errorLines(const QString& err)
{
    QStringList out;
    for (const QString& line : err.split('\n', Qt::SkipEmptyParts))
        if (!line.startsWith("atmosphere: note: "))
            out << line;
    return out;
}

} // namespace

class HostilePeers : public QObject {
    Q_OBJECT
private slots:
    void hostile_data();
    void hostile();
    void alreadyComplete();
    void interruptedPullKeepsItsPart_data();
    void interruptedPullKeepsItsPart();
};

void HostilePeers::hostile_data()
{
    QTest::addColumn<QString>("command");     // pull | models | peers | updates
    QTest::addColumn<QStringList>("peerArgs"); // --mode, --on, ...
    QTest::addColumn<bool>("withBridge");      // a good bridge with the same file beside it
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<bool>("namesPeer");       // some stderr line names the hostile peer

    auto row = [](const char* name, const char* command, QStringList args, bool bridge, int exit, bool names) {
        QTest::newRow(name) << QString(command) << args << bridge << exit << names;
    };
    // Downloads from the only peer.
    row("pull-status500", "pull", {"--mode", "status500"}, false, 1, true);
    row("pull-redirect302", "pull", {"--mode", "redirect302"}, false, 1, true);
    row("pull-notfound404", "pull", {"--mode", "notfound404"}, false, 1, true);
    row("pull-bad416", "pull", {"--mode", "bad416"}, false, 1, true);
    row("pull-ignore_range", "pull", {"--mode", "ignore_range"}, false, 0, false);
    row("pull-too_many_bytes", "pull", {"--mode", "too_many_bytes"}, false, 1, true);
    row("pull-too_few_bytes", "pull", {"--mode", "too_few_bytes"}, false, 1, true);
    row("pull-lie_size", "pull", {"--mode", "lie_size"}, false, 1, true);
    // Exit codes by kind (README): no space 5, wrong bytes 4.
    row("pull-lie_size-huge", "pull", {"--mode", "lie_size", "--claim-size", "1000000000000000"}, false, 5, true);
    row("pull-lie_hash", "pull", {"--mode", "lie_hash"}, false, 4, true);
    row("pull-trickle_body", "pull", {"--mode", "trickle_body"}, false, 1, true);
    row("pull-never_finish_headers", "pull", {"--mode", "never_finish_headers", "--on", "download"}, false, 1, true);
    row("pull-non_utf8", "pull", {"--mode", "non_utf8", "--on", "download"}, false, 1, true);
    // The catalog side of a pull.
    row("pull-trickle_json-health", "pull", {"--mode", "trickle_json", "--on", "health"}, false, 1, true);
    row("pull-trickle_json-catalog", "pull", {"--mode", "trickle_json", "--on", "catalog"}, false, 1, true);
    row("pull-never_finish_headers-health", "pull", {"--mode", "never_finish_headers", "--on", "health"}, false, 1,
        true);
    row("pull-giant_json-catalog", "pull", {"--mode", "giant_json", "--on", "catalog"}, false, 1, true);
    row("pull-nested_json-catalog", "pull", {"--mode", "nested_json", "--on", "catalog"}, false, 1, true);
    row("pull-non_utf8-catalog", "pull", {"--mode", "non_utf8", "--on", "catalog"}, false, 1, true);
    // Beside a good peer: the download ends in the verified file.
    row("pull2-trickle_json-chunks", "pull", {"--mode", "trickle_json", "--on", "chunks"}, true, 0, false);
    row("pull2-giant_json-chunks", "pull", {"--mode", "giant_json", "--on", "chunks"}, true, 0, false);
    row("pull2-nested_json-chunks", "pull", {"--mode", "nested_json", "--on", "chunks"}, true, 0, false);
    row("pull2-trickle_body", "pull", {"--mode", "trickle_body"}, true, 0, false);
    row("pull2-status500", "pull", {"--mode", "status500"}, true, 0, false);
    // Listing models.
    row("models-trickle_json-health", "models", {"--mode", "trickle_json", "--on", "health"}, false, 1, true);
    row("models-trickle_json-catalog", "models", {"--mode", "trickle_json", "--on", "catalog"}, false, 1, true);
    row("models-never_finish_headers", "models", {"--mode", "never_finish_headers"}, false, 1, true);
    row("models-giant_json-catalog", "models", {"--mode", "giant_json", "--on", "catalog"}, false, 1, true);
    row("models-nested_json-catalog", "models", {"--mode", "nested_json", "--on", "catalog"}, false, 1, true);
    row("models-non_utf8-catalog", "models", {"--mode", "non_utf8", "--on", "catalog"}, false, 1, true);
    row("models-redirect302-catalog", "models", {"--mode", "redirect302", "--on", "catalog"}, false, 1, true);
    row("models-status500-health", "models", {"--mode", "status500", "--on", "health"}, false, 1, true);
    // What a peer says about other peers: a bad answer teaches nothing, the peer itself is fine.
    row("peers-trickle_json-peers", "peers", {"--mode", "trickle_json", "--on", "peers"}, false, 0, false);
    row("peers-giant_json-peers", "peers", {"--mode", "giant_json", "--on", "peers"}, false, 0, false);
    row("peers-nested_json-peers", "peers", {"--mode", "nested_json", "--on", "peers"}, false, 0, false);
    row("peers-never_finish_headers-peers", "peers", {"--mode", "never_finish_headers", "--on", "peers"}, false, 0,
        false);
    row("peers-trickle_json-health", "peers", {"--mode", "trickle_json", "--on", "health"}, false, 1, true);
    // Package listings: a note naming the peer, the command goes on.
    row("updates-trickle_json", "updates", {"--mode", "trickle_json", "--on", "packages"}, false, 0, true);
    row("updates-giant_json", "updates", {"--mode", "giant_json", "--on", "packages"}, false, 0, true);
    row("updates-nested_json", "updates", {"--mode", "nested_json", "--on", "packages"}, false, 0, true);
    row("updates-non_utf8", "updates", {"--mode", "non_utf8", "--on", "packages"}, false, 0, true);
}

void HostilePeers::hostile()
{
    QFETCH(QString, command);
    QFETCH(QStringList, peerArgs);
    QFETCH(bool, withBridge);
    QFETCH(int, exitCode);
    QFETCH(bool, namesPeer);

    Sandbox sb;
    const fs::path model = sb / (std::string("src/") + kModel + ".onnx");
    writeRandomFile(model, kFileSize, 11);
    const std::string sha = *atmo::sha256FileHex(model, atmo::CancelToken());
    HostilePeer peer(model, peerArgs);
    QVERIFY(peer.ok());
    std::unique_ptr<BridgeProcess> bridge;
    if (withBridge) {
        bridge = std::make_unique<BridgeProcess>(sb / "src");
        QVERIFY(bridge->ok());
    }
    const fs::path dest = sb / "dest";
    QStringList args;
    if (command == "pull") {
        args = {"model", "pull", kModel, "--from", peer.url(), "--dest", QString::fromStdString(dest.string())};
        if (bridge)
            args << "--from" << bridge->url();
    } else if (command == "models" || command == "peers") {
        args = {command, "--peer", peer.url(), "--no-mdns", "--wait", "3"};
    } else {
        args = {"package", "check-updates", "--peer", peer.url(), "--no-mdns"};
    }
    // Generous: a trickling peer is given up after seconds; a hang is the
    // failure this looks for, not slowness.
    const CliRun r = runCli(args, sb / "home", {}, 240000);
    QVERIFY2(r.err != "timed out", qPrintable(command + " did not end"));
    QVERIFY2(r.exitCode != -1, qPrintable("crashed: " + r.err.right(2000)));
    QVERIFY2(r.exitCode == exitCode, qPrintable(QStringLiteral("exit %1, stderr: %2").arg(r.exitCode).arg(r.err)));
    const QStringList errors = errorLines(r.err);
    if (exitCode != 0) {
        QVERIFY2(errors.size() == 1, qPrintable("not one error line: " + r.err));
        QVERIFY2(errors.front().contains(peer.url()), qPrintable("the error does not name the peer: " + r.err));
    } else {
        QVERIFY2(errors.isEmpty(), qPrintable(r.err));
    }
    if (namesPeer)
        QVERIFY2(r.err.contains(peer.url()), qPrintable(r.err));

    if (command != "pull")
        return;
    const fs::path final = dest / (std::string(kModel) + ".onnx");
    const fs::path part = dest / (std::string(".") + kModel + ".onnx.part");
    if (exitCode == 0) {
        QVERIFY(fs::exists(final));
        QCOMPARE(*atmo::sha256FileHex(final, atmo::CancelToken()), sha);
    } else {
        QVERIFY(!fs::exists(final));
        // Nothing was committed: no part file (of the lied size or any other).
        std::error_code ec;
        QVERIFY2(!fs::exists(part, ec), qPrintable(QStringLiteral("left %1 bytes in the part file")
                                                       .arg(fs::file_size(part, ec))));
    }
}

void HostilePeers::alreadyComplete()
{
    Sandbox sb;
    const fs::path model = sb / (std::string("src/") + kModel + ".onnx");
    writeRandomFile(model, kFileSize, 12);
    const fs::path log = sb / "requests.log";
    HostilePeer peer(model, {"--log", QString::fromStdString(log.string())});
    QVERIFY(peer.ok());
    const fs::path dest = sb / "dest";
    const QStringList args{"model", "pull", kModel, "--from", peer.url(), "--dest", QString::fromStdString(dest.string())};
    const CliRun first = runCli(args, sb / "home", {}, 240000);
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    auto downloads = [&] { return QString::fromStdString(readFile(log)).count("/v1/models/download/"); };
    const int before = downloads();
    QVERIFY(before > 0);

    const CliRun again = runCli(args, sb / "home", {}, 240000);
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QVERIFY2(again.err.contains("already"), qPrintable(again.err));
    QVERIFY(again.out.contains(QString::fromStdString((dest / (std::string(kModel) + ".onnx")).string())));
    QCOMPARE(downloads(), before); // nothing fetched

    // Other bytes under the name: fetched again, and verified.
    writeRandomFile(dest / (std::string(kModel) + ".onnx"), kFileSize, 13);
    const CliRun other = runCli(args, sb / "home", {}, 240000);
    QVERIFY2(other.exitCode == 0, qPrintable(other.err));
    QVERIFY(downloads() > before);
    QCOMPARE(*atmo::sha256FileHex(dest / (std::string(kModel) + ".onnx"), atmo::CancelToken()),
             *atmo::sha256FileHex(model, atmo::CancelToken()));
}

void HostilePeers::interruptedPullKeepsItsPart_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("SIGINT") << int(SIGINT) << 130;
    QTest::newRow("SIGTERM") << int(SIGTERM) << 143;
}

void HostilePeers::interruptedPullKeepsItsPart()
{
    QFETCH(int, signal);
    QFETCH(int, exitCode);
    Sandbox sb;
    const fs::path model = sb / (std::string("src/") + kModel + ".onnx");
    writeRandomFile(model, kFileSize, 14);
    HostilePeer peer(model, {"--mode", "trickle_body", "--interval", "0.05"});
    QVERIFY(peer.ok());
    const fs::path dest = sb / "dest";
    const fs::path part = dest / (std::string(".") + kModel + ".onnx.part");
    QProcess pull;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("ATMOSPHERE_HOME", QString::fromStdString((sb / "home").string()));
    pull.setProcessEnvironment(env);
    pull.start(cliPath(), {"model", "pull", kModel, "--from", peer.url(), "--output",
                           QString::fromStdString(dest.string()), "--json"});
    QVERIFY(pull.waitForStarted());
    std::error_code ec;
    QVERIFY2(waitFor([&] { return fs::exists(part, ec); }, 60000), "the download never started");
    QTest::qWait(300); // a few bytes in
    ::kill(static_cast<pid_t>(pull.processId()), signal);
    QVERIFY(pull.waitForFinished(60000));
    const QString err = QString::fromUtf8(pull.readAllStandardError());
    QCOMPARE(pull.exitStatus(), QProcess::NormalExit); // it stopped itself, cleanly
    QVERIFY2(pull.exitCode() == exitCode, qPrintable(QString("exit %1: %2").arg(pull.exitCode()).arg(err)));
    QVERIFY2(err.contains("paused at") && err.contains("run the same command again"), qPrintable(err));
    const QJsonObject o = QJsonDocument::fromJson(pull.readAllStandardOutput().trimmed()).object();
    QCOMPARE(o.value("code").toString(), QString("cancelled"));
    QVERIFY(fs::exists(part)); // kept, to resume
    QVERIFY(!fs::exists(dest / (std::string(kModel) + ".onnx")));
}

ATMO_TEST_GUILESS_MAIN(HostilePeers)
#include "tst_app_hostile_peers.moc"
