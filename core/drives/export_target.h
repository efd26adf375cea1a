// Where an export writes: the byte-level target interface, and the real
// one, a directory (core/drives/export_target.cpp has why it writes with O_DIRECT).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace atmo {

// The byte-level target of an export; tests substitute faulty devices.
class ExportTarget {
public:
    virtual ~ExportTarget() = default;
    virtual std::string name() const = 0;                     // for messages
    virtual std::filesystem::path directory() const = 0;
    virtual void open(const std::string& finalName) = 0;      // create the temp file
    virtual void write(const void* data, std::size_t size) = 0;
    virtual void sync() = 0;                                  // fsync file + dir
    virtual void dropCache() = 0;
    virtual std::size_t readBack(std::uint64_t offset, void* buf, std::size_t size) = 0; // 0 at end
    virtual void commit() = 0;                                // rename to the final name
    virtual void discard() = 0;                               // remove the temp file
    virtual std::uint64_t freeBytes() const = 0;
    virtual bool readOnly() const = 0;
};

// The real thing: a directory (a mounted drive, or any folder).
std::unique_ptr<ExportTarget> directoryTarget(const std::filesystem::path& dir);

} // namespace atmo
