// The contents of a mission directory for the package builder: one row per
// file (grouped by kind: configuration, models, agents, tools, knowledge)
// with its id, version and size, and for models one checkbox column per
// mission tier. Problems found while scanning (unparseable YAML, a name
// without a version, ...) come first as their own rows, so they are seen
// inline next to the files. Editing a checkbox changes the mission in memory;
// the wizard writes it back with atmo::saveMissionYaml.
#pragma once

#include <QAbstractTableModel>

#include "core/package/mission.h"

class MissionContentsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { KindColumn, FileColumn, IdColumn, VersionColumn, SizeColumn, DetailColumn, FirstTierColumn };

    explicit MissionContentsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setMission(const atmo::Mission& mission);
    void clear();
    const atmo::Mission& mission() const { return mission_; }
    bool hasProblems() const { return !mission_.problems.empty(); }
    int problemCount() const { return static_cast<int>(mission_.problems.size()); }

    // The row showing a file (mission-relative path), or -1.
    int rowOf(const QString& path) const;
    int tierColumn(int tier) const; // -1 if the mission has no such tier
    bool modelInTier(int fileIndex, int tier) const;
    bool setModelInTier(int fileIndex, int tier, bool on);

signals:
    // A model's tiers changed (sizes per tier change with it).
    void tiersEdited();

private:
    int problemRows() const { return static_cast<int>(mission_.problems.size()); }
    const atmo::MissionFile* fileAt(int row) const;
    atmo::Mission mission_;
};
