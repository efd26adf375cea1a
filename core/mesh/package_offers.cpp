#include "core/mesh/package_offers.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/base/text.h"
#include "core/mesh/chunk_layout.h"
#include "core/package/installer.h"
#include "core/package/manifest.h"

namespace atmo {

using json = nlohmann::json;

namespace {

constexpr std::size_t kMaxListingBytes = 16u << 20;
constexpr std::size_t kMaxPackages = 10'000;
constexpr std::size_t kMaxFiles = 64;
constexpr std::size_t kMaxText = 1024;
constexpr int kMaxTier = 1000;
constexpr int kMaxOffersDepth = 16;

struct BadField : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string text(const json& j, const char* key, bool required)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required)
            throw BadField(std::string(key) + " is missing");
        return {};
    }
    if (!it->is_string())
        throw BadField(std::string(key) + " is not a string");
    std::string s = it->get<std::string>();
    if (s.size() > kMaxText)
        throw BadField(std::string(key) + " is longer than " + std::to_string(kMaxText) + " bytes");
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20)
            throw BadField(std::string(key) + " holds control characters");
    return s;
}

std::optional<int> tierOf(const json& j)
{
    const auto it = j.find("tier");
    if (it == j.end() || it->is_null())
        return std::nullopt;
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > kMaxTier)
        throw BadField("tier is not a tier number");
    return static_cast<int>(it->get<std::int64_t>());
}

PackageFileOffer parseFile(const json& j, const PackageOffer& pkg, bool delta)
{
    if (!j.is_object())
        throw BadField(delta ? "a delta is not an object" : "a file is not an object");
    PackageFileOffer f;
    f.tier = tierOf(j);
    if (delta) {
        f.deltaFrom = text(j, "from", true);
        if (!isValidVersion(f.deltaFrom))
            throw BadField("from of a delta is not a version");
        if (compareVersions(f.deltaFrom, pkg.version) >= 0)
            throw BadField("delta from " + f.deltaFrom + " is not from an older version");
        f.baseManifestSha256 = text(j, "base_manifest_sha256", true);
        if (!isSha256Hex(f.baseManifestSha256))
            throw BadField("base_manifest_sha256 of " + f.variant() + " is not 64 lowercase hex digits");
    }
    f.fileName = text(j, "file_name", false);
    const auto size = j.find("size_bytes");
    if (size == j.end() || !size->is_number_unsigned())
        throw BadField("size_bytes of " + f.variant() + " is not a byte count");
    f.sizeBytes = size->get<std::uint64_t>();
    f.sha256 = text(j, "sha256", true);
    if (!isSha256Hex(f.sha256))
        throw BadField("sha256 of " + f.variant() + " is not 64 lowercase hex digits");
    f.url = text(j, "url", true);
    // A peer names where to fetch; only its own package paths are followed,
    // so a listing cannot point the download at other files or hosts.
    const std::string expected = delta ? packageDeltaUrl(pkg.id, pkg.version, f.deltaFrom, f.tier)
                                       : packageFileUrl(pkg.id, pkg.version, f.tier);
    if (f.url != expected)
        throw BadField("url of " + f.variant() + " is not " + expected);
    return f;
}

