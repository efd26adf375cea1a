// LlamaFarm's vision models read from its HTTP API as the model bridge reads
// them (PROTOCOL.md "How a bridge builds its catalog"), against
// tests/mesh/llamafarm_fake.py on 127.0.0.1: the entries field by field (the
// class map's values in LlamaFarm's order, the task's capabilities, the
// defaults), what the bridge would offer but the station cannot send, no
// LlamaFarm at all, a hub file taking the same id, and `atmosphere serve`
// publishing them on GET /v1/models.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QtTest>

#include <map>

#include "app/mesh/LlamaFarmApi.h"
#include "app/mesh/MeshPresence.h"
#include "app/mesh/PeerServer.h"
#include "core/base/sha256.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

const char* const kPython = "/usr/bin/python3";

class FakeLlamaFarm {
public:
    FakeLlamaFarm(const fs::path& dir, const QString& models, const QString& packages)
    {
        const fs::path answers = dir / "answers.json";
        testutil::writeFile(answers, QJsonDocument(QJsonObject{{"models", models}, {"packages", packages}})
                                         .toJson()
                                         .toStdString());
        testutil::dieWithTest(process_);
        process_.start(kPython, {qEnvironmentVariable("ATMO_SOURCE_DIR") + "/tests/mesh/llamafarm_fake.py",
                                 QString::fromStdString(answers.string())});
        QByteArray out;
        testutil::waitFor([&] {
            process_.waitForReadyRead(100);
            out += process_.readAllStandardOutput();
            return out.contains('\n') || process_.state() != QProcess::Running;
        }, 30000);
        const auto m = QRegularExpression("PORT (\\d+)").match(QString::fromUtf8(out));
        if (m.hasMatch())
            url_ = QUrl("http://127.0.0.1:" + m.captured(1));
    }
    ~FakeLlamaFarm()
    {
        process_.kill();
        process_.waitForFinished(5000);
    }
    QUrl url() const { return url_; }

private:
    QProcess process_;
    QUrl url_;
};

const LocalModel* find(const std::vector<LocalModel>& models, const std::string& id)
{
    for (const auto& m : models)
        if (m.entry.modelId == id)
            return &m;
    return nullptr;
}

QJsonObject json(const CatalogEntry& e)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(catalogEntryToJson(e))).object();
}

} // namespace

class TstAppLlamaFarmApi : public QObject {
    Q_OBJECT

