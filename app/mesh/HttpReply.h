// One HTTP/1.1 response as the peer server sends it: status, headers, and a
// body that is either bytes in memory or a slice of a file (streamed later by
// BodyPump, never read whole). HEAD replies keep their headers, including the
// Content-Length a GET would have, and drop the body.
//
// ranged() applies the model bridge's Range rules (core/transfer/http_range.h) the
// same way to every downloadable thing: model files, package archives, and
// the small manifest and signature files kept in memory.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <cstdint>
#include <string>

namespace atmo {
struct HttpRequestHead;
}

// What a reply depends on, copied out of the request, so a reply made later
// (on a worker's result) holds on to nothing of the connection's.
struct RequestFacts {
    bool head = false;  // HEAD: headers only
    bool close = false; // Connection: close (or HTTP/1.0 without keep-alive)
    QByteArray range;
    QByteArray ifRange;
    QByteArray requestLine; // "GET /v1/models", safe to log (app/mesh/AccessLog.h)
    static RequestFacts of(const atmo::HttpRequestHead& request);
};

struct HttpReply {
    struct FileSlice {
        std::string path; // the file system's bytes, no encoding round trip
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
        std::uint64_t expectedSize = 0; // the file's size when the reply was made; a change aborts the body
    };

    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers; // without Content-Length, added by head()
    QByteArray body;                              // used when file is empty
    FileSlice file;
    bool fromFile = false;
    bool headOnly = false;   // a HEAD request: headers only
    bool closeAfter = false; // the client asked for Connection: close
    QByteArray requestLine;  // what it answers, for the access log (apply() sets it)

    void addHeader(const QByteArray& name, const QByteArray& value) { headers.append(qMakePair(name, value)); }
    std::uint64_t bodyLength() const { return fromFile ? file.length : std::uint64_t(body.size()); }
    // Status line and headers, ending with the empty line.
    QByteArray head() const;

    static HttpReply json(int status, const QByteArray& json);
    static HttpReply error(int status, const QString& message); // {"error": message}
    static HttpReply notFound() { return error(404, QStringLiteral("Not found")); }
    static HttpReply methodNotAllowed();                         // 405 with Allow: GET, HEAD

    // A downloadable thing of `size` bytes: 200 with the whole thing, 206 with
    // Content-Range for one satisfiable range, 416 with "bytes */size" for a
    // range starting at or past the end. A Range that core ignores (several
    // ranges, other units) gets the whole thing; so does a Range with an
    // If-Range that does not match `etag` (RFC 9110 13.1.5).
    struct Download {
        std::uint64_t size = 0;
        QByteArray contentType = "application/octet-stream";
        QByteArray fileName;  // Content-Disposition: attachment; filename="..." when set
        QByteArray etag;      // strong validator without quotes (the sha256), optional
        std::string path;     // stream from this file ...
        QByteArray bytes;     // ... or from these bytes (size == bytes.size())
    };
    static HttpReply ranged(const RequestFacts& request, const Download& download);

    // HEAD and Connection: close, which every reply honours.
    HttpReply& apply(const RequestFacts& request);
};
