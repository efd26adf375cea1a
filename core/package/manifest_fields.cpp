#include "core/package/manifest_fields.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "core/base/result.h"
#include "core/base/utf8.h"
#include "core/package/manifest.h"

namespace atmo::manifest_fields {

[[noreturn]] void bad(const std::string& field, const std::string& reason)
{
    // printable: a hostile value with a newline must not make the reason two lines.
    throw Failure(printable(std::string(kManifestName) + ": " + field + " " + reason));
}

// yaml-cpp keeps the first of duplicate keys silently; a manifest must not have any.
void noDuplicateKeys(const YAML::Node& node, const std::string& where)
{
    std::set<std::string> seen;
    for (const auto& kv : node) {
        const auto key = kv.first.as<std::string>();
        if (!seen.insert(key).second)
            bad(where.empty() ? key : where + "." + key, "appears twice");
    }
}

void onlyKeys(const YAML::Node& node, const std::string& where, std::initializer_list<const char*> allowed)
{
    noDuplicateKeys(node, where);
    for (const auto& kv : node) {
        const auto key = kv.first.as<std::string>();
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
            bad(where.empty() ? key : where + "." + key, "is not a known field");
    }
}

YAML::Node need(const YAML::Node& node, const std::string& where, const char* key)
{
    const YAML::Node child = node[key];
    if (!child || child.IsNull())
        bad(where + "." + key, "is missing");
    return child;
}

std::string text(const YAML::Node& node, const std::string& field)
{
    if (!node.IsScalar())
        bad(field, "must be text");
    return node.Scalar();
}

std::uint64_t number(const YAML::Node& node, const std::string& field)
{
    if (!node.IsScalar())
        bad(field, "must be a whole number");
    const std::string& s = node.Scalar();
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty())
        bad(field, "must be a whole number, not \"" + s + "\"");
    return v;
}

std::string hashField(const YAML::Node& node, const std::string& field)
{
    const std::string h = text(node, field);
    if (h.rfind("sha256:", 0) != 0)
        bad(field, "must start with \"sha256:\"");
    std::string hex = h.substr(7);
    if (hex.size() != 64 || !std::all_of(hex.begin(), hex.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        }))
        bad(field, "must be 64 lowercase hex digits after \"sha256:\"");
    return hex;
}

} // namespace atmo::manifest_fields
