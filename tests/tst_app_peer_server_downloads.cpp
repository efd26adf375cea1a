// The peer server's downloads over HTTP against `atmosphere serve` in a child process:
// whole files, Range and If-Range, HEAD, keep-alive and pipelined requests.
#include <QTcpSocket>
#include <QtTest>

#include "peer_server_fixture.h"
#include "test_main.h"

using namespace testutil;
using namespace peer_server_fixture;

class PeerServerDownloadsTest : public QObject, public peer_server_fixture::PeerServerFixture {
    Q_OBJECT

private slots:
    void initTestCase() { startServer(); }

    void cleanupTestCase() { stopServer(); }

    void wholeDownload()
    {
        const Http r = curl("/v1/models/download/alpha");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Type"), QByteArray("application/octet-stream"));
        QCOMPARE(r.header("Accept-Ranges"), QByteArray("bytes"));
        QCOMPARE(r.header("Content-Disposition"), QByteArray("attachment; filename=\"alpha.gguf\""));
        QCOMPARE(r.header("Content-Length").toLongLong(), 9 * MiB + 12345);
        QVERIFY(r.header("Content-Range").isEmpty());
        QCOMPARE(sha256Of(r.body), sha256OfFile(models() / "alpha.gguf"));

        const Http onnx = curl("/v1/models/download/beta");
        QCOMPARE(onnx.header("Content-Disposition"), QByteArray("attachment; filename=\"beta.onnx\""));
    }

    void ranges_data()
    {
        QTest::addColumn<QString>("range");
        QTest::addColumn<int>("status");
        QTest::addColumn<qint64>("first"); // -1: the whole file
        QTest::addColumn<qint64>("last");
        const qint64 n = 9 * MiB + 12345;
        QTest::newRow("a-b") << "bytes=100-4195" << 206 << qint64(100) << qint64(4195);
        QTest::newRow("a-b one byte") << "bytes=0-0" << 206 << qint64(0) << qint64(0);
        QTest::newRow("a-") << "bytes=5000000-" << 206 << qint64(5000000) << n - 1;
        QTest::newRow("-n") << "bytes=-70000" << 206 << n - 70000 << n - 1;
        QTest::newRow("-n larger than the file") << "bytes=-99999999999" << 206 << qint64(0) << n - 1;
        QTest::newRow("b past the end") << "bytes=9000000-99999999999" << 206 << qint64(9000000) << n - 1;
        QTest::newRow("last byte") << QString("bytes=%1-").arg(n - 1) << 206 << n - 1 << n - 1;
        QTest::newRow("a at the end") << QString("bytes=%1-").arg(n) << 416 << qint64(0) << qint64(0);
        QTest::newRow("a past the end") << QString("bytes=%1-%2").arg(n + 10).arg(n + 20) << 416 << qint64(0)
                                        << qint64(0);
        QTest::newRow("multi-range") << "bytes=0-9,20-29" << 200 << qint64(-1) << qint64(0);
        QTest::newRow("other unit") << "items=0-9" << 200 << qint64(-1) << qint64(0);
        QTest::newRow("garbage") << "bytes=x-y" << 200 << qint64(-1) << qint64(0);
    }

    void ranges()
    {
        QFETCH(QString, range);
        QFETCH(int, status);
        QFETCH(qint64, first);
        QFETCH(qint64, last);
        const qint64 n = 9 * MiB + 12345;
        const Http r = curl("/v1/models/download/alpha", {"-H", "Range: " + range});
        QCOMPARE(r.status, status);
        if (status == 416) {
            QCOMPARE(r.header("Content-Range"), QString("bytes */%1").arg(n).toLatin1());
            QVERIFY(r.json().contains("error"));
            return;
        }
        QCOMPARE(r.header("Accept-Ranges"), QByteArray("bytes"));
        if (first < 0) {
            QVERIFY(r.header("Content-Range").isEmpty());
            QCOMPARE(r.body.size(), n);
            return;
        }
        QCOMPARE(r.header("Content-Range"), QString("bytes %1-%2/%3").arg(first).arg(last).arg(n).toLatin1());
        QCOMPARE(r.header("Content-Length").toLongLong(), last - first + 1);
        QCOMPARE(r.body, fileBytes(models() / "alpha.gguf", first, last - first + 1));
    }

    void ifRange()
    {
        const QString sha = sha256OfFile(models() / "alpha.gguf");
        Http r = curl("/v1/models/download/alpha", {"-H", "Range: bytes=10-19", "-H", "If-Range: \"" + sha + "\""});
        QCOMPARE(r.status, 206);
        QCOMPARE(r.header("ETag"), ("\"" + sha + "\"").toLatin1());
        r = curl("/v1/models/download/alpha", {"-H", "Range: bytes=10-19", "-H", "If-Range: \"0123\""});
        QCOMPARE(r.status, 200); // not the copy the client had: the whole file
    }

