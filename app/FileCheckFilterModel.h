// Sorting and the "only failures" filter over FileCheckModel. The filter's
// rule lives in FileCheckModel::isFailure (exposed as ModelRole::Failure);
// this proxy only asks for it. Sorting uses ModelRole::Sort (raw values).
#pragma once

#include <QSortFilterProxyModel>

class FileCheckFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit FileCheckFilterModel(QObject* parent = nullptr);

    bool failuresOnly() const { return failuresOnly_; }
    void setFailuresOnly(bool on);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool failuresOnly_ = false;
};
