#include "core/base/text.h"
#include "core/package/tier.h"

#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/base/fs_util.h"
#include "core/base/run_program.h"
#include "core/base/utf8.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kGiB = 1024ull * 1024 * 1024;

std::uint64_t readMemTotal(const fs::path& proc)
{
    std::ifstream in(proc / "meminfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("MemTotal:", 0) != 0)
            continue;
        std::istringstream fields(line.substr(9));
        unsigned long long value = 0;
        std::string unit;
        fields >> value >> unit;
        if (unit == "kB" || unit.empty())
            return static_cast<std::uint64_t>(value) * (unit.empty() ? 1 : 1024);
        return static_cast<std::uint64_t>(value);
    }
    return 0;
}

unsigned onlineCpus()
{
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<unsigned>(n) : 1u;
}

// PCI vendors of emulated or paravirtual display adapters: they give no
// acceleration worth a tier.
bool isVirtualGpuVendor(const std::string& vendor)
{
    static const std::set<std::string> kVirtual = {
        "0x1af4", // virtio (Red Hat / Qumranet)
        "0x1b36", // QEMU (qxl, bochs-drm on newer machines)
        "0x1234", // bochs / QEMU standard VGA
        "0x15ad", // VMware SVGA
        "0x80ee", // VirtualBox
        "0x1414", // Microsoft Hyper-V
    };
    const std::string v = lower(vendor);
    return v.empty() || kVirtual.count(v) != 0;
}

std::string vendorName(const std::string& vendor)
{
    if (vendor == "0x10de")
        return "NVIDIA";
    if (vendor == "0x1002")
        return "AMD";
    if (vendor == "0x8086")
        return "Intel";
    return "vendor " + vendor;
}

// "NVIDIA GeForce RTX 3060, 12288" (name, MiB) from
// nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits;
// the first GPU's line.
void askNvidiaSmi(HardwareInfo& hw, const HardwareProbe& probe)
{
    const fs::path smi = probe.nvidiaSmi.empty() ? findOnPath("nvidia-smi") : probe.nvidiaSmi;
    if (smi.empty())
        return;
    Run r;
    try {
        r = runProgram({smi.string(), "--query-gpu=name,memory.total", "--format=csv,noheader,nounits"},
                       std::chrono::seconds(10));
    } catch (const Failure&) {
        return;
    }
    if (r.exitCode != 0)
        return;
    const std::string line = r.output.substr(0, r.output.find('\n'));
    const auto comma = line.rfind(',');
    if (comma == std::string::npos)
        return;
    std::string name = line.substr(0, comma);
    const std::string mib = line.substr(comma + 1);
    char* end = nullptr;
    const unsigned long long v = std::strtoull(mib.c_str(), &end, 10);
    if (end == mib.c_str() || v == 0)
        return;
    while (*end == ' ' || *end == '\r')
        ++end;
    if (*end != '\0')
        return;
    hw.vramBytes = static_cast<std::uint64_t>(v) * 1024 * 1024;
    while (!name.empty() && name.back() == ' ')
        name.pop_back();
    if (!name.empty() && name.size() <= 100)
        hw.gpuName = printable(name) + " (/dev/nvidia0)";
}

// amdgpu publishes the card's memory in bytes (an APU: its carve-out).
std::optional<std::uint64_t> drmVram(const fs::path& device)
{
    const std::string text = readTrimmed(device / "mem_info_vram_total");
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v == 0)
        return std::nullopt;
    return static_cast<std::uint64_t>(v);
}

