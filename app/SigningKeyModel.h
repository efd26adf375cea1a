// Secret keys this station can sign with: the *.key files in a folder (the
// station home's keys/), each with its key id (from the matching .pub, or
// "unknown" until unlocked) and whether it is password-protected.
#pragma once

#include <QAbstractTableModel>
#include <QString>

#include <vector>

class SigningKeyModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, KeyIdColumn, ProtectionColumn, FileColumn, ColumnCount };

    struct KeyFile {
        QString name;
        QString secretFile;
        QString publicFile;   // empty if there is none
        QString keyId;        // empty if unknown
        bool encrypted = false;
    };

    explicit SigningKeyModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void reload(const QString& dir);
    QString dir() const { return dir_; }
    const KeyFile& key(int row) const { return keys_[static_cast<std::size_t>(row)]; }
    int rowOfFile(const QString& secretFile) const;

    static KeyFile inspect(const QString& secretFile);

private:
    QString dir_;
    std::vector<KeyFile> keys_;
};
