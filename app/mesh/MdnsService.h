// The core's Avahi connection (core/mesh/mdns.h) for a Qt thread: Avahi calls back
// on its own thread; each event is posted to this object's thread, and events
// still queued when the object goes away are dropped with it.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

#include "core/mesh/mdns.h"

struct MdnsPeerInfo {
    QString instanceName;
    QString host;
    QString address;
    quint16 port = 0;
    QString nodeId;
    QString meshId;
    QStringList capabilities;
    bool resolved = true; // false: browsed, but no address could be resolved

    // "http://address:port" (IPv6 in brackets).
    QString endpoint() const;
};

class MdnsService : public QObject {
    Q_OBJECT
public:
    explicit MdnsService(QObject* parent = nullptr);
    ~MdnsService() override;

    // Connects to avahi-daemon; false with error() when it is not there.
    bool start();
    bool running() const { return static_cast<bool>(mdns_); }
    QString error() const { return error_; }

    bool advertise(const atmo::MdnsAdvert& advert);
    void withdraw();
    bool browse(const QString& ownNodeId);
    // The services browsed whose resolve is still under way, not yet
    // reported through peerFound or peerUnresolved (atmo::Mdns::pending):
    // only instanceName is set, resolved is false.
    QList<MdnsPeerInfo> pending() const;

signals:
    void peerFound(const MdnsPeerInfo& peer);
    // Browsed but no address resolved (retried in the background; peerFound
    // follows when a retry succeeds). reason is one line.
    void peerUnresolved(const MdnsPeerInfo& peer, const QString& reason);
    void peerLost(const QString& instanceName);
    void problem(const QString& message);
    void advertised(const QString& instanceName); // the final name, after any rename

private:
    std::unique_ptr<atmo::Mdns> mdns_;
    QString error_;
};
