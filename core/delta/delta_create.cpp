#include "core/delta/delta_create.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_map>

#include <zstd.h>

#include "core/delta/chunker.h"
#include "core/delta/file_blocks.h"
#include "core/delta/zstd_context.h"

namespace atmo::delta {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kLiteralBatch = 1u << 20; // new bytes compressed as one DATA op
constexpr std::uint64_t kRegionMargin = 1u << 20;

struct DigestHash {
    std::size_t operator()(const Digest& d) const
    {
        std::size_t h;
        std::memcpy(&h, d.data(), sizeof h);
        return h;
    }
};

struct Place {
    std::uint64_t offset;
    std::uint32_t length;
};

using Index = std::unordered_map<Digest, Place, DigestHash>;

Digest hashOf(Sha256& sha, const std::uint8_t* data, std::size_t size)
{
    sha.update(data, size);
    return sha.finish();
}

// Cuts a whole file with `chunker`, calling onChunk(offset, data, size).
template <class F>
void forEachChunk(int fd, const fs::path& file, const Chunker& chunker, const CancelToken& cancel, F&& onChunk)
{
    BlockReader in(fd, file);
    for (;;) {
        const std::size_t have = in.available(chunker.maxSize());
        if (have == 0)
            return;
        cancel.check();
        const std::size_t n = chunker.cut(in.data(), have, in.atEnd());
        onChunk(in.offset(), in.data(), n);
        in.consume(n);
    }
}

class Writer {
public:
    Writer(const fs::path& out, const fs::path& baseFile, int baseFd, std::uint64_t baseSize, int level)
        : file_(out), baseFile_(baseFile), baseFd_(baseFd), baseSize_(baseSize), level_(level)
    {
    }

    void header(const Header& h) { emit(encodeHeader(h)); }

    void copy(std::uint64_t baseOffset, std::uint32_t length, std::uint64_t targetOffset)
    {
        flushLiteral();
        if (copyLength_ > 0 && copyOffset_ + copyLength_ == baseOffset) {
            copyLength_ += length;
        } else {
            flushCopy();
            copyOffset_ = baseOffset;
            copyLength_ = length;
        }
        lastBaseEnd_ = baseOffset + length;
        lastTargetEnd_ = targetOffset + length;
        stats.copiedBytes += length;
    }

    void literal(const std::uint8_t* data, std::size_t size, std::uint64_t targetOffset)
    {
        flushCopy();
        if (literal_.empty())
            literalStart_ = targetOffset;
        literal_.append(reinterpret_cast<const char*>(data), size);
        stats.newBytes += size;
        if (literal_.size() >= kLiteralBatch)
            flushLiteral();
    }

    // Ends the ops with the target's hash (known only now) and the trailer
    // over all of it, and commits.
    void finish(const Digest& targetSha256)
    {
        flushLiteral();
        flushCopy();
        emit(encodeEnd(targetSha256));
        const Digest trailer = sha_.finish();
        file_.write(trailer.data(), trailer.size());
        written_ += trailer.size();
        file_.commit();
        stats.deltaBytes = written_;
    }

    Stats stats;

private:
    void emit(std::string_view bytes)
    {
        file_.write(bytes);
        sha_.update(bytes);
        written_ += bytes.size();
    }

    void flushCopy()
    {
        if (copyLength_ == 0)
            return;
        std::string op;
        encodeCopy(op, copyOffset_, copyLength_);
        emit(op);
        ++stats.copyOps;
        copyLength_ = 0;
    }

