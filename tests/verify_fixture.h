// Shared by tst_verify.cpp and tst_verify_hostile.cpp: a sandbox with a real
// mission, a mesh key trusted in a real trust store, packages built with
// atmo::createPackage, crafted copies of them, and an observer and a sink
// that record what verifyPackage tells them.
#pragma once

#include <QtTest>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/package/minisign.h"
#include "core/package/package_verifier.h"
#include "core/package/package_writer.h"
#include "core/base/sha256.h"
#include "core/package/trust_store.h"
#include "testutil.h"

namespace vfix {

using namespace atmo;

inline const std::string kConfig = "config/llamafarm.yaml";
inline const std::string kSmall = "models/tinyyolo-defects-1.3.onnx"; // tiers 1 and 2
inline const std::string kLarge = "models/llama-edge-2.0.gguf";       // tier 2 only
inline const std::string kKnowledge = "knowledge/defects.chunks.jsonl";

class RecordingObserver : public VerifyObserver {
public:
    int signatureCalls = 0;
    std::vector<SignatureCheck> signatures; // as seen at the last onSignatures
    bool manifestAtSignatures = false;
    std::vector<FileCheck> files;           // every onFile call, in order
    std::function<void(const FileCheck&)> onFileHook;

    std::vector<FileCheck> filesAtSignatures;  // the report's files at the last onSignatures
    std::vector<Progress> progress;            // every report
    std::function<void(const Progress&)> onProgressHook; // a slow caller sleeps here

    void onSignatures(const VerifyReport& r) override
    {
        ++signatureCalls;
        signatures = r.signatures;
        filesAtSignatures = r.files;
        manifestAtSignatures = r.manifest.has_value();
    }
    void onProgress(const Progress& p) override
    {
        progress.push_back(p); // reports come one at a time (the reporter's lock)
        if (onProgressHook)
            onProgressHook(p);
    }
    void onFile(const FileCheck& f) override
    {
        files.push_back(f);
        if (onFileHook)
            onFileHook(f);
    }
    const FileCheck* last(const std::string& path) const
    {
        for (auto it = files.rbegin(); it != files.rend(); ++it)
            if (it->path == path)
                return &*it;
        return nullptr;
    }
};

class RecordingSink : public EntrySink {
public:
    std::vector<std::string> metadataNames;
    int manifestCalls = 0;
    std::optional<int> manifestTier;
    std::map<std::string, std::string> stored; // path -> bytes received
    std::vector<std::string> ended;
    int aborts = 0;
    std::function<void(std::size_t)> onWrite;  // called with the block size

    void onMetadata(const std::string& name, const std::string&) override { metadataNames.push_back(name); }
    void onManifest(const Manifest&, std::optional<int> tier) override
    {
        ++manifestCalls;
        manifestTier = tier;
    }
    bool beginFile(const ContentFile& f) override
    {
        current_ = f.path;
        stored[f.path];
        return true;
    }
    void write(const void* data, std::size_t size) override
    {
        stored[current_].append(static_cast<const char*>(data), size);
        if (onWrite)
            onWrite(size);
    }
    void endFile(const ContentFile& f) override { ended.push_back(f.path); }
    void abort() override { ++aborts; }

private:
    std::string current_;
};

// Per-test state: call setUp() from init() and tearDown() from cleanup().
struct Fixture {
    std::unique_ptr<testutil::Sandbox> sb;
    fs::path mission;
    SecretKey mesh;
    SecretKey founder;
    std::unique_ptr<TrustStore> trust;
    int counter = 0;

    void setUp()
    {
        sb = std::make_unique<testutil::Sandbox>();
        mission = testutil::makeMission(sb->path() / "mission");
        mesh = testutil::makeKey();
        founder = testutil::makeKey();
        testutil::trustKey(sb->path() / "home", mesh, TrustRole::Mesh, "mesh key");
        trust = std::make_unique<TrustStore>(sb->path() / "home" / "trust");
    }
    void tearDown()
    {
        trust.reset();
        sb.reset();
    }

