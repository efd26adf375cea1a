#include "app/DriveListModel.h"

#include <QFuture>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>

#include "app/Executors.h"
#include "app/Format.h"
#include "app/ModelRoles.h"
#include "app/PathConversion.h"

DriveListModel::DriveListModel(Lister lister, QObject* parent, int intervalMsecs)
    : QAbstractTableModel(parent), lister_(std::move(lister))
{
    timer_.setInterval(intervalMsecs);
    connect(&timer_, &QTimer::timeout, this, &DriveListModel::pollNow);
}

DriveListModel::~DriveListModel() = default;

DriveListModel::Lister DriveListModel::systemLister(std::vector<std::filesystem::path> protectedPaths)
{
    atmo::SysfsRoots roots;
    const QByteArray root = qgetenv("ATMOSPHERE_DRIVES_ROOT");
    if (!root.isEmpty()) {
        const std::filesystem::path r = toFsPath(QString::fromLocal8Bit(root));
        roots = {r / "sys", r / "proc", r / "dev"};
    }
    auto source = std::make_shared<atmo::SysfsDriveSource>(std::move(protectedPaths), roots);
    return [source] {
        // What list() offers, plus the removable and USB disks it withholds
        // as system disks, which the view shows greyed out with the reason.
        std::vector<atmo::Drive> out;
        for (auto& d : source->scan())
            if (d.removable || d.usb)
                out.push_back(std::move(d));
        return out;
    };
}

int DriveListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int DriveListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

const atmo::DriveMount* DriveListModel::targetMount(int row) const
{
    const atmo::Drive& d = drive(row);
    const atmo::DriveMount* best = nullptr;
    for (const auto& m : d.mountpoints)
        if (!m.readOnly && (!best || m.freeBytes > best->freeBytes))
            best = &m;
    return best;
}

bool DriveListModel::isOffered(int row) const
{
    const atmo::Drive& d = drive(row);
    return !d.system && d.writable() && targetMount(row) != nullptr;
}

QString DriveListModel::target(int row) const
{
    const atmo::DriveMount* m = isOffered(row) ? targetMount(row) : nullptr;
    return m ? fromFsPath(m->path) : QString();
}

std::uint64_t DriveListModel::targetFreeBytes(int row) const
{
    const atmo::DriveMount* m = targetMount(row);
    return m ? m->freeBytes : 0;
}

bool DriveListModel::fits(int row) const { return required_ == 0 || targetFreeBytes(row) >= required_; }

QString DriveListModel::displayName(int row) const
{
    const atmo::Drive& d = drive(row);
    QStringList labels;
    for (const auto& m : d.mountpoints)
        if (!m.label.empty() && !labels.contains(QString::fromStdString(m.label)))
            labels << QString::fromStdString(m.label);
    const QString name = QString::fromStdString(d.name);
    return labels.isEmpty() ? name : tr("%1 (%2)").arg(name, labels.join(QStringLiteral(", ")));
}

QString DriveListModel::unavailableReason(int row) const
{
    const atmo::Drive& d = drive(row);
    if (d.system)
        return d.systemSwap ? tr("This computer's own disk (its swap space)")
                            : tr("This computer's own disk (holds %1)").arg(QString::fromStdString(d.systemPath));
    if (d.readOnly)
        return tr("Write-protected");
    if (d.mountpoints.empty())
        return tr("Not mounted");
    if (!targetMount(row))
        return tr("Mounted read-only");
    return {};
}

int DriveListModel::rowOf(const QString& device) const
{
    const std::string dev = device.toStdString();
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].drive.device == dev)
            return static_cast<int>(i);
    return -1;
}

QVariant DriveListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const Row& r = rows_[static_cast<std::size_t>(row)];
    const atmo::Drive& d = r.drive;
    const bool offered = isOffered(row);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return displayName(row);
        case DeviceColumn: return QString::fromStdString(d.device);
        case CapacityColumn: return Format::bytes(d.sizeBytes);
        case FreeColumn: return targetMount(row) ? Format::bytes(targetFreeBytes(row)) : QStringLiteral("—");
        case FitsColumn:
            if (!offered)
                return unavailableReason(row);
            if (required_ == 0)
                return tr("Ready");
            if (!fits(row))
                return tr("Too small: needs %1").arg(Format::bytes(required_));
            return tr("Fits");
        }
        break;
    case Qt::CheckStateRole:
        if (index.column() == NameColumn && offered)
            return r.checked ? Qt::Checked : Qt::Unchecked;
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == CapacityColumn || index.column() == FreeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole: {
        QStringList lines{displayName(row) + QStringLiteral(" — ") + QString::fromStdString(d.device)};
        for (const auto& m : d.mountpoints)
            lines << tr("%1 mounted at %2 (%3, %4 free%5)")
                         .arg(QString::fromStdString(m.device), fromFsPath(m.path),
                              QString::fromStdString(m.fsType), Format::bytes(m.freeBytes),
                              m.readOnly ? tr(", read-only") : QString());
        if (!offered)
            lines << unavailableReason(row);
        else if (!fits(row))
            lines << tr("Needs %1, has %2 free").arg(Format::bytes(required_), Format::bytes(targetFreeBytes(row)));
        return lines.join(QLatin1Char('\n'));
    }
    case ModelRole::Status:
        if (index.column() == FitsColumn)
            return QVariant::fromValue(!offered         ? ItemStatus::Skipped
                                       : required_ == 0 ? ItemStatus::None
                                       : fits(row)      ? ItemStatus::Ok
                                                        : ItemStatus::Failed);
        break;
    case ModelRole::Sort:
        switch (index.column()) {
        case NameColumn: return displayName(row);
        case DeviceColumn: return QString::fromStdString(d.device);
        case CapacityColumn: return static_cast<qulonglong>(d.sizeBytes);
        case FreeColumn: return static_cast<qulonglong>(targetFreeBytes(row));
        case FitsColumn: // offered and fitting first, then by room to spare
            return offered ? static_cast<qlonglong>(targetFreeBytes(row)) - static_cast<qlonglong>(required_)
                           : std::numeric_limits<qlonglong>::min();
        }
        break;
    case ModelRole::Path:
    case TargetRole: return target(row);
    case DeviceRole: return QString::fromStdString(d.device);
    case OfferedRole: return offered;
    default: break;
    }
    return {};
}

