// One node's catalog on the wire: its entries and the `model_catalog` gossip
// message (PROTOCOL.md, protocol 1.0), as plain structs with JSON in and out
// (nlohmann-json inside core; nothing of it leaks through this header). The
// search filter over entries: core/mesh/catalog_filter.h.
//
// Parsing is lenient per entry and strict per field: a peer's catalog with one
// malformed entry still yields the others, and each rejected entry comes back
// with a one-line reason naming the entry and the field. Unknown fields are
// ignored (old peers ignore our new fields, we ignore theirs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace atmo {

struct CatalogEntry {
    // Required by the bridge's own tests.
    std::string modelId;       // "{name}" or "{name}_{timestamp}"; unique per node
    std::string name;
    std::string type;          // vision | llm | audio | embedding (others kept as given)
    std::string format;        // pt | gguf | tflite | onnx | ...
    std::uint64_t sizeBytes = 0;
    std::string sha256;        // lowercase hex of the whole file
    std::string version;
    // Optional.
    std::vector<std::string> capabilities;
    std::vector<std::string> classes;
    std::optional<std::int64_t> classCount;
    std::string baseModel;
    std::optional<std::int64_t> contextLength;
    std::string source;        // huggingface | llamafarm_training | imported
    std::string sourceRef;
    std::string metadataJson = "{}"; // the `metadata` object, compact JSON text
    // Station extension: size of the chunks whose hashes
    // GET /v1/models/{id}/chunks lists; 0 when the node offers none.
    std::uint64_t chunkSize = 0;

    bool operator==(const CatalogEntry&) const = default;
};

// A model_id may be used in a URL path segment and as a file stem:
// [A-Za-z0-9][A-Za-z0-9._-]*, at most 200 bytes, and never "." or "..".
bool isValidModelId(std::string_view id);

// A node_id is only ever a key and a label (the bridge's default is
// "llamafarm-unknown", a station's 16 hex digits from its node key):
// 1..128 bytes of printable ASCII without spaces.
bool isValidNodeId(std::string_view id);

// Catalog text larger than this is refused before it is parsed.
inline constexpr std::size_t kMaxCatalogTextBytes = 64u * 1024 * 1024;

struct RejectedEntry {
    std::string modelId;   // as given (control bytes replaced, at most 64 bytes), or
                           // "#<index>" when there was no model_id string
    std::string reason;    // "size_bytes is missing", "sha256 is not 64 hex digits", ...
    std::string text() const { return modelId + ": " + reason; }
};

// The JSON object of one entry (never a local path).
std::string catalogEntryToJson(const CatalogEntry& entry);
Result<CatalogEntry> parseCatalogEntry(std::string_view json);

// GET /v1/models: {"models":[...]}.
struct ModelList {
    std::vector<CatalogEntry> models;
    std::vector<RejectedEntry> rejected;
};
std::string modelListToJson(const std::vector<CatalogEntry>& models);
Result<ModelList> parseModelList(std::string_view json); // fails only if not that shape at all

// The `model_catalog` message (GET /v1/catalog, and relay gossip).
struct CatalogMessage {
    std::string nodeId;
    std::string nodeName;
    std::int64_t timestampMs = 0;
    std::vector<CatalogEntry> models;
    std::string httpEndpoint;   // transfer_endpoints.http, "" if none
    bool websocket = false;     // transfer_endpoints.websocket
    std::int64_t ttlSeconds = 300;
    std::vector<RejectedEntry> rejected; // filled by parse
};
std::string catalogMessageToJson(const CatalogMessage& message);
Result<CatalogMessage> parseCatalogMessage(std::string_view json);

// Type and format from a file name by the bridge's rules (PROTOCOL.md "How a
// bridge builds its catalog"; the extension is the text after the last '.',
// lower-cased, as Python's Path.suffix, so ".gguf" alone has none):
// .gguf -> llm/gguf; .pt, .bin, .safetensors -> format pt, type vision when
// `nameHint` contains "yolo" (case-insensitive; the bridge looks at the
// Hugging Face repo name, the station at the file name when there is no
// repo), else llm; .tflite, .onnx -> vision/tflite, vision/onnx. nullopt for
// anything else. (The capabilities that go with them: core/mesh/library_layouts.cpp.)
struct ModelKind {
    std::string type;
    std::string format;
};
std::optional<ModelKind> modelKindFromFileName(std::string_view fileName,
                                               std::string_view nameHint = {});

} // namespace atmo
