#include "core/drives/readback_tag.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/base/result.h"

namespace atmo {

ReadBackKey randomReadBackKey()
{
    ReadBackKey key{};
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
        throw Failure("cannot get random bytes from OpenSSL for the read-back check");
    return key;
}

ReadBackTag::ReadBackTag(const ReadBackKey& key)
{
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "POLY1305", nullptr);
    if (mac)
        ctx_ = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac); // the context keeps its own reference
    if (!ctx_ || EVP_MAC_init(ctx_, key.data(), key.size(), nullptr) != 1) {
        EVP_MAC_CTX_free(ctx_);
        throw Failure("Poly1305: OpenSSL could not initialise a MAC context");
    }
}

ReadBackTag::~ReadBackTag() { EVP_MAC_CTX_free(ctx_); }

void ReadBackTag::update(const void* data, std::size_t size)
{
    if (size && EVP_MAC_update(ctx_, static_cast<const unsigned char*>(data), size) != 1)
        throw Failure("Poly1305: OpenSSL failed to update the MAC");
}

ReadBackDigest ReadBackTag::finish()
{
    ReadBackDigest out{};
    std::size_t len = 0;
    if (EVP_MAC_final(ctx_, out.data(), &len, out.size()) != 1 || len != out.size())
        throw Failure("Poly1305: OpenSSL failed to finish the MAC");
    return out;
}

} // namespace atmo
