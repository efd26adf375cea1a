// minisign-compatible keys and signatures (see minisign.h for the layouts).
// Byte formats follow minisign 0.11 (src/minisign.c, src/minisign.h):
//  - keys made by `minisign -G -W` have kdf_alg 00 00, a zero salt, zero
//    limits and an all-zero checksum; minisign never checks chk for them, so
//    we accept a zero chk there and otherwise require it to match;
//  - a line of the signature file is at most what minisign's fgets() buffers
//    hold (untrusted comment 1024, trusted comment 8192 bytes with prefix),
//    so what we write is always readable by the stock tool.
#include "core/package/minisign.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/base/fs_util.h"
#include "core/base/text.h"

namespace atmo {

namespace {

constexpr std::string_view kCommentPrefix = "untrusted comment: ";
constexpr std::string_view kTrustedPrefix = "trusted comment: ";
constexpr std::size_t kCommentMaxBytes = 1024;         // minisign COMMENTMAXBYTES
constexpr std::size_t kTrustedCommentMaxBytes = 8192;  // minisign TRUSTEDCOMMENTMAXBYTES
// Longest trusted comment minisign can read back: fgets(8192) must hold
// prefix + comment + '\n' in 8191 bytes.
constexpr std::size_t kTrustedCommentLimit = kTrustedCommentMaxBytes - 1 - kTrustedPrefix.size() - 1;
// Longest untrusted comment that keeps the line (with '\n') within 1023 bytes.
constexpr std::size_t kCommentLimit = kCommentMaxBytes - 1 - kCommentPrefix.size() - 1;

constexpr std::size_t kPublicKeyBytes = 2 + 8 + 32;
constexpr std::size_t kSignatureBytes = 2 + 8 + 64;
constexpr std::size_t kKeynumSkBytes = 8 + 64 + 32;
constexpr std::size_t kSecretKeyBytes = 2 + 2 + 2 + 32 + 8 + 8 + kKeynumSkBytes;
// Offsets inside the secret key structure.
constexpr std::size_t kOffKdf = 2, kOffChkAlg = 4, kOffSalt = 6, kOffOps = 38, kOffMem = 46, kOffKeynum = 54,
                      kOffSk = 62, kOffChk = 126;

// Upper bounds for scrypt parameters read from a key file, so a hostile file
// cannot make us allocate or spin without end. minisign uses 1 GiB / 2^25.
constexpr std::uint64_t kMaxMemlimit = 16ull << 30;
constexpr std::uint64_t kMaxOpslimit = 1ull << 36;

// sodium_init() is idempotent and thread-safe; call it before any use.
const int kSodiumReady = sodium_init();

void ensureSodium()
{
    static const int r = sodium_init();
    if (r < 0 || kSodiumReady < 0)
        throw Failure("libsodium could not be initialised");
}

// Zeroes a buffer when it goes out of scope.
struct Wipe {
    void* p;
    std::size_t n;
    ~Wipe() { sodium_memzero(p, n); }
};

std::uint64_t le64Load(const std::uint8_t* p)
{
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

void le64Store(std::uint8_t* p, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::string hexKeyId(const KeyNum& keyNum)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(le64Load(keyNum.data())));
    return buf;
}

// Splits into lines on '\n', dropping one trailing '\r' per line (CRLF files).
// Trailing empty lines are dropped; an empty line before the last non-empty
// line stays, so callers see it and reject it.
std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    while (!lines.empty() && lines.back().empty())
        lines.pop_back();
    return lines;
}

// Decodes a base64 field of exactly `size` bytes.
bool decodeExact(std::string_view text, std::size_t size, std::uint8_t* out)
{
    std::vector<std::uint8_t> buf(text.size() / 4 * 3 + 3);
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(buf.data(), buf.size(), text.data(), text.size(), nullptr, &len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size() || len != size) {
        sodium_memzero(buf.data(), buf.size());
        return false;
    }
    std::memcpy(out, buf.data(), size);
    sodium_memzero(buf.data(), buf.size());
    return true;
}

// One-line comment that minisign can read back: no CR/LF/NUL, bounded length
// (cut on a UTF-8 character boundary).
std::string oneLineComment(std::string_view text, std::size_t limit)
{
    std::string s(text);
    for (auto& c : s)
        if (c == '\n' || c == '\r' || c == '\0')
            c = ' ';
    if (s.size() > limit) {
        std::size_t cut = limit;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
            --cut;
        s.resize(cut);
    }
    return s;
}

void checksum(std::uint8_t out[32], const std::uint8_t sigAlg[2], const std::uint8_t keynum[8],
              const std::uint8_t sk[64])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, 32);
    crypto_generichash_update(&st, sigAlg, 2);
    crypto_generichash_update(&st, keynum, 8);
    crypto_generichash_update(&st, sk, 64);
    crypto_generichash_final(&st, out, 32);
}

