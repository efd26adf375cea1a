// The drives a package can be written to, live: a poller lists them about
// once a second off the GUI thread and applies core's diffDrives() as row
// removals, insertions and changes, never a reset, so the drives a user ticked
// stay ticked while others come and go. Polling pauses while writing (the
// rows stay as they were when the write started, and statvfs on a drive
// being written is no use to anyone).
//
// Each row is a whole disk. Removable and USB disks that hold the computer's
// own data are listed too, greyed out with the reason, so a technician sees
// why a plugged-in stick cannot be chosen; so are write-protected and
// unmounted ones. Only an offered drive (writable, mounted, not a system
// disk) can be ticked. "Fits" compares the free space of the mount a write
// would go to with what the chosen package needs.
#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "core/drives/drives.h"

class DriveListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, DeviceColumn, CapacityColumn, FreeColumn, FitsColumn, ColumnCount };
    enum Role {
        DeviceRole = Qt::UserRole + 100, // "/dev/sdb"
        TargetRole,                      // the mount point a write goes to; "" when not offered
        OfferedRole,                     // bool: can be ticked
    };

    // Lists drives; runs on a worker thread, so it must not touch the model.
    using Lister = std::function<std::vector<atmo::Drive>()>;

    explicit DriveListModel(Lister lister, QObject* parent = nullptr, int intervalMsecs = 1000);
    ~DriveListModel() override;

    // The machine's removable and USB drives (system ones flagged, never
    // offered), never the disk holding protectedPaths (the station's home).
    // ATMOSPHERE_DRIVES_ROOT=DIR reads DIR/sys, DIR/proc and DIR/dev instead
    // of /sys, /proc and /dev, as the CLI does (tests, screenshots).
    static Lister systemLister(std::vector<std::filesystem::path> protectedPaths);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Polling: start() lists at once, then every interval; paused, nothing is listed.
    void start();
    void stop();                           // no more polls until start()
    void setPaused(bool paused);
    bool isPaused() const { return paused_; }
    void pollNow();                        // a listing now (unless paused or one is running)
    int pollsStarted() const { return pollsStarted_; }
    int pollsApplied() const { return pollsApplied_; }

    // What the chosen package needs on a drive; 0: nothing chosen yet.
    void setRequiredBytes(std::uint64_t bytes);
    std::uint64_t requiredBytes() const { return required_; }

    const atmo::Drive& drive(int row) const { return rows_[static_cast<std::size_t>(row)].drive; }
    int rowOf(const QString& device) const; // -1 if absent
    bool isOffered(int row) const;
    bool fits(int row) const;              // true while no package is chosen
    QString target(int row) const;         // mount point a write goes to, "" if none
    std::uint64_t targetFreeBytes(int row) const;
    QString displayName(int row) const;    // "SanDisk Cruzer Blade (STICK)"
    QString unavailableReason(int row) const; // why it cannot be ticked, "" if it can

    bool isChecked(int row) const { return rows_[static_cast<std::size_t>(row)].checked; }
    void setChecked(int row, bool checked);
    QList<int> checkedRows() const;

signals:
    void checkedChanged();
    void drivesChanged(); // rows inserted, removed or changed by a poll; and after the first poll

private:
    struct Row {
        atmo::Drive drive;
        bool checked = false;
    };
    bool apply(const std::vector<atmo::Drive>& listed); // false: nothing changed
    const atmo::DriveMount* targetMount(int row) const;

    Lister lister_;
    QTimer timer_;
    std::vector<Row> rows_;
    std::uint64_t required_ = 0;
    bool paused_ = false;
    bool inFlight_ = false;
    int pollsStarted_ = 0;
    int pollsApplied_ = 0;
};
