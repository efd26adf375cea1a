// The access log of the station's peer server: one line per reply, as it
// starts, in the logging category "atmosphere.mesh.server" at info level:
//   127.0.0.1 "GET /v1/models/download/yolo-v8" 206 3.0 MiB
// The client's address, the request line (no query string: it could carry
// a secret; only printable ASCII, the rest and '%' as %XX, at most 200
// characters, so a hostile target cannot forge lines; "-" for a request
// refused before it was read whole), the status and the body's size. No
// local paths. `atmosphere serve` turns it on; QT_LOGGING_RULES decides in the end
// ("atmosphere.mesh.server.info=false" silences it).
#pragma once

#include <QByteArray>
#include <QHostAddress>

#include <cstdint>
#include <string>

namespace AccessLog {
// "GET /v1/models" from a request's method and target, made safe to log.
QByteArray requestLine(const std::string& method, const std::string& target);
// Writes the line, when the category's info level is on.
void reply(const QHostAddress& client, const QByteArray& requestLine, int status, std::uint64_t bodyBytes);
} // namespace AccessLog
