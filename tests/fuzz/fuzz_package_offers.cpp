// GET /v1/packages from any peer (core/mesh/package_offers.h): the listing, and
// the update decision taken from it against installed packages, and which
// delta goes onto an installed version.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/package/installer.h"
#include "core/package/manifest.h"
#include "core/mesh/chunk_layout.h"
#include "core/mesh/package_offers.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto listing = atmo::parsePackageListing(text);
    if (!listing)
        return 0;
    std::vector<atmo::InstalledPackage> installed;
    for (const auto& p : listing->packages) {
        FUZZ_CHECK(atmo::isValidPackageId(p.id));
        FUZZ_CHECK(atmo::isValidVersion(p.version));
        FUZZ_CHECK(!p.files.empty() || !p.deltas.empty());
        for (const auto& f : p.files) {
            FUZZ_CHECK(!f.isDelta());
            FUZZ_CHECK(f.url == atmo::packageFileUrl(p.id, p.version, f.tier));
            (void)f.variant();
        }
        for (const auto& d : p.deltas) {
            FUZZ_CHECK(d.isDelta() && atmo::isValidVersion(d.deltaFrom));
            FUZZ_CHECK(atmo::compareVersions(d.deltaFrom, p.version) < 0);
            FUZZ_CHECK(atmo::isSha256Hex(d.baseManifestSha256));
            FUZZ_CHECK(d.url == atmo::packageDeltaUrl(p.id, p.version, d.deltaFrom, d.tier));
            // Each listed delta is the one chosen for its own base.
            const atmo::PackageFileOffer* chosen = atmo::deltaFor(p, d.deltaFrom, d.baseManifestSha256, d.tier);
            FUZZ_CHECK(chosen && chosen->deltaFrom == d.deltaFrom && chosen->tier == d.tier);
            FUZZ_CHECK(!atmo::deltaFor(p, d.deltaFrom, "", d.tier));
        }
        atmo::InstalledPackage i;
        i.id = p.id;
        i.version = "1.0";
        installed.push_back(i);
    }
    const auto updates = atmo::findUpdates(installed, listing->packages);
    for (const auto& u : updates)
        FUZZ_CHECK(atmo::compareVersions(u.offeredVersion, u.installedVersion) > 0);
    return 0;
}
