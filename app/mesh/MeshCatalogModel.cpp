#include "app/mesh/MeshCatalogModel.h"

#include <algorithm>
#include <set>

#include "app/Format.h"
#include "app/ModelRoles.h"

namespace {

bool sameEntry(const atmo::MergedEntry& a, const atmo::MergedEntry& b)
{
    return a.entry == b.entry && a.peers == b.peers && a.conflicting == b.conflicting;
}

QString joined(const std::vector<std::string>& v)
{
    QStringList l;
    for (const auto& s : v)
        l << QString::fromStdString(s);
    return l.join(QStringLiteral(", "));
}

} // namespace

MeshCatalogModel::MeshCatalogModel(QObject* parent) : QAbstractTableModel(parent) {}

int MeshCatalogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int MeshCatalogModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

int MeshCatalogModel::rowOf(const QString& modelId) const
{
    const std::string id = modelId.toStdString();
    auto it = std::lower_bound(rows_.begin(), rows_.end(), id,
                               [](const atmo::MergedEntry& e, const std::string& key) { return e.entry.modelId < key; });
    return it != rows_.end() && it->entry.modelId == id ? static_cast<int>(it - rows_.begin()) : -1;
}

QVariant MeshCatalogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const atmo::MergedEntry& m = rows_[static_cast<std::size_t>(index.row())];
    const atmo::CatalogEntry& e = m.entry;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return QString::fromStdString(e.name.empty() ? e.modelId : e.name);
        case TypeColumn: return QString::fromStdString(e.type);
        case FormatColumn: return QString::fromStdString(e.format);
        case SizeColumn: return Format::bytes(e.sizeBytes);
        case VersionColumn: return QString::fromStdString(e.version);
        case PeersColumn:
            return m.conflicting.empty() ? QString::number(m.peers.size())
                                         : tr("%1 (+%2 differ)").arg(m.peers.size()).arg(m.conflicting.size());
        case CapabilitiesColumn: return joined(e.capabilities);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == NameColumn)
            return QString::fromStdString(e.modelId);
        if (index.column() == PeersColumn && !m.conflicting.empty())
            return tr("%n peer(s) offer different bytes under this id; they are never used for it.", nullptr,
                      static_cast<int>(m.conflicting.size()));
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == PeersColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case ModelRole::Status:
        if (index.column() == PeersColumn && !m.conflicting.empty())
            return QVariant::fromValue(ItemStatus::Warning);
        break;
    case ModelRole::Sort:
        switch (index.column()) {
        case SizeColumn: return static_cast<qulonglong>(e.sizeBytes);
        case PeersColumn: return static_cast<qulonglong>(m.peers.size());
        case NameColumn: return QString::fromStdString(e.name.empty() ? e.modelId : e.name).toLower();
        default: return data(index, Qt::DisplayRole);
        }
    case ModelIdRole: return QString::fromStdString(e.modelId);
    default: break;
    }
    return {};
}

QVariant MeshCatalogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Model");
    case TypeColumn: return tr("Type");
    case FormatColumn: return tr("Format");
    case SizeColumn: return tr("Size");
    case VersionColumn: return tr("Version");
    case PeersColumn: return tr("Peers");
    case CapabilitiesColumn: return tr("Capabilities");
    }
    return {};
}

void MeshCatalogModel::setEntries(std::vector<atmo::MergedEntry> next)
{
    // Both lists are sorted by model_id: one merge walk turns the difference
    // into runs of removals and insertions and spans of changed rows.
    std::size_t i = 0, j = 0;
    int changedFirst = -1, changedLast = -1;
    auto flushChanged = [&] {
        if (changedFirst >= 0)
            emit dataChanged(index(changedFirst, 0), index(changedLast, ColumnCount - 1));
        changedFirst = changedLast = -1;
    };
    while (i < rows_.size() || j < next.size()) {
        const bool removed = j == next.size() || (i < rows_.size() && rows_[i].entry.modelId < next[j].entry.modelId);
        const bool added = !removed && (i == rows_.size() || next[j].entry.modelId < rows_[i].entry.modelId);
        if (removed) {
            flushChanged();
            std::size_t k = i;
            while (k < rows_.size() && (j == next.size() || rows_[k].entry.modelId < next[j].entry.modelId))
                ++k;
            beginRemoveRows({}, static_cast<int>(i), static_cast<int>(k - 1));
            rows_.erase(rows_.begin() + static_cast<std::ptrdiff_t>(i), rows_.begin() + static_cast<std::ptrdiff_t>(k));
            endRemoveRows();
        } else if (added) {
            flushChanged();
            std::size_t k = j;
            while (k < next.size() && (i == rows_.size() || next[k].entry.modelId < rows_[i].entry.modelId))
                ++k;
            beginInsertRows({}, static_cast<int>(i), static_cast<int>(i + (k - j) - 1));
            rows_.insert(rows_.begin() + static_cast<std::ptrdiff_t>(i),
                         std::make_move_iterator(next.begin() + static_cast<std::ptrdiff_t>(j)),
                         std::make_move_iterator(next.begin() + static_cast<std::ptrdiff_t>(k)));
            endInsertRows();
            i += k - j;
            j = k;
        } else {
            if (!sameEntry(rows_[i], next[j])) {
                rows_[i] = std::move(next[j]);
                if (changedFirst < 0)
                    changedFirst = static_cast<int>(i);
                changedLast = static_cast<int>(i);
            } else {
                flushChanged();
            }
            ++i;
            ++j;
        }
    }
    flushChanged();
    updateChoices();
}

void MeshCatalogModel::updateChoices()
{
    std::set<std::string> types, formats, caps;
    for (const auto& m : rows_) {
        if (!m.entry.type.empty())
            types.insert(m.entry.type);
        if (!m.entry.format.empty())
            formats.insert(m.entry.format);
        caps.insert(m.entry.capabilities.begin(), m.entry.capabilities.end());
    }
    auto list = [](const std::set<std::string>& s) {
        QStringList l;
        for (const auto& v : s)
            l << QString::fromStdString(v);
        return l;
    };
    const QStringList t = list(types), f = list(formats), c = list(caps);
    if (t != types_ || f != formats_ || c != capabilities_) {
        types_ = t;
        formats_ = f;
        capabilities_ = c;
        emit choicesChanged();
    }
}