    // A real package in a fresh output directory; fails the test on error.
    fs::path build(std::optional<int> tier = std::nullopt, Compression c = Compression::None,
                   std::optional<SecretKey> founderKey = std::nullopt, std::optional<SecretKey> meshKey = std::nullopt,
                   const fs::path& missionDir = {})
    {
        CreateOptions o;
        o.missionDir = missionDir.empty() ? mission : missionDir;
        o.version = "1.3";
        o.outputDir = sb->path() / ("out" + std::to_string(++counter));
        o.meshKey = meshKey ? *meshKey : mesh;
        o.founderKey = founderKey;
        o.tier = tier;
        o.compression = c;
        auto r = createPackage(o, nullptr, CancelToken());
        if (!r)
            qFatal("createPackage failed: %s", r.message().c_str());
        return r->file;
    }

    // A rewritten copy of `source` after `edit` changed its raw entries.
    fs::path craft(const fs::path& source, const std::function<void(std::vector<testutil::RawEntry>&)>& edit)
    {
        auto entries = testutil::readTarEntries(source);
        edit(entries);
        const fs::path out = sb->path() / ("crafted" + std::to_string(++counter) + ".atmo");
        testutil::writeTarEntries(out, entries);
        return out;
    }

    VerifyReport verify(const fs::path& file, std::optional<int> tier = std::nullopt, VerifyObserver* observer = nullptr,
                        EntrySink* sink = nullptr, const CancelToken& cancel = CancelToken(),
                        const TrustStore* store = nullptr)
    {
        VerifyOptions o;
        o.trust = store ? store : trust.get();
        o.tier = tier;
        o.sink = sink;
        return verifyPackage(file, o, observer, cancel);
    }

    std::string source(const std::string& rel) const { return testutil::readFile(mission / rel); }
};

inline testutil::RawEntry raw(std::string path, std::string data, char type = '0', std::string link = {})
{
    testutil::RawEntry e;
    e.path = std::move(path);
    e.data = std::move(data);
    e.type = type;
    e.linkTarget = std::move(link);
    return e;
}

inline std::vector<testutil::RawEntry>::iterator entry(std::vector<testutil::RawEntry>& es, const std::string& path)
{
    for (auto it = es.begin(); it != es.end(); ++it)
        if (it->path == path)
            return it;
    qFatal("test bug: no entry %s", path.c_str());
    return es.end();
}

// Drops the line for `path` from checksums.sha256 (so only the manifest can
// tell that the file is gone).
inline void dropChecksumLine(std::vector<testutil::RawEntry>& es, const std::string& path)
{
    std::string& text = entry(es, kChecksumsName)->data;
    const auto pos = text.find("  " + path + "\n");
    if (pos == std::string::npos || pos < 64)
        qFatal("test bug: %s not in checksums", path.c_str());
    text.erase(pos - 64, 64 + 2 + path.size() + 1);
}

// The report's check for path; a Pending placeholder (so a comparison fails
// instead of crashing) when the report has none.
inline const FileCheck* fileCheck(const VerifyReport& r, const std::string& path)
{
    for (const auto& f : r.files)
        if (f.path == path)
            return &f;
    static const FileCheck absent = [] {
        FileCheck f;
        f.path = "<not in report>";
        return f;
    }();
    return &absent;
}

inline QString q(const std::string& s) { return QString::fromStdString(s); }

inline void replaceAll(std::string& s, const std::string& from, const std::string& to)
{
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
}

// A copy of source whose manifest went through editManifest (then its
// entries through editEntries), re-signed with the fixture's trusted mesh key.
inline fs::path resigned(Fixture& fx, const fs::path& source, const std::function<void(std::string&)>& editManifest,
                         const std::function<void(std::vector<testutil::RawEntry>&)>& editEntries = {})
{
    return fx.craft(source, [&](std::vector<testutil::RawEntry>& es) {
        std::string& yaml = entry(es, kManifestName)->data;
        editManifest(yaml);
        if (editEntries)
            editEntries(es);
        entry(es, kMeshSignatureName)->data = signMessage(fx.mesh, yaml, "resigned by the test").fileText();
    });
}

} // namespace vfix

// ok == false, and the reason contains every needle (the entry and the cause).
#define EXPECT_REJECTED(report, ...)                                                                             \
    do {                                                                                                         \
        const auto& r_ = (report);                                                                               \
        QVERIFY2(!r_.ok, "the package was accepted");                                                            \
        QVERIFY2(!r_.reason.empty(), "rejected without a reason");                                               \
        for (const QString& n_ : QStringList{__VA_ARGS__})                                                       \
            QVERIFY2(vfix::q(r_.reason).contains(n_), qPrintable("\"" + n_ + "\" not in reason: " + vfix::q(r_.reason))); \
    } while (0)
