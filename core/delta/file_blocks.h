// Reading a file for a delta: sequential blocks for chunking, and exact
// reads at an offset for COPY ops and base regions. Failures throw Failure
// naming the file (Io), caught at the delta functions' boundaries.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/base/fs_util.h"

namespace atmo::delta {

UniqueFd openForReading(const std::filesystem::path& file); // throws NotFound / Io
std::uint64_t sizeOf(int fd, const std::filesystem::path& file);
// Reads exactly size bytes at offset; throws when the file is shorter.
void readAt(int fd, std::uint64_t offset, void* out, std::size_t size, const std::filesystem::path& file);

// A file read front to back through one buffer, handing out what a chunker
// needs: at least `lookahead` bytes ahead of the current position unless
// the file ends sooner.
class BlockReader {
public:
    BlockReader(int fd, std::filesystem::path file, std::size_t block = 8u << 20);
    // Makes at least `want` bytes available (fewer only at the end).
    std::size_t available(std::size_t want);
    const std::uint8_t* data() const { return buf_.data() + pos_; }
    void consume(std::size_t n) { pos_ += n, offset_ += n; }
    bool atEnd() const { return eof_; }
    std::uint64_t offset() const { return offset_; } // of data()

private:
    int fd_;
    std::filesystem::path file_;
    std::vector<std::uint8_t> buf_;
    std::size_t pos_ = 0, end_ = 0;
    std::uint64_t offset_ = 0;
    bool eof_ = false;
};

} // namespace atmo::delta
