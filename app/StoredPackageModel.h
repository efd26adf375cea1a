// The packages this station built or received (the core's PackageStore):
// id, version, full or tier export, status on this station (app/PackageStatus.h),
// size, when, where.
#pragma once

#include <QAbstractTableModel>

#include <vector>

#include "app/PackageStatus.h"
#include "core/package/package_store.h"

class StoredPackageModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IdColumn, VersionColumn, ContentColumn, StatusColumn, SizeColumn, AddedColumn, FileColumn, ColumnCount };

    explicit StoredPackageModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setPackages(std::vector<atmo::StoredPackage> packages); // newest first
    void reload(const atmo::PackageStore& store) { setPackages(store.list()); }
    const atmo::StoredPackage& package(int row) const { return rows_[static_cast<std::size_t>(row)]; }

private:
    std::vector<atmo::StoredPackage> rows_;
    std::vector<PackageStatus> status_; // per row, worked out once per reload (it looks at the file)
};