// The scrypt stream XORed over keynum || sk || chk.
bool scryptStream(std::uint8_t out[kKeynumSkBytes], const std::string& password, const std::uint8_t salt[32],
                  std::uint64_t opslimit, std::uint64_t memlimit)
{
    return crypto_pwhash_scryptsalsa208sha256(out, kKeynumSkBytes, password.data(), password.size(), salt,
                                              static_cast<unsigned long long>(opslimit),
                                              static_cast<std::size_t>(memlimit)) == 0;
}

std::array<std::uint8_t, 64> blake2b512(std::string_view message)
{
    std::array<std::uint8_t, 64> h{};
    crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), nullptr, 0);
    return h;
}

Result<PublicKey> publicKeyFromLine(std::string_view line, const std::string& name)
{
    std::array<std::uint8_t, kPublicKeyBytes> raw{};
    if (!decodeExact(line, raw.size(), raw.data()))
        return fail(name + ": not a minisign public key (the key line is not base64 of 42 bytes)");
    if (raw[0] != 'E' || raw[1] != 'd')
        return fail(name + ": not a minisign public key (unsupported signature algorithm)");
    PublicKey key;
    std::memcpy(key.keyNum.data(), raw.data() + 2, 8);
    std::memcpy(key.pk.data(), raw.data() + 10, 32);
    return key;
}

Result<PublicKey> parsePublicKeyNamed(std::string_view text, const std::string& name)
{
    const auto lines = splitLines(text);
    if (lines.empty())
        return fail(name + ": not a minisign public key (the file is empty)");
    if (!startsWith(lines[0], kCommentPrefix))
        return fail(name + ": not a minisign public key (the first line must start with \"untrusted comment: \")");
    if (lines.size() < 2)
        return fail(name + ": not a minisign public key (the key line is missing)");
    if (lines.size() > 2)
        return fail(name + ": not a minisign public key (unexpected text after the key line)");
    return publicKeyFromLine(lines[1], name);
}

// Decodes the secret key file's structure (still encrypted).
Result<std::array<std::uint8_t, kSecretKeyBytes>> decodeSecretKeyFile(std::string_view text, const std::string& name)
{
    const auto lines = splitLines(text);
    if (lines.empty())
        return fail(name + ": not a minisign secret key (the file is empty)");
    if (!startsWith(lines[0], kCommentPrefix))
        return fail(name + ": not a minisign secret key (the first line must start with \"untrusted comment: \")");
    if (lines.size() < 2)
        return fail(name + ": not a minisign secret key (the key line is missing)");
    if (lines.size() > 2)
        return fail(name + ": not a minisign secret key (unexpected text after the key line)");
    std::array<std::uint8_t, kSecretKeyBytes> raw{};
    if (!decodeExact(lines[1], raw.size(), raw.data()))
        return fail(name + ": not a minisign secret key (the key line is not base64 of " +
                    std::to_string(kSecretKeyBytes) + " bytes)");
    if (raw[0] != 'E' || raw[1] != 'd') {
        sodium_memzero(raw.data(), raw.size());
        return fail(name + ": unsupported signature algorithm in the secret key");
    }
    if (raw[kOffChkAlg] != 'B' || raw[kOffChkAlg + 1] != '2') {
        sodium_memzero(raw.data(), raw.size());
        return fail(name + ": unsupported checksum algorithm in the secret key");
    }
    const bool scrypt = raw[kOffKdf] == 'S' && raw[kOffKdf + 1] == 'c';
    const bool none = raw[kOffKdf] == 0 && raw[kOffKdf + 1] == 0;
    if (!scrypt && !none) {
        sodium_memzero(raw.data(), raw.size());
        return fail(name + ": unsupported key derivation function in the secret key");
    }
    return raw;
}

} // namespace

