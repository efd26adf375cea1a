#include "ui/Icons.h"

#include <QHash>

static void initStationResources() { Q_INIT_RESOURCE(resources); }

void Icons::init()
{
    static bool done = false;
    if (!done) {
        initStationResources();
        done = true;
    }
}

QIcon Icons::get(const QString& name)
{
    init();
    static QHash<QString, QIcon> cache;
    auto it = cache.find(name);
    if (it == cache.end())
        it = cache.insert(name, QIcon(QStringLiteral(":/icons/%1.svg").arg(name)));
    return *it;
}

QIcon Icons::forStatus(const QString& statusKey)
{
    if (statusKey.isEmpty())
        return {};
    return get(QStringLiteral("status-") + statusKey);
}

QIcon Icons::application() { return get(QStringLiteral("atmosphere-station")); }
