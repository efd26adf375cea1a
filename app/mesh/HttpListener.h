// The peer server's listening socket: accepts connections, counts them per
// client address and in all, and hands each one to an HttpConnection.
//
// Over ServeLimits::maxPerClient (one address) or maxConnections (all), the
// new connection is answered with a fixed 503 written straight to its
// descriptor and closed at once: no QTcpSocket, no byte of it read. The
// address is the socket's peer address, IPv4-mapped IPv6 counted as IPv4.
//
// Sockets are this listener's children, so deleting it closes them all; the
// counts live in a shared block the connections hold, so a connection that
// outlives the listener's members still has somewhere to give its place back.
#pragma once

#include <QTcpServer>

#include <map>
#include <memory>
#include <string>

#include "app/mesh/HttpConnection.h"
#include "app/mesh/ServeLimits.h"

class HttpListener : public QTcpServer {
    Q_OBJECT
public:
    HttpListener(const ServeLimits& limits, HttpConnection::Handler handler, QObject* parent = nullptr);

    struct Counts {
        int total = 0;
        std::map<std::string, int> perClient;
        std::uint64_t refused = 0; // connections turned away at the cap
    };
    const Counts& counts() const { return *counts_; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    ServeLimits limits_;
    HttpConnection::Handler handler_;
    std::shared_ptr<Counts> counts_;
};
