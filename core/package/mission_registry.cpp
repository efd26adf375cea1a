#include "core/package/mission_registry.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/base/fs_util.h"
#include "core/base/index_file.h"
#include "core/package/manifest.h"

namespace atmo {

namespace fs = std::filesystem;
using json = nlohmann::json;

// Index format (<home>/missions.json):
//   {"format": 1, "missions": [{"id": .., "dir": "/abs/path", "built_at": "..."}, ...]}
// Writers hold an exclusive flock on "<index>.lock" around read-modify-write;
// the index is replaced atomically, so readers never see half of it.

namespace {

Result<std::vector<KnownMission>> loadMissionIndex(const fs::path& index)
{
    auto loaded = readJsonIndex(index, "mission index");
    if (!loaded)
        return loaded.error();
    const json& doc = *loaded;
    std::vector<KnownMission> out;
    const auto it = doc.find("missions");
    if (it == doc.end())
        return out;
    if (!it->is_array())
        return fail(index.string() + ": missions: expected a list");
    std::size_t i = 0;
    for (const auto& e : *it) {
        const std::string where = index.string() + ": missions[" + std::to_string(i++) + "]";
        KnownMission m;
        try {
            m.id = e.at("id").get<std::string>();
            m.dir = e.at("dir").get<std::string>();
            if (e.contains("built_at"))
                m.builtAt = e.at("built_at").get<std::string>();
        } catch (const json::exception& ex) {
            return fail(where + ": " + ex.what());
        }
        out.push_back(std::move(m));
    }
    return out;
}

std::string serialize(const std::vector<KnownMission>& missions)
{
    json list = json::array();
    for (const auto& m : missions)
        list.push_back({{"id", m.id}, {"dir", m.dir.string()}, {"built_at", m.builtAt}});
    json doc = json::object();
    doc["format"] = 1;
    doc["missions"] = std::move(list);
    return doc.dump(2) + "\n";
}

} // namespace

MissionRegistry::MissionRegistry(fs::path indexFile) : index_(std::move(indexFile)) {}

Status MissionRegistry::record(const std::string& id, const fs::path& dir)
{
    return guarded([&]() -> Status {
        if (!isValidPackageId(id))
            return fail("mission index: '" + id + "' is not a valid mission id");
        std::error_code ec;
        fs::path abs = fs::weakly_canonical(fs::absolute(dir, ec), ec);
        if (ec || abs.empty())
            abs = fs::absolute(dir).lexically_normal();
        return withIndexLock(index_, [&]() -> Status {
            auto loaded = loadMissionIndex(index_);
            if (!loaded)
                return loaded.error();
            auto missions = std::move(*loaded);
            missions.erase(std::remove_if(missions.begin(), missions.end(),
                                          [&](const KnownMission& m) { return m.id == id; }),
                           missions.end());
            missions.push_back({id, abs, utcTimestamp()});
            std::sort(missions.begin(), missions.end(),
                      [](const KnownMission& a, const KnownMission& b) { return a.id < b.id; });
            return writeFileAtomic(index_, serialize(missions));
        });
    });
}

Result<std::vector<KnownMission>> MissionRegistry::list() const { return loadMissionIndex(index_); }

std::optional<KnownMission> MissionRegistry::find(const std::string& id) const
{
    auto loaded = loadMissionIndex(index_);
    if (!loaded)
        return std::nullopt;
    for (auto& m : *loaded)
        if (m.id == id)
            return std::move(m);
    return std::nullopt;
}

} // namespace atmo
