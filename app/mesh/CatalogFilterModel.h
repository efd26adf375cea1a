// Search and filters over MeshCatalogModel. The rule is the core's
// atmo::CatalogFilter (the CLI's `models --search/--type` uses the same); this
// proxy only asks it. Sorting uses ModelRole::Sort (raw values).
#pragma once

#include <QSortFilterProxyModel>

#include "core/catalog.h"

class CatalogFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit CatalogFilterModel(QObject* parent = nullptr);

    void setFilter(const atmo::CatalogFilter& filter);
    const atmo::CatalogFilter& filter() const { return filter_; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    atmo::CatalogFilter filter_;
};
