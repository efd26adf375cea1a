// Where a delta cuts a file into pieces: the same rule on the base and on the
// target, so that an unchanged piece is found again by its hash wherever it
// moved.
//
// ContentChunker is content-defined chunking (FastCDC's gear hash with
// normalized chunking): a cut depends only on the 48 or so bytes before it,
// so an insertion or a deletion moves the cuts after it along with the data
// and the pieces resynchronize within a chunk or two. Pieces are 16 KiB to
// 256 KiB, 64 KiB on average.
//
// LineChunker cuts after each '\n' (a JSONL knowledge file: one piece per
// record), so a record that did not change is found by its hash wherever
// records around it were added, removed or updated. A line longer than
// kMaxLine is cut at kMaxLine, so a file without newlines still works.
#pragma once

#include <cstddef>
#include <cstdint>

namespace atmo::delta {

class Chunker {
public:
    virtual ~Chunker() = default;
    // The largest piece this chunker makes.
    virtual std::size_t maxSize() const = 0;
    // The length of the first piece of data[0, size). The caller passes at
    // least maxSize() bytes unless the file ends sooner (atEnd); the result
    // is then between 1 and min(size, maxSize()).
    virtual std::size_t cut(const std::uint8_t* data, std::size_t size, bool atEnd) const = 0;
};

class ContentChunker final : public Chunker {
public:
    static constexpr std::size_t kMin = 16 * 1024;
    static constexpr std::size_t kAverage = 64 * 1024;
    static constexpr std::size_t kMax = 256 * 1024;
    std::size_t maxSize() const override { return kMax; }
    std::size_t cut(const std::uint8_t* data, std::size_t size, bool atEnd) const override;
};

class LineChunker final : public Chunker {
public:
    static constexpr std::size_t kMaxLine = 1024 * 1024;
    std::size_t maxSize() const override { return kMaxLine; }
    std::size_t cut(const std::uint8_t* data, std::size_t size, bool atEnd) const override;
};

} // namespace atmo::delta