void detectGpu(HardwareInfo& hw, const HardwareProbe& probe)
{
    std::error_code ec;
    if (fs::exists(probe.dev / "nvidia0", ec)) {
        hw.gpu = true;
        hw.gpuName = "NVIDIA (/dev/nvidia0)";
        askNvidiaSmi(hw, probe);
        return;
    }
    const fs::path drm = probe.sys / "class/drm";
    std::vector<fs::path> nodes;
    for (fs::directory_iterator it(drm, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind("renderD", 0) == 0)
            nodes.push_back(it->path());
    }
    std::sort(nodes.begin(), nodes.end());
    for (const auto& node : nodes) {
        const std::string vendor = readTrimmed(node / "device" / "vendor");
        if (isVirtualGpuVendor(vendor))
            continue;
        std::string driver;
        std::error_code lec;
        const fs::path link = fs::read_symlink(node / "device" / "driver", lec);
        if (!lec)
            driver = link.filename().string();
        hw.gpu = true;
        hw.gpuName = (driver.empty() ? vendorName(vendor) : driver + ", " + vendorName(vendor)) + " ("
            + node.filename().string() + ")";
        hw.vramBytes = drmVram(node / "device");
        return;
    }
}

// Thresholds print as given: "8 GiB", "7.5 GiB".
std::string gibThreshold(std::uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g GiB", static_cast<double>(bytes) / static_cast<double>(kGiB));
    return buf;
}

struct RuleCheck {
    std::vector<std::string> met;
    std::vector<std::string> unmet;
    std::vector<TierCriterion> metFacts, unmetFacts;
};

RuleCheck checkRule(const HardwareInfo& hw, const TierRule& r)
{
    RuleCheck c;
    using What = TierCriterion::What;
    auto add = [&c](bool ok, std::string text, TierCriterion fact) {
        fact.met = ok;
        (ok ? c.met : c.unmet).push_back(std::move(text));
        (ok ? c.metFacts : c.unmetFacts).push_back(std::move(fact));
    };
    if (r.minRamBytes > 0) {
        const bool ok = hw.ramBytes >= r.minRamBytes;
        add(ok, gibText(hw.ramBytes) + " RAM " + (ok ? ">= " : "< ") + gibThreshold(r.minRamBytes),
            {What::Ram, ok, false, false, hw.ramBytes, r.minRamBytes, {}});
    }
    if (r.minCores > 0) {
        const bool ok = hw.cores >= r.minCores;
        add(ok, std::to_string(hw.cores) + (hw.cores == 1 ? " core " : " cores ") + (ok ? ">= " : "< ") +
                    std::to_string(r.minCores),
            {What::Cores, ok, false, false, hw.cores, r.minCores, {}});
    }
    if (r.needsGpu)
        add(hw.gpu, hw.gpu ? "GPU " + hw.gpuName : std::string("no GPU"), {What::Gpu, hw.gpu, false, false, 0, 0, hw.gpuName});
    if (r.minDiskBytes > 0) {
        const bool ok = hw.diskFreeBytes >= r.minDiskBytes;
        add(ok, gibText(hw.diskFreeBytes) + " free " + (ok ? ">= " : "< ") + gibThreshold(r.minDiskBytes),
            {What::DiskFree, ok, false, false, hw.diskFreeBytes, r.minDiskBytes, {}});
    }
    return c;
}

std::string join(const std::vector<std::string>& parts, const char* sep)
{
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : sep) + p;
    return out;
}

// ---- tiers.yaml ---------------------------------------------------------

[[noreturn]] void bad(const fs::path& file, const std::string& field, const std::string& why)
{
    throw Failure(ErrorCode::BadData, file.string() + ": " + field + ": " + why, file.filename().string());
}

std::string scalarText(const YAML::Node& n)
{
    return n.IsScalar() ? n.Scalar() : std::string(n.IsSequence() ? "a list" : n.IsMap() ? "a mapping" : "null");
}

long long toInteger(const fs::path& file, const std::string& field, const YAML::Node& n, long long lo, long long hi)
{
    if (!n.IsScalar())
        bad(file, field, "expected an integer, got " + scalarText(n));
    const std::string& s = n.Scalar();
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size() || errno != 0)
        bad(file, field, "expected an integer, got '" + s + "'");
    if (v < lo || v > hi)
        bad(file, field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " + s);
    return v;
}

