#include "core/package/package_tier.h"

#include <algorithm>
#include <cstdio>

namespace atmo {

namespace {

constexpr double kBytesPerGiB = 1024.0 * 1024.0 * 1024.0;

std::string gb(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g GB", v);
    return buf;
}

bool meets(std::uint64_t have, double needGb)
{
    return static_cast<double>(have) >= needGb * kBytesPerGiB * (1.0 - kRequirementTolerance);
}

// "15.5 GiB RAM >= 8 GB", or within the tolerance "7.6 GiB RAM counts as 8 GB".
std::string metText(std::uint64_t have, double needGb, const char* what)
{
    const bool full = static_cast<double>(have) >= needGb * kBytesPerGiB;
    return gibText(have) + " " + what + (full ? " >= " : " counts as ") + gb(needGb);
}

struct Unmet {
    std::string need;  // "8 GB RAM", "a GPU", "4 GB VRAM"
    std::string found; // "7.0 GiB found", "none found", "VRAM unknown"
};

struct Check {
    std::vector<std::string> met;
    std::vector<Unmet> unmet;
    std::vector<TierCriterion> metFacts, unmetFacts;
};

std::uint64_t gbBytes(double gb) { return static_cast<std::uint64_t>(gb * kBytesPerGiB); }

Check check(const HardwareInfo& hw, const TierRequirements& r)
{
    Check c;
    using What = TierCriterion::What;
    auto fact = [](What what, bool met, std::uint64_t have, std::uint64_t need) {
        TierCriterion t;
        t.what = what;
        t.met = met;
        t.have = have;
        t.need = need;
        t.tolerated = met && have < need;
        return t;
    };
    if (r.minRamGb && *r.minRamGb > 0) {
        const bool ok = meets(hw.ramBytes, *r.minRamGb);
        if (ok)
            c.met.push_back(metText(hw.ramBytes, *r.minRamGb, "RAM"));
        else
            c.unmet.push_back({gb(*r.minRamGb) + " RAM", gibText(hw.ramBytes) + " found"});
        (ok ? c.metFacts : c.unmetFacts).push_back(fact(What::Ram, ok, hw.ramBytes, gbBytes(*r.minRamGb)));
    }
    const bool wantsVram = r.vramGb && *r.vramGb > 0;
    if (r.gpuRequired || wantsVram) {
        if (!hw.gpu) {
            c.unmet.push_back({wantsVram ? "a GPU with " + gb(*r.vramGb) + " VRAM" : std::string("a GPU"), "none found"});
            // need: the VRAM it would need, if any ("a GPU with 4 GB VRAM").
            c.unmetFacts.push_back(fact(What::Gpu, false, 0, wantsVram ? gbBytes(*r.vramGb) : 0));
            return c;
        }
        c.met.push_back("GPU " + hw.gpuName);
        TierCriterion gpu = fact(What::Gpu, true, 0, 0);
        gpu.gpuName = hw.gpuName;
        c.metFacts.push_back(gpu);
    }
    if (wantsVram) {
        if (!hw.vramBytes) {
            c.unmet.push_back({gb(*r.vramGb) + " VRAM", "VRAM unknown"});
            TierCriterion vram = fact(What::Vram, false, 0, gbBytes(*r.vramGb));
            vram.unknown = true;
            c.unmetFacts.push_back(vram);
        } else {
            const bool ok = meets(*hw.vramBytes, *r.vramGb);
            if (ok)
                c.met.push_back(metText(*hw.vramBytes, *r.vramGb, "VRAM"));
            else
                c.unmet.push_back({gb(*r.vramGb) + " VRAM", gibText(*hw.vramBytes) + " found"});
            (ok ? c.metFacts : c.unmetFacts).push_back(fact(What::Vram, ok, *hw.vramBytes, gbBytes(*r.vramGb)));
        }
    }
    return c;
}

// "tier_2 needs a GPU; none found", or with more than one
// "tier_3 needs 32 GB RAM (15.5 GiB found) and 16 GB VRAM (VRAM unknown)".
std::string needsText(int tier, const std::vector<Unmet>& unmet)
{
    std::string out = tierName(tier) + " needs ";
    if (unmet.size() == 1)
        return out + unmet.front().need + "; " + unmet.front().found;
    for (std::size_t i = 0; i < unmet.size(); ++i)
        out += (i == 0 ? "" : i + 1 == unmet.size() ? " and " : ", ") + unmet[i].need + " (" + unmet[i].found + ")";
    return out;
}

} // namespace

TierDecision decideTier(const HardwareInfo& hw, const std::vector<int>& tiers, const TierRequirementMap& requirements)
{
    std::vector<int> sorted = tiers;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    TierDecision d;
    d.basis = TierDecision::Basis::Requirements;
    if (sorted.empty()) {
        d.tier = 1;
        d.basis = TierDecision::Basis::NoTiers;
        d.reason = tierName(1) + ": the package names no tiers";
        return d;
    }
    std::optional<int> chosen;
    std::vector<std::string> met;
    std::vector<std::string> above; // the unmet tiers above the chosen one, ascending
    for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) {
        const auto req = requirements.find(*it);
        Check c = req == requirements.end() ? Check{} : check(hw, req->second);
        if (c.unmet.empty()) {
            chosen = *it;
            met = std::move(c.met);
            d.met = std::move(c.metFacts);
            break;
        }
        above.insert(above.begin(), needsText(*it, c.unmet));
        d.above.insert(d.above.begin(), TierMiss{*it, std::move(c.unmetFacts)});
    }
    d.noneMet = !chosen;
    d.tier = chosen.value_or(sorted.front());
    d.reason = tierName(d.tier) + ": ";
    if (!chosen)
        d.reason += "meets none of the package's requirements, installing its lowest tier";
    else if (met.empty())
        d.reason += "no requirements";
    else
        for (std::size_t i = 0; i < met.size(); ++i)
            d.reason += (i ? ", " : "") + met[i];
    for (const auto& a : above)
        d.reason += "; " + a;
    return d;
}

TierDecision decidePackageTier(const HardwareInfo& hw, const Manifest& manifest, const TierPolicy& policy)
{
    if (manifest.requirements.empty())
        return decideTier(hw, policy);
    return decideTier(hw, manifest.tiers, manifest.requirements);
}

TierDecision operatorTier(int tier)
{
    TierDecision d;
    d.tier = tier;
    d.reason = tierName(tier) + ": chosen by the operator";
    d.basis = TierDecision::Basis::Operator;
    return d;
}

} // namespace atmo
