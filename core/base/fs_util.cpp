#include "core/base/fs_util.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sodium.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace atmo {

namespace fs = std::filesystem;

void UniqueFd::reset(int fd)
{
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = fd;
}

std::string randomSuffix(std::size_t chars)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string s(chars, 'x');
    for (auto& c : s)
        c = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    return s;
}

void removeStaleParts(const fs::path& dir, const std::string& name)
{
    const std::string prefix = "." + name + ".part-";
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string entry = it->path().filename().string();
        if (entry.rfind(prefix, 0) != 0)
            continue;
        UniqueFd fd(::open(it->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
        struct stat st {};
        if (fd && ::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && ::flock(fd.get(), LOCK_EX | LOCK_NB) == 0)
            ::unlink(it->path().c_str());
    }
}

AtomicFile::AtomicFile(fs::path finalPath, unsigned mode) : final_(std::move(finalPath))
{
    const fs::path dir = final_.has_parent_path() ? final_.parent_path() : fs::path(".");
    fd_.reset(::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode));
    if (fd_)
        return; // the umask applies as with O_CREAT
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT)
        throw Failure(dir.string() + ": cannot create a file there: " + std::strerror(errno));
    if (errno == ENOENT && !fs::is_directory(dir))
        throw Failure(dir.string() + ": cannot create a file there: " + std::strerror(ENOENT));
    removeStaleParts(dir, final_.filename().string());
    for (int attempt = 0; attempt < 16 && !fd_; ++attempt) {
        temp_ = dir / ("." + final_.filename().string() + ".part-" + randomSuffix(6));
        fd_.reset(::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
        if (!fd_ && errno != EEXIST)
            break;
    }
    if (!fd_) {
        const int err = errno;
        temp_.clear();
        throw Failure(dir.string() + ": cannot create a file there: " + std::strerror(err));
    }
    ::flock(fd_.get(), LOCK_EX | LOCK_NB); // marks it as live for removeStaleParts
}

AtomicFile::~AtomicFile()
{
    if (!done_)
        discard();
}

void AtomicFile::write(const void* data, std::size_t size)
{
    writeAll(fd_.get(), data, size, final_.string());
    written_ += size;
    if (written_ - flushed_ >= (32u << 20)) {
        ::sync_file_range(fd_.get(), static_cast<off_t>(flushed_), static_cast<off_t>(written_ - flushed_),
                          SYNC_FILE_RANGE_WRITE);
        flushed_ = written_;
    }
}

void AtomicFile::sync()
{
    if (::fsync(fd_.get()) != 0)
        throw Failure(final_.string() + ": cannot flush to the device: " + std::strerror(errno));
}

void AtomicFile::commit(bool overwrite)
{
    sync();
    const fs::path dir = final_.has_parent_path() ? final_.parent_path() : fs::path(".");
    if (temp_.empty()) {
        // Give the unnamed file a name: straight to the final name when it must
        // not replace one (linkat refuses an existing name, atomically), else
        // to a hidden name renamed over the final one.
        const std::string self = "/proc/self/fd/" + std::to_string(fd_.get());
        const fs::path target = overwrite ? dir / ("." + final_.filename().string() + ".part-" + randomSuffix(6)) : final_;
        if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, target.c_str(), AT_SYMLINK_FOLLOW) != 0) {
            const int err = errno;
            discard();
            if (err == EEXIST && !overwrite)
                throw Failure(final_.string() + ": already exists");
            throw Failure(final_.string() + ": cannot give the file its name: " + std::strerror(err));
        }
        fd_.reset();
        if (!overwrite) {
            done_ = true;
            fsyncDirectory(dir);
            return;
        }
        temp_ = target;
    }
    fd_.reset();
    if (!overwrite && fs::exists(final_)) {
        discard();
        throw Failure(final_.string() + ": already exists");
    }
    if (::rename(temp_.c_str(), final_.c_str()) != 0) {
        const int err = errno;
        discard();
        throw Failure(final_.string() + ": cannot rename into place: " + std::strerror(err));
    }
    done_ = true;
    fsyncDirectory(dir);
}

void AtomicFile::discard()
{
    fd_.reset();
    if (!done_ && !temp_.empty())
        ::unlink(temp_.c_str());
    done_ = true;
}

void writeAll(int fd, const void* data, std::size_t size, const std::string& what)
{
    auto p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ENOSPC || errno == EDQUOT)
                throw Failure(ErrorCode::NoSpace, what + ": no space left on the device", what);
            throw Failure(ErrorCode::Io, what + ": write failed: " + std::strerror(errno), what);
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

void fsyncPath(const fs::path& path)
{
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd || ::fsync(fd.get()) != 0)
        throw Failure(path.string() + ": cannot flush to the device: " + std::strerror(errno));
}

void fsyncDirectory(const fs::path& dir)
{
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        throw Failure(dir.string() + ": cannot open directory: " + std::strerror(errno));
    if (::fsync(fd.get()) != 0 && errno != EINVAL)
        throw Failure(dir.string() + ": cannot flush directory: " + std::strerror(errno));
}

std::uint64_t freeSpace(const fs::path& path)
{
    fs::path p = path;
    while (!p.empty() && !fs::exists(p))
        p = p.parent_path();
    if (p.empty())
        p = ".";
    struct statvfs st {};
    if (::statvfs(p.c_str(), &st) != 0)
        return 0;
    return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

Result<std::string> readFile(const fs::path& path, std::uint64_t maxBytes)
{
    // O_NONBLOCK: opening a FIFO must not wait for a writer; anything but a
    // regular file (FIFO, device, socket, directory) is refused before a read.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (!fd)
        return fail(path.string() + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        return fail(path.string() + ": cannot open: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        return fail(path.string() + ": not a regular file");
    std::string out;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(path.string() + ": read failed: " + std::strerror(errno));
        }
        if (n == 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
        if (out.size() > maxBytes)
            return fail(path.string() + ": larger than " + humanBytes(maxBytes));
    }
    return out;
}

Status writeFileAtomic(const fs::path& path, std::string_view data, unsigned mode)
{
    return guarded([&]() -> Status {
        AtomicFile f(path, mode);
        f.write(data);
        f.commit();
        return {};
    });
}

ScaledBytes scaleBytes(std::uint64_t bytes)
{
    static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    // 999.96 would print as "1000.0": it goes up a unit as well.
    while (v >= 999.95 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    return {v, units[u]};
}

std::string humanBytes(std::uint64_t bytes)
{
    const ScaledBytes s = scaleBytes(bytes);
    char buf[48];
    if (s.unit[0] == 'B')
        std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    else
        std::snprintf(buf, sizeof buf, "%.1f %s", s.value, s.unit);
    return buf;
}

std::string utcTimestamp()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace atmo
