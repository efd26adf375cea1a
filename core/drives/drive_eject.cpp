// Ejecting a drive: unmount its filesystems and power it off, through
// udisksctl when it is there (UDisks2 does it for an ordinary desktop user),
// else with umount(2) (root only) and no power-off.
#include "core/drives/drive_eject.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <set>

#include "core/drives/drives.h"
#include "core/base/fs_util.h"
#include "core/base/run_program.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

// The useful part of udisksctl's complaint: "Error unmounting /dev/sdb1:
// GDBus.Error:org.freedesktop.UDisks2.Error.DeviceBusy: Error unmounting
// /dev/sdb1: target is busy" -> "target is busy".
std::string udisksReason(const std::string& output)
{
    std::string line;
    for (std::size_t b = 0; b < output.size();) {
        auto e = output.find('\n', b);
        if (e == std::string::npos)
            e = output.size();
        const std::string l = output.substr(b, e - b);
        if (l.find_first_not_of(" \t\r") != std::string::npos) {
            line = l;
            break;
        }
        b = e + 1;
    }
    if (auto g = line.find("GDBus.Error:"); g != std::string::npos) {
        auto c = line.find(": ", g);
        line = c == std::string::npos ? line.substr(g) : line.substr(c + 2);
    }
    if (auto c = line.rfind(": "); c != std::string::npos && line.rfind("Error ", 0) == 0)
        line = line.substr(c + 2);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.pop_back();
    return line.empty() ? "udisksctl failed" : line;
}

} // namespace

fs::path findUdisksctl()
{
    return findOnPath("udisksctl");
}

Status checkEjectable(const Drive& drive)
{
    if (drive.system)
        return fail(drive.device + ": refusing to eject a system disk (" + drive.systemReason + ")");
    return {};
}

Result<EjectOutcome> ejectDrive(const Drive& drive, const EjectOptions& options)
{
    return guarded([&]() -> Result<EjectOutcome> {
        if (auto refused = checkEjectable(drive); !refused)
            return refused.error();
        const fs::path udisksctl =
            !options.useUdisks ? fs::path() : options.udisksctl.empty() ? findUdisksctl() : options.udisksctl;
        EjectOutcome out;
        // Deepest mount points first, so nothing is mounted on top of what is being unmounted.
        std::vector<DriveMount> mounts = drive.mountpoints;
        std::sort(mounts.begin(), mounts.end(),
                  [](const DriveMount& a, const DriveMount& b) { return a.path.string().size() > b.path.string().size(); });
        if (!udisksctl.empty()) {
            std::set<std::string> done;
            for (const auto& m : mounts) {
                if (!done.insert(m.device).second)
                    continue;
                const Run r = runProgram({udisksctl.string(), "unmount", "-b", m.device, "--no-user-interaction"},
                                         std::chrono::seconds(120));
                if (r.exitCode != 0 && r.output.find("not mounted") == std::string::npos) {
                    const std::string why = udisksReason(r.output);
                    // UDisks2 says "target is busy" (or DeviceBusy) when a file on it is open.
                    const bool busy = r.output.find("busy") != std::string::npos || r.output.find("Busy") != std::string::npos;
                    return fail(busy ? ErrorCode::Busy : ErrorCode::Failed,
                                drive.device + ": cannot unmount " + m.device + " (" + m.path.string() + "): " + why,
                                drive.device);
                }
            }
            if (options.powerOff) {
                const Run r = runProgram({udisksctl.string(), "power-off", "-b", drive.device, "--no-user-interaction"},
                                         std::chrono::seconds(60));
                if (r.exitCode != 0)
                    return fail(drive.device + ": unmounted, but cannot power it off: " + udisksReason(r.output));
                out.poweredOff = true;
            }
            return out;
        }
        for (const auto& m : mounts) {
            if (::umount2(m.path.c_str(), 0) == 0)
                continue;
            const int err = errno;
            if (err == EINVAL || err == ENOENT)
                continue; // no longer mounted there
            std::string why = std::strerror(err);
            if (err == EBUSY)
                why = "it is busy (a file on it is still open?)";
            else if (err == EPERM)
                why = "permission denied (unmounting as a user needs udisks2: install the udisks2 package)";
            return fail(err == EBUSY ? ErrorCode::Busy : ErrorCode::Failed,
                        drive.device + ": cannot unmount " + m.device + " (" + m.path.string() + "): " + why, drive.device);
        }
        if (options.powerOff) {
            out.note = "unmounted; powering it off needs udisks2 (udisksctl), so it stays powered but is safe to remove";
            out.needsUdisks = true;
        }
        return out;
    });
}

Status ejectDrive(const Drive& drive)
{
    auto r = ejectDrive(drive, EjectOptions{});
    if (!r)
        return r.error();
    return {};
}

} // namespace atmo
