// The transfer messages (core/transfer/transfer_messages.h): every message
// round-trips through its JSON; payloads written the way the mesh's Python
// nodes write them (json.dumps: spaces after ':' and ',', nulls, no
// chunk_sha256) parse; and hostile payloads are each refused with BadData
// naming the field, after a self-check that the unmodified payload parses.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/base/base64.h"
#include "core/base/sha256.h"
#include "core/transfer/transfer_messages.h"
#include "test_main.h"

using namespace atmo;
using json = nlohmann::json;

namespace {

const std::string kSha = sha256Hex("the whole model");

template <class T>
T parsedAs(const std::string& payload)
{
    auto r = parseTransferMessage(payload);
    if (!r)
        qFatal("did not parse: %s\n%s", r.message().c_str(), payload.c_str());
    if (!std::holds_alternative<T>(*r))
        qFatal("parsed as another message: %s", payload.c_str());
    return std::get<T>(*r);
}

json goodStart()
{
    return {{"type", "model_transfer_start"}, {"request_id", "req-1"}, {"model_id", "pallet-detector-model"},
            {"total_bytes", 200000}, {"total_chunks", 4}, {"chunk_size", 65536}, {"sha256", kSha},
            {"metadata", {{"filename", "model.onnx"}}}, {"transfer_method", "websocket_chunked"}};
}

json goodChunk()
{
    const std::string bytes(1000, 'x');
    return {{"type", "model_transfer_chunk"}, {"request_id", "req-1"}, {"model_id", "pallet-detector-model"},
            {"chunk_index", 3}, {"total_chunks", 4}, {"chunk_bytes", base64Encode(bytes)},
            {"chunk_sha256", sha256Hex(bytes)}};
}

json goodRequest()
{
    return {{"type", "model_request"}, {"request_id", "req-1"}, {"requester_node_id", "a1b2c3d4e5f60718"},
            {"target_node_id", "llamafarm-unknown"}, {"model_id", "pallet-detector-model"},
            {"resume_from_byte", 0}, {"transport", "websocket"}};
}

json goodCancel()
{
    return {{"type", "model_transfer_cancel"}, {"request_id", "req-1"}, {"model_id", "pallet-detector-model"},
            {"reason", "timeout"}, {"message", "no ack"}, {"cancelled_by", "a1b2c3d4e5f60718"}};
}

json goodAck() { return {{"type", "model_transfer_chunk_ack"}, {"request_id", "req-1"}, {"chunk_index", 2}, {"status", "received"}}; }

} // namespace