    void head()
    {
        Http r = curl("/v1/models/download/alpha", {"-I"});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Length").toLongLong(), 9 * MiB + 12345);
        QCOMPARE(r.header("Content-Disposition"), QByteArray("attachment; filename=\"alpha.gguf\""));
        QCOMPARE(r.header("Accept-Ranges"), QByteArray("bytes"));
        QVERIFY(r.body.isEmpty());
        r = curl("/v1/models/download/alpha", {"-I", "-H", "Range: bytes=-10"});
        QCOMPARE(r.status, 206);
        QCOMPARE(r.header("Content-Length"), QByteArray("10"));
        QVERIFY(r.body.isEmpty());
        r = curl("/v1/models/nope", {"-I"});
        QCOMPARE(r.status, 404);
        QVERIFY(r.body.isEmpty());
        r = curl("/health", {"-I"});
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Content-Length").toInt() > 0);
        QVERIFY(r.body.isEmpty());
        // HEAD and a GET sent together: the GET's reply follows the HEAD's headers at once.
        QTcpSocket raw;
        raw.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(raw.waitForConnected(5000));
        raw.write("HEAD /v1/models/download/beta HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        QByteArray both;
        while (!both.contains("\"status\":\"ok\"}") && raw.waitForReadyRead(5000))
            both += raw.readAll();
        const int split = both.indexOf("\r\n\r\n");
        QVERIFY(both.startsWith("HTTP/1.1 200"));
        QVERIFY2(both.mid(split + 4).startsWith("HTTP/1.1 200 OK\r\nContent-Type: application/json"), both.constData());
        QVERIFY(both.left(split).contains(QString("Content-Length: %1").arg(3 * MiB + 777).toLatin1()));
        // HEAD then GET on one connection with curl.
        QProcess c;
        c.start("/usr/bin/curl", {"-sv", "-o", "/dev/null", "-I", base + "/v1/models/download/beta", "--next", "-s",
                                  "-o", "/dev/null", "-w", "%{http_code}", base + "/health"});
        QVERIFY(c.waitForFinished(30000));
        QCOMPARE(c.readAllStandardOutput(), QByteArray("200"));
        QVERIFY(c.readAllStandardError().contains("Re-using existing connection"));
    }

    void keepAlive()
    {
        // Two downloads and a Range request on one connection.
        QProcess c;
        c.start("/usr/bin/curl", {"-sv", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                                  base + "/v1/models/download/beta", base + "/v1/models/download/alpha",
                                  base + "/health"});
        QVERIFY(c.waitForFinished(60000));
        QCOMPARE(c.exitCode(), 0);
        const QString log = QString::fromUtf8(c.readAllStandardError());
        QCOMPARE(log.count("Re-using existing connection"), 2);
        QCOMPARE(log.count("Connected to"), 1);

        // A client that asks to close gets Connection: close and a closed connection.
        c.start("/usr/bin/curl", {"-sv", "-o", "/dev/null", "-o", "/dev/null", "-H", "Connection: close",
                                  base + "/health", base + "/health"});
        QVERIFY(c.waitForFinished(30000));
        const QString closed = QString::fromUtf8(c.readAllStandardError());
        QVERIFY2(!closed.contains("Re-using existing connection"), qPrintable(closed));
        QVERIFY(closed.contains("< Connection: close"));
    }

    void pipelinedRequestsAnswerInOrder()
    {
        // Two requests in one write: the second reply must wait for the first body.
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(s.waitForConnected(5000));
        s.write("GET /v1/models/download/beta HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET /v1/models/alpha HTTP/1.1\r\nHost: x\r\n\r\n");
        const qint64 size = 3 * MiB + 777;
        QByteArray all;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30000) {
            s.waitForReadyRead(200);
            all += s.readAll();
            const int second = all.indexOf("HTTP/1.1 200", int(size));
            if (second > 0 && all.indexOf("}", second) > 0)
                break;
        }
        const int headEnd = all.indexOf("\r\n\r\n");
        QVERIFY(all.startsWith("HTTP/1.1 200"));
        QVERIFY(headEnd > 0);
        const QByteArray body = all.mid(headEnd + 4, size);
        QCOMPARE(sha256Of(body), sha256OfFile(models() / "beta.onnx"));
        const QByteArray rest = all.mid(headEnd + 4 + size);
        QVERIFY2(rest.startsWith("HTTP/1.1 200"), rest.left(100).constData());
        QVERIFY(rest.contains("\"model_id\":\"alpha\""));
    }
};

ATMO_TEST_GUILESS_MAIN(PeerServerDownloadsTest)
#include "tst_app_peer_server_downloads.moc"