    testutil::Sandbox sb_;
    QString models_, packages_;
    std::string shaDefects_;

private slots:
    void initTestCase()
    {
        testutil::writeRandomFile(sb_ / "lf/defects.pt", 300000, 1);
        testutil::writeRandomFile(sb_ / "lf/gauges.pt", 200000, 2);
        testutil::writeRandomFile(sb_ / "lf/bare.pt", 100000, 3);
        auto sha = sha256FileHex(sb_ / "lf/defects.pt", CancelToken());
        QVERIFY(sha.ok());
        shaDefects_ = *sha;
        const auto path = [&](const char* f) { return QString::fromStdString((sb_ / "lf" / f).string()); };
        models_ = R"J({"models":[
            {"id":"defects_20260208","name":"Defects (custom)","task":"detection","device":"cpu","loaded":true},
            {"id":"gauges","name":"Gauges","task":"classification"},
            {"id":"bare"},
            {"id":"no-package","name":"Not packaged"},
            {"id":"elsewhere","name":"Packaged on another machine"},
            {"id":"bad id!","name":"An id the station cannot serve"},
            {"name":"no id"}]})J";
        packages_ = QString(R"J({"packages":[
            {"model_id":"defects_20260208","path":"%1","version":"2026.02.08.002",
             "class_map":{"1":"dent","0":"scratch","10":"crack"},"num_classes":3,
             "metadata":{"trained_samples":120,"validation_mAP50":0.87},"size_bytes":1,"checksum":"x"},
            {"model_id":"gauges","path":"%2","version":"1.1","num_classes":5},
            {"model_id":"bare","path":"%3"},
            {"model_id":"elsewhere","path":"/nonexistent/elsewhere.pt","size_bytes":5,"checksum":"abc"},
            {"model_id":"bad id!","path":"%1"}]})J")
                        .arg(path("defects.pt"), path("gauges.pt"), path("bare.pt"));
    }

    void entriesAreTheBridges()
    {
        FakeLlamaFarm lf(sb_.path(), models_, packages_);
        QVERIFY(!lf.url().isEmpty());
        HashCache cache({});
        const LlamaFarmScan scan = scanLlamaFarmApi(lf.url(), cache, CancelToken());
        QCOMPARE(scan.models.size(), std::size_t(3));

        const LocalModel* d = find(scan.models, "defects_20260208");
        QVERIFY(d);
        const QJsonObject o = json(d->entry);
        const QJsonObject expected{
            {"model_id", "defects_20260208"}, {"name", "Defects (custom)"}, {"type", "vision"}, {"format", "pt"},
            {"size_bytes", 300000}, {"sha256", QString::fromStdString(shaDefects_)}, {"version", "2026.02.08.002"},
            {"capabilities", QJsonArray{"object_detection"}}, {"classes", QJsonArray{"dent", "scratch", "crack"}},
            {"class_count", 3}, {"source", "llamafarm_training"}, {"source_ref", "local"},
            {"metadata", QJsonObject{{"trained_samples", 120}, {"validation_mAP50", 0.87}}}};
        QCOMPARE(o, expected); // the file's own size and hash, not the package's claims
        QCOMPARE(d->file, fs::canonical(sb_ / "lf/defects.pt"));

        const QJsonObject g = json(find(scan.models, "gauges")->entry);
        QCOMPARE(g.value("capabilities").toArray(), QJsonArray{"classification"});
        QVERIFY(g.value("classes").isNull());
        QCOMPARE(g.value("class_count").toInt(), 5);
        QCOMPARE(g.value("version").toString(), QString("1.1"));

        const QJsonObject b = json(find(scan.models, "bare")->entry);
        QCOMPARE(b.value("name").toString(), QString("bare"));                          // name: the id
        QCOMPARE(b.value("capabilities").toArray(), QJsonArray{"object_detection"});  // task: detection
        QCOMPARE(b.value("class_count").toInt(), 0);
        QCOMPARE(b.value("version").toString(), QString("1.0.0"));
        QCOMPARE(b.value("metadata").toObject(), QJsonObject());

        // What the bridge would list but the station cannot send says why.
        const QString problems = scan.problems.join('\n');
        QVERIFY2(problems.contains("LlamaFarm model elsewhere: its package file is not here"), qPrintable(problems));
        QVERIFY2(problems.contains("LlamaFarm model bad id!: not a model_id the station can serve"), qPrintable(problems));
        QCOMPARE(scan.problems.size(), 2);
    }

    void noLlamaFarmIsNormal()
    {
        // A port nothing listens on: the fake, started and stopped.
        QUrl closed;
        {
            FakeLlamaFarm lf(sb_.path(), models_, packages_);
            closed = lf.url();
        }
        QVERIFY(!closed.isEmpty());
        HashCache cache({});
        const LlamaFarmScan scan = scanLlamaFarmApi(closed, cache, CancelToken());
        QVERIFY(scan.models.empty());
        QVERIFY(scan.problems.isEmpty());
        QVERIFY(scanLlamaFarmApi(QUrl(), cache, CancelToken()).models.empty()); // switched off
    }

    void aLibraryFileKeepsItsId()
    {
        FakeLlamaFarm lf(sb_.path(), models_, packages_);
        HashCache cache({});
        LibraryScan library;
        library.models.push_back(LocalModel{});
        library.models.back().entry.modelId = "gauges"; // e.g. a hub file the bridge would read after LlamaFarm
        library.models.back().entry.source = "huggingface";
        mergeLlamaFarmModels(library, scanLlamaFarmApi(lf.url(), cache, CancelToken()));
        QCOMPARE(library.models.size(), std::size_t(3));
        QCOMPARE(library.models[0].entry.modelId, std::string("bare"));
        QCOMPARE(find(library.models, "gauges")->entry.source, std::string("huggingface"));
        bool told = false;
        for (const auto& p : library.problems)
            told = told || p.find("LlamaFarm model gauges: model_id is already taken") != std::string::npos;
        QVERIFY(told);
    }

    void theWindowsLibraryHasThem()
    {
        FakeLlamaFarm lf(sb_.path(), models_, packages_);
        qputenv("HOME", QByteArray::fromStdString((sb_ / "user").string()));
        qputenv("HF_HUB_CACHE", QByteArray::fromStdString((sb_ / "no-hub").string()));
        qputenv("ATMOSPHERE_LLAMAFARM_URL", lf.url().toEncoded());
        MeshPresence presence{atmo::StationHome(sb_ / "window")};
        QSignalSpy scanned(&presence, &MeshPresence::libraryScanned);
        MeshPresence::Options options; // the default library
        options.bind = "127.0.0.1";
        options.port = 0;
        options.mdns = false;
        presence.start(options);
        QVERIFY(scanned.wait(60000));
        QCOMPARE(scanned.last().at(0).toInt(), 3);
        QVERIFY(scanned.last().at(1).toStringList().join('\n').contains("LlamaFarm model elsewhere"));
        QCOMPARE(presence.server().modelCount(), std::size_t(3));
        qunsetenv("ATMOSPHERE_LLAMAFARM_URL");
    }

    void servedOnV1Models()
    {
        FakeLlamaFarm lf(sb_.path(), models_, packages_);
        QProcess serve;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", QString::fromStdString((sb_ / "user").string()));
        env.insert("HF_HUB_CACHE", QString::fromStdString((sb_ / "no-hub").string()));
        env.insert("ATMOSPHERE_HOME", QString::fromStdString((sb_ / "station").string()));
        env.insert("ATMOSPHERE_LLAMAFARM_URL", lf.url().toString());
        serve.setProcessEnvironment(env);
        testutil::dieWithTest(serve);
        serve.start(testutil::cliPath(), {"serve", "--port", "0", "--bind", "127.0.0.1", "--no-mdns"});
        QVERIFY(serve.waitForStarted());
        static const QRegularExpression line("serving (\\d+) models? on (http://127\\.0\\.0\\.1:\\d+)");
        QByteArray out, err;
        QRegularExpressionMatch m;
        QVERIFY(testutil::waitFor([&] {
            out += serve.readAllStandardOutput();
            err += serve.readAllStandardError();
            m = line.match(QString::fromUtf8(out));
            return m.hasMatch() || serve.state() != QProcess::Running;
        }, 120000));
        QVERIFY2(m.hasMatch(), (out + err).constData());
        QCOMPARE(m.captured(1), QString("3"));
        QProcess get;
        get.start(kPython, {"-c", "import sys, urllib.request; "
                                  "sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())",
                            m.captured(2) + "/v1/models/defects_20260208"});
        QVERIFY(get.waitForFinished(60000));
        QCOMPARE(get.exitCode(), 0);
        const QByteArray body = get.readAllStandardOutput();
        QVERIFY(!body.contains("defects.pt")); // never a local path
        const QJsonObject served = QJsonDocument::fromJson(body).object();
        QCOMPARE(served.value("classes").toArray(), (QJsonArray{"dent", "scratch", "crack"}));
        QCOMPARE(served.value("sha256").toString().toStdString(), shaDefects_);
        QCOMPARE(served.value("source_ref").toString(), QString("local"));
        serve.terminate();
        QVERIFY(serve.waitForFinished(30000));
        err += serve.readAllStandardError();
        QVERIFY2(err.contains("skipped LlamaFarm model elsewhere"), err.constData());
    }
};

ATMO_TEST_GUILESS_MAIN(TstAppLlamaFarmApi)
#include "tst_app_llamafarm_api.moc"
