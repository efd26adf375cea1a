// What changed between two JSONL knowledge files, record by record, for a
// delta manifest's `chunks_added`, `chunks_removed` and `chunks_updated`.
// Records are matched by their "id" field (a string or a number); a record
// without one (or a line that is not a JSON object) is matched by its
// content, so it can be added or removed but never "updated". Blank lines
// are not records. Memory: one id and one hash per base record.
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/base/cancel_token.h"
#include "core/base/result.h"

namespace atmo::delta {

struct RecordChanges {
    std::uint64_t added = 0;
    std::uint64_t removed = 0;
    std::uint64_t updated = 0;   // same id, other content
    std::uint64_t unchanged = 0;
};

Result<RecordChanges> compareRecords(const std::filesystem::path& base, const std::filesystem::path& target,
                                     const CancelToken& cancel = {});

} // namespace atmo::delta
