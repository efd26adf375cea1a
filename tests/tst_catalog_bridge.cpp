// The catalog the station publishes for a Hugging Face hub cache is the one a
// model bridge publishes for the same files: one cache (org and repo names
// with spaces and capitals, a yolo repo, every model extension and some that
// are not, a file under 1,000,000 bytes, a sub-folder, two snapshots whose
// newest by mtime is neither the last by name nor the one refs/main names, a
// `models--single` folder, two files and two repos giving the same id, an id
// the station cannot serve) catalogued by tests/catalog_bridge_rules.py (the
// rules of PROTOCOL.md, written from its text) and by the station, through the
// core and through `atmosphere serve` + GET /v1/models, compared entry by
// entry and field by field. Then each entry, received as a download, is
// served on exactly as received.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <chrono>
#include <fstream>
#include <map>
#include <set>

#include "core/mesh/catalog_wire.h"
#include "core/mesh/model_library.h"
#include "mesh_processes.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

// Fields the station adds to an entry (PROTOCOL.md: extend only with new
// fields): the size of the chunks GET /v1/models/{id}/chunks lists.
const QStringList kStationExtensions{"chunk_size"};

const char* const kPython = "/usr/bin/python3";

// A blob of `size` bytes: a distinct head, the rest a hole (cheap to hash).
void writeBlob(const fs::path& path, std::uint64_t size, const std::string& head)
{
    fs::create_directories(path.parent_path());
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << head;
    }
    fs::resize_file(path, size);
}

// <repo>/snapshots/<rev>/<name> -> <repo>/blobs/<blob>, as the hub stores files.
void linkBlob(const fs::path& repo, const std::string& rev, const std::string& name, std::uint64_t size)
{
    static int n = 0;
    const std::string blob = "blob" + std::to_string(++n);
    writeBlob(repo / "blobs" / blob, size, repo.filename().string() + "/" + rev + "/" + name);
    const fs::path link = repo / "snapshots" / rev / name;
    fs::create_directories(link.parent_path());
    std::string up = "../../";
    for (char c : name)
        if (c == '/')
            up += "../";
    fs::create_symlink(up + "blobs/" + blob, link);
}

void setAge(const fs::path& p, std::chrono::seconds ago)
{
    fs::last_write_time(p, fs::file_time_type::clock::now() - ago);
}

std::map<QString, QJsonObject> byId(const QJsonArray& models)
{
    std::map<QString, QJsonObject> out;
    for (const auto& v : models)
        out[v.toObject().value("model_id").toString()] = v.toObject();
    return out;
}

QJsonObject objectOf(const std::string& json)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

// "" when `station` says what `bridge` says, field by field, and adds only
// station extension fields; else every difference, one per line.
QString differences(const QJsonObject& bridge, const QJsonObject& station)
{
    QString out;
    for (const QString& key : bridge.keys()) {
        if (!station.contains(key))
            out += "  " + key + ": missing (the bridge has " + QJsonDocument(QJsonArray{bridge.value(key)}).toJson(QJsonDocument::Compact) + ")\n";
        else if (station.value(key) != bridge.value(key))
            out += "  " + key + ": " + QJsonDocument(QJsonArray{station.value(key)}).toJson(QJsonDocument::Compact)
                + ", the bridge " + QJsonDocument(QJsonArray{bridge.value(key)}).toJson(QJsonDocument::Compact) + "\n";
    }
    for (const QString& key : station.keys())
        if (!bridge.contains(key) && !kStationExtensions.contains(key))
            out += "  " + key + ": not a field the bridge sends\n";
    return out;
}

// Every entry the same; the bridge's ids the station cannot serve are the
// only ones allowed to be missing, each with a problem line.
void compareCatalogs(const std::map<QString, QJsonObject>& bridge, const std::map<QString, QJsonObject>& station,
                     const QString& problems, const QString& what)
{
    QString report;
    for (const auto& [id, entry] : bridge) {
        const auto it = station.find(id);
        if (it == station.end()) {
            if (isValidModelId(id.toStdString()))
                report += id + ": missing from the station's catalog\n";
            else if (!problems.contains("model_id '" + id + "' is not one the station can serve"))
                report += id + ": not served (an unsafe id) but no problem line says so\n";
            continue;
        }
        if (const QString d = differences(entry, it->second); !d.isEmpty())
            report += id + ":\n" + d;
    }
    for (const auto& [id, entry] : station)
        if (!bridge.count(id))
            report += id + ": not in the bridge's catalog\n";
    if (!report.isEmpty())
        QFAIL(qPrintable(what + " differs from the bridge's:\n" + report));
}

QJsonArray runScript(const fs::path& hub)
{
    QProcess p;
    testutil::dieWithTest(p);
    p.start(kPython, {qEnvironmentVariable("ATMO_SOURCE_DIR") + "/tests/catalog_bridge_rules.py",
                      QString::fromStdString(hub.string())});
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        qFatal("catalog_bridge_rules.py failed: %s", p.readAllStandardError().constData());
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object().value("models").toArray();
}

} // namespace

