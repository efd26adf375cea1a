// A package's chain of custody, oldest first: who (station, key), when, what,
// whether the entry's signature holds and whether its key is trusted.
#pragma once

#include <QAbstractTableModel>

#include <vector>

#include "core/package/custody.h"

class CustodyModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { StationColumn, TimeColumn, ActionColumn, KeyColumn, StateColumn, ColumnCount };

    explicit CustodyModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setEntries(const std::vector<atmo::CustodyCheck>& entries);
    void clear() { setEntries({}); }
    const atmo::CustodyCheck& entry(int row) const { return rows_[static_cast<std::size_t>(row)]; }

    static QString stateText(const atmo::CustodyCheck& c);

private:
    std::vector<atmo::CustodyCheck> rows_;
};
