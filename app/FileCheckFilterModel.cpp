#include "app/FileCheckFilterModel.h"

#include "app/ModelRoles.h"

FileCheckFilterModel::FileCheckFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(ModelRole::Sort);
    setDynamicSortFilter(true);
}

void FileCheckFilterModel::setFailuresOnly(bool on)
{
    if (on == failuresOnly_)
        return;
    failuresOnly_ = on;
    invalidateRowsFilter();
}

bool FileCheckFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!failuresOnly_)
        return true;
    return sourceModel()->index(sourceRow, 0, sourceParent).data(ModelRole::Failure).toBool();
}
