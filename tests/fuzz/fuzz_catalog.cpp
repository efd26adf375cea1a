// A peer's catalog (core/mesh/catalog_wire.h): GET /v1/models, the model_catalog
// message (GET /v1/catalog and relay gossip) and one entry. Whatever is
// accepted must serialise and parse back to the same entries, since a
// station relays what it accepted to other peers.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/mesh/catalog_filter.h"
#include "core/mesh/catalog_wire.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto list = atmo::parseModelList(text)) {
        auto again = atmo::parseModelList(atmo::modelListToJson(list->models));
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(again->rejected.empty());
        FUZZ_CHECK(again->models == list->models);
        for (const auto& e : list->models) {
            FUZZ_CHECK(atmo::isValidModelId(e.modelId));
            (void)atmo::CatalogFilter{e.name.substr(0, 8), e.type, "", ""}.matches(e);
        }
        for (const auto& r : list->rejected)
            (void)r.text();
    }
    if (auto msg = atmo::parseCatalogMessage(text)) {
        auto again = atmo::parseCatalogMessage(atmo::catalogMessageToJson(*msg));
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(again->models == msg->models);
        FUZZ_CHECK(again->nodeId == msg->nodeId);
    }
    if (auto entry = atmo::parseCatalogEntry(text)) {
        auto again = atmo::parseCatalogEntry(atmo::catalogEntryToJson(*entry));
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(*again == *entry);
    }
    (void)atmo::modelKindFromFileName(text.substr(0, 256), text.substr(std::min<std::size_t>(256, size)));
    return 0;
}
