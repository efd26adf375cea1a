// Base64 in the two alphabets the station meets: the standard one with
// padding (minisign files, custody signatures, the relay's keys and proofs,
// the chunks of a websocket_chunked transfer) and the URL-safe one without
// padding (the `atmosphere://join?invite=` link). Decoding is strict: any
// character outside the alphabet, wrong padding or trailing text fails with
// ErrorCode::BadData, so a hostile peer's text is never half-read.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace atmo {

enum class Base64 { Standard, UrlNoPadding };

std::string base64Encode(const std::uint8_t* data, std::size_t size, Base64 variant = Base64::Standard);
inline std::string base64Encode(std::string_view bytes, Base64 variant = Base64::Standard)
{
    return base64Encode(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), variant);
}
Result<std::string> base64Decode(std::string_view text, Base64 variant = Base64::Standard);

} // namespace atmo
