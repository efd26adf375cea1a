// The peer server with real HTTP clients: curl (QProcess) and
// QNetworkAccessManager against `atmosphere serve` running in a child process
// (so its memory can be read honestly from /proc), plus a PeerServer inside
// this process for what only its API or its counters show. The downloads
// themselves (ranges, HEAD, keep-alive) are in tst_app_peer_server_downloads.cpp.
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <fstream>
#include <memory>

#include "app/mesh/BodyPump.h"
#include "app/mesh/PeerServer.h"
#include "core/mesh/model_library.h"
#include "core/mesh/package_offers.h"
#include "peer_server_fixture.h"
#include "test_main.h"

using namespace testutil;
using namespace peer_server_fixture;

class PeerServerTest : public QObject, public peer_server_fixture::PeerServerFixture {
    Q_OBJECT

    // Every JSON answer the server gives, to check none leaks a local path.
    QStringList jsonPaths() const
    {
        return {"/health", "/v1/models", "/v1/models/alpha", "/v1/models/alpha/chunks", "/v1/catalog",
                "/v1/peers", "/v1/packages", "/v1/models/nope", "/nope"};
    }

private slots:
    void initTestCase() { startServer(); }

    void cleanupTestCase() { stopServer(); }

    // What the window shows a colleague: the one address when bound to one;
    // bound to every address, this machine's LAN addresses, never 0.0.0.0.
    void reachableUrlsNameUsableAddresses()
    {
        PeerServer one;
        QVERIFY(one.configure({true, QHostAddress(QHostAddress::LocalHost), 0}));
        QCOMPARE(one.reachableUrls(), QStringList{QString("http://127.0.0.1:%1").arg(one.port())});
        PeerServer every;
        QVERIFY(every.configure({true, QHostAddress(QHostAddress::Any), 0}));
        QVERIFY(every.advertisedUrl().isEmpty());
        QSet<QString> lan;
        for (const QNetworkInterface& nif : QNetworkInterface::allInterfaces())
            if ((nif.flags() & QNetworkInterface::IsUp) && (nif.flags() & QNetworkInterface::IsRunning) &&
                !(nif.flags() & QNetworkInterface::IsLoopBack))
                for (const QNetworkAddressEntry& e : nif.addressEntries())
                    if (e.ip().protocol() == QAbstractSocket::IPv4Protocol && !e.ip().isLinkLocal())
                        lan << QString("http://%1:%2").arg(e.ip().toString()).arg(every.port());
        const QStringList urls = every.reachableUrls();
        QCOMPARE(QSet<QString>(urls.begin(), urls.end()), lan);
        for (const QString& url : urls)
            QVERIFY2(!url.contains("0.0.0.0") && !url.contains("127."), qPrintable(url));
        PeerServer off;
        QVERIFY(off.reachableUrls().isEmpty());
    }

    void health()
    {
        const Http r = curl("/health");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
        const QJsonObject o = r.json();
        QCOMPARE(o["status"].toString(), QString("ok"));
        QCOMPARE(o["models_available"].toInt(), 3);
        QCOMPARE(o["http_port"].toInt(), int(port));
        // The bridge's three fields exactly, plus the station's node id and name.
        QCOMPARE(o.keys(), (QStringList{"http_port", "models_available", "node_id", "node_name", "status"}));
        // PROTOCOL.md: the first 16 hex digits of SHA-256 over the node key.
        QVERIFY(QRegularExpression("^[0-9a-f]{16}$").match(o["node_id"].toString()).hasMatch());
        QCOMPARE(o["node_id"].toString(), stationNodeId(home()));
        QCOMPARE(o["node_name"].toString(), QString("line-7 bay")); // serve --name
    }

