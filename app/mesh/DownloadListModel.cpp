#include "app/mesh/DownloadListModel.h"

#include <cmath>
#include <limits>

#include "app/Format.h"
#include "app/ModelRoles.h"
#include "app/QtStrings.h"

namespace {

int percentOf(quint64 done, quint64 total)
{
    return total == 0 ? 0 : static_cast<int>(std::min<quint64>(100, done * 100 / total));
}

bool receiving(const DownloadManager::Item& it)
{
    return it.state == atmo::TransferState::Active && it.phase == MeshDownload::State::Running;
}

// The translated sentence of a note; the English line when there is none
// (a failure that did not come from a download, such as a refused request).
QString shown(const DownloadNote& note, const QString& detail)
{
    return note.isEmpty() ? detail : note.text();
}

} // namespace

DownloadListModel::DownloadListModel(DownloadManager* manager, QObject* parent)
    : QAbstractTableModel(parent), manager_(manager), rows_(manager->count())
{
    connect(manager, &DownloadManager::itemAdded, this, [this](int row) {
        beginInsertRows({}, row, row);
        ++rows_;
        endInsertRows();
    });
    connect(manager, &DownloadManager::itemAboutToBeRemoved, this,
            [this](int row) { beginRemoveRows({}, row, row); });
    connect(manager, &DownloadManager::itemRemoved, this, [this](int) {
        --rows_;
        endRemoveRows();
    });
    connect(manager, &DownloadManager::itemChanged, this,
            [this](int row) { emit dataChanged(index(row, 0), index(row, ColumnCount - 1)); });
}

int DownloadListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : rows_; }

int DownloadListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

quint64 DownloadListModel::idAt(int row) const
{
    return manager_ && row >= 0 && row < rows_ && row < manager_->count() ? manager_->item(row).id : 0;
}

QString DownloadListModel::stateText(const DownloadManager::Item& it)
{
    switch (it.state) {
    case atmo::TransferState::Queued: return tr("Queued");
    case atmo::TransferState::Active:
        if (it.corePhase == atmo::Phase::Checking && it.phaseTotal > 0)
            return tr("Checking… %1 %").arg(percentOf(it.phaseDone, it.phaseTotal));
        switch (it.phase) {
        case MeshDownload::State::Running: return tr("Downloading");
        case MeshDownload::State::Verifying:
            return it.phaseTotal > 0 ? tr("Verifying… %1 %").arg(percentOf(it.phaseDone, it.phaseTotal))
                                     : tr("Verifying…");
        default: return tr("Starting…");
        }
    case atmo::TransferState::Paused: return tr("Paused");
    case atmo::TransferState::Done:
        if (!it.alreadyHad)
            return tr("Done");
        return it.kind == DownloadManager::Kind::Model ? tr("Already in the library") : tr("Already downloaded");
    case atmo::TransferState::Failed: return tr("Failed");
    case atmo::TransferState::Cancelled: return tr("Cancelled");
    }
    return {};
}

