// Where the model library finds model files: the layouts of PROTOCOL.md
// "Where a bridge finds models", the station's downloads and installed
// packages, and plain folders, each turned into catalog-entry candidates.
// Internal to the library (core/mesh/model_library.cpp hashes and checks them).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/mesh/catalog_wire.h"
#include "core/base/cancel_token.h"
#include "core/mesh/model_library.h"

namespace atmo {

struct LibraryCandidate {
    CatalogEntry entry;        // size is the file's at discovery; sha256 and chunkSize are filled after hashing
    std::filesystem::path file;  // canonical: links resolved
    std::filesystem::path shown; // the path as found, for problem lines
    std::string expectedSha;   // from a .json or a package manifest; checked after hashing
    std::string expectedFrom;  // "its .json", "the manifest of <id>@<version> (...)"
    bool versionFromHash = false; // no version in the layout: the sha256's first 12 digits
};

struct LibraryDiscovery {
    std::vector<LibraryCandidate> candidates; // root order, then path order within a root
    std::vector<std::string> problems;        // "<path>: <reason>"
};

// Never fails: what cannot be read becomes a problem line. Throws Cancelled.
LibraryDiscovery discoverLibrary(const std::vector<LibraryRoot>& roots, const CancelToken& cancel);

} // namespace atmo
