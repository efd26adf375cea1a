#include "app/mesh/CatalogFilterModel.h"

#include "app/ModelRoles.h"
#include "app/mesh/MeshCatalogModel.h"
#include "core/package/manifest.h"

#include <algorithm>
#include <string>

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
    // One layout change rather than invalidateFilter()'s row removals and
    // insertions: with 10,000 rows, typing the first letter removes thousands
    // of scattered rows, one signal per run, and the view pays for each.
    // invalidate() keeps persistent indexes (the selection) all the same.
    invalidate();
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

namespace {

// Case-insensitive ASCII comparison without allocating.
int compareNoCase(const std::string& a, const std::string& b)
{
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
        const int lx = (x >= 'A' && x <= 'Z') ? x + 32 : x, ly = (y >= 'A' && y <= 'Z') ? y + 32 : y;
        if (lx != ly)
            return lx < ly ? -1 : 1;
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

const std::string& displayName(const atmo::CatalogEntry& e) { return e.name.empty() ? e.modelId : e.name; }

} // namespace

bool CatalogFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const auto* catalog = qobject_cast<const MeshCatalogModel*>(sourceModel());
    if (!catalog)
        return QSortFilterProxyModel::lessThan(left, right);
    const atmo::MergedEntry& a = catalog->entry(left.row());
    const atmo::MergedEntry& b = catalog->entry(right.row());
    int c = 0;
    switch (left.column()) {
    case MeshCatalogModel::SizeColumn:
        c = a.entry.sizeBytes == b.entry.sizeBytes ? 0 : (a.entry.sizeBytes < b.entry.sizeBytes ? -1 : 1);
        break;
    case MeshCatalogModel::PeersColumn:
        c = a.peers.size() == b.peers.size() ? 0 : (a.peers.size() < b.peers.size() ? -1 : 1);
        break;
    case MeshCatalogModel::TypeColumn: c = compareNoCase(a.entry.type, b.entry.type); break;
    case MeshCatalogModel::FormatColumn: c = compareNoCase(a.entry.format, b.entry.format); break;
    case MeshCatalogModel::VersionColumn: c = atmo::compareVersions(a.entry.version, b.entry.version); break;
    case MeshCatalogModel::CapabilitiesColumn:
        c = compareNoCase(a.entry.capabilities.empty() ? std::string() : a.entry.capabilities.front(),
                          b.entry.capabilities.empty() ? std::string() : b.entry.capabilities.front());
        break;
    default: c = compareNoCase(displayName(a.entry), displayName(b.entry)); break;
    }
    // Ties fall back to the model id, so the order is stable and total.
    return c != 0 ? c < 0 : a.entry.modelId < b.entry.modelId;
}