// ---- public keys -------------------------------------------------------------

std::string PublicKey::keyId() const { return hexKeyId(keyNum); }

std::string PublicKey::base64() const
{
    std::array<std::uint8_t, kPublicKeyBytes> raw{};
    raw[0] = 'E';
    raw[1] = 'd';
    std::memcpy(raw.data() + 2, keyNum.data(), 8);
    std::memcpy(raw.data() + 10, pk.data(), 32);
    return base64Encode(raw.data(), raw.size());
}

std::string PublicKey::fileText(std::string_view untrustedComment) const
{
    // minisign writes the key id here with printf("%" PRIX64), without zero
    // padding; so do we, so `minisign -R` recreates this file byte for byte.
    std::string unpadded = keyId();
    unpadded.erase(0, std::min(unpadded.find_first_not_of('0'), unpadded.size() - 1));
    const std::string comment =
        untrustedComment.empty() ? "minisign public key " + unpadded : oneLineComment(untrustedComment, kCommentLimit);
    return std::string(kCommentPrefix) + comment + "\n" + base64() + "\n";
}

Result<PublicKey> PublicKey::fromBase64(std::string_view line)
{
    ensureSodium();
    return publicKeyFromLine(trimmed(line), "public key");
}

Result<PublicKey> PublicKey::parse(std::string_view fileText)
{
    ensureSodium();
    return parsePublicKeyNamed(fileText, "public key");
}

Result<PublicKey> PublicKey::load(const std::filesystem::path& file)
{
    ensureSodium();
    auto text = readFile(file, 64 * 1024);
    if (!text)
        return text.error();
    return parsePublicKeyNamed(*text, file.string());
}

// ---- secret keys -------------------------------------------------------------

PublicKey SecretKey::publicKey() const
{
    PublicKey p;
    p.keyNum = keyNum;
    std::memcpy(p.pk.data(), sk.data() + 32, 32);
    return p;
}

SecretKey generateSecretKey()
{
    ensureSodium();
    SecretKey key;
    std::array<std::uint8_t, 32> pk{};
    randombytes_buf(key.keyNum.data(), key.keyNum.size());
    crypto_sign_keypair(pk.data(), key.sk.data());
    return key;
}

std::string secretKeyFileText(const SecretKey& key, const std::optional<std::string>& password, KdfParams params)
{
    ensureSodium();
    std::array<std::uint8_t, kSecretKeyBytes> raw{};
    Wipe wipeRaw{raw.data(), raw.size()};
    raw[0] = 'E';
    raw[1] = 'd';
    raw[kOffChkAlg] = 'B';
    raw[kOffChkAlg + 1] = '2';
    std::memcpy(raw.data() + kOffKeynum, key.keyNum.data(), 8);
    std::memcpy(raw.data() + kOffSk, key.sk.data(), 64);
    // minisign -G -W leaves chk zero in unencrypted keys, minisign -C -W keeps
    // the real one; we always store the real checksum (minisign ignores it
    // there) so damage is detected on load. It is the one byte range where
    // our unencrypted key file differs from minisign -G -W's.
    checksum(raw.data() + kOffChk, raw.data(), raw.data() + kOffKeynum, raw.data() + kOffSk);
    if (password) {
        raw[kOffKdf] = 'S';
        raw[kOffKdf + 1] = 'c';
        randombytes_buf(raw.data() + kOffSalt, 32);
        le64Store(raw.data() + kOffOps, params.opslimit);
        le64Store(raw.data() + kOffMem, params.memlimit);
        std::array<std::uint8_t, kKeynumSkBytes> stream{};
        Wipe wipeStream{stream.data(), stream.size()};
        if (!scryptStream(stream.data(), *password, raw.data() + kOffSalt, params.opslimit, params.memlimit))
            throw Failure("cannot derive a key from the password (scrypt with " + humanBytes(params.memlimit) +
                          " of memory failed)");
        for (std::size_t i = 0; i < kKeynumSkBytes; ++i)
            raw[kOffKeynum + i] ^= stream[i];
    }
    std::string line = base64Encode(raw.data(), raw.size());
    // minisign 0.11 writes this comment whether the key is encrypted or not
    // (-G -W included); the KDF bytes, not the comment, say which it is.
    std::string text = std::string(kCommentPrefix) + "minisign encrypted secret key\n" + line + "\n";
    sodium_memzero(line.data(), line.size());
    return text;
}

