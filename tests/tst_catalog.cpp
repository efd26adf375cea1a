// Catalog entries and the model_catalog message: the exact JSON of
// PROTOCOL.md, round trips, message fields and defaults.
// Strict fields, lenient entries and hostile input are in tst_catalog_validation.cpp;
// the filter and modelKindFromFileName are in tst_catalog_filter.cpp.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "catalog_fixture.h"
#include "core/mesh/catalog_wire.h"
#include "test_main.h"

using namespace atmo;
using namespace catalog_fixture;

namespace {

// Multi-line raw strings confuse moc's tokenizer, so the JSON samples are
// defined after the moc include at the bottom of the file.
std::string bridgeSample();
std::string clampedMessage();

CatalogEntry fullEntry()
{
    CatalogEntry e;
    e.modelId = "bird-detector_20260208_160000";
    e.name = "Bird Detector (Custom Trained)";
    e.type = "vision";
    e.format = "pt";
    e.sizeBytes = 8123456;
    e.sha256 = kSha;
    e.version = "2026.02.08.002";
    e.capabilities = {"object_detection"};
    e.classes = {"person", "bird", "airplane"};
    e.classCount = 3;
    e.baseModel = "yolov8n";
    e.contextLength = 4096;
    e.source = "llamafarm_training";
    e.sourceRef = "local";
    e.metadataJson = R"({"parent_model":"yolov8n-coco","trained_samples":120,"validation_mAP50":0.87})";
    e.chunkSize = 1 << 20;
    return e;
}

} // namespace

class TstCatalog : public QObject {
    Q_OBJECT

private slots:
    void entryJsonHasProtocolFieldNames()
    {
        const QJsonObject o = toObject(catalogEntryToJson(fullEntry()));
        QCOMPARE(o.value("model_id").toString(), QString("bird-detector_20260208_160000"));
        QCOMPARE(o.value("name").toString(), QString("Bird Detector (Custom Trained)"));
        QCOMPARE(o.value("type").toString(), QString("vision"));
        QCOMPARE(o.value("format").toString(), QString("pt"));
        QCOMPARE(o.value("size_bytes").toInteger(), 8123456);
        QCOMPARE(o.value("sha256").toString().toStdString(), kSha);
        QCOMPARE(o.value("version").toString(), QString("2026.02.08.002"));
        QCOMPARE(o.value("capabilities").toArray(), QJsonArray{"object_detection"});
        QCOMPARE(o.value("classes").toArray(), (QJsonArray{"person", "bird", "airplane"}));
        QCOMPARE(o.value("class_count").toInt(), 3);
        QCOMPARE(o.value("base_model").toString(), QString("yolov8n"));
        QCOMPARE(o.value("context_length").toInt(), 4096);
        QCOMPARE(o.value("source").toString(), QString("llamafarm_training"));
        QCOMPARE(o.value("source_ref").toString(), QString("local"));
        QCOMPARE(o.value("metadata").toObject().value("trained_samples").toInt(), 120);
        QCOMPARE(o.value("chunk_size").toInteger(), 1 << 20);
        QCOMPARE(o.size(), 16);
        // The bridge's field order, so our JSON reads like theirs.
        const std::string text = catalogEntryToJson(fullEntry());
        QVERIFY(text.rfind(R"({"model_id":)", 0) == 0);
        QVERIFY(text.find("\"name\"") < text.find("\"size_bytes\""));
        QVERIFY(text.find("\"sha256\"") < text.find("\"version\""));
    }

    void bridgeFieldsAlwaysSentOthersOmitted()
    {
        const QJsonObject o = toObject(catalogEntryToJson(minimalEntry("m")));
        QCOMPARE(o.keys(), (QStringList{"capabilities", "class_count", "classes", "format", "metadata", "model_id",
                                        "name", "sha256", "size_bytes", "source_ref", "type", "version"}));
        // What the bridge always sends is always sent, as the bridge sends it:
        // capabilities, classes and class_count (null), source_ref, metadata.
        QCOMPARE(o.value("capabilities").toArray(), QJsonArray{});
        QVERIFY(o.value("classes").isNull());
        QVERIFY(o.value("class_count").isNull());
        QCOMPARE(o.value("source_ref").toString(), QString(""));
        QCOMPARE(o.value("metadata").toObject(), QJsonObject());
        // A zero class count or context length is a value, not "absent".
        CatalogEntry e = minimalEntry("m");
        e.classCount = 0;
        QVERIFY(toObject(catalogEntryToJson(e)).contains("class_count"));
        QVERIFY(!toObject(catalogEntryToJson(e)).contains("chunk_size"));
    }

