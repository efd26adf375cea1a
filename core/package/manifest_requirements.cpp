#include "core/package/manifest_requirements.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "core/package/manifest.h"
#include "core/package/manifest_fields.h"
#include "core/base/result.h"
#include "core/base/utf8.h"

namespace atmo {

namespace {

using manifest_fields::bad;

// Far above any machine; keeps the numbers finite and printable.
constexpr double kMaxGb = 1024.0 * 1024.0;

std::string keyText(const YAML::Node& key)
{
    return key.IsScalar() ? key.Scalar() : std::string("?");
}

// Plain decimal: "8", "7.5". No sign, exponent, hex, inf or nan.
double gigabytes(const YAML::Node& node, const std::string& field)
{
    const std::string s = node.IsScalar() ? node.Scalar() : std::string();
    const bool shaped = !s.empty() && s.size() <= 16 && s.front() != '.' && s.back() != '.' &&
                        std::count(s.begin(), s.end(), '.') <= 1 &&
                        std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
    if (!shaped)
        bad(field, "must be a number of GB, 0 or more, not \"" + (node.IsScalar() ? s : std::string("a list or mapping")) +
                       "\"");
    const double v = std::strtod(s.c_str(), nullptr);
    if (!std::isfinite(v) || v > kMaxGb)
        bad(field, "is \"" + s + "\", more than any machine has");
    return v;
}

// The shortest plain decimal that reads back as v (never an exponent, which
// gigabytes() refuses).
std::string gbText(double v)
{
    char buf[64];
    for (int digits = 0; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*f", digits, v);
        if (std::strtod(buf, nullptr) == v)
            break;
    }
    return buf;
}

} // namespace

TierRequirementMap parseRequirements(const YAML::Node& node, const std::vector<int>& packageTiers)
{
    const std::string where = "package.requirements";
    if (!node.IsMap())
        bad(where, "must be a mapping of tier to requirements, e.g. {tier_1: {min_ram_gb: 4}}");
    TierRequirementMap out;
    for (const auto& kv : node) {
        const std::string key = keyText(kv.first);
        const std::string field = where + "." + key;
        const auto tier = parseTierName(key);
        if (!tier)
            bad(field, "is not a tier (tier_1 to tier_" + std::to_string(kMaxTier) + ")");
        if (std::find(packageTiers.begin(), packageTiers.end(), *tier) == packageTiers.end())
            bad(field, "names " + tierName(*tier) + ", which package.tiers lacks");
        if (out.count(*tier))
            bad(field, "gives " + tierName(*tier) + " a second time");
        const YAML::Node& spec = kv.second;
        if (!spec.IsMap())
            bad(field, "must be a mapping with min_ram_gb, gpu, vram_gb");
        TierRequirements r;
        std::set<std::string> seen;
        for (const auto& item : spec) {
            const std::string name = keyText(item.first);
            const std::string f = field + "." + name;
            if (!seen.insert(name).second)
                bad(f, "appears twice");
            if (name == "min_ram_gb") {
                r.minRamGb = gigabytes(item.second, f);
            } else if (name == "vram_gb") {
                r.vramGb = gigabytes(item.second, f);
            } else if (name == "gpu") {
                const std::string v = item.second.IsScalar() ? item.second.Scalar() : std::string("?");
                if (v != "required" && v != "optional")
                    bad(f, "must be required or optional, not \"" + v + "\"");
                r.gpuRequired = v == "required";
            } else {
                bad(f, "is not a known field (min_ram_gb, gpu, vram_gb)");
            }
        }
        out[*tier] = r;
    }
    return out;
}

void emitRequirements(YAML::Emitter& out, const TierRequirementMap& requirements)
{
    out << YAML::Key << "requirements" << YAML::Value << YAML::BeginMap;
    for (const auto& [tier, r] : requirements) {
        out << YAML::Key << tierName(tier) << YAML::Value << YAML::Flow << YAML::BeginMap;
        if (r.minRamGb)
            out << YAML::Key << "min_ram_gb" << YAML::Value << gbText(*r.minRamGb);
        out << YAML::Key << "gpu" << YAML::Value << (r.gpuRequired ? "required" : "optional");
        if (r.vramGb)
            out << YAML::Key << "vram_gb" << YAML::Value << gbText(*r.vramGb);
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
}

} // namespace atmo
