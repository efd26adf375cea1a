#include "app/SignatureModel.h"

#include "app/Format.h"
#include "app/ModelRoles.h"
#include "core/package/manifest.h"

SignatureModel::SignatureModel(QObject* parent) : QAbstractTableModel(parent) {}

int SignatureModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int SignatureModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

ItemStatus SignatureModel::status(const atmo::SignatureCheck& s)
{
    switch (s.state) {
    case atmo::SignatureState::Valid: return s.trusted ? ItemStatus::Ok : ItemStatus::Warning;
    case atmo::SignatureState::Invalid: return ItemStatus::Failed;
    case atmo::SignatureState::Untrusted: return ItemStatus::Warning;
    case atmo::SignatureState::Missing:
        // A missing founder signature is allowed; a missing mesh one is not.
        return s.role == atmo::kRoleMesh ? ItemStatus::Failed : ItemStatus::Skipped;
    }
    return ItemStatus::None;
}

QVariant SignatureModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const atmo::SignatureCheck& s = rows_[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole || role == ModelRole::Sort) {
        switch (index.column()) {
        case RoleColumn: return Format::signatureRole(s.role);
        case StateColumn: return Format::signatureState(s.state);
        case KeyIdColumn: return s.keyId.empty() ? QStringLiteral("—") : QString::fromStdString(s.keyId);
        case TrustColumn:
            if (s.trusted)
                return QString::fromStdString(s.trustedName);
            return s.keyId.empty() ? QStringLiteral("—") : tr("Not trusted");
        case CommentColumn:
            // Not valid: what it means, in the window's language; core's
            // English line (which names the check) is the tooltip.
            switch (s.state) {
            case atmo::SignatureState::Valid: return QString::fromStdString(s.trustedComment);
            case atmo::SignatureState::Missing: return tr("Not signed");
            case atmo::SignatureState::Untrusted:
                return tr("Key %1 is not trusted here for this role").arg(QString::fromStdString(s.keyId));
            case atmo::SignatureState::Invalid: return tr("Does not verify: damaged, or the manifest was changed");
            }
            break;
        }
    }
    if (role == Qt::ToolTipRole)
        return s.message.empty() ? QString::fromStdString(s.trustedComment) : QString::fromStdString(s.message);
    if (role == ModelRole::Status && index.column() == StateColumn)
        return QVariant::fromValue(status(s));
    return {};
}

QVariant SignatureModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RoleColumn: return tr("Role");
    case StateColumn: return tr("Signature");
    case KeyIdColumn: return tr("Key ID");
    case TrustColumn: return tr("Trusted as");
    case CommentColumn: return tr("Trusted comment");
    }
    return {};
}

void SignatureModel::setSignatures(const std::vector<atmo::SignatureCheck>& signatures)
{
    beginResetModel();
    rows_ = signatures;
    endResetModel();
}
