#include "core/mesh/mesh_peer.h"

#include <arpa/inet.h>

#include <nlohmann/json.hpp>

#include <cstdint>

#include "core/mesh/catalog_wire.h"

namespace atmo {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

constexpr std::size_t kMaxPeerListBytes = 16u * 1024 * 1024;
constexpr std::size_t kMaxPeers = 10'000;
constexpr std::size_t kMaxName = 256;
constexpr int kMaxPeerListDepth = 16;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isAlnum(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Dotted decimal, no leading zeros (which some resolvers read as octal).
bool isIpv4(std::string_view s)
{
    int parts = 0;
    std::size_t i = 0;
    while (true) {
        std::size_t j = i;
        while (j < s.size() && isDigit(s[j]))
            ++j;
        const std::size_t len = j - i;
        if (len == 0 || len > 3 || (len > 1 && s[i] == '0'))
            return false;
        if (std::stoi(std::string(s.substr(i, len))) > 255)
            return false;
        ++parts;
        if (j == s.size())
            break;
        if (s[j] != '.' || parts == 4)
            return false;
        i = j + 1;
    }
    return parts == 4;
}

// RFC 1123 host name (underscores allowed: mDNS names in the wild have them).
bool isHostName(std::string_view s)
{
    if (s.empty() || s.size() > 253)
        return false;
    bool allNumeric = true;
    std::size_t i = 0;
    while (i <= s.size()) {
        std::size_t j = s.find('.', i);
        if (j == std::string_view::npos)
            j = s.size();
        const std::string_view label = s.substr(i, j - i);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (char c : label) {
            if (!isAlnum(c) && c != '-' && c != '_')
                return false;
            if (!isDigit(c))
                allNumeric = false;
        }
        i = j + 1;
    }
    // "1.2.3.999" is a bad address, not a name.
    return !allNumeric;
}

bool isBracketedIpv6(std::string_view s)
{
    if (s.size() < 4 || s.front() != '[' || s.back() != ']')
        return false;
    std::string_view inner = s.substr(1, s.size() - 2);
    // A link-local address carries its zone, percent-encoded in a URL (RFC 6874).
    if (const auto pct = inner.find('%'); pct != std::string_view::npos) {
        const std::string_view zone = inner.substr(pct);
        if (zone.size() <= 3 || zone.substr(0, 3) != "%25")
            return false;
        for (char c : zone.substr(3))
            if (!isAlnum(c) && c != '.' && c != '_' && c != '-' && c != '~')
                return false;
        inner = inner.substr(0, pct);
    }
    if (inner.size() > 45)
        return false;
    unsigned char buf[16];
    return inet_pton(AF_INET6, std::string(inner).c_str(), buf) == 1;
}

} // namespace

std::string_view peerOriginName(PeerOrigin origin)
{
    switch (origin) {
    case PeerOrigin::Mdns:
        return "mdns";
    case PeerOrigin::Manual:
        return "manual";
    case PeerOrigin::ViaPeer:
        return "peer";
    case PeerOrigin::Remembered:
        return "remembered";
    case PeerOrigin::Relay:
        return "relay";
    }
    return "manual";
}

bool isValidPeerEndpoint(std::string_view endpoint)
{
    constexpr std::string_view scheme = "http://";
    if (endpoint.size() <= scheme.size() || endpoint.substr(0, scheme.size()) != scheme)
        return false;
    const std::string_view rest = endpoint.substr(scheme.size());
    // The port follows the last ':' (IPv6 colons are inside the brackets).
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos || (rest.front() == '[' && colon < rest.find(']')))
        return false;
    const std::string_view host = rest.substr(0, colon);
    const std::string_view port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.front() == '0')
        return false;
    for (char c : port)
        if (!isDigit(c))
            return false;
    if (std::stoi(std::string(port)) > 65535)
        return false;
    if (host.empty())
        return false;
    if (host.front() == '[')
        return isBracketedIpv6(host);
    return isIpv4(host) || isHostName(host);
}

