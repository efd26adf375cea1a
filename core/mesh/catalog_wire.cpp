#include "core/mesh/catalog_wire.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <stdexcept>
#include <unordered_set>

#include "core/mesh/mesh_peer.h"
#include "core/base/text.h"

namespace atmo {

using json = nlohmann::json;
// Output keeps the protocol's field order, so our JSON reads like the bridge's.
using ojson = nlohmann::ordered_json;

namespace {

// Catalogs come from any peer on the LAN. Besides the text size, the number of
// JSON values and the nesting are bounded while parsing, so a hostile catalog
// cannot make the DOM eat gigabytes or the (recursive) serializer of a
// `metadata` object overflow the stack.
constexpr int kMaxCatalogDepth = 32;
constexpr std::size_t kMaxJsonEvents = 4'000'000;
constexpr std::size_t kMaxModels = 100'000;
constexpr std::size_t kMaxMetadataBytes = 64 * 1024;
constexpr std::size_t kMaxLongString = 1024;   // name, base_model, source_ref
constexpr std::size_t kMaxShortString = 256;   // type, version, source, capabilities, classes
constexpr std::size_t kMaxFormat = 32;
constexpr std::size_t kMaxListItems = 65'536;
constexpr std::int64_t kMaxTtlSeconds = 24 * 3600;
constexpr std::uint64_t kMinChunkSize = 4096;
constexpr std::uint64_t kMaxChunkSize = 1ull << 30;

// A field of one entry is wrong: the entry is rejected with this reason.
struct BadField : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// The document as a whole is unusable.
struct BadDocument : std::runtime_error {
    using std::runtime_error::runtime_error;
};

json parseBounded(std::string_view text, const std::string& what)
{
    if (text.size() > kMaxCatalogTextBytes)
        throw BadDocument(what + ": " + std::to_string(text.size()) +
                          " bytes is larger than the 64 MiB a catalog may be");
    std::size_t events = 0;
    auto guard = [&events](int depth, json::parse_event_t, json&) {
        if (depth > kMaxCatalogDepth)
            throw BadDocument("nested deeper than " + std::to_string(kMaxCatalogDepth) + " levels");
        if (++events > kMaxJsonEvents)
            throw BadDocument("more than " + std::to_string(kMaxJsonEvents) + " JSON values");
        return true;
    };
    try {
        return json::parse(text.begin(), text.end(), guard);
    } catch (const json::parse_error& e) {
        // Not e.what(): it quotes the input, which may hold control bytes.
        throw BadDocument(what + ": not valid JSON (syntax error at byte " +
                          std::to_string(e.byte) + ")");
    } catch (const BadDocument& e) {
        throw BadDocument(what + ": " + e.what());
    }
}

// Hostile ids end up in messages: keep them on one short line.
std::string displayable(std::string_view s)
{
    constexpr std::size_t kMax = 64;
    std::string out;
    std::size_t n = std::min(s.size(), kMax);
    if (n < s.size())
        while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
            --n; // do not cut a UTF-8 sequence
    out.reserve(n + 3);
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
    }
    if (n < s.size())
        out += "...";
    return out;
}

bool hasControl(std::string_view s)
{
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f)
            return true;
    return false;
}

const json* optionalField(const json& obj, const char* key)
{
    const auto it = obj.find(key);
    // The bridge serializes Python's None as null for optional fields.
    return (it == obj.end() || it->is_null()) ? nullptr : &*it;
}

void checkText(const char* key, const std::string& s, std::size_t maxLen)
{
    if (s.size() > maxLen)
        throw BadField(std::string(key) + " is longer than " + std::to_string(maxLen) + " bytes");
    if (hasControl(s))
        throw BadField(std::string(key) + " contains control characters");
}

std::string requiredString(const json& obj, const char* key, std::size_t maxLen, bool nonEmpty)
{
    const json* v = optionalField(obj, key);
    if (!v)
        throw BadField(std::string(key) + " is missing");
    if (!v->is_string())
        throw BadField(std::string(key) + " is not a string");
    const auto& s = v->get_ref<const std::string&>();
    if (nonEmpty && s.empty())
        throw BadField(std::string(key) + " is empty");
    checkText(key, s, maxLen);
    return s;
}

std::string optionalString(const json& obj, const char* key, std::size_t maxLen)
{
    const json* v = optionalField(obj, key);
    if (!v)
        return {};
    if (!v->is_string())
        throw BadField(std::string(key) + " is not a string");
    checkText(key, v->get_ref<const std::string&>(), maxLen);
    return v->get<std::string>();
}

