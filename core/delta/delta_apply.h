// Applying a delta (delta_create.h, delta_format.h): rebuilds the target
// from the base, hashing it as it is written. The output appears under its
// name only when the base was the one the delta names, the delta's trailer
// checked out and the rebuilt bytes have the target's SHA-256 (and, when
// the caller knows it from a signed manifest, the expected one); otherwise
// nothing is left behind and the error says which check failed.
// Memory: one op at a time (at most 4 MiB of data and an 8 MiB base region).
// Time: about one SHA-256 pass over the larger file (base check and the
// rebuilt file's hash run side by side).
#pragma once

#include <filesystem>
#include <string>

#include "core/base/cancel_token.h"
#include "core/base/progress.h"
#include "core/base/result.h"
#include "core/delta/delta_format.h"

namespace atmo::delta {

struct ApplyOptions {
    // Hash the whole base first and refuse one that differs from what the
    // delta was made from (a base changed on the device). Off only when the
    // caller verified the base itself just before.
    bool checkBase = true;
    // The target's SHA-256 (hex) as a signed manifest names it; empty: the
    // delta header's is the only check.
    std::string expectedTargetSha256;
};

struct Applied {
    Header header;
    std::uint64_t bytesWritten = 0;
};

// Progress: Phase::Writing over the target plus, with checkBase, the base,
// which is hashed on a second thread while the target is rebuilt. Failures: BadData (wrong base, damaged delta, rebuilt
// bytes that do not match), NotFound, Io, NoSpace, Cancelled.
Result<Applied> applyDelta(const std::filesystem::path& base, const std::filesystem::path& delta,
                           const std::filesystem::path& out, const ApplyOptions& options = {},
                           ProgressReporter* progress = nullptr, const CancelToken& cancel = {});

// Just the header: what a delta rebuilds from what (for a package's checks).
Result<Header> readHeader(const std::filesystem::path& delta);

} // namespace atmo::delta
