#include "core/relay/relay_frames.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "core/base/text.h"
#include "core/mesh/catalog_wire.h"

namespace atmo {

namespace {

using json = nlohmann::json;

std::string dumpCompact(const json& j)
{
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Parses text that must be one JSON object, bounded in size and depth.
Result<json> parseObject(std::string_view text, const std::string& what)
{
    if (text.size() > kMaxRelayFrameBytes)
        return fail(ErrorCode::BadData, what + ": " + std::to_string(text.size()) + " bytes is more than the " +
                                            std::to_string(kMaxRelayFrameBytes / (1024 * 1024)) + " MiB a frame may have");
    json doc;
    try {
        bool tooDeep = false;
        doc = json::parse(text.begin(), text.end(), [&tooDeep](int depth, json::parse_event_t, json&) {
            tooDeep = tooDeep || depth > kMaxRelayFrameDepth;
            return depth <= kMaxRelayFrameDepth; // drops what is too deep instead of building it
        });
        if (tooDeep)
            return fail(ErrorCode::BadData, what + ": nested deeper than " + std::to_string(kMaxRelayFrameDepth) + " levels");
    } catch (const json::parse_error& e) {
        return fail(ErrorCode::BadData, what + ": not valid JSON (syntax error at byte " + std::to_string(e.byte) + ")");
    } catch (const json::exception&) {
        return fail(ErrorCode::BadData, what + ": not valid JSON (a number is out of range)");
    }
    if (!doc.is_object())
        return fail(ErrorCode::BadData, what + ": not a JSON object");
    return doc;
}

json stringArray(const std::vector<std::string>& list)
{
    json a = json::array();
    for (const auto& s : list)
        a.push_back(s);
    return a;
}

// A field that must be a string if present; nullptr when absent or null.
Result<const std::string*> optionalString(const json& o, const char* key, const std::string& what)
{
    const auto it = o.find(key);
    if (it == o.end() || it->is_null())
        return static_cast<const std::string*>(nullptr);
    if (!it->is_string())
        return fail(ErrorCode::BadData, what + ": \"" + key + "\" is not a string");
    return &it->get_ref<const std::string&>();
}

Result<std::string> requiredNodeId(const json& o, const char* key, const std::string& what)
{
    auto s = optionalString(o, key, what);
    if (!s)
        return s.error();
    if (!*s)
        return fail(ErrorCode::BadData, what + ": \"" + key + "\" is missing");
    if (!isValidNodeId(**s))
        return fail(ErrorCode::BadData, what + ": \"" + key + "\" is not a node id (1 to 128 printable ASCII characters)");
    return **s;
}

Result<RelayPeer> parsePeer(const json& o, const std::string& what)
{
    if (!o.is_object())
        return fail(ErrorCode::BadData, what + ": a peer is not a JSON object");
    RelayPeer p;
    auto id = requiredNodeId(o, "node_id", what);
    if (!id)
        return id.error();
    p.nodeId = *id;
    const std::string who = what + ": peer " + p.nodeId;
    auto name = optionalString(o, "name", who);
    if (!name)
        return name.error();
    if (*name)
        p.name = cleanName(**name, kMaxRelayTextBytes);
    if (const auto caps = o.find("capabilities"); caps != o.end() && !caps->is_null()) {
        if (!caps->is_array())
            return fail(ErrorCode::BadData, who + ": \"capabilities\" is not a list");
        if (caps->size() > kMaxRelayCapabilities)
            return fail(ErrorCode::BadData, who + ": more than " + std::to_string(kMaxRelayCapabilities) + " capabilities");
        for (const auto& c : *caps) {
            if (!c.is_string() || c.get_ref<const std::string&>().size() > kMaxRelayTextBytes)
                return fail(ErrorCode::BadData, who + ": a capability is not a string of at most " +
                                                    std::to_string(kMaxRelayTextBytes) + " bytes");
            p.capabilities.push_back(cleanName(c.get_ref<const std::string&>()));
        }
    }
    if (const auto f = o.find("is_founder"); f != o.end() && !f->is_null()) {
        if (!f->is_boolean())
            return fail(ErrorCode::BadData, who + ": \"is_founder\" is not true or false");
        p.isFounder = f->get<bool>();
    }
    return p;
}

RelayFrameType typeOf(const std::string& name)
{
    static const std::pair<const char*, RelayFrameType> names[] = {
        {"mesh_registered", RelayFrameType::MeshRegistered}, {"joined", RelayFrameType::Joined},
        {"peers", RelayFrameType::Peers},                    {"peer_joined", RelayFrameType::PeerJoined},
        {"peer_left", RelayFrameType::PeerLeft},             {"message", RelayFrameType::Message},
        {"error", RelayFrameType::Error},                    {"pong", RelayFrameType::Pong},
    };
    for (const auto& [n, t] : names)
        if (name == n)
            return t;
    return RelayFrameType::Other;
}

Result<std::string> bounded(std::string frame, const std::string& what)
{
    if (frame.size() > kMaxRelayFrameBytes)
        return fail(ErrorCode::BadData, what + ": " + std::to_string(frame.size()) + " bytes is more than the " +
                                            std::to_string(kMaxRelayFrameBytes / (1024 * 1024)) + " MiB a frame may have");
    return frame;
}

} // namespace

std::string registerMeshFrame(const RelayRegistration& r)
{
    json o{{"type", "register_mesh"},
           {"node_id", r.nodeId},
           {"mesh_public_key", r.meshPublicKey},
           {"founder_proof", r.founderProof},
           {"name", r.meshName},
           {"display_name", r.displayName},
           {"capabilities", stringArray(r.capabilities)}};
    if (!r.nodePublicKey.empty())
        o["node_public_key"] = r.nodePublicKey;
    return dumpCompact(o);
}

Result<std::string> joinFrame(const RelayJoin& j)
{
    json o{{"type", "join"}, {"node_id", j.nodeId}, {"name", j.name}, {"capabilities", stringArray(j.capabilities)}};
    if (!j.tokenJson.empty()) {
        auto token = parseObject(j.tokenJson, "join token");
        if (!token)
            return token.error();
        o["token"] = std::move(*token);
    }
    return bounded(dumpCompact(o), "join frame");
}

Result<std::string> broadcastFrame(std::string_view payloadJson)
{
    auto payload = parseObject(payloadJson, "broadcast payload");
    if (!payload)
        return payload.error();
    return bounded(dumpCompact(json{{"type", "broadcast"}, {"payload", std::move(*payload)}}), "broadcast frame");
}

Result<std::string> directFrame(std::string_view targetNodeId, std::string_view payloadJson)
{
    if (!isValidNodeId(targetNodeId))
        return fail(ErrorCode::Usage, "direct message: \"" + cleanName(targetNodeId, 64) + "\" is not a node id");
    auto payload = parseObject(payloadJson, "direct message payload");
    if (!payload)
        return payload.error();
    return bounded(dumpCompact(json{{"type", "direct"}, {"target", std::string(targetNodeId)}, {"payload", std::move(*payload)}}),
                   "direct frame");
}

std::string pingFrame() { return R"({"type":"ping"})"; }

Result<RelayFrame> parseRelayFrame(std::string_view text)
{
    std::string what = "relay frame";
    auto doc = parseObject(text, what);
    if (!doc)
        return doc.error();
    const json& o = *doc;
    auto typeName = optionalString(o, "type", what);
    if (!typeName)
        return typeName.error();
    if (!*typeName)
        return fail(ErrorCode::BadData, what + ": \"type\" is missing");
    RelayFrame f;
    f.typeName = cleanName(**typeName, kMaxRelayTextBytes);
    f.type = typeOf(**typeName);
    what = "relay frame \"" + f.typeName + "\"";

    switch (f.type) {
    case RelayFrameType::MeshRegistered: {
        const auto s = o.find("success");
        if (s == o.end() || !s->is_boolean())
            return fail(ErrorCode::BadData, what + ": \"success\" is not true or false");
        f.success = s->get<bool>();
        break;
    }
    case RelayFrameType::Joined: {
        auto mesh = optionalString(o, "mesh", what);
        auto meshId = optionalString(o, "mesh_id", what);
        if (!mesh)
            return mesh.error();
        if (!meshId)
            return meshId.error();
        if (*mesh)
            f.meshName = cleanName(**mesh, kMaxRelayTextBytes);
        if (*meshId)
            f.meshId = cleanName(**meshId, kMaxRelayTextBytes);
        if (const auto n = o.find("node_count"); n != o.end() && !n->is_null()) {
            if (!n->is_number_integer() || n->get<std::int64_t>() < 0)
                return fail(ErrorCode::BadData, what + ": \"node_count\" is not a whole number of at least 0");
            f.nodeCount = n->get<std::int64_t>();
        }
        break;
    }
    case RelayFrameType::Peers: {
        const auto list = o.find("peers");
        if (list == o.end() || !list->is_array())
            return fail(ErrorCode::BadData, what + ": \"peers\" is not a list");
        if (list->size() > kMaxRelayPeers)
            return fail(ErrorCode::BadData, what + ": more than " + std::to_string(kMaxRelayPeers) + " peers");
        for (const auto& entry : *list) {
            auto p = parsePeer(entry, what);
            if (!p)
                return p.error();
            f.peers.push_back(std::move(*p));
        }
        break;
    }
    case RelayFrameType::PeerJoined: {
        auto p = parsePeer(o, what);
        if (!p)
            return p.error();
        f.peer = std::move(*p);
        break;
    }
    case RelayFrameType::PeerLeft: {
        auto id = requiredNodeId(o, "node_id", what);
        if (!id)
            return id.error();
        f.peer.nodeId = *id;
        break;
    }
    case RelayFrameType::Message: {
        auto from = requiredNodeId(o, "from", what);
        if (!from)
            return from.error();
        f.from = *from;
        const auto payload = o.find("payload");
        if (payload == o.end() || !payload->is_object())
            return fail(ErrorCode::BadData, what + " from " + f.from + ": \"payload\" is not a JSON object");
        f.payloadJson = dumpCompact(*payload);
        break;
    }
    case RelayFrameType::Error: {
        auto code = optionalString(o, "code", what);
        auto message = optionalString(o, "message", what);
        if (!code)
            return code.error();
        if (!message)
            return message.error();
        if (!*message)
            return fail(ErrorCode::BadData, what + ": \"message\" is missing");
        if (*code)
            f.errorCode = cleanName(**code, kMaxRelayTextBytes);
        f.errorMessage = cleanName(**message, kMaxRelayMessageBytes);
        break;
    }
    case RelayFrameType::Pong: {
        if (const auto t = o.find("timestamp"); t != o.end() && !t->is_null()) {
            if (!t->is_number() || !std::isfinite(t->get<double>()))
                return fail(ErrorCode::BadData, what + ": \"timestamp\" is not a number");
            f.timestamp = t->get<double>();
        }
        break;
    }
    case RelayFrameType::Other:
        break;
    }
    return f;
}

RelayRefusal classifyRelayRefusal(std::string_view code, std::string_view message)
{
    const std::string m = lower(message);
    if (m.find("not registered") != std::string::npos) // a relay restarted, its founder not back yet
        return RelayRefusal::Retry;
    if (code == "TIMEOUT" || m.find("registration timeout") != std::string::npos)
        return RelayRefusal::Retry;
    return RelayRefusal::Final;
}

std::optional<std::string> unknownPeerIn(std::string_view message)
{
    constexpr std::string_view head = "Peer ", tail = " not found";
    if (message.size() <= head.size() + tail.size() || !startsWith(message, head) ||
        message.substr(message.size() - tail.size()) != tail)
        return std::nullopt;
    return std::string(message.substr(head.size(), message.size() - head.size() - tail.size()));
}

bool isReplacedCloseReason(std::string_view reason)
{
    return lower(reason).find("replaced") != std::string::npos;
}

} // namespace atmo
