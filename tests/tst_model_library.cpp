// The local model library on real directory trees of every layout: Hugging
// Face hub cache (real blob symlinks, the newest snapshot, links that escape
// the repo), LlamaFarm vision folders with training metadata, the
// station's downloads ({id}.{format} + {id}.json), installed packages (really
// built and installed), plain folders; the hash cache (rescans read nothing,
// touched or resized files are rehashed alone, a damaged cache is survived),
// chunk hashes against an independent implementation, duplicates, problems
// that must never fail a scan, and cancellation.
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <mutex>

#include "core/installer.h"
#include "core/model_library.h"
#include "core/package_writer.h"
#include "core/trust_store.h"
#include "testutil.h"

using namespace atmo;

namespace {

std::string sha256sum(const fs::path& file)
{
    QProcess p;
    p.start("sha256sum", {QString::fromStdString(file.string())});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        qFatal("sha256sum %s failed", file.c_str());
    return p.readAllStandardOutput().left(64).toStdString();
}

// Chunk hashes computed with Qt's own SHA-256, not the core's.
std::vector<std::string> qtChunkHashes(const fs::path& file, std::uint64_t chunkSize)
{
    const QByteArray data = QByteArray::fromStdString(testutil::readFile(file));
    std::vector<std::string> out;
    for (qsizetype off = 0; off < data.size(); off += static_cast<qsizetype>(chunkSize))
        out.push_back(QCryptographicHash::hash(data.mid(off, static_cast<qsizetype>(chunkSize)), QCryptographicHash::Sha256)
                          .toHex()
                          .toStdString());
    return out;
}

const LocalModel* find(const LibraryScan& scan, const std::string& id)
{
    for (const auto& m : scan.models)
        if (m.entry.modelId == id)
            return &m;
    return nullptr;
}

std::string ids(const LibraryScan& scan)
{
    std::string s;
    for (const auto& m : scan.models)
        s += (s.empty() ? "" : " ") + m.entry.modelId;
    return s;
}

std::string problems(const LibraryScan& scan)
{
    std::string s;
    for (const auto& p : scan.problems)
        s += p + "\n";
    return s;
}

// The problem line about `path` (or containing it), "" if none.
std::string problemAbout(const LibraryScan& scan, const std::string& needle)
{
    for (const auto& p : scan.problems)
        if (p.find(needle) != std::string::npos)
            return p;
    return {};
}

LibraryScan scan(const std::vector<LibraryRoot>& roots, HashCache& cache, Observer* observer = nullptr,
                 const CancelToken& cancel = CancelToken())
{
    auto r = scanLibrary(roots, cache, observer, cancel);
    if (!r)
        qFatal("scanLibrary failed: %s", r.message().c_str());
    return std::move(*r);
}

void setMtime(const fs::path& p, std::chrono::seconds ago)
{
    fs::last_write_time(p, fs::file_time_type::clock::now() - ago);
}

class Hook : public Observer {
public:
    std::function<void(const Progress&)> onEach;
    std::vector<Progress> seen;
    std::mutex mutex;
    void onProgress(const Progress& p) override
    {
        {
            std::lock_guard lock(mutex);
            seen.push_back(p);
        }
        if (onEach)
            onEach(p);
    }
};

std::string entryJson(const std::string& id, const std::string& format, std::uint64_t size, const std::string& sha)
{
    CatalogEntry e;
    e.modelId = id;
    e.name = "Downloaded " + id;
    e.type = format == "gguf" ? "llm" : "vision";
    e.format = format;
    e.sizeBytes = size;
    e.sha256 = sha;
    e.version = "7.1";
    e.capabilities = {"detection"};
    e.source = "llamafarm_training";
    e.sourceRef = "peer-a";
    return catalogEntryToJson(e);
}

} // namespace

class TstModelLibrary : public QObject {
    Q_OBJECT

private slots:
    void modelIdsFromNames()
    {
        QCOMPARE(modelIdFromName("yolo-v8n"), std::optional<std::string>("yolo-v8n"));
        QCOMPARE(modelIdFromName("My Model (v2)"), std::optional<std::string>("My_Model_v2_"));
        QCOMPARE(modelIdFromName("acme--tiny/onnx/model"), std::optional<std::string>("acme--tiny_onnx_model"));
        QCOMPARE(modelIdFromName("..hidden"), std::optional<std::string>("hidden"));
        QCOMPARE(modelIdFromName("mod\xc3\xa8le"), std::optional<std::string>("mod_le"));
        QVERIFY(!modelIdFromName("\xe6\x97\xa5\xe6\x9c\xac"));
        QVERIFY(!modelIdFromName("..."));
        QVERIFY(!modelIdFromName(""));
        QCOMPARE(modelIdFromName(std::string(300, 'a'))->size(), std::size_t(200));
    }

