// The head of a request to `serve` (core/transfer/http_request.h parseRequestHead),
// as the peer server's connections feed it: the bytes so far, again and
// again as more arrive. A complete head lies inside the data and within the
// limits; a refusal has one of the statuses the server sends and a one-line
// reason; feeding the same bytes in two steps never changes the verdict.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/transfer/http_request.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    atmo::HttpHeadLimits limits;
    limits.maxRequestLine = 256; // small limits, so the fuzzer reaches them
    limits.maxHead = 1024;
    limits.maxFields = 8;
    limits.maxBody = 64;
    const atmo::HttpHeadParse whole = atmo::parseRequestHead(bytes, limits);
    switch (whole.state) {
    case atmo::HttpHeadParse::State::Complete:
        FUZZ_CHECK(whole.size > 0 && whole.size <= size);
        FUZZ_CHECK(whole.size <= limits.maxHead);
        FUZZ_CHECK(whole.head.fields.size() <= limits.maxFields);
        FUZZ_CHECK(whole.head.contentLength <= limits.maxBody);
        FUZZ_CHECK(!whole.head.method.empty());
        break;
    case atmo::HttpHeadParse::State::Invalid:
        FUZZ_CHECK(whole.status == 400 || whole.status == 413 || whole.status == 414 || whole.status == 431 ||
                   whole.status == 505);
        FUZZ_CHECK(!whole.reason.empty());
        FUZZ_CHECK(whole.reason.find('\n') == std::string::npos);
        break;
    case atmo::HttpHeadParse::State::Incomplete:
        FUZZ_CHECK(size <= limits.maxHead);
        break;
    }
    // What arrived first, alone: a complete head there is the same head.
    const atmo::HttpHeadParse half = atmo::parseRequestHead(bytes.substr(0, size / 2), limits);
    if (half.state == atmo::HttpHeadParse::State::Complete) {
        FUZZ_CHECK(whole.state == atmo::HttpHeadParse::State::Complete);
        FUZZ_CHECK(whole.size == half.size);
    }
    return 0;
}
