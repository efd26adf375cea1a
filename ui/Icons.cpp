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

QIcon Icons::forStatus(ItemStatus status)
{
    switch (status) {
    case ItemStatus::None: break;
    case ItemStatus::Ok: return get(QStringLiteral("status-ok"));
    case ItemStatus::Warning: return get(QStringLiteral("status-warning"));
    case ItemStatus::Failed: return get(QStringLiteral("status-failed"));
    case ItemStatus::Missing: return get(QStringLiteral("status-missing"));
    case ItemStatus::Pending: return get(QStringLiteral("status-pending"));
    case ItemStatus::Skipped: return get(QStringLiteral("status-skipped"));
    case ItemStatus::Package: return get(QStringLiteral("status-package"));
    case ItemStatus::Key: return get(QStringLiteral("status-key"));
    }
    return {};
}

QIcon Icons::application() { return get(QStringLiteral("atmosphere-station")); }
