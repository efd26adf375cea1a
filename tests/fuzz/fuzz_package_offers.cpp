// GET /v1/packages from any peer (core/mesh/package_offers.h): the listing, and
// the update decision taken from it against installed packages.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/package/installer.h"
#include "core/package/manifest.h"
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
        for (const auto& f : p.files) {
            FUZZ_CHECK(f.url == atmo::packageFileUrl(p.id, p.version, f.tier));
            (void)f.variant();
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
