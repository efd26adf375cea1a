#include "core/drives/export_eject.h"

namespace atmo {

std::vector<DriveEject> planEjects(const std::vector<TargetResult>& results, const std::vector<const Drive*>& driveOf)
{
    std::vector<DriveEject> out;
    for (std::size_t i = 0; i < results.size() && i < driveOf.size(); ++i) {
        const Drive* d = driveOf[i];
        if (!d)
            continue;
        DriveEject* entry = nullptr;
        for (auto& e : out)
            if (e.drive->device == d->device)
                entry = &e;
        if (!entry) {
            out.push_back(DriveEject{d, {}, true});
            entry = &out.back();
        }
        entry->targets.push_back(i);
        entry->eject = entry->eject && results[i].ok;
    }
    return out;
}

} // namespace atmo