    void modelList()
    {
        const Http r = curl("/v1/models");
        QCOMPARE(r.status, 200);
        const QJsonArray list = r.json()["models"].toArray();
        QCOMPARE(list.size(), 3);
        QStringList ids;
        for (const QJsonValue& v : list) {
            const QJsonObject e = v.toObject();
            for (const char* field : {"model_id", "name", "type", "format", "size_bytes", "sha256", "version"})
                QVERIFY2(e.contains(field), field);
            ids << e["model_id"].toString();
        }
        QCOMPARE(ids, (QStringList{"alpha", "beta", "big"}));
        const QJsonObject alpha = list.at(0).toObject();
        QCOMPARE(alpha["format"].toString(), QString("gguf"));
        QCOMPARE(alpha["type"].toString(), QString("llm"));
        QCOMPARE(alpha["size_bytes"].toInteger(), 9 * MiB + 12345);
        QCOMPARE(alpha["sha256"].toString(), sha256OfFile(models() / "alpha.gguf"));

        const Http one = curl("/v1/models/beta");
        QCOMPARE(one.status, 200);
        QCOMPARE(one.json(), list.at(1).toObject());

        const Http missing = curl("/v1/models/nope");
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(missing.json(), (QJsonObject{{"error", "Model not found"}}));
    }

    void noLocalPathInAnyResponse()
    {
        const QByteArray sandbox = QByteArray::fromStdString(box.path().string());
        for (const QString& path : jsonPaths()) {
            const Http r = curl(path);
            QVERIFY2(r.status != 0, qPrintable(path + ": " + r.verbose));
            QVERIFY2(!r.body.contains(sandbox), qPrintable(path + " leaks a local path: " + r.body));
            for (const QByteArray& v : r.headers)
                QVERIFY2(!v.contains(sandbox), qPrintable(path + " leaks a local path in a header"));
        }
    }

    void unknownPathsAndMethods()
    {
        for (const QString path : {"/nope", "/v1", "/v1/models/", "/v1//models", "/v1/models/alpha/nope",
                                    "/v1/packages/a/b", "/health/x"}) {
            const Http r = curl(path);
            QVERIFY2(r.status == 404, qPrintable(path));
            QCOMPARE(r.json(), (QJsonObject{{"error", "Not found"}}));
        }
        for (const QString method : {"POST", "PUT", "DELETE"}) {
            const Http r = curl("/v1/models/download/alpha", {"-X", method});
            QCOMPARE(r.status, 405);
            QCOMPARE(r.header("Allow"), QByteArray("GET, HEAD"));
            QVERIFY(r.json().contains("error"));
        }
        QCOMPARE(curl("/nope", {"-X", "POST"}).status, 404); // an unknown path stays unknown
    }

    void hostileIds()
    {
        const QStringList paths = {
            "/v1/models/download/../../etc/passwd",
            "/v1/models/download/..%2F..%2Fetc%2Fpasswd",
            "/v1/models/download/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/v1/models/download/%2Fetc%2Fpasswd",
            "/v1/models/download/..%2Fsecret.txt",
            "/v1/models/download/%2E%2E",
            "/v1/models/download/notes",
            "/v1/models/download/notes.txt",
            "/v1/models/download/alpha.gguf",
            "/v1/models/..%2F..%2Fsecret.txt",
            "/v1/models/..%2Fsecret.txt/chunks",
            "/v1/packages/..%2F..%2Fsecret.txt/1.3/package.atmo",
            "/v1/packages/production-inspection/..%2F1.3/package.atmo",
            "/v1/packages/production-inspection/1.3/..%2F..%2Fsecret.txt",
            "/v1/packages/production-inspection/1.3/tier1.atmo%00",
            "/v1/packages/production-inspection/1.3/tier01.atmo",
            "/v1/packages/production-inspection/1.3/tier9.atmo",
            "/v1/packages/production-inspection/1.4/package.atmo",
            "/v1/packages/production-inspection/1.4/from-1.2.atmo",
            "/v1/packages/production-inspection/1.4/from-1.3-tier1.atmo",
            "/v1/packages/production-inspection/1.4/from-1.3.atmo%00",
            "/v1/packages/production-inspection/1.4/from-..%2F1.3.atmo",
            "/v1/packages/production-inspection/1.4/from-1.3",
            "/v1/packages/production-inspection/1.3/from-1.3.atmo",
        };
        for (const QString& path : paths) {
            const Http r = curl(path);
            QVERIFY2(r.status == 404, qPrintable(QString("%1: %2").arg(path).arg(r.status)));
            QVERIFY2(r.json().contains("error"), qPrintable(path));
            QVERIFY2(!r.body.contains("SECRET-CONTENT") && !r.body.contains("root:"), qPrintable(path));
        }
    }

