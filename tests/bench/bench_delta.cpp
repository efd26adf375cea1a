// Delta benchmark driver (issue 15, "Delta updates"): a small command-line
// tool over core/delta, no Qt, for tests/bench/bench_delta.sh. Every command
// prints one JSON line on stdout; errors go to stderr with exit 1.
//
//   bench_delta create BASE TARGET OUT [--records]   createDelta, prints its Stats
//   bench_delta apply BASE DELTA OUT                 applyDelta (checkBase on), prints bytes written
//   bench_delta fixture-model BASE TARGET SIZE_MIB SEED
//       a random base of SIZE_MIB MiB and a target with ~5 % of the bytes
//       overwritten in scattered regions (4 KiB..256 KiB each) and a 16 MiB
//       random block inserted at ~1 % of the file; prints the changed bytes
//   bench_delta fixture-knowledge BASE TARGET SEED
//       a JSONL knowledge file of 100,000 records and a target with 47 added,
//       12 removed and 89 updated records; prints the changed records' bytes
//   bench_delta sha256 FILE                          atmo::sha256FileHex, prints MB/s
//
// The fixtures are streamed (a few 8 MiB buffers whatever the size) from a
// seeded xoshiro256** generator, so the same seed makes the same files.
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "core/base/cancel_token.h"
#include "core/base/sha256.h"
#include "core/delta/delta_apply.h"
#include "core/delta/delta_create.h"

using namespace atmo;
using Steady = std::chrono::steady_clock;

