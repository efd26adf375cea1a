#include "app/CustodyModel.h"

#include "app/Format.h"
#include "app/ModelRoles.h"

CustodyModel::CustodyModel(QObject* parent) : QAbstractTableModel(parent) {}

int CustodyModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int CustodyModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString CustodyModel::stateText(const atmo::CustodyCheck& c)
{
    if (!c.valid)
        return tr("Signature invalid");
    if (c.trusted)
        return tr("Signed, trusted as “%1”").arg(QString::fromStdString(c.trustedName));
    return tr("Signed, key not trusted");
}

QVariant CustodyModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const atmo::CustodyCheck& c = rows_[static_cast<std::size_t>(index.row())];
    const atmo::CustodyEntry& e = c.entry;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case StationColumn: return QString::fromStdString(e.station);
        case TimeColumn: return Format::timestamp(e.time);
        case ActionColumn:
            return e.detail.empty() ? Format::custodyAction(e.action)
                                    : tr("%1 (%2)").arg(Format::custodyAction(e.action), Format::custodyDetail(e.detail));
        case KeyColumn: return QString::fromStdString(e.keyId);
        case StateColumn: return stateText(c);
        }
    }
    if (role == ModelRole::Sort) {
        switch (index.column()) {
        case TimeColumn: return QString::fromStdString(e.time);
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == TimeColumn)
            return QString::fromStdString(e.time);
        if (index.column() == StateColumn || index.column() == StationColumn)
            return tr("%1 — key %2").arg(data(index, Qt::DisplayRole).toString(), QString::fromStdString(e.keyId));
        return data(index, Qt::DisplayRole);
    }
    if (role == ModelRole::Status && index.column() == StateColumn)
        return QVariant::fromValue(!c.valid ? ItemStatus::Failed : c.trusted ? ItemStatus::Ok : ItemStatus::Warning);
    return {};
}

QVariant CustodyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StationColumn: return tr("Station");
    case TimeColumn: return tr("When");
    case ActionColumn: return tr("What");
    case KeyColumn: return tr("Key ID");
    case StateColumn: return tr("Check");
    }
    return {};
}

void CustodyModel::setEntries(const std::vector<atmo::CustodyCheck>& entries)
{
    beginResetModel();
    rows_ = entries;
    endResetModel();
}
