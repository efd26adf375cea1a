#include "app/mesh/PeerListModel.h"

#include <QDateTime>

#include "app/Format.h"
#include "app/ModelRoles.h"
#include "app/mesh/PeerDirectory.h"

PeerListModel::PeerListModel(PeerDirectory* directory, QObject* parent)
    : QAbstractTableModel(parent), directory_(directory), rows_(directory->peerCount())
{
    connect(directory, &PeerDirectory::peerAdded, this, [this](int row) {
        beginInsertRows({}, row, row);
        ++rows_;
        endInsertRows();
    });
    // Views must be told before the row goes, while its data can still be read.
    connect(directory, &PeerDirectory::peerAboutToBeRemoved, this, [this](int row) { beginRemoveRows({}, row, row); });
    connect(directory, &PeerDirectory::peerRemoved, this, [this](int) {
        --rows_;
        endRemoveRows();
    });
    connect(directory, &PeerDirectory::peerChanged, this,
            [this](int row) { emit dataChanged(index(row, 0), index(row, ColumnCount - 1)); });
}

int PeerListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : rows_; }

int PeerListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant PeerListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !directory_ ||
        index.row() >= directory_->peerCount())
        return {};
    const PeerState& p = directory_->peer(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return p.name;
        case AddressColumn:
            if (p.origin == atmo::PeerOrigin::Relay)
                return tr("Node %1 on the mesh's relay").arg(p.nodeId);
            return p.resolved ? p.endpoint : QStringLiteral("–");
        case FoundByColumn:
            switch (p.origin) {
            case atmo::PeerOrigin::Mdns: return tr("mDNS");
            case atmo::PeerOrigin::Manual: return tr("Added by hand");
            case atmo::PeerOrigin::ViaPeer: return tr("Via %1").arg(p.via);
            case atmo::PeerOrigin::Remembered: return tr("Remembered");
            case atmo::PeerOrigin::Relay: return tr("The mesh's relay");
            }
            break;
        case LatencyColumn: return p.latencyMs ? tr("%1 ms").arg(*p.latencyMs, 0, 'f', 0) : QStringLiteral("–");
        case ModelsColumn: return p.fetched ? QString::number(p.models) : QStringLiteral("–");
        case LastSeenColumn:
            return p.lastSeen.isValid() ? Format::dateTime(p.lastSeen)
                                        : tr("Never");
        case StatusColumn:
            if (!p.resolved)
                return tr("Unresolved: no address over mDNS");
            if (p.reachable && p.origin == atmo::PeerOrigin::Relay)
                return p.error.isEmpty() ? tr("Reachable through the relay only")
                                         : tr("Reachable through the relay only (%1)").arg(p.error);
            if (p.reachable)
                return p.error.isEmpty() ? tr("Reachable") : tr("Reachable (%1)").arg(p.error);
            if (!p.fetched && p.error.isEmpty())
                return tr("Asking…");
            return tr("Unreachable: %1").arg(p.error);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn || index.column() == NameColumn)
            return p.nodeId.isEmpty() ? p.error : tr("Node %1").arg(p.nodeId) + (p.error.isEmpty() ? QString()
                                                                                               : "\n" + p.error);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == LatencyColumn || index.column() == ModelsColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case ModelRole::Status:
        if (index.column() == StatusColumn)
            return QVariant::fromValue(p.reachable                             ? ItemStatus::Ok
                                       : p.fetched || !p.error.isEmpty() ? ItemStatus::Failed
                                                                         : ItemStatus::Pending);
        break;
    case ModelRole::Sort:
        switch (index.column()) {
        case LatencyColumn: return p.latencyMs ? *p.latencyMs : 1e12;
        case ModelsColumn: return p.models;
        case LastSeenColumn: return p.lastSeen.toMSecsSinceEpoch();
        case StatusColumn: return p.reachable ? 0 : 1;
        default: return data(index, Qt::DisplayRole);
        }
    default: break;
    }
    return {};
}

QVariant PeerListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Peer");
    case AddressColumn: return tr("Address");
    case FoundByColumn: return tr("Found by");
    case LatencyColumn: return tr("Latency");
    case ModelsColumn: return tr("Models");
    case LastSeenColumn: return tr("Last seen");
    case StatusColumn: return tr("Status");
    }
    return {};
}
