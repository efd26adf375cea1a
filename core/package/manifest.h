// The package manifest (manifest.yaml): what a package is, what it contains,
// and who signs it. Parsing is strict: any problem is reported with the field
// and the reason, and the whole manifest is rejected.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/package/delta_section.h"
#include "core/package/tier.h"

namespace atmo {

enum class ContentKind { Config, Model, Agent, Tool, Knowledge };
// Section order, as a manifest lists them.
inline constexpr ContentKind kContentKinds[] = {ContentKind::Config, ContentKind::Model, ContentKind::Agent,
                                                ContentKind::Tool, ContentKind::Knowledge};

// "config", "models", "agents", "tools", "knowledge": the manifest section and
// the archive directory of each kind.
std::string_view kindSection(ContentKind kind);
std::optional<ContentKind> kindFromSection(std::string_view section);

struct ContentFile {
    ContentKind kind = ContentKind::Config;
    std::string path;          // archive path, e.g. "models/tinyyolo-defects-1.3.onnx"
    std::uint64_t size = 0;
    std::string sha256;        // lowercase hex
    std::string id;            // models, agents, tools; file stem for config
    std::string version;       // models, agents, tools
    std::vector<int> tiers;    // models only; empty = every tier
    std::string domain;        // knowledge only
    std::uint64_t chunks = 0;  // knowledge only: number of JSONL records

    // Configs, agents, tools and knowledge belong to every tier; a model to
    // the tiers it lists, or to every tier when it lists none.
    bool inTier(int tier) const;
};

struct SignatureRef {
    std::string role;  // "mesh_authority" or "founder"
    std::string keyId; // 16 uppercase hex digits, as minisign prints it
    std::string file;  // "manifest.yaml.minisig" / "manifest.yaml.founder.minisig"
};

inline constexpr const char* kManifestName = "manifest.yaml";
inline constexpr const char* kMeshSignatureName = "manifest.yaml.minisig";
inline constexpr const char* kFounderSignatureName = "manifest.yaml.founder.minisig";
inline constexpr const char* kChecksumsName = "checksums.sha256";
inline constexpr const char* kCustodyName = "custody.jsonl";
inline constexpr const char* kRoleMesh = "mesh_authority";
inline constexpr const char* kRoleFounder = "founder";

struct Manifest {
    std::string formatVersion = "1";
    std::string id;
    std::string name;
    std::string version;
    std::string created;     // ISO 8601 UTC
    std::string createdBy;   // station name
    std::vector<int> tiers;  // tiers this package is built for, ascending
    std::map<int, std::uint64_t> sizeByTier;
    // From the mission's hardware_tiers, when it has them: how an installer
    // picks the device's tier for this package. Empty: the station's own
    // thresholds decide.
    TierRequirementMap requirements;
    std::vector<ContentFile> files; // grouped by kind in section order
    std::vector<SignatureRef> signatures;
    // Set for a delta package (delta_section.h): then the archive carries
    // archiveFiles(), not every file of `files`.
    std::optional<DeltaSection> delta;
    // The .delta files the delta section names, as archive entries (kind,
    // id and tiers of the file each rebuilds); derived by indexDelta().
    std::vector<ContentFile> deltaFiles;

    const ContentFile* find(std::string_view path) const;
    // What an archive of this package may hold: every file, or for a delta
    // package the files that travel whole and the .delta files.
    std::vector<const ContentFile*> archiveFiles() const;
    std::vector<const ContentFile*> archiveFilesForTier(int tier) const;
    const ContentFile* findArchived(std::string_view path) const;
    void indexDelta(); // fills deltaFiles from delta
    // This package's file name, or one tier's export's (packageFileName, or
    // deltaPackageFileName for a delta package).
    std::string fileName(std::optional<int> tier) const;
    std::vector<const ContentFile*> filesForTier(int tier) const;
    std::uint64_t sizeForTier(int tier) const;     // sum of filesForTier sizes
    std::uint64_t totalSize() const;
    const SignatureRef* signature(std::string_view role) const;
    void recomputeSizes();                          // fills sizeByTier from files

    // Deterministic YAML: the same manifest always gives the same bytes.
    std::string toYaml() const;
    // The checksums.sha256 text ("<hex>  <path>\n", sha256sum's format) for
    // the given files, in manifest order.
    static std::string checksumsText(const std::vector<const ContentFile*>& files);

    static Result<Manifest> parse(std::string_view yaml);
};

// Compares dotted versions numerically ("1.10" > "1.9"); non-numeric parts
// compare as text. Returns <0, 0, >0.
int compareVersions(std::string_view a, std::string_view b);
bool isValidVersion(std::string_view v);   // digits and dots, letters/-/+ after
bool isValidPackageId(std::string_view id); // [a-z0-9][a-z0-9._-]*, at most 128

// The longest file name component a package may use (NAME_MAX on Linux
// filesystems; what an install must be able to create).
inline constexpr std::size_t kMaxPathComponent = 255;

// A relative path with no empty, "." or ".." component, no leading "/", no
// backslash, no control character (NUL, newline, ...), valid UTF-8, no
// component over kMaxPathComponent bytes, at most 4096 bytes in all.
bool isSafeRelativePath(std::string_view path);

// "<id>-v<version>.atmo" or "<id>-v<version>-tier<N>.atmo"
std::string packageFileName(const std::string& id, const std::string& version,
                            std::optional<int> tier);
// A delta package: "<id>-v<version>-from-v<base>[-tier<N>].atmo"
std::string deltaPackageFileName(const std::string& id, const std::string& baseVersion, const std::string& version,
                                 std::optional<int> tier);

} // namespace atmo
