#include "core/relay/invite.h"

#include <charconv>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/base/base64.h"
#include "core/base/text.h"

namespace atmo {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxInviteText = 64 * 1024;
constexpr std::size_t kMaxEndpoints = 16;
constexpr std::size_t kMaxEndpointBytes = 512;
constexpr std::size_t kMaxMeshNameBytes = 256;

Error badInvite(const std::string& what) { return fail(ErrorCode::BadData, "invite: " + what); }

bool isBase64UrlChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The value of the query's "invite" parameter, percent-decoded; nullopt when
// there is none or its escapes are broken.
std::optional<std::string> inviteParameter(std::string_view query)
{
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        std::string_view param = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (!param.starts_with("invite="))
            continue;
        param.remove_prefix(7);
        std::string value;
        for (std::size_t i = 0; i < param.size(); ++i) {
            if (param[i] != '%') {
                value += param[i];
                continue;
            }
            if (i + 2 >= param.size())
                return std::nullopt;
            const int hi = hexValue(param[i + 1]), lo = hexValue(param[i + 2]);
            if (hi < 0 || lo < 0)
                return std::nullopt;
            value += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
        return value;
    }
    return std::nullopt;
}

} // namespace

std::string inviteEndpointProblem(std::string_view e)
{
    if (e.size() > kMaxEndpointBytes)
        return "is longer than " + std::to_string(kMaxEndpointBytes) + " bytes";
    for (unsigned char c : e)
        if (c <= 0x20 || c >= 0x7f)
            return "has a space, a control character or non-ASCII";
    if (e.starts_with("relay:")) {
        const std::string_view url = e.substr(6);
        const std::size_t hostAt = url.starts_with("wss://") ? 6 : url.starts_with("ws://") ? 5 : 0;
        if (!hostAt)
            return "is not relay:ws://... or relay:wss://...";
        if (url.size() == hostAt || url[hostAt] == '/' || url[hostAt] == ':')
            return "has no relay host";
        return {};
    }
    if (e.starts_with("local:")) {
        const std::string_view hostPort = e.substr(6);
        const std::size_t colon = hostPort.rfind(':');
        if (colon == std::string_view::npos || colon == 0)
            return "is not local:HOST:PORT";
        const std::string_view host = hostPort.substr(0, colon), port = hostPort.substr(colon + 1);
        if (host.find(':') != std::string_view::npos && !(host.starts_with('[') && host.ends_with(']')))
            return "has an IPv6 host without brackets (local:[::1]:PORT)";
        if (host.find('/') != std::string_view::npos)
            return "is not local:HOST:PORT";
        unsigned n = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
        if (port.empty() || ec != std::errc() || end != port.data() + port.size() || n == 0 || n > 65535)
            return "has no port from 1 to 65535";
        return {};
    }
    return "is neither local:HOST:PORT nor relay:wss://...";
}

