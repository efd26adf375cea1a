// How a download is cut into chunks, and the per-chunk hash list a station
// peer offers (GET /v1/models/{id}/chunks, a station extension:
// {"model_id","chunk_size","sha256","chunks":[hex,...]}).
//
// One layout value is shared by the journal (what is on disk), the range plan
// (what to fetch next) and progress (chunks received / total), so they cannot
// disagree about where chunk i starts. Chunk i covers
// [i * chunkSize, min(size, (i + 1) * chunkSize)); an empty file has no chunks.
//
// The journal's chunk is the unit of durability and of re-fetching, not the
// unit of the wire: over HTTP one chunk is one Range request (or part of a
// longer one); over the relay a 4 MiB chunk arrives as 64 messages of 64 KiB.
//
// A hash list comes from one peer and is not signed. It only lets a
// downloader catch a bad peer at the chunk it sent; the catalog's whole-file
// sha256 still decides whether the file is right.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace atmo {

// Used when no peer offers per-chunk hashes; equals the peers' default hash
// chunk (kDefaultChunkHashSize), so a journal started without hashes can
// adopt a list that turns up later.
inline constexpr std::uint64_t kDownloadChunkSize = 4ull << 20;
inline constexpr std::uint64_t kMinDownloadChunkSize = 4096;        // as catalog.cpp accepts
inline constexpr std::uint64_t kMaxDownloadChunkSize = 1ull << 30;
// Bounds the journal's bitmap and hash list (64 MiB of hex at most).
inline constexpr std::uint32_t kMaxDownloadChunks = 1u << 20;

struct ChunkLayout {
    std::uint64_t size = 0;
    std::uint64_t chunkSize = kDownloadChunkSize;

    std::uint32_t count() const
    {
        return chunkSize == 0 ? 0 : static_cast<std::uint32_t>((size + chunkSize - 1) / chunkSize);
    }
    std::uint64_t offset(std::uint32_t i) const { return std::uint64_t(i) * chunkSize; }
    std::uint64_t length(std::uint32_t i) const
    {
        const std::uint64_t start = offset(i);
        return start >= size ? 0 : std::min<std::uint64_t>(chunkSize, size - start);
    }
    bool operator==(const ChunkLayout&) const = default;
};

// A layout for `size` bytes in `chunkSize` chunks; fails with a one-line
// reason when the chunk size is outside 4 KiB..1 GiB or makes more than
// kMaxDownloadChunks chunks.
Result<ChunkLayout> makeChunkLayout(std::uint64_t size, std::uint64_t chunkSize);

// kDownloadChunkSize, doubled until the file fits in kMaxDownloadChunks.
std::uint64_t defaultChunkSize(std::uint64_t size);

struct ChunkList {
    std::string modelId;
    std::uint64_t chunkSize = 0;
    std::string sha256;               // lowercase hex of the whole file
    std::vector<std::string> hashes;  // lowercase hex, one per chunk
};

// Parses a peer's chunk list and checks it against what is being downloaded:
// the same model_id and sha256 (hex case ignored), a valid chunk_size, and
// exactly one 64-hex-digit hash per chunk of a `size`-byte file. Errors name
// the model and the field ("llama-3b: chunks has 3 hashes, expected 4").
Result<ChunkList> parseChunkList(std::string_view json, std::string_view modelId,
                                 std::uint64_t size, std::string_view sha256);

// True for 64 lowercase hex digits.
bool isSha256Hex(std::string_view hex);

} // namespace atmo
