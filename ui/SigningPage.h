// Wizard page 4: the mesh-authority key that must sign the package and an
// optional founder key. A password-protected key is unlocked here, with the
// password asked in a masked dialog and kept only in memory for the build.
#pragma once

#include <QWizardPage>

#include <functional>
#include <optional>

#include "app/SigningKeyModel.h"
#include "core/minisign.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class PackageWizard;

class SigningPage : public QWizardPage {
    Q_OBJECT
public:
    explicit SigningPage(PackageWizard* wizard);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    // Asked for each encrypted key: (key file, error of the last attempt) →
    // password, or nullopt to give up. Default: PasswordDialog. Tests replace it.
    using PasswordProvider = std::function<std::optional<QString>(const QString& keyFile, const QString& error)>;
    void setPasswordProvider(PasswordProvider provider) { passwords_ = std::move(provider); }

    QComboBox* meshCombo() const { return mesh_; }
    QComboBox* founderCombo() const { return founder_; }
    QCheckBox* founderBox() const { return useFounder_; }
    QLabel* errorLabel() const { return error_; }
    // Selects a key file in a combo, adding it if it is not listed.
    void selectKey(QComboBox* combo, const QString& file);

private:
    void fillCombo(QComboBox* combo, const QString& preferred);
    void describe(QComboBox* combo, QLabel* label);
    QString keyFile(QComboBox* combo) const;
    std::optional<atmo::SecretKey> unlock(const QString& file, QString* error);

    PackageWizard* wizard_;
    SigningKeyModel keys_;
    QComboBox* mesh_;
    QLabel* meshInfo_;
    QCheckBox* useFounder_;
    QComboBox* founder_;
    QLabel* founderInfo_;
    QLabel* error_;
    PasswordProvider passwords_;
};
