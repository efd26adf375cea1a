// The local model library's hashing: the hash cache (rescans read nothing,
// touched or resized files are rehashed alone, a damaged cache is survived),
// chunk hashes against an independent implementation, progress, cancellation
// and files that vanish mid-scan.
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <chrono>
#include <functional>
#include <mutex>

#include "core/mesh/model_library.h"
#include "model_library_fixture.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;
using namespace model_library_fixture;

namespace {

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

} // namespace

class TstModelLibraryHashing : public QObject {
    Q_OBJECT

private slots:
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
                if (p.phase == Phase::Hashing)
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
                if (p.phase == Phase::Hashing) {
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
                if (p.phase == Phase::Hashing && !removed)
                    removed = fs::remove(root / "b.onnx");
            };
            const auto s = scan(roots, cache, &hook);
            QVERIFY(removed);
            QCOMPARE(ids(s), std::string("a c"));
            QVERIFY2(problemAbout(s, "b.onnx").find("disappeared before it could be hashed") != std::string::npos,
                     problems(s).c_str());
        }
    }

};

ATMO_TEST_GUILESS_MAIN(TstModelLibraryHashing)
#include "tst_model_library_hashing.moc"
