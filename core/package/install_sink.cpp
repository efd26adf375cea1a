#include "core/package/install_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/package/delta_install.h"

namespace atmo::installer_detail {

class InstallSink::Writer final : public FileWriter {
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

void InstallSink::onMetadata(const std::string& name, const std::string& bytes)
{
    if (name == kManifestName)
        manifestBytes_ = bytes;
}

void InstallSink::onManifest(const Manifest& manifest, std::optional<int> tier)
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

    // The rules both front ends apply (core/package/install_plan.h), read under
    // the package's lock so the installed version cannot change meanwhile.
    plan_ = planInstall(manifest, tier_, options_.root, options_.freeSpace);
    if (plan_->deltaRefusal)
        throw Failure(ErrorCode::Failed, label + ": " + *plan_->deltaRefusal, options_.root.string());
    if (const auto why = plan_->refusal(options_.allowDowngrade))
        throw Failure(plan_->space() == SpaceCheck::Short && !(plan_->downgrade && !options_.allowDowngrade)
                          ? ErrorCode::NoSpace
                          : ErrorCode::Failed,
                      *why, options_.root.string());
    override_ = old_ && plan_->downgrade;

    std::string tmpl = (idDir_ / ".staging-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr)
        sysFail(idDir_.string() + ": cannot create a staging directory", errno);
    staging_ = tmpl;
    stagingFd_.reset(::open(staging_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!stagingFd_)
        sysFail(staging_.string() + ": cannot open", errno);
    ::fchmod(stagingFd_.get(), 0755);
}

std::unique_ptr<FileWriter> InstallSink::openFile(const ContentFile& file)
{
    std::lock_guard lock(mutex_);
    if (!manifest_ || !stagingFd_ || !file.inTier(tier_))
        return nullptr;
    UniqueFd fd = createInStaging(file);
    return std::make_unique<Writer>(*this, file, std::move(fd));
}

bool InstallSink::beginFile(const ContentFile& file)
{
    if (!manifest_ || !stagingFd_ || !file.inTier(tier_))
        return false;
    out_ = createInStaging(file);
    outPath_ = file.path;
    outSize_ = file.size;
    outBytes_ = 0;
    return true;
}

UniqueFd InstallSink::createInStaging(const ContentFile& file)
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

void InstallSink::write(const void* data, std::size_t size)
{
    if (!out_)
        return;
    outBytes_ += size;
    if (outBytes_ > outSize_)
        throw Failure(outPath_ + ": larger than the manifest says (" + std::to_string(outSize_) + " bytes)");
    writeAll(out_.get(), data, size, outPath_);
}

void InstallSink::endFile(const ContentFile& file)
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

void InstallSink::abort()
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

void InstallSink::rebuild(Observer* observer, const CancelToken& cancel)
{
    if (manifest_ && manifest_->delta && old_)
        rebuildFromBase(*manifest_, tier_, idDir_ / old_->current.version, staging_, observer, cancel);
}

InstalledPackage InstallSink::commit(const fs::path& packageFile, const std::string& manifestSha256)
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

void InstallSink::createDirectories(const std::string& id)
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

} // namespace atmo::installer_detail
