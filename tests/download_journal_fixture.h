// What the download journal tests share: a small file of random bytes in
// 64 KiB chunks, targets for it, writing chunks as a socket delivers them,
// and a download left exactly as a SIGKILL leaves it.
#pragma once

#include <QtTest>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <random>

#include "core/transfer/download_journal.h"
#include "core/base/sha256.h"
#include "testutil.h"

namespace journal_fixture {

using namespace atmo;
namespace fs = std::filesystem;

constexpr std::uint64_t kChunk = 64 * 1024;
constexpr std::uint64_t kSize = 16 * kChunk + 1000; // 17 chunks, a short last one

inline std::string randomBytes(std::uint64_t size, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::string s(size, '\0');
    for (auto& c : s)
        c = char(rng());
    return s;
}

inline DownloadTarget targetFor(const std::string& data, bool chunkHashes, const std::string& id = "tiny-llm")
{
    DownloadTarget t;
    t.modelId = id;
    t.size = data.size();
    t.sha256 = sha256Hex(data);
    t.chunkSize = kChunk;
    if (chunkHashes)
        for (std::uint64_t off = 0; off < data.size(); off += kChunk)
            t.chunkHashes.push_back(sha256Hex(std::string_view(data).substr(off, kChunk)));
    return t;
}

// Batches that never fill up on their own, in a boot the test names.
inline JournalOptions inBoot(const std::string& bootId, std::uint64_t syncEveryBytes = 1ull << 40)
{
    JournalOptions o;
    o.bootId = bootId;
    o.syncEveryBytes = syncEveryBytes;
    o.syncEvery = std::chrono::hours(1);
    return o;
}

inline std::unique_ptr<DownloadJournal> openOk(const fs::path& final, const DownloadTarget& t, Observer* obs = nullptr,
                                        const JournalOptions& options = {})
{
    auto r = DownloadJournal::open(final, t, obs, CancelToken(), options);
    if (!r)
        qFatal("open failed: %s", r.message().c_str());
    return std::move(r.value());
}

// Writes chunk i of `data` in 10000-byte pieces, as a socket would deliver it.
inline ChunkCheck putChunk(DownloadJournal& j, std::uint32_t i, const std::string& data, bool corrupt = false)
{
    auto w = j.beginChunk(i);
    if (!w)
        qFatal("beginChunk(%u): %s", i, w.message().c_str());
    std::string bytes = data.substr(j.layout().offset(i), j.layout().length(i));
    if (corrupt)
        bytes[bytes.size() / 2] ^= 0x55;
    for (std::size_t off = 0; off < bytes.size(); off += 10000) {
        auto s = w->write(bytes.data() + off, std::min<std::size_t>(10000, bytes.size() - off));
        if (!s)
            qFatal("write: %s", s.message().c_str());
    }
    auto c = j.commitChunk(*w);
    if (!c)
        qFatal("commit(%u): %s", i, c.message().c_str());
    return *c;
}

// Leaves a download exactly as a killed process leaves it: a child commits
// `done`, writes half of each chunk in `inFlight`, and is SIGKILLed.
inline void killedDownload(const fs::path& final, const DownloadTarget& t, const std::string& data,
                    const std::vector<std::uint32_t>& done, const std::vector<std::uint32_t>& inFlight,
                    const JournalOptions& options = {})
{
    const pid_t pid = ::fork();
    if (pid == 0) {
        auto r = DownloadJournal::open(final, t, nullptr, CancelToken(), options);
        if (!r)
            ::_exit(3);
        DownloadJournal& j = **r;
        for (auto i : done)
            putChunk(j, i, data);
        std::vector<ChunkWriter> writers;
        for (auto i : inFlight) {
            writers.push_back(std::move(j.beginChunk(i).value()));
            const auto off = j.layout().offset(i);
            (void)writers.back().write(data.data() + off, j.layout().length(i) / 2);
        }
        ::kill(::getpid(), SIGKILL);
        ::_exit(4);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the child was not killed mid-download");
}

inline std::vector<std::uint32_t> doneList(const DownloadJournal& j)
{
    std::vector<std::uint32_t> out;
    const auto done = j.doneChunks();
    for (std::uint32_t i = 0; i < done.size(); ++i)
        if (done[i])
            out.push_back(i);
    return out;
}

inline void finishAll(DownloadJournal& j, const std::string& data)
{
    for (auto i : j.missingChunks())
        putChunk(j, i, data);
}

inline std::string journalLine(const std::string& payload) { return payload + " " + sha256Hex(payload).substr(0, 16) + "\n"; }

inline int countLines(const std::string& text, const std::string& prefix)
{
    int n = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        if (text.compare(pos, prefix.size(), prefix) == 0)
            ++n;
        const std::size_t end = text.find('\n', pos);
        pos = end == std::string::npos ? text.size() : end + 1;
    }
    return n;
}

inline void appendText(const fs::path& p, const std::string& text)
{
    std::ofstream out(p, std::ios::binary | std::ios::app);
    out << text;
}

inline void overwriteAt(const fs::path& p, std::uint64_t offset, const std::string& bytes)
{
    std::fstream f(p, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(std::streamoff(offset));
    f.write(bytes.data(), std::streamsize(bytes.size()));
}

struct Phases : Observer {
    QList<Phase> phases;
    void onProgress(const Progress& p) override
    {
        if (phases.isEmpty() || phases.last() != p.phase)
            phases << p.phase;
    }
};


} // namespace journal_fixture
