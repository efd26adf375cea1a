#include "core/delta/delta_format.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <zstd.h>

namespace atmo::delta {

namespace {

constexpr char kMagic[8] = {'A', 'T', 'M', 'O', 'D', 'L', 'T', '1'};

template <class T>
void put(std::string& out, T v)
{
    char b[sizeof(T)];
    for (std::size_t i = 0; i < sizeof(T); ++i)
        b[i] = static_cast<char>(static_cast<std::uint64_t>(v) >> (8 * i));
    out.append(b, sizeof(T));
}

template <class T>
T get(const std::uint8_t* p)
{
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
        v |= std::uint64_t(p[i]) << (8 * i);
    return static_cast<T>(v);
}

constexpr std::size_t kReadBlock = 1 << 20;

} // namespace

std::string encodeHeader(const Header& h)
{
    std::string out(kMagic, sizeof kMagic);
    put<std::uint8_t>(out, static_cast<std::uint8_t>(h.kind));
    put<std::uint64_t>(out, h.baseSize);
    out.append(reinterpret_cast<const char*>(h.baseSha256.data()), h.baseSha256.size());
    put<std::uint64_t>(out, h.targetSize);
    return out;
}

std::string encodeEnd(const Digest& targetSha256)
{
    std::string out(1, static_cast<char>(Op::Type::End));
    out.append(reinterpret_cast<const char*>(targetSha256.data()), targetSha256.size());
    return out;
}

void encodeCopy(std::string& out, std::uint64_t baseOffset, std::uint64_t length)
{
    put<std::uint8_t>(out, static_cast<std::uint8_t>(Op::Type::Copy));
    put<std::uint64_t>(out, baseOffset);
    put<std::uint64_t>(out, length);
}

void encodeData(std::string& out, Codec codec, std::uint64_t regionOffset, std::uint32_t regionLength,
                std::uint32_t rawLength, std::string_view payload)
{
    put<std::uint8_t>(out, static_cast<std::uint8_t>(Op::Type::Data));
    put<std::uint8_t>(out, static_cast<std::uint8_t>(codec));
    put<std::uint64_t>(out, regionOffset);
    put<std::uint32_t>(out, regionLength);
    put<std::uint32_t>(out, rawLength);
    put<std::uint32_t>(out, static_cast<std::uint32_t>(payload.size()));
    out.append(payload);
}

Reader::Reader(std::filesystem::path file) : file_(std::move(file)) {}

Error Reader::bad(const std::string& what) const
{
    return fail(ErrorCode::BadData, file_.filename().string() + ": " + what, file_.filename().string());
}

bool Reader::fill(std::size_t need)
{
    if (buf_.size() - pos_ >= need)
        return true;
    buf_.erase(0, pos_);
    pos_ = 0;
    while (buf_.size() < need) {
        const std::size_t old = buf_.size();
        const std::size_t want = std::max(need - old, kReadBlock);
        buf_.resize(old + want);
        ssize_t n;
        do
            n = ::read(fd_.get(), buf_.data() + old, want);
        while (n < 0 && errno == EINTR);
        if (n < 0)
            throw Failure(ErrorCode::Io, file_.string() + ": " + std::strerror(errno), file_.filename().string());
        buf_.resize(old + static_cast<std::size_t>(n));
        if (n == 0)
            return false;
    }
    return true;
}

bool Reader::take(void* out, std::size_t n)
{
    if (!fill(n))
        return false;
    std::memcpy(out, buf_.data() + pos_, n);
    sha_.update(buf_.data() + pos_, n);
    pos_ += n;
    return true;
}

Result<Header> Reader::open()
{
    return guarded([&]() -> Result<Header> {
        fd_ = UniqueFd(::open(file_.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd_)
            return fail(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                        file_.string() + ": " + std::strerror(errno), file_.filename().string());
        struct stat st {};
        if (::fstat(fd_.get(), &st) == 0)
            fileSize_ = static_cast<std::uint64_t>(st.st_size);
        std::uint8_t h[kHeaderSize];
        if (!take(h, sizeof h))
            return bad("not a delta file (shorter than its header)");
        if (std::memcmp(h, kMagic, sizeof kMagic) != 0)
            return bad("not a delta file (no ATMODLT1 header)");
        const std::uint8_t* p = h + sizeof kMagic;
        if (*p > static_cast<std::uint8_t>(Kind::Records))
            return bad("unknown delta kind " + std::to_string(*p));
        header_.kind = static_cast<Kind>(*p++);
        header_.baseSize = get<std::uint64_t>(p);
        p += 8;
        std::memcpy(header_.baseSha256.data(), p, 32);
        p += 32;
        header_.targetSize = get<std::uint64_t>(p);
        // The target's hash, from the end record (checked with the trailer at the end).
        if (fileSize_ < kHeaderSize + kEndSize)
            return bad("truncated (shorter than a header and an end)");
        std::uint8_t tail[32];
        if (::pread(fd_.get(), tail, sizeof tail, static_cast<off_t>(fileSize_ - 64)) != static_cast<ssize_t>(sizeof tail))
            return bad("truncated in its end");
        std::memcpy(header_.targetSha256.data(), tail, sizeof tail);
        return header_;
    });
}

Result<Op> Reader::next()
{
    return guarded([&]() -> Result<Op> {
        if (ended_)
            return bad("read past its end");
        ++ops_;
        const std::string where = "op " + std::to_string(ops_);
        std::uint8_t type;
        if (!take(&type, 1))
            return bad("truncated before " + where);
        Op op;
        switch (static_cast<Op::Type>(type)) {
        case Op::Type::Copy: {
            std::uint8_t b[16];
            if (!take(b, sizeof b))
                return bad("truncated in " + where);
            op.type = Op::Type::Copy;
            op.baseOffset = get<std::uint64_t>(b);
            op.length = get<std::uint64_t>(b + 8);
            if (op.length == 0 || op.baseOffset > header_.baseSize || op.length > header_.baseSize - op.baseOffset)
                return bad(where + " copies bytes outside the base");
            break;
        }
        case Op::Type::Data: {
            std::uint8_t b[1 + 8 + 4 + 4 + 4];
            if (!take(b, sizeof b))
                return bad("truncated in " + where);
            op.type = Op::Type::Data;
            if (b[0] > static_cast<std::uint8_t>(Codec::ZstdRegion))
                return bad(where + " has an unknown codec " + std::to_string(b[0]));
            op.codec = static_cast<Codec>(b[0]);
            op.regionOffset = get<std::uint64_t>(b + 1);
            op.regionLength = get<std::uint32_t>(b + 9);
            op.length = get<std::uint32_t>(b + 13);
            const std::uint32_t payload = get<std::uint32_t>(b + 17);
            if (op.length == 0 || op.length > kMaxRaw)
                return bad(where + " rebuilds " + std::to_string(op.length) + " bytes (1 to " +
                           std::to_string(kMaxRaw) + " allowed)");
            if (op.regionLength > kMaxRegion || op.regionOffset > header_.baseSize ||
                op.regionLength > header_.baseSize - op.regionOffset)
                return bad(where + " names a base region outside the base");
            if ((op.codec == Codec::ZstdRegion) != (op.regionLength > 0))
                return bad(where + " has a base region that does not fit its codec");
            const std::size_t bound = op.codec == Codec::Raw ? op.length : ZSTD_compressBound(op.length);
            if (payload == 0 || payload > bound)
                return bad(where + " carries " + std::to_string(payload) + " bytes, more than its data can need");
            op.payload.resize(payload);
            if (!take(op.payload.data(), payload))
                return bad("truncated in " + where);
            break;
        }
        case Op::Type::End: {
            Digest target;
            if (!take(target.data(), target.size()))
                return bad("truncated in its end");
            const Digest expected = sha_.finish();
            Digest trailer;
            if (!fill(trailer.size()))
                return bad("truncated in its trailer");
            std::memcpy(trailer.data(), buf_.data() + pos_, trailer.size());
            pos_ += trailer.size();
            if (trailer != expected || target != header_.targetSha256)
                return bad("its trailer does not match its contents (altered or damaged)");
            if (fill(1))
                return bad("has bytes after its trailer");
            if (rebuilt_ != header_.targetSize)
                return bad("rebuilds " + std::to_string(rebuilt_) + " bytes, the target has " +
                           std::to_string(header_.targetSize));
            ended_ = true;
            op.type = Op::Type::End;
            return op;
        }
        default: return bad(where + " has an unknown type " + std::to_string(type));
        }
        if (op.length > header_.targetSize - rebuilt_)
            return bad(where + " rebuilds more than the target's " + std::to_string(header_.targetSize) + " bytes");
        rebuilt_ += op.length;
        return op;
    });
}

} // namespace atmo::delta
