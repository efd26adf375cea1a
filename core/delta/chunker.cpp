#include "core/delta/chunker.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace atmo::delta {

namespace {

// The gear table: 256 fixed pseudo-random words (splitmix64 from a fixed
// seed). It is part of the format: base and target must be cut alike, and a
// delta made on one machine is applied on another (apply does not cut, but
// deltas made by two versions should match).
constexpr std::array<std::uint64_t, 256> makeGear()
{
    std::array<std::uint64_t, 256> t{};
    std::uint64_t x = 0x61746d6f64656c74ull; // "atmodelt"
    for (auto& v : t) {
        x += 0x9e3779b97f4a7c15ull;
        std::uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        v = z ^ (z >> 31);
    }
    return t;
}

constexpr auto kGear = makeGear();

// Normalized chunking (FastCDC): before the average size a cut needs 18
// zero bits, after it 14, so sizes cluster near the average. The bits are
// the word's top ones: the gear hash shifts left once per byte, so bit k
// depends on the last k+1 bytes, and the top 18 see the last 64.
constexpr std::uint64_t kMaskHard = ~0ull << 46;
constexpr std::uint64_t kMaskEasy = ~0ull << 50;

constexpr int popcount(std::uint64_t v)
{
    int n = 0;
    for (; v; v &= v - 1)
        ++n;
    return n;
}
static_assert(popcount(kMaskHard) == 18 && popcount(kMaskEasy) == 14);

} // namespace

std::size_t ContentChunker::cut(const std::uint8_t* data, std::size_t size, bool atEnd) const
{
    (void)atEnd;
    if (size <= kMin)
        return size;
    const std::size_t end = std::min(size, kMax);
    const std::size_t normal = std::min(end, kAverage);
    std::uint64_t h = 0;
    std::size_t i = kMin;
    for (; i < normal; ++i) {
        h = (h << 1) + kGear[data[i]];
        if ((h & kMaskHard) == 0)
            return i + 1;
    }
    for (; i < end; ++i) {
        h = (h << 1) + kGear[data[i]];
        if ((h & kMaskEasy) == 0)
            return i + 1;
    }
    return end;
}

std::size_t LineChunker::cut(const std::uint8_t* data, std::size_t size, bool atEnd) const
{
    (void)atEnd;
    const std::size_t end = std::min(size, kMaxLine);
    const void* nl = std::memchr(data, '\n', end);
    return nl ? static_cast<const std::uint8_t*>(nl) - data + 1 : end;
}

} // namespace atmo::delta