    void entryRoundTrips()
    {
        for (const CatalogEntry& e : {fullEntry(), minimalEntry("only-required")}) {
            auto back = parseCatalogEntry(catalogEntryToJson(e));
            QVERIFY2(back.ok(), back.ok() ? "" : back.message().c_str());
            QCOMPARE(back->modelId, e.modelId);
            QCOMPARE(back->metadataJson, e.metadataJson);
            QVERIFY(*back == e);
        }
        // Non-ASCII text survives.
        CatalogEntry e = minimalEntry("vogel");
        e.name = "Vogelerkennung für Größe 🐦";
        e.classes = {"Möwe", "鳥"};
        auto back = parseCatalogEntry(catalogEntryToJson(e));
        QVERIFY(back.ok());
        QVERIFY(*back == e);
    }

    void modelListAndMessageRoundTrip()
    {
        std::vector<CatalogEntry> models = {fullEntry(), minimalEntry("a"), minimalEntry("b")};
        const std::string listJson = modelListToJson(models);
        QVERIFY(toObject(listJson).value("models").isArray());
        auto list = parseModelList(listJson);
        QVERIFY(list.ok());
        QVERIFY(list->rejected.empty());
        QVERIFY(list->models == models);

        CatalogMessage m;
        m.nodeId = "3f9a0c1e5b7d4a2f8e6c1b0a9d8e7f6a";
        m.nodeName = "Station Süd";
        m.timestampMs = 1770566400123;
        m.models = models;
        m.httpEndpoint = "http://192.168.1.100:14345";
        m.websocket = true;
        m.ttlSeconds = 120;
        const std::string text = catalogMessageToJson(m);
        const QJsonObject o = toObject(text);
        QCOMPARE(o.value("type").toString(), QString("model_catalog"));
        QCOMPARE(o.value("node_id").toString(), QString("3f9a0c1e5b7d4a2f8e6c1b0a9d8e7f6a"));
        QCOMPARE(o.value("node_name").toString(), QString("Station Süd"));
        QCOMPARE(o.value("timestamp").toInteger(), 1770566400123);
        QCOMPARE(o.value("models").toArray().size(), 3);
        QCOMPARE(o.value("transfer_endpoints").toObject().value("http").toString(),
                 QString("http://192.168.1.100:14345"));
        QCOMPARE(o.value("transfer_endpoints").toObject().value("websocket").toBool(), true);
        QCOMPARE(o.value("ttl_seconds").toInt(), 120);
        auto back = parseCatalogMessage(text);
        QVERIFY2(back.ok(), back.ok() ? "" : back.message().c_str());
        QCOMPARE(back->nodeId, m.nodeId);
        QCOMPARE(back->nodeName, m.nodeName);
        QCOMPARE(back->timestampMs, m.timestampMs);
        QVERIFY(back->models == m.models);
        QCOMPARE(back->httpEndpoint, m.httpEndpoint);
        QCOMPARE(back->websocket, true);
        QCOMPARE(back->ttlSeconds, 120);

        // Without an HTTP endpoint there is no "http" key, not an empty one.
        m.httpEndpoint.clear();
        QVERIFY(!toObject(catalogMessageToJson(m)).value("transfer_endpoints").toObject().contains("http"));
        QCOMPARE(parseCatalogMessage(catalogMessageToJson(m))->httpEndpoint, std::string());
    }

