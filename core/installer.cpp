#include "core/installer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>

#include "core/fs_util.h"
#include "core/installer_state.h"
#include "core/manifest.h"
#include "core/package_tier.h"

// Layout and crash safety (see installer.h):
//  * content streams into <root>/<id>/.staging-XXXXXX; each file is fsynced
//    when complete, the staging directories before the rename;
//  * the staging directory is renamed to <version> (when <version> already
//    exists it is swapped in with renameat2(RENAME_EXCHANGE), so the name
//    never disappears even while `current` points at it);
//  * `current` is switched by renaming a fresh symlink over it;
//  * state.json is then replaced atomically. `current` is the commit point:
//    a reader that finds state.json behind `current` (a crash between the two)
//    reconciles from the link (see reconcile()).
// Installs and rollbacks of one package hold an exclusive flock on
// <root>/<id> and refuse to run concurrently. Leftovers of a crashed install
// (.staging-*, .old-*, .current-*, orphan version directories) are removed by
// the next successful install, never by a failing one.

namespace atmo {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

[[noreturn]] void sysFail(const std::string& what, int err)
{
    throw Failure(what + ": " + std::strerror(err));
}

using namespace installer_detail;

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

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

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

// ---- the sink that writes verified content into staging -------------------

class InstallSink final : public EntrySink {
public:
    InstallSink(const InstallOptions& options, TierDecision& decision)
        : options_(options), decision_(decision)
    {
    }

    void onMetadata(const std::string& name, const std::string& bytes) override
    {
        if (name == kManifestName)
            manifestBytes_ = bytes;
    }

