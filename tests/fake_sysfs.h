// A fake /sys, /proc and /dev under a temporary directory, laid out as the
// kernel and udev lay them out, for SysfsDriveSource (tst_drives) and for the
// CLI through ATMOSPHERE_DRIVES_ROOT (tst_export_drives):
//   sys/devices/<bus path>/block/<disk>/{size,removable,ro,dev,<part>/{partition,dev}}
//   sys/devices/<bus path>/{vendor,model}        <- sys/block/<disk>/device
//   sys/block/<disk> -> ../devices/<bus path>/block/<disk>
//   proc/self/mountinfo, proc/swaps, dev/disk/by-label/<label> -> ../../<part>
// and for detectHardware (tst_tier): proc/meminfo, dev/nvidia0,
//   sys/class/drm/renderD*/device/{vendor,driver,mem_info_vram_total}
#pragma once

#include <sched.h>
#include <sys/mount.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "core/package/tier.h"

namespace fakesys {

namespace fs = std::filesystem;

// Moves the calling thread (and every thread and process it starts later)
// into a private mount namespace, so a tmpfs a test mounts disappears with
// the test process even if it crashes. Call first thing, before any thread
// that should see the test's mounts is started. False where not permitted
// (not root): the test then mounts nothing and skips.
inline bool isolateMounts()
{
    return ::unshare(CLONE_NEWNS) == 0 && ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
}

// Where a disk hangs: a USB stick, a SATA disk, an SD card slot, or a virtual device.
inline const std::string kUsbBus = "pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0";
inline const std::string kSataBus = "pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0";
inline const std::string kMmcBus = "platform/fe340000.mmc/mmc_host/mmc0/mmc0:aaaa";
inline const std::string kVirtual = "virtual";

struct Part {
    std::string name;   // "sdb1"
    std::string majmin; // "8:17"
};

struct Disk {
    std::string name;           // "sdb"
    std::string majmin;         // "8:16"
    std::string bus = kUsbBus;  // with the disk's own index appended, so buses stay distinct
    bool removable = true;
    bool readOnly = false;
    std::uint64_t sectors = 30031872; // 512-byte sectors: ~14.3 GiB
    std::string vendor = "SanDisk";
    std::string model = "Cruzer Blade";
    std::string type;           // device/type ("SD" for an SD card)
    std::vector<Part> parts;
};

class Tree {
public:
    explicit Tree(fs::path root) : root_(std::move(root))
    {
        fs::create_directories(root_ / "sys/block");
        fs::create_directories(root_ / "proc/self");
        fs::create_directories(root_ / "dev/disk/by-label");
        write(root_ / "proc/self/mountinfo", "");
        write(root_ / "proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    }

    const fs::path& root() const { return root_; }
    fs::path sys() const { return root_ / "sys"; }
    fs::path proc() const { return root_ / "proc"; }
    fs::path dev() const { return root_ / "dev"; }

    void addDisk(const Disk& d)
    {
        const std::string devices = d.bus == kVirtual ? "virtual/block/" + d.name
                                                      : d.bus + "-" + d.name + "/block/" + d.name;
        const fs::path dir = root_ / "sys/devices" / devices;
        fs::create_directories(dir);
        write(dir / "size", std::to_string(d.sectors) + "\n");
        write(dir / "removable", d.removable ? "1\n" : "0\n");
        write(dir / "ro", d.readOnly ? "1\n" : "0\n");
        write(dir / "dev", d.majmin + "\n");
        fs::create_directories(dir / "holders");
        if (d.bus != kVirtual) {
            const fs::path device = dir.parent_path().parent_path();
            write(device / "vendor", d.vendor + "   \n"); // sysfs pads these
            write(device / "model", d.model + "    \n");
            if (!d.type.empty())
                write(device / "type", d.type + "\n");
            fs::create_directory_symlink("../..", dir / "device");
        }
        for (const auto& p : d.parts) {
            fs::create_directories(dir / p.name / "holders");
            write(dir / p.name / "partition", "1\n");
            write(dir / p.name / "dev", p.majmin + "\n");
        }
        fs::create_directory_symlink("../devices/" + devices, root_ / "sys/block" / d.name);
    }

    // A device-mapper device (LVM, LUKS) on top of a partition or disk.
    void addDm(const std::string& name, const std::string& majmin, const std::string& dmName,
               const std::string& diskName, const std::string& partName)
    {
        addDisk(Disk{name, majmin, kVirtual, false, false, 1000000, "", "", "", {}});
        fs::create_directories(root_ / "sys/block" / name / "dm");
        write(root_ / "sys/block" / name / "dm/name", dmName + "\n");
        const fs::path holders = root_ / "sys/block" / diskName / partName / "holders";
        fs::create_directory_symlink(root_ / "sys/devices/virtual/block" / name, holders / name);
    }

    void removeDisk(const std::string& name)
    {
        const fs::path link = root_ / "sys/block" / name;
        fs::remove_all(fs::canonical(link));
        fs::remove(link);
    }

    // mount point spelled as the kernel does (\040 for a space, ...).
    void mount(const std::string& majmin, const fs::path& point, const std::string& fsType, const std::string& source,
               bool readOnly = false)
    {
        std::string escaped;
        for (char c : point.string())
            escaped += c == ' ' ? std::string("\\040") : std::string(1, c);
        const std::string id = std::to_string(++mountId_);
        append(root_ / "proc/self/mountinfo",
               id + " 1 " + majmin + " / " + escaped + (readOnly ? " ro" : " rw") +
                   ",relatime shared:" + id + " - " + fsType + " " + source +
                   (readOnly ? " ro" : " rw") + "\n");
    }

    void unmountAll(const std::string& majmin)
    {
        std::ifstream in(root_ / "proc/self/mountinfo");
        std::string line, kept;
        while (std::getline(in, line))
            if (line.find(" " + majmin + " ") == std::string::npos)
                kept += line + "\n";
        write(root_ / "proc/self/mountinfo", kept);
    }

    void swap(const std::string& file, bool partition)
    {
        append(root_ / "proc/swaps", file + (partition ? "\t\t\t\tpartition\t" : "\t\t\t\tfile\t\t") +
                                         "8388604\t\t0\t\t-2\n");
    }

    // udev's by-label link; label as udev escapes it ("MY\x20STICK").
    void label(const std::string& escapedLabel, const std::string& partName)
    {
        fs::remove(root_ / "dev/disk/by-label" / escapedLabel); // a stick plugged in again
        fs::create_symlink("../../" + partName, root_ / "dev/disk/by-label" / escapedLabel);
    }

    // ---- hardware, for detectHardware -------------------------------

    atmo::HardwareProbe hardwareProbe() const
    {
        atmo::HardwareProbe p;
        p.proc = proc();
        p.sys = sys();
        p.dev = dev();
        p.nvidiaSmi = root_ / "no-nvidia-smi";
        return p;
    }

    void memTotalKb(std::uint64_t kb)
    {
        write(root_ / "proc/meminfo", "MemTotal:       " + std::to_string(kb) + " kB\nMemFree:         1000 kB\n");
    }

    // A DRM render node on a PCI device, as the kernel lays it out.
    void addRenderNode(const std::string& node, const std::string& vendor, const std::string& driver,
                       std::optional<std::uint64_t> vramBytes)
    {
        const fs::path device = root_ / "sys/devices/pci0000:00/0000:00:02.0";
        write(device / "vendor", vendor + "\n");
        if (vramBytes)
            write(device / "mem_info_vram_total", std::to_string(*vramBytes) + "\n");
        fs::create_directories(root_ / "sys/bus/pci/drivers" / driver);
        fs::create_directory_symlink(root_ / "sys/bus/pci/drivers" / driver, device / "driver");
        fs::create_directories(device / "drm" / node);
        fs::create_directories(root_ / "sys/class/drm");
        fs::create_directory_symlink(device / "drm" / node, root_ / "sys/class/drm" / node);
        fs::create_directory_symlink(device, device / "drm" / node / "device");
    }

    void addNvidiaDevice() { write(root_ / "dev/nvidia0", ""); }

private:
    static void write(const fs::path& p, const std::string& text)
    {
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::trunc) << text;
    }
    static void append(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::app) << text; }

    fs::path root_;
    int mountId_ = 20;
};

} // namespace fakesys