class TstTransferMessages : public QObject {
    Q_OBJECT

private slots:
    void roundTrips()
    {
        ModelRequest req{"req-1", "a1b2c3d4e5f60718", "b2c3d4e5f6071829", "tiny-llm", 131072, TransferTransport::WebSocket};
        QVERIFY(parsedAs<ModelRequest>(transferMessageJson(req)) == req);
        req.transport = TransferTransport::Http;
        QVERIFY(parsedAs<ModelRequest>(transferMessageJson(req)) == req);

        TransferStart start{"req-1", "tiny-llm", 65537, 2, 65536, kSha, R"({"filename":"m.gguf","n":[1,2]})",
                            TransferMethod::WebSocketChunked};
        QVERIFY(parsedAs<TransferStart>(transferMessageJson(start)) == start);

        std::string bytes(65536, '\0');
        for (std::size_t i = 0; i < bytes.size(); ++i)
            bytes[i] = char(i * 7);
        TransferChunk chunk{"req-1", "tiny-llm", 0, 2, bytes, sha256Hex(bytes)};
        QVERIFY(parsedAs<TransferChunk>(transferMessageJson(chunk)) == chunk);
        chunk.chunkSha256.clear(); // optional: absent on the wire, absent after
        const std::string noHash = transferMessageJson(chunk);
        QVERIFY(!json::parse(noHash).contains("chunk_sha256"));
        QVERIFY(parsedAs<TransferChunk>(noHash) == chunk);

        ChunkAck ack{"req-1", 1, "received"};
        QVERIFY(parsedAs<ChunkAck>(transferMessageJson(ack)) == ack);

        TransferComplete done{"req-1", "tiny-llm", 65537, kSha, kSha, "verified", "tiny-llm.gguf"};
        QVERIFY(parsedAs<TransferComplete>(transferMessageJson(done)) == done);

        for (CancelReason r : {CancelReason::HashMismatch, CancelReason::Timeout, CancelReason::NetworkError,
                               CancelReason::UserCancelled, CancelReason::StorageFull}) {
            TransferCancel c{"req-1", "tiny-llm", r, "why", "a1b2c3d4e5f60718"};
            QVERIFY(parsedAs<TransferCancel>(transferMessageJson(c)) == c);
        }

        TransferProgress p;
        p.requestId = "req-1";
        p.modelId = "tiny-llm";
        p.progress.bytesDownloaded = 65536;
        p.progress.totalBytes = 65537;
        p.progress.rate = 125000; // 1 Mbps
        p.progress.chunksReceived = 1;
        p.progress.totalChunks = 2;
        completeProgress(p.progress);
        const std::string text = transferMessageJson(p);
        const json j = json::parse(text);
        for (const char* key : {"bytes_downloaded", "total_bytes", "progress_percent", "transfer_rate_mbps",
                                "eta_seconds", "chunks_received", "total_chunks"})
            QVERIFY2(j.contains(key), key);
        QCOMPARE(j["transfer_rate_mbps"].get<double>(), 1.0);
        const auto back = parsedAs<TransferProgress>(text);
        QCOMPARE(back.progress.bytesDownloaded, 65536u);
        QCOMPARE(back.progress.chunksReceived, 1u);
        QCOMPARE(back.progress.totalChunks, 2u);
        QCOMPARE(back.progress.rate, 125000.0);
        QVERIFY(back.progress.etaSeconds.has_value());

        // The variant overload writes the same text.
        QCOMPARE(transferMessageJson(TransferMessage(ack)), transferMessageJson(ack));
        QCOMPARE(transferChunkCount(0, 65536), 0u);
        QCOMPARE(transferChunkCount(65536, 65536), 1u);
        QCOMPARE(transferChunkCount(65537, 65536), 2u);
    }

