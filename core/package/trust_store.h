// Public keys this station trusts, each with a role. Stored as minisign
// public key files in <home>/trust/<role>-<KEYID>.pub whose untrusted comment
// carries the name, so an operator can inspect it with cat.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/package/minisign.h"
#include "core/base/result.h"

namespace atmo {

enum class TrustRole { Mesh, Founder, Station };

std::string_view roleName(TrustRole role);                 // "mesh", "founder", "station"
std::optional<TrustRole> roleFromName(std::string_view name);

struct TrustedKey {
    PublicKey key;
    TrustRole role = TrustRole::Mesh;
    std::string name;
    std::string keyId() const { return key.keyId(); }
};

class TrustStore {
public:
    explicit TrustStore(std::filesystem::path dir);

    const std::filesystem::path& dir() const { return dir_; }
    // Adding the same key with the same role again updates its name.
    Result<TrustedKey> add(const PublicKey& key, TrustRole role, std::string name);
    // Removes the key from the given role, or from every role when nullopt.
    Status remove(std::string_view keyId, std::optional<TrustRole> role = std::nullopt);
    std::vector<TrustedKey> list() const; // sorted by role then name
    std::optional<TrustedKey> find(std::string_view keyId, std::optional<TrustRole> role = std::nullopt) const;

private:
    std::filesystem::path dir_;
};

} // namespace atmo
