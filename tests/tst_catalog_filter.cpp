// The search box and filters of the Mesh view and `atmosphere models`
// (CatalogFilter, checked against a plain reference on random text), and the
// type/format a file name gets (modelKindFromFileName).
#include <QtTest>

#include <random>
#include <sstream>

#include "core/mesh/catalog_filter.h"
#include "core/mesh/catalog_wire.h"
#include "test_main.h"

using namespace atmo;

namespace {

const std::string kSha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

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

CatalogEntry birdDetector()
{
    CatalogEntry e = minimalEntry("bird-detector_20260208_160000");
    e.name = "Bird Detector (Custom Trained)";
    e.type = "vision";
    e.format = "pt";
    e.version = "2026.02.08.002";
    e.capabilities = {"object_detection"};
    e.classes = {"person", "bird", "airplane"};
    e.baseModel = "yolov8n";
    e.source = "llamafarm_training";
    e.metadataJson = R"({"trained_samples":120})";
    return e;
}

// A naive reference for the filter, to cross-check the fast one.
std::string lowerAscii(std::string s)
{
    for (char& c : s)
        if (c >= 'A' && c <= 'Z')
            c = char(c + 32);
    return s;
}
bool referenceMatches(const CatalogEntry& e, const std::string& search)
{
    std::vector<std::string> fields = {e.modelId, e.name, e.baseModel, e.type, e.format};
    fields.insert(fields.end(), e.capabilities.begin(), e.capabilities.end());
    fields.insert(fields.end(), e.classes.begin(), e.classes.end());
    std::istringstream words(search);
    std::string w;
    while (words >> w) {
        bool found = false;
        for (const auto& f : fields)
            found = found || lowerAscii(f).find(lowerAscii(w)) != std::string::npos;
        if (!found)
            return false;
    }
    return true;
}

} // namespace

