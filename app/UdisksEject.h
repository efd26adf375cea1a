// Ejecting a drive through UDisks2's D-Bus API, the way the window and the
// CLI eject: unmount every mounted filesystem of the drive, then power it off.
//
// UDisks2 answers with structured errors (org.freedesktop.UDisks2.Error.
// DeviceBusy, NotAuthorized...), so the reason is chosen by name, never by
// reading udisksctl's English. When UDisks2 is not on the system bus (not
// owned, not activatable), there is no bus, or UDisks2 does not know the
// device, core's eject does it (udisksctl, else umount(2) and no power-off).
// Errors are core's one-line messages: "/dev/sdb: cannot unmount /dev/sdb1
// (/media/usb): it is busy (a file on it is still open?)".
//
// Blocking: unmounting waits for the kernel to flush (up to two minutes, as
// core's). Call it off the GUI thread; any thread will do, as long as a
// QCoreApplication exists (QtDBus runs its connections on a thread of its own).
#pragma once

#include <QString>

#include "core/base/result.h"
#include "core/drives/drive_eject.h"
#include "core/drives/drives.h"

namespace UdisksEject {

struct Options {
    atmo::EjectOptions eject = {}; // powerOff; the rest is for core's eject when UDisks2 is not there
    // Empty: the system bus. Else a bus address ("unix:path=/tmp/bus"): tests
    // run a private bus, since QtDBus and libdbus read the system bus's
    // address once per process.
    QString busAddress = {};
};

atmo::Result<atmo::EjectOutcome> eject(const atmo::Drive& drive, const Options& options = {});

} // namespace UdisksEject
