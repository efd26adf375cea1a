// The directory-backed ExportTarget: a mounted drive or any folder.
//
// Direct I/O where the filesystem allows it. Blocks that are aligned (the
// export's are: 1 MiB, 4 KiB-aligned) are written and read back with
// O_DIRECT through a second descriptor; anything else (the archive's tail,
// a filesystem that refuses O_DIRECT, such as some FUSE ones) goes through
// the page cache, which is flushed by fsync and dropped with
// posix_fadvise(DONTNEED) before the read-back. Why direct:
//  - the read-back cannot come from the page cache, whatever else maps the
//    file (DONTNEED is advice: it skips pages that are mapped or locked);
//  - progress is the drive's real progress: no gigabyte of dirty pages that
//    makes "100 %" wait minutes for the final sync on a slow stick;
//  - no copy into and out of the page cache: less CPU, and the station's
//    cache is not flushed out by a package it will not read again.
#include "core/drives/export_target.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "core/base/fs_util.h"
#include "core/drives/drive_problem.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kDirectAlign = 4096; // covers 512- and 4096-byte logical blocks

bool aligned(const void* p, std::uint64_t offset, std::size_t size)
{
    return reinterpret_cast<std::uintptr_t>(p) % kDirectAlign == 0 && offset % kDirectAlign == 0 &&
           size % kDirectAlign == 0 && size > 0;
}

class DirectoryTarget final : public ExportTarget {
public:
    explicit DirectoryTarget(fs::path dir) : dir_(std::move(dir)) {}
    ~DirectoryTarget() override { discard(); }

    std::string name() const override { return dir_.string(); }
    fs::path directory() const override { return dir_; }

