// Writes a POSIX pax tar (optionally zstd-compressed) through libarchive to a
// byte sink, so callers can hash or fan out what is written.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

struct archive;

namespace atmo {

enum class Compression { None, Zstd };

class ArchiveWriter {
public:
    using Sink = std::function<void(const void* data, std::size_t size)>; // may throw Failure

    ArchiveWriter(Sink sink, Compression compression, std::string nameForErrors);
    ~ArchiveWriter();
    ArchiveWriter(const ArchiveWriter&) = delete;
    ArchiveWriter& operator=(const ArchiveWriter&) = delete;

    // A regular file entry, mode 0644, owned by root:root, at mtime.
    void beginEntry(const std::string& path, std::uint64_t size, std::int64_t mtime);
    void write(const void* data, std::size_t size);
    void endEntry();
    void addEntry(const std::string& path, std::string_view data, std::int64_t mtime);
    void close(); // writes the end-of-archive marker and flushes the sink

private:
    [[noreturn]] void raise(const std::string& what);
    archive* a_ = nullptr;
    Sink sink_;
    std::string name_;
    bool closed_ = false;
};

} // namespace atmo
