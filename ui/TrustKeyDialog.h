// Trusting a public key: shows its key id, asks for a name and the role
// (mesh authority or founder).
#pragma once

#include <QDialog>

#include "core/package/minisign.h"
#include "core/package/trust_store.h"

class QComboBox;
class QLineEdit;

class TrustKeyDialog : public QDialog {
    Q_OBJECT
public:
    TrustKeyDialog(const atmo::PublicKey& key, const QString& suggestedName, QWidget* parent = nullptr);

    QString name() const;
    atmo::TrustRole role() const;
    void setRole(atmo::TrustRole role);
    QLineEdit* nameEdit() const { return name_; }

private:
    QLineEdit* name_;
    QComboBox* role_;
};
