#include "app/TrustedKeyModel.h"

#include "app/Format.h"
#include "app/ModelRoles.h"

TrustedKeyModel::TrustedKeyModel(QObject* parent) : QAbstractTableModel(parent) {}

int TrustedKeyModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(keys_.size());
}

int TrustedKeyModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TrustedKeyModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const atmo::TrustedKey& k = keys_[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole || role == ModelRole::Sort) {
        switch (index.column()) {
        case NameColumn: return QString::fromStdString(k.name);
        case RoleColumn: return Format::trustRole(k.role);
        case KeyIdColumn: return QString::fromStdString(k.keyId());
        case PublicKeyColumn: return QString::fromStdString(k.key.base64());
        }
    }
    if (role == Qt::ToolTipRole && index.column() == PublicKeyColumn)
        return QString::fromStdString(k.key.base64());
    if (role == ModelRole::Status && index.column() == NameColumn)
        return QVariant::fromValue(ItemStatus::Key);
    return {};
}

QVariant TrustedKeyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Name");
    case RoleColumn: return tr("Trusted as");
    case KeyIdColumn: return tr("Key ID");
    case PublicKeyColumn: return tr("Public key");
    }
    return {};
}

void TrustedKeyModel::setKeys(const std::vector<atmo::TrustedKey>& keys)
{
    beginResetModel();
    keys_ = keys;
    endResetModel();
}
