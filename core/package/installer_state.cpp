// The installed state of one package: state.json (format, version records,
// history), reading and writing it, and reconciling it with the `current`
// link, which is the authority on which version is installed (state.json
// lags behind it only after a crash between the link switch and the state
// write); and the steps that change it on disk: the package directory's
// lock, switching `current` atomically, pruning after a commit. Installing
// and rolling back stay in installer.cpp, writing content in install_sink.cpp.
#include "core/package/installer_state.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "core/base/fs_util.h"
#include "core/package/manifest.h"
#include "core/base/text.h"

namespace atmo::installer_detail {

using json = nlohmann::json;

namespace {

json versionJson(const VersionRecord& v)
{
    return json{{"version", v.version}, {"installed_at", v.installedAt}, {"tier", v.tier},
                {"downgrade_override", v.downgradeOverride}};
}

VersionRecord versionFromJson(const json& j)
{
    VersionRecord v;
    v.version = j.value("version", std::string());
    v.installedAt = j.value("installed_at", std::string());
    v.tier = j.value("tier", 1);
    v.downgradeOverride = j.value("downgrade_override", false);
    return v;
}

} // namespace

std::string stateText(const StateRecord& s)
{
    json j = json::object();
    j["format"] = 1;
    j["id"] = s.id;
    j["name"] = s.name;
    j["version"] = s.current.version;
    j["previous_version"] = s.previous ? s.previous->version : std::string();
    j["installed_at"] = s.current.installedAt;
    j["tier"] = s.current.tier;
    j["downgrade_override"] = s.current.downgradeOverride;
    j["manifest_sha256"] = s.manifestSha256;
    j["package_file"] = s.packageFile;
    j["previous"] = s.previous ? versionJson(*s.previous) : json(nullptr);
    j["history"] = s.history;
    // replace: a package file name that is not UTF-8 (a Latin-1 name on a
    // FAT stick) must not make the state unwritable.
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::optional<StateRecord> readState(const fs::path& idDir)
{
    auto text = readFile(idDir / kState, 16u << 20);
    if (!text)
        return std::nullopt;
    try {
        const json j = json::parse(*text);
        if (!j.is_object())
            return std::nullopt;
        StateRecord s;
        s.id = j.value("id", std::string());
        s.name = j.value("name", std::string());
        s.current = versionFromJson(j);
        if (j.contains("previous") && j.at("previous").is_object())
            s.previous = versionFromJson(j.at("previous"));
        else if (!j.value("previous_version", std::string()).empty())
            s.previous = VersionRecord{j.value("previous_version", std::string()), {}, 1, false};
        if (j.contains("history") && j.at("history").is_array())
            for (const auto& h : j.at("history"))
                if (h.is_string())
                    s.history.push_back(h.get<std::string>());
        s.manifestSha256 = j.value("manifest_sha256", std::string());
        s.packageFile = j.value("package_file", std::string());
        return s;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

bool isDir(const fs::path& p)
{
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The version `current` points at, if it is a plain name of a directory.
std::optional<std::string> readCurrent(const fs::path& idDir)
{
    std::error_code ec;
    const fs::path target = fs::read_symlink(idDir / kCurrent, ec);
    if (ec)
        return std::nullopt;
    const std::string name = target.string();
    if (name.empty() || name.find('/') != std::string::npos || name[0] == '.' || !isDir(idDir / name))
        return std::nullopt;
    return name;
}

// The installed state, with `current` as the authority on which version is
// installed. state.json lags behind it only after a crash between the link
// switch and the state write (or a hand edit); then it is rebuilt around
// the link's target.
std::optional<StateRecord> loadInstalled(const fs::path& idDir, const std::string& id)
{
    const auto target = readCurrent(idDir);
    if (!target)
        return std::nullopt;
    StateRecord s = readState(idDir).value_or(StateRecord{});
    s.id = id;
    if (s.name.empty())
        s.name = id;
    if (s.current.version != *target) {
        if (s.previous && s.previous->version == *target) {
            // A rollback (or a reinstall of the previous version) switched the
            // link and stopped before recording it.
            std::swap(*s.previous, s.current);
        } else {
            VersionRecord stale = s.current;
            s.current = VersionRecord{*target, {}, stale.tier, false};
            s.previous.reset();
            if (!stale.version.empty())
                s.previous = stale;
        }
    }
    if (s.previous && (s.previous->version == s.current.version || !isDir(idDir / s.previous->version)))
        s.previous.reset();
    return s;
}

InstalledPackage toInstalled(const fs::path& idDir, const StateRecord& s)
{
    InstalledPackage p;
    p.id = s.id;
    p.name = s.name;
    p.version = s.current.version;
    p.previousVersion = s.previous ? s.previous->version : std::string();
    p.installedAt = s.current.installedAt;
    p.tier = s.current.tier;
    p.downgradeOverride = s.current.downgradeOverride;
    p.dir = idDir / s.current.version;
    p.history = s.history;
    return p;
}

[[noreturn]] void sysFail(const std::string& what, int err)
{
    throw Failure(what + ": " + std::strerror(err));
}

bool lexists(const fs::path& p)
{
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0;
}

// ---- small filesystem steps ---------------------------------------------

UniqueFd lockPackageDir(const fs::path& idDir, const std::string& id)
{
    UniqueFd fd(::open(idDir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        sysFail(idDir.string() + ": cannot open", errno);
    while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK)
            throw Failure(id + ": another install or rollback of this package is running");
        sysFail(idDir.string() + ": cannot lock", errno);
    }
    return fd;
}

// Points <idDir>/current at `version` atomically: a new symlink under a
// temporary name renamed over the old one, then the directory is synced.
void switchCurrent(const fs::path& idDir, const std::string& version)
{
    for (int attempt = 0; attempt < 16; ++attempt) {
        const fs::path tmp = idDir / (".current-" + randomSuffix(8));
        if (::symlink(version.c_str(), tmp.c_str()) != 0) {
            if (errno == EEXIST)
                continue;
            sysFail(tmp.string() + ": cannot create link", errno);
        }
        const fs::path cur = idDir / kCurrent;
        if (::rename(tmp.c_str(), cur.c_str()) != 0) {
            const int err = errno;
            ::unlink(tmp.c_str());
            sysFail(cur.string() + ": cannot switch to " + version, err);
        }
        fsyncDirectory(idDir);
        return;
    }
    throw Failure(idDir.string() + ": cannot create a temporary link");
}

void removeTree(const fs::path& p)
{
    std::error_code ec;
    fs::remove_all(p, ec);
}

// After a successful install: everything but `keep` versions and the
// bookkeeping files goes (crash leftovers, versions older than the previous).
void pruneAfterCommit(const fs::path& idDir, const std::set<std::string>& keep)
{
    std::error_code ec;
    std::vector<fs::path> doomed;
    for (fs::directory_iterator it(idDir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name == kCurrent || name == kState || keep.count(name))
            continue;
        const bool leftover = startsWith(name, ".staging-") || startsWith(name, ".old-")
            || startsWith(name, ".current-") || startsWith(name, ".state.json.part-");
        const bool oldVersion = name[0] != '.' && isValidVersion(name) && isDir(it->path());
        if (leftover || oldVersion)
            doomed.push_back(it->path());
    }
    for (const auto& p : doomed)
        removeTree(p);
    try {
        fsyncDirectory(idDir);
    } catch (const Failure&) {
    }
}

} // namespace atmo::installer_detail
