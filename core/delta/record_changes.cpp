#include "core/delta/record_changes.h"

#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/base/sha256.h"
#include "core/delta/chunker.h"
#include "core/delta/file_blocks.h"

namespace atmo::delta {

namespace {

namespace fs = std::filesystem;

// "i:<id>" for a record with an id, "c:<sha-256>" for one without.
struct Record {
    std::string key;
    Digest content;
};

std::string idOf(std::string_view line)
{
    // A quick look before parsing: most lines of a knowledge file have an id.
    if (line.find("\"id\"") == std::string_view::npos)
        return {};
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object())
        return {};
    const auto it = j.find("id");
    if (it == j.end())
        return {};
    if (it->is_string())
        return "s:" + it->get<std::string>();
    if (it->is_number_integer() || it->is_number_unsigned())
        return "n:" + it->dump();
    return {};
}

template <class F>
void forEachRecord(const fs::path& file, const CancelToken& cancel, F&& onRecord)
{
    const UniqueFd fd = openForReading(file);
    BlockReader in(fd.get(), file);
    const LineChunker lines;
    Sha256 sha;
    for (;;) {
        const std::size_t have = in.available(lines.maxSize());
        if (have == 0)
            return;
        cancel.check();
        const std::size_t n = lines.cut(in.data(), have, in.atEnd());
        std::string_view line(reinterpret_cast<const char*>(in.data()), n);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") != std::string_view::npos) {
            sha.update(line);
            Record r{idOf(line), sha.finish()};
            if (r.key.empty())
                r.key = "c:" + toHex(r.content);
            onRecord(std::move(r));
        }
        in.consume(n);
    }
}

} // namespace

Result<RecordChanges> compareRecords(const fs::path& base, const fs::path& target, const CancelToken& cancel)
{
    return guarded([&]() -> Result<RecordChanges> {
        // Each base record's content, by key; a key seen twice keeps a count.
        struct Seen {
            Digest content;
            std::uint32_t count;
        };
        std::unordered_map<std::string, Seen> before;
        forEachRecord(base, cancel, [&](Record r) {
            auto [it, fresh] = before.try_emplace(std::move(r.key), Seen{r.content, 0});
            ++it->second.count;
        });
        RecordChanges c;
        forEachRecord(target, cancel, [&](Record r) {
            const auto it = before.find(r.key);
            if (it == before.end() || it->second.count == 0) {
                ++c.added;
                return;
            }
            --it->second.count;
            if (it->second.content == r.content)
                ++c.unchanged;
            else
                ++c.updated;
        });
        for (const auto& [key, seen] : before)
            c.removed += seen.count;
        return c;
    });
}

} // namespace atmo::delta
