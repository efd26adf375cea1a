// Small POSIX file helpers: owned descriptors, files that appear under their
// final name only once complete and durable, free space, whole-file reads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace atmo {

class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    ~UniqueFd() { reset(); }
    UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
    UniqueFd& operator=(UniqueFd&& o) noexcept
    {
        if (this != &o) {
            reset();
            fd_ = o.release();
        }
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release()
    {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset(int fd = -1);

private:
    int fd_ = -1;
};

// A file that appears under its final name only once complete and durable.
// It is written as an unnamed O_TMPFILE in the target's directory, so a
// killed writer leaves nothing behind (the kernel frees it). On a filesystem
// without O_TMPFILE (vfat, exfat, some network mounts) it is written under a
// hidden ".<name>.part-XXXXXX" held with an exclusive flock; the next
// AtomicFile for the same final name removes such parts whose writer is gone
// (no lock held). commit() fsyncs, gives the file its final name (atomically
// replacing an old one, or refusing to when !overwrite) and fsyncs the
// directory; destruction without commit() removes it.
class AtomicFile {
public:
    explicit AtomicFile(std::filesystem::path finalPath, unsigned mode = 0644);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    int fd() const { return fd_.get(); }
    const std::filesystem::path& finalPath() const { return final_; }
    // Throws Failure naming the file. Starts writeback every 32 MiB so the
    // final fsync is short and dirty pages stay bounded.
    void write(const void* data, std::size_t size);
    void write(std::string_view data) { write(data.data(), data.size()); }
    void sync();                                     // fsync the data
    void commit(bool overwrite = true);              // throws Failure if the final name exists and !overwrite
    void discard();

private:
    std::filesystem::path final_;
    std::filesystem::path temp_; // empty for an unnamed (O_TMPFILE) file
    UniqueFd fd_;
    bool done_ = false;
    std::uint64_t written_ = 0, flushed_ = 0; // for early writeback
};

// Removes the ".<name>.part-*" files in dir that no live writer holds an
// flock on: what a killed writer left behind. A writer of such a part takes
// flock(LOCK_EX) on it right after creating it.
void removeStaleParts(const std::filesystem::path& dir, const std::string& name);

void writeAll(int fd, const void* data, std::size_t size, const std::string& what);
void fsyncPath(const std::filesystem::path& path);       // file or directory; throws Failure
void fsyncDirectory(const std::filesystem::path& dir);   // throws Failure
std::uint64_t freeSpace(const std::filesystem::path& path); // bytes available to this user; 0 if unknown
Result<std::string> readFile(const std::filesystem::path& path, std::uint64_t maxBytes = 64u << 20);
Status writeFileAtomic(const std::filesystem::path& path, std::string_view data, unsigned mode = 0644);
std::string randomSuffix(std::size_t chars = 8);
// A byte count in the largest binary unit that keeps it under 1000: 1008 MiB
// is 0.98 GiB, never "1008.0 MiB". unit is "B", "KiB", "MiB", "GiB" or
// "TiB". The CLI (humanBytes) and the window (Format::bytes) both scale
// with this, so one size reads the same everywhere.
struct ScaledBytes {
    double value = 0;
    const char* unit = "B";
};
ScaledBytes scaleBytes(std::uint64_t bytes);
std::string humanBytes(std::uint64_t bytes); // "1.5 GiB", one decimal; "57 B"
std::string utcTimestamp();                  // "2026-11-21T16:07:38Z"

} // namespace atmo
