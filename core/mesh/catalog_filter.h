// The search box and the filters over catalog entries (core/mesh/catalog_wire.h).
#pragma once

#include <string>

#include "core/mesh/catalog_wire.h"

namespace atmo {

// The search box and the filters of the Mesh view and `atmosphere models`.
// Empty fields match everything. `search` is matched case-insensitively as a
// substring of model_id, name, base_model, type, format, capabilities and
// classes; every whitespace-separated word must match somewhere. `type`,
// `format` and `capability` must equal (case-insensitively) the entry's type,
// format, or one of its capabilities. Case folding is ASCII only. matches()
// allocates nothing, so it is cheap enough to run per keystroke over 10,000
// entries.
struct CatalogFilter {
    // {} initializers: CatalogFilter{"text"} then builds without
    // -Wmissing-field-initializers noise.
    std::string search{};
    std::string type{};
    std::string format{};
    std::string capability{};
    bool matches(const CatalogEntry& entry) const;
    bool empty() const { return search.empty() && type.empty() && format.empty() && capability.empty(); }
};

} // namespace atmo
