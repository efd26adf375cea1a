#include "app/mesh/ServedPackages.h"

#include <QFuture>

#include <algorithm>
#include <map>
#include <mutex>

#include <sys/stat.h>

#include "app/Executors.h"
#include "core/package/archive_reader.h"
#include "core/package/manifest.h"
#include "core/mesh/model_library.h"
#include "core/package/package_store.h"
#include "core/base/sha256.h"

namespace fs = std::filesystem;

struct PackageMetaCache {
    struct Entry {
        std::uint64_t size = 0;
        std::int64_t mtimeNs = 0;
        bool ok = false;
        bool delta = false; // a delta package: offered beside the version it updates to
        std::string baseVersion, baseManifestSha256; // a delta's base
        std::string id, version, name, created;
        std::vector<int> tiers;
        QByteArray manifest, signature;
    };
    std::mutex mutex;
    std::map<std::string, Entry> byPath;
};

namespace {

constexpr std::size_t kMaxManifest = 16u << 20;
constexpr std::size_t kMaxSignature = 64u << 10;

// The signed manifest and its mesh signature: the first entries of every
// .atmo archive, so only the archive's head is read.
PackageMetaCache::Entry readArchiveHead(const fs::path& file)
{
    PackageMetaCache::Entry e;
    auto r = atmo::guarded([&]() -> atmo::Status {
        auto opened = atmo::ArchiveReader::open(file);
        if (!opened)
            return opened.error();
        atmo::ArchiveReader& reader = **opened;
        auto readEntry = [&](QByteArray* out, std::size_t max, const std::string& name) {
            const void* data = nullptr;
            std::size_t n = 0;
            std::size_t total = 0;
            while (reader.readBlock(data, n)) {
                total += n;
                if (total > max)
                    throw atmo::Failure(file.string() + ": " + name + " is larger than expected");
                if (out)
                    out->append(static_cast<const char*>(data), qsizetype(n));
            }
        };
        atmo::EntryInfo info;
        while (reader.next(info)) {
            if (info.path == atmo::kManifestName)
                readEntry(&e.manifest, kMaxManifest, info.path);
            else if (info.path == atmo::kMeshSignatureName)
                readEntry(&e.signature, kMaxSignature, info.path);
            else if (info.path == atmo::kFounderSignatureName)
                readEntry(nullptr, kMaxSignature, info.path);
            else
                break;
        }
        if (e.manifest.isEmpty())
            return atmo::fail(file.string() + ": no manifest.yaml at the start of the archive");
        auto m = atmo::Manifest::parse(std::string_view(e.manifest.constData(), std::size_t(e.manifest.size())));
        if (!m)
            return m.error();
        e.id = m->id;
        e.version = m->version;
        e.name = m->name;
        e.created = m->created;
        e.tiers = m->tiers;
        e.delta = m->delta.has_value();
        if (m->delta) {
            e.baseVersion = m->delta->baseVersion;
            e.baseManifestSha256 = m->delta->baseManifestSha256;
        }
        return {};
    });
    e.ok = r.ok();
    if (!r)
        qWarning("peer server: not offering %s: %s", file.c_str(), r.message().c_str());
    return e;
}

std::vector<ServedPackages::Package> build(const QString& indexFile, atmo::HashCache* cache, PackageMetaCache& meta,
                                           bool withHashes, const atmo::CancelToken& cancel)
{
    if (indexFile.isEmpty())
        return {};
    const atmo::PackageStore store(fs::path(indexFile.toStdString()));
    std::map<std::pair<std::string, std::string>, ServedPackages::Package> grouped;
    bool hashed = false;
    for (const atmo::StoredPackage& sp : store.list()) {
        if (cancel.cancelled())
            break;
        if (!atmo::isValidPackageId(sp.id) || !atmo::isValidVersion(sp.version))
            continue; // they become URL path segments
        struct stat st {};
        if (::stat(sp.file.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        const std::uint64_t size = std::uint64_t(st.st_size);
        const std::int64_t mtimeNs = std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;

        PackageMetaCache::Entry e;
        {
            std::lock_guard lock(meta.mutex);
            auto it = meta.byPath.find(sp.file.string());
            if (it != meta.byPath.end() && it->second.size == size && it->second.mtimeNs == mtimeNs)
                e = it->second;
        }
        if (e.size != size || e.mtimeNs != mtimeNs) {
            e = readArchiveHead(sp.file);
            e.size = size;
            e.mtimeNs = mtimeNs;
            std::lock_guard lock(meta.mutex);
            meta.byPath[sp.file.string()] = e;
        }
        if (!e.ok || e.id != sp.id || e.version != sp.version)
            continue; // the store's record and the archive disagree: not offered
        if (e.delta != !sp.deltaFrom.empty() || (e.delta && e.baseVersion != sp.deltaFrom))
            continue;
        if (e.delta && !atmo::isValidVersion(e.baseVersion))
            continue; // it becomes a URL path segment

        ServedPackages::Variant v;
        v.tier = sp.tier;
        v.deltaFrom = e.baseVersion;
        v.baseManifestSha256 = e.baseManifestSha256;
        v.path = sp.file.string();
        v.size = size;
        if (auto known = cache ? cache->wholeHash(sp.file, size, mtimeNs) : std::nullopt) {
            v.sha256 = *known;
        } else if (withHashes) {
            // Without a cache every listing hashes again: correct, only slower.
            auto sha = atmo::sha256FileHex(sp.file, cancel);
            if (!sha)
                continue;
            if (cache)
                cache->storeWhole(sp.file, size, mtimeNs, *sha);
            v.sha256 = *sha;
            hashed = true;
        }
        auto& pkg = grouped[{sp.id, sp.version}];
        // The full package's copy of the manifest is preferred, then a
        // tier's; a delta's manifest (it describes a change) is never served
        // as the version's, only its name and tiers fill in.
        if (pkg.id.empty() || (!e.delta && (pkg.manifest.isEmpty() || !sp.tier))) {
            pkg.id = e.id;
            pkg.version = e.version;
            pkg.name = e.name;
            pkg.created = e.created;
            pkg.tiers = e.tiers;
            pkg.manifest = e.delta ? QByteArray() : e.manifest;
            pkg.signature = e.delta ? QByteArray() : e.signature;
        }
        auto& list = e.delta ? pkg.deltas : pkg.variants;
        const bool duplicate = std::any_of(list.begin(), list.end(), [&](const ServedPackages::Variant& o) {
            return o.tier == v.tier && o.deltaFrom == v.deltaFrom;
        });
        if (!duplicate)
            list.push_back(std::move(v));
    }
    if (hashed && cache)
        (void)cache->save(); // a cache that cannot be written only costs a rehash later

    std::vector<ServedPackages::Package> out;
    for (auto& [key, pkg] : grouped) {
        auto byTier = [](const auto& a, const auto& b) { return a.tier.value_or(0) < b.tier.value_or(0); };
        std::sort(pkg.variants.begin(), pkg.variants.end(), byTier);
        std::sort(pkg.deltas.begin(), pkg.deltas.end(), byTier);
        std::stable_sort(pkg.deltas.begin(), pkg.deltas.end(), [](const auto& a, const auto& b) {
            return atmo::compareVersions(a.deltaFrom, b.deltaFrom) > 0;
        });
        out.push_back(std::move(pkg));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.id != b.id ? a.id < b.id : atmo::compareVersions(a.version, b.version) < 0;
    });
    return out;
}

} // namespace

const ServedPackages::Variant* ServedPackages::Package::variant(std::optional<int> tier) const
{
    for (const Variant& v : variants)
        if (v.tier == tier)
            return &v;
    return nullptr;
}

const ServedPackages::Variant* ServedPackages::Package::delta(const std::string& from, std::optional<int> tier) const
{
    for (const Variant& v : deltas)
        if (v.deltaFrom == from && v.tier == tier)
            return &v;
    return nullptr;
}

ServedPackages::ServedPackages(QObject* parent) : QObject(parent), meta_(std::make_shared<PackageMetaCache>()) {}

ServedPackages::~ServedPackages() { cancel_.cancel(); }

void ServedPackages::setStore(const QString& indexFile, std::shared_ptr<atmo::HashCache> cache)
{
    indexFile_ = indexFile;
    cache_ = std::move(cache);
}

void ServedPackages::fetch(bool withHashes, QObject* context, Callback done)
{
    const int kind = withHashes ? 1 : 0;
    waiting_[kind].push_back({context, std::move(done)});
    if (!running_[kind])
        startJob(kind);
}

void ServedPackages::startJob(int kind)
{
    running_[kind] = true;
    auto waiters = std::make_shared<std::vector<Waiter>>(std::move(waiting_[kind]));
    waiting_[kind].clear();
    auto run = [index = indexFile_, cache = cache_, meta = meta_, cancel = cancel_, withHashes = kind == 1] {
        return Snapshot(std::make_shared<const std::vector<Package>>(build(index, cache.get(), *meta, withHashes, cancel)));
    };
    // With hashes it may hash every package: the hashing pool; the plain
    // listing is small I/O a peer waits for.
    auto job = kind == 1 ? Executors::hashing(run) : Executors::smallIo(run);
    job.then(this, [this, kind, waiters](const Snapshot& snapshot) {
        running_[kind] = false;
        for (const Waiter& w : *waiters)
            if (w.context)
                w.done(snapshot);
        if (!waiting_[kind].empty())
            startJob(kind);
    });
}
