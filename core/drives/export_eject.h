// Which drives an export ejects, decided once for the CLI (`package export
// --eject`) and the window (USB export, "Eject when done"): each drive at
// most once, and only when every output written to it was written and
// verified. A drive holding a failed output stays mounted, so the
// technician sees what is on it and can write it again; ejecting it would
// hide the failure behind "safe to remove". Outputs not on a removable
// drive are never ejected.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/drives/drives.h"
#include "core/drives/package_export.h"

namespace atmo {

struct DriveEject {
    const Drive* drive = nullptr;       // one of the pointers passed in
    std::vector<std::size_t> targets;   // the outputs on it, in order
    bool eject = false;                 // every one of them verified
};

// results[i] is the outcome of the output on driveOf[i] (nullptr: not on a
// removable drive). One entry per drive (by device), in the order each
// drive first appears.
std::vector<DriveEject> planEjects(const std::vector<TargetResult>& results, const std::vector<const Drive*>& driveOf);

} // namespace atmo