namespace {

// ---- a fast seeded generator (splitmix64 seeding xoshiro256**) ----------------------
std::uint64_t splitmix64(std::uint64_t& x)
{
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

class Rng {
public:
    explicit Rng(std::uint64_t seed)
    {
        for (auto& v : s_)
            v = splitmix64(seed);
    }
    std::uint64_t next()
    {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    // Uniform in [lo, hi] (the modulo bias is irrelevant here).
    std::uint64_t range(std::uint64_t lo, std::uint64_t hi) { return lo + next() % (hi - lo + 1); }
    void fill(std::uint8_t* p, std::size_t n)
    {
        while (n >= 8) {
            const std::uint64_t v = next();
            std::memcpy(p, &v, 8);
            p += 8, n -= 8;
        }
        if (n) {
            const std::uint64_t v = next();
            std::memcpy(p, &v, n);
        }
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

[[noreturn]] void die(const std::string& message)
{
    std::fprintf(stderr, "bench_delta: %s\n", message.c_str());
    std::exit(1);
}

[[noreturn]] void usage()
{
    std::fprintf(stderr,
                 "usage: bench_delta create BASE TARGET OUT [--records]\n"
                 "       bench_delta apply BASE DELTA OUT\n"
                 "       bench_delta fixture-model BASE TARGET SIZE_MIB SEED\n"
                 "       bench_delta fixture-knowledge BASE TARGET SEED\n"
                 "       bench_delta sha256 FILE\n");
    std::exit(2);
}

std::uint64_t number(const char* s)
{
    char* end = nullptr;
    const unsigned long long v = std::strtoull(s, &end, 10);
    if (!*s || *end)
        die(std::string("not a number: ") + s);
    return v;
}

double secondsSince(Steady::time_point t0)
{
    return std::chrono::duration<double>(Steady::now() - t0).count();
}

class Out {
public:
    explicit Out(const std::string& path) : path_(path), f_(std::fopen(path.c_str(), "wb"))
    {
        if (!f_)
            die(path + ": cannot create: " + std::strerror(errno));
    }
    ~Out()
    {
        if (f_)
            std::fclose(f_);
    }
    void write(const void* p, std::size_t n)
    {
        if (n && std::fwrite(p, 1, n, f_) != n)
            die(path_ + ": write failed: " + std::strerror(errno));
    }
    void write(const std::string& s) { write(s.data(), s.size()); }
    void close()
    {
        if (std::fclose(f_) != 0)
            die(path_ + ": close failed: " + std::strerror(errno));
        f_ = nullptr;
    }

private:
    std::string path_;
    std::FILE* f_;
};

// ---- create / apply / sha256 ---------------------------------------------------------
int cmdCreate(int argc, char** argv)
{
    if (argc < 5 || argc > 6)
        usage();
    delta::CreateOptions options;
    if (argc == 6) {
        if (std::strcmp(argv[5], "--records") != 0)
            usage();
        options.kind = delta::Kind::Records;
    }
    const auto t0 = Steady::now();
    const auto r = delta::createDelta(argv[2], argv[3], argv[4], options);
    const double s = secondsSince(t0);
    if (!r)
        die(std::string("createDelta failed (") + errorCodeName(r.code()) + "): " + r.message());
    std::printf("{\"copied_bytes\":%" PRIu64 ",\"new_bytes\":%" PRIu64 ",\"delta_bytes\":%" PRIu64
                ",\"copy_ops\":%" PRIu64 ",\"data_ops\":%" PRIu64 ",\"base_bytes\":%" PRIu64
                ",\"target_bytes\":%" PRIu64 ",\"seconds\":%.3f}\n",
                r->copiedBytes, r->newBytes, r->deltaBytes, r->copyOps, r->dataOps, r->header.baseSize,
                r->header.targetSize, s);
    return 0;
}

int cmdApply(int argc, char** argv)
{
    if (argc != 5)
        usage();
    delta::ApplyOptions options;
    options.checkBase = true;
    const auto t0 = Steady::now();
    const auto r = delta::applyDelta(argv[2], argv[3], argv[4], options);
    const double s = secondsSince(t0);
    if (!r)
        die(std::string("applyDelta failed (") + errorCodeName(r.code()) + "): " + r.message());
    std::printf("{\"bytes_written\":%" PRIu64 ",\"seconds\":%.3f}\n", r->bytesWritten, s);
    return 0;
}

int cmdSha256(int argc, char** argv)
{
    if (argc != 3)
        usage();
    std::uint64_t bytes = 0;
    const auto t0 = Steady::now();
    const auto r = sha256FileHex(argv[2], CancelToken{}, [&](std::uint64_t n) { bytes += n; });
    const double s = secondsSince(t0);
    if (!r)
        die(std::string("sha256FileHex failed: ") + r.message());
    // onBytes may report a running total or a block size; trust the file size.
    std::FILE* f = std::fopen(argv[2], "rb");
    if (f) {
        std::fseek(f, 0, SEEK_END);
        bytes = static_cast<std::uint64_t>(std::ftell(f));
        std::fclose(f);
    }
    std::printf("{\"bytes\":%" PRIu64 ",\"seconds\":%.3f,\"mb_per_s\":%.1f,\"sha256\":\"%s\"}\n", bytes, s,
                s > 0 ? static_cast<double>(bytes) / s / 1e6 : 0.0, r->c_str());
    return 0;
}

// ---- fixture-model -------------------------------------------------------------------
struct Region {
    std::uint64_t offset; // in the base (the target before the insertion)
    std::uint64_t length;
};

int cmdFixtureModel(int argc, char** argv)
{
    if (argc != 6)
        usage();
    const std::uint64_t mib = number(argv[4]);
    const std::uint64_t seed = number(argv[5]);
    if (mib < 32)
        die("SIZE_MIB must be at least 32");
    const std::uint64_t size = mib << 20;
    constexpr std::uint64_t kInsert = 16u << 20;
    constexpr std::uint64_t kMinRegion = 4u << 10, kMaxRegion = 256u << 10;
    constexpr std::size_t kBlock = 8u << 20;

    // Regions: random lengths until they cover ~5 % of the file, one per equal
    // slot at a random place inside it (scattered, never overlapping).
    Rng plan(seed * 3 + 1);
    std::vector<std::uint64_t> lengths;
    std::uint64_t want = size / 20, total = 0;
    while (total < want) {
        lengths.push_back(plan.range(kMinRegion, kMaxRegion));
        total += lengths.back();
    }
    const std::uint64_t slot = size / lengths.size();
    std::vector<Region> regions;
    std::uint64_t overwritten = 0;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
        const std::uint64_t len = std::min(lengths[i], slot);
        const std::uint64_t at = i * slot + plan.range(0, slot - len);
        regions.push_back({at, len});
        overwritten += len;
    }
    const std::uint64_t insertAt = size / 100 + plan.range(0, 65535);

    Rng baseRng(seed * 3 + 2), newRng(seed * 3 + 3);
    Out base(argv[2]), target(argv[3]);
    std::vector<std::uint8_t> buf(kBlock), tbuf(kBlock);
    std::size_t next = 0; // the first region that may still overlap
    for (std::uint64_t pos = 0; pos < size;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, size - pos));
        baseRng.fill(buf.data(), n);
        base.write(buf.data(), n);
        std::memcpy(tbuf.data(), buf.data(), n);
        while (next < regions.size() && regions[next].offset + regions[next].length <= pos)
            ++next;
        for (std::size_t i = next; i < regions.size() && regions[i].offset < pos + n; ++i) {
            const std::uint64_t from = std::max(regions[i].offset, pos);
            const std::uint64_t to = std::min(regions[i].offset + regions[i].length, pos + n);
            newRng.fill(tbuf.data() + (from - pos), static_cast<std::size_t>(to - from));
        }
        if (insertAt >= pos && insertAt < pos + n) {
            const std::size_t head = static_cast<std::size_t>(insertAt - pos);
            target.write(tbuf.data(), head);
            std::vector<std::uint8_t> ins(1u << 20);
            for (std::uint64_t done = 0; done < kInsert; done += ins.size()) {
                newRng.fill(ins.data(), ins.size());
                target.write(ins.data(), ins.size());
            }
            target.write(tbuf.data() + head, n - head);
        } else {
            target.write(tbuf.data(), n);
        }
        pos += n;
    }
    base.close();
    target.close();
    // Every overwritten byte lands in the target (nothing is removed); a new
    // random byte equals the old one 1 time in 256, which is ignored.
    std::printf("{\"base_bytes\":%" PRIu64 ",\"target_bytes\":%" PRIu64 ",\"changed_bytes\":%" PRIu64
                ",\"overwritten_bytes\":%" PRIu64 ",\"inserted_bytes\":%" PRIu64 ",\"regions\":%zu"
                ",\"insert_at\":%" PRIu64 "}\n",
                size, size + kInsert, overwritten + kInsert, overwritten, kInsert, regions.size(), insertAt);
    return 0;
}

// ---- fixture-knowledge ---------------------------------------------------------------
const char* const kWords[] = {
    "the", "of", "and", "to", "in", "is", "for", "with", "on", "by", "from", "at", "as", "be", "this", "that",
    "pump", "valve", "pressure", "filter", "sensor", "battery", "voltage", "current", "relay", "fuse",
    "generator", "inverter", "panel", "cable", "connector", "housing", "seal", "gasket", "bearing", "shaft",
    "motor", "coolant", "temperature", "flow", "rate", "maximum", "minimum", "nominal", "check", "replace",
    "inspect", "tighten", "loosen", "calibrate", "measure", "record", "report", "warning", "caution", "note",
    "procedure", "step", "section", "figure", "table", "manual", "operator", "technician", "maintenance",
    "service", "interval", "hours", "daily", "weekly", "monthly", "annual", "torque", "newton", "metres",
    "litres", "bar", "kilopascal", "celsius", "ampere", "volt", "watt", "ohm", "resistance", "insulation",
    "ground", "earth", "terminal", "switch", "breaker", "circuit", "diagram", "wiring", "harness", "alarm",
    "indicator", "display", "controller", "module", "firmware", "software", "update", "restart", "shutdown",
    "startup", "sequence", "mode", "manual", "automatic", "standby", "fault", "code", "error", "diagnostic",
    "test", "result", "value", "limit", "tolerance", "specification", "part", "number", "assembly", "remove",
    "install", "clean", "lubricate", "grease", "oil", "water", "fuel", "tank", "line", "hose", "clamp",
    "bolt", "nut", "washer", "screw", "bracket", "mount", "frame", "cover", "door", "latch", "hinge",
    "antenna", "radio", "frequency", "channel", "signal", "power", "supply", "output", "input", "level"};
constexpr std::size_t kWordCount = sizeof kWords / sizeof kWords[0];
const char* const kSources[] = {"manual.pdf", "generator-service.pdf", "pump-station.pdf", "radio-guide.pdf",
                                "field-handbook.pdf", "solar-array.pdf", "water-treatment.pdf", "first-aid.pdf"};
constexpr std::size_t kSourceCount = sizeof kSources / sizeof kSources[0];

std::vector<std::size_t> recordWords(std::uint64_t seed, std::uint64_t id)
{
    std::uint64_t s = seed ^ (id * 0x9e3779b97f4a7c15ull);
    Rng rng(splitmix64(s));
    const std::size_t target = 380 + rng.range(0, 40);
    std::vector<std::size_t> words;
    std::size_t length = 0;
    while (length < target) {
        words.push_back(rng.range(0, kWordCount - 1));
        length += std::strlen(kWords[words.back()]) + 1;
    }
    return words;
}

std::string recordLine(std::uint64_t id, const std::vector<std::size_t>& words)
{
    std::string text;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i)
            text += (i % 13 == 0) ? ". " : " ";
        text += kWords[words[i]];
    }
    text += '.';
    char head[128];
    const std::uint64_t doc = (id / 500) % kSourceCount;
    std::snprintf(head, sizeof head, "{\"id\":\"chunk-%06" PRIu64 "\",\"source\":\"%s\",\"page\":%" PRIu64 ",\"text\":\"", id,
                  kSources[doc], (id % 500) / 3 + 1);
    return head + text + "\"}\n";
}

