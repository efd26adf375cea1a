#include "app/SigningKeyModel.h"

#include <QDir>
#include <QFileInfo>

#include "app/ModelRoles.h"
#include "app/PathConversion.h"
#include "core/package/minisign.h"

SigningKeyModel::SigningKeyModel(QObject* parent) : QAbstractTableModel(parent) {}

int SigningKeyModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(keys_.size());
}

int SigningKeyModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant SigningKeyModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const KeyFile& k = keys_[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole || role == ModelRole::Sort) {
        switch (index.column()) {
        case NameColumn: return k.name;
        case KeyIdColumn: return k.keyId.isEmpty() ? tr("unknown") : k.keyId;
        case ProtectionColumn: return k.encrypted ? tr("Password") : tr("None (unencrypted)");
        case FileColumn: return QDir::toNativeSeparators(k.secretFile);
        }
    }
    if (role == ModelRole::Path)
        return k.secretFile;
    if (role == ModelRole::Status && index.column() == ProtectionColumn)
        return QVariant::fromValue(k.encrypted ? ItemStatus::Ok : ItemStatus::Warning);
    if (role == Qt::ToolTipRole)
        return QDir::toNativeSeparators(k.secretFile);
    return {};
}

QVariant SigningKeyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Name");
    case KeyIdColumn: return tr("Key ID");
    case ProtectionColumn: return tr("Protection");
    case FileColumn: return tr("File");
    }
    return {};
}

SigningKeyModel::KeyFile SigningKeyModel::inspect(const QString& secretFile)
{
    KeyFile k;
    const QFileInfo info(secretFile);
    k.name = info.completeBaseName();
    k.secretFile = info.absoluteFilePath();
    const QString pub = info.absolutePath() + QLatin1Char('/') + k.name + QStringLiteral(".pub");
    if (QFileInfo::exists(pub)) {
        k.publicFile = pub;
        if (auto key = atmo::PublicKey::load(toFsPath(pub)))
            k.keyId = QString::fromStdString(key->keyId());
    }
    k.encrypted = atmo::secretKeyFileIsEncrypted(toFsPath(k.secretFile));
    return k;
}

void SigningKeyModel::reload(const QString& dir)
{
    beginResetModel();
    dir_ = dir;
    keys_.clear();
    const QFileInfoList files =
        QDir(dir).entryInfoList({QStringLiteral("*.key")}, QDir::Files | QDir::Readable, QDir::Name);
    for (const QFileInfo& f : files)
        keys_.push_back(inspect(f.absoluteFilePath()));
    endResetModel();
}

int SigningKeyModel::rowOfFile(const QString& secretFile) const
{
    const QString abs = QFileInfo(secretFile).absoluteFilePath();
    for (std::size_t i = 0; i < keys_.size(); ++i)
        if (keys_[i].secretFile == abs)
            return static_cast<int>(i);
    return -1;
}
