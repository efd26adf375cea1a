// minisign key files (core/package/minisign.h): a .pub as `trust add` reads it, a key
// line as a peer or a user pastes it, a .key as the station loads it. An
// encrypted .key is parsed without a password: with one, each input would run
// scrypt with the parameters the input chose (bounded by kMaxMemlimit, but
// seconds per input); what follows the derivation is the unencrypted path.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/package/minisign.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto pub = atmo::PublicKey::parse(text)) {
        auto again = atmo::PublicKey::parse(pub->fileText("fuzz"));
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(again->pk == pub->pk && again->keyNum == pub->keyNum);
        FUZZ_CHECK(pub->keyId().size() == 16);
    }
    if (auto line = atmo::PublicKey::fromBase64(text))
        FUZZ_CHECK(line->base64().size() == 56);
    (void)atmo::secretKeyIsEncrypted(text);
    if (auto sk = atmo::parseSecretKey(text, std::nullopt, "fuzz.key")) {
        // A key that loads must sign what its public half verifies.
        const auto sig = atmo::signMessage(*sk, "m", "t");
        FUZZ_CHECK(atmo::verifySignature(sig, sk->publicKey(), "m").ok());
    }
    if (auto decoded = atmo::base64Decode(text)) {
        auto bytes = reinterpret_cast<const std::uint8_t*>(decoded->data());
        auto round = atmo::base64Decode(atmo::base64Encode(bytes, decoded->size()));
        FUZZ_CHECK(round.ok() && *round == *decoded);
    }
    return 0;
}
