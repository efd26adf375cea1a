// Hostile clients against a real `atmosphere serve` on 127.0.0.1: huge and
// chunked bodies, huge request lines and headers, slowloris heads, idle and
// slow-reading connections, too many connections, path traversal. The server
// runs in a child process, so its memory is read honestly from /proc.
//
// Limits are shortened for speed with ATMOSPHERE_SERVE_LIMITS (ServeLimits.h);
// nothing here asserts how fast the server reacts, only that it does within
// a generous wait, and what it answers.
#include <QTcpSocket>
#include <QtTest>

#include <memory>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "mesh_processes.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

constexpr qint64 MiB = 1024 * 1024;
constexpr int kGenerous = 60000; // ms: how long we wait for what must happen

qint64 rssKb(qint64 pid)
{
    QFile f(QString("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// The server ended the connection: FIN or RST seen by our kernel, whether or
// not we have read what came before it.
bool peerClosed(QTcpSocket& s)
{
    switch (s.state()) {
    case QAbstractSocket::UnconnectedState: return true;
    case QAbstractSocket::HostLookupState:
    case QAbstractSocket::ConnectingState: return false; // not even open yet
    default: break;
    }
    tcp_info info{};
    socklen_t len = sizeof info;
    if (::getsockopt(int(s.socketDescriptor()), IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
        return true;
    return info.tcpi_state != TCP_ESTABLISHED && info.tcpi_state != TCP_SYN_SENT;
}

// Reads what the server sent before it closed (still in our kernel's buffer
// when peerClosed() saw the FIN or RST).
void drain(QTcpSocket& s, QByteArray& data)
{
    data += s.readAll();
    while (s.state() == QAbstractSocket::ConnectedState && s.waitForReadyRead(2000))
        data += s.readAll();
    data += s.readAll();
}

int statusOf(const QByteArray& data) { return data.startsWith("HTTP/1.") ? data.mid(9, 3).toInt() : 0; }

// A whole response (head and Content-Length body) is in `data`.
bool completeResponse(const QByteArray& data)
{
    const qsizetype end = data.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    qint64 length = 0;
    for (const QByteArray& line : data.left(end).split('\n'))
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
    return data.size() >= end + 4 + length;
}

struct Exchange {
    QByteArray data;     // what the server sent
    bool closed = false; // and it closed the connection
    int status() const { return statusOf(data); }
};

// Sends `bytes` on a new connection; collects the reply until the server
// closes, or (closeExpected false) until one whole response is in.
Exchange exchange(quint16 port, const QByteArray& bytes, bool closeExpected = true)
{
    Exchange r;
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(10000))
        return r;
    s.write(bytes);
    waitFor([&] {
        r.data += s.readAll();
        return peerClosed(s) || (!closeExpected && completeResponse(r.data));
    }, kGenerous);
    r.closed = peerClosed(s);
    if (r.closed)
        drain(s, r.data);
    return r;
}

std::unique_ptr<ServeProcess> startServe(const fs::path& home, const QByteArray& limits,
                                         const QStringList& extra = {})
{
    qputenv("ATMOSPHERE_SERVE_LIMITS", limits);
    auto p = std::make_unique<ServeProcess>(home, extra);
    qunsetenv("ATMOSPHERE_SERVE_LIMITS");
    return p;
}

} // namespace

class ServeHostileTest : public QObject {
    Q_OBJECT

    Sandbox box;
    std::unique_ptr<ServeProcess> serve; // default limits, but a short request timeout
    quint16 port = 0;
    qint64 idleRss = 0;

    QString modelsDir() const { return QString::fromStdString((box / "models").string()); }
    static quint16 portOf(const ServeProcess& p) { return quint16(QUrl(p.url()).port()); }

    int health(quint16 onPort)
    {
        return exchange(onPort, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " is not built"));
        writeRandomFile(box / "models" / "big.bin", 64 * MiB, 7);
        writeFile(box / "secret.txt", "SECRET-OUTSIDE-THE-LIBRARY\n");
        serve = startServe(box / "home", "header_timeout_ms=2000", {"--models", modelsDir()});
        QVERIFY(serve->ok());
        port = portOf(*serve);
        QCOMPARE(health(port), 200);
        idleRss = rssKb(serve->process().processId());
        QVERIFY(idleRss > 0);
    }

    void cleanup()
    {
        // Whatever a test did, the server is up and answers.
        QCOMPARE(serve->process().state(), QProcess::Running);
        QCOMPARE(health(port), 200);
    }

    void hugeBodyRefusedBeforeItIsRead()
    {
        // Only the head: the answer must not wait for a body.
        const Exchange r = exchange(port, "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n");
        QCOMPARE(r.status(), 413);
        QVERIFY(r.closed);
        QVERIFY(r.data.contains("Connection: close"));
    }

    void hugeBodyKeepsMemoryFlat()
    {
        // 256 MiB of body pushed as fast as the server takes it.
        const qint64 pid = serve->process().processId();
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(s.waitForConnected(10000));
        s.write("PUT /v1/models/x HTTP/1.1\r\nHost: x\r\nContent-Length: 268435456\r\n\r\n");
        const QByteArray block(MiB, 'x');
        qint64 sent = 0, peak = 0;
        while (sent < 256 * MiB && !peerClosed(s)) {
            s.write(block);
            sent += MiB;
            waitFor([&] { return s.bytesToWrite() < MiB || peerClosed(s); }, kGenerous);
            peak = std::max(peak, rssKb(pid));
        }
        waitFor([&] { return peerClosed(s); }, kGenerous);
        peak = std::max(peak, rssKb(pid));
        qInfo("server RSS %lld KiB idle, peak %lld KiB while a client pushed %lld MiB of body", idleRss, peak,
              sent / MiB);
        QVERIFY2(peak < idleRss + 64 * 1024, qPrintable(QString("server RSS reached %1 KiB").arg(peak)));
        QVERIFY2(peerClosed(s), "the server never closed the connection");
        QVERIFY2(sent < 256 * MiB, "the server read the whole body");
    }

    void chunkedBodyRefused()
    {
        const Exchange r = exchange(port, "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                          "1000\r\n" + QByteArray(4096, 'x'));
        QCOMPARE(r.status(), 413);
        QVERIFY(r.closed);
    }

    void oversizedHeads_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("40 KiB header field")
            << "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(40 * 1024, 'a') + "\r\n\r\n" << 431;
        QByteArray many = "GET /health HTTP/1.1\r\nHost: x\r\n";
        for (int i = 0; i < 500; ++i)
            many += "X-" + QByteArray::number(i) + ": y\r\n";
        QTest::newRow("500 header fields") << many + "\r\n" << 431;
        QTest::newRow("head never ending, 64 KiB") << "GET /health HTTP/1.1\r\n" + QByteArray(64 * 1024, 'a') << 431;
        QTest::newRow("9 KiB request line") << "GET /" + QByteArray(9 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"
                                            << 414;
        QTest::newRow("64 KiB request line, no end") << "GET /" + QByteArray(64 * 1024, 'a') << 414;
    }

    void oversizedHeads()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        const Exchange r = exchange(port, request);
        QCOMPARE(r.status(), status);
        QVERIFY(r.closed);
    }

    void slowClientsAreClosed_data()
    {
        QTest::addColumn<QByteArray>("first");   // sent at once
        QTest::addColumn<QByteArray>("trickle"); // then one byte of this every 200 ms, over and over
        QTest::addColumn<int>("status");         // what the server answers before it closes (0: nothing)
        QTest::newRow("head never finished") << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\n") << QByteArray()
                                             << 408;
        QTest::newRow("head one byte at a time") << QByteArray("GET /health HTTP/1.1\r\n")
                                                 << QByteArray("X-Slow: yes\r\n") << 408;
        QTest::newRow("first byte only") << QByteArray("G") << QByteArray() << 408;
        QTest::newRow("small body never finished")
            << QByteArray("GET /health HTTP/1.1\r\nContent-Length: 100\r\n\r\nab") << QByteArray("c") << 408;
    }

    void slowClientsAreClosed()
    {
        QFETCH(QByteArray, first);
        QFETCH(QByteArray, trickle);
        QFETCH(int, status);
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(s.waitForConnected(10000));
        s.write(first);
        QTimer drip;
        int next = 0;
        connect(&drip, &QTimer::timeout, &s, [&] {
            if (!trickle.isEmpty() && s.state() == QAbstractSocket::ConnectedState)
                s.write(trickle.mid(next++ % trickle.size(), 1));
        });
        drip.start(200);
        QByteArray data;
        const bool closed = waitFor([&] {
            data += s.readAll();
            return peerClosed(s);
        }, kGenerous);
        drain(s, data);
        QVERIFY2(closed, "the server kept a slow client's connection open");
        QCOMPARE(statusOf(data), status);
    }

    void idleKeepAliveIsClosed()
    {
        auto quick = startServe(box / "home-idle", "idle_timeout_ms=1000");
        QVERIFY(quick->ok());
        const Exchange r = exchange(portOf(*quick), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", false);
        QCOMPARE(r.status(), 200);
        // exchange() returned after the reply; a fresh socket waits for the close.
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, portOf(*quick));
        QVERIFY(s.waitForConnected(10000));
        s.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        QByteArray data;
        QVERIFY2(waitFor([&] {
            data += s.readAll();
            return completeResponse(data);
        }, kGenerous), data.constData());
        QCOMPARE(statusOf(data), 200);
        QVERIFY2(waitFor([&] { return peerClosed(s); }, kGenerous), "an idle keep-alive connection stayed open");
    }

    void silentNewConnectionIsClosed()
    {
        // A connection that never sends a byte holds a slot like any other:
        // the first request's clock starts at accept, not at its first byte
        // (with the idle timeout long, only the request timeout can close it).
        auto quick = startServe(box / "home-silent", "header_timeout_ms=500,idle_timeout_ms=600000");
        QVERIFY(quick->ok());
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, portOf(*quick));
        QVERIFY(s.waitForConnected(10000));
        QVERIFY2(waitFor([&] { return peerClosed(s); }, kGenerous), "a silent connection stayed open");
    }

    void slowReaderIsDropped()
    {
        // A reply the client takes at far under the floor (it reads nothing
        // after the head), with the floor and window shortened.
        auto quick = startServe(box / "home-slow", "min_send_rate=1048576,send_rate_window_ms=1000",
                                {"--models", modelsDir()});
        QVERIFY(quick->ok());
        QTcpSocket s;
        s.setReadBufferSize(16 * 1024);
        s.connectToHost(QHostAddress::LocalHost, portOf(*quick));
        QVERIFY(s.waitForConnected(10000));
        s.write("GET /v1/models/download/big HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(waitFor([&] { return s.bytesAvailable() >= 12; }, kGenerous));
        QCOMPARE(statusOf(s.peek(12)), 200);
        QVERIFY2(waitFor([&] { return peerClosed(s); }, kGenerous), "a client reading at a trickle was kept");
        QCOMPARE(quick->process().state(), QProcess::Running);
    }

    void connectionCaps_data()
    {
        QTest::addColumn<QByteArray>("limits");
        QTest::addColumn<int>("cap");
        QTest::newRow("per client") << QByteArray("per_client=4") << 4;
        QTest::newRow("in all") << QByteArray("per_client=100,connections=4") << 4;
    }

    void connectionCaps()
    {
        QFETCH(QByteArray, limits);
        QFETCH(int, cap);
        auto capped = startServe(box / ("home-cap-" + std::to_string(cap) + limits.toStdString()), limits);
        QVERIFY(capped->ok());
        const quint16 p = portOf(*capped);
        const QByteArray get = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";

        // `cap` kept-alive connections, each answered.
        std::vector<std::unique_ptr<QTcpSocket>> held;
        for (int i = 0; i < cap; ++i) {
            held.push_back(std::make_unique<QTcpSocket>());
            QTcpSocket& s = *held.back();
            s.connectToHost(QHostAddress::LocalHost, p);
            QVERIFY(s.waitForConnected(10000));
            s.write(get);
            QByteArray data;
            QVERIFY(waitFor([&] {
                data += s.readAll();
                return completeResponse(data);
            }, kGenerous));
            QCOMPARE(statusOf(data), 200);
        }
        // One more is turned away: 503, or closed with nothing said.
        const Exchange over = exchange(p, get);
        QVERIFY2(over.closed, "a connection over the cap stayed open");
        QVERIFY2(over.status() == 503 || over.status() == 0, over.data.constData());

        // Once one goes, there is room again.
        held.front()->abort();
        QVERIFY(waitFor([&] { return exchange(p, get, false).status() == 200; }, kGenerous));
    }

    void fiveHundredSlowConnections()
    {
        // 500 connections that each start a request and never finish it: the
        // server refuses those over its caps at once, times the rest out,
        // stays within its memory and answers afterwards.
        const qint64 pid = serve->process().processId();
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        int connected = 0;
        for (int i = 0; i < 500; ++i) {
            sockets.push_back(std::make_unique<QTcpSocket>());
            QTcpSocket* s = sockets.back().get();
            connect(s, &QTcpSocket::connected, s, [s, &connected] {
                ++connected;
                s->write("GET /health HTTP/1.1\r\nX-Slow: ");
            });
            s->connectToHost(QHostAddress::LocalHost, port);
        }
        qint64 peak = 0;
        const bool allClosed = waitFor([&] {
            peak = std::max(peak, rssKb(pid));
            if (connected < 500)
                return false;
            for (auto& s : sockets)
                if (s->state() != QAbstractSocket::UnconnectedState && !peerClosed(*s))
                    return false;
            return true;
        }, 120000);
        int open = 0;
        for (auto& s : sockets)
            open += s->state() != QAbstractSocket::UnconnectedState && !peerClosed(*s) ? 1 : 0;
        qInfo("server RSS %lld KiB idle, peak %lld KiB with 500 slow connections", idleRss, peak);
        QCOMPARE(connected, 500);
        QVERIFY2(allClosed, qPrintable(QString("%1 of 500 slow connections still open").arg(open)));
        QVERIFY2(peak < idleRss + 64 * 1024, qPrintable(QString("server RSS reached %1 KiB").arg(peak)));
        sockets.clear();
        QCOMPARE(health(port), 200);
    }

    void pathTraversal_data()
    {
        QTest::addColumn<QByteArray>("target");
        for (const char* t : {"/v1/models/download/../../secret.txt", "/v1/models/download/..%2F..%2Fsecret.txt",
                              "/v1/models/download/%2e%2e%2f%2e%2e%2fsecret.txt", "/../../../etc/passwd",
                              "/v1/models/download/..\\..\\secret.txt", "//etc/passwd",
                              "/v1/models/download/%2fetc%2fpasswd", "/v1/packages/..%2f..%2f/1/package.atmo",
                              "/v1/models/download/big/../../../secret.txt", "http://x/../../etc/passwd",
                              "/v1/models/download/big%00.txt", "/v1/models/download/%c0%ae%c0%ae%2fsecret.txt"})
            QTest::newRow(t) << QByteArray(t);
    }

    void pathTraversal()
    {
        QFETCH(QByteArray, target);
        const Exchange r = exchange(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QCOMPARE(r.status(), 404);
        QVERIFY(!r.data.contains("SECRET") && !r.data.contains("root:"));
    }
};

ATMO_TEST_GUILESS_MAIN(ServeHostileTest)
#include "tst_app_serve_hostile.moc"