class TstCatalogBridge : public QObject {
    Q_OBJECT

    testutil::Sandbox sb_;
    fs::path hub_;
    std::map<QString, QJsonObject> bridge_;

private slots:
    void initTestCase()
    {
        hub_ = sb_ / "hub";
        // Org and repo with spaces and capitals. Two snapshots: the newer by
        // mtime sorts first by name, and refs/main names the other one.
        const fs::path acme = hub_ / "models--Acme Corp--Pallet Detector";
        linkBlob(acme, "zz-old", "model.onnx", 1'500'000);
        linkBlob(acme, "zz-old", "only-in-old.gguf", 1'500'000);
        linkBlob(acme, "aa-new", "model.onnx", 1'000'000);        // exactly the limit: kept
        linkBlob(acme, "aa-new", "model.safetensors", 1'200'000); // the same id as model.onnx
        linkBlob(acme, "aa-new", "Best Weights.safetensors", 1'100'000);
        linkBlob(acme, "aa-new", "UPPER.GGUF", 1'000'001);
        linkBlob(acme, "aa-new", "\xe2\x84\xaa" "elvin.gguf", 1'000'002); // KELVIN SIGN: Python lowers it to 'k'
        linkBlob(acme, "aa-new", "weights (1).bin", 1'000'003);  // an id the station cannot serve
        linkBlob(acme, "aa-new", "tiny.gguf", 999'999);          // under 1,000,000 bytes
        linkBlob(acme, "aa-new", "notes.txt", 1'100'000);        // not a model extension
        linkBlob(acme, "aa-new", "onnx/nested.onnx", 1'300'000); // in a sub-folder
        linkBlob(acme, "aa-new", "tokenizer.json", 2'000);
        testutil::writeFile(acme / "refs/main", "zz-old");
        setAge(acme / "snapshots/zz-old", std::chrono::hours(2));
        setAge(acme / "snapshots/aa-new", std::chrono::minutes(1));
        // A yolo repo: .pt and .bin are vision.
        const fs::path yolo = hub_ / "models--ultralytics--YOLO-v8";
        linkBlob(yolo, "r1", "best.pt", 1'400'000);
        linkBlob(yolo, "r1", "last.bin", 1'400'001);
        linkBlob(yolo, "r1", "model.tflite", 1'400'002);
        // An LLM repo.
        const fs::path chat = hub_ / "models--tiny--chat-GGUF";
        linkBlob(chat, "main1", "q4.gguf", 1'600'000);
        linkBlob(chat, "main1", "model.onnx", 1'600'001);
        linkBlob(chat, "main1", "pytorch_model.bin", 1'600'002);
        // Another org, the same repo name: "pallet-detector-model" a third time.
        linkBlob(hub_ / "models--other--Pallet Detector", "s1", "model.tflite", 1'700'000);
        // Fewer than two parts; not a model repo; a stray file.
        linkBlob(hub_ / "models--single", "s1", "big.gguf", 1'800'000);
        writeBlob(hub_ / "datasets--acme--data/snapshots/s1/data.bin", 1'900'000, "data");
        testutil::writeFile(hub_ / "version.txt", "1");

        bridge_ = byId(runScript(hub_));
        // The script's catalog is the reference; make sure it is the one meant.
        std::set<QString> ids;
        for (const auto& [id, e] : bridge_)
            ids.insert(id);
        const std::set<QString> expected{"pallet-detector-model", "pallet-detector-best-weights",
                                         "pallet-detector-upper", "pallet-detector-kelvin",
                                         "pallet-detector-weights-(1)", "yolo-v8-best", "yolo-v8-last",
                                         "yolo-v8-model", "chat-gguf-q4", "chat-gguf-model",
                                         "chat-gguf-pytorch_model"};
        QCOMPARE(ids, expected);
        QCOMPARE(bridge_.at("yolo-v8-last").value("type").toString(), QString("vision"));
        QCOMPARE(bridge_.at("chat-gguf-pytorch_model").value("format").toString(), QString("pt"));
        QCOMPARE(bridge_.at("pallet-detector-upper").value("metadata").toObject().value("snapshot").toString(),
                 QString("aa-new"));
    }

    void coreScanIsTheBridgesCatalog()
    {
        HashCache cache({});
        auto scan = scanLibrary({{LibraryRootKind::HuggingFaceHub, hub_}}, cache, nullptr, CancelToken());
        QVERIFY2(scan.ok(), scan.ok() ? "" : scan.message().c_str());
        std::map<QString, QJsonObject> station;
        for (const auto& m : scan->models)
            station[QString::fromStdString(m.entry.modelId)] = objectOf(catalogEntryToJson(m.entry));
        QString problems;
        for (const auto& p : scan->problems)
            problems += QString::fromStdString(p) + "\n";
        compareCatalogs(bridge_, station, problems, "the core's catalog");
    }

    void servedCatalogIsTheBridgesCatalog()
    {
        // The default library of a station whose HOME and hub cache are here.
        QProcess serve;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", QString::fromStdString((sb_ / "user").string()));
        env.insert("HF_HUB_CACHE", QString::fromStdString(hub_.string()));
        env.insert("ATMOSPHERE_HOME", QString::fromStdString((sb_ / "station").string()));
        env.insert("ATMOSPHERE_LLAMAFARM_URL", ""); // whatever listens on localhost:11540 here
        serve.setProcessEnvironment(env);
        testutil::dieWithTest(serve);
        serve.start(testutil::cliPath(), {"serve", "--port", "0", "--bind", "127.0.0.1", "--no-mdns"});
        QVERIFY(serve.waitForStarted());
        static const QRegularExpression line("serving \\d+ models? on (http://127\\.0\\.0\\.1:\\d+)");
        QByteArray out, err;
        QString url;
        QVERIFY(testutil::waitFor([&] {
            out += serve.readAllStandardOutput();
            err += serve.readAllStandardError();
            const auto m = line.match(QString::fromUtf8(out));
            url = m.hasMatch() ? m.captured(1) : QString();
            return m.hasMatch() || serve.state() != QProcess::Running;
        }, 120000));
        QVERIFY2(!url.isEmpty(), (out + err).constData());

        QProcess get;
        get.start(kPython, {"-c", "import sys, urllib.request; "
                                  "sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())",
                            url + "/v1/models"});
        QVERIFY(get.waitForFinished(60000));
        QCOMPARE(get.exitCode(), 0);
        const QJsonArray served = QJsonDocument::fromJson(get.readAllStandardOutput()).object().value("models").toArray();
        serve.terminate();
        QVERIFY(serve.waitForFinished(30000));
        err += serve.readAllStandardError();
        compareCatalogs(bridge_, byId(served), QString::fromUtf8(err), "GET /v1/models");
    }

    void downloadsAreServedAsReceived()
    {
        // What DownloadManager leaves: {model_id}.{format} and the entry,
        // parsed from the peer's catalog and written back, beside it.
        const fs::path dl = sb_ / "downloads";
        fs::create_directories(dl);
        std::map<QString, QJsonObject> received;
        for (const auto& [id, sent] : bridge_) {
            if (!isValidModelId(id.toStdString()))
                continue; // never offered by a station, so never downloaded from one
            // The file the bridge serves: source_ref and metadata say where it is.
            const QString ref = sent.value("source_ref").toString();
            const QJsonObject meta = sent.value("metadata").toObject();
            const fs::path file = hub_ / ("models--" + ref.section('/', 0, 0) + "--" + ref.section('/', 1)).toStdString()
                / "snapshots" / meta.value("snapshot").toString().toStdString()
                / meta.value("filename").toString().toStdString();
            const auto parsed = parseCatalogEntry(QJsonDocument(sent).toJson().toStdString());
            QVERIFY(parsed.ok());
            fs::copy_file(file, dl / (parsed->modelId + "." + parsed->format));
            testutil::writeFile(dl / (parsed->modelId + ".json"), catalogEntryToJson(*parsed));
            received[id] = sent;
        }
        // A bridge entry with nothing to spare: no capabilities, an empty
        // version and source_ref, no classes, no metadata.
        writeBlob(dl / "bare.gguf", 1'000'000, "bare");
        QJsonObject bare{{"model_id", "bare"}, {"name", "bare"}, {"type", "llm"}, {"format", "gguf"},
                         {"size_bytes", 1'000'000}, {"version", ""}, {"capabilities", QJsonArray{}},
                         {"classes", QJsonValue::Null}, {"class_count", QJsonValue::Null},
                         {"source", "huggingface"}, {"source_ref", ""}, {"metadata", QJsonObject{}}};
        QProcess sum;
        sum.start("sha256sum", {QString::fromStdString((dl / "bare.gguf").string())});
        QVERIFY(sum.waitForFinished(60000));
        bare["sha256"] = QString::fromLatin1(sum.readAllStandardOutput().left(64));
        testutil::writeFile(dl / "bare.json", QJsonDocument(bare).toJson().toStdString());
        received["bare"] = bare;

        HashCache cache({});
        auto scan = scanLibrary({{LibraryRootKind::Downloads, dl}}, cache, nullptr, CancelToken());
        QVERIFY(scan.ok());
        QString problems;
        for (const auto& p : scan->problems)
            problems += QString::fromStdString(p) + "\n";
        QVERIFY2(scan->problems.empty(), qPrintable(problems));
        std::map<QString, QJsonObject> reserved;
        for (const auto& m : scan->models)
            reserved[QString::fromStdString(m.entry.modelId)] = objectOf(catalogEntryToJson(m.entry));
        compareCatalogs(received, reserved, problems, "the downloads' catalog");
    }
};

ATMO_TEST_GUILESS_MAIN(TstCatalogBridge)
#include "tst_catalog_bridge.moc"
