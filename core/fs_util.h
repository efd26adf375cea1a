// Small POSIX file helpers: owned descriptors, files that appear under their
// final name only once complete and durable, free space, whole-file reads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

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

// A file written under a hidden temporary name in the target's directory
// (".<name>.part-XXXXXX"). commit() fsyncs it, renames it to its final name
// and fsyncs the directory; destruction without commit() removes it. So an
// interrupted write never leaves a file under the final name.
class AtomicFile {
public:
    explicit AtomicFile(std::filesystem::path finalPath, unsigned mode = 0644);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    int fd() const { return fd_.get(); }
    const std::filesystem::path& tempPath() const { return temp_; }
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
    std::filesystem::path temp_;
    UniqueFd fd_;
    bool done_ = false;
    std::uint64_t written_ = 0, flushed_ = 0; // for early writeback
};

void writeAll(int fd, const void* data, std::size_t size, const std::string& what);
void fsyncPath(const std::filesystem::path& path);       // file or directory; throws Failure
void fsyncDirectory(const std::filesystem::path& dir);   // throws Failure
std::uint64_t freeSpace(const std::filesystem::path& path); // bytes available to this user; 0 if unknown
Result<std::string> readFile(const std::filesystem::path& path, std::uint64_t maxBytes = 64u << 20);
Status writeFileAtomic(const std::filesystem::path& path, std::string_view data, unsigned mode = 0644);
std::string randomSuffix(std::size_t chars = 8);
std::string humanBytes(std::uint64_t bytes); // "1.5 GiB"
std::string utcTimestamp();                  // "2026-11-21T16:07:38Z"

} // namespace atmo
