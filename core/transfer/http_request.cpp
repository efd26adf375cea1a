#include "core/transfer/http_request.h"

#include "core/base/text.h"

#include <algorithm>
#include <cstring>

namespace atmo {

namespace {

bool isTchar(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return true;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != 0;
}

bool isToken(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return isTchar(static_cast<unsigned char>(c)); });
}

std::string_view trimOws(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// The comma-separated elements of a list-valued field, trimmed, empty ones dropped.
std::vector<std::string_view> listElements(std::string_view value)
{
    std::vector<std::string_view> out;
    while (!value.empty()) {
        const std::size_t comma = value.find(',');
        const std::string_view part = trimOws(value.substr(0, comma));
        if (!part.empty())
            out.push_back(part);
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
    return out;
}

HttpHeadParse invalid(int status, std::string reason)
{
    HttpHeadParse p;
    p.state = HttpHeadParse::State::Invalid;
    p.status = status;
    p.reason = std::move(reason);
    return p;
}

// One line starting at `pos`: its text without CR LF, and where the next begins.
struct Line {
    std::string_view text;
    std::size_t next = 0;
    bool complete = false;
};

Line lineAt(std::string_view data, std::size_t pos)
{
    Line l;
    const std::size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) {
        l.text = data.substr(pos);
        return l;
    }
    std::size_t end = nl;
    if (end > pos && data[end - 1] == '\r')
        --end;
    l.text = data.substr(pos, end - pos);
    l.next = nl + 1;
    l.complete = true;
    return l;
}

bool hasControl(std::string_view s)
{
    return std::any_of(s.begin(), s.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return (c < 0x20 && c != '\t') || c == 0x7f;
    });
}

} // namespace

std::string HttpRequestHead::field(std::string_view name) const
{
    std::string out;
    bool first = true;
    for (const auto& [n, v] : fields) {
        if (!equalsNoCase(n, name))
            continue;
        if (!first)
            out += ", ";
        out += v;
        first = false;
    }
    return out;
}

bool HttpRequestHead::hasField(std::string_view name) const
{
    return std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return equalsNoCase(f.first, name); });
}

HttpHeadParse parseRequestHead(std::string_view data, const HttpHeadLimits& limits)
{
    // Never look past what the limits allow: one byte more tells "too big".
    data = data.substr(0, limits.maxHead + 1);

    // Empty lines before a request line are ignored (RFC 9112 2.2).
    std::size_t pos = 0;
    while (pos < data.size() && (data[pos] == '\n' || (data[pos] == '\r' && pos + 1 < data.size() && data[pos + 1] == '\n')))
        pos += data[pos] == '\r' ? 2 : 1;
    if (pos == data.size())
        return pos > limits.maxHead ? invalid(431, "request header block too large") : HttpHeadParse{};

    const Line requestLine = lineAt(data, pos);
    if (requestLine.text.size() > limits.maxRequestLine)
        return invalid(414, "request line longer than " + std::to_string(limits.maxRequestLine) + " bytes");
    if (!requestLine.complete)
        return data.size() > limits.maxHead ? invalid(431, "request header block too large") : HttpHeadParse{};

    HttpHeadParse p;
    HttpRequestHead& h = p.head;

    // method SP request-target SP HTTP-version, judged as soon as it is in.
    const std::string_view rl = requestLine.text;
    const std::size_t sp1 = rl.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : rl.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || rl.find(' ', sp2 + 1) != std::string_view::npos)
        return invalid(400, "malformed request line");
    const std::string_view method = rl.substr(0, sp1), target = rl.substr(sp1 + 1, sp2 - sp1 - 1),
                           version = rl.substr(sp2 + 1);
    if (!isToken(method))
        return invalid(400, "malformed request method");
    if (target.empty() || std::any_of(target.begin(), target.end(), [](char ch) {
            const auto c = static_cast<unsigned char>(ch);
            return c <= 0x20 || c >= 0x7f;
        }))
        return invalid(400, "malformed request target");
    if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
        version[5] > '9' || version[7] < '0' || version[7] > '9')
        return invalid(400, "malformed HTTP version");
    if (version[5] != '1')
        return invalid(505, "only HTTP/1.0 and HTTP/1.1 are served");
    h.method = std::string(method);
    h.target = std::string(target);
    h.minorVersion = version[7] - '0';

    // Find the empty line that ends the head before parsing any field.
    std::size_t end = requestLine.next;
    std::vector<std::string_view> fieldLines;
    for (;;) {
        const Line l = lineAt(data, end);
        if (!l.complete) {
            if (data.size() > limits.maxHead)
                return invalid(431, "request header block larger than " + std::to_string(limits.maxHead) + " bytes");
            return HttpHeadParse{};
        }
        end = l.next;
        if (l.text.empty())
            break;
        fieldLines.push_back(l.text);
        if (fieldLines.size() > limits.maxFields)
            return invalid(431, "more than " + std::to_string(limits.maxFields) + " header fields");
    }
    if (end > limits.maxHead)
        return invalid(431, "request header block larger than " + std::to_string(limits.maxHead) + " bytes");

    for (const std::string_view line : fieldLines) {
        if (line.front() == ' ' || line.front() == '\t')
            return invalid(400, "obsolete header line folding");
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || !isToken(line.substr(0, colon)))
            return invalid(400, "malformed header field");
        const std::string_view value = trimOws(line.substr(colon + 1));
        if (hasControl(value))
            return invalid(400, "control character in a header field");
        h.fields.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }

    if (h.hasField("Transfer-Encoding"))
        return invalid(413, "request bodies are not accepted (Transfer-Encoding)");
    bool haveLength = false;
    for (const auto& [name, value] : h.fields) {
        if (!equalsNoCase(name, "Content-Length"))
            continue;
        const auto parts = listElements(value);
        if (parts.empty())
            return invalid(400, "malformed Content-Length");
        for (std::string_view part : parts) {
            if (!std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return invalid(400, "malformed Content-Length");
            while (part.size() > 1 && part.front() == '0')
                part.remove_prefix(1);
            std::uint64_t n = 0;
            bool huge = part.size() > 18;
            for (char c : part.substr(0, 19))
                n = n * 10 + std::uint64_t(c - '0');
            if (huge || n > limits.maxBody)
                return invalid(413, "request body larger than " + std::to_string(limits.maxBody) + " bytes");
            if (haveLength && n != h.contentLength)
                return invalid(400, "conflicting Content-Length values");
            h.contentLength = n;
            haveLength = true;
        }
    }

    bool close = false, keepAlive = false;
    // The field's text must outlive the views into it: a range-for keeps only
    // listElements' vector alive, not the string field() returned.
    const std::string connection = h.field("Connection");
    for (const std::string_view token : listElements(connection)) {
        close = close || equalsNoCase(token, "close");
        keepAlive = keepAlive || equalsNoCase(token, "keep-alive");
    }
    h.keepAlive = !close && (h.minorVersion >= 1 || keepAlive);

    p.state = HttpHeadParse::State::Complete;
    p.size = end;
    return p;
}

} // namespace atmo
