#include "core/package/delta_install.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/base/sha256.h"
#include "core/delta/delta_apply.h"

namespace atmo::installer_detail {

namespace fs = std::filesystem;

namespace {

// "models/x.onnx of the installed production-inspection 1.2"
std::string ofBase(const std::string& path, const Manifest& m)
{
    return path + " of the installed " + m.id + " " + m.delta->baseVersion;
}

std::string fullAdvice(const Manifest& m)
{
    return "; reinstall " + m.delta->baseVersion + " or use the full " + m.version + " package";
}

// Links `from` to `to` (same filesystem: the base's version directory is a
// sibling of staging), copying when links are not possible.
void linkOrCopy(const fs::path& from, const fs::path& to, const std::string& name)
{
    if (::link(from.c_str(), to.c_str()) == 0)
        return;
    std::error_code ec;
    if (!fs::copy_file(from, to, fs::copy_options::none, ec))
        throw Failure(ec == std::errc::no_space_on_device ? ErrorCode::NoSpace : ErrorCode::Io,
                      name + ": cannot copy from the installed base: " + ec.message(), name);
}

} // namespace

void rebuildFromBase(const Manifest& m, int tier, const fs::path& baseDir, const fs::path& staging,
                     Observer* observer, const CancelToken& cancel)
{
    const DeltaSection& d = *m.delta;
    const auto files = m.filesForTier(tier);
    std::uint64_t total = 0;
    for (const ContentFile* f : files)
        if (d.isUnchanged(f->path) || (d.changeFor(f->path) && d.changeFor(f->path)->viaDelta()))
            total += f->size;
    ProgressReporter progress(observer);
    progress.phase(Phase::Installing, total);
    for (const ContentFile* f : files) {
        cancel.check();
        const DeltaChange* change = d.changeFor(f->path);
        const bool unchanged = d.isUnchanged(f->path);
        if (!unchanged && !(change && change->viaDelta()))
            continue; // carried whole: already in staging
        progress.item(f->path);
        const fs::path out = staging / f->path;
        std::error_code ec;
        fs::create_directories(out.parent_path(), ec);
        if (ec)
            throw Failure(ErrorCode::Io, f->path + ": cannot create its directory in staging: " + ec.message(), f->path);
        if (unchanged) {
            const fs::path from = baseDir / f->path;
            struct stat st {};
            if (::lstat(from.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
                throw Failure(ErrorCode::NotFound,
                              ofBase(f->path, m) + " is missing (needed for " + tierName(tier) + ")" + fullAdvice(m),
                              f->path);
            linkOrCopy(from, out, f->path);
            auto sha = sha256FileHex(out, cancel, [&](std::uint64_t n) { progress.add(n); });
            if (!sha)
                raise(sha.error());
            if (*sha != f->sha256)
                throw Failure(ErrorCode::BadData, ofBase(f->path, m) + " was changed on this device (its SHA-256 is not "
                                                      "the one the delta names)" + fullAdvice(m),
                              f->path);
            continue;
        }
        const fs::path from = baseDir / change->basePath;
        const fs::path deltaFile = staging / change->delta;
        struct stat st {};
        if (::lstat(from.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
            throw Failure(ErrorCode::NotFound,
                          ofBase(change->basePath, m) + " is missing (" + f->path + " is rebuilt from it)" +
                              fullAdvice(m),
                          change->basePath);
        auto header = delta::readHeader(deltaFile);
        if (!header)
            throw Failure(ErrorCode::BadData, change->delta + ": " + header.error().message, change->delta);
        if (toHex(header->baseSha256) != change->baseSha256 || toHex(header->targetSha256) != f->sha256)
            throw Failure(ErrorCode::BadData,
                          change->delta + ": made for other files than the signed manifest names (damaged or forged)",
                          change->delta);
        if (static_cast<std::uint64_t>(st.st_size) != change->baseSize)
            throw Failure(ErrorCode::BadData, ofBase(change->basePath, m) + " was changed on this device (" +
                                                  std::to_string(st.st_size) + " bytes, the delta's base has " +
                                                  std::to_string(change->baseSize) + ")" + fullAdvice(m),
                          change->basePath);
        delta::ApplyOptions ao;
        ao.checkBase = true;
        ao.expectedTargetSha256 = f->sha256;
        auto applied = delta::applyDelta(from, deltaFile, out, ao, nullptr, cancel);
        if (!applied) {
            const Error& e = applied.error();
            if (e.code == ErrorCode::BadData && e.subject == from.filename().string())
                throw Failure(ErrorCode::BadData, ofBase(change->basePath, m) +
                                                      " was changed on this device (its SHA-256 is not the one the "
                                                      "delta was made from)" + fullAdvice(m),
                              change->basePath);
            if (e.code == ErrorCode::BadData)
                throw Failure(ErrorCode::BadData, f->path + ": rebuilding it from " + change->delta + " failed: " +
                                                      e.message,
                              f->path);
            if (e.code == ErrorCode::NoSpace)
                throw Failure(ErrorCode::NoSpace, f->path + ": no space left on the device to rebuild it in " +
                                                      staging.parent_path().string(),
                              staging.parent_path().string());
            raise(e);
        }
        progress.add(f->size);
        if (::unlink(deltaFile.c_str()) != 0)
            throw Failure(ErrorCode::Io, change->delta + ": cannot remove from staging: " + std::strerror(errno));
    }
    // .delta files of other tiers' files are not stored; nothing else to remove.
    progress.finish();
}

} // namespace atmo::installer_detail
