#include "core/package/package_writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <future>

#include "core/package/custody.h"
#include "core/package/delta_package.h"
#include "core/base/fs_util.h"
#include "core/package/mission.h"
#include "core/base/sha256.h"
#include "core/base/thread_pool.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

std::string problemsText(const Mission& m)
{
    const auto& p = m.problems.front();
    std::string s = (m.root / p.path).string() + ": " + p.message;
    if (m.problems.size() > 1)
        s += m.problems.size() == 2 ? std::string(" (and 1 more problem)")
                                    : " (and " + std::to_string(m.problems.size() - 1) + " more problems)";
    return s;
}

std::string trustedComment(const Manifest& m, const char* role)
{
    return "timestamp:" + std::to_string(std::time(nullptr)) + "\tfile:" + kManifestName + "\tpackage:" + m.id +
           "-" + m.version + "\trole:" + role;
}

// What a source file looked like when it was hashed. A file whose identity
// is unchanged after the copy was not written in between (its ctime would
// have moved), so the copy need not hash it again - except for "racy" files
// changed within kRacyWindow of the hash, where a write could have landed
// in the same timestamp tick; those are hashed again while copied (git
// treats its index the same way).
struct FileIdentity {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = 0;
    struct timespec mtime {};
    struct timespec ctime {};
    bool operator==(const FileIdentity& o) const
    {
        return dev == o.dev && ino == o.ino && size == o.size && mtime.tv_sec == o.mtime.tv_sec &&
               mtime.tv_nsec == o.mtime.tv_nsec && ctime.tv_sec == o.ctime.tv_sec && ctime.tv_nsec == o.ctime.tv_nsec;
    }
};
constexpr long kRacyWindowSeconds = 2;

