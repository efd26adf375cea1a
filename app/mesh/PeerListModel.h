// The peers of a PeerDirectory as a table: name, address, how found, latency,
// number of models, last seen, reachable. Rows follow the directory's
// add/change/remove signals one by one (never a reset).
#pragma once

#include <QAbstractTableModel>
#include <QPointer>

class PeerDirectory;

class PeerListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, AddressColumn, FoundByColumn, LatencyColumn, ModelsColumn, LastSeenColumn,
                  StatusColumn, ColumnCount };

    explicit PeerListModel(PeerDirectory* directory, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QPointer<PeerDirectory> directory_;
    int rows_ = 0; // what the views were told
};
