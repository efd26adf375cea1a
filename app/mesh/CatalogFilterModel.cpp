#include "app/mesh/CatalogFilterModel.h"

#include "app/ModelRoles.h"
#include "app/mesh/MeshCatalogModel.h"

CatalogFilterModel::CatalogFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(ModelRole::Sort);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void CatalogFilterModel::setFilter(const atmo::CatalogFilter& filter)
{
    if (filter.search == filter_.search && filter.type == filter_.type && filter.format == filter_.format &&
        filter.capability == filter_.capability)
        return;
    filter_ = filter;
    invalidateFilter();
}

bool CatalogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (filter_.empty() || sourceParent.isValid())
        return true;
    const auto* catalog = qobject_cast<const MeshCatalogModel*>(sourceModel());
    if (!catalog)
        return true;
    return filter_.matches(catalog->entry(sourceRow).entry);
}
