#include "core/base/node_name.h"
#include "core/base/text.h"

#include <algorithm>
#include <cctype>

namespace atmo {

namespace {

// Length of the UTF-8 sequence starting at s[i]; 0 when it is not valid.
std::size_t utf8Length(std::string_view s, std::size_t i)
{
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size())
        return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2)
            return 0;
    return n;
}

bool isControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

} // namespace

std::string nodeNameProblem(std::string_view name)
{
    if (name.empty())
        return "is empty";
    if (name.size() > kMaxNodeNameBytes)
        return "is longer than 63 bytes";
    for (std::size_t i = 0; i < name.size();) {
        const std::size_t n = utf8Length(name, i);
        if (n == 0)
            return "is not valid UTF-8";
        if (n == 1 && isControl(static_cast<unsigned char>(name[i])))
            return "contains a control character";
        i += n;
    }
    if (name.front() == ' ' || name.back() == ' ')
        return "begins or ends with a space";
    if (name.find("://") != std::string_view::npos)
        return "contains \"://\" (it would read as an address)";
    return {};
}

std::string sanitizeNodeName(std::string_view text)
{
    text = text.substr(0, text.find('\n'));
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8Length(text, i);
        if (n == 0) { // a stray byte: dropped
            ++i;
            continue;
        }
        if (n == 1 && isControl(static_cast<unsigned char>(text[i])))
            out += ' ';
        else
            out.append(text.substr(i, n));
        i += n;
    }
    for (std::size_t at; (at = out.find("://")) != std::string::npos;)
        out.replace(at, 3, "-");
    out = trimmed(out);
    if (out.size() > kMaxNodeNameBytes) {
        std::size_t cut = kMaxNodeNameBytes;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) >> 6) == 0x2)
            --cut; // not inside a character
        out = trimmed(std::string_view(out).substr(0, cut));
    }
    return out;
}

std::string nodeNameFromHost(std::string_view host)
{
    std::string name = sanitizeNodeName(host.substr(0, host.find('.')));
    const std::string lower = atmo::lower(name);
    if (lower == "localhost" || lower == "(none)" || lower == "localhost6" || lower == "(unknown)")
        return {};
    return name;
}

std::string defaultInstanceName(std::string_view nodeId)
{
    return "atmosphere-" + std::string(nodeId.substr(0, 8));
}

} // namespace atmo
