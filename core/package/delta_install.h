// Installing a delta package (delta_section.h) onto the installed base.
// Before any content is stored, the install plan (install_plan.h) refuses a
// delta whose base is not the installed version - the same version and the
// same signed manifest - with the reason ("needs production-inspection 1.2
// installed; this device has 1.1"). After the archive verified, the files it did not carry are made
// in staging from the base's directory: unchanged files linked (or copied)
// and hashed, rebuilt ones written by core/delta and hashed as written;
// every one must have the target's SHA-256 from the signed manifest before
// the same commit as a full install. Any failure leaves the installed
// version as it was (staging is removed by the sink). Internal to the
// installer.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/base/cancel_token.h"
#include "core/base/progress.h"
#include "core/package/manifest.h"

namespace atmo::installer_detail {

// Makes every file of `tier` the archive did not carry in `staging`, from
// `baseDir` (<root>/<id>/<base version>), and removes the staged .delta
// files. Throws Failure naming the file: BadData for a base file changed on
// the device or a rebuilt file that does not match, NoSpace, Io, Cancelled.
void rebuildFromBase(const Manifest& m, int tier, const std::filesystem::path& baseDir,
                     const std::filesystem::path& staging, Observer* observer, const CancelToken& cancel);

} // namespace atmo::installer_detail
