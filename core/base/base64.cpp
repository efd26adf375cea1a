#include "core/base/base64.h"

#include <sodium.h>

namespace atmo {

namespace {

int sodiumVariant(Base64 variant)
{
    return variant == Base64::Standard ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}

} // namespace

std::string base64Encode(const std::uint8_t* data, std::size_t size, Base64 variant)
{
    const int v = sodiumVariant(variant);
    const std::size_t len = sodium_base64_ENCODED_LEN(size, v);
    std::string out(len, '\0');
    sodium_bin2base64(out.data(), len, data, size, v);
    out.resize(len - 1); // drop the terminating NUL
    return out;
}

Result<std::string> base64Decode(std::string_view text, Base64 variant)
{
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                          nullptr, &len, &end, sodiumVariant(variant)) != 0
        || end != text.data() + text.size())
        return fail(ErrorCode::BadData, variant == Base64::Standard ? "invalid base64" : "invalid base64url");
    out.resize(len);
    return out;
}

} // namespace atmo
