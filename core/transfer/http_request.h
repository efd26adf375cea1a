// The head of one HTTP/1.1 request as the station's peer server reads it:
// request line and header fields, bounded before anything is kept.
//
// The station serves GET and HEAD only, so it takes no request bodies: a
// Content-Length above a small limit and any Transfer-Encoding (chunked or
// not) are refused with 413 before a byte of body is read. Lines may end in
// CRLF or a bare LF (RFC 9112 2.2); obsolete line folding, whitespace before
// a field's colon, control characters and disagreeing Content-Length values
// are 400, since a server and a proxy that framed them differently could be
// made to disagree on where a request ends.
//
// parseRequestHead() is a pure function over the bytes received so far, so a
// connection calls it again as more arrive; it looks at no more than
// maxHead + 1 bytes, so the caller never needs to keep more than that.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace atmo {

struct HttpHeadLimits {
    std::size_t maxRequestLine = 8 * 1024; // "GET /path HTTP/1.1", without CRLF; beyond: 414
    std::size_t maxHead = 32 * 1024;       // request line, fields and the empty line; beyond: 431
    std::size_t maxFields = 100;           // header fields; beyond: 431
    std::uint64_t maxBody = 16 * 1024;     // Content-Length; beyond: 413
};

struct HttpRequestHead {
    std::string method;
    std::string target;                                       // as sent: "/v1/models?x", or absolute-form
    int minorVersion = 1;                                     // HTTP/1.x
    std::vector<std::pair<std::string, std::string>> fields;  // as sent, values trimmed
    std::uint64_t contentLength = 0;
    bool keepAlive = true; // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "keep-alive"

    // Every value of the field `name` (any case), joined by ", "; empty if absent.
    std::string field(std::string_view name) const;
    bool hasField(std::string_view name) const;
};

struct HttpHeadParse {
    enum class State { Incomplete, Complete, Invalid } state = State::Incomplete;
    std::size_t size = 0;  // Complete: bytes of the head, up to and including its empty line
    int status = 0;        // Invalid: 400, 413, 414, 431 or 505
    std::string reason;    // Invalid: one line for the error reply
    HttpRequestHead head;  // Complete
};

HttpHeadParse parseRequestHead(std::string_view data, const HttpHeadLimits& limits);

} // namespace atmo