    void chunkHashes()
    {
        const Http r = curl("/v1/models/alpha/chunks");
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json();
        QCOMPARE(o["model_id"].toString(), QString("alpha"));
        const qint64 chunk = o["chunk_size"].toInteger();
        QCOMPARE(chunk, qint64(atmo::kDefaultChunkHashSize));
        QCOMPARE(o["sha256"].toString(), sha256OfFile(models() / "alpha.gguf"));
        const QJsonArray chunks = o["chunks"].toArray();
        QCOMPARE(chunks.size(), 3);
        for (int i = 0; i < chunks.size(); ++i)
            QCOMPARE(chunks.at(i).toString(), sha256Of(fileBytes(models() / "alpha.gguf", i * chunk, chunk)));
        QCOMPARE(curl("/v1/models/nope/chunks").json(), (QJsonObject{{"error", "Model not found"}}));
        // The catalog says which chunk size the hashes use.
        QCOMPARE(curl("/v1/models/alpha").json()["chunk_size"].toInteger(), chunk);
    }

    void catalogAndPeers()
    {
        const Http r = curl("/v1/catalog");
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json();
        QCOMPARE(o["type"].toString(), QString("model_catalog"));
        QCOMPARE(o["node_id"].toString(), stationNodeId(home()));
        QCOMPARE(o["node_name"].toString(), QString("line-7 bay"));
        QCOMPARE(o["models"].toArray().size(), 3);
        QCOMPARE(o["transfer_endpoints"].toObject()["http"].toString(), base);
        QCOMPARE(o["ttl_seconds"].toInt(), 300);
        QVERIFY(o["timestamp"].toInteger() > 1600000000000LL);

        const Http peers = curl("/v1/peers");
        QCOMPARE(peers.status, 200);
        QCOMPARE(peers.json(), (QJsonObject{{"peers", QJsonArray()}}));
    }

