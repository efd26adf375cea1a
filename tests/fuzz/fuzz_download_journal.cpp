// A download journal left on disk (core/transfer/download_journal.h): the input is
// written as `.<name>.journal` beside a part file in a private directory and
// DownloadJournal::open validates it, resumes or starts over, and compacts
// it; then the download is closed cleanly (a second rewrite).
//
// Every journal line ends in a check (16 hex digits of the SHA-256 of the
// line), which a mutation almost never gets right. So the first input byte
// is a set of flags, and with bit 0 set the harness appends the right check
// to every line of the rest: the fuzzer then explores the records
// themselves. With bit 0 clear the rest is written as it is (torn and
// damaged lines). The target is fixed (make_seeds.cpp writes journals for
// it): "fuzz-model", 6 chunks of 4 KiB and a short one.
//   bit 1: per-chunk hashes are known to the downloader
//   bit 2: no part file
//   bit 3: the part file is one chunk short (truncated)
//   bit 4: the part file's second chunk is damaged
//   bit 5: the final file exists already (a crash after the rename)
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/transfer/download_journal.h"
#include "core/base/sha256.h"
#include "fuzz_util.h"

namespace {

constexpr std::uint64_t kChunk = 4096;
constexpr std::uint64_t kSize = 6 * kChunk + 100;

const std::string& content()
{
    static const std::string bytes = fuzz::fixedBytes(kSize, 12345);
    return bytes;
}

atmo::DownloadTarget target(bool hashes)
{
    atmo::DownloadTarget t;
    t.modelId = "fuzz-model";
    t.size = kSize;
    t.sha256 = atmo::sha256Hex(content());
    t.chunkSize = kChunk;
    if (hashes)
        for (std::uint64_t off = 0; off < kSize; off += kChunk)
            t.chunkHashes.push_back(atmo::sha256Hex(std::string_view(content()).substr(off, kChunk)));
    return t;
}

std::string withChecks(std::string_view text)
{
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view line = text.substr(pos, end - pos);
        out.append(line).append(" ").append(atmo::sha256Hex(line).substr(0, 16)).append("\n");
        pos = end + 1;
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::uint8_t flags = data[0];
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);

    const fuzz::fs::path dir = fuzz::tempDir() / "journal";
    std::error_code ec;
    fuzz::fs::remove_all(dir, ec);
    fuzz::fs::create_directories(dir);
    const fuzz::fs::path finalPath = dir / "fuzz-model.gguf";

    fuzz::writeFile(atmo::DownloadJournal::journalPath(finalPath), (flags & 1) ? withChecks(rest) : std::string(rest));
    if (!(flags & 4)) {
        std::string part = content();
        if (flags & 8)
            part.resize(kSize - kChunk);
        if (flags & 16)
            part[kChunk + 7] ^= 0x55;
        fuzz::writeFile(atmo::DownloadJournal::partPath(finalPath), part);
    }
    if (flags & 32)
        fuzz::writeFile(finalPath, content());

    atmo::JournalOptions options;
    options.bootId = "fuzz-boot";
    options.directIo = false;
    auto j = atmo::DownloadJournal::open(finalPath, target(flags & 2), nullptr, atmo::CancelToken(), options);
    if (!j)
        return 0;
    const auto& layout = (*j)->layout();
    FUZZ_CHECK(layout.size == kSize);
    const auto done = (*j)->doneChunks();
    FUZZ_CHECK(done.size() == layout.count());
    FUZZ_CHECK((*j)->missingChunks().size() + (*j)->chunksDone() == layout.count());
    FUZZ_CHECK((*j)->bytesDone() <= kSize);
    (*j)->close();
    return 0;
}
