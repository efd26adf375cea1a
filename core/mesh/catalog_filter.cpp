#include "core/mesh/catalog_filter.h"

#include <cstring>
#include <string_view>

namespace atmo {

namespace {

constexpr char lowerAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

constexpr char upperAscii(char c)
{
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}

bool equalsCi(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lowerAscii(a[i]) != lowerAscii(b[i]))
            return false;
    return true;
}

bool tailMatches(const char* p, std::string_view needle)
{
    for (std::size_t k = 1; k < needle.size(); ++k)
        if (lowerAscii(p[k]) != lowerAscii(needle[k]))
            return false;
    return true;
}

// Case-insensitive substring search without allocating: memchr (vectorized in
// glibc) finds the candidates for the first byte in either case.
bool containsCi(std::string_view hay, std::string_view needle)
{
    if (needle.size() > hay.size())
        return false;
    const char* p = hay.data();
    const char* const end = hay.data() + (hay.size() - needle.size() + 1); // last start + 1
    const char lo = lowerAscii(needle[0]);
    const char up = upperAscii(needle[0]);
    if (hay.size() < 24) {
        for (; p < end; ++p)
            if (lowerAscii(*p) == lo && tailMatches(p, needle))
                return true;
        return false;
    }
    auto next = [end](const char* from, char c) -> const char* {
        return from < end ? static_cast<const char*>(std::memchr(from, c, end - from)) : nullptr;
    };
    const char* pl = next(p, lo);
    const char* pu = lo == up ? nullptr : next(p, up);
    while (pl || pu) {
        const bool takeLower = pl && (!pu || pl < pu);
        const char* at = takeLower ? pl : pu;
        if (tailMatches(at, needle))
            return true;
        if (takeLower)
            pl = next(pl + 1, lo);
        else
            pu = next(pu + 1, up);
    }
    return false;
}

bool anyContainsCi(const std::vector<std::string>& list, std::string_view needle)
{
    for (const auto& s : list)
        if (containsCi(s, needle))
            return true;
    return false;
}

bool wordMatches(const CatalogEntry& e, std::string_view word)
{
    return containsCi(e.name, word) || containsCi(e.modelId, word) || containsCi(e.type, word) ||
           containsCi(e.format, word) || containsCi(e.baseModel, word) ||
           anyContainsCi(e.capabilities, word) || anyContainsCi(e.classes, word);
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

} // namespace

bool CatalogFilter::matches(const CatalogEntry& entry) const
{
    if (!type.empty() && !equalsCi(entry.type, type))
        return false;
    if (!format.empty() && !equalsCi(entry.format, format))
        return false;
    if (!capability.empty()) {
        bool found = false;
        for (const auto& c : entry.capabilities)
            if (equalsCi(c, capability)) {
                found = true;
                break;
            }
        if (!found)
            return false;
    }
    const std::string_view s = search;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && isSpace(s[i]))
            ++i;
        std::size_t j = i;
        while (j < s.size() && !isSpace(s[j]))
            ++j;
        if (j > i && !wordMatches(entry, s.substr(i, j - i)))
            return false;
        i = j;
    }
    return true;
}

} // namespace atmo