    void onManifest(const Manifest& manifest, std::optional<int> tier) override
    {
        if (!isValidPackageId(manifest.id))
            throw Failure("manifest.yaml: '" + manifest.id + "' is not a valid package id");
        if (!isValidVersion(manifest.version) || !isSafeRelativePath(manifest.version)
            || manifest.version.find('/') != std::string::npos || manifest.version == kCurrent)
            throw Failure("manifest.yaml: '" + manifest.version + "' is not a valid version");
        manifest_ = manifest;
        const std::string label = manifest.id + " " + manifest.version;

        // The verifier maps the device's tier onto the package's tiers (the
        // highest one not above the device's) and requires every file of it.
        if (!tier)
            throw Failure(label + ": the verifier did not settle a tier to install");
        tier_ = *tier;
        if (tier_ != decision_.tier)
            decision_.reason += "; the package is built for " + tierListText(manifest.tiers) + ", installing " +
                                tierName(tier_);
        decision_.tier = tier_;

        createDirectories(manifest.id);
        lock_ = lockPackageDir(idDir_, manifest.id);
        old_ = loadInstalled(idDir_, manifest.id);

        if (old_) {
            const std::string& have = old_->current.version;
            const int c = compareVersions(manifest.version, have);
            if (c <= 0 && !options_.allowDowngrade)
                throw Failure(manifest.id + " " + have + " is already installed; " + manifest.version
                              + (c == 0 ? " is the same version" : " is older")
                              + " (use --allow-downgrade to install it anyway)");
            override_ = c <= 0;
        }

        const std::uint64_t size = manifest.sizeForTier(tier_);
        const std::uint64_t margin = size / 100 + 16 * kMiB;
        const std::uint64_t available = options_.freeSpaceOverride ? *options_.freeSpaceOverride
                                                              : freeSpace(options_.root);
        if (available < size + margin)
            throw Failure(ErrorCode::NoSpace, options_.root.string() + ": not enough free space to install " + label + " ("
                          + tierName(tier_) + "): needs " + humanBytes(size + margin) + " ("
                          + humanBytes(size) + " of files plus " + humanBytes(margin) + " margin), "
                          + humanBytes(available) + " available", options_.root.string());

        std::string tmpl = (idDir_ / ".staging-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr)
            sysFail(idDir_.string() + ": cannot create a staging directory", errno);
        staging_ = tmpl;
        stagingFd_.reset(::open(staging_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!stagingFd_)
            sysFail(staging_.string() + ": cannot open", errno);
        ::fchmod(stagingFd_.get(), 0755);
    }

    bool supportsConcurrentFiles() const override { return true; }

    // Concurrent mode: one writer per file, from the verifier's workers.
    class Writer final : public FileWriter {
    public:
        Writer(InstallSink& sink, const ContentFile& file, UniqueFd fd) : sink_(sink), file_(file), fd_(std::move(fd)) {}
        void write(const void* data, std::size_t size) override
        {
            bytes_ += size;
            if (bytes_ > file_.size)
                throw Failure(file_.path + ": larger than the manifest says (" + std::to_string(file_.size) + " bytes)");
            writeAll(fd_.get(), data, size, file_.path);
        }
        void close() override
        {
            if (bytes_ != file_.size)
                throw Failure(file_.path + ": " + std::to_string(bytes_) + " bytes, the manifest says " +
                              std::to_string(file_.size));
            if (::fsync(fd_.get()) != 0)
                sysFail(file_.path + ": cannot flush to the device", errno);
            if (::close(fd_.release()) != 0)
                sysFail(file_.path + ": cannot close", errno);
            std::lock_guard lock(sink_.mutex_);
            sink_.written_.insert(file_.path);
        }

    private:
        InstallSink& sink_;
        const ContentFile& file_;
        UniqueFd fd_;
        std::uint64_t bytes_ = 0;
    };

    std::unique_ptr<FileWriter> openFile(const ContentFile& file) override
    {
        std::lock_guard lock(mutex_);
        if (!manifest_ || !stagingFd_ || !file.inTier(tier_))
            return nullptr;
        UniqueFd fd = createInStaging(file);
        return std::make_unique<Writer>(*this, file, std::move(fd));
    }

    bool beginFile(const ContentFile& file) override
    {
        if (!manifest_ || !stagingFd_ || !file.inTier(tier_))
            return false;
        out_ = createInStaging(file);
        outPath_ = file.path;
        outSize_ = file.size;
        outBytes_ = 0;
        return true;
    }

    // Creates file.path inside staging, refusing links at every level.
    UniqueFd createInStaging(const ContentFile& file)
    {
        if (!isSafeRelativePath(file.path))
            throw Failure(file.path + ": not a safe relative path");
        if (written_.count(file.path))
            throw Failure(file.path + ": appears twice in the archive");
        // Walk down from the staging directory with *at() calls that refuse
        // to follow links, so nothing can be written outside staging.
        std::vector<std::string> parts;
        for (const auto& c : fs::path(file.path))
            parts.push_back(c.string());
        UniqueFd dir(::dup(stagingFd_.get()));
        std::string rel;
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
            rel += (rel.empty() ? "" : "/") + parts[i];
            if (::mkdirat(dir.get(), parts[i].c_str(), 0755) != 0 && errno != EEXIST)
                sysFail(file.path + ": cannot create directory " + rel, errno);
            UniqueFd next(::openat(dir.get(), parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!next)
                sysFail(file.path + ": cannot open directory " + rel, errno);
            dir = std::move(next);
            dirs_.insert(rel);
        }
        UniqueFd out(::openat(dir.get(), parts.back().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                              0644));
        if (!out)
            sysFail(file.path + ": cannot create in staging", errno);
        return out;
    }

    void write(const void* data, std::size_t size) override
    {
        if (!out_)
            return;
        outBytes_ += size;
        if (outBytes_ > outSize_)
            throw Failure(outPath_ + ": larger than the manifest says (" + std::to_string(outSize_) + " bytes)");
        writeAll(out_.get(), data, size, outPath_);
    }

    void endFile(const ContentFile& file) override
    {
        if (!out_)
            return;
        if (outBytes_ != file.size)
            throw Failure(file.path + ": " + std::to_string(outBytes_) + " bytes, the manifest says "
                          + std::to_string(file.size));
        if (::fsync(out_.get()) != 0)
            sysFail(file.path + ": cannot flush to the device", errno);
        if (::close(out_.release()) != 0)
            sysFail(file.path + ": cannot close", errno);
        written_.insert(file.path);
    }

    void abort() override
    {
        out_.reset();
        stagingFd_.reset();
        if (!staging_.empty())
            removeTree(staging_);
        staging_.clear();
        lock_.reset();
        // Only directories this install created, and only if still empty.
        for (auto it = created_.rbegin(); it != created_.rend(); ++it)
            ::rmdir(it->c_str());
        created_.clear();
    }

    const std::optional<Manifest>& manifest() const { return manifest_; }
    int tier() const { return tier_; }
    bool wrote(const std::string& path) const { return written_.count(path) != 0; }

    // Moves the verified staging directory into place and records it.
    InstalledPackage commit(const fs::path& packageFile, const std::string& manifestSha256)
    {
        const Manifest& m = *manifest_;
        // The signed manifest, byte for byte, stays beside the content: the
        // model library checks installed models against it.
        if (!manifestBytes_.empty()) {
            UniqueFd out(::openat(stagingFd_.get(), kManifestName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                  0644));
            if (!out)
                sysFail(std::string(kManifestName) + ": cannot create in staging", errno);
            writeAll(out.get(), manifestBytes_.data(), manifestBytes_.size(), kManifestName);
            if (::fsync(out.get()) != 0)
                sysFail(std::string(kManifestName) + ": cannot flush to the device", errno);
        }
        for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it)
            fsyncDirectory(staging_ / *it);
        fsyncDirectory(staging_);
        stagingFd_.reset();

        const fs::path versionDir = idDir_ / m.version;
        fs::path aside; // the replaced directory, removed once committed
        if (lexists(versionDir)) {
            if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, versionDir.c_str(), RENAME_EXCHANGE) == 0) {
                aside = staging_;
            } else if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
                // No atomic exchange on this filesystem: move the old one aside.
                aside = idDir_ / (".old-" + randomSuffix(8));
                if (::rename(versionDir.c_str(), aside.c_str()) != 0)
                    sysFail(versionDir.string() + ": cannot move aside", errno);
                if (::rename(staging_.c_str(), versionDir.c_str()) != 0) {
                    const int err = errno;
                    ::rename(aside.c_str(), versionDir.c_str());
                    sysFail(versionDir.string() + ": cannot move into place", err);
                }
            } else {
                sysFail(versionDir.string() + ": cannot move into place", errno);
            }
        } else if (::rename(staging_.c_str(), versionDir.c_str()) != 0) {
            sysFail(versionDir.string() + ": cannot move into place", errno);
        }
        staging_.clear();
        // Undo the move if a later step fails, leaving things as they were.
        auto undoMove = [&]() {
            if (aside.empty()) {
                removeTree(versionDir);
            } else {
                if (::renameat2(AT_FDCWD, aside.c_str(), AT_FDCWD, versionDir.c_str(), RENAME_EXCHANGE) != 0) {
                    fs::path junk = idDir_ / (".old-" + randomSuffix(8));
                    ::rename(versionDir.c_str(), junk.c_str());
                    ::rename(aside.c_str(), versionDir.c_str());
                    aside = junk;
                }
                removeTree(aside);
            }
            try {
                fsyncDirectory(idDir_);
            } catch (const Failure&) {
            }
        };

