// Catalog entries and the model_catalog message: the exact JSON of
// PROTOCOL.md, round trips, strict fields with lenient entries, hostile input.
// The filter and modelKindFromFileName are in tst_catalog_filter.cpp.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>


#include "core/catalog.h"

using namespace atmo;

namespace {

const std::string kSha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

// Multi-line raw strings confuse moc's tokenizer, so the JSON samples are
// defined after the moc include at the bottom of the file.
std::string bridgeSample();
std::string bigEntry();
std::string clampedMessage();
std::string nestedMetadataEntry();

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

CatalogEntry minimalEntry(const std::string& id)
{
    CatalogEntry e;
    e.modelId = id;
    e.name = id;
    e.type = "llm";
    e.format = "gguf";
    e.sizeBytes = 1000;
    e.sha256 = kSha;
    e.version = "1.0.0";
    return e;
}

QJsonObject toObject(const std::string& json)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &err);
    if (err.error != QJsonParseError::NoError)
        qWarning() << "not JSON:" << err.errorString();
    return doc.object();
}

std::string toJson(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

QJsonObject validEntryObject(const QString& id = "good-model")
{
    QJsonObject o = toObject(catalogEntryToJson(minimalEntry(id.toStdString())));
    return o;
}

// {"models":[<entry>, good]} parsed; returns the list.
ModelList parseWithGood(const QJsonObject& entry)
{
    QJsonObject doc;
    doc["models"] = QJsonArray{entry, validEntryObject()};
    auto r = parseModelList(toJson(doc));
    if (!r)
        qWarning() << r.message().c_str();
    return r ? *r : ModelList{};
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

    void everyRequiredFieldMissing_data()
    {
        QTest::addColumn<QString>("field");
        for (const char* f : {"model_id", "name", "type", "format", "size_bytes", "sha256", "version"})
            QTest::newRow(f) << QString(f);
    }
    void everyRequiredFieldMissing()
    {
        QFETCH(QString, field);
        for (const bool asNull : {false, true}) {
            QJsonObject o = validEntryObject("victim");
            if (asNull)
                o[field] = QJsonValue::Null;
            else
                o.remove(field);
            const ModelList list = parseWithGood(o);
            QCOMPARE(list.models.size(), std::size_t(1));
            QCOMPARE(list.models[0].modelId, std::string("good-model"));
            QCOMPARE(list.rejected.size(), std::size_t(1));
            QCOMPARE(list.rejected[0].reason, field.toStdString() + " is missing");
            QCOMPARE(list.rejected[0].modelId, field == "model_id" ? std::string("#0") : std::string("victim"));
            // The single-entry parser names the entry and the field.
            auto one = parseCatalogEntry(toJson(o));
            QVERIFY(!one.ok());
            QVERIFY(one.message().find(field.toStdString() + " is missing") != std::string::npos);
            if (field != "model_id")
                QCOMPARE(one.message(), "catalog entry victim: " + field.toStdString() + " is missing");
        }
    }

    void badFieldValues_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("valueJson");
        QTest::addColumn<QString>("reason");
        const QString nonNeg = "size_bytes is not a non-negative integer";
        QTest::newRow("size string") << "size_bytes" << "\"1000\"" << nonNeg;
        QTest::newRow("size negative") << "size_bytes" << "-1" << nonNeg;
        QTest::newRow("size fraction") << "size_bytes" << "1.5" << nonNeg;
        QTest::newRow("size float") << "size_bytes" << "1000.0" << nonNeg;
        QTest::newRow("size beyond uint64") << "size_bytes" << "18446744073709551616" << nonNeg;
        QTest::newRow("size bool") << "size_bytes" << "true" << nonNeg;
        QTest::newRow("size list") << "size_bytes" << "[1]" << nonNeg;
        QTest::newRow("sha short") << "sha256" << "\"abc123def456\"" << "sha256 is not 64 hex digits";
        QTest::newRow("sha non-hex") << "sha256" << QString("\"%1\"").arg(QString(64, 'g')) << "sha256 is not 64 hex digits";
        QTest::newRow("sha 65") << "sha256" << QString("\"%1\"").arg(QString(65, 'a')) << "sha256 is not 64 hex digits";
        QTest::newRow("sha number") << "sha256" << "123" << "sha256 is not a string";
        QTest::newRow("sha empty") << "sha256" << "\"\"" << "sha256 is empty";
        QTest::newRow("id number") << "model_id" << "42" << "model_id is not a string";
        QTest::newRow("name number") << "name" << "42" << "name is not a string";
        QTest::newRow("name object") << "name" << "{}" << "name is not a string";
        QTest::newRow("name newline") << "name" << "\"a\\nb\"" << "name contains control characters";
        QTest::newRow("name too long") << "name" << QString("\"%1\"").arg(QString(1025, 'n')) << "name is longer than 1024 bytes";
        QTest::newRow("type empty") << "type" << "\"\"" << "type is empty";
        QTest::newRow("type list") << "type" << "[\"llm\"]" << "type is not a string";
        QTest::newRow("format path") << "format" << "\"../x\"" << "format is not a file extension (letters, digits, '_', '-')";
        QTest::newRow("format dot") << "format" << "\"tar.gz\"" << "format is not a file extension (letters, digits, '_', '-')";
        QTest::newRow("version number") << "version" << "1.0" << "version is not a string";
        QTest::newRow("caps string") << "capabilities" << "\"chat\"" << "capabilities is not a list of strings";
        QTest::newRow("caps numbers") << "capabilities" << "[1,2]" << "capabilities is not a list of strings";
        QTest::newRow("classes object") << "classes" << "{\"0\":\"person\"}" << "classes is not a list of strings";
        QTest::newRow("class_count negative") << "class_count" << "-3" << "class_count is not a non-negative integer";
        QTest::newRow("class_count string") << "class_count" << "\"3\"" << "class_count is not a non-negative integer";
        QTest::newRow("context fraction") << "context_length" << "2048.5" << "context_length is not a non-negative integer";
        QTest::newRow("base_model number") << "base_model" << "7" << "base_model is not a string";
        QTest::newRow("source list") << "source" << "[]" << "source is not a string";
        QTest::newRow("source_ref bool") << "source_ref" << "false" << "source_ref is not a string";
        QTest::newRow("metadata list") << "metadata" << "[1]" << "metadata is not an object";
        QTest::newRow("metadata string") << "metadata" << "\"{}\"" << "metadata is not an object";
        QTest::newRow("metadata huge") << "metadata" << QString("{\"k\":\"%1\"}").arg(QString(70000, 'x')) << "metadata is larger than 64 KiB";
        QTest::newRow("chunk tiny") << "chunk_size" << "100" << "chunk_size is not between 4 KiB and 1 GiB";
        QTest::newRow("chunk huge") << "chunk_size" << "2147483648" << "chunk_size is not between 4 KiB and 1 GiB";
        QTest::newRow("chunk negative") << "chunk_size" << "-65536" << "chunk_size is not a non-negative integer";
    }
    void badFieldValues()
    {
        QFETCH(QString, field);
        QFETCH(QString, valueJson);
        QFETCH(QString, reason);
        // Splice the raw JSON value in, so values Qt would normalize survive.
        QJsonObject o = validEntryObject("victim");
        o[field] = "@@VALUE@@";
        std::string entry = toJson(o);
        entry.replace(entry.find("\"@@VALUE@@\""), 11, valueJson.toStdString());
        const std::string doc = "{\"models\":[" + entry + "," + toJson(validEntryObject()) + "]}";
        auto list = parseModelList(doc);
        QVERIFY2(list.ok(), list.ok() ? "" : list.message().c_str());
        QCOMPARE(list->models.size(), std::size_t(1));
        QCOMPARE(list->rejected.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(list->rejected[0].reason), reason);
        QCOMPARE(list->rejected[0].modelId, field == "model_id" ? std::string("#0") : std::string("victim"));
    }

    void goodOptionalValues()
    {
        QJsonObject o = validEntryObject("m");
        o["sha256"] = QString::fromStdString(kSha).toUpper();
        o["chunk_size"] = 0;                 // "no chunk hashes"
        o["class_count"] = 0;
        o["metadata"] = QJsonValue::Null;    // Python None
        o["capabilities"] = QJsonValue::Null;
        auto e = parseCatalogEntry(toJson(o));
        QVERIFY2(e.ok(), e.ok() ? "" : e.message().c_str());
        QCOMPARE(e->sha256, kSha);
        QCOMPARE(e->chunkSize, 0ull);
        QCOMPARE(e->classCount, std::optional<std::int64_t>(0));
        QCOMPARE(e->metadataJson, std::string("{}"));
        QVERIFY(e->capabilities.empty());
        o["size_bytes"] = 0; // an empty file is still a file
        QVERIFY(parseCatalogEntry(toJson(o)).ok());
        // Larger than 2^53 and than INT64_MAX: exact.
        const std::string big = bigEntry();
        auto b = parseCatalogEntry(big);
        QVERIFY(b.ok());
        QCOMPARE(b->sizeBytes, 18446744073709551615ull);
        QVERIFY(catalogEntryToJson(*b).find("18446744073709551615") != std::string::npos);
    }

    void hostileModelIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("traversal") << "../../etc/passwd";
        QTest::newRow("dotdot") << "..";
        QTest::newRow("dot") << ".";
        QTest::newRow("hidden") << ".bashrc";
        QTest::newRow("slash") << "a/b";
        QTest::newRow("backslash") << "..\\..\\windows";
        QTest::newRow("absolute") << "/etc/passwd";
        QTest::newRow("encoded") << "%2e%2e%2fetc";
        QTest::newRow("space") << "a b";
        QTest::newRow("leading dash") << "-rf";
        QTest::newRow("leading underscore") << "_x";
        QTest::newRow("newline") << "model\nX-Injected: 1";
        QTest::newRow("nul") << QString("a") + QChar(0) + "b";
        QTest::newRow("query") << "a?b=c";
        QTest::newRow("colon") << "c:model";
        QTest::newRow("unicode") << "modèle";
        QTest::newRow("too long") << QString(201, 'a');
    }
    void hostileModelIds()
    {
        QFETCH(QString, id);
        QVERIFY(!isValidModelId(id.toStdString()));
        QJsonObject o = validEntryObject();
        o["model_id"] = id;
        const ModelList list = parseWithGood(o);
        QCOMPARE(list.models.size(), std::size_t(1));
        QCOMPARE(list.rejected.size(), std::size_t(1));
        const RejectedEntry& r = list.rejected[0];
        QVERIFY(r.reason.rfind("model_id ", 0) == 0);
        // One line, short, whatever the id was.
        const std::string line = r.text();
        QVERIFY(line.find('\n') == std::string::npos);
        QVERIFY(line.find('\0') == std::string::npos);
        QVERIFY(r.modelId.size() <= 67);
    }

    void validModelIds()
    {
        for (const char* id : {"a", "yolov8n", "bird-detector_20260208_160000", "Qwen3-1.7B-Q4_K_M",
                               "model.v2", "0day", "a..b"})
            QVERIFY2(isValidModelId(id), id);
        QVERIFY(isValidModelId(std::string(200, 'x')));
        QVERIFY(!isValidModelId(""));
    }

    void nodeIds()
    {
        for (const char* id : {"llamafarm-unknown", "3f9a0c1e5b7d4a2f8e6c1b0a9d8e7f6a", "android:pixel-7"})
            QVERIFY2(isValidNodeId(id), id);
        for (const std::string& id : {std::string(), std::string("a b"), std::string("a\nb"),
                                     std::string(129, 'n'), std::string("caf\xc3\xa9")})
            QVERIFY(!isValidNodeId(id));
    }

    void duplicateIdsInOneList()
    {
        QJsonObject second = validEntryObject("dup");
        second["version"] = "2.0";
        QJsonObject doc;
        doc["models"] = QJsonArray{validEntryObject("dup"), second};
        auto list = parseModelList(toJson(doc));
        QVERIFY(list.ok());
        QCOMPARE(list->models.size(), std::size_t(1));
        QCOMPARE(list->models[0].version, std::string("1.0.0"));
        QCOMPARE(list->rejected.size(), std::size_t(1));
        QCOMPARE(list->rejected[0].text(), std::string("dup: model_id appears more than once (the first is kept)"));
    }

    void nonObjectEntries()
    {
        auto list = parseModelList(R"({"models":[42, "x", null, [], )" + toJson(validEntryObject()) + "]}");
        QVERIFY(list.ok());
        QCOMPARE(list->models.size(), std::size_t(1));
        QCOMPARE(list->rejected.size(), std::size_t(4));
        QCOMPARE(list->rejected[0].text(), std::string("#0: is not a JSON object"));
        QCOMPARE(list->rejected[3].modelId, std::string("#3"));
    }

    void unknownFieldsIgnored()
    {
        QJsonObject o = validEntryObject("m");
        o["file_path"] = "/home/x/model.gguf";
        o["future_field"] = QJsonObject{{"nested", QJsonArray{1, 2, 3}}};
        o["license"] = "apache-2.0";
        QJsonObject doc;
        doc["models"] = QJsonArray{o};
        doc["next_page"] = "whatever";
        auto list = parseModelList(toJson(doc));
        QVERIFY(list.ok());
        QCOMPARE(list->models.size(), std::size_t(1));
        QVERIFY(list->rejected.empty());
        // Not carried along: we never re-publish a peer's local path.
        QVERIFY(catalogEntryToJson(list->models[0]).find("file_path") == std::string::npos);

        QJsonObject msg = toObject(catalogMessageToJson(CatalogMessage{"node-1", "n", 1, {}, "", false, 300, {}}));
        msg["signature"] = "abc";
        msg["mesh_id"] = "m";
        QVERIFY(parseCatalogMessage(toJson(msg)).ok());
    }

    void garbageDocuments_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("list");
        QTest::addColumn<QString>("message");
        const QString listShape = "model list: expected a JSON object with a \"models\" list";
        QTest::newRow("empty") << QByteArray() << "model list: not valid JSON (syntax error at byte 1)"
                               << "model_catalog message: not valid JSON (syntax error at byte 1)";
        QTest::newRow("html") << QByteArray("<html>502 Bad Gateway</html>")
                              << "model list: not valid JSON (syntax error at byte 1)"
                              << "model_catalog message: not valid JSON (syntax error at byte 1)";
        QTest::newRow("truncated") << QByteArray(R"({"models":[{"model_id":"a")")
                                   << "model list: not valid JSON (syntax error at byte 27)"
                                   << "model_catalog message: not valid JSON (syntax error at byte 27)";
        QTest::newRow("array") << QByteArray("[]") << listShape << "model_catalog message: expected a JSON object";
        QTest::newRow("null") << QByteArray("null") << listShape << "model_catalog message: expected a JSON object";
        QTest::newRow("models object") << QByteArray(R"({"models":{}})") << listShape
                                       << "model_catalog message: type is missing";
        QTest::newRow("bad utf-8") << QByteArray("{\"models\":[\"\xff\"]}")
                                   << "model list: not valid JSON (syntax error at byte 13)"
                                   << "model_catalog message: not valid JSON (syntax error at byte 13)";
    }
    void garbageDocuments()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, list);
        QFETCH(QString, message);
        auto l = parseModelList(text.toStdString());
        QVERIFY(!l.ok());
        QCOMPARE(QString::fromStdString(l.message()), list);
        auto m = parseCatalogMessage(text.toStdString());
        QVERIFY(!m.ok());
        QCOMPARE(QString::fromStdString(m.message()), message);
        QVERIFY(!parseCatalogEntry(text.toStdString()).ok());
    }

    void boundsOnHostileSizes()
    {
        // Over 64 MiB: refused before parsing.
        const std::string huge(kMaxCatalogTextBytes + 1, ' ');
        auto r = parseModelList(huge);
        QVERIFY(!r.ok());
        QCOMPARE(r.message(), "model list: " + std::to_string(huge.size()) +
                                  " bytes is larger than the 64 MiB a catalog may be");
        // Deep nesting (the serializer recurses; the stack must not).
        std::string deep = R"({"models":[{"metadata":)" + std::string(100000, '[') +
                           std::string(100000, ']') + "}]}";
        r = parseModelList(deep);
        QVERIFY(!r.ok());
        QCOMPARE(r.message(), std::string("model list: nested deeper than 32 levels"));
        // Millions of tiny values.
        std::string many = R"({"models":[],"x":[)";
        for (int i = 0; i < 4'100'000; ++i)
            many += "0,";
        many += "0]}";
        r = parseModelList(many);
        QVERIFY(!r.ok());
        QCOMPARE(r.message(), std::string("model list: more than 4000000 JSON values"));
        // Metadata nested within the limit is kept.
        auto e = parseCatalogEntry(nestedMetadataEntry());
        QVERIFY(e.ok());
        QCOMPARE(e->metadataJson, std::string(R"({"a":{"b":{"c":[1,[2,[3]]]}}})"));
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

QTEST_GUILESS_MAIN(TstCatalog)
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

std::string bigEntry()
{
    return R"({"model_id":"big","name":"big","type":"llm","format":"gguf",
               "size_bytes":18446744073709551615,"version":"1","sha256":")" + kSha + "\"}";
}

std::string clampedMessage()
{
    return R"({"type":"model_catalog","node_id":"n","models":[],"timestamp":12.9,
               "transfer_endpoints":{"http":"http://h.local:1/"},"ttl_seconds":31536000})";
}

std::string nestedMetadataEntry()
{
    return R"({"model_id":"m","name":"m","type":"llm","format":"gguf","size_bytes":1,"version":"1",
               "metadata":{"a":{"b":{"c":[1,[2,[3]]]}}},"sha256":")" + kSha + "\"}";
}

} // namespace