    void packages()
    {
        const Http r = curl("/v1/packages");
        QCOMPARE(r.status, 200);
        const QJsonArray list = r.json()["packages"].toArray();
        QCOMPARE(list.size(), 2); // 1.3, and 1.4 held only as a delta
        const QJsonObject pkg = list.at(0).toObject();
        QVERIFY(!pkg.contains("deltas"));
        QCOMPARE(pkg["id"].toString(), QString("production-inspection"));
        QCOMPARE(pkg["version"].toString(), QString("1.3"));
        QCOMPARE(pkg["name"].toString(), QString("Production inspection"));
        QCOMPARE(pkg["tiers"].toArray(), (QJsonArray{1, 2}));
        const QJsonArray files = pkg["files"].toArray();
        QCOMPARE(files.size(), 2);
        const fs::path full = box / "out/production-inspection-v1.3.atmo";
        const fs::path tier1 = box / "out/production-inspection-v1.3-tier1.atmo";
        const QJsonObject f0 = files.at(0).toObject(), f1 = files.at(1).toObject();
        QCOMPARE(f0["variant"].toString(), QString("full"));
        QVERIFY(f0["tier"].isNull());
        QCOMPARE(f0["size_bytes"].toInteger(), qint64(fs::file_size(full)));
        QCOMPARE(f0["sha256"].toString(), sha256OfFile(full));
        QCOMPARE(f0["url"].toString(), QString("/v1/packages/production-inspection/1.3/package.atmo"));
        QCOMPARE(f1["variant"].toString(), QString("tier1"));
        QCOMPARE(f1["tier"].toInt(), 1);
        QCOMPARE(f1["sha256"].toString(), sha256OfFile(tier1));
        QCOMPARE(f1["url"].toString(), QString("/v1/packages/production-inspection/1.3/tier1.atmo"));

        // The archive by Range, resumed the way a client would.
        const qint64 size = qint64(fs::file_size(full));
        Http part = curl(f0["url"].toString(), {"-H", "Range: bytes=1000-"});
        QCOMPARE(part.status, 206);
        QCOMPARE(part.header("Content-Range"), QString("bytes 1000-%1/%2").arg(size - 1).arg(size).toLatin1());
        QCOMPARE(part.body, fileBytes(full, 1000));
        QCOMPARE(part.header("Content-Disposition"),
                 QByteArray("attachment; filename=\"production-inspection-v1.3.atmo\""));
        part = curl(f0["url"].toString(), {"-H", QString("Range: bytes=%1-").arg(size)});
        QCOMPARE(part.status, 416);
        QCOMPARE(part.header("Content-Range"), QString("bytes */%1").arg(size).toLatin1());
        const Http whole = curl(f1["url"].toString());
        QCOMPARE(whole.status, 200);
        QCOMPARE(sha256Of(whole.body), sha256OfFile(tier1));
        QCOMPARE(curl(f1["url"].toString(), {"-I"}).header("Content-Length").toLongLong(),
                 qint64(fs::file_size(tier1)));

        // The signed manifest and its signature, byte for byte as in the archive.
        QByteArray manifest, signature;
        for (const RawEntry& e : readTarEntries(full)) {
            if (e.path == "manifest.yaml")
                manifest = QByteArray::fromStdString(e.data);
            if (e.path == "manifest.yaml.minisig")
                signature = QByteArray::fromStdString(e.data);
        }
        QVERIFY(!manifest.isEmpty() && !signature.isEmpty());
        const Http m = curl(pkg["manifest_url"].toString());
        QCOMPARE(m.status, 200);
        QCOMPARE(m.body, manifest);
        QCOMPARE(curl(pkg["signature_url"].toString()).body, signature);
        const Http mr = curl(pkg["manifest_url"].toString(), {"-H", "Range: bytes=0-9"});
        QCOMPARE(mr.status, 206);
        QCOMPARE(mr.body, manifest.left(10));
        // 1.4 is offered as a delta onto 1.3 only: no files, no manifest
        // of its own (the delta's describes a change), the base named by
        // version and by the SHA-256 of 1.3's signed manifest.
        const QJsonObject v14 = list.at(1).toObject();
        QCOMPARE(v14["version"].toString(), QString("1.4"));
        QCOMPARE(v14["files"].toArray().size(), 0);
        QVERIFY(!v14.contains("manifest_url") && !v14.contains("signature_url"));
        QCOMPARE(curl("/v1/packages/production-inspection/1.4/manifest.yaml").json(), (QJsonObject{{"error", "Not found"}}));
        const QJsonArray deltas = v14["deltas"].toArray();
        QCOMPARE(deltas.size(), 1);
        const QJsonObject d = deltas.at(0).toObject();
        const fs::path deltaFile = box / "out/production-inspection-v1.4-from-v1.3.atmo";
        QCOMPARE(d["variant"].toString(), QString("from-1.3"));
        QCOMPARE(d["from"].toString(), QString("1.3"));
        QVERIFY(d["tier"].isNull());
        QCOMPARE(d["base_manifest_sha256"].toString(), sha256Of(manifest));
        QCOMPARE(d["file_name"].toString(), QString("production-inspection-v1.4-from-v1.3.atmo"));
        QCOMPARE(d["size_bytes"].toInteger(), qint64(fs::file_size(deltaFile)));
        QCOMPARE(d["sha256"].toString(), sha256OfFile(deltaFile));
        QCOMPARE(d["url"].toString(), QString("/v1/packages/production-inspection/1.4/from-1.3.atmo"));
        const Http got = curl(d["url"].toString(), {"-H", "Range: bytes=100-"});
        QCOMPARE(got.status, 206);
        QCOMPARE(got.body, fileBytes(deltaFile, 100));
        QCOMPARE(got.header("Content-Disposition"),
                 QByteArray("attachment; filename=\"production-inspection-v1.4-from-v1.3.atmo\""));
        // What this station's own client makes of it.
        auto parsed = atmo::parsePackageListing(r.body.toStdString());
        QVERIFY(parsed.ok() && parsed->skipped.empty());
        QCOMPARE(parsed->packages.size(), std::size_t(2));
        QCOMPARE(parsed->packages[1].deltas.size(), std::size_t(1));
        QCOMPARE(parsed->packages[1].deltas[0].deltaFrom, std::string("1.3"));
    }

