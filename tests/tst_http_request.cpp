// core/transfer/http_request: the peer server's bounded request-head parser, byte by
// byte: what it accepts, what it refuses with which status, and that it never
// needs more than its limits to decide.
#include <QtTest>

#include "core/transfer/http_request.h"
#include "test_main.h"

using atmo::HttpHeadLimits;
using atmo::HttpHeadParse;
using atmo::parseRequestHead;
using State = HttpHeadParse::State;

class HttpRequestTest : public QObject {
    Q_OBJECT

    static HttpHeadParse parse(const QByteArray& bytes, const HttpHeadLimits& limits = {})
    {
        return parseRequestHead(std::string_view(bytes.constData(), std::size_t(bytes.size())), limits);
    }

private slots:
    void simpleGet()
    {
        const QByteArray req = "GET /v1/models?x=1 HTTP/1.1\r\nHost: a\r\nRange:  bytes=0-9 \r\n\r\nNEXT";
        const auto p = parse(req);
        QCOMPARE(p.state, State::Complete);
        QCOMPARE(p.size, std::size_t(req.size() - 4));
        QCOMPARE(p.head.method, std::string("GET"));
        QCOMPARE(p.head.target, std::string("/v1/models?x=1"));
        QCOMPARE(p.head.minorVersion, 1);
        QCOMPARE(p.head.field("range"), std::string("bytes=0-9"));
        QVERIFY(p.head.keepAlive);
        QCOMPARE(p.head.contentLength, std::uint64_t(0));
    }

    void incompleteAtEveryByte()
    {
        const QByteArray req = "HEAD /health HTTP/1.0\nConnection: keep-alive\nContent-Length: 3\n\n";
        for (int n = 0; n < req.size(); ++n)
            QCOMPARE(parse(req.left(n)).state, State::Incomplete);
        const auto p = parse(req);
        QCOMPARE(p.state, State::Complete);
        QVERIFY(p.head.keepAlive); // HTTP/1.0 with keep-alive
        QCOMPARE(p.head.contentLength, std::uint64_t(3));
    }

    void connectionSemantics()
    {
        QVERIFY(!parse("GET / HTTP/1.0\r\n\r\n").head.keepAlive);
        QVERIFY(!parse("GET / HTTP/1.1\r\nConnection: foo, Close\r\n\r\n").head.keepAlive);
        // A value longer than a short string's inline buffer, spread over two
        // fields: the joined text lives on the heap (ASan once caught the
        // tokens being read after that text was freed).
        QVERIFY(!parse("GET / HTTP/1.1\r\nConnection: upgrade-insecure-requests-token\r\n"
                       "Connection: another-long-token, close\r\n\r\n")
                     .head.keepAlive);
        QVERIFY(parse("HEAD / HTTP/1.0\r\nConnection: some-long-connection-token, Keep-Alive\r\n\r\n").head.keepAlive);
        QCOMPARE(parse("GET / HTTP/1.1\r\nA: 1\r\na: 2\r\n\r\n").head.field("A"), std::string("1, 2"));
    }

    void leadingEmptyLinesIgnored()
    {
        const auto p = parse("\r\n\nGET / HTTP/1.1\r\n\r\n");
        QCOMPARE(p.state, State::Complete);
        QCOMPARE(p.head.target, std::string("/"));
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::newRow("request line too long") << "GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\n\r\n" << 414;
        QTest::newRow("request line too long, unfinished") << "GET /" + QByteArray(9000, 'a') << 414;
        QTest::newRow("head too large") << "GET / HTTP/1.1\r\nX: " + QByteArray(33000, 'a') + "\r\n\r\n" << 431;
        QTest::newRow("head too large, unfinished") << "GET / HTTP/1.1\r\nX: " + QByteArray(33000, 'a') << 431;
        QTest::newRow("empty lines forever") << QByteArray(40000, '\n') << 431;
        QByteArray many = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 101; ++i)
            many += "X: y\r\n";
        QTest::newRow("101 fields") << many + "\r\n" << 431;
        QTest::newRow("body too large") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 16385\r\n\r\n") << 413;
        QTest::newRow("body 2^64") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 18446744073709551616\r\n\r\n")
                                   << 413;
        QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") << 413;
        QTest::newRow("chunked and length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n") << 413;
        QTest::newRow("two lengths") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n")
                                     << 400;
        QTest::newRow("length list") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\n") << 400;
        QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nContent-Length : 3\r\n\r\n") << 400;
        QTest::newRow("folded line") << QByteArray("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n") << 400;
        QTest::newRow("control character") << QByteArray("GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n") << 400;
        QTest::newRow("bare CR in value") << QByteArray("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n") << 400;
        QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << 400;
        QTest::newRow("two spaces") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("space in target") << QByteArray("GET /a b HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("byte 0x80 in target") << QByteArray("GET /\x80 HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
        QTest::newRow("TLS hello") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n", 12) << 400;
    }

    void refused()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        const auto p = parse(bytes);
        QCOMPARE(p.state, State::Invalid);
        QCOMPARE(p.status, status);
        QVERIFY(!p.reason.empty());
    }

    void lengthWithLeadingZerosAccepted()
    {
        const auto p = parse("GET / HTTP/1.1\r\nContent-Length: 000000000000000000000012\r\n\r\n");
        QCOMPARE(p.state, State::Complete);
        QCOMPARE(p.head.contentLength, std::uint64_t(12));
    }

    void limitsAreTheCallers()
    {
        HttpHeadLimits small;
        small.maxRequestLine = 16;
        small.maxHead = 64;
        small.maxFields = 1;
        small.maxBody = 0;
        QCOMPARE(parse("GET /0123456789ab HTTP/1.1\r\n\r\n", small).status, 414);
        QCOMPARE(parse("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", small).status, 431);
        QCOMPARE(parse("GET / HTTP/1.1\r\nContent-Length: 1\r\n\r\n", small).status, 413);
        QCOMPARE(parse("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", small).state, State::Complete);
    }
};

ATMO_TEST_GUILESS_MAIN(HttpRequestTest)
#include "tst_http_request.moc"
