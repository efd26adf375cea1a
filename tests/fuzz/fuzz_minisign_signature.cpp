// A .minisig file as it arrives inside a package or from a peer
// (core/package/minisign.h Signature::parse), then checked against the fixture key
// the way the verifier checks a manifest's signature.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/package/minisign.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto sig = atmo::Signature::parse(text);
    if (!sig)
        return 0;
    (void)sig->keyId();
    // What parses must print back to something that parses to the same.
    auto again = atmo::Signature::parse(sig->fileText());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->sig == sig->sig && again->globalSig == sig->globalSig &&
               again->trustedComment == sig->trustedComment && again->keyNum == sig->keyNum);
    const atmo::PublicKey key = fuzz::fixtureKey().publicKey();
    (void)atmo::verifySignature(*sig, key, "fuzz message\n");
    return 0;
}