    // New bytes go compressed against the base region where they would be
    // had nothing moved since the last COPY; plain zstd or raw when smaller.
    void flushLiteral()
    {
        if (literal_.empty())
            return;
        const std::uint64_t guess = lastBaseEnd_ + (literalStart_ - lastTargetEnd_);
        const std::uint64_t from = guess > kRegionMargin ? guess - kRegionMargin : 0;
        const std::uint64_t to = std::min<std::uint64_t>(baseSize_, guess + literal_.size() + kRegionMargin);
        std::uint32_t regionLength = 0;
        if (from < to) {
            regionLength = static_cast<std::uint32_t>(std::min<std::uint64_t>(to - from, kMaxRegion));
            region_.resize(regionLength);
            readAt(baseFd_, from, region_.data(), regionLength, baseFile_);
        }
        Codec codec = Codec::Raw;
        std::string_view payload = literal_;
        packed_.resize(ZSTD_compressBound(literal_.size()));
        const std::size_t n = zstd_.compress(packed_.data(), packed_.size(), literal_, level_,
                                             regionLength ? std::string_view(region_.data(), regionLength)
                                                          : std::string_view());
        if (n < literal_.size()) {
            codec = regionLength ? Codec::ZstdRegion : Codec::Zstd;
            payload = std::string_view(packed_.data(), n);
        }
        if (codec != Codec::ZstdRegion)
            regionLength = 0;
        std::string op;
        encodeData(op, codec, regionLength ? from : 0, regionLength, static_cast<std::uint32_t>(literal_.size()),
                   payload);
        emit(op);
        ++stats.dataOps;
        literal_.clear();
    }

    AtomicFile file_;
    fs::path baseFile_;
    int baseFd_;
    std::uint64_t baseSize_;
    int level_;
    std::uint64_t written_ = 0;
    std::uint64_t copyOffset_ = 0, copyLength_ = 0;
    std::uint64_t lastBaseEnd_ = 0, lastTargetEnd_ = 0;
    std::string literal_;
    std::uint64_t literalStart_ = 0;
    std::string region_, packed_;
    ZstdCompressor zstd_;
    Sha256 sha_; // of everything written, for the trailer
};

} // namespace

Result<Stats> createDelta(const fs::path& base, const fs::path& target, const fs::path& out,
                          const CreateOptions& options, ProgressReporter* progress, const CancelToken& cancel)
{
    return guarded([&]() -> Result<Stats> {
        const UniqueFd baseFd = openForReading(base);
        const UniqueFd targetFd = openForReading(target);
        Header h;
        h.kind = options.kind;
        h.baseSize = sizeOf(baseFd.get(), base);
        h.targetSize = sizeOf(targetFd.get(), target);
        const ContentChunker content;
        const LineChunker lines;
        const Chunker& chunker = options.kind == Kind::Records ? static_cast<const Chunker&>(lines) : content;

        // The base: every chunk's hash and place (the first place wins).
        if (progress)
            progress->phase(Phase::Hashing, h.baseSize);
        Index index;
        index.reserve(static_cast<std::size_t>(h.baseSize / ContentChunker::kAverage) + 16);
        Sha256 whole, piece;
        forEachChunk(baseFd.get(), base, chunker, cancel, [&](std::uint64_t offset, const std::uint8_t* p, std::size_t n) {
            whole.update(p, n);
            index.try_emplace(hashOf(piece, p, n), Place{offset, static_cast<std::uint32_t>(n)});
            if (progress)
                progress->add(n);
        });
        h.baseSha256 = whole.finish();

        // The target, chunk by chunk: known chunks are copied, new ones carried.
        if (progress)
            progress->phase(Phase::Writing, h.targetSize);
        Writer writer(out, base, baseFd.get(), h.baseSize, options.level);
        writer.header(h); // the target's hash goes into the end record
        forEachChunk(targetFd.get(), target, chunker, cancel, [&](std::uint64_t offset, const std::uint8_t* p, std::size_t n) {
            whole.update(p, n);
            const auto it = index.find(hashOf(piece, p, n));
            if (it != index.end() && it->second.length == n)
                writer.copy(it->second.offset, it->second.length, offset);
            else
                writer.literal(p, n, offset);
            if (progress)
                progress->add(n);
        });
        h.targetSha256 = whole.finish();
        if (sizeOf(targetFd.get(), target) != h.targetSize || sizeOf(baseFd.get(), base) != h.baseSize)
            return fail(ErrorCode::Io, target.string() + ": changed while the delta was made", target.filename().string());
        writer.finish(h.targetSha256);
        if (progress)
            progress->finish();
        Stats stats = writer.stats;
        stats.header = h;
        return stats;
    });
}

} // namespace atmo::delta