std::uint64_t toGiB(const fs::path& file, const std::string& field, const YAML::Node& n)
{
    if (!n.IsScalar())
        bad(file, field, "expected a number of GiB, got " + scalarText(n));
    const std::string& s = n.Scalar();
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || errno != 0 || !std::isfinite(v))
        bad(file, field, "expected a number of GiB, got '" + s + "'");
    if (v < 0 || v > 1024.0 * 1024.0)
        bad(file, field, "must be between 0 and 1048576 GiB, got " + s);
    return static_cast<std::uint64_t>(std::llround(v * static_cast<double>(kGiB)));
}

bool toBool(const fs::path& file, const std::string& field, const YAML::Node& n)
{
    if (n.IsScalar()) {
        const std::string& s = n.Scalar();
        if (s == "true" || s == "True" || s == "TRUE" || s == "yes")
            return true;
        if (s == "false" || s == "False" || s == "FALSE" || s == "no")
            return false;
    }
    bad(file, field, "expected true or false, got '" + scalarText(n) + "'");
}

TierRule parseRule(const fs::path& file, const std::string& where, const YAML::Node& item)
{
    if (!item.IsMap())
        bad(file, where, "expected a mapping with tier, min_ram_gib, min_cores, gpu, min_disk_gib");
    TierRule rule;
    std::set<std::string> seen;
    bool haveTier = false;
    for (const auto& kv : item) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
        const std::string field = where + "." + key;
        if (!seen.insert(key).second)
            bad(file, field, "given twice");
        if (key == "tier") {
            rule.tier = static_cast<int>(toInteger(file, field, kv.second, 1, 99));
            haveTier = true;
        } else if (key == "min_ram_gib") {
            rule.minRamBytes = toGiB(file, field, kv.second);
        } else if (key == "min_cores") {
            rule.minCores = static_cast<unsigned>(toInteger(file, field, kv.second, 0, 65536));
        } else if (key == "gpu") {
            rule.needsGpu = toBool(file, field, kv.second);
        } else if (key == "min_disk_gib") {
            rule.minDiskBytes = toGiB(file, field, kv.second);
        } else {
            bad(file, field, "unknown key (expected tier, min_ram_gib, min_cores, gpu, min_disk_gib)");
        }
    }
    if (!haveTier)
        bad(file, where + ".tier", "is missing");
    return rule;
}

TierPolicy parsePolicy(const fs::path& file, const std::string& text)
{
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw Failure(ErrorCode::BadData, file.string() + ": not valid YAML: " + e.what(), file.filename().string());
    }
    if (!root.IsMap())
        throw Failure(ErrorCode::BadData, file.string() + ": expected a mapping with a 'tiers' list",
                      file.filename().string());
    YAML::Node tiers;
    bool haveTiers = false;
    for (const auto& kv : root) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
        if (key != "tiers")
            bad(file, key, "unknown key (expected tiers)");
        if (haveTiers)
            bad(file, key, "given twice");
        tiers = kv.second;
        haveTiers = true;
    }
    if (!haveTiers)
        bad(file, "tiers", "is missing");
    if (!tiers.IsSequence())
        bad(file, "tiers", "expected a list of tier rules");

    // Rules in the file replace the default rule of the same tier; tiers the
    // file does not mention keep their defaults.
    std::map<int, TierRule> byTier;
    for (const auto& r : TierPolicy::defaults().rules)
        byTier[r.tier] = r;
    std::set<int> given;
    for (std::size_t i = 0; i < tiers.size(); ++i) {
        const std::string where = "tiers[" + std::to_string(i) + "]";
        TierRule rule = parseRule(file, where, tiers[i]);
        if (!given.insert(rule.tier).second)
            bad(file, where + ".tier", "tier " + std::to_string(rule.tier) + " is given twice");
        byTier[rule.tier] = rule;
    }
    TierPolicy policy;
    for (const auto& [t, r] : byTier)
        policy.rules.push_back(r);
    return policy;
}

} // namespace