    void hundredConcurrentClients()
    {
        // One QNetworkAccessManager per client: each opens its own connection
        // (one manager would queue them six at a time).
        const QString expected = sha256OfFile(models() / "beta.onnx");
        constexpr int clients = 100;
        std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
        std::vector<std::unique_ptr<QCryptographicHash>> hashes;
        std::vector<qint64> received(clients, 0);
        int finished = 0, failed = 0;
        QEventLoop loop;
        for (int i = 0; i < clients; ++i) {
            managers.push_back(std::make_unique<QNetworkAccessManager>());
            hashes.push_back(std::make_unique<QCryptographicHash>(QCryptographicHash::Sha256));
            QNetworkReply* reply = managers.back()->get(QNetworkRequest(QUrl(base + "/v1/models/download/beta")));
            reply->setReadBufferSize(64 * 1024);
            connect(reply, &QNetworkReply::readyRead, reply, [&, reply, i] {
                const QByteArray data = reply->readAll();
                received[size_t(i)] += data.size();
                hashes[size_t(i)]->addData(data);
            });
            connect(reply, &QNetworkReply::finished, reply, [&, reply, i] {
                const QByteArray data = reply->readAll();
                received[size_t(i)] += data.size();
                hashes[size_t(i)]->addData(data);
                if (reply->error() != QNetworkReply::NoError ||
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
                    ++failed;
                reply->deleteLater();
                if (++finished == clients)
                    loop.quit();
            });
        }
        QTimer::singleShot(180000, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(finished, clients);
        QCOMPARE(failed, 0);
        for (int i = 0; i < clients; ++i) {
            QCOMPARE(received[size_t(i)], 3 * MiB + 777);
            QCOMPARE(QString(hashes[size_t(i)]->result().toHex()), expected);
        }
    }

    void slowClientKeepsServerMemoryFlat()
    {
        const qint64 pid = server.processId();
        const qint64 before = procStatusKb(pid, "VmRSS:");
        QVERIFY(before > 0);

        // A client that asks for 256 MiB and then reads nothing.
        QTcpSocket slow;
        slow.setReadBufferSize(16 * 1024);
        slow.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(slow.waitForConnected(5000));
        slow.write("GET /v1/models/download/big HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(slow.waitForReadyRead(10000));
        QVERIFY(slow.peek(12) == "HTTP/1.1 200");

        // Meanwhile a fast client downloads the whole file; sample the server's RSS.
        QProcess fast;
        fast.start("/bin/sh", {"-c", "/usr/bin/curl -sS " + base + "/v1/models/download/big | sha256sum"});
        qint64 peak = 0;
        while (!fast.waitForFinished(20))
            peak = std::max(peak, procStatusKb(pid, "VmRSS:"));
        peak = std::max(peak, procStatusKb(pid, "VmRSS:"));
        QCOMPARE(fast.exitCode(), 0);
        QCOMPARE(QString(fast.readAllStandardOutput().left(64)), sha256OfFile(models() / "big.bin"));

        // The slow client is still stalled mid-body, and the server still answers.
        QCOMPARE(slow.state(), QAbstractSocket::ConnectedState);
        QCOMPARE(curl("/health").status, 200);
        peak = std::max(peak, procStatusKb(pid, "VmRSS:"));
        qInfo("server RSS: %lld KiB before, peak %lld KiB while a non-reading client holds a 256 MiB download "
              "and another downloads it all (VmHWM %lld KiB)",
              before, peak, procStatusKb(pid, "VmHWM:"));
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
        // A sanitizer build (installer/sanitize.sh) starts at 100+ MiB of shadow
        // memory and runtime: bound the growth instead, still far below the file.
        QVERIFY2(peak < before + 64 * 1024, qPrintable(QString("server RSS grew from %1 to %2 KiB").arg(before).arg(peak)));
#else
        QVERIFY2(peak < 64 * 1024, qPrintable(QString("server RSS reached %1 KiB").arg(peak)));
#endif
        slow.abort();
        QCOMPARE(curl("/health").status, 200);
    }

    void cliErrors()
    {
        auto r = cli({"serve", "--port", "70000", "--no-library-defaults"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--port") && r.err.contains("70000") && r.err.trimmed().count('\n') == 0,
                 qPrintable(r.err));
        r = cli({"serve", "--bind", "300.1.2.3", "--no-library-defaults"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--bind") && r.err.contains("300.1.2.3"), qPrintable(r.err));
        r = cli({"serve", "--port", "0", "--models", p("no-such-dir"), "--no-library-defaults"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no-such-dir") && r.err.trimmed().count('\n') == 0, qPrintable(r.err));
        r = cli({"serve", "--port", QString::number(port), "--bind", "127.0.0.1", "--no-library-defaults"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QString::number(port)) && r.err.contains("in use"), qPrintable(r.err));
    }

    // ---- a PeerServer in this process -----------------------------------

    void inProcessConfigAndData()
    {
        PeerServer s;
        QVERIFY(!s.isListening());
        QString error;
        QVERIFY(s.configure({.enabled = true, .address = QHostAddress::LocalHost, .port = 0}, &error));
        QVERIFY(s.isListening());
        QVERIFY(s.port() != 0);
        QCOMPARE(s.url(), QString("http://127.0.0.1:%1").arg(s.port()));

        // The port of the other server is taken.
        PeerServer clash;
        QVERIFY(!clash.configure({.enabled = true, .address = QHostAddress::LocalHost, .port = port}, &error));
        QVERIFY2(error.contains(QString::number(port)) && error.contains("in use"), qPrintable(error));
        QVERIFY(!clash.isListening());

        s.setIdentity({.nodeId = "0123456789abcdef0123456789abcdef", .name = "bench", .meshId = "m",
                       .httpEndpoint = "http://10.0.0.5:14345", .ttlSeconds = 120});
        s.setPeers({{"fedcba9876543210", "other", "http://10.0.0.7:14345", 1700000000000, atmo::PeerOrigin::Mdns}});

        QNetworkAccessManager nam;
        auto get = [&](const QString& path) {
            QNetworkReply* reply = nam.get(QNetworkRequest(QUrl(s.url() + path)));
            QEventLoop loop;
            connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(20000, &loop, &QEventLoop::quit);
            loop.exec();
            const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
            reply->deleteLater();
            return o;
        };
        QCOMPARE(get("/health")["models_available"].toInt(), 0);
        const QJsonObject catalog = get("/v1/catalog");
        QCOMPARE(catalog["node_id"].toString(), QString("0123456789abcdef0123456789abcdef"));
        QCOMPARE(catalog["transfer_endpoints"].toObject()["http"].toString(), QString("http://10.0.0.5:14345"));
        QCOMPARE(catalog["ttl_seconds"].toInt(), 120);
        const QJsonArray peers = get("/v1/peers")["peers"].toArray();
        QCOMPARE(peers.size(), 1);
        QCOMPARE(peers.at(0).toObject()["endpoint"].toString(), QString("http://10.0.0.7:14345"));
        QCOMPARE(get("/v1/packages")["packages"].toArray().size(), 0); // no store set

        // Switched off: nobody answers.
        const quint16 was = s.port();
        QVERIFY(s.configure({.enabled = false}));
        QVERIFY(!s.isListening());
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, was);
        QVERIFY(!probe.waitForConnected(2000));
    }

    void inProcessSlowClientAndDisconnect_data()
    {
        QTest::addColumn<bool>("zeroCopy");
        QTest::newRow("sendfile") << true;
        QTest::newRow("through Qt's buffer") << false;
    }

    void inProcessSlowClientAndDisconnect()
    {
        // The pump's own counters: what one connection holds in user space,
        // and that a client leaving mid-body leaves no open file behind.
        QFETCH(bool, zeroCopy);
        BodyPump::setZeroCopy(zeroCopy);
        auto restore = qScopeGuard([] { BodyPump::setZeroCopy(true); });
        Sandbox local;
        writeRandomFile(local / "lib/huge.bin", 64 * MiB, 21);
        atmo::HashCache cache(local / "hashes.json");
        auto scan = atmo::scanLibrary({{atmo::LibraryRootKind::Folder, local / "lib"}}, cache, nullptr, {});
        QVERIFY(scan.ok());
        QCOMPARE(scan->models.size(), size_t(1));

        PeerServer s;
        QVERIFY(s.configure({.enabled = true, .address = QHostAddress::LocalHost, .port = 0}));
        s.setModels(scan->models);
        BodyPump::resetPeak();
        const auto start = BodyPump::stats();

        QTcpSocket slow;
        slow.setReadBufferSize(16 * 1024);
        slow.connectToHost(QHostAddress::LocalHost, s.port());
        QVERIFY(slow.waitForConnected(5000));
        slow.write("GET /v1/models/download/huge HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(waitFor([&] { return BodyPump::stats().openFiles == start.openFiles + 1; }, 10000));

        QNetworkAccessManager nam;
        QNetworkReply* reply = nam.get(QNetworkRequest(QUrl(s.url() + "/v1/models/download/huge")));
        reply->setReadBufferSize(256 * 1024);
        QCryptographicHash hash(QCryptographicHash::Sha256);
        connect(reply, &QNetworkReply::readyRead, reply, [&] { hash.addData(reply->readAll()); });
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(120000, &loop, &QEventLoop::quit);
        loop.exec();
        QVERIFY(reply->isFinished());
        hash.addData(reply->readAll());
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(QString(hash.result().toHex()), QString::fromStdString(scan->models[0].entry.sha256));
        reply->deleteLater();

        auto st = BodyPump::stats();
        QCOMPARE(st.openFiles, start.openFiles + 1); // the slow client's body, still stalled
        qInfo("peak bytes one connection held in user space: %llu KiB", qulonglong(st.peakBuffered / 1024));
        QVERIFY2(st.peakBuffered <= BodyPump::kBlock + BodyPump::kLowWater + 4096,
                 qPrintable(QString("a connection buffered %1 bytes").arg(st.peakBuffered)));

        slow.abort();
        QVERIFY(waitFor([&] { return BodyPump::stats().openFiles == start.openFiles; }, 10000));
        QVERIFY(BodyPump::stats().bodiesAborted > start.bodiesAborted);
    }

    void inProcessFileChangedSinceListed()
    {
        Sandbox local;
        writeRandomFile(local / "lib/m.onnx", 100000, 31);
        atmo::HashCache cache(local / "hashes.json");
        auto scan = atmo::scanLibrary({{atmo::LibraryRootKind::Folder, local / "lib"}}, cache, nullptr, {});
        QVERIFY(scan.ok());
        PeerServer s;
        QVERIFY(s.configure({.enabled = true, .address = QHostAddress::LocalHost, .port = 0}));
        s.setModels(scan->models);
        writeRandomFile(local / "lib/m.onnx", 100001, 32); // replaced after the scan

        QNetworkAccessManager nam;
        QNetworkReply* reply = nam.get(QNetworkRequest(QUrl(s.url() + "/v1/models/download/m")));
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(20000, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 409);
        QVERIFY(QJsonDocument::fromJson(reply->readAll()).object()["error"].toString().contains("changed"));
        reply->deleteLater();
    }
};

ATMO_TEST_GUILESS_MAIN(PeerServerTest)
#include "tst_app_peer_server.moc"
