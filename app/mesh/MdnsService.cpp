#include "app/mesh/MdnsService.h"

#include "app/LogCategories.h"

#include <QPointer>

QString MdnsPeerInfo::endpoint() const
{
    const QString host = address.isEmpty() ? this->host : address;
    const QString bracketed = host.contains(':') ? "[" + host + "]" : host;
    return QStringLiteral("http://%1:%2").arg(bracketed).arg(port);
}

namespace {

MdnsPeerInfo infoFrom(const atmo::MdnsPeer& p)
{
    MdnsPeerInfo info;
    info.instanceName = QString::fromStdString(p.instanceName);
    info.host = QString::fromStdString(p.host);
    info.address = QString::fromStdString(p.address);
    info.port = p.port;
    info.nodeId = QString::fromStdString(p.nodeId);
    info.meshId = QString::fromStdString(p.meshId);
    for (const auto& c : p.capabilities)
        info.capabilities << QString::fromStdString(c);
    info.resolved = p.resolved;
    return info;
}

} // namespace

MdnsService::MdnsService(QObject* parent) : QObject(parent) {}

MdnsService::~MdnsService()
{
    // Destroying the core object stops Avahi's thread before our members go.
    mdns_.reset();
}

bool MdnsService::start()
{
    if (mdns_)
        return true;
    QPointer<MdnsService> self(this);
    atmo::MdnsEvents events;
    events.peerFound = [self](const atmo::MdnsPeer& p) {
        const MdnsPeerInfo info = infoFrom(p);
        QMetaObject::invokeMethod(self, [self, info] {
            qCDebug(lcMdns, "found %s at %s (node %s)", qPrintable(info.instanceName), qPrintable(info.endpoint()),
                    qPrintable(info.nodeId));
            if (self)
                emit self->peerFound(info);
        }, Qt::QueuedConnection);
    };
    events.peerUnresolved = [self](const atmo::MdnsPeer& p, const std::string& reason) {
        const MdnsPeerInfo info = infoFrom(p);
        const QString why = QString::fromStdString(reason);
        QMetaObject::invokeMethod(self, [self, info, why] {
            qCDebug(lcMdns, "%s: not resolved: %s", qPrintable(info.instanceName), qPrintable(why));
            if (self)
                emit self->peerUnresolved(info, why);
        }, Qt::QueuedConnection);
    };
    events.peerLost = [self](const std::string& name) {
        const QString n = QString::fromStdString(name);
        QMetaObject::invokeMethod(self, [self, n] {
            qCDebug(lcMdns, "lost %s", qPrintable(n));
            if (self)
                emit self->peerLost(n);
        }, Qt::QueuedConnection);
    };
    events.problem = [self](const std::string& message) {
        const QString m = QString::fromStdString(message);
        QMetaObject::invokeMethod(self, [self, m] {
            qCInfo(lcMdns, "%s", qPrintable(m));
            if (self)
                emit self->problem(m);
        }, Qt::QueuedConnection);
    };
    events.advertised = [self](const std::string& name) {
        const QString n = QString::fromStdString(name);
        QMetaObject::invokeMethod(self, [self, n] {
            qCDebug(lcMdns, "advertised as %s", qPrintable(n));
            if (self)
                emit self->advertised(n);
        }, Qt::QueuedConnection);
    };
    auto started = atmo::Mdns::start(std::move(events));
    if (!started) {
        error_ = QString::fromStdString(started.message());
        return false;
    }
    mdns_ = std::move(started.value());
    return true;
}

bool MdnsService::advertise(const atmo::MdnsAdvert& advert)
{
    if (!mdns_)
        return false;
    auto st = mdns_->advertise(advert);
    if (!st)
        error_ = QString::fromStdString(st.message());
    return st.ok();
}

void MdnsService::withdraw()
{
    if (mdns_)
        mdns_->withdraw();
}

bool MdnsService::browse(const QString& ownNodeId)
{
    if (!mdns_)
        return false;
    auto st = mdns_->browse(ownNodeId.toStdString());
    if (!st)
        error_ = QString::fromStdString(st.message());
    return st.ok();
}

QList<MdnsPeerInfo> MdnsService::pending() const
{
    QList<MdnsPeerInfo> list;
    if (mdns_)
        for (const auto& p : mdns_->pending())
            list.append(infoFrom(p));
    return list;
}
