// Streams the entries of a tar archive (pax, ustar or GNU; uncompressed or
// zstd, detected) through libarchive without extracting anything itself.
// Safety decisions (links, devices, paths) are the caller's: it gets the raw
// entry type and name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/package/archive_writer.h"
#include "core/base/fs_util.h"
#include "core/base/result.h"

struct archive;

namespace atmo {

// A damaged or truncated archive (as opposed to any other failure).
class ArchiveDamaged : public Failure {
public:
    using Failure::Failure;
};

struct EntryInfo {
    std::string path;        // as stored (not normalised)
    bool regular = false;
    bool directory = false;
    bool link = false;       // symbolic or hard link
    std::string typeName;    // "file", "directory", "symlink", "hardlink", "device", "fifo", "socket"
    std::uint64_t size = 0;
    bool sparse = false;
};

class ArchiveReader {
public:
    static Result<std::unique_ptr<ArchiveReader>> open(const std::filesystem::path& file);
    ~ArchiveReader();

    // Next entry header; false at the end. Throws ArchiveDamaged on a damaged archive.
    bool next(EntryInfo& entry);
    // Next block of the current entry's data; false at the entry's end. The
    // block stays valid until the next call. Throws ArchiveDamaged on damage.
    bool readBlock(const void*& data, std::size_t& size);
    Compression compression() const { return compression_; }
    std::uint64_t fileSize() const { return fileSize_; }
    std::uint64_t bytesConsumed() const; // compressed bytes read from the file so far
    // After next() returned false: true when nothing but zero padding follows
    // the end-of-archive marker (a tar with another glued on is refused).
    // For zstd, true when the compressed stream ended with the archive.
    bool onlyZerosFollow();

    // For random access to an uncompressed archive: the file offset where the
    // current entry's data starts, skipping it without reading, and the file.
    std::uint64_t dataOffset() const;
    void skipData();
    int fd() const { return fd_.get(); }

private:
    ArchiveReader() = default;
    [[noreturn]] void raise(const std::string& what);
    archive* a_ = nullptr;
    UniqueFd fd_;
    std::filesystem::path file_;
    std::uint64_t fileSize_ = 0;
    std::int64_t expectedOffset_ = 0;
    Compression compression_ = Compression::None;
};

} // namespace atmo
