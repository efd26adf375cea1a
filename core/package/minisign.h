// Keys and signatures in minisign's formats, so the stock `minisign` tool can
// verify what the station signs and the station can use keys minisign made.
//
// Public key file:  "untrusted comment: ...\n" + base64("Ed" || keynum[8] || pk[32]) + "\n"
// Secret key file:  "untrusted comment: ...\n" + base64(sig_alg "Ed" || kdf_alg ("Sc" or 0,0)
//                   || chk_alg "B2" || salt[32] || opslimit u64le || memlimit u64le
//                   || (keynum[8] || sk[64] || chk[32]) XOR scrypt stream) + "\n"
//                   chk = BLAKE2b-256(sig_alg || keynum || sk)
// Signature file:   "untrusted comment: ...\n" + base64("ED" || keynum || sig[64]) + "\n"
//                   + "trusted comment: ...\n" + base64(global_sig[64]) + "\n"
//                   "ED": sig over BLAKE2b-512(message); legacy "Ed": over the message.
//                   global_sig: Ed25519 over sig[64] || trusted comment bytes.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/base64.h"
#include "core/base/result.h"

namespace atmo {

using KeyNum = std::array<std::uint8_t, 8>;

struct PublicKey {
    KeyNum keyNum{};
    std::array<std::uint8_t, 32> pk{};

    // 16 uppercase hex digits of keynum read as a little-endian u64, exactly
    // as minisign prints it ("minisign public key 5A2B...").
    std::string keyId() const;
    std::string base64() const; // the key line, e.g. "RWQ..."
    std::string fileText(std::string_view untrustedComment = {}) const;

    static Result<PublicKey> fromBase64(std::string_view line);
    static Result<PublicKey> parse(std::string_view fileText); // whole .pub file
    static Result<PublicKey> load(const std::filesystem::path& file);
};

struct SecretKey {
    KeyNum keyNum{};
    std::array<std::uint8_t, 64> sk{}; // libsodium Ed25519 secret key (seed || pk)

    PublicKey publicKey() const;
    std::string keyId() const { return publicKey().keyId(); }
};

// Scrypt cost stored in each encrypted key file. minisign's own default
// ("sensitive": 1 GiB, ~4 s) would put a gigabyte and seconds into every
// signing; ours is scrypt's classic interactive setting, N=2^15 r=8 p=1
// (32 MiB, ~0.1 s), which libsodium derives from these two limits. Keys made
// by minisign (any parameters) are read with their own parameters.
struct KdfParams {
    std::uint64_t opslimit = 1048576;
    std::uint64_t memlimit = 33554432;
};

SecretKey generateSecretKey();

// The .key file text: encrypted with password, or unencrypted when nullopt.
std::string secretKeyFileText(const SecretKey& key, const std::optional<std::string>& password,
                              KdfParams params = {});
bool secretKeyIsEncrypted(std::string_view fileText);
// Why a secret key did not load, for a front end to word in its own
// language; the Error keeps core's English line.
enum class SecretKeyProblem {
    None,
    Unreadable,      // the file cannot be read (the error's code says how)
    NotAKey,         // not a minisign secret key, or one of an unsupported kind
    NeedsPassword,   // encrypted, and no password was given
    WrongPassword,   // the checksum does not match after decryption
    NotEnoughMemory, // scrypt could not get the memory the key asks for
    Damaged,         // out-of-range parameters, or halves that do not match
};

// password is ignored for unencrypted keys; a wrong password is an error
// ("<file>: wrong password"), detected by the checksum. On failure,
// *problem (when given) says which kind it is.
Result<SecretKey> parseSecretKey(std::string_view fileText, const std::optional<std::string>& password,
                                 std::string_view nameForErrors = "secret key",
                                 SecretKeyProblem* problem = nullptr);
Result<SecretKey> loadSecretKey(const std::filesystem::path& file, const std::optional<std::string>& password,
                                SecretKeyProblem* problem = nullptr);
bool secretKeyFileIsEncrypted(const std::filesystem::path& file); // false if unreadable

// Writes NAME.key (mode 0600) and NAME.pub into dir; refuses to overwrite.
Result<PublicKey> writeKeyPair(const std::filesystem::path& dir, const std::string& name,
                               const SecretKey& key, const std::optional<std::string>& password,
                               KdfParams params = {});

struct Signature {
    std::array<std::uint8_t, 2> algorithm{{'E', 'D'}}; // "ED" prehashed, "Ed" legacy
    KeyNum keyNum{};
    std::array<std::uint8_t, 64> sig{};
    std::string untrustedComment;
    std::string trustedComment;
    std::array<std::uint8_t, 64> globalSig{};

    std::string keyId() const;
    std::string fileText() const;
    static Result<Signature> parse(std::string_view fileText);
};

// Signs message (prehashed "ED", minisign's default) and returns the signature.
Signature signMessage(const SecretKey& key, std::string_view message, std::string_view trustedComment,
                      std::string_view untrustedComment = "signature from atmosphere station secret key");

// Checks the key id, the signature over the message and the global signature
// over the trusted comment. Errors say which.
Status verifySignature(const Signature& signature, const PublicKey& key, std::string_view message);

// Detached Ed25519 over raw bytes (used by chain-of-custody entries).
std::array<std::uint8_t, 64> signDetached(const SecretKey& key, std::string_view message);
bool verifyDetached(const PublicKey& key, std::string_view message, const std::array<std::uint8_t, 64>& sig);


} // namespace atmo
