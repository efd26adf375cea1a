// Generating a signing key: a name, a password (twice, masked) unless the
// user explicitly asks for an unencrypted key, and whether this station
// should trust it right away.
#pragma once

#include <QDialog>

#include <optional>

#include "core/package/trust_store.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

class KeyGenerateDialog : public QDialog {
    Q_OBJECT
public:
    KeyGenerateDialog(const QString& keysDir, QWidget* parent = nullptr);

    QString name() const;
    std::optional<QString> password() const;      // nullopt: unencrypted
    std::optional<atmo::TrustRole> trustAs() const;

    QLineEdit* nameEdit() const { return name_; }
    QLineEdit* passwordEdit() const { return password_; }
    QLineEdit* confirmEdit() const { return confirm_; }
    QCheckBox* unencryptedBox() const { return unencrypted_; }
    QComboBox* trustCombo() const { return trust_; }

    void accept() override;

private:
    QString keysDir_;
    QLineEdit* name_;
    QLineEdit* password_;
    QLineEdit* confirm_;
    QCheckBox* unencrypted_;
    QComboBox* trust_;
    QLabel* error_;
};
