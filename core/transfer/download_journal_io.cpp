// The journal's low-level POSIX I/O: the checked record line, fdatasync and
// advisory writeback, pwrite loops for the page cache and for O_DIRECT (which
// reports where the filesystem refused so the caller can finish through the
// cache), and block-wise reads of a range of the part file. The loops retry on
// EINTR; errors become a Failure naming the file.
#include "core/transfer/download_journal.h"
#include "core/transfer/download_journal_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace atmo {

namespace fs = std::filesystem;

namespace journal_detail {

std::string errnoText() { return std::strerror(errno); }

std::string record(const std::string& payload)
{
    return payload + " " + sha256Hex(payload).substr(0, 16) + "\n";
}

void syncData(int fd, const fs::path& path)
{
    if (::fdatasync(fd) != 0)
        throw Failure(path.string() + ": cannot flush to the device: " + errnoText());
}

void startWriteback(int fd, std::uint64_t offset, std::uint64_t length)
{
    // Advisory: where it is not supported the batch's fdatasync does it all.
    ::sync_file_range(fd, static_cast<off_t>(offset), static_cast<off_t>(length), SYNC_FILE_RANGE_WRITE);
}

void pwriteAll(int fd, const fs::path& path, const char* p, std::size_t size, std::uint64_t offset)
{
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, p, size, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Failure(path.string() + ": write failed: " + errnoText());
        p += n;
        size -= std::size_t(n);
        offset += std::uint64_t(n);
    }
}

std::size_t pwriteDirect(int fd, const fs::path& path, const char* p, std::size_t size, std::uint64_t offset)
{
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pwrite(fd, p + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EINVAL)
            return done;
        if (n < 0)
            throw Failure(path.string() + ": write failed: " + errnoText());
        if (n == 0)
            return done;
        done += std::size_t(n);
    }
    return done;
}

void readRange(int fd, const fs::path& path, std::uint64_t offset, std::uint64_t length, std::string& buf,
               const std::function<void(const char*, std::size_t)>& sink)
{
    buf.resize(1u << 20);
    while (length > 0) {
        const std::size_t want = std::size_t(std::min<std::uint64_t>(length, buf.size()));
        const ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Failure(path.string() + ": read failed: " + errnoText());
        if (n == 0)
            throw Failure(path.string() + ": ends early, at byte " + std::to_string(offset));
        sink(buf.data(), std::size_t(n));
        offset += std::uint64_t(n);
        length -= std::uint64_t(n);
    }
}

} // namespace journal_detail

} // namespace atmo
