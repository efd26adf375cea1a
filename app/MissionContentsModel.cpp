#include "app/MissionContentsModel.h"

#include <algorithm>

#include "app/Format.h"
#include "app/MissionNote.h"
#include "app/ModelRoles.h"

namespace {

// "gguf Q4_K_M — reasoning", "onnx — defect_detection, fast_screening"
QString declaredText(const atmo::DeclaredModel& d)
{
    QStringList what, roles;
    for (const std::string& s : {d.format, d.quantization})
        if (!s.empty())
            what << QString::fromStdString(s);
    for (const auto& [tier, role] : d.roles)
        if (!roles.contains(QString::fromStdString(role)))
            roles << QString::fromStdString(role);
    QString text = what.join(QLatin1Char(' '));
    if (!roles.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral(" — ")) + roles.join(QStringLiteral(", "));
    return text;
}

} // namespace

MissionContentsModel::MissionContentsModel(QObject* parent) : QAbstractTableModel(parent) {}

int MissionContentsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : problemRows() + static_cast<int>(mission_.files.size());
}

int MissionContentsModel::columnCount(const QModelIndex& parent) const
{
    if (parent.isValid() || mission_.root.empty())
        return 0;
    return FirstTierColumn + static_cast<int>(mission_.tiers.size());
}

const atmo::MissionFile* MissionContentsModel::fileAt(int row) const
{
    const int i = row - problemRows();
    if (i < 0 || i >= static_cast<int>(mission_.files.size()))
        return nullptr;
    return &mission_.files[static_cast<std::size_t>(i)];
}

int MissionContentsModel::tierColumn(int tier) const
{
    const auto it = std::find(mission_.tiers.begin(), mission_.tiers.end(), tier);
    return it == mission_.tiers.end() ? -1 : FirstTierColumn + static_cast<int>(it - mission_.tiers.begin());
}

bool MissionContentsModel::modelInTier(int fileIndex, int tier) const
{
    return mission_.files[static_cast<std::size_t>(fileIndex)].entry.inTier(tier);
}

QVariant MissionContentsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int column = index.column();
    if (index.row() < problemRows()) {
        const atmo::MissionProblem& p = mission_.problems[static_cast<std::size_t>(index.row())];
        switch (role) {
        case Qt::DisplayRole:
            if (column == KindColumn)
                return tr("Problem");
            if (column == FileColumn)
                return QString::fromStdString(p.path);
            if (column == DetailColumn)
                return MissionNote::text(p);
            return {};
        case Qt::ToolTipRole: return QString::fromStdString(p.path + " " + p.message); // core's English, in full
        case ModelRole::Status: return column == KindColumn ? QVariant::fromValue(ItemStatus::Failed) : QVariant();
        case ModelRole::Failure: return true;
        case ModelRole::Path: return QString::fromStdString(p.path);
        case ModelRole::Sort: return column == FileColumn ? QString::fromStdString(p.path) : QVariant(-1);
        default: return {};
        }
    }
    const atmo::MissionFile& f = *fileAt(index.row());
    const atmo::ContentFile& e = f.entry;
    if (column >= FirstTierColumn) {
        const int tier = mission_.tiers[static_cast<std::size_t>(column - FirstTierColumn)];
        if (role == Qt::CheckStateRole)
            return e.inTier(tier) ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::ToolTipRole)
            return e.kind == atmo::ContentKind::Model ? tr("Include this model in %1").arg(Format::tier(tier))
                                                      : tr("Every tier gets this file");
        if (role == Qt::AccessibleTextRole)
            return Format::tier(tier);
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case KindColumn: return Format::kindPlural(e.kind);
        case FileColumn: return QString::fromStdString(f.source.filename().string());
        case IdColumn: return e.kind == atmo::ContentKind::Knowledge ? QString::fromStdString(e.domain)
                                                                      : QString::fromStdString(e.id);
        case VersionColumn: return e.version.empty() ? QStringLiteral("—") : QString::fromStdString(e.version);
        case SizeColumn: return Format::bytes(e.size);
        case DetailColumn:
            if (e.kind == atmo::ContentKind::Knowledge)
                return tr("%n chunk(s)", nullptr, static_cast<int>(e.chunks));
            if (f.declared) // mesh form: what the mission says of the model
                return declaredText(*f.declared);
            return {};
        }
        break;
    case Qt::TextAlignmentRole:
        if (column == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole: return QString::fromStdString(e.path);
    case ModelRole::Status: return column == KindColumn ? QVariant::fromValue(ItemStatus::Ok) : QVariant();
    case ModelRole::Failure: return false;
    case ModelRole::Path: return QString::fromStdString(e.path);
    case ModelRole::Sort:
        switch (column) {
        case KindColumn: return static_cast<int>(e.kind);
        case SizeColumn: return static_cast<qulonglong>(e.size);
        default: return data(index, Qt::DisplayRole);
        }
    default: break;
    }
    return {};
}

