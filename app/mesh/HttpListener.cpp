#include "app/mesh/HttpListener.h"

#include <QHostAddress>
#include <QTcpSocket>

#include <sys/socket.h>
#include <unistd.h>

namespace {

std::string clientKey(qintptr descriptor)
{
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr*>(&ss), &len) != 0)
        return {};
    QHostAddress a(reinterpret_cast<const sockaddr*>(&ss));
    bool v4 = false;
    const quint32 ip4 = a.toIPv4Address(&v4);
    if (v4)
        a = QHostAddress(ip4);
    a.setScopeId(QString());
    return a.toString().toStdString();
}

void refuseAtOnce(qintptr descriptor, const char* why)
{
    const QByteArray body = QByteArray("{\"error\":\"") + why + "\"}";
    const QByteArray reply = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 5\r\n"
                             "Content-Length: " +
                             QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    // Best effort: a fresh socket's send buffer takes this at once.
    [[maybe_unused]] const ssize_t n = ::send(int(descriptor), reply.constData(), size_t(reply.size()),
                                              MSG_DONTWAIT | MSG_NOSIGNAL);
    ::close(int(descriptor));
}

} // namespace

HttpListener::HttpListener(const ServeLimits& limits, HttpConnection::Handler handler, QObject* parent)
    : QTcpServer(parent), limits_(limits), handler_(std::move(handler)), counts_(std::make_shared<Counts>())
{
}

void HttpListener::incomingConnection(qintptr descriptor)
{
    const std::string key = clientKey(descriptor);
    Counts& c = *counts_;
    const auto it = c.perClient.find(key);
    const int fromClient = it == c.perClient.end() ? 0 : it->second;
    if (c.total >= limits_.maxConnections || fromClient >= limits_.maxPerClient) {
        ++c.refused;
        refuseAtOnce(descriptor, c.total >= limits_.maxConnections ? "too many connections"
                                                                   : "too many connections from this address");
        return;
    }
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        ::close(int(descriptor));
        delete socket;
        return;
    }
    ++c.total;
    ++c.perClient[key];
    // Given back when the connection (the socket's child) is destroyed.
    std::shared_ptr<void> slot(nullptr, [counts = counts_, key](void*) {
        --counts->total;
        auto found = counts->perClient.find(key);
        if (found != counts->perClient.end() && --found->second <= 0)
            counts->perClient.erase(found);
    });
    HttpConnection::attach(socket, limits_, handler_, std::move(slot));
}
