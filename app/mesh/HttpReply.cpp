#include "app/mesh/HttpReply.h"

#include <QJsonDocument>
#include <QJsonObject>

#include "app/mesh/AccessLog.h"
#include "core/transfer/http_range.h"
#include "core/transfer/http_request.h"

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Status";
    }
}

// A header value never carries CR/LF or quotes from a name we did not make.
QByteArray safeFileName(const QByteArray& name)
{
    QByteArray out;
    for (char c : name)
        if (static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            out += c;
    return out;
}

} // namespace

QByteArray HttpReply::head() const
{
    QByteArray h;
    h.reserve(256);
    h += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto& [name, value] : headers)
        h += name + ": " + value + "\r\n";
    h += "Content-Length: " + QByteArray::number(qulonglong(bodyLength())) + "\r\n";
    if (closeAfter)
        h += "Connection: close\r\n";
    h += "\r\n";
    return h;
}

HttpReply HttpReply::json(int status, const QByteArray& json)
{
    HttpReply r;
    r.status = status;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = json;
    return r;
}

HttpReply HttpReply::error(int status, const QString& message)
{
    return json(status, QJsonDocument(QJsonObject{{"error", message}}).toJson(QJsonDocument::Compact));
}

HttpReply HttpReply::methodNotAllowed()
{
    HttpReply r = error(405, QStringLiteral("Method not allowed"));
    r.addHeader("Allow", "GET, HEAD");
    return r;
}

RequestFacts RequestFacts::of(const atmo::HttpRequestHead& request)
{
    RequestFacts f;
    f.head = request.method == "HEAD";
    f.close = !request.keepAlive; // the client gets its close after this reply
    f.range = QByteArray::fromStdString(request.field("Range"));
    f.ifRange = QByteArray::fromStdString(request.field("If-Range")).trimmed();
    f.requestLine = AccessLog::requestLine(request.method, request.target);
    return f;
}

HttpReply& HttpReply::apply(const RequestFacts& request)
{
    headOnly = request.head;
    closeAfter = request.close;
    requestLine = request.requestLine;
    return *this;
}

HttpReply HttpReply::ranged(const RequestFacts& request, const Download& d)
{
    std::string rangeHeader = request.range.toStdString();
    const QByteArray& ifRange = request.ifRange;
    if (!rangeHeader.empty() && !ifRange.isEmpty() && (d.etag.isEmpty() || ifRange != '"' + d.etag + '"'))
        rangeHeader.clear(); // the client's copy is not ours: it gets the whole thing

    const atmo::RangeDecision decision = atmo::decideRange(rangeHeader, d.size);
    HttpReply r;
    r.headers = {{"Content-Type", d.contentType}, {"Accept-Ranges", "bytes"}};
    if (!d.fileName.isEmpty())
        r.addHeader("Content-Disposition", "attachment; filename=\"" + safeFileName(d.fileName) + '"');
    if (!d.etag.isEmpty())
        r.addHeader("ETag", '"' + d.etag + '"');

    if (decision.kind == atmo::RangeDecision::Unsatisfiable) {
        HttpReply e = error(416, QStringLiteral("Range not satisfiable"));
        e.addHeader("Accept-Ranges", "bytes");
        e.addHeader("Content-Range", QByteArray::fromStdString(atmo::unsatisfiedContentRange(d.size)));
        return e;
    }
    std::uint64_t first = 0, length = d.size;
    if (decision.kind == atmo::RangeDecision::Partial) {
        r.status = 206;
        first = decision.range.first;
        length = decision.range.length();
        r.addHeader("Content-Range", QByteArray::fromStdString(atmo::contentRange(decision.range, d.size)));
    }
    if (!d.path.empty()) {
        r.fromFile = true;
        r.file = {d.path, first, length, d.size};
    } else {
        r.body = d.bytes.mid(qsizetype(first), qsizetype(length));
    }
    return r;
}
