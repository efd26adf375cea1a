// The directory-backed ExportTarget: a mounted drive or any folder.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/fs_util.h"
#include "core/package_export.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

class DirectoryTarget final : public ExportTarget {
public:
    explicit DirectoryTarget(fs::path dir) : dir_(std::move(dir)) {}
    ~DirectoryTarget() override { discard(); }

    std::string name() const override { return dir_.string(); }
    fs::path directory() const override { return dir_; }

    void open(const std::string& finalName) override
    {
        std::error_code ec;
        if (!fs::is_directory(dir_, ec))
            throw Failure(dir_.string() + ": not a directory (is the drive mounted?)");
        final_ = dir_ / finalName;
        temp_ = dir_ / ("." + finalName + ".part-" + randomSuffix(6));
        fd_.reset(::open(temp_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
        if (!fd_) {
            const int err = errno;
            temp_.clear();
            if (err == EROFS)
                throw Failure(dir_.string() + ": the drive is read-only");
            throw Failure(dir_.string() + ": cannot create a file: " + std::strerror(err));
        }
    }

    void write(const void* data, std::size_t size) override
    {
        writeAll(fd_.get(), data, size, dir_.string());
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
            throw Failure(dir_.string() + ": flushing to the drive failed: " + std::strerror(errno));
        fsyncDirectory(dir_);
    }

    void dropCache() override { ::posix_fadvise(fd_.get(), 0, 0, POSIX_FADV_DONTNEED); }

    std::size_t readBack(std::uint64_t offset, void* buf, std::size_t size) override
    {
        for (;;) {
            const ssize_t n = ::pread(fd_.get(), buf, size, static_cast<off_t>(offset));
            if (n >= 0)
                return static_cast<std::size_t>(n);
            if (errno != EINTR)
                throw Failure(dir_.string() + ": reading back failed: " + std::strerror(errno));
        }
    }

    void commit() override
    {
        fd_.reset();
        if (::rename(temp_.c_str(), final_.c_str()) != 0)
            throw Failure(final_.string() + ": cannot rename into place: " + std::strerror(errno));
        temp_.clear();
        fsyncDirectory(dir_);
    }

    void discard() override
    {
        fd_.reset();
        if (!temp_.empty())
            ::unlink(temp_.c_str());
        temp_.clear();
    }

    std::uint64_t freeBytes() const override { return freeSpace(dir_); }

    bool readOnly() const override
    {
        struct statvfs st {};
        if (::statvfs(dir_.c_str(), &st) == 0 && (st.f_flag & ST_RDONLY))
            return true;
        return ::access(dir_.c_str(), W_OK) != 0;
    }

private:
    fs::path dir_, final_, temp_;
    UniqueFd fd_;
    std::uint64_t written_ = 0, flushed_ = 0;
};

} // namespace

std::unique_ptr<ExportTarget> directoryTarget(const fs::path& dir)
{
    return std::make_unique<DirectoryTarget>(dir);
}

} // namespace atmo
