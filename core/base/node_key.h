// A node's identity on a mesh (PROTOCOL.md "The relay"): an Ed25519 key pair
// (libsodium crypto_sign), whose node_id is the first 16 hex digits of
// SHA-256 over the raw 32-byte public key. A mesh key, which signs join
// tokens and the founder proof, is the same kind of key pair.
//
// It lives in base, not core/relay, because the station home (core/package)
// derives the station's node id from it and may not reach the relay layer.
//
// Key file (one format for node and mesh keys), two lines of text:
//   atmosphere-ed25519-secret-key-v1
//   <standard base64 of the 32-byte seed>
// The seed is what PyNaCl's SigningKey(seed) and libsodium's
// crypto_sign_seed_keypair take, so the same key can be used elsewhere. A
// file is created with mode 0600 before any secret byte is written, appears
// under its name only once complete, and is never overwritten; a file that
// is not in this format is refused (BadData, naming the file), never
// replaced.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace atmo {

using Ed25519PublicKey = std::array<std::uint8_t, 32>;

// The protocol's node_id for a public key: 16 lowercase hex digits.
std::string nodeIdFor(const Ed25519PublicKey& publicKey);

// A public key given as standard base64 of its 32 raw bytes; BadData
// ("<what>: not a base64 Ed25519 public key") otherwise.
Result<Ed25519PublicKey> parsePublicKeyBase64(std::string_view text, std::string_view what = "public key");

// Checks a base64 Ed25519 signature of `message`: BadData when the signature
// is not base64 of 64 bytes, Untrusted when it does not verify.
Status verifySignature(const Ed25519PublicKey& publicKey, std::string_view message, std::string_view signatureBase64);
// The same with the public key as base64 (BadData when it is not one).
Status verifySignature(std::string_view publicKeyBase64, std::string_view message, std::string_view signatureBase64);

class NodeKey {
public:
    static NodeKey generate();
    // From the 32-byte seed; Usage when it has another size.
    static Result<NodeKey> fromSeed(std::string_view seed);
    // Reads a key file (format above): NotFound when it does not exist,
    // BadData naming the file when it is not a key file.
    static Result<NodeKey> load(const std::filesystem::path& file);
    // Writes a new key file (mode 0600); refuses (Failed, naming the file)
    // when one exists.
    Status save(const std::filesystem::path& file) const;
    // load(), or on first use generate() and save(); when another process
    // made the file at the same moment, theirs is loaded.
    static Result<NodeKey> loadOrCreate(const std::filesystem::path& file);

    NodeKey(const NodeKey& other) = default;
    NodeKey& operator=(const NodeKey& other) = default;
    ~NodeKey();

    const Ed25519PublicKey& publicKey() const { return publicKey_; }
    std::string publicKeyBase64() const;
    std::string nodeId() const { return nodeIdFor(publicKey_); }
    // Standard base64 of the 64-byte detached signature of `message`.
    std::string sign(std::string_view message) const;

private:
    NodeKey() = default;
    std::array<std::uint8_t, 64> secret_{}; // libsodium's form: seed then public key
    Ed25519PublicKey publicKey_{};
};

} // namespace atmo