    // The rules themselves are compared with the bridge's in
    // tst_catalog_bridge; here: blob links, the newest snapshot, and links
    // that escape the repository.
    void huggingFaceHub()
    {
        testutil::Sandbox sb;
        const fs::path hub = sb / "hub";
        // acme/tiny-llm: two snapshots; the newest by mtime counts, not the
        // one refs/main names (the bridge's rule), and not its sub-folders.
        const fs::path repo = hub / "models--acme--tiny-llm";
        testutil::writeRandomFile(repo / "blobs/b-old", 1'000'000, 1);
        testutil::writeRandomFile(repo / "blobs/b-gguf", 1'200'000, 2);
        testutil::writeRandomFile(repo / "blobs/b-onnx", 1'100'000, 3);
        testutil::writeFile(repo / "blobs/b-config", "{}");
        const std::string oldRev = "1111111111111111111111111111111111111111";
        const std::string rev = "abcdef0123456789abcdef0123456789abcdef01";
        fs::create_directories(repo / "snapshots" / oldRev);
        fs::create_directories(repo / "snapshots" / rev / "onnx");
        fs::create_symlink("../../blobs/b-old", repo / "snapshots" / oldRev / "model.gguf");
        fs::create_symlink("../../blobs/b-gguf", repo / "snapshots" / rev / "model.gguf");
        fs::create_symlink("../../../blobs/b-onnx", repo / "snapshots" / rev / "onnx/model.onnx");
        fs::create_symlink("../../blobs/b-config", repo / "snapshots" / rev / "config.json");
        testutil::writeFile(repo / "refs/main", oldRev + "\n");
        setMtime(repo / "snapshots" / oldRev, std::chrono::seconds(3600));
        // No org: not a repository the bridge reads.
        testutil::writeRandomFile(hub / "models--solo/blobs/x1", 1'000'000, 4);
        fs::create_directories(hub / "models--solo/snapshots/aaaa");
        fs::create_symlink("../../blobs/x1", hub / "models--solo/snapshots/aaaa/weights.safetensors");
        // A yolo repo: .pt counts as vision because the repo name says yolo.
        const fs::path yolo = hub / "models--ultra--yolo-small";
        testutil::writeRandomFile(yolo / "blobs/y", 1'000'000, 6);
        fs::create_directories(yolo / "snapshots/r1");
        fs::create_symlink("../../blobs/y", yolo / "snapshots/r1/best.pt");
        // A hostile repo: links out of the repository, a dangling link, a loop.
        testutil::writeRandomFile(sb / "outside/secret.gguf", 1'000'000, 7);
        const fs::path evil = hub / "models--evil--repo";
        fs::create_directories(evil / "snapshots/r1");
        fs::create_symlink(sb / "outside/secret.gguf", evil / "snapshots/r1/absolute.gguf");
        fs::create_symlink("../../../../outside/secret.gguf", evil / "snapshots/r1/relative.gguf");
        fs::create_symlink("../../blobs/missing", evil / "snapshots/r1/dangling.gguf");
        fs::create_symlink("loop.gguf", evil / "snapshots/r1/loop.gguf");
        // Not models: datasets, lock files.
        testutil::writeRandomFile(hub / "datasets--acme--data/snapshots/r/data.bin", 1'000'000, 9);
        fs::create_directories(hub / ".locks/models--acme--tiny-llm");

        HashCache cache({});
        const auto s = scan({{LibraryRootKind::HuggingFaceHub, hub}}, cache);
        QCOMPARE(ids(s), std::string("tiny-llm-model yolo-small-best"));

        const LocalModel* gguf = find(s, "tiny-llm-model");
        QCOMPARE(gguf->entry.name, std::string("acme/tiny-llm - model"));
        QCOMPARE(gguf->entry.type, std::string("llm"));
        QCOMPARE(gguf->entry.format, std::string("gguf"));
        QCOMPARE(gguf->entry.capabilities, (std::vector<std::string>{"text_generation", "chat"}));
        QCOMPARE(gguf->entry.sizeBytes, std::uint64_t(1'200'000));
        QCOMPARE(gguf->entry.sha256, sha256sum(repo / "blobs/b-gguf"));
        QCOMPARE(gguf->entry.version, std::string("1.0.0"));
        QCOMPARE(gguf->entry.source, std::string("huggingface"));
        QCOMPARE(gguf->entry.sourceRef, std::string("acme/tiny-llm"));
        QCOMPARE(gguf->entry.chunkSize, kDefaultChunkHashSize);
        QCOMPARE(gguf->file, fs::canonical(repo / "blobs/b-gguf"));
        const auto meta = QJsonDocument::fromJson(QByteArray::fromStdString(gguf->entry.metadataJson)).object();
        QCOMPARE(meta.value("filename").toString(), QString("model.gguf"));
        QCOMPARE(meta.value("snapshot").toString(), QString::fromStdString(rev));
        QCOMPARE(meta.size(), 2);

        const LocalModel* best = find(s, "yolo-small-best");
        QCOMPARE(best->entry.type, std::string("vision"));
        QCOMPARE(best->entry.format, std::string("pt"));
        QCOMPARE(best->entry.capabilities, std::vector<std::string>{"object_detection"});

        // Nothing of the hostile repo is offered; each link is a problem line.
        for (const char* f : {"absolute.gguf", "relative.gguf"})
            QVERIFY2(problemAbout(s, f).find("links outside") != std::string::npos, problems(s).c_str());
        QVERIFY2(problemAbout(s, "dangling.gguf").find("broken link") != std::string::npos, problems(s).c_str());
        QVERIFY2(problemAbout(s, "loop.gguf").find("link loop") != std::string::npos, problems(s).c_str());
        for (const auto& m : s.models)
            QVERIFY(m.file.string().find("outside") == std::string::npos);
        QCOMPARE(s.problems.size(), std::size_t(4));

        // The other snapshot becomes the newest: its file is the model now.
        setMtime(repo / "snapshots" / oldRev, std::chrono::seconds(0));
        setMtime(repo / "snapshots" / rev, std::chrono::seconds(60));
        const auto s2 = scan({{LibraryRootKind::HuggingFaceHub, hub}}, cache);
        QCOMPARE(find(s2, "tiny-llm-model")->entry.sha256, sha256sum(repo / "blobs/b-old"));
        QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(find(s2, "tiny-llm-model")->entry.metadataJson))
                     .object().value("snapshot").toString(),
                 QString::fromStdString(oldRev));
    }

    void llamaFarmVision()
    {
        testutil::Sandbox sb;
        const fs::path root = sb / "vision";
        testutil::writeRandomFile(root / "defects_20241121_153012/model.pt", 50000, 1);
        testutil::writeFile(root / "defects_20241121_153012/metadata.json",
                            R"({"classes": ["scratch", "dent", "crack"], "base_model": "yolov8n.pt", "epochs": 50,
                                "dataset": "/home/tech/data/defects.yaml", "task": "detect", "map50": 0.91})");
        testutil::writeRandomFile(root / "gauges_1700000000/model.pt", 20000, 2);
        testutil::writeFile(root / "gauges_1700000000/training_metadata.json",
                            R"({"names": {"1": "needle", "0": "dial"}, "nc": 2, "base_model": "/opt/w/yolov8s.pt"})");
        testutil::writeRandomFile(root / "plain/model.pt", 10000, 3);
        testutil::writeRandomFile(root / "broken_20240101/model.pt", 10000, 4);
        testutil::writeFile(root / "broken_20240101/metadata.json", "{not json");
        fs::create_directories(root / "training_20241122"); // no model.pt yet

        HashCache cache({});
        const auto s = scan({{LibraryRootKind::LlamaFarmVision, root}}, cache);
        QCOMPARE(ids(s), std::string("broken_20240101 defects_20241121_153012 gauges_1700000000 plain"));

        const LocalModel* d = find(s, "defects_20241121_153012");
        QCOMPARE(d->entry.name, std::string("defects"));
        QCOMPARE(d->entry.type, std::string("vision"));
        QCOMPARE(d->entry.format, std::string("pt"));
        QCOMPARE(d->entry.version, std::string("20241121_153012"));
        QCOMPARE(d->entry.source, std::string("llamafarm_training"));
        QCOMPARE(d->entry.classes, (std::vector<std::string>{"scratch", "dent", "crack"}));
        QCOMPARE(d->entry.classCount, std::optional<std::int64_t>(3));
        QCOMPARE(d->entry.baseModel, std::string("yolov8n.pt"));
        QCOMPARE(d->entry.capabilities, std::vector<std::string>{"object_detection"}); // "detect", as the bridge says it
        QCOMPARE(d->entry.sourceRef, std::string("local"));
        QCOMPARE(d->entry.sha256, sha256sum(root / "defects_20241121_153012/model.pt"));
        const auto meta = QJsonDocument::fromJson(QByteArray::fromStdString(d->entry.metadataJson)).object();
        QCOMPARE(meta.value("epochs").toInt(), 50);
        QVERIFY(!meta.contains("dataset")); // a local path never leaves the station
        QVERIFY(d->entry.metadataJson.find("/home/tech") == std::string::npos);

        const LocalModel* g = find(s, "gauges_1700000000");
        QCOMPARE(g->entry.classes, (std::vector<std::string>{"dial", "needle"}));
        QCOMPARE(g->entry.classCount, std::optional<std::int64_t>(2));
        QCOMPARE(g->entry.baseModel, std::string("yolov8s.pt"));
        QCOMPARE(g->entry.version, std::string("1700000000"));

        const LocalModel* p = find(s, "plain");
        QCOMPARE(p->entry.name, std::string("plain"));
        QCOMPARE(p->entry.capabilities, std::vector<std::string>{"object_detection"}); // the bridge's default task
        QCOMPARE(p->entry.classCount, std::optional<std::int64_t>(0));                // and class count
        QCOMPARE(p->entry.version, p->entry.sha256.substr(0, 12)); // no timestamp: the content's
        QVERIFY(!problemAbout(s, "broken_20240101/metadata.json").empty());
        QVERIFY(find(s, "broken_20240101")->entry.classes.empty());
    }

    void downloads()
    {
        testutil::Sandbox sb;
        const fs::path root = sb / "models";
        testutil::writeRandomFile(root / "good.gguf", 70000, 1);
        testutil::writeFile(root / "good.json", entryJson("good", "gguf", 70000, sha256sum(root / "good.gguf")));
        testutil::writeRandomFile(root / "short.onnx", 1000, 2); // an interrupted download
        testutil::writeFile(root / "short.json", entryJson("short", "onnx", 5000, std::string(64, 'a')));
        testutil::writeRandomFile(root / "bad.tflite", 3000, 3); // right size, wrong bytes
        testutil::writeFile(root / "bad.json", entryJson("bad", "tflite", 3000, std::string(64, 'b')));
        testutil::writeFile(root / "renamed.json", entryJson("other", "gguf", 1, std::string(64, 'c')));
        testutil::writeFile(root / "gone.json", entryJson("gone", "gguf", 1, std::string(64, 'd')));
        testutil::writeFile(root / "garbage.json", "[1, 2");
        testutil::writeRandomFile(root / "orphan.pt", 100, 4);
        testutil::writeRandomFile(root / ".good2.gguf.part-abc123", 100, 5); // being written: hidden

        HashCache cache(sb / "cache/hashes.json");
        const auto s = scan({{LibraryRootKind::Downloads, root}}, cache);
        QCOMPARE(ids(s), std::string("good"));
        const LocalModel* g = find(s, "good");
        QCOMPARE(g->entry.name, std::string("Downloaded good")); // the .json's entry is used
        QCOMPARE(g->entry.version, std::string("7.1"));
        QCOMPARE(g->entry.capabilities, std::vector<std::string>{"detection"});
        QCOMPARE(g->entry.sourceRef, std::string("peer-a"));
        QCOMPARE(g->entry.sha256, sha256sum(root / "good.gguf"));
        QCOMPARE(g->entry.chunkSize, kDefaultChunkHashSize);

        QVERIFY2(problemAbout(s, "short.onnx").find("1000 bytes, its .json says 5000") != std::string::npos,
                 problems(s).c_str());
        QVERIFY2(problemAbout(s, "bad.tflite").find("SHA-256 differs from its .json") != std::string::npos,
                 problems(s).c_str());
        QVERIFY(problemAbout(s, "renamed.json").find("does not match the file name") != std::string::npos);
        QVERIFY(problemAbout(s, "gone.json").find("gone.gguf is missing") != std::string::npos);
        QVERIFY(!problemAbout(s, "garbage.json").empty());
        QVERIFY(problemAbout(s, "orphan.pt").find("no orphan.json beside it") != std::string::npos);
        QVERIFY(problemAbout(s, "good2").empty());
        QCOMPARE(s.bytesHashed, std::uint64_t(70000 + 3000)); // the short one is refused unread

        // The damaged one is not trusted on a rescan either, and nothing is reread.
        HashCache reloaded(sb / "cache/hashes.json");
        const auto s2 = scan({{LibraryRootKind::Downloads, root}}, reloaded);
        QCOMPARE(s2.bytesHashed, std::uint64_t(0));
        QCOMPARE(ids(s2), std::string("good"));
        QVERIFY(!problemAbout(s2, "bad.tflite").empty());
    }

    void installedPackages()
    {
        testutil::Sandbox sb;
        const fs::path mission = testutil::makeMission(sb / "mission");
        const SecretKey key = testutil::makeKey();
        testutil::trustKey(sb / "home", key, TrustRole::Mesh, "mesh");
        TrustStore trust(sb / "home/trust");
        CreateOptions co;
        co.missionDir = mission;
        co.version = "1.3";
        co.outputDir = sb / "packages";
        co.meshKey = key;
        co.stationName = "test-station";
        auto created = createPackage(co, nullptr, CancelToken());
        QVERIFY2(created.ok(), created.ok() ? "" : created.message().c_str());
        InstallOptions io;
        io.root = sb / "installed";
        io.trust = &trust;
        io.tier = 2;
        const auto installed = installPackage(created->file, io, nullptr, CancelToken());
        QVERIFY2(installed.installed.has_value(), installed.report.reason.c_str());
        const fs::path current = io.root / "production-inspection/current";
        QVERIFY(fs::exists(current / "manifest.yaml")); // the installer keeps the signed manifest

        HashCache cache({});
        const std::vector<LibraryRoot> roots{{LibraryRootKind::InstalledPackages, io.root}};
        const auto s = scan(roots, cache);
        QVERIFY2(s.problems.empty(), problems(s).c_str());
        QCOMPARE(ids(s), std::string("llama-edge tinyyolo-defects"));
        const LocalModel* onnx = find(s, "tinyyolo-defects");
        QCOMPARE(onnx->entry.version, std::string("1.3"));
        QCOMPARE(onnx->entry.type, std::string("vision"));
        QCOMPARE(onnx->entry.format, std::string("onnx"));
        QCOMPARE(onnx->entry.source, std::string("imported"));
        QCOMPARE(onnx->entry.sourceRef, std::string("production-inspection@1.3"));
        QCOMPARE(onnx->entry.sha256, sha256sum(mission / "models/tinyyolo-defects-1.3.onnx"));
        QCOMPARE(onnx->entry.sizeBytes, std::uint64_t(300 * 1024));
        const LocalModel* gguf = find(s, "llama-edge");
        QCOMPARE(gguf->entry.version, std::string("2.0"));
        QCOMPARE(gguf->entry.type, std::string("llm"));
        QCOMPARE(gguf->entry.capabilities, (std::vector<std::string>{"text_generation", "chat"}));

        // An installed file altered in place (same size, same name) is hashed
        // again and refused; one that changed size is refused unread.
        testutil::writeRandomFile(current / "models/tinyyolo-defects-1.3.onnx", 300 * 1024, 99);
        {
            std::ofstream out(current / "models/llama-edge-2.0.gguf", std::ios::app);
            out << "x";
        }
        const auto s2 = scan(roots, cache);
        QCOMPARE(ids(s2), std::string(""));
        QVERIFY2(problemAbout(s2, "tinyyolo-defects-1.3.onnx").find("differs from the manifest of production-inspection@1.3")
                     != std::string::npos,
                 problems(s2).c_str());
        QVERIFY2(problemAbout(s2, "llama-edge-2.0.gguf").find("the manifest of production-inspection@1.3 says")
                     != std::string::npos,
                 problems(s2).c_str());
        QCOMPARE(s2.bytesHashed, std::uint64_t(300 * 1024));
    }

    void folderAndOddFiles()
    {
        testutil::Sandbox sb;
        const fs::path root = sb / "folder";
        testutil::writeRandomFile(root / "My Model (v2).onnx", 1000, 1);
        testutil::writeRandomFile(root / "sub/deeper/nested.tflite", 2000, 2);
        testutil::writeRandomFile(root / "\xe6\x97\xa5\xe6\x9c\xac.gguf", 100, 3);
        testutil::writeRandomFile(root / ".hidden.gguf", 100, 4);
        testutil::writeFile(root / "notes.txt", "not a model");
        testutil::writeRandomFile(root / "empty.bin", 0, 5);
        fs::create_directory_symlink("..", root / "sub/back"); // a loop through a directory link
        QCOMPARE(::mkfifo((root / "pipe.gguf").c_str(), 0644), 0); // opening it would block
        testutil::writeRandomFile(sb / "elsewhere/linked.pt", 3000, 6);
        fs::create_symlink(sb / "elsewhere/linked.pt", root / "linked.pt"); // plain folders may link anywhere

        HashCache cache({});
        const auto s = scan({{LibraryRootKind::Folder, root}}, cache);
        QCOMPARE(ids(s), std::string("My_Model_v2_ empty linked nested"));
        const LocalModel* m = find(s, "My_Model_v2_");
        QCOMPARE(m->entry.name, std::string("My Model (v2)"));
        QCOMPARE(m->entry.version, m->entry.sha256.substr(0, 12));
        QCOMPARE(find(s, "nested")->entry.sha256, sha256sum(root / "sub/deeper/nested.tflite"));
        QCOMPARE(find(s, "empty")->entry.sizeBytes, std::uint64_t(0));
        QCOMPARE(find(s, "empty")->entry.sha256, sha256sum(root / "empty.bin"));
        QCOMPARE(find(s, "linked")->file, fs::canonical(sb / "elsewhere/linked.pt"));
        QVERIFY2(problemAbout(s, "makes no valid model_id").find(".gguf: '") != std::string::npos, problems(s).c_str());
        QVERIFY(problemAbout(s, "pipe.gguf").find("not a regular file") != std::string::npos);
        QCOMPARE(s.problems.size(), std::size_t(2));
    }

    void duplicatesFirstRootWins()
    {
        testutil::Sandbox sb;
        testutil::writeRandomFile(sb / "a/same.gguf", 1000, 1);
        testutil::writeRandomFile(sb / "b/same.gguf", 2000, 2);
        testutil::writeRandomFile(sb / "b/sub/same.onnx", 500, 3);
        // A damaged download does not hide a good copy in a later root.
        testutil::writeRandomFile(sb / "dl/twin.gguf", 700, 4);
        testutil::writeFile(sb / "dl/twin.json", entryJson("twin", "gguf", 700, std::string(64, 'e')));
        testutil::writeRandomFile(sb / "b/twin.gguf", 800, 5);

        HashCache cache({});
        const auto s = scan({{LibraryRootKind::Downloads, sb / "dl"},
                             {LibraryRootKind::Folder, sb / "a"},
                             {LibraryRootKind::Folder, sb / "b"}},
                            cache);
        QCOMPARE(ids(s), std::string("same twin"));
        QCOMPARE(find(s, "same")->entry.sha256, sha256sum(sb / "a/same.gguf"));
        QCOMPARE(find(s, "twin")->entry.sha256, sha256sum(sb / "b/twin.gguf"));
        const std::string dup = problemAbout(s, (sb / "b/same.gguf").string());
        QVERIFY2(dup.find("model_id 'same' is already taken by " + (sb / "a/same.gguf").string()) != std::string::npos,
                 problems(s).c_str());
        QVERIFY(!problemAbout(s, (sb / "b/sub/same.onnx").string()).empty());
        QVERIFY(problemAbout(s, "dl/twin.gguf").find("SHA-256 differs") != std::string::npos);
        // Losers are not hashed: a, the damaged download, then b's twin.
        QCOMPARE(s.bytesHashed, std::uint64_t(1000 + 700 + 800));
    }

    void hashCacheAvoidsRereading()
    {
        testutil::Sandbox sb;
        const fs::path root = sb / "folder";
        testutil::writeRandomFile(root / "one.gguf", 100000, 1);
        testutil::writeRandomFile(root / "two.onnx", 200000, 2);
        testutil::writeRandomFile(root / "three.tflite", 300000, 3);
        const fs::path cacheFile = sb / "home/cache/model-hashes.json";
        const std::vector<LibraryRoot> roots{{LibraryRootKind::Folder, root}};

        LibraryScan first;
        {
            HashCache cache(cacheFile);
            first = scan(roots, cache);
            QCOMPARE(first.bytesHashed, std::uint64_t(600000));
        }
        QVERIFY(fs::exists(cacheFile)); // directory made, file saved
        {
            HashCache cache(cacheFile);
            QCOMPARE(cache.size(), std::size_t(3));
            const auto again = scan(roots, cache);
            QCOMPARE(again.bytesHashed, std::uint64_t(0));
            QCOMPARE(again.models.size(), std::size_t(3));
            for (std::size_t i = 0; i < 3; ++i)
                QCOMPARE(again.models[i].entry, first.models[i].entry);
        }
        // A touched file is reread, alone; a resized one too.
        fs::last_write_time(root / "two.onnx", fs::last_write_time(root / "two.onnx") + std::chrono::seconds(5));
        {
            HashCache cache(cacheFile);
            QCOMPARE(scan(roots, cache).bytesHashed, std::uint64_t(200000));
        }
        testutil::writeRandomFile(root / "three.tflite", 300001, 3);
        {
            HashCache cache(cacheFile);
            const auto s = scan(roots, cache);
            QCOMPARE(s.bytesHashed, std::uint64_t(300001));
            QCOMPARE(find(s, "three")->entry.sha256, sha256sum(root / "three.tflite"));
        }
        // A damaged cache file is ignored, everything is hashed, and a good
        // cache is written over it.
        testutil::writeFile(cacheFile, "{\"format\": \"atmosphere-hash-cache\", \"files\": {\"/x\": ");
        {
            HashCache cache(cacheFile);
            QCOMPARE(cache.size(), std::size_t(0));
            const auto s = scan(roots, cache);
            QCOMPARE(s.bytesHashed, std::uint64_t(600001));
            QVERIFY2(s.problems.empty(), problems(s).c_str());
        }
        {
            HashCache cache(cacheFile);
            QCOMPARE(cache.size(), std::size_t(3));
        }
        // A malformed record is dropped alone; the others still spare their reads.
        auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(testutil::readFile(cacheFile))).object();
        auto files = doc.value("files").toObject();
        const QString oneKey = QString::fromStdString(fs::canonical(root / "one.gguf").string());
        QVERIFY(files.contains(oneKey));
        files[oneKey] = QJsonObject{{"size", "not a number"}};
        doc["files"] = files;
        testutil::writeFile(cacheFile, QJsonDocument(doc).toJson().toStdString());
        {
            HashCache cache(cacheFile);
            QCOMPARE(cache.size(), std::size_t(2));
            QCOMPARE(scan(roots, cache).bytesHashed, std::uint64_t(100000));
        }
        // Files that are gone leave the cache on save.
        fs::remove(root / "two.onnx");
        {
            HashCache cache(cacheFile);
            QCOMPARE(scan(roots, cache).models.size(), std::size_t(2));
        }
        QCOMPARE(HashCache(cacheFile).size(), std::size_t(2));
    }

    void hashCacheDirect()
    {
        testutil::Sandbox sb;
        HashCache cache(sb / "c.json");
        const std::string h(64, 'a');
        cache.storeWhole(sb / "f", 10, 123, h);
        QCOMPARE(cache.wholeHash(sb / "f", 10, 123), std::optional<std::string>(h));
        QVERIFY(!cache.wholeHash(sb / "f", 10, 124));
        QVERIFY(!cache.wholeHash(sb / "f", 11, 123));
        cache.storeChunks(sb / "f", 10, 123, 4, {std::string(64, '1'), std::string(64, '2'), std::string(64, '3')});
        QCOMPARE(cache.chunkHashes(sb / "f", 10, 123, 4)->size(), std::size_t(3));
        QVERIFY(!cache.chunkHashes(sb / "f", 10, 123, 5));
        cache.storeChunks(sb / "f", 10, 123, 4, {std::string(64, '1')}); // wrong count: refused
        QCOMPARE(cache.chunkHashes(sb / "f", 10, 123, 4)->size(), std::size_t(3));
        cache.storeWhole(sb / "f", 10, 999, h); // a new mtime drops the old chunks
        QVERIFY(!cache.chunkHashes(sb / "f", 10, 999, 4));
        // Saved only for files that exist.
        QVERIFY(cache.save().ok());
        QCOMPARE(HashCache(sb / "c.json").size(), std::size_t(0));
        // A cache that cannot be written is an error, not a crash.
        testutil::writeFile(sb / "blocker", "x");
        HashCache bad(sb / "blocker/c.json");
        bad.storeWhole(sb / "blocker", 1, 1, h);
        const Status st = bad.save();
        QVERIFY(!st.ok());
        QVERIFY2(st.message().find("blocker") != std::string::npos, st.message().c_str());
    }

    void chunkHashes()
    {
        testutil::Sandbox sb;
        const fs::path root = sb / "folder";
        const std::uint64_t size = 2 * kDefaultChunkHashSize + 12345;
        testutil::writeRandomFile(root / "big.gguf", size, 1);
        testutil::writeRandomFile(root / "exact.onnx", 1 << 20, 2);
        HashCache cache(sb / "cache.json");
        const auto s = scan({{LibraryRootKind::Folder, root}}, cache);
        const LocalModel* big = find(s, "big");

        // The scan computed them: a cancelled token proves nothing is read.
        CancelToken cancelled;
        cancelled.cancel();
        auto chunks = chunkHashesFor(*big, big->entry.chunkSize, cache, cancelled);
        QVERIFY2(chunks.ok(), chunks.ok() ? "" : chunks.message().c_str());
        QCOMPARE(*chunks, qtChunkHashes(root / "big.gguf", kDefaultChunkHashSize));
        QCOMPARE(chunks->size(), std::size_t(3));

        // Another size is computed (and then cached).
        QCOMPARE(chunkHashesFor(*big, 1 << 20, cache, cancelled).message(), std::string("cancelled"));
        auto mib = chunkHashesFor(*big, 1 << 20, cache, CancelToken());
        QVERIFY(mib.ok());
        QCOMPARE(*mib, qtChunkHashes(root / "big.gguf", 1 << 20));
        QCOMPARE(mib->size(), std::size_t(9));
        HashCache reloaded(sb / "cache.json");
        QVERIFY(chunkHashesFor(*big, 1 << 20, reloaded, cancelled).ok()); // saved by chunkHashesFor
        // One chunk size is kept per file: a rescan still reads nothing, and
        // the scan's size is made again on demand.
        QCOMPARE(scan({{LibraryRootKind::Folder, root}}, cache).bytesHashed, std::uint64_t(0));
        QCOMPARE(chunkHashesFor(*big, kDefaultChunkHashSize, cache, cancelled).message(), std::string("cancelled"));
        QCOMPARE(*chunkHashesFor(*big, kDefaultChunkHashSize, cache, CancelToken()),
                 qtChunkHashes(root / "big.gguf", kDefaultChunkHashSize));

        // Exact multiple of the chunk size: no empty last chunk.
        const LocalModel* exact = find(s, "exact");
        auto ex = chunkHashesFor(*exact, 256 * 1024, cache, CancelToken());
        QCOMPARE(*ex, qtChunkHashes(root / "exact.onnx", 256 * 1024));
        QCOMPARE(ex->size(), std::size_t(4));
        QVERIFY(!chunkHashesFor(*exact, 0, cache, CancelToken()).ok());

        // The file changed since the scan: refused, naming the model.
        testutil::writeRandomFile(root / "exact.onnx", 1 << 20, 3);
        auto changed = chunkHashesFor(*exact, 256 * 1024, cache, CancelToken());
        QVERIFY(!changed.ok());
        QVERIFY2(changed.message().find("exact: the file changed since the library scan") != std::string::npos,
                 changed.message().c_str());
        fs::remove(root / "exact.onnx");
        QVERIFY(chunkHashesFor(*exact, 256 * 1024, cache, CancelToken()).message().find("no longer there")
                != std::string::npos);
    }

    void progressCancelAndVanishing()
    {
        testutil::Sandbox sb;
        const fs::path root = sb / "folder";
        testutil::writeRandomFile(root / "a.gguf", 3 << 20, 1);
        testutil::writeRandomFile(root / "b.onnx", 1 << 20, 2);
        testutil::writeRandomFile(root / "c.pt", 2 << 20, 3);
        const std::vector<LibraryRoot> roots{{LibraryRootKind::Folder, root}};

        // Cancelled once hashing starts: the scan fails with "cancelled".
        {
            HashCache cache({});
            CancelToken token;
            Hook hook;
            hook.onEach = [&](const Progress& p) {
                if (p.phase == "hashing")
                    token.cancel();
            };
            auto r = scanLibrary(roots, cache, &hook, token);
            QVERIFY(!r.ok());
            QCOMPARE(r.message(), std::string("cancelled"));
        }
        // Progress: a hashing phase over all bytes, done when finished.
        {
            HashCache cache({});
            Hook hook;
            const auto s = scan(roots, cache, &hook);
            QCOMPARE(s.models.size(), std::size_t(3));
            std::uint64_t total = 0, done = 0;
            for (const auto& p : hook.seen)
                if (p.phase == "hashing") {
                    total = p.total;
                    done = p.done;
                }
            QCOMPARE(total, std::uint64_t(6 << 20));
            QCOMPARE(done, total);
        }
        // A file that disappears between listing and hashing is a problem line.
        {
            HashCache cache({});
            Hook hook;
            bool removed = false;
            hook.onEach = [&](const Progress& p) {
                if (p.phase == "hashing" && !removed)
                    removed = fs::remove(root / "b.onnx");
            };
            const auto s = scan(roots, cache, &hook);
            QVERIFY(removed);
            QCOMPARE(ids(s), std::string("a c"));
            QVERIFY2(problemAbout(s, "b.onnx").find("disappeared before it could be hashed") != std::string::npos,
                     problems(s).c_str());
        }
    }

    void unreadableDirectory()
    {
        testutil::Sandbox sb;
        const fs::path root = sb / "folder";
        testutil::writeRandomFile(root / "ok.gguf", 1000, 1);
        testutil::writeRandomFile(root / "locked/inside.gguf", 1000, 2);
        fs::permissions(sb.path(), fs::perms(0755));
        fs::permissions(root / "locked", fs::perms(0700));
        // As root, read permission checks are skipped; a file-system uid of
        // nobody (this thread only: the scan lists directories on it) brings
        // them back, and with them EACCES.
        const bool asRoot = ::geteuid() == 0;
        fs::permissions(root / "locked", fs::perms(0000));
        if (asRoot)
            ::setfsuid(65534);
        HashCache cache({});
        auto r = scanLibrary({{LibraryRootKind::Folder, root}}, cache, nullptr, CancelToken());
        if (asRoot)
            ::setfsuid(0);
        fs::permissions(root / "locked", fs::perms(0700));
        QVERIFY(r.ok());
        QCOMPARE(ids(*r), std::string("ok"));
        QVERIFY2(problemAbout(*r, "locked").find("cannot read: Permission denied") != std::string::npos,
                 problems(*r).c_str());
    }

    void defaultRoots()
    {
        const QByteArray saved[] = {qgetenv("HF_HUB_CACHE"), qgetenv("HF_HOME"), qgetenv("HOME"),
                                    qgetenv("XDG_CACHE_HOME"), qgetenv("HUGGINGFACE_HUB_CACHE")};
        qunsetenv("HF_HUB_CACHE");
        qunsetenv("HF_HOME");
        qunsetenv("XDG_CACHE_HOME");
        qunsetenv("HUGGINGFACE_HUB_CACHE");
        qputenv("HOME", "/home/tech");
        auto roots = defaultLibraryRoots("/data/station");
        QCOMPARE(roots.size(), std::size_t(4));
        QCOMPARE(roots[0].kind, LibraryRootKind::HuggingFaceHub);
        QCOMPARE(roots[0].path, fs::path("/home/tech/.cache/huggingface/hub"));
        QCOMPARE(roots[1].kind, LibraryRootKind::LlamaFarmVision);
        QCOMPARE(roots[1].path, fs::path("/home/tech/.llamafarm/models/vision"));
        QCOMPARE(roots[2].kind, LibraryRootKind::Downloads);
        QCOMPARE(roots[2].path, fs::path("/data/station/models"));
        QCOMPARE(roots[3].kind, LibraryRootKind::InstalledPackages);
        QCOMPARE(roots[3].path, fs::path("/data/station/installed"));
        qputenv("HF_HOME", "/hf");
        QCOMPARE(defaultLibraryRoots("/s")[0].path, fs::path("/hf/hub"));
        qputenv("HF_HUB_CACHE", "/hubcache");
        QCOMPARE(defaultLibraryRoots("/s")[0].path, fs::path("/hubcache"));
        const char* names[] = {"HF_HUB_CACHE", "HF_HOME", "HOME", "XDG_CACHE_HOME", "HUGGINGFACE_HUB_CACHE"};
        for (int i = 0; i < 5; ++i)
            saved[i].isNull() ? qunsetenv(names[i]) : qputenv(names[i], saved[i]);

        // Missing roots are skipped silently.
        HashCache cache({});
        const auto s = scan({{LibraryRootKind::HuggingFaceHub, "/nonexistent/hub"},
                             {LibraryRootKind::InstalledPackages, "/nonexistent/installed"}},
                            cache);
        QVERIFY(s.models.empty());
        QVERIFY(s.problems.empty());
    }
};

QTEST_GUILESS_MAIN(TstModelLibrary)
#include "tst_model_library.moc"
