#include "core/package_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <future>

#include "core/custody.h"
#include "core/fs_util.h"
#include "core/mission.h"
#include "core/sha256.h"
#include "core/thread_pool.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

std::string problemsText(const Mission& m)
{
    const auto& p = m.problems.front();
    std::string s = (m.root / p.path).string() + ": " + p.message;
    if (m.problems.size() > 1)
        s += " (and " + std::to_string(m.problems.size() - 1) + " more problems)";
    return s;
}

std::string trustedComment(const Manifest& m, const char* role)
{
    return "timestamp:" + std::to_string(std::time(nullptr)) + "\tfile:" + kManifestName + "\tpackage:" + m.id +
           "-" + m.version + "\trole:" + role;
}

// Copies a source file into the archive, hashing it again on the way so a file
// that changed or vanished after it was hashed cannot slip into the package.
void copyIntoArchive(ArchiveWriter& writer, const fs::path& source, const ContentFile& entry, std::int64_t mtime,
                     ProgressReporter& progress, const CancelToken& cancel, std::vector<char>& buf)
{
    UniqueFd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw Failure(source.string() + ": " +
                      (errno == ENOENT ? std::string("vanished while the package was being built")
                                       : std::string("cannot open: ") + std::strerror(errno)));
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
            throw Failure(source.string() + ": changed while the package was being built (it grew)");
        hash.update(buf.data(), static_cast<std::size_t>(n));
        writer.write(buf.data(), static_cast<std::size_t>(n));
        done += static_cast<std::uint64_t>(n);
        progress.add(static_cast<std::uint64_t>(n));
    }
    if (done != entry.size)
        throw Failure(source.string() + ": changed while the package was being built (it shrank)");
    if (hash.finishHex() != entry.sha256)
        throw Failure(source.string() + ": changed while the package was being built (its content differs)");
    writer.endEntry();
}

} // namespace

Result<Manifest> buildManifest(const CreateOptions& options, Observer* observer, const CancelToken& cancel)
{
    return guarded([&]() -> Result<Manifest> {
        if (!isValidVersion(options.version))
            return fail("version \"" + options.version + "\" is not valid (expected something like 1.3 or 2.0.1)");
        auto scanned = scanMission(options.missionDir);
        if (!scanned)
            return scanned.error();
        Mission& mission = *scanned;
        if (!mission.problems.empty())
            return fail(problemsText(mission));
        if (options.tier && std::find(mission.tiers.begin(), mission.tiers.end(), *options.tier) == mission.tiers.end())
            return fail("tier " + std::to_string(*options.tier) + " is not one of the mission's tiers");

        ProgressReporter progress(observer);
        std::uint64_t total = 0;
        for (const auto& f : mission.files)
            total += f.entry.size;
        progress.phase("hashing", total);

        std::vector<std::future<Result<std::string>>> hashes;
        hashes.reserve(mission.files.size());
        for (const auto& f : mission.files) {
            hashes.push_back(ThreadPool::shared().submit([&f, &cancel, &progress] {
                return sha256FileHex(f.source, cancel, [&progress](std::uint64_t n) { progress.add(n); });
            }));
        }
        Manifest m;
        m.id = mission.id;
        m.name = mission.name;
        m.version = options.version;
        m.created = utcTimestamp();
        m.createdBy = options.stationName.empty() ? std::string("atmosphere-station") : options.stationName;
        m.tiers = mission.tiers;
        std::optional<Error> firstError;
        for (std::size_t i = 0; i < hashes.size(); ++i) {
            auto h = hashes[i].get(); // wait for every task before returning: they reference locals
            if (!h) {
                if (!firstError)
                    firstError = h.error();
                continue;
            }
            ContentFile entry = mission.files[i].entry;
            entry.sha256 = *h;
            m.files.push_back(std::move(entry));
        }
        if (firstError) {
            if (firstError->message.find("No such file") != std::string::npos)
                firstError->message += " (it vanished while the package was being built)";
            return *firstError;
        }
        progress.finish();
        m.recomputeSizes();
        m.signatures.push_back({kRoleMesh, options.meshKey.keyId(), kMeshSignatureName});
        if (options.founderKey)
            m.signatures.push_back({kRoleFounder, options.founderKey->keyId(), kFounderSignatureName});
        return m;
    });
}

Result<CreateResult> createPackage(const CreateOptions& options, Observer* observer, const CancelToken& cancel)
{
    auto built = buildManifest(options, observer, cancel);
    if (!built)
        return built.error();
    return guarded([&]() -> Result<CreateResult> {
        const Manifest& m = *built;
        auto scanned = scanMission(options.missionDir); // source paths by archive path
        if (!scanned)
            return scanned.error();
        std::map<std::string, fs::path> sources;
        for (const auto& f : scanned->files)
            sources[f.entry.path] = f.source;

        const std::string yaml = m.toYaml();
        const Signature meshSig = signMessage(options.meshKey, yaml, trustedComment(m, kRoleMesh));
        std::optional<Signature> founderSig;
        if (options.founderKey)
            founderSig = signMessage(*options.founderKey, yaml, trustedComment(m, kRoleFounder));

        std::vector<const ContentFile*> included;
        for (const auto& f : m.files)
            if (!options.tier || f.inTier(*options.tier))
                included.push_back(&f);
        std::uint64_t contentBytes = 0;
        for (const auto* f : included)
            contentBytes += f->size;

        std::vector<CustodyEntry> custody;
        if (options.stationKey)
            appendCustody(custody, sha256Hex(yaml), *options.stationKey, m.createdBy, "created",
                          options.tier ? "tier " + std::to_string(*options.tier) : std::string("full package"));

        std::error_code ec;
        fs::create_directories(options.outputDir, ec);
        if (ec)
            return fail(options.outputDir.string() + ": cannot create the output directory: " + ec.message());
        const fs::path target = options.outputDir / packageFileName(m.id, m.version, options.tier);
        if (fs::exists(target))
            return fail(target.string() + ": already exists (choose a new version or remove the old file)");
        const std::uint64_t needed = contentBytes + yaml.size() + (included.size() + 8) * 1024 + (1 << 20);
        const std::uint64_t free = freeSpace(options.outputDir);
        if (free && free < needed)
            return fail(options.outputDir.string() + ": not enough free space (needs " + humanBytes(needed) + ", has " +
                        humanBytes(free) + ")");

        ProgressReporter progress(observer);
        progress.phase("writing", contentBytes);
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
            auto it = sources.find(f->path);
            if (it == sources.end())
                return fail((options.missionDir / f->path).string() + ": vanished while the package was being built");
            copyIntoArchive(writer, it->second, *f, mtime, progress, cancel, buf);
        }
        writer.close();
        cancel.check();
        progress.phase("syncing", 0);
        out.commit(false);
        progress.finish();
        return CreateResult{target, m, archiveBytes};
    });
}

} // namespace atmo
