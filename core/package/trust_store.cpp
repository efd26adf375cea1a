// Trusted public keys as plain minisign .pub files, one per (role, key):
//   <dir>/<role>-<KEYID>.pub   untrusted comment = the key's name
// The directory is the only state, so an operator can inspect, copy or remove
// keys with ordinary tools. A file is only believed when its name is exactly
// <role>-<16 uppercase hex>.pub, it parses strictly as a minisign public key,
// and the key inside has the key id its name claims; anything else in the
// directory (editor backups, temporary files, damaged keys) is ignored.
#include "core/base/text.h"
#include "core/package/trust_store.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <system_error>

#include "core/base/fs_util.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

constexpr std::array<TrustRole, 3> kRoles = {TrustRole::Mesh, TrustRole::Founder, TrustRole::Station};

// Uppercase 16-digit hex key id, or nullopt when it is not one.
std::optional<std::string> normalizeKeyId(std::string_view id)
{
    if (id.size() != 16)
        return std::nullopt;
    std::string out(id);
    for (auto& c : out) {
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return std::nullopt;
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

// Names live on one comment line: no control characters, trimmed, bounded.
constexpr std::size_t kMaxNameBytes = 200;

fs::path keyFile(const fs::path& dir, TrustRole role, const std::string& keyId)
{
    return dir / (std::string(roleName(role)) + "-" + keyId + ".pub");
}

// Reads one trust file; nullopt when it is missing or not believable.
std::optional<TrustedKey> readTrustFile(const fs::path& file, TrustRole role, const std::string& keyId)
{
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(file, ec)))
        return std::nullopt;
    auto text = readFile(file, 64 * 1024);
    if (!text)
        return std::nullopt;
    auto key = PublicKey::parse(*text);
    if (!key || key->keyId() != keyId)
        return std::nullopt;
    TrustedKey t;
    t.key = *key;
    t.role = role;
    // The comment line is the name (the parse above checked it is there).
    const std::string_view prefix = "untrusted comment: ";
    std::string_view first(*text);
    first = first.substr(0, first.find('\n'));
    if (!first.empty() && first.back() == '\r')
        first.remove_suffix(1);
    t.name = cleanName(first.substr(prefix.size()), kMaxNameBytes);
    return t;
}

// Splits "<role>-<KEYID>.pub" into its parts.
std::optional<std::pair<TrustRole, std::string>> parseFileName(const std::string& fileName)
{
    constexpr std::string_view ext = ".pub";
    if (fileName.size() <= ext.size() || fileName.compare(fileName.size() - ext.size(), ext.size(), ext) != 0)
        return std::nullopt;
    const std::string stem = fileName.substr(0, fileName.size() - ext.size());
    const auto dash = stem.rfind('-');
    if (dash == std::string::npos)
        return std::nullopt;
    const std::string roleText = stem.substr(0, dash);
    const std::string idText = stem.substr(dash + 1);
    std::optional<TrustRole> role;
    for (TrustRole r : kRoles)
        if (roleText == roleName(r))
            role = r;
    auto id = normalizeKeyId(idText);
    if (!role || !id || *id != idText)
        return std::nullopt;
    return std::make_pair(*role, *id);
}

} // namespace

std::string_view roleName(TrustRole role)
{
    switch (role) {
    case TrustRole::Mesh:
        return "mesh";
    case TrustRole::Founder:
        return "founder";
    case TrustRole::Station:
        return "station";
    }
    return "mesh";
}

std::optional<TrustRole> roleFromName(std::string_view name)
{
    const std::string lowered = lower(name);
    for (TrustRole r : kRoles)
        if (lowered == roleName(r))
            return r;
    return std::nullopt;
}

TrustStore::TrustStore(fs::path dir) : dir_(std::move(dir)) {}

Result<TrustedKey> TrustStore::add(const PublicKey& key, TrustRole role, std::string name)
{
    return guarded([&]() -> Result<TrustedKey> {
        if (sodium_init() < 0)
            return fail("libsodium could not be initialised");
        if (crypto_core_ed25519_is_valid_point(key.pk.data()) != 1)
            return fail("key " + key.keyId() + " is not a valid Ed25519 public key");
        std::error_code ec;
        fs::create_directories(dir_, ec);
        if (ec)
            return fail(dir_.string() + ": cannot create the trust directory: " + ec.message());
        TrustedKey t;
        t.key = key;
        t.role = role;
        t.name = cleanName(name, kMaxNameBytes);
        const fs::path file = keyFile(dir_, role, key.keyId());
        if (fs::is_symlink(fs::symlink_status(file, ec)))
            return fail(file.string() + ": is a symbolic link; not replacing it");
        // An empty comment would round-trip as an empty name; keep the file
        // self-describing for `cat` with minisign's usual comment instead.
        const std::string comment = t.name.empty() ? "minisign public key " + key.keyId() : t.name;
        if (t.name.empty())
            t.name = comment;
        auto st = writeFileAtomic(file, key.fileText(comment), 0644);
        if (!st)
            return st.error();
        return t;
    });
}

Status TrustStore::remove(std::string_view keyId, std::optional<TrustRole> role)
{
    return guarded([&]() -> Status {
        const auto id = normalizeKeyId(keyId);
        if (!id)
            return fail(ErrorCode::Usage, "\"" + std::string(keyId) + "\": not a key id (expected 16 hex digits)");
        bool removed = false;
        for (TrustRole r : kRoles) {
            if (role && *role != r)
                continue;
            const fs::path file = keyFile(dir_, r, *id);
            std::error_code ec;
            const auto st = fs::symlink_status(file, ec);
            if (!fs::exists(st))
                continue;
            if (!fs::remove(file, ec) || ec)
                return fail(file.string() + ": cannot remove: " + ec.message());
            removed = true;
        }
        if (!removed)
            return fail(ErrorCode::NotFound,
                        "key " + *id + " is not trusted" + (role ? " as " + std::string(roleName(*role)) : std::string()),
                        *id);
        try {
            fsyncDirectory(dir_);
        } catch (const Failure&) {
            // removal happened; durability of the directory entry is best effort
        }
        return {};
    });
}

std::vector<TrustedKey> TrustStore::list() const
{
    std::vector<TrustedKey> out;
    std::error_code ec;
    fs::directory_iterator it(dir_, ec);
    if (ec)
        return out;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec)
            break;
        const auto parts = parseFileName(it->path().filename().string());
        if (!parts)
            continue;
        if (auto t = readTrustFile(it->path(), parts->first, parts->second))
            out.push_back(std::move(*t));
    }
    std::sort(out.begin(), out.end(), [](const TrustedKey& a, const TrustedKey& b) {
        if (a.role != b.role)
            return static_cast<int>(a.role) < static_cast<int>(b.role);
        if (a.name != b.name)
            return a.name < b.name;
        return a.keyId() < b.keyId();
    });
    return out;
}

std::optional<TrustedKey> TrustStore::find(std::string_view keyId, std::optional<TrustRole> role) const
{
    const auto id = normalizeKeyId(keyId);
    if (!id)
        return std::nullopt;
    for (TrustRole r : kRoles) {
        if (role && *role != r)
            continue;
        if (auto t = readTrustFile(keyFile(dir_, r, *id), r, *id))
            return t;
    }
    return std::nullopt;
}

} // namespace atmo
