// The part file's space: reserved up front (JournalOptions::reserveOnOpen) or
// once the caller trusts the size (DownloadJournal::reserve), never beyond the
// free space minus a margin.
#include "core/transfer/download_journal.h"
#include "core/transfer/download_journal_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace atmo {

namespace fs = std::filesystem;

namespace journal_detail {

void preallocate(int fd, const fs::path& path, std::uint64_t size, std::uint64_t marginBytes,
                 const std::string& modelId)
{
    if (size == 0)
        return;
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw Failure(path.string() + ": cannot stat: " + errnoText());
    const std::uint64_t allocated = std::uint64_t(st.st_blocks) * 512;
    const std::uint64_t need = size > allocated ? size - allocated : 0;
    const fs::path dir = path.parent_path();
    const std::uint64_t free = freeSpace(dir);
    auto noSpace = [&] {
        return Failure(ErrorCode::NoSpace,
                       modelId + ": not enough space in " + dir.string() + ": needs " + humanBytes(need) + " (and " +
                           humanBytes(marginBytes) + " kept free), " + humanBytes(free) + " free",
                       dir.string());
    };
    // freeSpace() says 0 where it cannot tell: then fallocate decides.
    if (need > 0 && free > 0 && (free < marginBytes || free - marginBytes < need))
        throw noSpace();
    if (::fallocate(fd, 0, 0, static_cast<off_t>(size)) == 0)
        return;
    const int err = errno;
    if (err == ENOSPC || err == EDQUOT)
        throw noSpace();
    if ((err == EOPNOTSUPP || err == ENOSYS) &&
        (std::uint64_t(st.st_size) >= size || ::ftruncate(fd, static_cast<off_t>(size)) == 0))
        return;
    throw Failure(path.string() + ": cannot reserve " + humanBytes(size) + ": " + std::strerror(err));
}

} // namespace journal_detail

Status DownloadJournal::reserve(std::uint64_t marginBytes)
{
    return guarded([&]() -> Status {
        State& s = *s_;
        {
            std::lock_guard lock(s.mutex);
            if (s.spent || !s.partFd)
                return {};
        }
        journal_detail::preallocate(s.partFd.get(), s.part, layout_.size, marginBytes, target_.modelId);
        return {};
    });
}

} // namespace atmo