QVariant DownloadListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !manager_ ||
        index.row() >= manager_->count())
        return {};
    const DownloadManager::Item& it = manager_->item(index.row());
    const atmo::DownloadProgress& p = it.progress;
    const bool done = it.state == atmo::TransferState::Done;
    const quint64 total = p.totalBytes ? p.totalBytes : it.sizeBytes;
    const quint64 have = done ? total : p.bytesDownloaded;
    const double percent = done ? 100.0 : p.percent;
    const double rate = receiving(it) ? p.rate : 0.0;
    const QVariant eta = receiving(it) && p.etaSeconds ? QVariant(static_cast<qlonglong>(std::ceil(*p.etaSeconds)))
                                                       : QVariant();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TitleColumn: return it.title;
        case StatusColumn: return stateText(it);
        case ProgressColumn: return tr("%1 %").arg(static_cast<int>(std::floor(percent)));
        case SizeColumn:
            return done || have == 0 ? Format::bytes(total)
                                     : tr("%1 of %2").arg(Format::bytes(have), Format::bytes(total));
        case RateColumn: return Format::speed(rate);
        case TimeLeftColumn: return eta.isValid() ? Format::duration(eta.toLongLong()) : QString();
        case PeersColumn: return it.peers.join(QStringLiteral(", "));
        }
        break;
    case Qt::ToolTipRole: {
        QStringList lines{it.title};
        if (!it.error.isEmpty())
            lines << shown(it.errorNote, it.error) << it.error;
        else if (!it.problem.isEmpty())
            lines << shown(it.problemNote, it.problem) << it.problem;
        lines.removeDuplicates();
        if (!it.path.isEmpty())
            lines << it.path;
        return lines.join(QLatin1Char('\n'));
    }
    case Qt::TextAlignmentRole:
        if (index.column() == ProgressColumn || index.column() == SizeColumn || index.column() == RateColumn ||
            index.column() == TimeLeftColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case ModelRole::Status:
        switch (it.state) {
        case atmo::TransferState::Done: return QVariant::fromValue(ItemStatus::Ok);
        case atmo::TransferState::Failed: return QVariant::fromValue(ItemStatus::Failed);
        case atmo::TransferState::Cancelled: return QVariant::fromValue(ItemStatus::Skipped);
        case atmo::TransferState::Active:
            if (!it.problem.isEmpty())
                return QVariant::fromValue(ItemStatus::Warning);
            [[fallthrough]];
        default: return QVariant::fromValue(ItemStatus::Pending);
        }
    case ModelRole::Sort:
        switch (index.column()) {
        case TitleColumn: return it.title;
        case StatusColumn: return static_cast<int>(it.state);
        case ProgressColumn: return percent;
        case SizeColumn: return static_cast<qulonglong>(total);
        case RateColumn: return rate;
        case TimeLeftColumn: return eta.isValid() ? eta : QVariant(std::numeric_limits<qlonglong>::max());
        case PeersColumn: return static_cast<int>(it.peers.size());
        }
        break;
    case ModelRole::Failure: return it.state == atmo::TransferState::Failed;
    case ModelRole::Path: return it.path;
    case IdRole: return static_cast<qulonglong>(it.id);
    case TitleRole: return it.title;
    case KindRole: return QVariant::fromValue(it.kind);
    case PriorityRole: return q(atmo::priorityName(it.priority));
    case StateRole: return QVariant::fromValue(it.state);
    case StateTextRole: return stateText(it);
    case PercentRole: return percent;
    case BytesDoneRole: return static_cast<qulonglong>(have);
    case BytesTotalRole: return static_cast<qulonglong>(total);
    case RateRole: return rate;
    case TimeLeftRole: return eta;
    case ChunksDoneRole: return p.chunksReceived;
    case ChunksTotalRole: return p.totalChunks;
    case PeersRole: return it.peers;
    case ProblemRole: return shown(it.problemNote, it.problem);
    case ErrorRole: return shown(it.errorNote, it.error);
    case ProblemDetailRole: return it.problem;
    case ErrorDetailRole: return it.error;
    case CanPauseRole: return it.canPause();
    case CanResumeRole: return it.canResume();
    case CanCancelRole: return it.canCancel();
    case CanRetryRole: return it.canRetry();
    case InstallAfterRole: return it.installAfter;
    default: break;
    }
    return {};
}

QVariant DownloadListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TitleColumn: return tr("Download");
    case StatusColumn: return tr("Status");
    case ProgressColumn: return tr("Progress");
    case SizeColumn: return tr("Size");
    case RateColumn: return tr("Speed");
    case TimeLeftColumn: return tr("Time left");
    case PeersColumn: return tr("Peers");
    }
    return {};
}

QHash<int, QByteArray> DownloadListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    const std::pair<int, const char*> ours[] = {
        {IdRole, "downloadId"},     {TitleRole, "title"},         {KindRole, "kind"},
        {PriorityRole, "priority"}, {StateRole, "state"},         {StateTextRole, "stateText"},
        {PercentRole, "percent"},   {BytesDoneRole, "bytesDone"}, {BytesTotalRole, "bytesTotal"},
        {RateRole, "rate"},         {TimeLeftRole, "timeLeft"},   {ChunksDoneRole, "chunksDone"},
        {ChunksTotalRole, "chunksTotal"}, {PeersRole, "peers"},   {ProblemRole, "problem"},
        {ErrorRole, "error"},       {ProblemDetailRole, "problemDetail"}, {ErrorDetailRole, "errorDetail"},
        {CanPauseRole, "canPause"},   {CanResumeRole, "canResume"},
        {CanCancelRole, "canCancel"}, {CanRetryRole, "canRetry"}, {InstallAfterRole, "installAfter"},
    };
    for (const auto& [role, name] : ours)
        names.insert(role, name);
    return names;
}
