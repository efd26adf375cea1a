// The station's trust store: one row per (key, role) with the name, the role,
// the key id and the public key line.
#pragma once

#include <QAbstractTableModel>

#include <vector>

#include "core/package/trust_store.h"

class TrustedKeyModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, RoleColumn, KeyIdColumn, PublicKeyColumn, ColumnCount };

    explicit TrustedKeyModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setKeys(const std::vector<atmo::TrustedKey>& keys);
    void reload(const atmo::TrustStore& store) { setKeys(store.list()); }
    const atmo::TrustedKey& key(int row) const { return keys_[static_cast<std::size_t>(row)]; }

private:
    std::vector<atmo::TrustedKey> keys_;
};
