// The Range header of a request to `serve` (core/transfer/http_range.h decideRange).
// The first 8 bytes are the file size (little endian), the rest the header.
// A Partial decision must lie inside the file, and an Unsatisfiable one only
// happens for a range that starts at or past the end.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/transfer/http_range.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::uint64_t fileSize = 0;
    const std::size_t n = size < 8 ? size : 8;
    for (std::size_t i = 0; i < n; ++i)
        fileSize |= std::uint64_t(data[i]) << (8 * i);
    // Small sizes as often as huge ones: the top byte chooses.
    if (n == 8 && data[7] < 0x80)
        fileSize &= 0xFFFF;
    const std::string_view header(reinterpret_cast<const char*>(data) + n, size - n);
    const atmo::RangeDecision d = atmo::decideRange(header, fileSize);
    switch (d.kind) {
    case atmo::RangeDecision::Partial:
        FUZZ_CHECK(fileSize > 0);
        FUZZ_CHECK(d.range.first <= d.range.last);
        FUZZ_CHECK(d.range.last < fileSize);
        FUZZ_CHECK(d.range.length() >= 1 && d.range.length() <= fileSize);
        FUZZ_CHECK(!atmo::contentRange(d.range, fileSize).empty());
        break;
    case atmo::RangeDecision::Whole:
        FUZZ_CHECK(d.range.first == 0);
        FUZZ_CHECK(fileSize == 0 ? d.range.last == 0 : d.range.last == fileSize - 1);
        break;
    case atmo::RangeDecision::Unsatisfiable:
        FUZZ_CHECK(!atmo::unsatisfiedContentRange(fileSize).empty());
        break;
    }
    // The same header against a zero-byte and a one-byte file.
    (void)atmo::decideRange(header, 0);
    (void)atmo::decideRange(header, 1);
    return 0;
}
