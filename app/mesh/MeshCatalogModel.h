// The merged mesh catalog as a table: name, type, format, size, version,
// number of peers, capabilities. setEntries() takes a new merge (sorted by
// model_id, as MeshCatalog::merged() returns it) and applies the difference
// as row removals, insertions and coalesced dataChanged spans, so selection
// and scroll position survive every refresh.
#pragma once

#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

#include "core/mesh/mesh_catalog.h"

class MeshCatalogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, TypeColumn, FormatColumn, SizeColumn, VersionColumn, PeersColumn,
                  CapabilitiesColumn, ColumnCount };
    enum Role { ModelIdRole = Qt::UserRole + 100 };

    explicit MeshCatalogModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setEntries(std::vector<atmo::MergedEntry> entries);
    const atmo::MergedEntry& entry(int row) const { return rows_[static_cast<std::size_t>(row)]; }
    int rowOf(const QString& modelId) const; // -1 when absent

    // The values present, for the filter choices.
    QStringList types() const { return types_; }
    QStringList formats() const { return formats_; }
    QStringList capabilities() const { return capabilities_; }

signals:
    void choicesChanged();

private:
    void updateChoices();
    std::vector<atmo::MergedEntry> rows_;
    QStringList types_, formats_, capabilities_;
};