        StateRecord s;
        s.id = m.id;
        s.name = m.name.empty() ? m.id : m.name;
        s.current = VersionRecord{m.version, utcTimestamp(), tier_, override_};
        s.manifestSha256 = manifestSha256;
        s.packageFile = packageFile.string();
        std::string entry = s.current.installedAt + " install " + m.version + " (" + tierName(tier_) + ")";
        if (old_) {
            s.history = old_->history;
            entry += ", replacing " + old_->current.version;
            if (old_->current.version != m.version)
                s.previous = old_->current;
            else if (old_->previous && old_->previous->version != m.version)
                s.previous = old_->previous; // a reinstall keeps the earlier rollback target
        }
        if (override_)
            entry += ", " + std::string(compareVersions(m.version, old_->current.version) == 0 ? "reinstall" : "downgrade")
                + " override";
        s.history.push_back(entry);

        // Everything that can fail for reasons of its own (the state's text)
        // is done before `current` switches; after it, any failure at all,
        // thrown or returned, switches back before it reaches the caller.
        const std::string stateBytes = stateText(s);
        try {
            switchCurrent(idDir_, m.version);
        } catch (...) {
            undoMove();
            throw;
        }
        try {
            if (const Status st = writeFileAtomic(idDir_ / kState, stateBytes); !st)
                throw Failure(st.message());
        } catch (...) {
            try {
                if (old_)
                    switchCurrent(idDir_, old_->current.version);
                else
                    ::unlink((idDir_ / kCurrent).c_str());
            } catch (...) {
            }
            undoMove();
            throw;
        }

