#include "core/package/package_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/base/fs_util.h"
#include "core/base/index_file.h"
#include "core/package/manifest.h"

namespace atmo {

namespace fs = std::filesystem;
using json = nlohmann::json;

// Index format (<home>/store.json):
//   {"format": 1, "packages": [{"id": .., "version": .., "tier": null | N,
//     "file": "/abs/path.atmo", "bytes": N, "added_at": "...",
//     "delta_from": "1.2" (delta packages only),
//     "verified_at", "verified_ok", "verified_stamp", "exported_at",
//     "exported_drives", "installed_at" (each only once it happened)}, ...]}
// Writers take an exclusive flock on "<index>.lock" around read-modify-write,
// so two processes adding at once do not lose an entry; the index itself is
// replaced atomically, so readers never see a half-written file.

namespace {

Result<std::vector<StoredPackage>> loadStoreIndex(const fs::path& index)
{
    auto loaded = readJsonIndex(index, "package index", 64u << 20);
    if (!loaded)
        return loaded.error();
    const json& doc = *loaded;
    std::vector<StoredPackage> out;
    const auto it = doc.find("packages");
    if (it == doc.end())
        return out;
    if (!it->is_array())
        return fail(index.string() + ": packages: expected a list");
    std::size_t i = 0;
    for (const auto& e : *it) {
        const std::string where = index.string() + ": packages[" + std::to_string(i++) + "]";
        if (!e.is_object())
            return fail(where + ": expected an object");
        StoredPackage p;
        try {
            p.id = e.at("id").get<std::string>();
            p.version = e.at("version").get<std::string>();
            p.file = e.at("file").get<std::string>();
            if (e.contains("tier") && !e.at("tier").is_null())
                p.tier = e.at("tier").get<int>();
            if (e.contains("bytes"))
                p.bytes = e.at("bytes").get<std::uint64_t>();
            if (e.contains("added_at"))
                p.addedAt = e.at("added_at").get<std::string>();
            if (e.contains("delta_from"))
                p.deltaFrom = e.at("delta_from").get<std::string>();
            PackageHistory& h = p.history;
            if (e.contains("verified_at")) {
                h.verifiedAt = e.at("verified_at").get<std::string>();
                h.verifiedOk = e.value("verified_ok", false);
                h.verifiedStamp = e.value("verified_stamp", std::string());
            }
            if (e.contains("exported_at")) {
                h.exportedAt = e.at("exported_at").get<std::string>();
                h.exportedDrives = e.value("exported_drives", 0);
            }
            if (e.contains("installed_at"))
                h.installedAt = e.at("installed_at").get<std::string>();
        } catch (const json::exception& ex) {
            return fail(where + ": " + ex.what());
        }
        out.push_back(std::move(p));
    }
    return out;
}

std::string serialize(const std::vector<StoredPackage>& packages)
{
    json list = json::array();
    for (const auto& p : packages) {
        json e = json::object();
        e["id"] = p.id;
        e["version"] = p.version;
        e["tier"] = p.tier ? json(*p.tier) : json(nullptr);
        e["file"] = p.file.string();
        e["bytes"] = p.bytes;
        e["added_at"] = p.addedAt;
        if (!p.deltaFrom.empty())
            e["delta_from"] = p.deltaFrom;
        const PackageHistory& h = p.history;
        if (!h.verifiedAt.empty()) {
            e["verified_at"] = h.verifiedAt;
            e["verified_ok"] = h.verifiedOk;
            e["verified_stamp"] = h.verifiedStamp;
        }
        if (!h.exportedAt.empty()) {
            e["exported_at"] = h.exportedAt;
            e["exported_drives"] = h.exportedDrives;
        }
        if (!h.installedAt.empty())
            e["installed_at"] = h.installedAt;
        list.push_back(std::move(e));
    }
    json doc = json::object();
    doc["format"] = 1;
    doc["packages"] = std::move(list);
    return doc.dump(2) + "\n";
}

bool fileExists(const fs::path& p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

fs::path normalized(const fs::path& p)
{
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    if (ec)
        abs = p;
    fs::path canon = fs::weakly_canonical(abs, ec);
    return ec ? abs.lexically_normal() : canon;
}

// Full package first, then higher tier exports, then deltas.
bool preferred(const StoredPackage& a, const StoredPackage& b)
{
    if (a.deltaFrom.empty() != b.deltaFrom.empty())
        return a.deltaFrom.empty();
    if (!a.tier != !b.tier)
        return !a.tier;
    return a.tier && b.tier && *a.tier > *b.tier;
}

} // namespace

PackageStore::PackageStore(fs::path indexFile) : index_(std::move(indexFile)) {}

Status PackageStore::add(const StoredPackage& package)
{
    return guarded([&]() -> Status {
        if (!isValidPackageId(package.id))
            return fail("package store: '" + package.id + "' is not a valid package id");
        if (!isValidVersion(package.version))
            return fail("package store: '" + package.version + "' is not a valid version");
        if (package.file.empty())
            return fail("package store: " + package.id + " " + package.version + " has no file");
        StoredPackage entry = package;
        entry.file = normalized(package.file);
        if (entry.addedAt.empty())
            entry.addedAt = utcTimestamp();

        return withIndexLock(index_, [&]() -> Status {
            auto loaded = loadStoreIndex(index_);
            if (!loaded)
                return loaded.error();
            auto packages = std::move(*loaded);
            packages.erase(std::remove_if(packages.begin(), packages.end(),
                                          [&](const StoredPackage& p) { return normalized(p.file) == entry.file; }),
                           packages.end());
            packages.push_back(std::move(entry));
            std::stable_sort(packages.begin(), packages.end(), [](const StoredPackage& a, const StoredPackage& b) {
                if (a.id != b.id)
                    return a.id < b.id;
                const int c = compareVersions(a.version, b.version);
                if (c != 0)
                    return c < 0;
                return preferred(a, b);
            });
            return writeFileAtomic(index_, serialize(packages));
        });
    });
}

Result<bool> PackageStore::record(const fs::path& file, PackageEvent event, int drives)
{
    return guarded([&]() -> Result<bool> {
        const fs::path target = normalized(file);
        // Stamped before the lock: the file, not the index, is what was checked.
        const std::string stamp = fileStamp(target);
        std::error_code ec;
        if (!fs::exists(index_, ec))
            return false;
        bool found = false;
        const Status changed = withIndexLock(index_, [&]() -> Status {
            auto loaded = loadStoreIndex(index_);
            if (!loaded)
                return loaded.error();
            auto packages = std::move(*loaded);
            const std::string at = utcTimestamp();
            for (auto& p : packages)
                if (normalized(p.file) == target) {
                    p.history.apply(event, at, stamp, drives);
                    found = true;
                }
            if (!found)
                return {};
            return writeFileAtomic(index_, serialize(packages));
        });
        if (!changed)
            return changed.error();
        return found;
    });
}

std::vector<StoredPackage> PackageStore::list() const
{
    auto loaded = loadStoreIndex(index_);
    if (!loaded)
        return {};
    std::vector<StoredPackage> out;
    for (auto& p : *loaded)
        if (fileExists(p.file))
            out.push_back(std::move(p));
    return out;
}

std::optional<StoredPackage> PackageStore::find(const std::string& ref) const
{
    std::string r = ref;
    if (r.size() > 5 && r.compare(r.size() - 5, 5, ".atmo") == 0)
        r.resize(r.size() - 5);
    std::optional<StoredPackage> best;
    for (auto& p : list()) {
        // A delta package is named only by its file name: "<id>-<version>"
        // means a package that installs on its own.
        if (!p.deltaFrom.empty()) {
            if (p.file.stem().string() == r && !best)
                best = std::move(p);
            continue;
        }
        const std::string plain = p.id + "-" + p.version;
        const std::string withV = p.id + "-v" + p.version;
        bool match = r == plain || r == withV;
        // "<id>-v<version>-tier<N>" names one tier export exactly.
        if (!match && p.tier) {
            const std::string suffix = "-tier" + std::to_string(*p.tier);
            match = r == plain + suffix || r == withV + suffix;
        }
        if (match && (!best || preferred(p, *best)))
            best = std::move(p);
    }
    return best;
}

std::optional<std::string> PackageStore::latestVersion(const std::string& id) const
{
    std::optional<std::string> best;
    for (const auto& p : list())
        if (p.id == id && (!best || compareVersions(p.version, *best) > 0))
            best = p.version;
    return best;
}

} // namespace atmo