    // What the Python model bridge sends: asdict() of its dataclass, with
    // None as null for the optional fields it did not fill.
    void bridgeShapedMessage()
    {
        const std::string text = bridgeSample();
        auto m = parseCatalogMessage(text);
        QVERIFY2(m.ok(), m.ok() ? "" : m.message().c_str());
        QCOMPARE(m->nodeId, std::string("llamafarm-unknown"));
        QCOMPARE(m->nodeName, std::string("LlamaFarm"));
        QCOMPARE(m->timestampMs, 1770566400123);
        QCOMPARE(m->httpEndpoint, std::string("http://192.168.1.100:14345"));
        QVERIFY(m->websocket);
        QCOMPARE(m->ttlSeconds, 300);
        QCOMPARE(m->models.size(), std::size_t(2));
        const CatalogEntry& llm = m->models[0];
        QCOMPARE(llm.modelId, std::string("qwen3-1.7b-gguf-qwen3-1.7b-q4_k_m"));
        QCOMPARE(llm.sizeBytes, 1107409472ull);
        QCOMPARE(llm.sha256, std::string("a3b1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"));
        QVERIFY(llm.classes.empty());
        QVERIFY(!llm.classCount);
        QCOMPARE(llm.capabilities, (std::vector<std::string>{"text_generation", "chat"}));
        QCOMPARE(toObject(llm.metadataJson).value("snapshot").toString(), QString("5f1e9a0b"));
        const CatalogEntry& bird = m->models[1];
        QCOMPARE(bird.baseModel, std::string("yolov8n"));
        QCOMPARE(bird.classCount, std::optional<std::int64_t>(3));
        QCOMPARE(toObject(bird.metadataJson).value("validation_mAP50").toDouble(), 0.87);
        // The bridge falls back to "unknown" when it could not hash a file:
        // such an entry cannot be verified, so it is not offered.
        QCOMPARE(m->rejected.size(), std::size_t(1));
        QCOMPARE(m->rejected[0].modelId, std::string("yolov8n_custom_20240208"));
        QCOMPARE(m->rejected[0].reason, std::string("sha256 is not 64 hex digits"));
        QCOMPARE(m->rejected[0].text(),
                 std::string("yolov8n_custom_20240208: sha256 is not 64 hex digits"));
    }

    void messageFields_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("valueJson");
        QTest::addColumn<QString>("error"); // empty: accepted
        QTest::newRow("wrong type") << "type" << "\"model_request\""
                                    << "model_catalog message: type is \"model_request\", expected \"model_catalog\"";
        QTest::newRow("no node") << "node_id" << "null" << "model_catalog message: node_id is missing or not a string";
        QTest::newRow("node number") << "node_id" << "7" << "model_catalog message: node_id is missing or not a string";
        QTest::newRow("node with space") << "node_id" << "\"a b\""
                                         << "model_catalog message: node_id \"a b\" is not 1 to 128 printable ASCII characters";
        QTest::newRow("node name number") << "node_name" << "5" << "model_catalog message from n1: node_name is not a string";
        QTest::newRow("no node name") << "node_name" << "null" << "";
        QTest::newRow("models missing") << "models" << "null" << "model_catalog message from n1: models is missing or not a list";
        QTest::newRow("timestamp float") << "timestamp" << "1770566400123.75" << "";
        QTest::newRow("timestamp string") << "timestamp" << "\"now\"" << "model_catalog message from n1: timestamp is not a number of milliseconds";
        QTest::newRow("endpoint trailing slash") << "transfer_endpoints" << R"({"http":"http://10.0.0.2:14345/"})" << "";
        QTest::newRow("endpoint ipv6") << "transfer_endpoints" << R"({"http":"http://[fe80::1%25eth0]:14345","websocket":false})" << "";
        QTest::newRow("endpoint path") << "transfer_endpoints" << R"({"http":"http://10.0.0.2:14345/v1/x"})"
                                       << "model_catalog message from n1: transfer_endpoints.http \"http://10.0.0.2:14345/v1/x\" is not http://host:port";
        QTest::newRow("endpoint file") << "transfer_endpoints" << R"({"http":"file:///etc/passwd"})"
                                       << "model_catalog message from n1: transfer_endpoints.http \"file:///etc/passwd\" is not http://host:port";
        QTest::newRow("endpoint user") << "transfer_endpoints" << R"({"http":"http://u:p@evil:80"})"
                                       << "model_catalog message from n1: transfer_endpoints.http \"http://u:p@evil:80\" is not http://host:port";
        QTest::newRow("websocket string") << "transfer_endpoints" << R"({"websocket":"yes"})"
                                          << "model_catalog message from n1: transfer_endpoints.websocket is not true or false";
        QTest::newRow("endpoints list") << "transfer_endpoints" << "[]" << "model_catalog message from n1: transfer_endpoints is not an object";
        QTest::newRow("ttl zero") << "ttl_seconds" << "0" << "model_catalog message from n1: ttl_seconds is not positive";
        QTest::newRow("ttl negative") << "ttl_seconds" << "-5" << "model_catalog message from n1: ttl_seconds is not positive";
        QTest::newRow("ttl float") << "ttl_seconds" << "300.5" << "model_catalog message from n1: ttl_seconds is not a whole number of seconds";
        QTest::newRow("ttl absent") << "ttl_seconds" << "null" << "";
    }
    void messageFields()
    {
        QFETCH(QString, key);
        QFETCH(QString, valueJson);
        QFETCH(QString, error);
        CatalogMessage base{"n1", "node one", 5, {minimalEntry("m")}, "http://10.0.0.2:14345", true, 300, {}};
        QJsonObject o = toObject(catalogMessageToJson(base));
        o[key] = "@@VALUE@@";
        std::string text = toJson(o);
        text.replace(text.find("\"@@VALUE@@\""), 11, valueJson.toStdString());
        auto m = parseCatalogMessage(text);
        if (error.isEmpty()) {
            QVERIFY2(m.ok(), m.ok() ? "" : m.message().c_str());
            QCOMPARE(m->models.size(), std::size_t(1));
        } else {
            QVERIFY(!m.ok());
            QCOMPARE(QString::fromStdString(m.message()), error);
        }
    }

    void messageDefaultsAndClamps()
    {
        auto m = parseCatalogMessage(clampedMessage());
        QVERIFY(m.ok());
        QCOMPARE(m->nodeName, std::string());
        QCOMPARE(m->timestampMs, 12);
        QCOMPARE(m->httpEndpoint, std::string("http://h.local:1"));
        QVERIFY(!m->websocket);
        QCOMPARE(m->ttlSeconds, 86400); // a year-long TTL is cut to a day
        m = parseCatalogMessage(R"({"type":"model_catalog","node_id":"n","models":[]})");
        QVERIFY(m.ok());
        QCOMPARE(m->ttlSeconds, 300);
        QCOMPARE(m->timestampMs, 0);
        QVERIFY(m->httpEndpoint.empty());
    }

    void invalidUtf8IsNotFatalOnOutput()
    {
        CatalogEntry e = minimalEntry("m");
        e.name = "bad \xff byte";
        const std::string text = catalogEntryToJson(e);
        auto back = parseCatalogEntry(text);
        QVERIFY(back.ok());
        QCOMPARE(back->name, std::string("bad \xef\xbf\xbd byte"));
    }
};