    void open(const std::string& finalName) override
    {
        std::error_code ec;
        if (!fs::exists(dir_, ec))
            throw DriveFailure(DriveProblem::NotMounted, ErrorCode::NotFound,
                               dir_.string() + ": does not exist (is the drive mounted?)", dir_.string());
        if (!fs::is_directory(dir_, ec))
            throw DriveFailure(DriveProblem::NotAFolder, ErrorCode::Failed, dir_.string() + ": not a directory",
                               dir_.string());
        final_ = dir_ / finalName;
        removeStaleParts(dir_, finalName); // of an export that was killed
        temp_ = dir_ / ("." + finalName + ".part-" + randomSuffix(6));
        fd_.reset(::open(temp_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
        if (!fd_) {
            const int err = errno;
            temp_.clear();
            if (err == EROFS)
                throw DriveFailure(DriveProblem::ReadOnly, ErrorCode::Io, dir_.string() + ": the drive is read-only",
                                   dir_.string());
            if (err == EACCES || err == EPERM)
                throw DriveFailure(DriveProblem::NoPermission, ErrorCode::Io,
                                   dir_.string() + ": no permission to write there", dir_.string());
            if (err == ENOSPC || err == EDQUOT)
                throw writeError(err);
            throw DriveFailure(DriveProblem::CannotCreate, ErrorCode::Io,
                               dir_.string() + ": cannot create a file: " + std::strerror(err), dir_.string());
        }
        ::flock(fd_.get(), LOCK_EX | LOCK_NB); // live: not stale for removeStaleParts
        direct_.reset(::open(temp_.c_str(), O_RDWR | O_DIRECT | O_CLOEXEC)); // may fail: buffered only
    }

    void write(const void* data, std::size_t size) override
    {
        if (direct_ && aligned(data, written_, size)) {
            if (pwriteAll(direct_.get(), data, size, written_)) {
                written_ += size;
                return;
            }
            direct_.reset(); // the filesystem turned it down after all: page cache from now on
        }
        if (!pwriteAll(fd_.get(), data, size, written_))
            throw writeError(errno);
        written_ += size;
        // Start writeback early so the final fsync is short and dirty pages stay bounded.
        if (written_ - flushed_ >= (32u << 20)) {
            ::sync_file_range(fd_.get(), static_cast<off_t>(flushed_), static_cast<off_t>(written_ - flushed_),
                              SYNC_FILE_RANGE_WRITE);
            flushed_ = written_;
        }
    }

    void sync() override
    {
        if (::fsync(fd_.get()) != 0)
            throw DriveFailure(DriveProblem::FlushFailed, ErrorCode::Io,
                               dir_.string() + ": flushing to the drive failed: " + std::strerror(errno), dir_.string());
        fsyncDirectory(dir_);
    }

    // After sync() every cached page of the file is clean, so DONTNEED drops
    // them and a buffered read-back has to come from the device.
    void dropCache() override
    {
        ::posix_fadvise(fd_.get(), 0, 0, POSIX_FADV_DONTNEED);
        prefetched_ = 0;
    }

    std::size_t readBack(std::uint64_t offset, void* buf, std::size_t size) override
    {
        if (direct_ && aligned(buf, offset, size)) {
            for (;;) {
                const ssize_t n = ::pread(direct_.get(), buf, size, static_cast<off_t>(offset));
                if (n >= 0)
                    return static_cast<std::size_t>(n);
                if (errno == EINTR)
                    continue;
                if (errno != EINVAL)
                    throw DriveFailure(DriveProblem::ReadBackFailed, ErrorCode::Io,
                                       dir_.string() + ": reading back failed: " + std::strerror(errno), dir_.string());
                direct_.reset();
                break;
            }
        }
        // Keep the device busy while the caller checks: ask for the next
        // window ahead of time (pread alone waits for each block in turn).
        if (offset + size + kAhead / 2 > prefetched_) {
            const std::uint64_t from = std::max<std::uint64_t>(prefetched_, offset);
            ::posix_fadvise(fd_.get(), static_cast<off_t>(from), static_cast<off_t>(offset + size + kAhead - from),
                            POSIX_FADV_WILLNEED);
            prefetched_ = offset + size + kAhead;
        }
        for (;;) {
            const ssize_t n = ::pread(fd_.get(), buf, size, static_cast<off_t>(offset));
            if (n >= 0)
                return static_cast<std::size_t>(n);
            if (errno != EINTR)
                throw DriveFailure(DriveProblem::ReadBackFailed, ErrorCode::Io,
                                       dir_.string() + ": reading back failed: " + std::strerror(errno), dir_.string());
        }
    }

    void commit() override
    {
        direct_.reset();
        fd_.reset();
        if (::rename(temp_.c_str(), final_.c_str()) != 0)
            throw DriveFailure(DriveProblem::RenameFailed, ErrorCode::Io,
                               final_.string() + ": cannot rename into place: " + std::strerror(errno), dir_.string());
        temp_.clear();
        fsyncDirectory(dir_);
    }

    void discard() override
    {
        direct_.reset();
        fd_.reset();
        if (!temp_.empty())
            ::unlink(temp_.c_str());
        temp_.clear();
    }

    std::uint64_t freeBytes() const override { return freeSpace(dir_); }

    bool readOnly() const override
    {
        // Only a filesystem that refuses writes is read-only; a folder that
        // does not exist or lacks permission gets its own reason from open().
        struct statvfs st {};
        if (::statvfs(dir_.c_str(), &st) == 0 && (st.f_flag & ST_RDONLY))
            return true;
        return ::access(dir_.c_str(), W_OK) != 0 && errno == EROFS;
    }

private:
    // Writes everything at offset; false with errno set on failure (EINVAL:
    // direct I/O refused; anything else is a real error, reported by the caller).
    bool pwriteAll(int fd, const void* data, std::size_t size, std::uint64_t offset)
    {
        auto p = static_cast<const char*>(data);
        while (size > 0) {
            const ssize_t n = ::pwrite(fd, p, size, static_cast<off_t>(offset));
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (fd == direct_.get() && errno != EINVAL)
                    throw writeError(errno);
                return false;
            }
            p += n;
            size -= static_cast<std::size_t>(n);
            offset += static_cast<std::uint64_t>(n);
        }
        return true;
    }

    DriveFailure writeError(int err) const
    {
        // A full drive is NoSpace (it once said so in English only).
        if (err == ENOSPC || err == EDQUOT)
            return DriveFailure(DriveProblem::NoSpace, ErrorCode::NoSpace, dir_.string() + ": no space left on the device",
                                dir_.string());
        return DriveFailure(DriveProblem::WriteFailed, ErrorCode::Io, dir_.string() + ": write failed: " + std::strerror(err),
                            dir_.string());
    }

    static constexpr std::uint64_t kAhead = 8u << 20;
    fs::path dir_, final_, temp_;
    UniqueFd fd_, direct_;
    std::uint64_t written_ = 0, flushed_ = 0, prefetched_ = 0;
};

} // namespace

std::unique_ptr<ExportTarget> directoryTarget(const fs::path& dir)
{
    return std::make_unique<DirectoryTarget>(dir);
}

} // namespace atmo