    // Written by hand from PROTOCOL.md as Python's json.dumps writes a dict:
    // ", " and ": " separators, insertion order, None as null, hexdigest()
    // lowercase, base64.b64encode(...).decode(), no chunk_sha256.
    void pythonShapedPayloadsParse()
    {
        const auto req = parsedAs<ModelRequest>(
            R"({"type": "model_request", "request_id": "3f2b8c1e-9d4a-4c3b-8f1e-2a7d6b5c4e3f", )"
            R"("requester_node_id": "llamafarm-unknown", "target_node_id": "9c1d2e3f4a5b6c7d", )"
            R"("model_id": "yolov8n_1700000000", "resume_from_byte": 0, "transport": "websocket"})");
        QCOMPARE(req.requestId, std::string("3f2b8c1e-9d4a-4c3b-8f1e-2a7d6b5c4e3f"));
        QCOMPARE(req.modelId, std::string("yolov8n_1700000000"));

        const auto start = parsedAs<TransferStart>(
            R"({"type": "model_transfer_start", "request_id": "3f2b8c1e-9d4a-4c3b-8f1e-2a7d6b5c4e3f", )"
            R"("model_id": "yolov8n_1700000000", "total_bytes": 6534387, "total_chunks": 100, )"
            R"("chunk_size": 65536, "sha256": ")" + kSha + R"(", )"
            R"("metadata": {"name": "yolov8n", "type": "vision", "format": "pt", "classes": null, )"
            R"("capabilities": ["object_detection"]}, "transfer_method": "websocket_chunked"})");
        QCOMPARE(start.totalChunks, 100u);
        QCOMPARE(start.chunkSize, 65536u);
        QVERIFY(json::parse(start.metadataJson).contains("capabilities"));

        const auto chunk = parsedAs<TransferChunk>(
            R"({"type": "model_transfer_chunk", "request_id": "3f2b8c1e-9d4a-4c3b-8f1e-2a7d6b5c4e3f", )"
            R"("model_id": "yolov8n_1700000000", "chunk_index": 99, "total_chunks": 100, )"
            R"("chunk_bytes": "aGVsbG8gbWVzaA=="})");
        QCOMPARE(chunk.bytes, std::string("hello mesh"));
        QVERIFY(chunk.chunkSha256.empty());

        const auto ack = parsedAs<ChunkAck>(
            R"({"type": "model_transfer_chunk_ack", "request_id": "3f2b8c1e-9d4a-4c3b-8f1e-2a7d6b5c4e3f", )"
            R"("chunk_index": 99, "status": "received"})");
        QCOMPARE(ack.chunkIndex, 99u);

        const auto done = parsedAs<TransferComplete>(
            R"({"type": "model_transfer_complete", "request_id": "3f2b8c1e-9d4a-4c3b-8f1e-2a7d6b5c4e3f", )"
            R"("model_id": "yolov8n_1700000000", "total_bytes_received": 6534387, "sha256_computed": ")" + kSha +
            R"(", "sha256_expected": ")" + kSha + R"(", "verification_status": "verified", )"
            R"("storage_path": "/home/mesh/models/yolov8n_1700000000.pt"})");
        QCOMPARE(done.verificationStatus, std::string("verified"));

        const auto cancel = parsedAs<TransferCancel>(
            R"({"type": "model_transfer_cancel", "request_id": "3f2b8c1e-9d4a-4c3b-8f1e-2a7d6b5c4e3f", )"
            R"("model_id": "yolov8n_1700000000", "reason": "storage_full", )"
            R"("message": "Insufficient storage space", "cancelled_by": "9c1d2e3f4a5b6c7d"})");
        QCOMPARE(cancel.reason, CancelReason::StorageFull);

        // resume_from_byte left out (or null) means from the start.
        QCOMPARE(parsedAs<ModelRequest>(
                     R"({"type": "model_request", "request_id": "r", "requester_node_id": "a", )"
                     R"("target_node_id": "b", "model_id": "m", "resume_from_byte": null, "transport": "http"})")
                     .resumeFromByte,
                 0u);
    }

    void hostile_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("field");

        const auto row = [](const char* name, const json& j, const char* field) {
            QTest::newRow(name) << QByteArray::fromStdString(j.dump()) << QString(field);
        };
        const auto with = [](json j, const char* key, const json& value) {
            j[key] = value;
            return j;
        };
        const auto without = [](json j, const char* key) {
            j.erase(key);
            return j;
        };
        const json start = goodStart(), chunk = goodChunk(), request = goodRequest(), cancel = goodCancel(),
                   ack = goodAck();

        QTest::newRow("not JSON") << QByteArray("{\"type\": \"model_transfer_start\",") << "payload";
        QTest::newRow("an array") << QByteArray("[1,2]") << "payload";
        QTest::newRow("nested too deep") << QByteArray(std::string(100, '[').c_str()) << "payload";
        QTest::newRow("too large") << QByteArray::fromStdString(with(chunk, "pad", std::string(300000, 'a')).dump())
                                   << "payload";
        row("no type", without(start, "type"), "type");
        row("type not a string", with(start, "type", 7), "type");
        row("unknown type", with(start, "type", "model_transfer_teleport"), "type");

        row("request_id a number", with(start, "request_id", 12), "request_id");
        row("request_id empty", with(start, "request_id", ""), "request_id");
        row("request_id with a space", with(start, "request_id", "a b"), "request_id");
        row("request_id too long", with(start, "request_id", std::string(129, 'r')), "request_id");
        row("model_id a path", with(start, "model_id", "../etc/passwd"), "model_id");
        row("model_id missing", without(start, "model_id"), "model_id");
        row("total_bytes negative", with(start, "total_bytes", -1), "total_bytes");
        row("total_bytes a string", with(start, "total_bytes", "200000"), "total_bytes");
        row("total_bytes fractional", with(start, "total_bytes", 2.5), "total_bytes");
        row("total_bytes huge", with(with(start, "total_bytes", std::uint64_t(1) << 60), "total_chunks", 1),
            "total_bytes");
        row("chunk_size 0", with(start, "chunk_size", 0), "chunk_size");
        row("chunk_size over 64 KiB", with(start, "chunk_size", 65537), "chunk_size");
        row("chunk_size negative", with(start, "chunk_size", -65536), "chunk_size");
        row("total_chunks too few", with(start, "total_chunks", 3), "total_chunks");
        row("total_chunks too many", with(start, "total_chunks", 5), "total_chunks");
        row("total_chunks huge", with(start, "total_chunks", std::uint64_t(1) << 40), "total_chunks");
        row("sha256 short", with(start, "sha256", kSha.substr(1)), "sha256");
        row("sha256 not hex", with(start, "sha256", std::string(64, 'g')), "sha256");
        row("sha256 a number", with(start, "sha256", 5), "sha256");
        row("metadata a list", with(start, "metadata", json::array({1})), "metadata");
        row("transfer_method unknown", with(start, "transfer_method", "carrier_pigeon"), "transfer_method");

        row("chunk_bytes not base64", with(chunk, "chunk_bytes", "aGVsbG8*"), "chunk_bytes");
        row("chunk_bytes bad padding", with(chunk, "chunk_bytes", "aGVsbG8"), "chunk_bytes");
        row("chunk_bytes a number", with(chunk, "chunk_bytes", 1), "chunk_bytes");
        row("chunk_bytes over 64 KiB", with(chunk, "chunk_bytes", base64Encode(std::string(65537, 'z'))),
            "chunk_bytes");
        row("chunk_index past the end", with(chunk, "chunk_index", 4), "chunk_index");
        row("chunk_index negative", with(chunk, "chunk_index", -1), "chunk_index");
        row("chunk_sha256 not hex", with(chunk, "chunk_sha256", "abc"), "chunk_sha256");
        row("chunk total_chunks a string", with(chunk, "total_chunks", "4"), "total_chunks");

        row("resume_from_byte negative", with(request, "resume_from_byte", -5), "resume_from_byte");
        row("transport unknown", with(request, "transport", "ftp"), "transport");
        row("requester_node_id missing", without(request, "requester_node_id"), "requester_node_id");
        row("ack chunk_index a float", with(ack, "chunk_index", 1.5), "chunk_index");
        row("ack status a list", with(ack, "status", json::array()), "status");
        row("cancel reason unknown", with(cancel, "reason", "bored"), "reason");
        row("cancel cancelled_by with a newline", with(cancel, "cancelled_by", "a\nb"), "cancelled_by");
    }
    void hostile()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, field);
        auto r = parseTransferMessage(payload.toStdString());
        QVERIFY2(!r, "a hostile payload parsed");
        QCOMPARE(r.code(), ErrorCode::BadData);
        QCOMPARE(QString::fromStdString(r.error().subject), field);
        const QString message = QString::fromStdString(r.message());
        QVERIFY2(message.contains(field), qPrintable(message));
        QVERIFY2(!message.contains('\n'), qPrintable(message));
    }

    // Or every hostile row above proves nothing.
    void unmodifiedPayloadsParse()
    {
        for (const json& j : {goodStart(), goodChunk(), goodRequest(), goodCancel(), goodAck()}) {
            auto r = parseTransferMessage(j.dump());
            QVERIFY2(r, r ? "" : r.message().c_str());
        }
    }

    void chunkIdentityOfABadChunk()
    {
        json j = goodChunk();
        j["chunk_bytes"] = "!!!";
        QVERIFY(!parseTransferMessage(j.dump()));
        const auto who = chunkIdentity(j.dump());
        QVERIFY(who.has_value());
        QCOMPARE(who->requestId, std::string("req-1"));
        QCOMPARE(who->chunkIndex, 3u);
        j["chunk_index"] = 9; // past total_chunks: nothing to blame
        QVERIFY(!chunkIdentity(j.dump()).has_value());
        QVERIFY(!chunkIdentity(goodAck().dump()).has_value());
        QVERIFY(!chunkIdentity("garbage").has_value());
    }
};

ATMO_TEST_GUILESS_MAIN(TstTransferMessages)
#include "tst_transfer_messages.moc"
