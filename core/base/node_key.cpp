#include "core/base/node_key.h"

#include <sodium.h>

#include <cstring>
#include <system_error>

#include "core/base/base64.h"
#include "core/base/fs_util.h"
#include "core/base/sha256.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "atmosphere-ed25519-secret-key-v1";
constexpr std::size_t kSeedBytes = crypto_sign_SEEDBYTES;
static_assert(crypto_sign_PUBLICKEYBYTES == 32 && crypto_sign_SECRETKEYBYTES == 64 && crypto_sign_BYTES == 64);

void ensureSodium()
{
    static const int r = sodium_init();
    if (r < 0)
        throw Failure("libsodium could not be initialised");
}

// Zeroes a string holding secret bytes when it goes out of scope.
struct WipeString {
    std::string& s;
    ~WipeString() { sodium_memzero(s.data(), s.size()); }
};

} // namespace

std::string nodeIdFor(const Ed25519PublicKey& publicKey)
{
    Sha256 h;
    h.update(publicKey.data(), publicKey.size());
    return h.finishHex().substr(0, 16);
}

Result<Ed25519PublicKey> parsePublicKeyBase64(std::string_view text, std::string_view what)
{
    auto raw = base64Decode(text);
    if (!raw || raw->size() != 32)
        return fail(ErrorCode::BadData, std::string(what) + ": not a base64 Ed25519 public key (32 bytes)");
    Ed25519PublicKey key;
    std::memcpy(key.data(), raw->data(), key.size());
    return key;
}

Status verifySignature(const Ed25519PublicKey& publicKey, std::string_view message, std::string_view signatureBase64)
{
    ensureSodium();
    auto sig = base64Decode(signatureBase64);
    if (!sig || sig->size() != crypto_sign_BYTES)
        return fail(ErrorCode::BadData, "signature: not a base64 Ed25519 signature (64 bytes)");
    if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                    reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                    publicKey.data())
        != 0)
        return fail(ErrorCode::Untrusted, "signature does not verify with key " + nodeIdFor(publicKey));
    return {};
}

Status verifySignature(std::string_view publicKeyBase64, std::string_view message, std::string_view signatureBase64)
{
    auto key = parsePublicKeyBase64(publicKeyBase64);
    if (!key)
        return key.error();
    return verifySignature(*key, message, signatureBase64);
}

NodeKey NodeKey::generate()
{
    ensureSodium();
    NodeKey k;
    crypto_sign_keypair(k.publicKey_.data(), k.secret_.data());
    return k;
}

Result<NodeKey> NodeKey::fromSeed(std::string_view seed)
{
    ensureSodium();
    if (seed.size() != kSeedBytes)
        return fail(ErrorCode::Usage, "an Ed25519 seed has 32 bytes, not " + std::to_string(seed.size()));
    NodeKey k;
    crypto_sign_seed_keypair(k.publicKey_.data(), k.secret_.data(),
                             reinterpret_cast<const unsigned char*>(seed.data()));
    return k;
}

NodeKey::~NodeKey() { sodium_memzero(secret_.data(), secret_.size()); }

std::string NodeKey::publicKeyBase64() const { return base64Encode(publicKey_.data(), publicKey_.size()); }

std::string NodeKey::sign(std::string_view message) const
{
    std::array<unsigned char, crypto_sign_BYTES> sig{};
    crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         secret_.data());
    return base64Encode(sig.data(), sig.size());
}

Result<NodeKey> NodeKey::load(const fs::path& file)
{
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(file, ec)))
        return fail(ErrorCode::NotFound, file.string() + ": no such key file", file.string());
    const auto bad = [&](const std::string& why) {
        return fail(ErrorCode::BadData, file.string() + ": not an Ed25519 key file (" + why + ")", file.string());
    };
    if (fs::is_regular_file(file, ec) && fs::file_size(file, ec) > 4096)
        return bad("too large");
    auto text = readFile(file, 4096);
    if (!text)
        return fail(ErrorCode::Io, text.message(), file.string());
    WipeString wipeText{*text};
    std::string_view rest = *text;
    const std::size_t nl = rest.find('\n');
    if (nl == std::string_view::npos || rest.substr(0, nl) != kMagic)
        return bad("its first line is not \"" + std::string(kMagic) + "\"");
    rest.remove_prefix(nl + 1);
    if (!rest.empty() && rest.back() == '\n')
        rest.remove_suffix(1);
    if (rest.find('\n') != std::string_view::npos)
        return bad("more than two lines");
    auto seed = base64Decode(rest);
    if (!seed)
        return bad("its second line is not base64");
    WipeString wipeSeed{*seed};
    if (seed->size() != kSeedBytes)
        return bad("the seed has " + std::to_string(seed->size()) + " bytes, not 32");
    return fromSeed(*seed);
}

Status NodeKey::save(const fs::path& file) const
{
    return guarded([&]() -> Status {
        std::error_code ec;
        if (fs::exists(fs::symlink_status(file, ec)))
            return fail(file.string() + ": already exists; not overwriting it");
        // crypto_sign's secret key is the seed followed by the public key.
        std::string text = std::string(kMagic) + "\n" + base64Encode(secret_.data(), kSeedBytes) + "\n";
        WipeString wipeText{text};
        AtomicFile f(file, 0600); // created 0600 (before the umask) with nothing in it
        f.write(text);
        f.commit(false);
        return {};
    });
}

Result<NodeKey> NodeKey::loadOrCreate(const fs::path& file)
{
    std::error_code ec;
    if (fs::exists(fs::symlink_status(file, ec)))
        return load(file);
    const NodeKey key = generate();
    auto saved = key.save(file);
    if (saved)
        return key;
    // Another process may have made it at the same moment: use theirs.
    if (fs::exists(fs::symlink_status(file, ec)))
        return load(file);
    return saved.error();
}

} // namespace atmo
