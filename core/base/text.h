// The small string helpers core's files share, in one place (they were
// copied into a dozen files before). ASCII only and independent of the C
// locale: the window sets the user's locale, and core's rules must not change
// with it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace atmo {

// A-Z to a-z; every other byte (UTF-8 included) unchanged.
std::string lower(std::string_view s);

bool startsWith(std::string_view s, std::string_view prefix);

// The parts with `separator` between them.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

// Equal when A-Z and a-z are taken as the same (HTTP field names, tokens);
// every other byte must match exactly.
bool equalsNoCase(std::string_view a, std::string_view b);

// Non-empty and only the digits 0-9 (no sign, no space).
bool allDigits(std::string_view s);

// The text before the first LF (all of it when there is none).
std::string_view firstLine(std::string_view s);

// Without leading and trailing spaces, tabs, CRs and LFs.
std::string trimmed(std::string_view s);
// Only spaces and tabs off both ends: what HTTP calls optional white space
// (RFC 9110 §5.6.3) and what DNS-SD TXT values are trimmed of.
std::string_view trimmedBlanks(std::string_view s);

// A small file's text (sysfs and /proc values, one-line settings), trimmed;
// "" when it cannot be read (missing, a directory). At most the first
// kMaxReadTrimmedBytes are read.
inline constexpr std::size_t kMaxReadTrimmedBytes = 64 * 1024;
std::string readTrimmed(const std::filesystem::path& file);

// A name that goes onto one line of a file or a message: every control
// character (newlines too) becomes a space, the ends are trimmed, and the
// result is cut to at most maxBytes without splitting a UTF-8 character
// (and trimmed again).
std::string cleanName(std::string_view s, std::size_t maxBytes = std::string::npos);

// One URL path segment: every byte but A-Z a-z 0-9 - . _ ~ as %XX (upper
// case hex), as QUrl::toPercentEncoding does, so "1.3+b2" is "1.3%2Bb2".
std::string percentEncode(std::string_view s);

} // namespace atmo
