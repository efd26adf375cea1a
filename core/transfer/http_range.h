// The HTTP Range header as the model bridge serves it: one range per request,
// "bytes=a-b", "bytes=a-" and the suffix form "bytes=-n" (RFC 9110 14.1.2).
// Anything else (several ranges, other units, garbage) is ignored and the
// whole file is sent, as RFC 9110 allows; a start at or past the end is 416.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace atmo {

struct ByteRange {
    std::uint64_t first = 0; // inclusive
    std::uint64_t last = 0;  // inclusive
    std::uint64_t length() const { return last - first + 1; }
};

struct RangeDecision {
    enum Kind { Whole, Partial, Unsatisfiable } kind = Whole;
    ByteRange range;         // Partial: what to send; Whole: 0..size-1 (nothing to
                             // send when size is 0: check the size, not length())
};

RangeDecision decideRange(std::string_view header, std::uint64_t size);

// "bytes a-b/total"; for 416: "bytes */total".
std::string contentRange(const ByteRange& range, std::uint64_t total);
std::string unsatisfiedContentRange(std::uint64_t total);

} // namespace atmo