bool secretKeyIsEncrypted(std::string_view fileText)
{
    ensureSodium();
    auto raw = decodeSecretKeyFile(fileText, "secret key");
    if (!raw)
        return false;
    const bool enc = (*raw)[kOffKdf] == 'S';
    sodium_memzero(raw->data(), raw->size());
    return enc;
}

Result<SecretKey> parseSecretKey(std::string_view fileText, const std::optional<std::string>& password,
                                 std::string_view nameForErrors, SecretKeyProblem* problem)
{
    ensureSodium();
    const std::string name(nameForErrors);
    const auto failAs = [problem](SecretKeyProblem kind, Error error) {
        if (problem)
            *problem = kind;
        return error;
    };
    auto decoded = decodeSecretKeyFile(fileText, name);
    if (!decoded)
        return failAs(SecretKeyProblem::NotAKey, decoded.error());
    auto& raw = *decoded;
    Wipe wipeRaw{raw.data(), raw.size()};
    const bool encrypted = raw[kOffKdf] == 'S';
    std::uint8_t chk[32];
    Wipe wipeChk{chk, sizeof chk};
    if (encrypted) {
        if (!password)
            return failAs(SecretKeyProblem::NeedsPassword,
                          fail(name + ": the secret key is encrypted and no password was given"));
        const std::uint64_t ops = le64Load(raw.data() + kOffOps);
        const std::uint64_t mem = le64Load(raw.data() + kOffMem);
        if (ops > kMaxOpslimit || mem > kMaxMemlimit)
            return failAs(SecretKeyProblem::Damaged, fail(name + ": the secret key's scrypt parameters are out of range"));
        std::array<std::uint8_t, kKeynumSkBytes> stream{};
        Wipe wipeStream{stream.data(), stream.size()};
        if (!scryptStream(stream.data(), *password, raw.data() + kOffSalt, ops, mem))
            return failAs(SecretKeyProblem::NotEnoughMemory,
                          fail(name + ": cannot derive the key from the password (scrypt needs " + humanBytes(mem) +
                               " of memory)"));
        for (std::size_t i = 0; i < kKeynumSkBytes; ++i)
            raw[kOffKeynum + i] ^= stream[i];
        checksum(chk, raw.data(), raw.data() + kOffKeynum, raw.data() + kOffSk);
        if (sodium_memcmp(chk, raw.data() + kOffChk, 32) != 0)
            return failAs(SecretKeyProblem::WrongPassword, fail(name + ": wrong password"));
    } else {
        checksum(chk, raw.data(), raw.data() + kOffKeynum, raw.data() + kOffSk);
        if (!sodium_is_zero(raw.data() + kOffChk, 32) && sodium_memcmp(chk, raw.data() + kOffChk, 32) != 0)
            return failAs(SecretKeyProblem::Damaged, fail(name + ": the secret key is damaged (its checksum does not match)"));
    }
    SecretKey key;
    std::memcpy(key.keyNum.data(), raw.data() + kOffKeynum, 8);
    std::memcpy(key.sk.data(), raw.data() + kOffSk, 64);
    // The second half of an Ed25519 secret key is its public key; it must be
    // the one the seed derives (catches damage the zero chk of -W keys cannot).
    std::array<std::uint8_t, 32> pk{};
    std::array<std::uint8_t, 64> derived{};
    Wipe wipeDerived{derived.data(), derived.size()};
    crypto_sign_seed_keypair(pk.data(), derived.data(), key.sk.data());
    if (sodium_memcmp(derived.data(), key.sk.data(), 64) != 0) {
        sodium_memzero(key.sk.data(), key.sk.size());
        return failAs(SecretKeyProblem::Damaged, fail(name + ": the secret key is damaged (its public half does not match)"));
    }
    return key;
}

