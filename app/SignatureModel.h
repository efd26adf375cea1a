// One row per signing role of a package (mesh authority, founder): state,
// key id, whether and under which name the key is trusted, the trusted comment.
#pragma once

#include <QAbstractTableModel>

#include <vector>

#include "app/ModelRoles.h"
#include "core/package/package_verifier.h"

class SignatureModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { RoleColumn, StateColumn, KeyIdColumn, TrustColumn, CommentColumn, ColumnCount };

    explicit SignatureModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setSignatures(const std::vector<atmo::SignatureCheck>& signatures);
    void clear() { setSignatures({}); }
    const atmo::SignatureCheck& signature(int row) const { return rows_[static_cast<std::size_t>(row)]; }

    static ItemStatus status(const atmo::SignatureCheck& s);

private:
    std::vector<atmo::SignatureCheck> rows_;
};
