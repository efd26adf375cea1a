// The local model library on real directory trees of every layout: Hugging
// Face hub cache (real blob symlinks, the newest snapshot, links that escape
// the repo), LlamaFarm vision folders with training metadata, the
// station's downloads ({id}.{format} + {id}.json), installed packages (really
// built and installed), plain folders; duplicates, problems that must never
// fail a scan, and default roots (hashing: tst_model_library_hashing.cpp).
#include <QtTest>

#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "core/package/installer.h"
#include "core/mesh/model_library.h"
#include "core/mesh/model_presence.h"
#include "core/package/package_writer.h"
#include "core/package/trust_store.h"
#include "model_library_fixture.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;
using namespace model_library_fixture;

namespace {

void setMtime(const fs::path& p, std::chrono::seconds ago)
{
    fs::last_write_time(p, fs::file_time_type::clock::now() - ago);
}

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
    // The one "already here" predicate (core/mesh/model_presence.h): the library
    // by id, SHA-256, size and a file still that size; else the download's
    // final name known to the hash cache (canonical key), with the entry
    // file beside it when asked; never by reading the bytes.
    void alreadyHerePredicate()
    {
        testutil::Sandbox sb;
        const fs::path dir = sb.path() / "models", file = dir / "m.gguf";
        testutil::writeFile(file, std::string(1000, 'x'));
        const std::string sha(64, 'a'), other(64, 'b');
        CatalogEntry entry;
        entry.modelId = "m";
        entry.sha256 = sha;
        entry.sizeBytes = 1000;
        const WantedFile wanted{"m", sha, 1000, file, true};

        HashCache cache{fs::path()};
        QVERIFY(!alreadyHere(LibraryIndex(), wanted, &cache));
        QVERIFY(!alreadyHere(LibraryIndex(), wanted, nullptr));

        // The scan found it: here, whatever the cache says.
        const fs::path elsewhere = sb.path() / "hub" / "m.gguf";
        testutil::writeFile(elsewhere, std::string(1000, 'y'));
        const LibraryIndex library({LocalModel{entry, elsewhere}});
        QCOMPARE(alreadyHere(library, wanted, nullptr).value_or(""), elsewhere);
        QVERIFY(!alreadyHere(library, WantedFile{"m", other, 1000, {}, false}, nullptr)); // other bytes
        testutil::writeFile(elsewhere, std::string(999, 'y'));                         // changed since the scan
        QVERIFY(!alreadyHere(library, wanted, nullptr));

        // The cache knows the file at the final name (under its canonical path).
        struct stat st {};
        QCOMPARE(::stat(file.c_str(), &st), 0);
        const std::int64_t mtime = std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
        cache.storeWhole(fs::canonical(file), 1000, mtime, other);
        QVERIFY(!alreadyHere(LibraryIndex(), wanted, &cache)); // known, and not these bytes
        cache.storeWhole(fs::canonical(file), 1000, mtime, sha);
        QVERIFY(!alreadyHere(LibraryIndex(), wanted, &cache)); // no m.json beside it: the scan would skip it
        QCOMPARE(alreadyHere(LibraryIndex(), WantedFile{"m", sha, 1000, file, false}, &cache).value_or(""), file);
        testutil::writeFile(dir / "m.json", "{}");
        QCOMPARE(alreadyHere(LibraryIndex(), wanted, &cache).value_or(""), file);
        // Through a link to the same file: the same answer.
        fs::create_directory_symlink(dir, sb.path() / "link");
        QVERIFY(alreadyHere(LibraryIndex(), WantedFile{"m", sha, 1000, sb.path() / "link" / "m.gguf", false}, &cache));
    }

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

ATMO_TEST_GUILESS_MAIN(TstModelLibrary)
#include "tst_model_library.moc"
