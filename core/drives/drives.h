// Removable drives a package can be exported to, and what must never be
// offered: the computer's own disks.
//
// Plain structs, no Qt. A DriveSource lists the drives; a caller polls it
// (the GUI about once a second, paused while writing) and applies
// diffDrives() to its rows, so drives appear and disappear one by one. The
// Linux source reads /sys/block, /proc/self/mountinfo, /proc/swaps and
// /dev/disk/by-label under roots it is given, so tests build a fake tree.
//
// Offered: a real block device (not loop, zram, dm, md: those live under
// /sys/devices/virtual) with media in it (size > 0) that the kernel calls
// removable, or that sits on a USB bus, or that is an SD card; and that is
// not a system disk. A system disk holds, on any partition or on anything
// stacked on it (LVM, LUKS, RAID through holders/), a filesystem mounted at
// /, /boot, /boot/efi, /efi, /home, /usr or /var, active swap, or one of the
// protected paths the caller passes (the station's home). A USB disk can be
// a system disk (a computer booted from a stick); it is then never offered.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/base/result.h"

namespace atmo {

struct DriveMount {
    std::string device;              // the partition (or the disk itself): "/dev/sdb1"
    std::filesystem::path path;      // mount point
    std::string fsType;              // "vfat", "exfat", "ext4", ...
    std::string label;               // filesystem label from /dev/disk/by-label; "" if none
    std::uint64_t freeBytes = 0;     // available to unprivileged users (statvfs); 0 if unknown
    std::uint64_t sizeBytes = 0;     // filesystem size; 0 if unknown
    bool readOnly = false;           // mounted read-only

    bool operator==(const DriveMount&) const = default;
};

struct Drive {
    std::string device;              // the whole disk: "/dev/sdb"
    std::string name;                // "SanDisk Cruzer Blade" (vendor model); never empty
    std::uint64_t sizeBytes = 0;
    bool removable = false;          // the kernel's removable flag (or an SD card)
    bool usb = false;                // on a USB bus
    bool readOnly = false;           // write-protected (a card's lock switch, a read-only reader)
    bool system = false;             // holds the computer's own data: never offered
    std::string systemReason;        // why, when system: "holds /", "holds swap", ...
    std::string systemPath;          // what it holds, when system: "/", the swap file or partition, a protected path
    bool systemSwap = false;         // systemPath is active swap
    std::vector<DriveMount> mountpoints;

    // Something can be written to it: not write-protected and a filesystem mounted read-write.
    bool writable() const;
    bool operator==(const Drive&) const = default;
};

class DriveSource {
public:
    virtual ~DriveSource() = default;
    // The drives to offer, in a stable order (by device). Never a system
    // disk. Reads small files and calls statvfs: fast, but keep it off a GUI
    // thread all the same (a dying drive can make statvfs slow).
    virtual std::vector<Drive> list() = 0;
};

struct SysfsRoots {
    std::filesystem::path sys = "/sys";
    std::filesystem::path proc = "/proc";  // reads proc/self/mountinfo and proc/swaps
    std::filesystem::path dev = "/dev";    // reads dev/disk/by-label, resolves dev/mapper names
};

class SysfsDriveSource final : public DriveSource {
public:
    // protectedPaths: the station's home and anything else whose disk must never be offered.
    explicit SysfsDriveSource(std::vector<std::filesystem::path> protectedPaths = {}, SysfsRoots roots = {});
    std::vector<Drive> list() override;
    // Every real block device with media, system disks included and flagged;
    // for diagnostics and tests. Device names are always "/dev/<name>",
    // whatever the roots.
    std::vector<Drive> scan() const;

private:
    std::vector<std::filesystem::path> protected_;
    SysfsRoots roots_;
};

// How one listing became the next, by device: what a model applies as row
// removals, insertions and changes (never a reset).
struct DriveChanges {
    std::vector<std::string> removed; // devices in `before` that are gone, in `before` order
    std::vector<Drive> added;         // drives new in `after`, in `after` order
    std::vector<Drive> changed;       // same device, something differs (mounted, free space, ...)
    bool empty() const { return removed.empty() && added.empty() && changed.empty(); }
};
DriveChanges diffDrives(const std::vector<Drive>& before, const std::vector<Drive>& after);

// The drive with a mounted filesystem holding path (the deepest mount point
// that is a prefix of it, compared on the canonical path), or nullptr.
const Drive* driveHolding(const std::vector<Drive>& drives, const std::filesystem::path& path);

} // namespace atmo
