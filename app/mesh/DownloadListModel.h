// The downloads panel's table over a DownloadManager: one row per item, in
// the order they were added (rows never move, so selection and scrolling
// survive state changes). Rows follow the manager's itemAdded /
// itemAboutToBeRemoved / itemRemoved one by one and its itemChanged as
// dataChanged over the row; never a reset.
//
// Every role below answers on every column, so a list view with a delegate
// can draw a whole row from column 0; the columns are for a table view.
// ModelRole::Status is ItemStatus Pending (queued, running, paused), Warning
// (running while a peer misbehaves), Ok, Failed or Skipped (cancelled); ModelRole::Sort the raw value of the column; ModelRole::Path
// the verified file once done.
#pragma once

#include <QAbstractTableModel>
#include <QPointer>

#include "app/mesh/DownloadManager.h"

class DownloadListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TitleColumn, StatusColumn, ProgressColumn, SizeColumn, RateColumn, TimeLeftColumn, PeersColumn,
                  ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 100, // quint64: the manager's item id
        TitleRole,          // "yolo-v8n"
        KindRole,           // DownloadManager::Kind
        PriorityRole,       // "critical" | "high" | "normal" | "low"
        StateRole,          // atmo::TransferState
        StateTextRole,      // "Downloading", "Verifying… 40 %", "Paused", ...
        PercentRole,        // double 0..100 of the bytes (StateTextRole has the checking/verifying share)
        BytesDoneRole,      // qulonglong
        BytesTotalRole,     // qulonglong
        RateRole,           // double bytes per second; 0 while not receiving
        TimeLeftRole,       // qlonglong seconds; invalid while unknown
        ChunksDoneRole,     // uint
        ChunksTotalRole,    // uint
        PeersRole,          // QStringList of endpoints: supplying now, else those it will ask
        ProblemRole,        // the last peer problem while it goes on, translated ("" if none)
        ErrorRole,          // why it failed, one translated line ("" unless failed)
        ProblemDetailRole,  // ProblemRole's English detail: the peer and its exact failure
        ErrorDetailRole,    // ErrorRole's English detail, the CLI's line
        CanPauseRole,       // bool
        CanResumeRole,      // bool
        CanCancelRole,      // bool
        CanRetryRole,       // bool
        InstallAfterRole,   // bool: a package to install once verified
    };

    explicit DownloadListModel(DownloadManager* manager, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    DownloadManager* manager() const { return manager_; }
    quint64 idAt(int row) const; // 0 for a row that is not there

    static QString stateText(const DownloadManager::Item& item);

private:
    QPointer<DownloadManager> manager_;
    int rows_ = 0; // what the views were told
};

Q_DECLARE_METATYPE(atmo::TransferState)
Q_DECLARE_METATYPE(DownloadManager::Kind)
