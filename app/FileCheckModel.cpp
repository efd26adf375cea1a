#include "app/FileCheckModel.h"

#include <algorithm>

#include <QSet>

#include "app/Format.h"
#include "app/ModelRoles.h"
#include "app/VerifyNote.h"

FileCheckModel::FileCheckModel(QObject* parent) : QAbstractTableModel(parent) {}

int FileCheckModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(files_.size());
}

int FileCheckModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

bool FileCheckModel::isFailure(atmo::FileState state)
{
    return state == atmo::FileState::Failed || state == atmo::FileState::Missing;
}

ItemStatus FileCheckModel::status(atmo::FileState state)
{
    switch (state) {
    case atmo::FileState::Pending: return ItemStatus::Pending;
    case atmo::FileState::Ok: return ItemStatus::Ok;
    case atmo::FileState::Failed: return ItemStatus::Failed;
    case atmo::FileState::Missing: return ItemStatus::Missing;
    case atmo::FileState::NotInArchive: return ItemStatus::Skipped;
    }
    return ItemStatus::None;
}

QVariant FileCheckModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const atmo::FileCheck& f = files_[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case StatusColumn:
            if (f.state != atmo::FileState::Pending)
                return Format::fileState(f.state);
            if (!checking_)
                return tr("Not checked");
            if (index.row() != active_)
                return tr("Waiting");
            return activeTotal_ ? tr("Checking… %1 %").arg(static_cast<int>(100 * activeDone_ / activeTotal_))
                                : Format::fileState(f.state);
        case PathColumn: return QString::fromStdString(f.path);
        case KindColumn: return Format::kind(f.kind);
        case SizeColumn: return Format::bytes(f.size);
        case TiersColumn: return Format::tiers(f.tiers);
        case ExpectedColumn: return Format::shortHash(f.expectedSha256);
        case ComputedColumn: return Format::shortHash(f.computedSha256);
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case StatusColumn: {
            // In the window's language, with core's English line (which
            // names the rule) under it.
            const QString problem = VerifyNote::fileProblem(f);
            if (problem.isEmpty())
                return f.message.empty() ? Format::fileState(f.state) : QString::fromStdString(f.message);
            return f.message.empty() ? problem : problem + QLatin1Char('\n') + QString::fromStdString(f.message);
        }
        case ExpectedColumn: return QString::fromStdString(f.expectedSha256);
        case ComputedColumn: return QString::fromStdString(f.computedSha256);
        default: return QString::fromStdString(f.path);
        }
    case Qt::TextAlignmentRole:
        if (column == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case ModelRole::Status:
        if (column != StatusColumn)
            return {};
        return QVariant::fromValue(f.state == atmo::FileState::Pending && !checking_ ? ItemStatus::Skipped : status(f.state));
    case ModelRole::Failure:
        return isFailure(f.state);
    case ModelRole::Path:
        return QString::fromStdString(f.path);
    case ModelRole::Sort:
        switch (column) {
        case StatusColumn: return static_cast<int>(f.state);
        case KindColumn: return static_cast<int>(f.kind);
        case SizeColumn: return static_cast<qulonglong>(f.size);
        case TiersColumn: return f.tiers.empty() ? 0 : f.tiers.front();
        case PathColumn: return QString::fromStdString(f.path);
        case ExpectedColumn: return QString::fromStdString(f.expectedSha256);
        case ComputedColumn: return QString::fromStdString(f.computedSha256);
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant FileCheckModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StatusColumn: return tr("Status");
    case PathColumn: return tr("File");
    case KindColumn: return tr("Kind");
    case SizeColumn: return tr("Size");
    case TiersColumn: return tr("Tiers");
    case ExpectedColumn: return tr("Expected SHA-256");
    case ComputedColumn: return tr("Computed SHA-256");
    }
    return {};
}

void FileCheckModel::setChecking(bool checking)
{
    if (checking == checking_)
        return;
    checking_ = checking;
    if (!files_.empty())
        emit dataChanged(index(0, StatusColumn), index(rowCount() - 1, StatusColumn));
}

void FileCheckModel::clear()
{
    if (files_.empty())
        return;
    beginResetModel();
    files_.clear();
    rows_.clear();
    active_ = -1;
    endResetModel();
}

void FileCheckModel::apply(const std::vector<atmo::FileCheck>& batch)
{
    std::vector<int> changed;
    std::vector<const atmo::FileCheck*> added;
    QHash<QString, int> addedRows;
    for (const atmo::FileCheck& f : batch) {
        const QString key = QString::fromStdString(f.path);
        if (auto it = rows_.constFind(key); it != rows_.constEnd()) {
            files_[static_cast<std::size_t>(*it)] = f;
            changed.push_back(*it);
        } else if (auto a = addedRows.constFind(key); a != addedRows.constEnd()) {
            added[static_cast<std::size_t>(*a)] = &f; // reported twice in one batch: keep the latest
        } else {
            addedRows.insert(key, static_cast<int>(added.size()));
            added.push_back(&f);
        }
    }
    if (!changed.empty()) {
        std::sort(changed.begin(), changed.end());
        changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
        std::size_t i = 0;
        while (i < changed.size()) {
            std::size_t j = i;
            while (j + 1 < changed.size() && changed[j + 1] == changed[j] + 1)
                ++j;
            emit dataChanged(index(changed[i], 0), index(changed[j], ColumnCount - 1));
            i = j + 1;
        }
    }
    insertRows(added);
}

void FileCheckModel::insertRows(const std::vector<const atmo::FileCheck*>& added)
{
    if (added.empty())
        return;
    const int first = static_cast<int>(files_.size());
    beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
    files_.reserve(files_.size() + added.size());
    for (const atmo::FileCheck* f : added) {
        rows_.insert(QString::fromStdString(f->path), static_cast<int>(files_.size()));
        files_.push_back(*f);
    }
    endInsertRows();
}

void FileCheckModel::addPending(const std::vector<atmo::FileCheck>& files)
{
    std::vector<const atmo::FileCheck*> added;
    QSet<QString> seen;
    for (const atmo::FileCheck& f : files) {
        const QString key = QString::fromStdString(f.path);
        if (!rows_.contains(key) && !seen.contains(key)) {
            seen.insert(key);
            added.push_back(&f);
        }
    }
    insertRows(added);
}

void FileCheckModel::setActive(const QString& path, quint64 done, quint64 total)
{
    const int row = path.isEmpty() ? -1 : rowOf(path);
    const int before = active_;
    active_ = row;
    activeDone_ = done;
    activeTotal_ = total;
    for (int r : {before, row})
        if (r >= 0)
            emit dataChanged(index(r, StatusColumn), index(r, StatusColumn));
}

int FileCheckModel::rowOf(const QString& path) const { return rows_.value(path, -1); }

int FileCheckModel::count(atmo::FileState state) const
{
    return static_cast<int>(std::count_if(files_.begin(), files_.end(),
                                          [state](const atmo::FileCheck& f) { return f.state == state; }));
}

int FileCheckModel::failureCount() const
{
    return static_cast<int>(
        std::count_if(files_.begin(), files_.end(), [](const atmo::FileCheck& f) { return isFailure(f.state); }));
}