// skipped: where a bad delta entry's reason goes (the package is kept).
PackageOffer parsePackage(const json& j, std::vector<std::string>& skipped)
{
    if (!j.is_object())
        throw BadField("not an object");
    PackageOffer p;
    p.id = text(j, "id", true);
    if (!isValidPackageId(p.id))
        throw BadField("id is not a package id");
    p.version = text(j, "version", true);
    if (!isValidVersion(p.version))
        throw BadField(p.id + ": version is not a version");
    p.name = text(j, "name", false);
    p.created = text(j, "created", false);
    p.manifestUrl = text(j, "manifest_url", false);
    p.signatureUrl = text(j, "signature_url", false);
    if (const auto tiers = j.find("tiers"); tiers != j.end() && tiers->is_array()) {
        for (const auto& t : *tiers)
            if (t.is_number_integer() && t.get<std::int64_t>() >= 1 && t.get<std::int64_t>() <= kMaxTier)
                p.tiers.push_back(static_cast<int>(t.get<std::int64_t>()));
        std::sort(p.tiers.begin(), p.tiers.end());
        p.tiers.erase(std::unique(p.tiers.begin(), p.tiers.end()), p.tiers.end());
    }
    const auto files = j.find("files");
    if (files == j.end() || !files->is_array())
        throw BadField(p.id + " " + p.version + ": files is not a list");
    if (files->size() > kMaxFiles)
        throw BadField(p.id + " " + p.version + ": more than " + std::to_string(kMaxFiles) + " files");
    for (const auto& f : *files) {
        PackageFileOffer file = parseFile(f, p, false);
        const bool dup = std::any_of(p.files.begin(), p.files.end(), [&](const auto& o) { return o.tier == file.tier; });
        if (dup)
            throw BadField(p.id + " " + p.version + ": " + file.variant() + " is listed twice");
        p.files.push_back(std::move(file));
    }
    // Deltas are a list of their own, so a station that does not know them
    // reads the files it does know and ignores the rest.
    if (const auto deltas = j.find("deltas"); deltas != j.end() && !deltas->is_null()) {
        if (!deltas->is_array())
            throw BadField(p.id + " " + p.version + ": deltas is not a list");
        if (deltas->size() > kMaxFiles)
            throw BadField(p.id + " " + p.version + ": more than " + std::to_string(kMaxFiles) + " deltas");
        std::size_t index = 0;
        for (const auto& d : *deltas) {
            ++index;
            try {
                PackageFileOffer delta = parseFile(d, p, true);
                const bool dup = std::any_of(p.deltas.begin(), p.deltas.end(), [&](const auto& o) {
                    return o.tier == delta.tier && o.deltaFrom == delta.deltaFrom;
                });
                if (dup)
                    throw BadField(delta.variant() + " is listed twice");
                p.deltas.push_back(std::move(delta));
            } catch (const BadField& e) {
                skipped.push_back(p.id + " " + p.version + ": delta #" + std::to_string(index) + ": " + e.what());
            } catch (const json::exception&) {
                skipped.push_back(p.id + " " + p.version + ": delta #" + std::to_string(index) +
                                  ": a field has the wrong type");
            }
        }
    }
    if (p.files.empty() && p.deltas.empty())
        throw BadField(p.id + " " + p.version + ": no files");
    auto byTier = [](const auto& a, const auto& b) { return a.tier.value_or(0) < b.tier.value_or(0); };
    std::sort(p.files.begin(), p.files.end(), byTier);
    std::stable_sort(p.deltas.begin(), p.deltas.end(), byTier);
    std::stable_sort(p.deltas.begin(), p.deltas.end(),
                     [](const auto& a, const auto& b) { return compareVersions(a.deltaFrom, b.deltaFrom) > 0; });
    return p;
}

} // namespace

std::string PackageFileOffer::variant() const
{
    const std::string t = tier ? "tier" + std::to_string(*tier) : std::string();
    if (isDelta())
        return "from-" + deltaFrom + (t.empty() ? "" : "-" + t);
    return t.empty() ? "full" : t;
}

const PackageFileOffer* PackageOffer::file(std::optional<int> tier) const
{
    for (const auto& f : files)
        if (f.tier == tier)
            return &f;
    return nullptr;
}

std::string packageFileUrl(std::string_view id, std::string_view version, std::optional<int> tier)
{
    std::string url = "/v1/packages/";
    url.append(percentEncode(id)).append("/").append(percentEncode(version)).append("/");
    url += tier ? "tier" + std::to_string(*tier) + ".atmo" : std::string("package.atmo");
    return url;
}

std::string packageDeltaFileSegment(std::string_view baseVersion, std::optional<int> tier)
{
    std::string name = "from-";
    name.append(baseVersion);
    if (tier)
        name += "-tier" + std::to_string(*tier);
    return name + ".atmo";
}

