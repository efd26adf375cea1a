#include "core/delta/zstd_context.h"

#include <new>
#include <string>

#include <zstd.h>

#include "core/base/result.h"

namespace atmo::delta {

ZstdCompressor::ZstdCompressor() : cctx_(ZSTD_createCCtx())
{
    if (!cctx_)
        throw std::bad_alloc();
}

ZstdCompressor::~ZstdCompressor() { ZSTD_freeCCtx(cctx_); }

std::size_t ZstdCompressor::compress(char* out, std::size_t capacity, std::string_view in, int level,
                                     std::string_view region)
{
    ZSTD_CCtx_reset(cctx_, ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_windowLog, kWindowLog);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_enableLongDistanceMatching, 1);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_contentSizeFlag, 0);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 0);
    if (!region.empty())
        ZSTD_CCtx_refPrefix(cctx_, region.data(), region.size());
    const std::size_t n = ZSTD_compress2(cctx_, out, capacity, in.data(), in.size());
    if (ZSTD_isError(n))
        throw Failure(ErrorCode::Failed, std::string("zstd: ") + ZSTD_getErrorName(n));
    return n;
}

ZstdDecompressor::ZstdDecompressor() : dctx_(ZSTD_createDCtx())
{
    if (!dctx_)
        throw std::bad_alloc();
}

ZstdDecompressor::~ZstdDecompressor() { ZSTD_freeDCtx(dctx_); }

bool ZstdDecompressor::decompress(char* out, std::size_t size, std::string_view in, std::string_view region)
{
    ZSTD_DCtx_reset(dctx_, ZSTD_reset_session_and_parameters);
    ZSTD_DCtx_setParameter(dctx_, ZSTD_d_windowLogMax, kWindowLog);
    if (!region.empty())
        ZSTD_DCtx_refPrefix(dctx_, region.data(), region.size());
    // One frame that decodes to exactly `size` bytes, nothing after it.
    if (ZSTD_findFrameCompressedSize(in.data(), in.size()) != in.size())
        return false;
    const std::size_t n = ZSTD_decompressDCtx(dctx_, out, size, in.data(), in.size());
    return !ZSTD_isError(n) && n == size;
}

} // namespace atmo::delta
