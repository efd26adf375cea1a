#include "app/mesh/AccessLog.h"

#include "app/LogCategories.h"
#include "core/base/fs_util.h"

namespace AccessLog {

namespace {
void appendSafe(QByteArray& out, const std::string& text, std::size_t limit)
{
    for (char c : text) {
        if (static_cast<std::size_t>(out.size()) >= limit) {
            out += "...";
            return;
        }
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\' || c == '%')
            out += QByteArray("%") + QByteArray::number(u, 16).toUpper().rightJustified(2, '0');
        else
            out += c;
    }
}
} // namespace

QByteArray requestLine(const std::string& method, const std::string& target)
{
    QByteArray line;
    appendSafe(line, method.substr(0, 16), 16);
    line += ' ';
    const std::string path = target.substr(0, target.find_first_of("?#"));
    appendSafe(line, path, 200);
    return line;
}

void reply(const QHostAddress& client, const QByteArray& requestLine, int status, std::uint64_t bodyBytes)
{
    if (!lcMeshServer().isInfoEnabled() || requestLine.isEmpty())
        return;
    bool v4 = false;
    const quint32 ip4 = client.toIPv4Address(&v4); // "::ffff:10.0.0.5" as 10.0.0.5
    const QString who = v4 ? QHostAddress(ip4).toString() : client.toString();
    qCInfo(lcMeshServer, "%s \"%s\" %d %s", qPrintable(who), requestLine.constData(), status,
           atmo::humanBytes(bodyBytes).c_str());
}

} // namespace AccessLog