int cmdFixtureKnowledge(int argc, char** argv)
{
    if (argc != 5)
        usage();
    const std::uint64_t seed = number(argv[4]);
    constexpr std::uint64_t kRecords = 100000, kAdded = 47, kRemoved = 12, kUpdated = 89;
    Rng plan(seed * 7 + 1);
    std::set<std::uint64_t> removed, updated, addedAfter;
    while (removed.size() < kRemoved)
        removed.insert(plan.range(0, kRecords - 1));
    while (updated.size() < kUpdated) {
        const std::uint64_t i = plan.range(0, kRecords - 1);
        if (!removed.count(i))
            updated.insert(i);
    }
    while (addedAfter.size() < kAdded)
        addedAfter.insert(plan.range(0, kRecords - 1));

    Out base(argv[2]), target(argv[3]);
    std::uint64_t baseBytes = 0, targetBytes = 0, changed = 0, addedBytes = 0, updatedBytes = 0, nextNew = kRecords;
    for (std::uint64_t i = 0; i < kRecords; ++i) {
        std::vector<std::size_t> words = recordWords(seed, i);
        const std::string line = recordLine(i, words);
        base.write(line);
        baseBytes += line.size();
        if (updated.count(i)) {
            // A few words changed, each to a different word.
            const std::size_t edits = 2 + plan.range(0, 3);
            for (std::size_t e = 0; e < edits; ++e) {
                const std::size_t w = plan.range(0, words.size() - 1);
                words[w] = (words[w] + 1 + plan.range(0, kWordCount - 2)) % kWordCount;
            }
            const std::string changedLine = recordLine(i, words);
            target.write(changedLine);
            targetBytes += changedLine.size();
            updatedBytes += changedLine.size();
        } else if (!removed.count(i)) {
            target.write(line);
            targetBytes += line.size();
        }
        if (addedAfter.count(i)) {
            const std::uint64_t id = nextNew++;
            const std::string added = recordLine(id, recordWords(seed + 1, id));
            target.write(added);
            targetBytes += added.size();
            addedBytes += added.size();
        }
    }
    base.close();
    target.close();
    changed = addedBytes + updatedBytes;
    std::printf("{\"base_bytes\":%" PRIu64 ",\"target_bytes\":%" PRIu64 ",\"changed_bytes\":%" PRIu64
                ",\"added_bytes\":%" PRIu64 ",\"updated_bytes\":%" PRIu64 ",\"records_base\":%" PRIu64
                ",\"records_target\":%" PRIu64 ",\"added\":%" PRIu64 ",\"removed\":%" PRIu64 ",\"updated\":%" PRIu64 "}\n",
                baseBytes, targetBytes, changed, addedBytes, updatedBytes, kRecords, kRecords - kRemoved + kAdded,
                kAdded, kRemoved, kUpdated);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
        usage();
    const std::string cmd = argv[1];
    if (cmd == "create")
        return cmdCreate(argc, argv);
    if (cmd == "apply")
        return cmdApply(argc, argv);
    if (cmd == "fixture-model")
        return cmdFixtureModel(argc, argv);
    if (cmd == "fixture-knowledge")
        return cmdFixtureKnowledge(argc, argv);
    if (cmd == "sha256")
        return cmdSha256(argc, argv);
    usage();
}
