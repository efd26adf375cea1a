// Writes the seed corpus of the fuzz targets from what core itself makes, so
// the seeds are real: packages built by createPackage from the demo mission
// (plus two tiny models) and signed with the fixture key, their manifests and
// signatures, key files, catalogs and peer lists serialised by core, journals
// left by a real DownloadJournal (killed and cleanly closed).
//
//   fuzz_make_seeds <source dir> <corpus dir>
//
// Run by hand after a format changes; the output is committed (keep each
// target's corpus under ~100 KiB). Hand-written seeds (range headers, odd
// missions) live beside the generated ones and are not touched.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/package/archive_reader.h"
#include "core/mesh/catalog_wire.h"
#include "core/delta/delta_create.h"
#include "core/transfer/download_journal.h"
#include "core/base/fs_util.h"
#include "core/mesh/mesh_peer.h"
#include "core/mesh/package_offers.h"
#include "core/package/package_writer.h"
#include "core/package/trust_store.h"
#include "core/base/sha256.h"
#include "fuzz_util.h"

namespace fs = std::filesystem;
using namespace atmo;

namespace {

fs::path out;

void put(const std::string& target, const std::string& name, const std::string& data)
{
    fs::create_directories(out / target);
    fuzz::writeFile(out / target / name, data);
}

std::string readAll(const fs::path& p)
{
    auto r = readFile(p);
    if (!r) {
        std::fprintf(stderr, "%s\n", r.message().c_str());
        std::exit(1);
    }
    return *r;
}

// The raw bytes of an archive's entry (the first one named `name`).
std::string entryBytes(const fs::path& archive, const std::string& name)
{
    auto r = ArchiveReader::open(archive);
    EntryInfo e;
    while ((*r)->next(e)) {
        std::string data;
        const void* block;
        std::size_t n;
        while ((*r)->readBlock(block, n))
            data.append(static_cast<const char*>(block), n);
        if (e.path == name)
            return data;
    }
    std::fprintf(stderr, "%s: no %s\n", archive.c_str(), name.c_str());
    std::exit(1);
}

// A line without its check, for the journal target's fix-up mode.
std::string stripChecks(const std::string& journal)
{
    std::string outText;
    std::size_t pos = 0;
    while (pos < journal.size()) {
        const std::size_t end = journal.find('\n', pos);
        const std::string line = journal.substr(pos, end - pos);
        outText += line.substr(0, line.rfind(' ')) + "\n";
        pos = end + 1;
    }
    return outText;
}

void packages(const fs::path& source, const fs::path& work)
{
    const fs::path mission = work / "mission";
    fs::copy(source / "resources" / "demo" / "mission", mission, fs::copy_options::recursive);
    fs::create_directories(mission / "models");
    fuzz::writeFile(mission / "models" / "tinyyolo-defects-1.3.onnx", std::string(700, 'o'));
    fuzz::writeFile(mission / "models" / "llama-edge-2.0.gguf", std::string(1500, 'g'));

    const SecretKey founder = [] {
        SecretKey k = fuzz::fixtureKey();
        k.keyNum[0] ^= 1; // another key id; the signature will not verify (founder is untrusted anyway)
        return k;
    }();
    struct Variant {
        const char* name;
        std::optional<int> tier;
        Compression c;
        bool founder;
    };
    const std::vector<Variant> variants = {{"full", std::nullopt, Compression::None, true},
                                           {"tier1", 1, Compression::None, false},
                                           {"full-zstd", std::nullopt, Compression::Zstd, false}};
    int n = 0;
    fs::path fullPackage;
    for (const auto& v : variants) {
        CreateOptions o;
        o.missionDir = mission;
        o.version = "1.3";
        o.outputDir = work / ("out" + std::to_string(++n));
        o.meshKey = fuzz::fixtureKey();
        if (v.founder)
            o.founderKey = founder;
        o.stationKey = fuzz::fixtureKey();
        o.stationName = "fuzz-station";
        o.tier = v.tier;
        o.compression = v.c;
        auto r = createPackage(o, nullptr, CancelToken());
        if (!r) {
            std::fprintf(stderr, "createPackage: %s\n", r.message().c_str());
            std::exit(1);
        }
        const std::string bytes = readAll(r->file);
        put("fuzz_archive_reader", std::string(v.name) + ".atmo", bytes);
        // First byte: tier choice and sink (fuzz_package_verify.cpp).
        put("fuzz_package_verify", std::string(v.name) + ".atmo", std::string(1, '\0') + bytes);
        put("fuzz_package_verify", std::string(v.name) + "-tier2-nosink.atmo", std::string(1, '\x06') + bytes);
        if (v.c == Compression::None) {
            put("fuzz_manifest", std::string(v.name) + ".yaml", entryBytes(r->file, kManifestName));
            put("fuzz_minisign_signature", std::string(v.name) + ".minisig", entryBytes(r->file, kMeshSignatureName));
            if (v.founder)
                put("fuzz_minisign_signature", "founder.minisig", entryBytes(r->file, kFounderSignatureName));
        }
        if (!std::string_view(v.name).compare("full"))
            fullPackage = r->file;
    }

    // A delta package 1.3 -> 1.4 (a delta: section, a .delta entry).
    const fs::path next = work / "mission-1.4";
    fs::copy(mission, next, fs::copy_options::recursive);
    std::string model(700, 'o');
    model[350] = 'x';
    fuzz::writeFile(next / "models" / "tinyyolo-defects-1.3.onnx", model);
    const fs::path trustDir = work / "trust";
    TrustStore trust(trustDir);
    if (auto added = trust.add(fuzz::fixtureKey().publicKey(), TrustRole::Mesh, "fuzz"); !added) {
        std::fprintf(stderr, "trust: %s\n", added.message().c_str());
        std::exit(1);
    }
    CreateOptions o;
    o.missionDir = next;
    o.version = "1.4";
    o.outputDir = work / "out-delta";
    o.meshKey = fuzz::fixtureKey();
    o.stationName = "fuzz-station";
    o.deltaFrom = fullPackage;
    o.trust = &trust;
    auto r = createPackage(o, nullptr, CancelToken());
    if (!r || !r->manifest.delta || r->manifest.deltaFiles.empty()) {
        std::fprintf(stderr, "createPackage (delta): %s\n", r ? "no .delta in it" : r.message().c_str());
        std::exit(1);
    }
    const std::string bytes = readAll(r->file);
    put("fuzz_archive_reader", "delta.atmo", bytes);
    put("fuzz_package_verify", "delta.atmo", std::string(1, '\0') + bytes);
    put("fuzz_manifest", "delta.yaml", entryBytes(r->file, kManifestName));
}

void keys()
{
    const SecretKey& k = fuzz::fixtureKey();
    put("fuzz_minisign_key", "fixture.pub", k.publicKey().fileText("minisign public key " + k.keyId()));
    put("fuzz_minisign_key", "fixture-line.txt", k.publicKey().base64());
    put("fuzz_minisign_key", "fixture.key", secretKeyFileText(k, std::nullopt));
    put("fuzz_minisign_key", "fixture-encrypted.key", secretKeyFileText(k, std::string("fuzz")));
    const Signature legacy = signMessage(k, "fuzz message\n", "timestamp:0\tfile:fuzz");
    put("fuzz_minisign_signature", "message.minisig", legacy.fileText());
}

CatalogEntry sampleEntry(const std::string& id, bool full)
{
    CatalogEntry e;
    e.modelId = id;
    e.name = id;
    e.type = "vision";
    e.format = "onnx";
    e.sizeBytes = 12345678;
    e.sha256 = sha256Hex(id);
    e.version = "1.3";
    if (full) {
        e.capabilities = {"detection", "defects"};
        e.classes = {"scratch", "dent"};
        e.classCount = 2;
        e.baseModel = "yolov8n";
        e.contextLength = 4096;
        e.source = "llamafarm_training";
        e.sourceRef = "run-42";
        e.metadataJson = R"({"epochs":30,"map50":0.71})";
        e.chunkSize = 4u << 20;
    }
    return e;
}

void catalogs()
{
    const auto a = sampleEntry("tinyyolo-defects", true), b = sampleEntry("llama-edge_1732204058", false);
    put("fuzz_catalog", "models.json", modelListToJson({a, b}));
    put("fuzz_catalog", "entry.json", catalogEntryToJson(a));
    CatalogMessage m;
    m.nodeId = "0123456789abcdef0123456789abcdef";
    m.nodeName = "line-3";
    m.timestampMs = 1764626400000;
    m.models = {a, b};
    m.httpEndpoint = "http://192.168.1.20:8765";
    m.websocket = true;
    put("fuzz_catalog", "catalog-message.json", catalogMessageToJson(m));

    std::vector<PeerRecord> peers(3);
    peers[0] = {"0123456789abcdef0123456789abcdef", "line-3", "http://192.168.1.20:8765", 1764626400000, PeerOrigin::Mdns};
    peers[1] = {"llamafarm-unknown", "bridge", "http://[fe80::1]:8080", 1764626300000, PeerOrigin::ViaPeer};
    peers[2] = {"station-b", "", "http://station-b.local:8765", 0, PeerOrigin::Manual};
    put("fuzz_peer_list", "peers.json", peerListToJson(peers));

    const std::string sha = sha256Hex("package");
    auto file = [&](const std::string& id, const std::string& v, std::optional<int> tier) {
        return std::string(R"({"tier":)") + (tier ? std::to_string(*tier) : "null") + R"(,"file_name":")" + id + "-v" +
               v + (tier ? "-tier" + std::to_string(*tier) : "") + R"(.atmo","size_bytes":40960,"sha256":")" + sha +
               R"(","url":")" + packageFileUrl(id, v, tier) + R"("})";
    };
    const std::string listing =
        R"({"packages":[{"id":"production-inspection","version":"1.3","name":"Production line inspection",)"
        R"("created":"2026-11-21T16:07:38Z","tiers":[1,2],"manifest_url":"/v1/packages/production-inspection/1.3/manifest.yaml",)"
        R"("signature_url":"/v1/packages/production-inspection/1.3/manifest.yaml.minisig","files":[)" +
        file("production-inspection", "1.3", std::nullopt) + "," + file("production-inspection", "1.3", 1) + "," +
        file("production-inspection", "1.3", 2) + R"(]},{"id":"demo","version":"2.0-rc1","files":[)" +
        file("demo", "2.0-rc1", std::nullopt) + "]}]}\n";
    put("fuzz_package_offers", "listing.json", listing);
    // 1.4 held as a full package and two deltas (from 1.3, and 1.3's tier 1).
    auto delta = [&](const std::string& v, const std::string& from, std::optional<int> tier) {
        return std::string(R"({"variant":"x","from":")") + from + R"(","tier":)" +
               (tier ? std::to_string(*tier) : "null") + R"(,"base_manifest_sha256":")" + sha256Hex("manifest " + from) +
               R"(","file_name":"d.atmo","size_bytes":4096,"sha256":")" + sha + R"(","url":")" +
               packageDeltaUrl("production-inspection", v, from, tier) + R"("})";
    };
    put("fuzz_package_offers", "listing-deltas.json",
        R"({"packages":[{"id":"production-inspection","version":"1.4","files":[)" +
            file("production-inspection", "1.4", std::nullopt) + R"(],"deltas":[)" + delta("1.4", "1.3", std::nullopt) +
            "," + delta("1.4", "1.3", 1) + R"(]},{"id":"production-inspection","version":"1.5+b2","files":[],"deltas":[)" +
            "{}," + delta("1.5+b2", "1.4", std::nullopt) + "]}]}\n");
}