std::uint64_t nonNegativeInteger(const json& v, const char* key)
{
    if (v.is_number_unsigned())
        return v.get<std::uint64_t>();
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0)
        return static_cast<std::uint64_t>(v.get<std::int64_t>());
    throw BadField(std::string(key) + " is not a non-negative integer");
}

std::optional<std::int64_t> optionalCount(const json& obj, const char* key)
{
    const json* v = optionalField(obj, key);
    if (!v)
        return std::nullopt;
    const std::uint64_t n = nonNegativeInteger(*v, key);
    if (n > static_cast<std::uint64_t>(INT64_MAX))
        throw BadField(std::string(key) + " is too large");
    return static_cast<std::int64_t>(n);
}

std::vector<std::string> optionalStringList(const json& obj, const char* key)
{
    const json* v = optionalField(obj, key);
    if (!v)
        return {};
    if (!v->is_array())
        throw BadField(std::string(key) + " is not a list of strings");
    if (v->size() > kMaxListItems)
        throw BadField(std::string(key) + " has more than " + std::to_string(kMaxListItems) +
                       " items");
    std::vector<std::string> out;
    out.reserve(v->size());
    for (const auto& item : *v) {
        if (!item.is_string())
            throw BadField(std::string(key) + " is not a list of strings");
        const auto& s = item.get_ref<const std::string&>();
        checkText(key, s, kMaxShortString);
        out.push_back(s);
    }
    return out;
}

bool isFormatChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}

std::string lowerHex64(const std::string& s)
{
    if (s.size() != 64)
        throw BadField("sha256 is not 64 hex digits");
    std::string out = lower(s);
    for (const char c : out)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            throw BadField("sha256 is not 64 hex digits");
    return out;
}

CatalogEntry entryFromJson(const json& j)
{
    if (!j.is_object())
        throw BadField("is not a JSON object");
    CatalogEntry e;
    e.modelId = requiredString(j, "model_id", 200, true);
    if (!isValidModelId(e.modelId))
        throw BadField("model_id is not a valid id (letters, digits, '.', '_', '-'; "
                       "not starting with '.', '_' or '-')");
    e.name = requiredString(j, "name", kMaxLongString, false);
    e.type = requiredString(j, "type", kMaxShortString, true);
    e.format = requiredString(j, "format", kMaxFormat, true);
    for (char c : e.format)
        if (!isFormatChar(c))
            throw BadField("format is not a file extension (letters, digits, '_', '-')");
    const json* size = optionalField(j, "size_bytes");
    if (!size)
        throw BadField("size_bytes is missing");
    e.sizeBytes = nonNegativeInteger(*size, "size_bytes");
    e.sha256 = lowerHex64(requiredString(j, "sha256", kMaxShortString, true));
    e.version = requiredString(j, "version", kMaxShortString, false);

    e.capabilities = optionalStringList(j, "capabilities");
    e.classes = optionalStringList(j, "classes");
    e.classCount = optionalCount(j, "class_count");
    e.baseModel = optionalString(j, "base_model", kMaxLongString);
    e.contextLength = optionalCount(j, "context_length");
    e.source = optionalString(j, "source", kMaxShortString);
    e.sourceRef = optionalString(j, "source_ref", kMaxLongString);
    if (const json* m = optionalField(j, "metadata")) {
        if (!m->is_object())
            throw BadField("metadata is not an object");
        e.metadataJson = m->dump(-1, ' ', false, json::error_handler_t::replace);
        if (e.metadataJson.size() > kMaxMetadataBytes)
            throw BadField("metadata is larger than 64 KiB");
    }
    if (const json* c = optionalField(j, "chunk_size")) {
        e.chunkSize = nonNegativeInteger(*c, "chunk_size");
        if (e.chunkSize != 0 && (e.chunkSize < kMinChunkSize || e.chunkSize > kMaxChunkSize))
            throw BadField("chunk_size is not between 4 KiB and 1 GiB");
    }
    return e;
}