class TstCatalogFilter : public QObject {
    Q_OBJECT

private slots:
    // The bridge's rules (PROTOCOL.md "How a bridge builds its catalog").
    void modelKinds_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("hint");
        QTest::addColumn<QString>("type");   // empty: not a model
        QTest::addColumn<QString>("format");
        QTest::newRow("gguf") << "Qwen3-1.7B-Q4_K_M.gguf" << "" << "llm" << "gguf";
        QTest::newRow("GGUF upper") << "MODEL.GGUF" << "" << "llm" << "gguf";
        QTest::newRow("onnx") << "detector.onnx" << "" << "vision" << "onnx";
        QTest::newRow("tflite") << "mobilenet.tflite" << "" << "vision" << "tflite";
        QTest::newRow("pt yolo") << "yolov8n.pt" << "" << "vision" << "pt";
        QTest::newRow("pt plain") << "model.pt" << "" << "llm" << "pt";
        QTest::newRow("pt hint") << "model.pt" << "ultralytics/YOLOv8" << "vision" << "pt";
        QTest::newRow("hint wins") << "yolo.bin" << "meta-llama/Llama-3" << "llm" << "pt";
        QTest::newRow("safetensors") << "model-00001-of-00002.safetensors" << "" << "llm" << "pt";
        QTest::newRow("safetensors yolo") << "model.SafeTensors" << "Yolo-World" << "vision" << "pt";
        QTest::newRow("bin") << "pytorch_model.bin" << "" << "llm" << "pt";
        QTest::newRow("json") << "config.json" << "" << "" << "";
        QTest::newRow("no ext") << "README" << "" << "" << "";
        QTest::newRow("trailing dot") << "model." << "" << "" << "";
        QTest::newRow("dot file") << ".gguf" << "" << "" << ""; // Python: no suffix
        QTest::newRow("double ext") << "model.gguf.part" << "" << "" << "";
    }
    void modelKinds()
    {
        QFETCH(QString, file);
        QFETCH(QString, hint);
        QFETCH(QString, type);
        QFETCH(QString, format);
        const auto k = modelKindFromFileName(file.toStdString(), hint.toStdString());
        QCOMPARE(k.has_value(), !type.isEmpty());
        if (k) {
            QCOMPARE(QString::fromStdString(k->type), type);
            QCOMPARE(QString::fromStdString(k->format), format);
        }
    }

    void filterSemantics()
    {
        const CatalogEntry bird = birdDetector();
        CatalogEntry qwen = minimalEntry("qwen3-1.7b-q4_k_m");
        qwen.name = "unsloth/Qwen3-1.7B-GGUF - Qwen3-1.7B-Q4_K_M";
        qwen.capabilities = {"text_generation", "chat"};
        qwen.baseModel = "Qwen3-1.7B";
        auto m = [](const CatalogEntry& e, CatalogFilter f) { return f.matches(e); };

        QVERIFY(CatalogFilter{}.empty());
        QVERIFY(m(bird, {}));
        QVERIFY(m(qwen, {}));
        QVERIFY(m(bird, {"   \t "}));         // only spaces: no words
        QVERIFY(!CatalogFilter{"x"}.empty());
        // Substrings of the searched fields, any case.
        QVERIFY(m(bird, {"bird"}));
        QVERIFY(m(bird, {"BIRD"}));
        QVERIFY(m(bird, {"DeTeCtOr"}));
        QVERIFY(m(bird, {"20260208"}));          // model_id
        QVERIFY(m(bird, {"yolov8"}));            // base_model
        QVERIFY(m(bird, {"airplane"}));          // classes
        QVERIFY(m(bird, {"object_det"}));        // capabilities
        QVERIFY(m(bird, {"vision"}));            // type
        QVERIFY(m(qwen, {"gguf"}));              // format
        QVERIFY(m(qwen, {"q4_k_m"}));
        QVERIFY(!m(qwen, {"bird"}));
        // Not searched: version, sha256, source, metadata.
        QVERIFY(!m(bird, {"2026.02.08.002"}));
        QVERIFY(!m(bird, {kSha.substr(0, 12)}));
        QVERIFY(!m(bird, {"llamafarm_training"}));
        QVERIFY(!m(bird, {"trained_samples"}));
        // Every word must match, each anywhere.
        QVERIFY(m(bird, {"bird airplane"}));
        QVERIFY(m(bird, {"  person\tyolo  "}));
        QVERIFY(!m(bird, {"bird chat"}));
        QVERIFY(m(qwen, {"qwen chat"}));
        // Longer than every field.
        QVERIFY(!m(bird, {std::string(300, 'b')}));
        // Filters: exact (case-insensitive), not substrings.
        QVERIFY(m(bird, {"", "vision"}));
        QVERIFY(m(bird, {"", "VISION"}));
        QVERIFY(!m(bird, {"", "vis"}));
        QVERIFY(!m(qwen, {"", "vision"}));
        QVERIFY(m(qwen, {"", "", "GGUF"}));
        QVERIFY(!m(qwen, {"", "", "gg"}));
        QVERIFY(m(qwen, {"", "", "", "chat"}));
        QVERIFY(!m(qwen, {"", "", "", "cha"}));
        QVERIFY(!m(bird, {"", "", "", "chat"}));
        QVERIFY(m(qwen, {"qwen", "llm", "gguf", "text_generation"}));
        QVERIFY(!m(qwen, {"qwen", "llm", "onnx", "text_generation"}));
        // Non-ASCII: matched byte for byte (no Unicode case folding).
        CatalogEntry moewe = minimalEntry("m");
        moewe.classes = {"Möwe"};
        QVERIFY(m(moewe, {"möwe"}));
        QVERIFY(m(moewe, {"MöWE"}));
        QVERIFY(!m(moewe, {"MÖWE"}));
    }

    // The fast matcher (memchr for long fields, a loop for short ones) against
    // a plain lowercase-and-find reference on random text.
    void filterAgreesWithReference()
    {
        std::mt19937 rng(12345);
        const std::string alphabet = "abcyoloYOLOAB-_ 0189.xX\xc3\xb6";
        auto randomText = [&](std::size_t maxLen) {
            std::string s(rng() % (maxLen + 1), ' ');
            for (char& c : s)
                c = alphabet[rng() % alphabet.size()];
            return s;
        };
        int matched = 0;
        for (int i = 0; i < 20000; ++i) {
            CatalogEntry e = minimalEntry("m");
            e.modelId = randomText(40);
            e.name = randomText(80);
            e.type = randomText(8);
            e.format = randomText(6);
            e.baseModel = randomText(30);
            e.capabilities = {randomText(20)};
            e.classes = {randomText(10), randomText(30)};
            std::string search = randomText(4);
            if (rng() % 3 == 0) {
                search += ' ';
                search += randomText(3);
            }
            const bool expected = referenceMatches(e, search);
            matched += expected;
            if (CatalogFilter{search}.matches(e) != expected)
                QFAIL(qPrintable(QString("search \"%1\" in name \"%2\": expected %3")
                                     .arg(QString::fromStdString(search), QString::fromStdString(e.name))
                                     .arg(expected)));
        }
        QVERIFY(matched > 1000 && matched < 19000); // both outcomes exercised
    }
};

ATMO_TEST_GUILESS_MAIN(TstCatalogFilter)
#include "tst_catalog_filter.moc"
