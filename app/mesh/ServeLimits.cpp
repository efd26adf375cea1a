#include "app/mesh/ServeLimits.h"

#include <QByteArray>
#include <QList>
#include <QtGlobal>

ServeLimits ServeLimits::defaults()
{
    ServeLimits l;
    const QByteArray spec = qgetenv("ATMOSPHERE_SERVE_LIMITS");
    for (const QByteArray& item : spec.split(',')) {
        if (item.trimmed().isEmpty())
            continue;
        const int eq = item.indexOf('=');
        const QByteArray key = item.left(eq).trimmed();
        bool ok = eq > 0;
        const qlonglong n = item.mid(eq + 1).trimmed().toLongLong(&ok);
        if (!ok || n < 0) {
            qWarning("ATMOSPHERE_SERVE_LIMITS: \"%s\" is not key=number; ignored", item.constData());
            continue;
        }
        if (key == "request_line")
            l.request.maxRequestLine = std::size_t(n);
        else if (key == "head")
            l.request.maxHead = std::size_t(n);
        else if (key == "fields")
            l.request.maxFields = std::size_t(n);
        else if (key == "body")
            l.request.maxBody = std::uint64_t(n);
        else if (key == "header_timeout_ms")
            l.headerTimeoutMs = int(n);
        else if (key == "idle_timeout_ms")
            l.idleTimeoutMs = int(n);
        else if (key == "min_send_rate")
            l.minSendRate = std::uint64_t(n);
        else if (key == "send_rate_window_ms")
            l.sendRateWindowMs = int(n);
        else if (key == "per_client")
            l.maxPerClient = int(n);
        else if (key == "connections")
            l.maxConnections = int(n);
        else
            qWarning("ATMOSPHERE_SERVE_LIMITS: unknown key \"%s\"; ignored", key.constData());
    }
    return l;
}