FileIdentity identityOf(const struct stat& st)
{
    return FileIdentity{st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
}

struct HashedSource {
    fs::path source;
    FileIdentity identity;
    bool racy = true;
    std::string sha256;
};

// Hashes one source file and records its identity before and after; item:
// its name in the progress reports (begun by the caller), "" for none.
HashedSource hashSource(const fs::path& source, const CancelToken& cancel, ProgressReporter& progress,
                        std::time_t racyClock, const std::string& item = {})
{
    HashedSource out;
    out.source = source;
    struct stat before {};
    if (::stat(source.c_str(), &before) != 0)
        throw Failure(source.string() + ": " +
                      (errno == ENOENT ? std::string("vanished while the package was being built")
                                       : std::string("cannot read: ") + std::strerror(errno)));
    std::uint64_t done = 0;
    auto hex = sha256FileHex(source, cancel, [&](std::uint64_t n) {
        done += n;
        if (!item.empty())
            progress.itemDone(item, done);
        progress.add(n);
    });
    if (!hex)
        throw Failure(hex.message());
    struct stat after {};
    if (::stat(source.c_str(), &after) != 0 || !(identityOf(before) == identityOf(after)))
        throw Failure(source.string() + ": changed while the package was being built (while it was hashed)");
    out.identity = identityOf(before);
    out.racy = (racyClock ? racyClock : std::time(nullptr)) - before.st_ctim.tv_sec <= kRacyWindowSeconds;
    out.sha256 = *hex;
    return out;
}

// Copies a source file into the archive. Unchanged identity proves the bytes
// are the ones hashed; racy files are hashed again on the way.
void copyIntoArchive(ArchiveWriter& writer, const HashedSource& src, const ContentFile& entry, std::int64_t mtime,
                     ProgressReporter& progress, const CancelToken& cancel, std::vector<char>& buf)
{
    const fs::path& source = src.source;
    auto changed = [&](const char* how) {
        return Failure(source.string() + ": changed while the package was being built (" + how + ")");
    };
    UniqueFd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw Failure(source.string() + ": " +
                      (errno == ENOENT ? std::string("vanished while the package was being built")
                                       : std::string("cannot open: ") + std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !(identityOf(st) == src.identity))
        throw changed("it is not the file that was hashed");
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    writer.beginEntry(entry.path, entry.size, mtime);
    Sha256 hash;
    std::uint64_t done = 0;
    for (;;) {
        cancel.check();
        const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw Failure(source.string() + ": read failed: " + std::strerror(errno));
        }
        if (n == 0)
            break;
        if (done + static_cast<std::uint64_t>(n) > entry.size)
            throw changed("it grew");
        if (src.racy)
            hash.update(buf.data(), static_cast<std::size_t>(n));
        writer.write(buf.data(), static_cast<std::size_t>(n));
        done += static_cast<std::uint64_t>(n);
        progress.add(static_cast<std::uint64_t>(n));
    }
    if (done != entry.size)
        throw changed("it shrank");
    if (::fstat(fd.get(), &st) != 0 || !(identityOf(st) == src.identity))
        throw changed("it was written to during the copy");
    if (src.racy && hash.finishHex() != entry.sha256)
        throw changed("its content differs");
    writer.endEntry();
}

// The "created" entry's detail: "full package", "tier_1", "delta from 1.3"
// or "delta from 1.3, tier_1" (app/Format.cpp translates each).
std::string custodyDetail(const Manifest& m, std::optional<int> tier)
{
    if (m.delta)
        return "delta from " + m.delta->baseVersion + (tier ? ", " + tierName(*tier) : std::string());
    return tier ? tierName(*tier) : std::string("full package");
}

// Where a delta's base files and .delta files are made: beside the output
// (they can be gigabytes, /tmp may be memory), removed when done. A killed
// run's leftovers are removed by the next one (its flock is gone).
class WorkDir {
public:
    explicit WorkDir(const fs::path& outputDir)
    {
        std::error_code ec;
        fs::create_directories(outputDir, ec);
        for (const auto& e : fs::directory_iterator(outputDir, ec))
            if (e.path().filename().string().rfind(".atmo-delta-", 0) == 0 && !lockedByOther(e.path()))
                fs::remove_all(e.path(), ec);
        dir_ = outputDir / (".atmo-delta-" + randomSuffix(8));
        if (::mkdir(dir_.c_str(), 0700) != 0)
            throw Failure(ErrorCode::Io, dir_.string() + ": cannot create: " + std::strerror(errno), dir_.string());
        lock_.reset(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (lock_)
            ::flock(lock_.get(), LOCK_EX | LOCK_NB);
    }
    ~WorkDir()
    {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    WorkDir(const WorkDir&) = delete;
    WorkDir& operator=(const WorkDir&) = delete;
    const fs::path& path() const { return dir_; }

private:
    static bool lockedByOther(const fs::path& dir)
    {
        UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        return fd && ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0;
    }
    fs::path dir_;
    UniqueFd lock_;
};

struct Prepared {
    Manifest manifest;
    std::map<std::string, HashedSource> sources; // by archive path
};

// Scans the mission and hashes every file on the core pool, largest first so
// the longest job does not start last.
Prepared prepare(const CreateOptions& options, Observer* observer, const CancelToken& cancel)
{
    if (!isValidVersion(options.version))
        throw Failure("version \"" + options.version + "\" is not valid (expected something like 1.3 or 2.0.1)");
    auto scanned = scanMission(options.missionDir);
    if (!scanned)
        throw Failure(scanned.message());
    Mission& mission = *scanned;
    if (!mission.problems.empty())
        throw Failure(problemsText(mission));
    if (options.tier && std::find(mission.tiers.begin(), mission.tiers.end(), *options.tier) == mission.tiers.end())
        throw Failure(tierName(*options.tier) + " is not one of the mission's tiers (" + tierListText(mission.tiers) + ")");

    ProgressReporter progress(observer);
    std::uint64_t total = 0;
    for (const auto& f : mission.files)
        total += f.entry.size;
    progress.phase(Phase::Hashing, total);

    std::vector<std::size_t> order(mission.files.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return mission.files[a].entry.size > mission.files[b].entry.size;
    });
    std::vector<std::future<HashedSource>> hashes(mission.files.size());
    for (std::size_t i : order) {
        const auto& f = mission.files[i];
        hashes[i] = ThreadPool::shared().submit([&f, &cancel, &progress, clock = options.racyClock] {
            const ProgressItem named(progress, f.entry.path, f.entry.size);
            return hashSource(f.source, cancel, progress, clock, f.entry.path);
        });
    }
    Prepared out;
    Manifest& m = out.manifest;
    m.id = mission.id;
    m.name = mission.name;
    m.version = options.version;
    m.created = utcTimestamp();
    m.createdBy = options.stationName.empty() ? std::string("atmosphere-station") : options.stationName;
    m.tiers = mission.tiers;
    // The mission's own hardware requirements travel with the package, so a
    // device picks its tier by them (a requirement of a tier the package is
    // not built for could not be signed into a valid manifest).
    for (const auto& [tier, r] : mission.requirements)
        if (std::find(m.tiers.begin(), m.tiers.end(), tier) != m.tiers.end())
            m.requirements[tier] = r;
    std::exception_ptr firstError;
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        try {
            HashedSource h = hashes[i].get(); // wait for every task: they reference locals
            ContentFile entry = mission.files[i].entry;
            entry.sha256 = h.sha256;
            out.sources.emplace(entry.path, std::move(h));
            m.files.push_back(std::move(entry));
        } catch (...) {
            if (!firstError)
                firstError = std::current_exception();
        }
    }
    if (firstError)
        std::rethrow_exception(firstError);
    progress.finish();
    m.recomputeSizes();
    m.signatures.push_back({kRoleMesh, options.meshKey.keyId(), kMeshSignatureName});
    if (options.founderKey)
        m.signatures.push_back({kRoleFounder, options.founderKey->keyId(), kFounderSignatureName});
    return out;
}

} // namespace

