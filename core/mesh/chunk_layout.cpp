#include "core/mesh/chunk_layout.h"
#include "core/base/text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace atmo {

using json = nlohmann::json;

Result<ChunkLayout> makeChunkLayout(std::uint64_t size, std::uint64_t chunkSize)
{
    if (chunkSize < kMinDownloadChunkSize || chunkSize > kMaxDownloadChunkSize)
        return fail("chunk size " + std::to_string(chunkSize) + " is not between 4 KiB and 1 GiB");
    ChunkLayout layout{size, chunkSize};
    if (size / chunkSize >= kMaxDownloadChunks)
        return fail("chunk size " + std::to_string(chunkSize) + " makes more than " +
                    std::to_string(kMaxDownloadChunks) + " chunks of a " + std::to_string(size) +
                    "-byte file");
    return layout;
}

std::uint64_t defaultChunkSize(std::uint64_t size)
{
    std::uint64_t chunk = kDownloadChunkSize;
    while (chunk < kMaxDownloadChunkSize && size / chunk >= kMaxDownloadChunks)
        chunk *= 2;
    return chunk;
}

bool isSha256Hex(std::string_view hex)
{
    return hex.size() == 64 && std::all_of(hex.begin(), hex.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

Result<ChunkList> parseChunkList(std::string_view text, std::string_view modelId, std::uint64_t size,
                                 std::string_view sha256)
{
    const std::string who(modelId);
    // A list is an object of strings and one flat array: anything nested
    // deeper is dropped while parsing instead of being built.
    bool tooDeep = false;
    json j = json::parse(
        text.begin(), text.end(),
        [&tooDeep](int depth, json::parse_event_t, json&) {
            tooDeep = tooDeep || depth > 4;
            return depth <= 4;
        },
        false);
    if (tooDeep)
        return fail(who + ": the chunk list is nested too deep");
    if (j.is_discarded() || !j.is_object())
        return fail(who + ": the chunk list is not a JSON object");

    ChunkList list;
    const auto str = [&](const char* key) -> Result<std::string> {
        auto it = j.find(key);
        if (it == j.end() || !it->is_string())
            return fail(who + ": chunk list field " + key + " is missing or not a string");
        return it->get<std::string>();
    };
    auto id = str("model_id");
    if (!id)
        return id.error();
    if (*id != modelId)
        return fail(who + ": the chunk list is for model " + *id);
    list.modelId = *id;

    auto whole = str("sha256");
    if (!whole)
        return whole.error();
    list.sha256 = lower(*whole);
    if (list.sha256 != lower(std::string(sha256)))
        return fail(who + ": the chunk list is for other bytes (sha256 " + list.sha256 + ")");

    auto cs = j.find("chunk_size");
    if (cs == j.end() || !cs->is_number_unsigned())
        return fail(who + ": chunk list field chunk_size is missing or not a positive integer");
    list.chunkSize = cs->get<std::uint64_t>();
    auto layout = makeChunkLayout(size, list.chunkSize);
    if (!layout)
        return fail(who + ": " + layout.message());

    auto chunks = j.find("chunks");
    if (chunks == j.end() || !chunks->is_array())
        return fail(who + ": chunk list field chunks is missing or not a list");
    if (chunks->size() != layout->count())
        return fail(who + ": chunks has " + std::to_string(chunks->size()) + " hashes, expected " +
                    std::to_string(layout->count()));
    list.hashes.reserve(chunks->size());
    for (std::size_t i = 0; i < chunks->size(); ++i) {
        const json& h = (*chunks)[i];
        std::string hex = h.is_string() ? lower(h.get<std::string>()) : std::string();
        if (!isSha256Hex(hex))
            return fail(who + ": chunks[" + std::to_string(i) + "] is not 64 hex digits");
        list.hashes.push_back(std::move(hex));
    }
    return list;
}

} // namespace atmo
