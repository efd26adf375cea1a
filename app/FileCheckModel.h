// The files of a package being verified, one row per file: every file the
// manifest names is listed as waiting once the signatures check out, the one
// being hashed says how far it is ("Checking… 42 %"), and each row changes
// as the core reports it. Batches arrive coalesced (see QueuedObserver): new
// rows go in with one beginInsertRows per batch, updates to known rows are
// coalesced into contiguous spans for dataChanged.
#pragma once

#include <QAbstractTableModel>
#include <QHash>

#include <vector>

#include "app/ModelRoles.h"
#include "core/package/package_verifier.h"

class FileCheckModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { StatusColumn, PathColumn, KindColumn, SizeColumn, TiersColumn, ExpectedColumn, ComputedColumn,
                  ColumnCount };

    explicit FileCheckModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void clear();
    // While false (the check ended), files never reached read "Not checked".
    void setChecking(bool checking);
    void apply(const std::vector<atmo::FileCheck>& batch);
    // Rows for the files not listed yet, as they are (pending); known rows stay.
    void addPending(const std::vector<atmo::FileCheck>& files);
    // The file being hashed and how far (bytes of it); "" for none.
    void setActive(const QString& path, quint64 done, quint64 total);
    int activeRow() const { return active_; }

    const atmo::FileCheck& file(int row) const { return files_[static_cast<std::size_t>(row)]; }
    const std::vector<atmo::FileCheck>& files() const { return files_; }
    int rowOf(const QString& path) const; // -1 if absent

    static bool isFailure(atmo::FileState state);
    static ItemStatus status(atmo::FileState state);
    int count(atmo::FileState state) const;
    int failureCount() const;

private:
    std::vector<atmo::FileCheck> files_;
    QHash<QString, int> rows_;
    bool checking_ = true;
    int active_ = -1;
    quint64 activeDone_ = 0;
    quint64 activeTotal_ = 0;
    void insertRows(const std::vector<const atmo::FileCheck*>& added);
};