std::string tierName(int tier)
{
    return "tier_" + std::to_string(tier);
}

std::optional<int> parseTierName(std::string_view text)
{
    if (text.starts_with("tier_"))
        text.remove_prefix(5);
    if (text.empty() || text.size() > 2 || text[0] == '0')
        return std::nullopt;
    int v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    if (v < 1 || v > kMaxTier)
        return std::nullopt;
    return v;
}

std::string tierListText(const std::vector<int>& tiers)
{
    std::string s;
    for (int t : tiers)
        s += (s.empty() ? "" : ", ") + tierName(t);
    return s;
}

HardwareInfo detectHardware(const fs::path& root, const HardwareProbe& probe)
{
    HardwareInfo hw;
    hw.ramBytes = readMemTotal(probe.proc);
    hw.cores = onlineCpus();
    detectGpu(hw, probe);
    hw.diskFreeBytes = freeSpace(root.empty() ? fs::path(".") : root);
    return hw;
}

TierPolicy TierPolicy::defaults()
{
    TierPolicy p;
    p.rules.push_back(TierRule{1, 0, 0, false, 0});
    p.rules.push_back(TierRule{2, 8 * kGiB, 4, false, 0});
    p.rules.push_back(TierRule{3, 16 * kGiB, 8, true, 0});
    return p;
}

Result<TierPolicy> TierPolicy::load(const fs::path& file)
{
    return guarded([&]() -> Result<TierPolicy> {
        auto text = readFile(file, 1u << 20);
        if (!text)
            return text.error();
        return parsePolicy(file, *text);
    });
}

Result<TierPolicy> TierPolicy::loadOrDefaults(const fs::path& file)
{
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        if (ec && ec != std::errc::no_such_file_or_directory)
            return fail(file.string() + ": cannot read: " + ec.message());
        return defaults();
    }
    return load(file);
}

TierDecision decideTier(const HardwareInfo& hw, const TierPolicy& policy)
{
    std::vector<TierRule> rules = policy.rules;
    std::sort(rules.begin(), rules.end(), [](const TierRule& a, const TierRule& b) { return a.tier > b.tier; });

    TierDecision d;
    d.tier = 1;
    d.basis = TierDecision::Basis::Thresholds;
    std::vector<std::string> met;
    bool chosen = false;
    std::vector<std::pair<int, std::vector<std::string>>> higherMisses; // descending tier
    for (const auto& rule : rules) {
        RuleCheck c = checkRule(hw, rule);
        if (c.unmet.empty()) {
            d.tier = rule.tier;
            met = std::move(c.met);
            d.met = std::move(c.metFacts);
            chosen = true;
            break;
        }
        higherMisses.emplace_back(rule.tier, std::move(c.unmet));
        d.above.insert(d.above.begin(), TierMiss{rule.tier, std::move(c.unmetFacts)});
    }
    d.noneMet = !chosen;
    if (chosen)
        std::erase_if(d.above, [&d](const TierMiss& m) { return m.tier <= d.tier; });

    std::string reason = tierName(d.tier) + ": ";
    if (!chosen)
        reason += "meets no tier's thresholds";
    else if (met.empty())
        reason += "base tier";
    else
        reason += join(met, ", ");
    // Explain the tiers above the chosen one, lowest first.
    for (auto it = higherMisses.rbegin(); it != higherMisses.rend(); ++it) {
        if (chosen && it->first <= d.tier)
            continue;
        reason += "; " + join(it->second, ", ") + " for " + tierName(it->first);
    }
    d.reason = reason;
    return d;
}

std::string gibText(std::uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(bytes) / static_cast<double>(kGiB));
    return buf;
}

} // namespace atmo
