// zstd for delta ops: one context reused across ops, new bytes compressed
// (and decompressed) against an optional base region given as a prefix.
// Long-distance matching finds the region's bytes anywhere in it; the window
// (16 MiB) covers the largest region plus the largest op.
#pragma once

#include <cstddef>
#include <string_view>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace atmo::delta {

inline constexpr int kWindowLog = 24;

class ZstdCompressor {
public:
    ZstdCompressor();
    ~ZstdCompressor();
    ZstdCompressor(const ZstdCompressor&) = delete;
    ZstdCompressor& operator=(const ZstdCompressor&) = delete;
    // Compressed size written to out; throws Failure on a zstd error.
    std::size_t compress(char* out, std::size_t capacity, std::string_view in, int level, std::string_view region);

private:
    ZSTD_CCtx_s* cctx_;
};

class ZstdDecompressor {
public:
    ZstdDecompressor();
    ~ZstdDecompressor();
    ZstdDecompressor(const ZstdDecompressor&) = delete;
    ZstdDecompressor& operator=(const ZstdDecompressor&) = delete;
    // Decompresses exactly out's size; false when the payload is damaged or
    // does not decode to exactly that many bytes.
    bool decompress(char* out, std::size_t size, std::string_view in, std::string_view region);

private:
    ZSTD_DCtx_s* dctx_;
};

} // namespace atmo::delta
