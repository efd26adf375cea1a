// The installed state of one package: state.json (format, version records,
// history), reading and writing it, and reconciling it with the `current`
// link, which is the authority on which version is installed (state.json
// lags behind it only after a crash between the link switch and the state
// write). Installing and rolling back, which change the state, stay in
// installer.cpp.
#include "core/installer_state.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <system_error>
#include <utility>

#include "core/fs_util.h"

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

} // namespace atmo::installer_detail