std::string inviteJson(const Invite& invite)
{
    // The order the mesh's own implementation writes; nothing here is signed.
    nlohmann::ordered_json j;
    j["token"] = nlohmann::ordered_json::parse(joinTokenJson(invite.token));
    j["mesh_name"] = invite.meshName;
    j["endpoints"] = invite.endpoints;
    j["mesh_public_key"] = invite.meshPublicKey;
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string inviteText(const Invite& invite) { return base64Encode(inviteJson(invite), Base64::UrlNoPadding); }

std::string inviteLink(const Invite& invite) { return std::string(kInviteLinkPrefix) + inviteText(invite); }

Result<Invite> parseInviteJson(std::string_view text)
{
    if (text.size() > kMaxInviteText)
        return badInvite("larger than " + std::to_string(kMaxInviteText / 1024) + " KiB");
    const json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded())
        return badInvite("not JSON");
    if (!doc.is_object())
        return badInvite("not a JSON object");
    Invite invite;

    const auto token = doc.find("token");
    if (token == doc.end() || token->is_null())
        return badInvite("token is missing");
    if (!token->is_object())
        return badInvite("token is not an object");
    auto parsed = parseJoinToken(token->dump(-1, ' ', false, json::error_handler_t::replace));
    if (!parsed)
        return badInvite(parsed.message()); // "invite: join token: nonce is missing"
    invite.token = std::move(*parsed);

    const auto name = doc.find("mesh_name");
    if (name == doc.end() || name->is_null())
        return badInvite("mesh_name is missing");
    if (!name->is_string())
        return badInvite("mesh_name is not a string");
    if (name->get_ref<const std::string&>().size() > kMaxMeshNameBytes)
        return badInvite("mesh_name is longer than " + std::to_string(kMaxMeshNameBytes) + " bytes");
    invite.meshName = name->get<std::string>();

    if (const auto eps = doc.find("endpoints"); eps != doc.end() && !eps->is_null()) {
        if (!eps->is_array())
            return badInvite("endpoints is not a list");
        if (eps->size() > kMaxEndpoints)
            return badInvite("endpoints has more than " + std::to_string(kMaxEndpoints) + " entries");
        for (std::size_t i = 0; i < eps->size(); ++i) {
            const json& e = (*eps)[i];
            const std::string where = "endpoints[" + std::to_string(i) + "]";
            if (!e.is_string())
                return badInvite(where + " is not a string");
            if (e.get_ref<const std::string&>().size() > kMaxEndpointBytes)
                return badInvite(where + " is longer than " + std::to_string(kMaxEndpointBytes) + " bytes");
            invite.endpoints.push_back(e.get<std::string>());
        }
    }

    const auto key = doc.find("mesh_public_key");
    if (key == doc.end() || key->is_null())
        return badInvite("mesh_public_key is missing");
    if (!key->is_string())
        return badInvite("mesh_public_key is not a string");
    if (auto pk = parsePublicKeyBase64(key->get_ref<const std::string&>(), "mesh_public_key"); !pk)
        return badInvite(pk.message());
    invite.meshPublicKey = key->get<std::string>();
    return invite;
}

Result<Invite> parseInvite(std::string_view linkOrText)
{
    if (linkOrText.size() > kMaxInviteText)
        return badInvite("larger than " + std::to_string(kMaxInviteText / 1024) + " KiB");
    const std::string given = trimmed(linkOrText);
    std::string encoded;
    constexpr std::string_view kScheme = "atmosphere:";
    if (lower(std::string_view(given).substr(0, kScheme.size())) == kScheme) {
        constexpr std::string_view kJoin = "//join?";
        const std::string_view rest = std::string_view(given).substr(kScheme.size());
        if (!rest.starts_with(kJoin))
            return badInvite("not an atmosphere://join?invite= link");
        auto value = inviteParameter(rest.substr(kJoin.size()));
        if (!value)
            return badInvite("the link has no invite= parameter (or a broken %-escape in it)");
        encoded = std::move(*value);
    } else {
        encoded = given;
    }
    // Python's base64.urlsafe_b64encode(...).rstrip(b"=") makes no padding;
    // tolerate the padding a hand-made one may keep.
    for (int i = 0; i < 2 && !encoded.empty() && encoded.back() == '='; ++i)
        encoded.pop_back();
    if (encoded.empty())
        return badInvite("empty");
    for (char c : encoded)
        if (!isBase64UrlChar(c))
            return badInvite(given.find("://") != std::string::npos
                           ? "not an atmosphere://join?invite= link"
                           : "not base64url text (a character outside A-Z a-z 0-9 - _)");
    auto json = base64Decode(encoded, Base64::UrlNoPadding);
    if (!json)
        return badInvite("not base64url text (its length cannot be base64)");
    return parseInviteJson(*json);
}

Status checkInvite(const Invite& invite, std::int64_t now, std::string_view joiningNodeId)
{
    auto key = parsePublicKeyBase64(invite.meshPublicKey, "mesh_public_key");
    if (!key)
        return key.error();
    return checkJoinToken(invite.token, *key, now, joiningNodeId);
}

} // namespace atmo
