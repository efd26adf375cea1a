#include "core/delta/delta_apply.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <vector>

#include "core/delta/file_blocks.h"
#include "core/delta/zstd_context.h"

namespace atmo::delta {

namespace fs = std::filesystem;

namespace {

Error mismatch(const fs::path& file, const std::string& what)
{
    return fail(ErrorCode::BadData, file.filename().string() + ": " + what, file.filename().string());
}

// Runs a function when it goes out of scope.
template <class F>
struct OnExit {
    F f;
    ~OnExit() { f(); }
};
template <class F>
OnExit<F> onExit(F f)
{
    return OnExit<F>{std::move(f)};
}

Digest hashBase(const fs::path& base, const std::atomic<bool>& stop, const CancelToken& cancel,
                ProgressReporter* progress)
{
    const UniqueFd fd = openForReading(base);
    BlockReader in(fd.get(), base);
    Sha256 sha;
    while (const std::size_t n = in.available(1u << 20)) {
        if (stop)
            return {};
        cancel.check();
        const std::size_t take = std::min<std::size_t>(n, 8u << 20);
        sha.update(in.data(), take);
        in.consume(take);
        if (progress)
            progress->add(take);
    }
    return sha.finish();
}

} // namespace

Result<Header> readHeader(const fs::path& delta)
{
    Reader reader(delta);
    return reader.open();
}

Result<Applied> applyDelta(const fs::path& base, const fs::path& delta, const fs::path& out,
                           const ApplyOptions& options, ProgressReporter* progress, const CancelToken& cancel)
{
    return guarded([&]() -> Result<Applied> {
        Reader reader(delta);
        auto header = reader.open();
        if (!header)
            return header.error();
        const Header& h = *header;
        const UniqueFd baseFd = openForReading(base);
        const std::uint64_t baseSize = sizeOf(baseFd.get(), base);
        if (baseSize != h.baseSize)
            return mismatch(base, "is not the file " + delta.filename().string() + " was made from (" +
                                      std::to_string(baseSize) + " bytes, the delta's base has " +
                                      std::to_string(h.baseSize) + ")");
        if (!options.expectedTargetSha256.empty() && options.expectedTargetSha256 != toHex(h.targetSha256))
            return mismatch(delta, "rebuilds a file whose SHA-256 is not the one expected");
        // The base is hashed on a second thread while the ops run (most of
        // an apply is these two SHA-256 passes); a base that differs fails
        // the apply before anything is committed.
        std::atomic<bool> stop{false};
        std::future<Digest> baseHash;
        if (options.checkBase)
            baseHash = std::async(std::launch::async, [&] { return hashBase(base, stop, cancel, progress); });
        auto joinBaseCheck = onExit([&] {
            stop = true;
            if (baseHash.valid())
                baseHash.wait();
        });
        if (progress)
            progress->phase(Phase::Writing, h.targetSize + (options.checkBase ? baseSize : 0));
        AtomicFile output(out);
        Sha256 rebuilt;
        ZstdDecompressor zstd;
        std::vector<char> buf, region;
        Applied applied;
        auto put = [&](const char* p, std::size_t n) {
            output.write(p, n);
            rebuilt.update(p, n);
            applied.bytesWritten += n;
            if (progress)
                progress->add(n);
        };
        for (;;) {
            cancel.check();
            auto op = reader.next();
            if (!op)
                return op.error();
            if (op->type == Op::Type::End)
                break;
            if (op->type == Op::Type::Copy) {
                buf.resize(1u << 20);
                for (std::uint64_t off = op->baseOffset, left = op->length; left > 0;) {
                    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size()));
                    readAt(baseFd.get(), off, buf.data(), n, base);
                    put(buf.data(), n);
                    off += n, left -= n;
                }
                continue;
            }
            const std::size_t n = static_cast<std::size_t>(op->length);
            if (op->codec == Codec::Raw) {
                put(op->payload.data(), n);
                continue;
            }
            region.resize(op->regionLength);
            if (op->regionLength)
                readAt(baseFd.get(), op->regionOffset, region.data(), region.size(), base);
            buf.resize(n);
            if (!zstd.decompress(buf.data(), n, op->payload,
                                 std::string_view(region.data(), op->regionLength)))
                return mismatch(delta, "the data for target byte " + std::to_string(applied.bytesWritten) +
                                           " does not decompress (damaged)");
            put(buf.data(), n);
        }
        if (baseHash.valid() && baseHash.get() != h.baseSha256)
            return mismatch(base, "is not the file " + delta.filename().string() +
                                      " was made from (its SHA-256 differs: changed on this device?)");
        if (rebuilt.finish() != h.targetSha256)
            return mismatch(delta, "the rebuilt file does not have the SHA-256 the delta names");
        output.commit();
        if (progress)
            progress->finish();
        applied.header = h;
        return applied;
    });
}

} // namespace atmo::delta
