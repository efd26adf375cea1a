// Wizard page 4: the mesh-authority key that must sign the package and an
// optional founder key. A password-protected key is unlocked here, with the
// password asked in a masked dialog and kept only in memory for the build.
//
// Unlocking (scrypt) runs on the station's job runner without a nested event
// loop: Build (validatePage) starts it and says "not yet"; once every key is
// unlocked the page moves the wizard on itself. Closing the window meanwhile
// destroys the page safely: the job's answer goes nowhere and the job is
// disposed of.
#pragma once

#include <QPointer>
#include <QStringList>
#include <QWizardPage>

#include <functional>
#include <optional>

#include "app/SigningKeyModel.h"
#include "core/package/minisign.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class KeyJob;
class PackageWizard;

class SigningPage : public QWizardPage {
    Q_OBJECT
public:
    explicit SigningPage(PackageWizard* wizard);
    ~SigningPage() override;

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;
    // A key is being unlocked (Build was pressed and the answer is not in).
    bool isUnlocking() const { return unlocking_; }

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
    using Unlocked = std::function<void(std::optional<atmo::SecretKey> key, const QString& error)>;
    // Unlocks `file` (asking its password up to five times), then done().
    void unlock(const QString& file, int attempt, const QString& lastError, Unlocked done);
    void unlocked(const QString& error);
    QStringList selection() const; // what the unlocked keys are for

    PackageWizard* wizard_;
    SigningKeyModel keys_;
    QComboBox* mesh_;
    QLabel* meshInfo_;
    QCheckBox* useFounder_;
    QComboBox* founder_;
    QLabel* founderInfo_;
    QLabel* error_;
    PasswordProvider passwords_;
    bool unlocking_ = false;
    QPointer<KeyJob> job_; // the unlock running, disposed of with the page
    std::optional<atmo::SecretKey> meshKey_, founderKey_;
    QStringList unlockedFor_; // selection() the keys were unlocked for; empty: none
};