Result<SecretKey> loadSecretKey(const std::filesystem::path& file, const std::optional<std::string>& password,
                                SecretKeyProblem* problem)
{
    auto text = readFile(file, 64 * 1024);
    if (!text) {
        if (problem)
            *problem = SecretKeyProblem::Unreadable;
        return text.error();
    }
    Wipe wipeText{text->data(), text->size()};
    return parseSecretKey(*text, password, file.string(), problem);
}

bool secretKeyFileIsEncrypted(const std::filesystem::path& file)
{
    auto text = readFile(file, 64 * 1024);
    if (!text)
        return false;
    const bool enc = secretKeyIsEncrypted(*text);
    sodium_memzero(text->data(), text->size());
    return enc;
}

Result<PublicKey> writeKeyPair(const std::filesystem::path& dir, const std::string& name, const SecretKey& key,
                               const std::optional<std::string>& password, KdfParams params)
{
    return guarded([&]() -> Result<PublicKey> {
        if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
            return fail("\"" + name + "\": not a valid key name");
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec)
            return fail(dir.string() + ": cannot create the directory: " + ec.message());
        const auto keyPath = dir / (name + ".key");
        const auto pubPath = dir / (name + ".pub");
        for (const auto& p : {keyPath, pubPath})
            if (std::filesystem::exists(std::filesystem::symlink_status(p)))
                return fail(p.string() + ": already exists; not overwriting it");
        std::string keyText = secretKeyFileText(key, password, params);
        Wipe wipeText{keyText.data(), keyText.size()};
        {
            AtomicFile f(keyPath, 0600);
            f.write(keyText);
            f.commit(false);
        }
        const PublicKey pub = key.publicKey();
        try {
            AtomicFile f(pubPath, 0644);
            f.write(pub.fileText());
            f.commit(false);
        } catch (...) {
            std::filesystem::remove(keyPath, ec);
            throw;
        }
        return pub;
    });
}

// ---- signatures ----------------------------------------------------------------

std::string Signature::keyId() const { return hexKeyId(keyNum); }

std::string Signature::fileText() const
{
    std::array<std::uint8_t, kSignatureBytes> raw{};
    std::memcpy(raw.data(), algorithm.data(), 2);
    std::memcpy(raw.data() + 2, keyNum.data(), 8);
    std::memcpy(raw.data() + 10, sig.data(), 64);
    return std::string(kCommentPrefix) + oneLineComment(untrustedComment, kCommentLimit) + "\n" +
           base64Encode(raw.data(), raw.size()) + "\n" + std::string(kTrustedPrefix) + trustedComment + "\n" +
           base64Encode(globalSig.data(), globalSig.size()) + "\n";
}