ATMO_TEST_GUILESS_MAIN(TstCatalog)
#include "tst_catalog.moc"

namespace {

// What the Python model bridge sends: asdict() of its dataclass, with None as
// null for the optional fields it did not fill, and "unknown" for a hash it
// could not compute.
std::string bridgeSample()
{
    return R"json({
          "type": "model_catalog",
          "node_id": "llamafarm-unknown",
          "node_name": "LlamaFarm",
          "timestamp": 1770566400123,
          "models": [
            {"model_id": "qwen3-1.7b-gguf-qwen3-1.7b-q4_k_m", "name": "unsloth/Qwen3-1.7B-GGUF - Qwen3-1.7B-Q4_K_M",
             "type": "llm", "format": "gguf", "size_bytes": 1107409472,
             "sha256": "A3B1C2D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90",
             "version": "1.0.0", "capabilities": ["text_generation", "chat"],
             "classes": null, "class_count": null, "source": "huggingface",
             "source_ref": "unsloth/Qwen3-1.7B-GGUF",
             "metadata": {"filename": "Qwen3-1.7B-Q4_K_M.gguf", "snapshot": "5f1e9a0b"}},
            {"model_id": "yolov8n_custom_20240208", "name": "Custom YOLOv8n", "type": "vision",
             "format": "pt", "size_bytes": 6000000, "sha256": "unknown", "version": "1.0.0",
             "capabilities": ["object_detection"], "classes": ["person", "car", "dog"],
             "class_count": 3, "source": "llamafarm_training", "source_ref": "local", "metadata": {}},
            {"model_id": "bird-detector_20260208_160000", "name": "Bird Detector (Custom Trained)",
             "type": "vision", "format": "pt", "size_bytes": 8123456,
             "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
             "version": "2026.02.08.002", "capabilities": ["object_detection"],
             "base_model": "yolov8n", "classes": ["person", "bird", "airplane"], "class_count": 3,
             "source": "llamafarm_training", "source_ref": "local",
             "metadata": {"trained_samples": 120, "validation_mAP50": 0.87, "parent_model": "yolov8n-coco"}}
          ],
          "transfer_endpoints": {"http": "http://192.168.1.100:14345", "websocket": true},
          "ttl_seconds": 300
        })json";
}

std::string clampedMessage()
{
    return R"({"type":"model_catalog","node_id":"n","models":[],"timestamp":12.9,
               "transfer_endpoints":{"http":"http://h.local:1/"},"ttl_seconds":31536000})";
}

} // namespace
