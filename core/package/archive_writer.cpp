#include "core/package/archive_writer.h"

#include <archive.h>
#include <archive_entry.h>

#include "core/base/result.h"

namespace atmo {

namespace {

struct SinkContext {
    ArchiveWriter::Sink* sink;
    std::string error;
};

la_ssize_t writeCallback(archive* a, void* clientData, const void* buffer, size_t length)
{
    auto* sink = static_cast<ArchiveWriter::Sink*>(clientData);
    try {
        (*sink)(buffer, length);
    } catch (const std::exception& e) {
        archive_set_error(a, EIO, "%s", e.what());
        return -1;
    }
    return static_cast<la_ssize_t>(length);
}

} // namespace

ArchiveWriter::ArchiveWriter(Sink sink, Compression compression, std::string nameForErrors)
    : a_(archive_write_new()), sink_(std::move(sink)), name_(std::move(nameForErrors))
{
    if (!a_)
        throw Failure(name_ + ": out of memory");
    if (archive_write_set_format_pax_restricted(a_) != ARCHIVE_OK)
        raise("cannot select the pax tar format");
    if (compression == Compression::Zstd) {
        if (archive_write_add_filter_zstd(a_) != ARCHIVE_OK)
            raise("zstd compression is not available");
        archive_write_set_filter_option(a_, "zstd", "compression-level", "3");
    } else {
        archive_write_add_filter_none(a_);
    }
    // Large blocks: fewer, bigger writes to the sink; no padding of the last one.
    archive_write_set_bytes_per_block(a_, 1 << 20);
    archive_write_set_bytes_in_last_block(a_, 1);
    if (archive_write_open2(a_, &sink_, nullptr, writeCallback, nullptr, nullptr) != ARCHIVE_OK)
        raise("cannot start the archive");
}

ArchiveWriter::~ArchiveWriter()
{
    if (a_) {
        if (!closed_)
            archive_write_fail(a_);
        archive_write_free(a_);
    }
}

void ArchiveWriter::raise(const std::string& what)
{
    const char* detail = a_ ? archive_error_string(a_) : nullptr;
    throw Failure(name_ + ": " + what + (detail && *detail ? std::string(" (") + detail + ")" : std::string()));
}

void ArchiveWriter::beginEntry(const std::string& path, std::uint64_t size, std::int64_t mtime)
{
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname_utf8(e, path.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(size));
    archive_entry_set_mtime(e, mtime, 0);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    archive_entry_set_uname(e, "root");
    archive_entry_set_gname(e, "root");
    const int rc = archive_write_header(a_, e);
    archive_entry_free(e);
    if (rc != ARCHIVE_OK)
        raise("cannot write the header of " + path);
}

void ArchiveWriter::write(const void* data, std::size_t size)
{
    auto p = static_cast<const char*>(data);
    while (size > 0) {
        const la_ssize_t n = archive_write_data(a_, p, size);
        if (n <= 0)
            raise("write failed");
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

void ArchiveWriter::endEntry()
{
    if (archive_write_finish_entry(a_) != ARCHIVE_OK)
        raise("cannot finish an entry");
}

void ArchiveWriter::addEntry(const std::string& path, std::string_view data, std::int64_t mtime)
{
    beginEntry(path, data.size(), mtime);
    write(data.data(), data.size());
    endEntry();
}

void ArchiveWriter::close()
{
    if (archive_write_close(a_) != ARCHIVE_OK)
        raise("cannot finish the archive");
    closed_ = true;
}

} // namespace atmo