Result<Signature> Signature::parse(std::string_view fileText)
{
    ensureSodium();
    const auto lines = splitLines(fileText);
    if (lines.empty())
        return fail("not a minisign signature (the file is empty)");
    if (!startsWith(lines[0], kCommentPrefix))
        return fail("not a minisign signature (the first line must start with \"untrusted comment: \")");
    if (lines[0].size() > kCommentMaxBytes - 2)
        return fail("not a minisign signature (the untrusted comment is too long)");
    if (lines.size() < 4)
        return fail("not a minisign signature (expected 4 lines, found " + std::to_string(lines.size()) + ")");
    if (lines.size() > 4)
        return fail("not a minisign signature (unexpected text after the global signature)");
    if (!startsWith(lines[2], kTrustedPrefix))
        return fail("not a minisign signature (the third line must start with \"trusted comment: \")");
    Signature s;
    std::array<std::uint8_t, kSignatureBytes> raw{};
    if (!decodeExact(lines[1], raw.size(), raw.data()))
        return fail("not a minisign signature (the signature line is not base64 of 74 bytes)");
    if (!((raw[0] == 'E' && raw[1] == 'D') || (raw[0] == 'E' && raw[1] == 'd')))
        return fail("unsupported signature algorithm (neither \"ED\" nor \"Ed\")");
    std::memcpy(s.algorithm.data(), raw.data(), 2);
    std::memcpy(s.keyNum.data(), raw.data() + 2, 8);
    std::memcpy(s.sig.data(), raw.data() + 10, 64);
    s.untrustedComment = std::string(lines[0].substr(kCommentPrefix.size()));
    s.trustedComment = std::string(lines[2].substr(kTrustedPrefix.size()));
    if (s.trustedComment.size() > kTrustedCommentLimit)
        return fail("not a minisign signature (the trusted comment is too long)");
    if (s.trustedComment.find('\r') != std::string::npos || s.trustedComment.find('\0') != std::string::npos)
        return fail("not a minisign signature (the trusted comment contains a control character)");
    if (!decodeExact(lines[3], 64, s.globalSig.data()))
        return fail("not a minisign signature (the global signature line is not base64 of 64 bytes)");
    return s;
}

Signature signMessage(const SecretKey& key, std::string_view message, std::string_view trustedComment,
                      std::string_view untrustedComment)
{
    ensureSodium();
    if (trustedComment.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
        throw Failure("a trusted comment must be a single line");
    if (trustedComment.size() > kTrustedCommentLimit)
        throw Failure("a trusted comment must be at most " + std::to_string(kTrustedCommentLimit) + " bytes");
    Signature s;
    s.algorithm = {{'E', 'D'}};
    s.keyNum = key.keyNum;
    s.untrustedComment = oneLineComment(untrustedComment, kCommentLimit);
    s.trustedComment = std::string(trustedComment);
    const auto hash = blake2b512(message);
    crypto_sign_detached(s.sig.data(), nullptr, hash.data(), hash.size(), key.sk.data());
    std::string global(reinterpret_cast<const char*>(s.sig.data()), s.sig.size());
    global += s.trustedComment;
    crypto_sign_detached(s.globalSig.data(), nullptr, reinterpret_cast<const unsigned char*>(global.data()),
                         global.size(), key.sk.data());
    return s;
}

Status verifySignature(const Signature& signature, const PublicKey& key, std::string_view message)
{
    ensureSodium();
    if (signature.keyNum != key.keyNum)
        return fail("signature was made by key " + signature.keyId() + " but the key given is " + key.keyId());
    int rc = -1;
    if (signature.algorithm[0] == 'E' && signature.algorithm[1] == 'D') {
        const auto hash = blake2b512(message);
        rc = crypto_sign_verify_detached(signature.sig.data(), hash.data(), hash.size(), key.pk.data());
    } else if (signature.algorithm[0] == 'E' && signature.algorithm[1] == 'd') {
        rc = crypto_sign_verify_detached(signature.sig.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                         message.size(), key.pk.data());
    } else {
        return fail("unsupported signature algorithm (neither \"ED\" nor \"Ed\")");
    }
    if (rc != 0)
        return fail("signature does not match the data (the file was changed, or the signature is for other data)");
    std::string global(reinterpret_cast<const char*>(signature.sig.data()), signature.sig.size());
    global += signature.trustedComment;
    if (crypto_sign_verify_detached(signature.globalSig.data(), reinterpret_cast<const unsigned char*>(global.data()),
                                    global.size(), key.pk.data()) != 0)
        return fail("the trusted comment does not match its signature (it was changed)");
    return {};
}

std::array<std::uint8_t, 64> signDetached(const SecretKey& key, std::string_view message)
{
    ensureSodium();
    std::array<std::uint8_t, 64> sig{};
    crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         key.sk.data());
    return sig;
}

bool verifyDetached(const PublicKey& key, std::string_view message, const std::array<std::uint8_t, 64>& sig)
{
    ensureSodium();
    return crypto_sign_verify_detached(sig.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                       message.size(), key.pk.data()) == 0;
}

} // namespace atmo
