#include "core/package/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <unistd.h>

namespace atmo {

Result<std::unique_ptr<ArchiveReader>> ArchiveReader::open(const std::filesystem::path& file)
{
    return guarded([&]() -> Result<std::unique_ptr<ArchiveReader>> {
        std::unique_ptr<ArchiveReader> r(new ArchiveReader);
        r->file_ = file;
        r->fd_.reset(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
        if (!r->fd_)
            return fail(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                        file.string() + ": cannot open: " + std::strerror(errno), file.string());
        struct stat st {};
        if (::fstat(r->fd_.get(), &st) != 0 || !S_ISREG(st.st_mode))
            return fail(file.string() + ": not a regular file");
        r->fileSize_ = static_cast<std::uint64_t>(st.st_size);
        ::posix_fadvise(r->fd_.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
        r->a_ = archive_read_new();
        archive_read_support_format_tar(r->a_);
        archive_read_support_filter_none(r->a_);
        archive_read_support_filter_zstd(r->a_);
        if (archive_read_open_fd(r->a_, r->fd_.get(), 1 << 20) != ARCHIVE_OK)
            return fail(ErrorCode::BadData, file.string() + ": not a package archive (" + archive_error_string(r->a_) + ")",
                        file.string());
        return r;
    });
}

ArchiveReader::~ArchiveReader()
{
    if (a_)
        archive_read_free(a_);
}

void ArchiveReader::raise(const std::string& what)
{
    // No file name: callers know which file and which entry they were reading.
    const char* detail = archive_error_string(a_);
    throw ArchiveDamaged(what + (detail && *detail ? std::string(" (") + detail + ")" : std::string()));
}

bool ArchiveReader::next(EntryInfo& info)
{
    archive_entry* e = nullptr;
    const int rc = archive_read_next_header(a_, &e);
    if (rc == ARCHIVE_EOF)
        return false;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
        raise("damaged or truncated archive");
    if (archive_filter_count(a_) > 1 && archive_filter_code(a_, 0) == ARCHIVE_FILTER_ZSTD)
        compression_ = Compression::Zstd;
    info = EntryInfo{};
    const char* name = archive_entry_pathname_utf8(e);
    if (!name)
        name = archive_entry_pathname(e);
    info.path = name ? name : "";
    const auto type = archive_entry_filetype(e);
    info.regular = type == AE_IFREG;
    info.directory = type == AE_IFDIR;
    if (archive_entry_hardlink(e)) {
        info.regular = false;
        info.link = true;
        info.typeName = "hardlink";
    } else {
        switch (type) {
        case AE_IFREG: info.typeName = "file"; break;
        case AE_IFDIR: info.typeName = "directory"; break;
        case AE_IFLNK: info.typeName = "symlink"; info.link = true; break;
        case AE_IFCHR:
        case AE_IFBLK: info.typeName = "device"; break;
        case AE_IFIFO: info.typeName = "fifo"; break;
        case AE_IFSOCK: info.typeName = "socket"; break;
        default: info.typeName = "unknown"; break;
        }
    }
    info.size = archive_entry_size_is_set(e) ? static_cast<std::uint64_t>(archive_entry_size(e)) : 0;
    info.sparse = archive_entry_sparse_count(e) > 0;
    expectedOffset_ = 0;
    return true;
}

bool ArchiveReader::readBlock(const void*& data, std::size_t& size)
{
    la_int64_t offset = 0;
    const int rc = archive_read_data_block(a_, &data, &size, &offset);
    if (rc == ARCHIVE_EOF)
        return false;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
        raise("damaged or truncated archive");
    if (offset != expectedOffset_)
        raise("an entry has holes (sparse entries are not allowed)");
    expectedOffset_ += static_cast<std::int64_t>(size);
    return true;
}

std::uint64_t ArchiveReader::bytesConsumed() const
{
    return static_cast<std::uint64_t>(archive_filter_bytes(a_, -1));
}

} // namespace atmo

namespace atmo {

bool ArchiveReader::onlyZerosFollow()
{
    if (compression_ != Compression::None)
        return true; // the decompressor owns the stream's end; GNU tar stops at the same marker
    // After the end-of-archive marker, filter 0's position is where the archive ends.
    std::uint64_t pos = static_cast<std::uint64_t>(archive_filter_bytes(a_, 0));
    std::vector<char> buf(1 << 16);
    while (pos < fileSize_) {
        const ssize_t n = ::pread(fd_.get(), buf.data(), buf.size(), static_cast<off_t>(pos));
        if (n <= 0)
            return n == 0;
        for (ssize_t i = 0; i < n; ++i)
            if (buf[static_cast<std::size_t>(i)] != 0)
                return false;
        pos += static_cast<std::uint64_t>(n);
    }
    return true;
}

std::uint64_t ArchiveReader::dataOffset() const
{
    return static_cast<std::uint64_t>(archive_filter_bytes(a_, 0));
}

void ArchiveReader::skipData()
{
    if (archive_read_data_skip(a_) != ARCHIVE_OK)
        raise("damaged or truncated archive");
}

} // namespace atmo
