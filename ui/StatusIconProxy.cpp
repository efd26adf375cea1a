#include "ui/StatusIconProxy.h"

#include <QColor>
#include <QPalette>

#include "app/ModelRoles.h"
#include "ui/Icons.h"

StatusIconProxy::StatusIconProxy(QObject* parent) : QIdentityProxyModel(parent) {}

QVariant StatusIconProxy::data(const QModelIndex& index, int role) const
{
    if (role == Qt::DecorationRole) {
        const QString key = QIdentityProxyModel::data(index, ModelRole::Status).toString();
        if (!key.isEmpty())
            return Icons::forStatus(key);
    }
    if (role == Qt::ForegroundRole) {
        const QString key = QIdentityProxyModel::data(index, ModelRole::Status).toString();
        if (key == QLatin1String("failed") || key == QLatin1String("missing"))
            return QColor(0xb3, 0x26, 0x1e);
    }
    return QIdentityProxyModel::data(index, role);
}
