// Search and filters over MeshCatalogModel. The rule is the core's
// atmo::CatalogFilter (the CLI's `models --search/--type` uses the same); this
// proxy only asks it. Sorting compares the entries' raw values directly
// (sizes as numbers, names case-insensitively) instead of going through
// QVariant per comparison: with 10,000 rows that is the difference between a
// keystroke that fits in a frame and one that does not.
#pragma once

#include <QSortFilterProxyModel>

#include "core/mesh/catalog_filter.h"

class CatalogFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit CatalogFilterModel(QObject* parent = nullptr);

    void setFilter(const atmo::CatalogFilter& filter);
    const atmo::CatalogFilter& filter() const { return filter_; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    atmo::CatalogFilter filter_;
};