std::string packageDeltaUrl(std::string_view id, std::string_view version, std::string_view baseVersion,
                            std::optional<int> tier)
{
    std::string url = "/v1/packages/";
    url.append(percentEncode(id)).append("/").append(percentEncode(version)).append("/");
    return url + percentEncode(packageDeltaFileSegment(baseVersion, tier));
}

Result<PackageListing> parsePackageListing(std::string_view text)
{
    if (text.size() > kMaxListingBytes)
        return fail("package list: " + std::to_string(text.size()) + " bytes is larger than the 16 MiB allowed");
    json doc;
    struct TooDeep {};
    try {
        // A listing is 5 levels deep. Without a bound, 16 MiB of "[" built
        // 8 million nested arrays first (1.9 GB and over a minute under ASan).
        doc = json::parse(text.begin(), text.end(), [](int depth, json::parse_event_t, json&) {
            if (depth > kMaxOffersDepth)
                throw TooDeep{};
            return true;
        });
    } catch (const TooDeep&) {
        return fail("package list: nested deeper than " + std::to_string(kMaxOffersDepth) + " levels");
    } catch (const json::parse_error& e) {
        return fail("package list: not valid JSON (syntax error at byte " + std::to_string(e.byte) + ")");
    } catch (const json::exception&) {
        // A number too large for a double (1e400) is an out_of_range, not a
        // parse_error; uncaught, it terminated the station.
        return fail("package list: not valid JSON (a number is out of range)");
    }
    const auto list = doc.is_object() ? doc.find("packages") : doc.end();
    if (!doc.is_object() || list == doc.end() || !list->is_array())
        return fail("package list: no \"packages\" list");
    if (list->size() > kMaxPackages)
        return fail("package list: more than " + std::to_string(kMaxPackages) + " packages");
    PackageListing out;
    std::size_t index = 0;
    for (const auto& p : *list) {
        ++index;
        try {
            PackageOffer offer = parsePackage(p, out.skipped);
            const bool dup = std::any_of(out.packages.begin(), out.packages.end(), [&](const auto& o) {
                return o.id == offer.id && o.version == offer.version;
            });
            if (dup)
                throw BadField(offer.id + " " + offer.version + " is listed twice");
            out.packages.push_back(std::move(offer));
        } catch (const BadField& e) {
            out.skipped.push_back("package #" + std::to_string(index) + ": " + e.what());
        } catch (const json::exception&) {
            out.skipped.push_back("package #" + std::to_string(index) + ": a field has the wrong type");
        }
    }
    return out;
}

std::vector<PackageUpdate> findUpdates(const std::vector<InstalledPackage>& installed,
                                       const std::vector<PackageOffer>& offers)
{
    std::map<std::string, std::string> newest;
    for (const auto& o : offers) {
        auto& v = newest[o.id];
        if (v.empty() || compareVersions(o.version, v) > 0)
            v = o.version;
    }
    std::vector<PackageUpdate> out;
    for (const auto& pkg : installed) {
        const auto it = newest.find(pkg.id);
        if (it != newest.end() && compareVersions(it->second, pkg.version) > 0)
            out.push_back({pkg.id, pkg.version, it->second});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

const PackageFileOffer* deltaFor(const PackageOffer& offer, std::string_view installedVersion,
                                 std::string_view installedManifestSha256, std::optional<int> tier)
{
    for (const auto& d : offer.deltas)
        if (deltaFits(d, installedVersion, installedManifestSha256, tier))
            return &d;
    return nullptr;
}

bool deltaFits(const PackageFileOffer& delta, std::string_view installedVersion,
               std::string_view installedManifestSha256, std::optional<int> tier)
{
    return delta.isDelta() && delta.tier == tier && delta.deltaFrom == installedVersion &&
           !installedManifestSha256.empty() && delta.baseManifestSha256 == installedManifestSha256;
}

} // namespace atmo
