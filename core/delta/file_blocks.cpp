#include "core/delta/file_blocks.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace atmo::delta {

namespace {

[[noreturn]] void ioFailure(const std::filesystem::path& file, int err)
{
    const ErrorCode code = err == ENOENT ? ErrorCode::NotFound : err == ENOSPC ? ErrorCode::NoSpace : ErrorCode::Io;
    throw Failure(code, file.string() + ": " + std::strerror(err), file.filename().string());
}

} // namespace

UniqueFd openForReading(const std::filesystem::path& file)
{
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        ioFailure(file, errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        ioFailure(file, errno);
    if (!S_ISREG(st.st_mode))
        throw Failure(ErrorCode::Usage, file.string() + ": not a regular file", file.filename().string());
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    return fd;
}

std::uint64_t sizeOf(int fd, const std::filesystem::path& file)
{
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        ioFailure(file, errno);
    return static_cast<std::uint64_t>(st.st_size);
}

void readAt(int fd, std::uint64_t offset, void* out, std::size_t size, const std::filesystem::path& file)
{
    auto* p = static_cast<char*>(out);
    while (size > 0) {
        const ssize_t n = ::pread(fd, p, size, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            ioFailure(file, errno);
        if (n == 0)
            throw Failure(ErrorCode::BadData, file.string() + ": shorter than expected (changed while read?)",
                          file.filename().string());
        p += n, size -= static_cast<std::size_t>(n), offset += static_cast<std::uint64_t>(n);
    }
}

BlockReader::BlockReader(int fd, std::filesystem::path file, std::size_t block)
    : fd_(fd), file_(std::move(file)), buf_(block)
{
}

std::size_t BlockReader::available(std::size_t want)
{
    if (end_ - pos_ >= want || eof_)
        return end_ - pos_;
    if (buf_.size() < want)
        buf_.resize(want);
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
    while (end_ < buf_.size()) {
        const ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            ioFailure(file_, errno);
        if (n == 0) {
            eof_ = true;
            break;
        }
        end_ += static_cast<std::size_t>(n);
    }
    return end_ - pos_;
}

} // namespace atmo::delta
