#include "core/transfer/http_range.h"

#include <algorithm>
#include <optional>

#include "core/base/text.h"

namespace atmo {

namespace {

// Digits only (no sign, no spaces inside); nullopt on anything else or when
// the value does not fit 64 bits.
std::optional<std::uint64_t> number(std::string_view s)
{
    if (s.empty())
        return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (v > (UINT64_MAX - d) / 10)
            return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

RangeDecision whole(std::uint64_t size)
{
    RangeDecision d;
    d.kind = RangeDecision::Whole;
    d.range = {0, size == 0 ? 0 : size - 1};
    return d;
}

RangeDecision unsatisfiable()
{
    RangeDecision d;
    d.kind = RangeDecision::Unsatisfiable;
    return d;
}

RangeDecision partial(std::uint64_t first, std::uint64_t last)
{
    RangeDecision d;
    d.kind = RangeDecision::Partial;
    d.range = {first, last};
    return d;
}

} // namespace

RangeDecision decideRange(std::string_view header, std::uint64_t size)
{
    header = trimmedBlanks(header);
    if (header.empty())
        return whole(size);
    const auto eq = header.find('=');
    if (eq == std::string_view::npos || !equalsNoCase(trimmedBlanks(header.substr(0, eq)), "bytes"))
        return whole(size); // another unit, or not a range at all
    std::string_view set = header.substr(eq + 1);

    // RFC 9110 lists may hold empty elements ("bytes=0-1,"); recipients skip them.
    std::string_view spec;
    int specs = 0;
    while (true) {
        const auto comma = set.find(',');
        const std::string_view element = trimmedBlanks(set.substr(0, comma));
        if (!element.empty()) {
            spec = element;
            ++specs;
        }
        if (comma == std::string_view::npos)
            break;
        set.remove_prefix(comma + 1);
    }
    // Several ranges would need multipart/byteranges; sending the whole file
    // instead is allowed, and no mesh client asks for more than one.
    if (specs != 1)
        return whole(size);

    const auto dash = spec.find('-');
    if (dash == std::string_view::npos)
        return whole(size);
    const std::string_view firstText = trimmedBlanks(spec.substr(0, dash));
    const std::string_view lastText = trimmedBlanks(spec.substr(dash + 1));

    if (firstText.empty()) {
        // Suffix form: the last n bytes.
        const auto n = number(lastText);
        if (!n)
            return whole(size);
        if (*n == 0 || size == 0)
            return unsatisfiable();
        return partial(*n >= size ? 0 : size - *n, size - 1);
    }
    const auto first = number(firstText);
    if (!first)
        return whole(size);
    std::uint64_t last = UINT64_MAX;
    if (!lastText.empty()) {
        const auto l = number(lastText);
        if (!l)
            return whole(size);
        last = *l;
        if (*first > last)
            return whole(size); // invalid range-spec: the header is ignored
    }
    if (*first >= size)
        return unsatisfiable();
    return partial(*first, std::min(last, size - 1));
}

std::string contentRange(const ByteRange& range, std::uint64_t total)
{
    return "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" +
           std::to_string(total);
}

std::string unsatisfiedContentRange(std::uint64_t total)
{
    return "bytes */" + std::to_string(total);
}

} // namespace atmo
