#include "ui/StatusIconProxy.h"

#include <QColor>
#include <QPalette>

#include "app/ModelRoles.h"
#include "ui/Icons.h"

StatusIconProxy::StatusIconProxy(QObject* parent) : QIdentityProxyModel(parent) {}

QVariant StatusIconProxy::data(const QModelIndex& index, int role) const
{
    if (role == Qt::DecorationRole) {
        const auto status = QIdentityProxyModel::data(index, ModelRole::Status).value<ItemStatus>();
        if (status != ItemStatus::None)
            return Icons::forStatus(status);
    }
    if (role == Qt::ForegroundRole) {
        const auto status = QIdentityProxyModel::data(index, ModelRole::Status).value<ItemStatus>();
        if (status == ItemStatus::Failed || status == ItemStatus::Missing)
            return QColor(0xb3, 0x26, 0x1e);
    }
    return QIdentityProxyModel::data(index, role);
}
