// Internals of DownloadJournal shared by its two source files
// (download_journal.cpp: open, validate, rewrite, close; download_journal_chunks.cpp:
// writing and committing chunks, the running hash, finish). Not an API:
// include only from those.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/download_journal.h"
#include "core/fs_util.h"
#include "core/sha256.h"

namespace atmo::journal_detail {

enum ChunkState : std::uint8_t { Missing, Claimed, Done };

inline constexpr std::uint64_t kWritebackEvery = 1u << 20;

std::string errnoText();
// One journal line: the payload, a space, and a check over the payload.
std::string record(const std::string& payload);
void syncData(int fd, const std::filesystem::path& path);
void pwriteAll(int fd, const std::filesystem::path& path, const char* data, std::size_t size,
               std::uint64_t offset);
// Reads [offset, offset + length) in blocks, handing each to `sink`; a file
// that ends early is a Failure.
void readRange(int fd, const std::filesystem::path& path, std::uint64_t offset, std::uint64_t length,
               std::string& buf, const std::function<void(const char*, std::size_t)>& sink);

struct FileId {
    std::uint64_t dev = 0, ino = 0;
    std::int64_t birthNs = 0; // 0 where the filesystem does not tell
    bool operator==(const FileId&) const = default;
};

} // namespace atmo::journal_detail

namespace atmo {

struct DownloadJournal::State {
    std::filesystem::path dir, part, journal;
    UniqueFd partFd, journalFd;
    journal_detail::FileId partId;

    std::mutex mutex; // chunk states; pwrite against claims
    std::vector<std::uint8_t> chunk;
    std::vector<bool> directWriter;
    std::vector<std::string> recorded; // each done chunk's hash as written ("" if not hashed)
    std::uint32_t doneCount = 0;
    std::uint64_t doneBytes = 0;
    bool spent = false;
    bool alreadyComplete = false;

    std::mutex journalMutex;

    std::mutex hashMutex;
    Sha256 running;
    std::uint32_t hashedUpTo = 0; // chunks [0, hashedUpTo) are in `running`
    bool hashBroken = false;

    void append(const std::string& payload)
    {
        const std::string line = journal_detail::record(payload);
        std::lock_guard lock(journalMutex);
        writeAll(journalFd.get(), line.data(), line.size(), journal.string());
        journal_detail::syncData(journalFd.get(), journal);
    }
};

} // namespace atmo
