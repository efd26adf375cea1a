#include "core/relay/join_token.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/base/sha256.h"
#include "core/mesh/catalog_wire.h"
#include "core/package/station_home.h"

namespace atmo {

using nlohmann::json;

namespace {

// Bounds for text from elsewhere (an invite, a relay): generous for every
// real token, small enough that a hostile one costs nothing.
constexpr std::size_t kMaxTokenJson = 16 * 1024;
constexpr std::size_t kMaxIdBytes = 256;
constexpr std::size_t kMaxSignatureBytes = 128;
constexpr std::size_t kMaxCapabilities = 32;
constexpr std::size_t kMaxCapabilityBytes = 64;

std::string utcTime(std::int64_t t)
{
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm {};
    if (!::gmtime_r(&tt, &tm))
        return std::to_string(t);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string capabilityProblem(std::string_view c)
{
    if (c.empty())
        return "is empty";
    if (c.size() > kMaxCapabilityBytes)
        return "is longer than " + std::to_string(kMaxCapabilityBytes) + " bytes";
    for (unsigned char ch : c)
        if (ch <= 0x20 || ch >= 0x7f || ch == ',')
            return "has a character that is not printable ASCII (or a space or comma)";
    return {};
}

std::string payload(const JoinToken& t, bool ensureAscii)
{
    std::vector<std::string> caps = t.capabilities;
    std::sort(caps.begin(), caps.end()); // byte order of UTF-8 = Python's code point order
    json j = json::object(); // std::map: keys sorted
    j["mesh_id"] = t.meshId;
    j["node_id"] = t.nodeId ? json(*t.nodeId) : json(nullptr);
    j["issued_at"] = t.issuedAt;
    j["expires_at"] = t.expiresAt;
    j["capabilities"] = caps;
    j["issuer_id"] = t.issuerId;
    j["nonce"] = t.nonce;
    // Invalid UTF-8 cannot come from parseJoinToken (the parser refuses it);
    // from a caller it is replaced rather than thrown over.
    return j.dump(-1, ' ', ensureAscii, json::error_handler_t::replace);
}

bool hasNonAscii(const JoinToken& t)
{
    auto any = [](const std::string& s) {
        return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    };
    return any(t.meshId) || (t.nodeId && any(*t.nodeId)) || any(t.issuerId) || any(t.nonce)
        || std::any_of(t.capabilities.begin(), t.capabilities.end(), any);
}

Error badToken(const std::string& what) { return fail(ErrorCode::BadData, "join token: " + what); }

// A string field: BadData naming it when missing (unless optional), not a
// string, empty or too long.
Result<std::optional<std::string>> stringField(const json& doc, const char* name, std::size_t maxBytes,
                                               bool nullable)
{
    const auto it = doc.find(name);
    if (it == doc.end() || it->is_null()) {
        if (nullable)
            return std::optional<std::string>();
        return badToken(std::string(name) + " is missing");
    }
    if (!it->is_string())
        return badToken(std::string(name) + " is not a string");
    const auto& s = it->get_ref<const std::string&>();
    if (s.empty())
        return badToken(std::string(name) + " is empty");
    if (s.size() > maxBytes)
        return badToken(std::string(name) + " is longer than " + std::to_string(maxBytes) + " bytes");
    return std::optional<std::string>(s);
}

Result<std::int64_t> secondsField(const json& doc, const char* name)
{
    const auto it = doc.find(name);
    if (it == doc.end() || it->is_null())
        return badToken(std::string(name) + " is missing");
    if (it->is_number_unsigned()) {
        if (it->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return badToken(std::string(name) + " is out of range");
        return static_cast<std::int64_t>(it->get<std::uint64_t>());
    }
    if (it->is_number_integer())
        return badToken(std::string(name) + " is negative");
    return badToken(std::string(name) + " is not a whole number of seconds");
}

} // namespace

Result<std::int64_t> parseJoinTokenLifetime(std::string_view text)
{
    const std::string given(text);
    std::int64_t unit = 1;
    if (!text.empty()) {
        switch (text.back()) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: unit = 0;
        }
        if (unit)
            text.remove_suffix(1);
        else
            unit = 1;
    }
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n <= 0)
        return fail(ErrorCode::Usage, "lifetime \"" + given + "\" is not a positive number of seconds (s), "
                                      "minutes (m), hours (h) or days (d)");
    if (n > kMaxJoinTokenLifetime / unit)
        return fail(ErrorCode::Usage, "lifetime \"" + given + "\" is longer than the 7 days a join token may last");
    return n * unit;
}

Result<JoinToken> issueJoinToken(const NodeKey& meshKey, const JoinTokenRequest& request, std::int64_t now)
{
    if (request.lifetimeSeconds <= 0)
        return fail(ErrorCode::Usage, "a join token must last at least one second");
    if (request.lifetimeSeconds > kMaxJoinTokenLifetime)
        return fail(ErrorCode::Usage, "a join token may last at most 7 days, not " + std::to_string(request.lifetimeSeconds)
                                          + " s");
    if (const std::string problem = StationHome::meshIdProblem(request.meshId); !problem.empty())
        return fail(ErrorCode::Usage, "mesh id \"" + request.meshId + "\" " + problem);
    if (!isValidNodeId(request.issuerId))
        return fail(ErrorCode::Usage, "issuer id \"" + request.issuerId + "\" is not a node id");
    if (request.nodeId && !isValidNodeId(*request.nodeId))
        return fail(ErrorCode::Usage, "node id \"" + *request.nodeId + "\" is not a node id (1 to 128 printable "
                                                                        "ASCII characters, no spaces)");
    if (request.capabilities.size() > kMaxCapabilities)
        return fail(ErrorCode::Usage, "at most " + std::to_string(kMaxCapabilities) + " capabilities");
    for (const std::string& c : request.capabilities)
        if (const std::string problem = capabilityProblem(c); !problem.empty())
            return fail(ErrorCode::Usage, "capability \"" + c + "\" " + problem);

    JoinToken t;
    t.meshId = request.meshId;
    t.nodeId = request.nodeId;
    t.issuedAt = now;
    t.expiresAt = now + request.lifetimeSeconds;
    t.capabilities = request.capabilities;
    t.issuerId = request.issuerId;
    std::uint8_t nonce[16];
    randombytes_buf(nonce, sizeof nonce);
    t.nonce = toHex(nonce, sizeof nonce);
    t.signature = meshKey.sign(joinTokenSignedPayload(t));
    return t;
}

std::string joinTokenSignedPayload(const JoinToken& token) { return payload(token, true); }

std::string joinTokenJson(const JoinToken& t)
{
    json j = json::object();
    j["mesh_id"] = t.meshId;
    j["node_id"] = t.nodeId ? json(*t.nodeId) : json(nullptr);
    j["issued_at"] = t.issuedAt;
    j["expires_at"] = t.expiresAt;
    j["capabilities"] = t.capabilities;
    j["issuer_id"] = t.issuerId;
    j["nonce"] = t.nonce;
    j["signature"] = t.signature;
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<JoinToken> parseJoinToken(std::string_view text)
{
    if (text.size() > kMaxTokenJson)
        return badToken("larger than " + std::to_string(kMaxTokenJson / 1024) + " KiB");
    const json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded())
        return badToken("not JSON");
    if (!doc.is_object())
        return badToken("not a JSON object");

    JoinToken t;
    auto take = [&](const char* name, std::size_t max, std::string& out) -> Status {
        auto v = stringField(doc, name, max, false);
        if (!v)
            return v.error();
        out = **v;
        return {};
    };
    if (auto st = take("mesh_id", kMaxIdBytes, t.meshId); !st)
        return st.error();
    auto node = stringField(doc, "node_id", kMaxIdBytes, true);
    if (!node)
        return node.error();
    t.nodeId = *node;
    auto issued = secondsField(doc, "issued_at");
    if (!issued)
        return issued.error();
    t.issuedAt = *issued;
    auto expires = secondsField(doc, "expires_at");
    if (!expires)
        return expires.error();
    t.expiresAt = *expires;

    const auto caps = doc.find("capabilities");
    if (caps == doc.end() || caps->is_null())
        return badToken("capabilities is missing");
    if (!caps->is_array())
        return badToken("capabilities is not a list");
    if (caps->size() > kMaxCapabilities)
        return badToken("capabilities has more than " + std::to_string(kMaxCapabilities) + " entries");
    for (std::size_t i = 0; i < caps->size(); ++i) {
        const json& c = (*caps)[i];
        const std::string where = "capabilities[" + std::to_string(i) + "]";
        if (!c.is_string())
            return badToken(where + " is not a string");
        if (c.get_ref<const std::string&>().size() > kMaxCapabilityBytes)
            return badToken(where + " is longer than " + std::to_string(kMaxCapabilityBytes) + " bytes");
        t.capabilities.push_back(c.get<std::string>());
    }
    if (auto st = take("issuer_id", kMaxIdBytes, t.issuerId); !st)
        return st.error();
    if (auto st = take("nonce", kMaxIdBytes, t.nonce); !st)
        return st.error();
    if (auto st = take("signature", kMaxSignatureBytes, t.signature); !st)
        return st.error();
    return t;
}

Status checkJoinToken(const JoinToken& token, const Ed25519PublicKey& meshPublicKey, std::int64_t now,
                      std::string_view joiningNodeId)
{
    Status sig = verifySignature(meshPublicKey, payload(token, true), token.signature);
    if (!sig && sig.code() == ErrorCode::Untrusted && hasNonAscii(token))
        sig = verifySignature(meshPublicKey, payload(token, false), token.signature);
    if (!sig) {
        if (sig.code() == ErrorCode::BadData)
            return fail(ErrorCode::BadData, "join token: the signature is not base64 of 64 bytes");
        return fail(ErrorCode::Untrusted,
                    "join token for mesh \"" + token.meshId + "\" is not signed by that mesh's key");
    }
    if (token.expiresAt < token.issuedAt)
        return fail(ErrorCode::Untrusted, "join token for mesh \"" + token.meshId + "\" expires before it was issued");
    if (token.expiresAt - token.issuedAt > kMaxJoinTokenLifetime)
        return fail(ErrorCode::Untrusted, "join token for mesh \"" + token.meshId + "\" claims to last longer "
                                          "than 7 days");
    if (now > token.expiresAt)
        return fail(ErrorCode::Untrusted,
                    "join token for mesh \"" + token.meshId + "\" expired at " + utcTime(token.expiresAt));
    if (!joiningNodeId.empty() && token.nodeId && *token.nodeId != joiningNodeId)
        return fail(ErrorCode::Untrusted, "join token is for node " + *token.nodeId + ", not "
                                              + std::string(joiningNodeId));
    return {};
}

} // namespace atmo