        // Committed. Clean up what is no longer needed.
        if (!aside.empty())
            removeTree(aside);
        std::set<std::string> keep = {m.version};
        if (s.previous)
            keep.insert(s.previous->version);
        pruneAfterCommit(idDir_, keep);
        lock_.reset();
        created_.clear();
        return toInstalled(idDir_, s);
    }

private:
    void createDirectories(const std::string& id)
    {
        idDir_ = options_.root / id;
        // Remember which directories this install creates, to remove them on abort.
        std::vector<fs::path> missing;
        for (fs::path p = idDir_; !p.empty() && !lexists(p); p = p.parent_path()) {
            missing.push_back(p);
            if (p == p.parent_path())
                break;
        }
        for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
            if (::mkdir(it->c_str(), 0755) != 0 && errno != EEXIST)
                sysFail(it->string() + ": cannot create directory", errno);
            created_.push_back(*it);
        }
        if (!isDir(idDir_))
            throw Failure(idDir_.string() + ": not a directory");
    }

    const InstallOptions& options_;
    TierDecision& decision_;
    int tier_ = 1;
    std::optional<Manifest> manifest_;
    std::string manifestBytes_;
    fs::path idDir_;
    fs::path staging_;
    UniqueFd stagingFd_;
    UniqueFd lock_;
    std::vector<fs::path> created_;
    std::optional<StateRecord> old_;
    bool override_ = false;
    std::mutex mutex_; // dirs_ and written_ in concurrent mode
    std::set<std::string> dirs_;
    std::set<std::string> written_;
    UniqueFd out_;
    std::string outPath_;
    std::uint64_t outSize_ = 0;
    std::uint64_t outBytes_ = 0;
};

// After the verifier's "this archive is a tier_1 export: ...": the device's
// tier and why, and what to do: "; this device is tier_2 (15.5 GiB RAM >=
// 8 GB, ...): use the full package or a tier_2 export, or install it as
// tier_1 with --tier tier_1".
std::string tierMismatchAdvice(const TierDecision& decision, int checked, const std::vector<int>& complete)
{
    std::string why = decision.reason;
    if (const std::string prefix = tierName(decision.tier) + ": "; why.rfind(prefix, 0) == 0)
        why.erase(0, prefix.size());
    std::string out = "; this device is " + tierName(decision.tier) + " (" + why + ")";
    if (checked != decision.tier)
        out += ", checked as " + tierName(checked);
    out += ": use the full package or a " + tierName(checked) + " export";
    std::optional<int> lower;
    for (int t : complete)
        if (t < checked)
            lower = t;
    if (lower)
        out += ", or install it as " + tierName(*lower) + " with --tier " + tierName(*lower);
    return out;
}

} // namespace

