// Shared by the peer-server tests: an `atmosphere serve` child process over a sandbox
// library (three models, a signed package) and a curl client against it.
#pragma once

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include "testutil.h"

namespace peer_server_fixture {

using namespace testutil;

constexpr qint64 MiB = 1024 * 1024;

inline QByteArray fileBytes(const fs::path& p, qint64 offset = 0, qint64 length = -1)
{
    QFile f(QString::fromStdString(p.string()));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    f.seek(offset);
    return length < 0 ? f.readAll() : f.read(length);
}

inline QString sha256Of(const QByteArray& data) { return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex(); }

inline QString sha256OfFile(const fs::path& p)
{
    QFile f(QString::fromStdString(p.string()));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result().toHex();
}

// kB from a /proc/<pid>/status line such as "VmRSS:   12345 kB".
inline qint64 procStatusKb(qint64 pid, const char* field)
{
    QFile f(QString("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qstrlen(field) + 1).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

struct Http {
    int status = 0;
    QMap<QByteArray, QByteArray> headers; // names lower-case
    QByteArray body;
    QString verbose;                      // curl's stderr
    QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

// The served sandbox; a test class derives from it and calls startServer() in
// initTestCase() and stopServer() in cleanupTestCase().
class PeerServerFixture {
protected:
    Sandbox box;
    QProcess server;
    QString base; // http://127.0.0.1:PORT
    quint16 port = 0;
    int curlRuns = 0;

    fs::path home() const { return box / "home"; }
    fs::path models() const { return box / "models"; }
    QString p(const std::string& rel) const { return QString::fromStdString((box / rel).string()); }

    // One curl run; the server must be in another process (this blocks).
    Http curl(const QString& path, const QStringList& extra = {})
    {
        const QString n = QString::number(++curlRuns);
        const QString hdr = p("curl-" + n.toStdString() + ".hdr"), body = p("curl-" + n.toStdString() + ".body");
        QProcess c;
        c.start("/usr/bin/curl", QStringList{"-s", "-S", "--path-as-is", "-D", hdr, "-o", body, "-w", "%{http_code}"} +
                                     extra + QStringList{path.startsWith("http") ? path : base + path});
        Http r;
        if (!c.waitForFinished(120000)) {
            c.kill();
            c.waitForFinished();
            r.verbose = "curl timed out";
            return r;
        }
        r.status = c.readAllStandardOutput().trimmed().right(3).toInt();
        r.verbose = QString::fromUtf8(c.readAllStandardError());
        QFile h(hdr);
        if (h.open(QIODevice::ReadOnly)) {
            const QList<QByteArray> blocks = h.readAll().split('\n');
            for (const QByteArray& line : blocks) {
                const int colon = line.indexOf(':');
                if (line.startsWith("HTTP/"))
                    r.headers.clear(); // the last response's headers only
                else if (colon > 0)
                    r.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
            }
        }
        QFile b(body);
        if (b.open(QIODevice::ReadOnly))
            r.body = b.readAll();
        if (extra.contains("-I")) // curl writes a HEAD reply's headers to -o too: keep what follows them
            r.body = r.body.mid(r.body.lastIndexOf("\r\n\r\n") + 4);
        QFile::remove(hdr);
        QFile::remove(body);
        return r;
    }

    CliRun cli(const QStringList& args) { return runCli(args, home()); }

    void startServer()
    {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
        QVERIFY(QFileInfo("/usr/bin/curl").isExecutable());
        writeRandomFile(models() / "alpha.gguf", 9 * MiB + 12345, 11);   // three 4 MiB chunks, the last short
        writeRandomFile(models() / "beta.onnx", 3 * MiB + 777, 12);
        writeRandomFile(models() / "big.bin", 256 * MiB, 13);
        writeFile(models() / "notes.txt", "not a model\n");
        writeFile(box / "secret.txt", "SECRET-CONTENT-OUTSIDE-THE-LIBRARY\n");

        // A real package, full and tier 1, recorded in the station's store.
        makeMission(box / "mission");
        QCOMPARE(cli({"key", "generate", "--name", "mesh", "--out", p("keys"), "--unencrypted"}).exitCode, 0);
        QCOMPARE(cli({"trust", "add", p("keys/mesh.pub"), "--role", "mesh"}).exitCode, 0);
        for (const QStringList& extra : {QStringList{}, QStringList{"--tier", "1"}}) {
            auto r = cli(QStringList{"package", "create", "--mission", p("mission"), "--version", "1.3", "--output",
                                     p("out"), "--sign", p("keys/mesh.key")} +
                         extra);
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
        // And a delta update 1.3 -> 1.4 in the store, offered under 1.4's
        // deltas (1.4 has no full package here).
        fs::copy(box / "mission", box / "mission-1.4", fs::copy_options::recursive);
        writeFile(box / "mission-1.4/agents/inspector-1.0.yaml", "name: inspector\nmodel: tinyyolo-defects\n");
        auto delta = cli(QStringList{"package", "create", "--mission", p("mission-1.4"), "--version", "1.4", "--output",
                                     p("out"), "--sign", p("keys/mesh.key"), "--delta-from",
                                     "production-inspection-1.3"});
        QVERIFY2(delta.exitCode == 0, qPrintable(delta.err));

        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("ATMOSPHERE_HOME", QString::fromStdString(home().string()));
        // hundredConcurrentClients stands for 100 hosts, all on 127.0.0.1: lift
        // the per-address cap (32) for this server only.
        env.insert("ATMOSPHERE_SERVE_LIMITS", "per_client=128");
        server.setProcessEnvironment(env);
        server.start(cliPath(), {"serve", "--port", "0", "--bind", "127.0.0.1", "--models", p("models"),
                                 "--no-library-defaults", "--no-mdns", "--name", "line-7 bay"});
        QVERIFY(server.waitForStarted());
        QByteArray out;
        const QRegularExpression line("serving (\\d+) models? on (http://127\\.0\\.0\\.1:(\\d+))");
        QRegularExpressionMatch m;
        QElapsedTimer t;
        t.start();
        while (!(m = line.match(QString::fromUtf8(out))).hasMatch() && t.elapsed() < 120000) {
            QVERIFY2(server.state() == QProcess::Running, qPrintable(server.readAllStandardError()));
            server.waitForReadyRead(200);
            out += server.readAllStandardOutput();
        }
        QVERIFY2(m.hasMatch(), out.constData());
        QCOMPARE(m.captured(1), QString("3"));
        base = m.captured(2);
        port = quint16(m.captured(3).toUInt());
    }

    void stopServer()
    {
        if (server.state() != QProcess::Running)
            return;
        server.terminate(); // SIGTERM: the command stops cleanly
        QVERIFY(server.waitForFinished(20000));
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.exitCode(), 0);
        QVERIFY(server.readAllStandardError().contains("stopped serving"));
    }
};

} // namespace peer_server_fixture
