#include "core/mesh/mdns_txt.h"

#include <string_view>

#include "core/base/text.h"
#include "core/base/utf8.h"

namespace atmo {

namespace {

// Printable US-ASCII other than '=' (RFC 6763 §6.4), folded to lower case;
// "" when the key is not one.
std::string foldedKey(std::string_view key)
{
    std::string out;
    out.reserve(key.size());
    for (const char ch : key) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c > 0x7E)
            return {};
        out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
    }
    return out;
}

std::string identifier(std::string_view value, std::size_t max)
{
    if (value.size() > max || !isCleanText(value))
        return {};
    return std::string(value);
}

std::vector<std::string> capabilityList(std::string_view value)
{
    std::vector<std::string> out;
    // Splitting on the byte ',' is safe in UTF-8 and in garbage alike: it is
    // never part of a multi-byte sequence, and each item is checked on its own.
    while (out.size() < kMdnsCapabilitiesMax) {
        const std::size_t comma = value.find(',');
        const std::string_view item = trimmedBlanks(value.substr(0, comma));
        if (!item.empty() && item.size() <= kMdnsCapabilityMax && isCleanText(item)) {
            bool seen = false;
            for (const auto& c : out)
                seen = seen || c == item;
            if (!seen)
                out.emplace_back(item);
        }
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
    return out;
}

} // namespace

MdnsTxt decodeMdnsTxt(const std::vector<std::string>& records)
{
    MdnsTxt txt;
    bool haveNodeId = false, haveMeshId = false, haveCapabilities = false;
    for (const std::string& record : records) {
        const std::string_view r(record);
        const std::size_t eq = r.find('=');
        const std::string_view rawKey = r.substr(0, eq);
        // No '=': the attribute is present without a value (RFC 6763 §6.4).
        const std::string_view value = eq == std::string_view::npos ? std::string_view() : r.substr(eq + 1);
        // The three keys are short: a longer key is none of them, whatever it holds.
        if (rawKey.empty() || rawKey.size() > 16)
            continue;
        const std::string key = foldedKey(rawKey);
        if (key == "node_id" && !haveNodeId) {
            haveNodeId = true;
            txt.nodeId = identifier(value, kMdnsNodeIdMax);
        } else if (key == "mesh_id" && !haveMeshId) {
            haveMeshId = true;
            txt.meshId = identifier(value, kMdnsMeshIdMax);
        } else if (key == "capabilities" && !haveCapabilities) {
            haveCapabilities = true;
            txt.capabilities = capabilityList(value);
        }
    }
    return txt;
}

} // namespace atmo