Qt::ItemFlags DriveListModel::flags(const QModelIndex& index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    if (!isOffered(index.row()))
        return Qt::ItemIsSelectable; // shown greyed out, with the reason
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == NameColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

bool DriveListModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::CheckStateRole || !index.isValid() || index.column() != NameColumn ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        !isOffered(index.row()))
        return false;
    setChecked(index.row(), value.value<Qt::CheckState>() == Qt::Checked);
    return true;
}

void DriveListModel::setChecked(int row, bool checked)
{
    if (row < 0 || row >= rowCount() || (checked && !isOffered(row)))
        return;
    Row& r = rows_[static_cast<std::size_t>(row)];
    if (r.checked == checked)
        return;
    r.checked = checked;
    const QModelIndex i = index(row, NameColumn);
    emit dataChanged(i, i, {Qt::CheckStateRole});
    emit checkedChanged();
}

QList<int> DriveListModel::checkedRows() const
{
    QList<int> out;
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].checked)
            out << static_cast<int>(i);
    return out;
}

QVariant DriveListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Drive");
    case DeviceColumn: return tr("Device");
    case CapacityColumn: return tr("Capacity");
    case FreeColumn: return tr("Free");
    case FitsColumn: return tr("Package");
    }
    return {};
}

void DriveListModel::setRequiredBytes(std::uint64_t bytes)
{
    if (bytes == required_)
        return;
    required_ = bytes;
    if (!rows_.empty())
        emit dataChanged(index(0, FreeColumn), index(rowCount() - 1, FitsColumn));
}

void DriveListModel::start()
{
    timer_.start();
    pollNow();
}

void DriveListModel::stop() { timer_.stop(); }

void DriveListModel::setPaused(bool paused)
{
    if (paused_ == paused)
        return;
    paused_ = paused;
    if (!paused_ && timer_.isActive())
        pollNow();
}

void DriveListModel::pollNow()
{
    if (paused_ || inFlight_)
        return;
    inFlight_ = true;
    ++pollsStarted_;
    // The lister is copied into the task, so a model deleted meanwhile
    // leaves it nothing dangling; the continuation is dropped with the model.
    Executors::smallIo([lister = lister_] { return lister(); })
        .then(this, [this](const std::vector<atmo::Drive>& listed) {
            inFlight_ = false;
            if (paused_)
                return; // listed before the write started; the next poll after it counts
            const bool first = pollsApplied_++ == 0;
            if (!apply(listed) && first)
                emit drivesChanged(); // "no drives" is news the first time

        })
        .onFailed(this, [this] { inFlight_ = false; });
}

bool DriveListModel::apply(const std::vector<atmo::Drive>& listed)
{
    std::vector<atmo::Drive> before;
    before.reserve(rows_.size());
    for (const auto& r : rows_)
        before.push_back(r.drive);
    const atmo::DriveChanges changes = atmo::diffDrives(before, listed);
    if (changes.empty())
        return false;
    bool checksChanged = false;
    for (const auto& device : changes.removed) {
        const int row = rowOf(QString::fromStdString(device));
        if (row < 0)
            continue;
        checksChanged |= rows_[static_cast<std::size_t>(row)].checked;
        beginRemoveRows({}, row, row);
        rows_.erase(rows_.begin() + row);
        endRemoveRows();
    }
    // Rows stay in the lister's order: a new drive goes after every row the
    // listing puts before it.
    std::map<std::string, std::size_t> order;
    for (std::size_t i = 0; i < listed.size(); ++i)
        order[listed[i].device] = i;
    for (const auto& d : changes.added) {
        const std::size_t pos = order[d.device];
        int row = 0;
        while (row < rowCount()) {
            const auto it = order.find(rows_[static_cast<std::size_t>(row)].drive.device);
            if (it != order.end() && it->second > pos)
                break;
            ++row;
        }
        beginInsertRows({}, row, row);
        rows_.insert(rows_.begin() + row, Row{d, false});
        endInsertRows();
    }
    for (const auto& d : changes.changed) {
        const int row = rowOf(QString::fromStdString(d.device));
        if (row < 0)
            continue;
        Row& r = rows_[static_cast<std::size_t>(row)];
        // Another stick plugged in under the same device name between two
        // polls is not the drive the user ticked.
        const bool swapped = r.drive.name != d.name || r.drive.sizeBytes != d.sizeBytes;
        r.drive = d;
        if (r.checked && (swapped || !isOffered(row))) { // or became read-only, unmounted, ...
            r.checked = false;
            checksChanged = true;
        }
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    emit drivesChanged();
    if (checksChanged)
        emit checkedChanged();
    return true;
}