std::string entryLabel(const json& j, std::size_t index)
{
    if (j.is_object()) {
        const auto it = j.find("model_id");
        if (it != j.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
            return displayable(it->get_ref<const std::string&>());
    }
    return "#" + std::to_string(index);
}

// Lenient per entry: good entries are kept, bad ones explained.
void parseEntries(const json& list, std::vector<CatalogEntry>& models,
                  std::vector<RejectedEntry>& rejected, const std::string& what)
{
    if (list.size() > kMaxModels)
        throw BadDocument(what + ": more than " + std::to_string(kMaxModels) + " models");
    models.reserve(list.size());
    std::unordered_set<std::string> seen;
    seen.reserve(list.size());
    std::size_t index = 0;
    for (const auto& item : list) {
        try {
            CatalogEntry e = entryFromJson(item);
            if (!seen.insert(e.modelId).second)
                throw BadField("model_id appears more than once (the first is kept)");
            models.push_back(std::move(e));
        } catch (const BadField& bad) {
            rejected.push_back({entryLabel(item, index), bad.what()});
        }
        ++index;
    }
}

ojson entryToOjson(const CatalogEntry& e)
{
    ojson j = ojson::object();
    j["model_id"] = e.modelId;
    j["name"] = e.name;
    j["type"] = e.type;
    j["format"] = e.format;
    j["size_bytes"] = e.sizeBytes;
    j["sha256"] = e.sha256;
    j["version"] = e.version;
    // Always present, as the bridge sends it: PROTOCOL.md lists capabilities
    // with the fields every entry has, and peers may index it unguarded.
    j["capabilities"] = e.capabilities;
    // classes and class_count are always there, null when unknown, as the
    // bridge sends them (its entries are dataclasses with None defaults).
    j["classes"] = e.classes.empty() ? ojson(nullptr) : ojson(e.classes);
    j["class_count"] = e.classCount ? ojson(*e.classCount) : ojson(nullptr);
    if (!e.baseModel.empty())
        j["base_model"] = e.baseModel;
    if (e.contextLength)
        j["context_length"] = *e.contextLength;
    if (!e.source.empty())
        j["source"] = e.source;
    // source_ref and metadata too ("" and {} by default, as the bridge's).
    j["source_ref"] = e.sourceRef;
    ojson m = ojson::parse(e.metadataJson.empty() ? std::string("{}") : e.metadataJson, nullptr, false);
    j["metadata"] = m.is_object() ? std::move(m) : ojson::object();
    if (e.chunkSize != 0)
        j["chunk_size"] = e.chunkSize;
    return j;
}

std::string dumpCompact(const ojson& j)
{
    // replace: a bad UTF-8 byte from a local file name must not throw here.
    return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

} // namespace

bool isValidModelId(std::string_view id)
{
    if (id.empty() || id.size() > 200 || id == "." || id == "..")
        return false;
    const auto alnum = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    if (!alnum(id[0]))
        return false;
    for (char c : id)
        if (!alnum(c) && c != '.' && c != '_' && c != '-')
            return false;
    return true;
}

bool isValidNodeId(std::string_view id)
{
    if (id.empty() || id.size() > 128)
        return false;
    for (unsigned char c : id)
        if (c <= 0x20 || c >= 0x7f)
            return false;
    return true;
}

std::string catalogEntryToJson(const CatalogEntry& entry)
{
    return dumpCompact(entryToOjson(entry));
}

Result<CatalogEntry> parseCatalogEntry(std::string_view text)
{
    try {
        const json j = parseBounded(text, "catalog entry");
        try {
            return entryFromJson(j);
        } catch (const BadField& bad) {
            const std::string label = entryLabel(j, 0);
            return fail("catalog entry" + (label == "#0" ? std::string() : " " + label) + ": " +
                        bad.what());
        }
    } catch (const BadDocument& e) {
        return fail(e.what());
    } catch (const std::exception& e) {
        return fail(std::string("catalog entry: ") + e.what());
    }
}

std::string modelListToJson(const std::vector<CatalogEntry>& models)
{
    ojson list = ojson::array();
    for (const auto& m : models)
        list.push_back(entryToOjson(m));
    ojson doc = ojson::object();
    doc["models"] = std::move(list);
    return dumpCompact(doc);
}

Result<ModelList> parseModelList(std::string_view text)
{
    const std::string what = "model list";
    try {
        const json doc = parseBounded(text, what);
        const auto it = doc.is_object() ? doc.find("models") : doc.end();
        if (!doc.is_object() || it == doc.end() || !it->is_array())
            return fail(what + ": expected a JSON object with a \"models\" list");
        ModelList out;
        parseEntries(*it, out.models, out.rejected, what);
        return out;
    } catch (const BadDocument& e) {
        return fail(e.what());
    } catch (const std::exception& e) {
        return fail(what + ": " + e.what());
    }
}

std::string catalogMessageToJson(const CatalogMessage& message)
{
    ojson models = ojson::array();
    for (const auto& m : message.models)
        models.push_back(entryToOjson(m));
    ojson doc = ojson::object();
    doc["type"] = "model_catalog";
    doc["node_id"] = message.nodeId;
    doc["node_name"] = message.nodeName;
    doc["timestamp"] = message.timestampMs;
    doc["models"] = std::move(models);
    ojson endpoints = ojson::object();
    if (!message.httpEndpoint.empty())
        endpoints["http"] = message.httpEndpoint;
    endpoints["websocket"] = message.websocket;
    doc["transfer_endpoints"] = std::move(endpoints);
    doc["ttl_seconds"] = message.ttlSeconds;
    return dumpCompact(doc);
}

Result<CatalogMessage> parseCatalogMessage(std::string_view text)
{
    std::string what = "model_catalog message";
    try {
        const json doc = parseBounded(text, what);
        if (!doc.is_object())
            return fail(what + ": expected a JSON object");
        const json* type = optionalField(doc, "type");
        if (!type || !type->is_string())
            return fail(what + ": type is missing");
        if (type->get_ref<const std::string&>() != "model_catalog")
            return fail(what + ": type is \"" + displayable(type->get_ref<const std::string&>()) +
                        "\", expected \"model_catalog\"");
        CatalogMessage m;
        const json* node = optionalField(doc, "node_id");
        if (!node || !node->is_string())
            return fail(what + ": node_id is missing or not a string");
        if (!isValidNodeId(node->get_ref<const std::string&>()))
            return fail(what + ": node_id \"" + displayable(node->get_ref<const std::string&>()) +
                        "\" is not 1 to 128 printable ASCII characters");
        m.nodeId = node->get<std::string>();
        what += " from " + m.nodeId;
        try {
            m.nodeName = optionalString(doc, "node_name", kMaxShortString);
        } catch (const BadField& bad) {
            return fail(what + ": " + bad.what());
        }
        if (const json* ts = optionalField(doc, "timestamp")) {
            // Python senders may send time.time() * 1000 unrounded.
            if (ts->is_number_integer())
                m.timestampMs = ts->get<std::int64_t>();
            else if (ts->is_number_float() && ts->get<double>() >= 0 && ts->get<double>() < 9.2e18)
                m.timestampMs = static_cast<std::int64_t>(ts->get<double>());
            else
                return fail(what + ": timestamp is not a number of milliseconds");
        }
        const auto models = doc.find("models");
        if (models == doc.end() || !models->is_array())
            return fail(what + ": models is missing or not a list");
        if (const json* ep = optionalField(doc, "transfer_endpoints")) {
            if (!ep->is_object())
                return fail(what + ": transfer_endpoints is not an object");
            if (const json* http = optionalField(*ep, "http")) {
                if (!http->is_string())
                    return fail(what + ": transfer_endpoints.http is not a string");
                std::string url = http->get<std::string>();
                if (!url.empty() && url.back() == '/')
                    url.pop_back();
                if (!isValidPeerEndpoint(url))
                    return fail(what + ": transfer_endpoints.http \"" + displayable(url) +
                                "\" is not http://host:port");
                m.httpEndpoint = std::move(url);
            }
            if (const json* ws = optionalField(*ep, "websocket")) {
                if (!ws->is_boolean())
                    return fail(what + ": transfer_endpoints.websocket is not true or false");
                m.websocket = ws->get<bool>();
            }
        }
        if (const json* ttl = optionalField(doc, "ttl_seconds")) {
            std::int64_t seconds = 0;
            if (ttl->is_number_unsigned())
                seconds = ttl->get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxTtlSeconds)
                              ? kMaxTtlSeconds
                              : ttl->get<std::int64_t>();
            else if (ttl->is_number_integer())
                seconds = ttl->get<std::int64_t>();
            else
                return fail(what + ": ttl_seconds is not a whole number of seconds");
            if (seconds <= 0)
                return fail(what + ": ttl_seconds is not positive");
            // A week-long TTL would keep a vanished peer's models on screen:
            // a day is the longest we believe.
            m.ttlSeconds = std::min(seconds, kMaxTtlSeconds);
        }
        parseEntries(*models, m.models, m.rejected, what);
        return m;
    } catch (const BadDocument& e) {
        return fail(e.what());
    } catch (const std::exception& e) {
        return fail(what + ": " + e.what());
    }
}

std::optional<ModelKind> modelKindFromFileName(std::string_view fileName, std::string_view nameHint)
{
    const auto dot = fileName.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 >= fileName.size())
        return std::nullopt;
    const std::string ext = lower(fileName.substr(dot + 1));
    if (ext == "gguf")
        return ModelKind{"llm", "gguf"};
    if (ext == "onnx" || ext == "tflite")
        return ModelKind{"vision", ext};
    if (ext == "pt" || ext == "safetensors" || ext == "bin") {
        const std::string_view hint = nameHint.empty() ? fileName : nameHint;
        if (lower(hint).find("yolo") != std::string::npos)
            return ModelKind{"vision", "pt"};
        return ModelKind{"llm", "pt"};
    }
    return std::nullopt;
}

} // namespace atmo