std::string peerListToJson(const std::vector<PeerRecord>& peers)
{
    ojson list = ojson::array();
    for (const auto& p : peers) {
        ojson j = ojson::object();
        j["node_id"] = p.nodeId;
        j["name"] = p.name;
        j["endpoint"] = p.endpoint;
        j["last_seen_ms"] = p.lastSeenMs;
        j["found_by"] = peerOriginName(p.origin);
        list.push_back(std::move(j));
    }
    ojson doc = ojson::object();
    doc["peers"] = std::move(list);
    return doc.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

Result<std::vector<PeerRecord>> parsePeerList(std::string_view text)
{
    const std::string what = "peer list";
    if (text.size() > kMaxPeerListBytes)
        return fail(what + ": " + std::to_string(text.size()) + " bytes is more than 16 MiB");
    json doc;
    try {
        bool tooDeep = false;
        doc = json::parse(text.begin(), text.end(), [&tooDeep](int depth, json::parse_event_t, json&) {
            if (depth > kMaxPeerListDepth)
                tooDeep = true;
            return depth <= kMaxPeerListDepth; // drops what is too deep instead of building it
        });
        if (tooDeep)
            return fail(what + ": nested deeper than " + std::to_string(kMaxPeerListDepth) + " levels");
    } catch (const json::parse_error& e) {
        return fail(what + ": not valid JSON (syntax error at byte " + std::to_string(e.byte) + ")");
    } catch (const json::exception&) {
        // Not a parse_error: a number too large for a double (1e400) is an
        // out_of_range, which escaped and terminated the station.
        return fail(what + ": not valid JSON (a number is out of range)");
    }
    const auto it = doc.is_object() ? doc.find("peers") : doc.end();
    if (!doc.is_object() || it == doc.end() || !it->is_array())
        return fail(what + ": expected a JSON object with a \"peers\" list");
    if (it->size() > kMaxPeers)
        return fail(what + ": more than " + std::to_string(kMaxPeers) + " peers");

    std::vector<PeerRecord> out;
    for (const auto& j : *it) {
        if (!j.is_object())
            continue;
        const auto str = [&j](const char* key) -> const std::string* {
            const auto f = j.find(key);
            return (f != j.end() && f->is_string()) ? &f->get_ref<const std::string&>() : nullptr;
        };
        PeerRecord p;
        const std::string* node = str("node_id");
        const std::string* endpoint = str("endpoint");
        if (!node || !isValidNodeId(*node) || !endpoint)
            continue;
        p.nodeId = *node;
        p.endpoint = *endpoint;
        if (!p.endpoint.empty() && p.endpoint.back() == '/')
            p.endpoint.pop_back();
        if (!isValidPeerEndpoint(p.endpoint))
            continue;
        if (const std::string* name = str("name")) {
            if (name->size() > kMaxName)
                continue;
            bool control = false;
            for (unsigned char c : *name)
                control = control || c < 0x20 || c == 0x7f;
            if (control)
                continue;
            p.name = *name;
        }
        if (const auto seen = j.find("last_seen_ms"); seen != j.end() && !seen->is_null()) {
            if (seen->is_number_unsigned() && seen->get<std::uint64_t>() > INT64_MAX)
                continue;
            if (seen->is_number_integer())
                p.lastSeenMs = seen->get<std::int64_t>();
            else if (seen->is_number_float() && seen->get<double>() >= 0 &&
                     seen->get<double>() < 9.2e18)
                p.lastSeenMs = static_cast<std::int64_t>(seen->get<double>());
            else
                continue;
        }
        // How that node found the peer; a value from a newer peer reads as manual.
        if (const std::string* by = str("found_by")) {
            if (*by == "mdns")
                p.origin = PeerOrigin::Mdns;
            else if (*by == "peer")
                p.origin = PeerOrigin::ViaPeer;
            else if (*by == "remembered")
                p.origin = PeerOrigin::Remembered;
        }
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace atmo
