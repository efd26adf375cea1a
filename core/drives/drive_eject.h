// Ejecting a drive: unmount its filesystems and power it off (udisksctl when
// it is there, else umount(2) and no power-off). The window and the CLI eject
// through UDisks2's D-Bus API (app/UdisksEject.h) and fall back to this.
#pragma once

#include <filesystem>
#include <string>

#include "core/drives/drives.h"
#include "core/base/result.h"

namespace atmo {

struct EjectOptions {
    std::filesystem::path udisksctl; // empty: look for udisksctl on PATH
    bool useUdisks = true;           // false: umount(2) even when udisksctl is there
    bool powerOff = true;
};

struct EjectOutcome {
    bool poweredOff = false;
    std::string note; // e.g. that powering off needs udisks2; "" when nothing to say
    bool needsUdisks = false; // unmounted, not powered off: that needs udisks2
};

// Unmounts every mounted filesystem of the drive, then powers it off, with
// `udisksctl unmount -b` / `udisksctl power-off -b` (UDisks2; works without
// root for the desktop's user). Without udisksctl: umount(2) (needs root),
// and a note that powering off needs udisks2; the drive is then safe to pull
// but stays powered. Refuses system disks. Errors are one line naming the
// device: "/dev/sdb: cannot unmount /dev/sdb1 (/media/usb): target is busy".
Result<EjectOutcome> ejectDrive(const Drive& drive, const EjectOptions& options);
Status ejectDrive(const Drive& drive);

// The refusal every eject starts with, here and in the app's UDisks2 eject:
// "/dev/sda: refusing to eject a system disk (holds /)".
Status checkEjectable(const Drive& drive);

// udisksctl on PATH, or empty.
std::filesystem::path findUdisksctl();

} // namespace atmo
