// The .delta file: how a target file is rebuilt from a base file. Binary,
// little-endian, read front to back in one pass:
//
//   header  "ATMODLT1", kind (u8: 0 binary, 1 records), base size (u64),
//           base SHA-256 (32), target size (u64)
//   ops     0x01 COPY  base offset (u64), length (u64)
//           0x02 DATA  codec (u8: 0 raw, 1 zstd, 2 zstd against a base
//                      region), region offset (u64), region length (u32),
//                      raw length (u32), payload length (u32), payload
//   end     0xFF, the target's SHA-256 (32), then the SHA-256 of every
//           byte before it (32)
//
// The target's hash comes last because the maker knows it only at the end
// (both files are read once); Reader::open() reads it from the tail first.
// The trailer makes a truncated or altered delta fail on its own, before
// the rebuilt file's hash is compared (a package's checksums and signature
// cover the delta file as well). Every length is bounded (kMaxRaw,
// kMaxRegion), every COPY and region must lie inside the base, and the ops
// must rebuild exactly the target size: a hostile delta cannot make the
// reader allocate or write more than that.
#pragma once

#include <cstdint>
#include <string>

#include "core/base/fs_util.h"
#include "core/base/result.h"
#include "core/base/sha256.h"

namespace atmo::delta {

enum class Kind : std::uint8_t { Binary = 0, Records = 1 };
enum class Codec : std::uint8_t { Raw = 0, Zstd = 1, ZstdRegion = 2 };

inline constexpr std::size_t kHeaderSize = 8 + 1 + 8 + 32 + 8;
inline constexpr std::size_t kEndSize = 1 + 32 + 32;
inline constexpr std::uint32_t kMaxRaw = 4u << 20;    // bytes one DATA op rebuilds
inline constexpr std::uint32_t kMaxRegion = 8u << 20; // base bytes a DATA op is compressed against

struct Header {
    Kind kind = Kind::Binary;
    std::uint64_t baseSize = 0;
    Digest baseSha256{};
    std::uint64_t targetSize = 0;
    Digest targetSha256{}; // from the end record
};

struct Op {
    enum class Type : std::uint8_t { Copy = 1, Data = 2, End = 0xff };
    Type type = Type::End;
    std::uint64_t baseOffset = 0; // COPY
    std::uint64_t length = 0;     // COPY: bytes; DATA: raw length
    Codec codec = Codec::Raw;     // DATA
    std::uint64_t regionOffset = 0;
    std::uint32_t regionLength = 0;
    std::string payload;          // DATA: the encoded bytes
};

// Appends encoded parts to a buffer; the writer keeps the running SHA-256
// for the trailer.
std::string encodeHeader(const Header& h);
std::string encodeEnd(const Digest& targetSha256); // without the trailer
void encodeCopy(std::string& out, std::uint64_t baseOffset, std::uint64_t length);
void encodeData(std::string& out, Codec codec, std::uint64_t regionOffset, std::uint32_t regionLength,
                std::uint32_t rawLength, std::string_view payload);

// Reads a delta file front to back. Every failure is BadData naming the
// file and what is wrong ("x.delta: truncated in op 12").
class Reader {
public:
    explicit Reader(std::filesystem::path file);
    Result<Header> open();
    // The next op; Type::End once the trailer checked out. Checks each op
    // against the header (inside the base, within the target size).
    Result<Op> next();
    std::uint64_t fileSize() const { return fileSize_; }

private:
    bool fill(std::size_t need);
    bool take(void* out, std::size_t n);
    Error bad(const std::string& what) const;

    std::filesystem::path file_;
    UniqueFd fd_;
    std::uint64_t fileSize_ = 0;
    std::string buf_;
    std::size_t pos_ = 0;
    Sha256 sha_;
    Header header_;
    std::uint64_t rebuilt_ = 0; // target bytes the ops so far rebuild
    std::uint64_t ops_ = 0;
    bool ended_ = false;
};

} // namespace atmo::delta
