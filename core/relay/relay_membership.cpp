#include "core/relay/relay_membership.h"

#include <nlohmann/json.hpp>

#include <system_error>

#include "core/base/fs_util.h"

namespace atmo {

namespace {

using json = nlohmann::json;
constexpr std::size_t kMaxMembershipBytes = 1024 * 1024;

} // namespace

std::filesystem::path relayMembershipFile(const StationHome& home)
{
    return home.root() / "station" / "relay.json";
}

Result<RelayMembership> loadRelayMembership(const std::filesystem::path& file)
{
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        return fail(ErrorCode::NotFound, file.string() + ": this station has joined no relay (atmosphere mesh join)",
                    file.string());
    auto text = readFile(file, kMaxMembershipBytes);
    if (!text)
        return text.error();
    const auto bad = [&](const std::string& why) {
        return fail(ErrorCode::BadData, file.string() + ": " + why, file.string());
    };
    json doc;
    try {
        doc = json::parse(*text);
    } catch (const json::exception&) {
        return bad("not valid JSON");
    }
    if (!doc.is_object())
        return bad("not a JSON object");
    const auto str = [&doc](const char* key) -> const std::string* {
        const auto it = doc.find(key);
        return it != doc.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
    };
    RelayMembership m;
    const std::string* url = str("relay_url");
    const std::string* mesh = str("mesh_id");
    const std::string* mode = str("mode");
    if (!url || url->empty())
        return bad("\"relay_url\" is missing");
    if (!mesh || mesh->empty())
        return bad("\"mesh_id\" is missing");
    if (!mode || (*mode != "founder" && *mode != "member"))
        return bad("\"mode\" is not founder or member");
    m.relayUrl = *url;
    m.meshId = *mesh;
    m.founder = *mode == "founder";
    if (const auto t = doc.find("token"); t != doc.end() && !t->is_null()) {
        if (!t->is_object())
            return bad("\"token\" is not a JSON object");
        m.tokenJson = t->dump();
    }
    return m;
}

Status saveRelayMembership(const std::filesystem::path& file, const RelayMembership& membership)
{
    return guarded([&]() -> Status {
        json doc{{"relay_url", membership.relayUrl},
                 {"mesh_id", membership.meshId},
                 {"mode", membership.founder ? "founder" : "member"}};
        if (!membership.tokenJson.empty()) {
            try {
                doc["token"] = json::parse(membership.tokenJson);
            } catch (const json::exception&) {
                return fail(ErrorCode::BadData, "join token: not valid JSON");
            }
        }
        std::filesystem::create_directories(file.parent_path());
        return writeFileAtomic(file, doc.dump(2) + "\n", 0600); // a token is a credential
    });
}

Status forgetRelayMembership(const std::filesystem::path& file)
{
    std::error_code ec;
    std::filesystem::remove(file, ec);
    if (ec)
        return fail(ErrorCode::Io, file.string() + ": cannot be removed: " + ec.message());
    return {};
}

} // namespace atmo