Qt::ItemFlags MissionContentsModel::flags(const QModelIndex& index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() >= FirstTierColumn) {
        const atmo::MissionFile* file = fileAt(index.row());
        if (!file)
            return f;
        if (file->entry.kind == atmo::ContentKind::Model)
            f |= Qt::ItemIsUserCheckable;
        else
            f &= ~Qt::ItemIsEnabled; // configs, agents, tools, knowledge: always in every tier
    }
    return f;
}

bool MissionContentsModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::CheckStateRole || !index.isValid() || index.column() < FirstTierColumn ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const int fileIndex = index.row() - problemRows();
    if (fileIndex < 0)
        return false;
    const int tier = mission_.tiers[static_cast<std::size_t>(index.column() - FirstTierColumn)];
    return setModelInTier(fileIndex, tier, value.toInt() == Qt::Checked);
}

bool MissionContentsModel::setModelInTier(int fileIndex, int tier, bool on)
{
    if (fileIndex < 0 || fileIndex >= static_cast<int>(mission_.files.size()))
        return false;
    atmo::MissionFile& file = mission_.files[static_cast<std::size_t>(fileIndex)];
    if (file.entry.kind != atmo::ContentKind::Model || tierColumn(tier) < 0)
        return false;
    std::vector<int> tiers = file.entry.tiers.empty() ? mission_.tiers : file.entry.tiers;
    const auto it = std::find(tiers.begin(), tiers.end(), tier);
    if (on == (it != tiers.end()))
        return true;
    if (on) {
        tiers.push_back(tier);
        std::sort(tiers.begin(), tiers.end());
    } else {
        if (tiers.size() == 1)
            return false; // a model must stay in at least one tier
        tiers.erase(it);
    }
    file.entry.tiers = tiers;
    mission_.modelTiers[file.source.filename().string()] = tiers;
    const int row = problemRows() + fileIndex;
    emit dataChanged(index(row, FirstTierColumn), index(row, columnCount() - 1), {Qt::CheckStateRole});
    emit tiersEdited();
    return true;
}

QVariant MissionContentsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section >= FirstTierColumn && section < columnCount())
        return Format::tier(mission_.tiers[static_cast<std::size_t>(section - FirstTierColumn)]);
    switch (section) {
    case KindColumn: return tr("Kind");
    case FileColumn: return tr("File");
    case IdColumn: return tr("ID");
    case VersionColumn: return tr("Version");
    case SizeColumn: return tr("Size");
    case DetailColumn: return tr("Details");
    }
    return {};
}

void MissionContentsModel::setMission(const atmo::Mission& mission)
{
    beginResetModel();
    mission_ = mission;
    endResetModel();
}

void MissionContentsModel::clear() { setMission(atmo::Mission{}); }

int MissionContentsModel::rowOf(const QString& path) const
{
    const std::string p = path.toStdString();
    for (int i = 0; i < problemRows(); ++i)
        if (mission_.problems[static_cast<std::size_t>(i)].path == p)
            return i;
    for (std::size_t i = 0; i < mission_.files.size(); ++i)
        if (mission_.files[i].entry.path == p)
            return problemRows() + static_cast<int>(i);
    return -1;
}
