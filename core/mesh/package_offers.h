// The packages another station offers (GET /v1/packages, docs/mesh-api.md),
// parsed, and what they mean for this station: which offered versions are
// newer than what is installed.
//
// A listing comes from any peer on the LAN, so it is parsed like a catalog:
// bounded, lenient per package (a bad package is skipped with its reason,
// the others are kept; a bad delta entry is skipped alone, the package's
// other files stay), strict per field (an id, version, file URL or
// SHA-256 that could be abused is refused, not repaired). Nothing here is
// trusted for more than choosing what to download: a downloaded package is
// verified like any imported one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace atmo {

struct InstalledPackage;

struct PackageFileOffer {
    std::optional<int> tier;   // nullopt: the full package
    std::string fileName;      // as the peer names it (display only)
    std::uint64_t sizeBytes = 0;
    std::string sha256;        // lowercase hex
    std::string url;           // a path on the peer: /v1/packages/{id}/{version}/package.atmo | tier{N}.atmo
                               // | from-{base}.atmo | from-{base}-tier{N}.atmo
    // A delta package: the version it updates, and the SHA-256 of that
    // version's signed manifest.yaml, which the installed copy must have.
    // Both empty for a package that installs on its own.
    std::string deltaFrom;
    std::string baseManifestSha256;

    bool isDelta() const { return !deltaFrom.empty(); }
    std::string variant() const; // "full", "tier1", "from-1.2", "from-1.2-tier1"
};

struct PackageOffer {
    std::string id;
    std::string version;
    std::string name;
    std::string created;
    std::vector<int> tiers;
    std::string manifestUrl;
    std::string signatureUrl;
    std::vector<PackageFileOffer> files;  // full first, then tiers ascending; may be empty when deltas are not
    std::vector<PackageFileOffer> deltas; // by base version, then full first, then tiers

    // The file a station installs when it asks for `tier` (nullopt: the
    // full package); nullptr when it is not offered.
    const PackageFileOffer* file(std::optional<int> tier) const;
};

struct PackageListing {
    std::vector<PackageOffer> packages;
    std::vector<std::string> skipped; // "package #3: version is not a version", ...
};

// Fails only when the document as a whole is unusable (not JSON, no
// "packages" array, too large).
Result<PackageListing> parsePackageListing(std::string_view json);

// The path a station serves a package file under; what a listing's url must
// be. Id and version are percent-encoded (a version may hold '+').
std::string packageFileUrl(std::string_view id, std::string_view version, std::optional<int> tier);
// The same for a delta package from `baseVersion`.
std::string packageDeltaUrl(std::string_view id, std::string_view version, std::string_view baseVersion,
                            std::optional<int> tier);
// The last segment of packageDeltaUrl, not encoded: "from-1.2-tier1.atmo".
std::string packageDeltaFileSegment(std::string_view baseVersion, std::optional<int> tier);

struct PackageUpdate {
    std::string id;
    std::string installedVersion; // empty: not installed here
    std::string offeredVersion;   // the newest offered
};

// For every installed package, the newest offered version if it is newer
// (compareVersions). Offers for packages not installed are not updates.
std::vector<PackageUpdate> findUpdates(const std::vector<InstalledPackage>& installed,
                                       const std::vector<PackageOffer>& offers);

// The delta in `offer` that goes onto what is installed: from the installed
// version, onto its signed manifest (installedManifestSha256, the SHA-256 of
// the installed manifest.yaml), of the same variant a full download would
// be (`tier`, nullopt: the full package). nullptr when none fits; then the
// full package is what updates.
const PackageFileOffer* deltaFor(const PackageOffer& offer, std::string_view installedVersion,
                                 std::string_view installedManifestSha256, std::optional<int> tier);
// The test deltaFor applies to one delta.
bool deltaFits(const PackageFileOffer& delta, std::string_view installedVersion,
               std::string_view installedManifestSha256, std::optional<int> tier);

} // namespace atmo