void journals(const fs::path& work)
{
    // The target of fuzz_download_journal.cpp: 6 chunks of 4 KiB and 100 bytes.
    constexpr std::uint64_t kChunk = 4096, kSize = 6 * kChunk + 100;
    const std::string content = fuzz::fixedBytes(kSize, 12345);
    for (int hashes = 0; hashes < 2; ++hashes) {
        const fs::path dir = work / ("journal" + std::to_string(hashes));
        fs::create_directories(dir);
        const fs::path finalPath = dir / "fuzz-model.gguf";
        DownloadTarget t;
        t.modelId = "fuzz-model";
        t.size = kSize;
        t.sha256 = sha256Hex(content);
        t.chunkSize = kChunk;
        if (hashes)
            for (std::uint64_t off = 0; off < kSize; off += kChunk)
                t.chunkHashes.push_back(sha256Hex(std::string_view(content).substr(off, kChunk)));
        JournalOptions o;
        o.bootId = hashes ? "fuzz-boot" : "another-boot";
        o.directIo = false;
        o.syncEveryBytes = 2 * kChunk;
        auto j = DownloadJournal::open(finalPath, t, nullptr, CancelToken(), o);
        if (!j) {
            std::fprintf(stderr, "journal: %s\n", j.message().c_str());
            std::exit(1);
        }
        for (std::uint32_t i : {0u, 1u, 3u, 6u}) {
            auto w = (*j)->beginChunk(i);
            const std::uint64_t off = i * kChunk, len = std::min(kChunk, kSize - off);
            (void)w->write(content.data() + off, len);
            (void)(*j)->commitChunk(*w);
        }
        const std::string name = hashes ? "hashes" : "plain";
        // What a kill leaves, then what a clean close leaves.
        const std::string killed = readAll(DownloadJournal::journalPath(finalPath));
        (*j)->close();
        const std::string closed = readAll(DownloadJournal::journalPath(finalPath));
        const char flag = hashes ? 2 : 0;
        put("fuzz_download_journal", name + "-killed.raw", std::string(1, flag) + killed);
        put("fuzz_download_journal", name + "-closed.raw", std::string(1, flag) + closed);
        put("fuzz_download_journal", name + "-killed.fix", std::string(1, char(flag | 1)) + stripChecks(killed));
        put("fuzz_download_journal", name + "-closed.fix", std::string(1, char(flag | 1)) + stripChecks(closed));
    }
}

