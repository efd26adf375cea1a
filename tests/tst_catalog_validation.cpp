// Catalog parsing under bad input: strict required fields, lenient entries,
// hostile and valid ids, duplicates, garbage documents and hostile sizes.
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
std::string bigEntry();
std::string nestedMetadataEntry();

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

class TstCatalogValidation : public QObject {
    Q_OBJECT

private slots:
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
};

ATMO_TEST_GUILESS_MAIN(TstCatalogValidation)
#include "tst_catalog_validation.moc"

namespace {

std::string bigEntry()
{
    return R"({"model_id":"big","name":"big","type":"llm","format":"gguf",
               "size_bytes":18446744073709551615,"version":"1","sha256":")" + kSha + "\"}";
}

std::string nestedMetadataEntry()
{
    return R"({"model_id":"m","name":"m","type":"llm","format":"gguf","size_bytes":1,"version":"1",
               "metadata":{"a":{"b":{"c":[1,[2,[3]]]}}},"sha256":")" + kSha + "\"}";
}

} // namespace