InstallResult installPackage(const fs::path& file, const InstallOptions& options, VerifyObserver* observer,
                             const CancelToken& cancel)
{
    InstallResult result;
    result.report.file = file;
    auto refuse = [&](std::string reason) {
        result.report.ok = false;
        result.report.reason = std::move(reason);
        return result;
    };
    if (options.root.empty())
        return refuse("no install root given");
    if (!options.trust)
        return refuse("no trust store given");

    VerifyOptions vo;
    vo.trust = options.trust;
    HardwareInfo hw;
    if (options.tier) {
        if (*options.tier < 1 || *options.tier > kMaxTier)
            return refuse("tier " + std::to_string(*options.tier) + " is not a valid tier");
        result.tier = operatorTier(*options.tier);
        vo.tier = result.tier.tier;
    } else {
        // The station's thresholds until the signed manifest is read; then
        // the package's own requirements when it carries them.
        hw = detectHardware(options.root);
        result.tier = decideTier(hw, options.policy);
        vo.deviceTier = [&](const Manifest& m) {
            result.tier = decidePackageTier(hw, m, options.policy);
            return result.tier.tier;
        };
    }

    InstallSink sink(options, result.tier);
    vo.sink = &sink;
    result.report = verifyPackage(file, vo, observer, cancel);

    VerifyReport& report = result.report;
    if (report.tierMismatch && report.tier)
        report.reason += tierMismatchAdvice(result.tier, *report.tier, report.completeTiers);
    if (report.ok && !sink.manifest()) {
        report.ok = false;
        report.reason = "the package was verified but never reached the installer";
    }
    if (report.ok) {
        // The verifier already requires every file of the tier; this only
        // guards against a sink that was skipped for one of them.
        for (const ContentFile* f : sink.manifest()->filesForTier(sink.tier())) {
            if (!sink.wrote(f->path)) {
                report.ok = false;
                report.reason = f->path + " was verified but not installed";
                break;
            }
        }
    }
    if (report.ok && cancel.cancelled()) {
        report.ok = false;
        report.reason = "cancelled";
        report.code = ErrorCode::Cancelled;
    }
    if (!report.ok) {
        sink.abort();
        return result;
    }

    if (observer)
        observer->onProgress(Progress{Phase::Installing, 0, 1, sink.manifest()->id + " " + sink.manifest()->version});
    try {
        result.installed = sink.commit(file, report.manifestSha256);
    } catch (const std::exception& e) {
        sink.abort();
        report.ok = false;
        report.reason = e.what();
        report.code = currentError().code;
        return result;
    }
    if (observer)
        observer->onProgress(Progress{Phase::Installing, 1, 1, sink.manifest()->id + " " + sink.manifest()->version});
    return result;
}

std::optional<InstalledPackage> findInstalled(const fs::path& root, const std::string& id)
{
    if (!isValidPackageId(id))
        return std::nullopt;
    const fs::path idDir = root / id;
    auto s = loadInstalled(idDir, id);
    if (!s)
        return std::nullopt;
    return toInstalled(idDir, *s);
}

std::vector<InstalledPackage> listInstalled(const fs::path& root)
{
    std::vector<std::string> ids;
    std::error_code ec;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name[0] != '.' && isValidPackageId(name) && isDir(it->path()))
            ids.push_back(name);
    }
    std::sort(ids.begin(), ids.end());
    std::vector<InstalledPackage> out;
    for (const auto& id : ids)
        if (auto p = findInstalled(root, id))
            out.push_back(std::move(*p));
    return out;
}

Status rollbackPackage(const fs::path& root, const std::string& id)
{
    return guarded([&]() -> Status {
        if (!isValidPackageId(id))
            return fail("'" + id + "' is not a valid package id");
        const fs::path idDir = root / id;
        if (!isDir(idDir))
            return fail(id + " is not installed in " + root.string());
        UniqueFd lock = lockPackageDir(idDir, id);
        auto s = loadInstalled(idDir, id);
        if (!s)
            return fail(id + " is not installed in " + root.string());
        if (!s->previous)
            return fail(id + " " + s->current.version + ": no previous version to roll back to");

        const VersionRecord from = s->current;
        StateRecord next = *s;
        next.current = *s->previous;
        next.previous = from;
        next.history.push_back(utcTimestamp() + " rollback " + from.version + " -> " + next.current.version
                               + " (" + tierName(next.current.tier) + ")");
        const std::string stateBytes = stateText(next);
        switchCurrent(idDir, next.current.version);
        const Status st = writeFileAtomic(idDir / kState, stateBytes);
        if (!st) {
            try {
                switchCurrent(idDir, from.version);
            } catch (const Failure&) {
            }
            return st;
        }
        return {};
    });
}

} // namespace atmo