void deltas(const fs::path& work)
{
    // The base of fuzz_delta_apply.cpp: 96 KiB from a fixed generator.
    const std::string base = fuzz::fixedBytes(96 * 1024, 777);
    std::string changed = base;
    changed.replace(40000, 3000, std::string(3000, 'z'));
    changed.insert(70000, "a few inserted bytes");
    std::string lines;
    for (int i = 0; i < 200; ++i)
        lines += "{\"id\":\"r" + std::to_string(i) + "\"}\n";
    const struct {
        const char* name;
        std::string target;
        delta::Kind kind;
    } cases[] = {
        {"same", base, delta::Kind::Binary},
        {"changed", changed, delta::Kind::Binary},
        {"empty", "", delta::Kind::Binary},
        {"unrelated", lines, delta::Kind::Binary},
        {"records", lines + base.substr(0, 5000), delta::Kind::Records},
    };
    fuzz::writeFile(work / "delta-base", base);
    for (const auto& c : cases) {
        fuzz::writeFile(work / "delta-target", c.target);
        delta::CreateOptions o;
        o.kind = c.kind;
        auto made = delta::createDelta(work / "delta-base", work / "delta-target", work / "seed.delta", o);
        if (!made) {
            std::fprintf(stderr, "delta: %s\n", made.message().c_str());
            std::exit(1);
        }
        const std::string d = readAll(work / "seed.delta");
        put("fuzz_delta_apply", std::string(c.name) + ".raw", std::string(1, '\0') + d);
        put("fuzz_delta_apply", std::string(c.name) + ".fix", std::string(1, '\1') + d);
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: fuzz_make_seeds <source dir> <corpus dir>\n");
        return 2;
    }
    const fs::path source = argv[1];
    out = argv[2];
    const fs::path work = fuzz::tempDir();
    packages(source, work);
    keys();
    catalogs();
    journals(work);
    deltas(work);
    put("fuzz_mission", "demo-mission.yaml", readAll(source / "resources" / "demo" / "mission" / "config" / "mission.yaml"));
    std::printf("seeds written to %s\n", out.c_str());
    return 0;
}
