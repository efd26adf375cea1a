#include "app/StoredPackageModel.h"

#include <QDir>

#include <algorithm>

#include "app/Format.h"
#include "app/ModelRoles.h"
#include "app/PathConversion.h"

StoredPackageModel::StoredPackageModel(QObject* parent) : QAbstractTableModel(parent) {}

int StoredPackageModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int StoredPackageModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant StoredPackageModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const atmo::StoredPackage& p = rows_[static_cast<std::size_t>(index.row())];
    const PackageStatus& status = status_[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn: return QString::fromStdString(p.id);
        case VersionColumn: return QString::fromStdString(p.version);
        case ContentColumn:
            if (!p.deltaFrom.empty())
                return p.tier ? tr("Delta update from %1, %2 export")
                                    .arg(QString::fromStdString(p.deltaFrom), Format::tier(*p.tier))
                              : tr("Delta update from %1").arg(QString::fromStdString(p.deltaFrom));
            return p.tier ? tr("%1 export").arg(Format::tier(*p.tier)) : tr("Full package");
        case StatusColumn: return status.text;
        case SizeColumn: return Format::bytes(p.bytes);
        case AddedColumn: return Format::timestamp(p.addedAt);
        case FileColumn: return QDir::toNativeSeparators(fromFsPath(p.file));
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case ModelRole::Path: return fromFsPath(p.file);
    case ModelRole::Status:
        if (index.column() == IdColumn)
            return QVariant::fromValue(ItemStatus::Package);
        if (index.column() == StatusColumn)
            return QVariant::fromValue(status.icon);
        return {};
    case ModelRole::Sort:
        switch (index.column()) {
        case SizeColumn: return static_cast<qulonglong>(p.bytes);
        case AddedColumn: return QString::fromStdString(p.addedAt);
        case ContentColumn: return p.tier.value_or(0);
        case StatusColumn: return status.rank;
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn)
            return status.details;
        return QDir::toNativeSeparators(fromFsPath(p.file));
    default: break;
    }
    return {};
}

QVariant StoredPackageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn: return tr("Package");
    case VersionColumn: return tr("Version");
    case ContentColumn: return tr("Contents");
    case StatusColumn: return tr("Status");
    case SizeColumn: return tr("Size");
    case AddedColumn: return tr("Built or received");
    case FileColumn: return tr("File");
    }
    return {};
}

void StoredPackageModel::setPackages(std::vector<atmo::StoredPackage> packages)
{
    std::stable_sort(packages.begin(), packages.end(),
                     [](const atmo::StoredPackage& a, const atmo::StoredPackage& b) { return a.addedAt > b.addedAt; });
    beginResetModel();
    rows_ = std::move(packages);
    status_.clear();
    for (const auto& p : rows_)
        status_.push_back(PackageStatus::of(p));
    endResetModel();
}
