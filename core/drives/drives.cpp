// Linux drive enumeration from /sys/block, /proc/self/mountinfo, /proc/swaps
// and /dev/disk/by-label (see drives.h for what is offered and why).
#include "core/drives/drives.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/base/fs_util.h"
#include "core/base/text.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

// Mount points whose disk is the computer's own.
const char* const kSystemMounts[] = {"/", "/boot", "/boot/efi", "/efi", "/home", "/usr", "/var"};

// mountinfo and /proc/swaps escape space, tab, newline and backslash as \ooo.
std::string unescapeOctal(const std::string& s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() && std::isdigit((unsigned char)s[i + 1]) &&
            std::isdigit((unsigned char)s[i + 2]) && std::isdigit((unsigned char)s[i + 3])) {
            out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

// udev escapes unsafe characters of by-label names as \xHH.
std::string unescapeUdev(const std::string& s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && std::isxdigit((unsigned char)s[i + 2]) &&
            std::isxdigit((unsigned char)s[i + 3])) {
            out += static_cast<char>(std::stoi(s.substr(i + 2, 2), nullptr, 16));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

struct MountEntry {
    std::string majmin;
    fs::path point;
    std::string fsType;
    std::string source;
    bool readOnly = false;
};

bool hasOption(const std::string& options, const std::string& opt)
{
    std::stringstream ss(options);
    std::string o;
    while (std::getline(ss, o, ','))
        if (o == opt)
            return true;
    return false;
}

// "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
std::vector<MountEntry> readMountinfo(const fs::path& file)
{
    std::vector<MountEntry> out;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::vector<std::string> f;
        for (std::string w; ls >> w;)
            f.push_back(w);
        auto sep = std::find(f.begin(), f.end(), "-");
        if (f.size() < 10 || sep == f.end() || sep - f.begin() < 6 || f.end() - sep < 3)
            continue;
        MountEntry m;
        m.majmin = f[2];
        m.point = unescapeOctal(f[4]);
        m.fsType = *(sep + 1);
        m.source = unescapeOctal(*(sep + 2));
        m.readOnly = hasOption(f[5], "ro") || (sep + 3 != f.end() && hasOption(*(sep + 3), "ro"));
        out.push_back(std::move(m));
    }
    return out;
}

struct SwapEntry {
    std::string file;
    bool partition = false;
};

std::vector<SwapEntry> readSwaps(const fs::path& file)
{
    std::vector<SwapEntry> out;
    std::ifstream in(file);
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        SwapEntry s;
        std::string type;
        if (ls >> s.file >> type) {
            s.file = unescapeOctal(s.file);
            s.partition = type == "partition";
            out.push_back(std::move(s));
        }
    }
    return out;
}

// path is at or below dir, compared component-wise ("/media/usb2" is not below "/media/usb").
bool isAtOrBelow(const fs::path& path, const fs::path& dir)
{
    const std::string p = path.lexically_normal().string(), d = dir.lexically_normal().string();
    if (d == "/" || p == d)
        return true;
    const std::string prefix = d.back() == '/' ? d : d + "/";
    return p.compare(0, prefix.size(), prefix) == 0;
}

// The mount holding path: the deepest mount point above it, the last mounted on ties.
const MountEntry* mountHolding(const std::vector<MountEntry>& mounts, const fs::path& path)
{
    const MountEntry* best = nullptr;
    for (const auto& m : mounts)
        if (isAtOrBelow(path, m.point) && (!best || m.point.string().size() >= best->point.string().size()))
            best = &m;
    return best;
}

fs::path canonicalOr(const fs::path& p)
{
    std::error_code ec;
    auto c = fs::weakly_canonical(p, ec);
    return ec ? p.lexically_normal() : c;
}

} // namespace

bool Drive::writable() const
{
    return !readOnly &&
           std::any_of(mountpoints.begin(), mountpoints.end(), [](const DriveMount& m) { return !m.readOnly; });
}

SysfsDriveSource::SysfsDriveSource(std::vector<fs::path> protectedPaths, SysfsRoots roots)
    : protected_(std::move(protectedPaths)), roots_(std::move(roots))
{
}

std::vector<Drive> SysfsDriveSource::list()
{
    std::vector<Drive> out;
    for (auto& d : scan())
        if (!d.system && (d.removable || d.usb))
            out.push_back(std::move(d));
    return out;
}

