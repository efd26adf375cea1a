// UTF-8 validity: what text from a package, a peer or a file name must be
// before it is shown, stored in JSON or compared.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace atmo {

// Length of the valid UTF-8 sequence starting at s[i] (1 to 4), or 0 when the
// bytes there are not one: a stray continuation byte, a truncated sequence, an
// overlong form, a surrogate or a value beyond U+10FFFF.
std::size_t utf8SequenceLength(std::string_view s, std::size_t i);

// The offset of the first byte that does not start a valid sequence, or
// std::string_view::npos when all of s is valid UTF-8.
std::size_t firstInvalidUtf8(std::string_view s);

// s for one line of output: control characters as C escapes ("\n", "\t",
// "\x1b"), bytes that are not valid UTF-8 as "\xNN". For showing, not for
// parsing back: a backslash stays as it is.
std::string printable(std::string_view s);

inline bool isValidUtf8(std::string_view s) { return firstInvalidUtf8(s) == std::string_view::npos; }

// Valid UTF-8 with no C0 control character and no DEL: text fit for one line
// of a record (a custody field, an mDNS TXT value).
bool isCleanText(std::string_view s);

} // namespace atmo
