// Making a delta: the bytes a target file shares with a base file are named
// by where they are in the base (COPY), the rest travels compressed (DATA).
//
// Why this design (content-defined chunks, strong hashes, zstd against the
// nearby base region), not a stock tool: models are gigabytes, and
// `zstd --patch-from` keeps the whole base in its window (at most 2 GiB),
// xdelta3 and bsdiff either cap the source window or need memory in
// proportion to the file. Here:
//  - the base is cut into content-defined chunks (chunker.h) and indexed by
//    SHA-256: about 1.3 MiB per GiB of base (measured), so memory
//    stays far under 256 MiB for any model a device can hold;
//  - the target is cut by the same rule; a chunk found in the index is a
//    COPY, so unchanged data is found wherever it moved (an insertion near
//    the start shifts everything after it and costs only the insertion);
//  - runs of new chunks (at most 1 MiB) are compressed with zstd (level 3,
//    long-distance matching) against the base region where they would be
//    if nothing had moved (the position after the last COPY, 1 MiB either
//    side), so a chunk that changed in a few places costs about those
//    places, not the whole chunk; when that does not help they go plain
//    zstd or raw, whichever is smallest.
// Both files are read once, front to back, in 8 MiB blocks; the delta is
// written through an AtomicFile (a killed run leaves nothing).
//
// A JSONL knowledge file is the same with Kind::Records: one chunk per
// line, so the delta carries the added and updated records (updated ones
// compressed against their old version) and drops the removed ones, and the
// rebuilt file is byte-identical to the target.
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/base/cancel_token.h"
#include "core/base/progress.h"
#include "core/base/result.h"
#include "core/delta/delta_format.h"

namespace atmo::delta {

struct Stats {
    Header header;
    std::uint64_t copiedBytes = 0;  // target bytes rebuilt from the base
    std::uint64_t newBytes = 0;     // target bytes carried in DATA ops (before compression)
    std::uint64_t deltaBytes = 0;   // size of the .delta file
    std::uint64_t copyOps = 0;
    std::uint64_t dataOps = 0;
};

struct CreateOptions {
    Kind kind = Kind::Binary;
    int level = 3; // zstd level for new bytes
};

// Writes `out` (replacing it) so that applyDelta(base, out) rebuilds target.
// Progress: Phase::Hashing over the base, then Phase::Writing over the
// target. Fails naming the file: NotFound, Io, NoSpace, Cancelled.
Result<Stats> createDelta(const std::filesystem::path& base, const std::filesystem::path& target,
                          const std::filesystem::path& out, const CreateOptions& options = {},
                          ProgressReporter* progress = nullptr, const CancelToken& cancel = {});

} // namespace atmo::delta