std::vector<Drive> SysfsDriveSource::scan() const
{
    const fs::path block = roots_.sys / "block";
    const auto mounts = readMountinfo(roots_.proc / "self" / "mountinfo");
    const auto swaps = readSwaps(roots_.proc / "swaps");

    // Filesystem labels by device name ("sdb1" -> "KINGSTON").
    std::map<std::string, std::string> labels;
    std::error_code ec;
    for (fs::directory_iterator it(roots_.dev / "disk" / "by-label", ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code lec;
        const fs::path target = fs::read_symlink(it->path(), lec);
        if (!lec)
            labels[target.filename().string()] = unescapeUdev(it->path().filename().string());
    }

    // Device names as mount sources and swap files spell them: "sdb1", "mapper/vg-root", by-uuid links.
    std::map<std::string, std::string> aliases; // "mapper/vg-root" -> "dm-0"
    std::vector<std::string> names;
    for (fs::directory_iterator it(block, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        names.push_back(name);
        const std::string dmName = readTrimmed(it->path() / "dm" / "name");
        if (!dmName.empty())
            aliases["mapper/" + dmName] = name;
    }
    std::sort(names.begin(), names.end());
    auto deviceName = [&](const std::string& devPath) -> std::string {
        if (devPath.rfind("/dev/", 0) != 0)
            return {};
        std::string rel = devPath.substr(5);
        if (auto a = aliases.find(rel); a != aliases.end())
            return a->second;
        std::error_code lec;
        const fs::path link = roots_.dev / rel;
        if (fs::is_symlink(link, lec)) {
            const fs::path target = fs::read_symlink(link, lec);
            if (!lec)
                return target.filename().string();
        }
        return fs::path(rel).filename().string();
    };

    std::vector<Drive> drives;
    for (const auto& name : names) {
        const fs::path dir = block / name;
        const fs::path real = canonicalOr(dir);
        if (real.string().find("/devices/virtual/") != std::string::npos)
            continue; // loop, zram, dm, md: what they sit on is what counts
        Drive d;
        d.device = "/dev/" + name;
        d.sizeBytes = std::strtoull(readTrimmed(dir / "size").c_str(), nullptr, 10) * 512;
        if (d.sizeBytes == 0)
            continue; // no media (an empty card reader)
        d.removable = readTrimmed(dir / "removable") == "1" || readTrimmed(dir / "device" / "type") == "SD";
        std::error_code dec;
        const fs::path devicePath = fs::canonical(dir / "device", dec);
        d.usb = (dec ? real : devicePath).string().find("/usb") != std::string::npos;
        d.readOnly = readTrimmed(dir / "ro") == "1";
        d.name = readTrimmed(dir / "device" / "vendor");
        const std::string model = readTrimmed(dir / "device" / "model");
        d.name += (d.name.empty() || model.empty() ? "" : " ") + model;
        if (d.name.empty())
            d.name = readTrimmed(dir / "device" / "name"); // mmc
        if (d.name.empty())
            d.name = humanBytes(d.sizeBytes) + (d.usb ? " USB drive" : " drive");

        // The disk, its partitions, and whatever is stacked on them (holders), transitively.
        std::map<std::string, std::string> members; // name -> "maj:min"
        std::vector<std::pair<std::string, fs::path>> todo{{name, dir}};
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (fs::exists(it->path() / "partition"))
                todo.emplace_back(it->path().filename().string(), it->path());
        while (!todo.empty()) {
            auto [n, p] = todo.back();
            todo.pop_back();
            if (!members.emplace(n, readTrimmed(p / "dev")).second)
                continue;
            for (fs::directory_iterator it(p / "holders", ec), end; !ec && it != end; it.increment(ec))
                todo.emplace_back(it->path().filename().string(), block / it->path().filename());
            ec.clear();
        }
        auto isMember = [&](const MountEntry& m) -> std::string {
            for (const auto& [n, majmin] : members)
                if (!majmin.empty() && majmin == m.majmin)
                    return n;
            const std::string n = deviceName(m.source);
            return members.count(n) ? n : std::string();
        };

        for (const auto& m : mounts) {
            const std::string member = isMember(m);
            if (member.empty())
                continue;
            DriveMount dm;
            dm.device = "/dev/" + member;
            dm.path = m.point;
            dm.fsType = m.fsType;
            dm.readOnly = m.readOnly;
            if (auto l = labels.find(member); l != labels.end())
                dm.label = l->second;
            struct statvfs st {};
            if (::statvfs(m.point.c_str(), &st) == 0) {
                dm.freeBytes = static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
                dm.sizeBytes = static_cast<std::uint64_t>(st.f_blocks) * st.f_frsize;
            }
            for (const char* sys : kSystemMounts)
                if (!d.system && m.point == sys) {
                    d.system = true;
                    d.systemReason = std::string("holds ") + sys;
                    d.systemPath = sys;
                }
            d.mountpoints.push_back(std::move(dm));
        }
        for (const auto& s : swaps) {
            if (d.system)
                break;
            bool holds = false;
            if (s.partition) {
                holds = members.count(deviceName(s.file)) > 0;
            } else if (const MountEntry* m = mountHolding(mounts, s.file)) {
                holds = !isMember(*m).empty();
            }
            if (holds) {
                d.system = true;
                d.systemReason = "holds swap (" + s.file + ")";
                d.systemPath = s.file;
                d.systemSwap = true;
            }
        }
        for (const auto& p : protected_) {
            if (d.system)
                break;
            if (const MountEntry* m = mountHolding(mounts, canonicalOr(p)); m && !isMember(*m).empty()) {
                d.system = true;
                d.systemReason = "holds " + p.string();
                d.systemPath = p.string();
            }
        }
        drives.push_back(std::move(d));
    }
    return drives;
}

DriveChanges diffDrives(const std::vector<Drive>& before, const std::vector<Drive>& after)
{
    DriveChanges c;
    std::map<std::string, const Drive*> old, now;
    for (const auto& d : before)
        old[d.device] = &d;
    for (const auto& d : after)
        now[d.device] = &d;
    for (const auto& d : before)
        if (!now.count(d.device))
            c.removed.push_back(d.device);
    for (const auto& d : after) {
        auto it = old.find(d.device);
        if (it == old.end())
            c.added.push_back(d);
        else if (!(*it->second == d))
            c.changed.push_back(d);
    }
    return c;
}

const Drive* driveHolding(const std::vector<Drive>& drives, const fs::path& path)
{
    const fs::path p = canonicalOr(path);
    const Drive* best = nullptr;
    std::size_t bestLen = 0;
    for (const auto& d : drives)
        for (const auto& m : d.mountpoints)
            if (isAtOrBelow(p, m.path) && (!best || m.path.string().size() > bestLen)) {
                best = &d;
                bestLen = m.path.string().size();
            }
    return best;
}

} // namespace atmo