Result<Manifest> buildManifest(const CreateOptions& options, Observer* observer, const CancelToken& cancel)
{
    return guarded([&]() -> Result<Manifest> { return prepare(options, observer, cancel).manifest; });
}

Result<CreateResult> createPackage(const CreateOptions& options, Observer* observer, const CancelToken& cancel)
{
    return guarded([&]() -> Result<CreateResult> {
        if (!options.deltaFrom.empty()) {
            if (!options.trust)
                return fail("no trust store given to check the delta's base package against");
            // A base that cannot be used is said before the mission is hashed.
            if (auto mission = scanMission(options.missionDir); mission && isValidVersion(options.version))
                checkDeltaBase(options.deltaFrom, *options.trust, mission->id, options.version, cancel);
        }
        Prepared prepared = prepare(options, observer, cancel);
        Manifest& m = prepared.manifest;
        std::optional<WorkDir> work;
        std::uint64_t baseArchiveBytes = 0;
        if (!options.deltaFrom.empty()) {
            work.emplace(options.outputDir);
            ProgressReporter quiet(nullptr);
            std::map<std::string, fs::path> sources;
            for (const auto& [path, src] : prepared.sources)
                sources[path] = src.source;
            DeltaBuild built = buildDelta(m, sources, options.tier, options.deltaFrom, *options.trust, work->path(),
                                          observer, cancel);
            baseArchiveBytes = built.baseArchiveBytes;
            m.delta = std::move(built.section);
            m.indexDelta();
            for (const auto& [path, made] : built.deltaFiles)
                prepared.sources.emplace(path, hashSource(made, cancel, quiet, 0));
        }
        const std::string yaml = m.toYaml();
        const Signature meshSig = signMessage(options.meshKey, yaml, trustedComment(m, kRoleMesh));
        std::optional<Signature> founderSig;
        if (options.founderKey)
            founderSig = signMessage(*options.founderKey, yaml, trustedComment(m, kRoleFounder));

        std::vector<const ContentFile*> included;
        for (const ContentFile* f : m.archiveFiles())
            if (!options.tier || f->inTier(*options.tier))
                included.push_back(f);
        std::uint64_t contentBytes = 0;
        for (const auto* f : included)
            contentBytes += f->size;

        std::vector<CustodyEntry> custody;
        if (options.stationKey)
            appendCustody(custody, sha256Hex(yaml), *options.stationKey, m.createdBy, "created",
                          custodyDetail(m, options.tier));

        std::error_code ec;
        fs::create_directories(options.outputDir, ec);
        if (ec)
            return fail(options.outputDir.string() + ": cannot create the output directory: " + ec.message());
        const fs::path target = options.outputDir / m.fileName(options.tier);
        if (fs::exists(target))
            return fail(target.string() + ": already exists (choose a new version or remove the old file)");
        const std::uint64_t needed = contentBytes + yaml.size() + (included.size() + 8) * 1024 + (1 << 20);
        const std::uint64_t free = freeSpace(options.outputDir);
        if (free && free < needed)
            return fail(ErrorCode::NoSpace,
                        options.outputDir.string() + ": not enough free space (needs " + humanBytes(needed) + ", has " +
                            humanBytes(free) + ")",
                        options.outputDir.string());

        ProgressReporter progress(observer);
        progress.phase(Phase::Writing, contentBytes);
        AtomicFile out(target);
        std::uint64_t archiveBytes = 0;
        ArchiveWriter writer(
            [&](const void* data, std::size_t size) {
                out.write(data, size);
                archiveBytes += size;
            },
            options.compression, target.string());
        const std::int64_t mtime = std::time(nullptr);
        writer.addEntry(kManifestName, yaml, mtime);
        writer.addEntry(kMeshSignatureName, meshSig.fileText(), mtime);
        if (founderSig)
            writer.addEntry(kFounderSignatureName, founderSig->fileText(), mtime);
        writer.addEntry(kChecksumsName, Manifest::checksumsText(included), mtime);
        if (!custody.empty())
            writer.addEntry(kCustodyName, serializeCustody(custody), mtime);
        std::vector<char> buf(1 << 20);
        for (const auto* f : included) {
            progress.item(f->path);
            copyIntoArchive(writer, prepared.sources.at(f->path), *f, mtime, progress, cancel, buf);
        }
        writer.close();
        cancel.check();
        progress.phase(Phase::Syncing, 0);
        out.commit(false);
        progress.finish();
        return CreateResult{target, m, archiveBytes, baseArchiveBytes};
    });
}

} // namespace atmo
