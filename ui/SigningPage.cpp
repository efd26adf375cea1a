#include "ui/SigningPage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <utility>

#include "app/Format.h"
#include "app/KeyJob.h"
#include "app/PathConversion.h"
#include "app/StationContext.h"
#include "core/package/trust_store.h"
#include "ui/PackageWizard.h"
#include "ui/PasswordDialog.h"
#include "ui/StatusColors.h"

namespace {
constexpr int kBrowse = 1; // item data role marker for "Other key file…"
}

SigningPage::SigningPage(PackageWizard* wizard) : QWizardPage(wizard), wizard_(wizard)
{
    setTitle(tr("Signing"));
    setSubTitle(tr("The mesh authority's signature is what devices check before they trust a package. A founder "
                   "signature can be added as a second, independent one."));
    setCommitPage(true);
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    mesh_ = new QComboBox(this);
    mesh_->setAccessibleName(tr("Mesh authority key"));
    meshInfo_ = new QLabel(this);
    meshInfo_->setWordWrap(true);
    form->addRow(tr("&Mesh authority key:"), mesh_);
    form->addRow(QString(), meshInfo_);
    useFounder_ = new QCheckBox(tr("Also sign as &founder"), this);
    useFounder_->setAccessibleName(tr("Also sign as founder"));
    form->addRow(QString(), useFounder_);
    founder_ = new QComboBox(this);
    founder_->setAccessibleName(tr("Founder key"));
    founderInfo_ = new QLabel(this);
    founderInfo_->setWordWrap(true);
    form->addRow(tr("&Founder key:"), founder_);
    form->addRow(QString(), founderInfo_);
    layout->addLayout(form);
    auto* note = new QLabel(tr("Passwords are asked when you press Build and are never stored."), this);
    note->setWordWrap(true);
    note->setStyleSheet(QStringLiteral("color:#5f6b76"));
    layout->addWidget(note);
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setStyleSheet(StatusColors::errorStyle(true));
    error_->setAccessibleName(tr("Signing problem"));
    layout->addWidget(error_);
    layout->addStretch(1);

    passwords_ = [this](const QString& file, const QString& error) {
        return PasswordDialog::ask(this, tr("Password for the key %1:").arg(QFileInfo(file).fileName()), error);
    };
    for (auto [combo, info] : {std::pair{mesh_, meshInfo_}, std::pair{founder_, founderInfo_}}) {
        connect(combo, &QComboBox::activated, this, [this, combo = combo] {
            if (combo->currentData(Qt::UserRole + kBrowse).toBool()) {
                const QString file = QFileDialog::getOpenFileName(this, tr("Secret key"), wizard_->context().keysDir(),
                                                                  tr("Secret keys (*.key);;All files (*)"));
                if (!file.isEmpty())
                    selectKey(combo, file);
                else
                    combo->setCurrentIndex(0);
            }
        });
        connect(combo, &QComboBox::currentIndexChanged, this, [this, combo = combo, info = info] {
            describe(combo, info);
            emit completeChanged();
        });
    }
    connect(useFounder_, &QCheckBox::toggled, this, [this](bool on) {
        founder_->setEnabled(on);
        founderInfo_->setVisible(on);
        emit completeChanged();
    });
}

void SigningPage::fillCombo(QComboBox* combo, const QString& preferred)
{
    const QSignalBlocker block(combo);
    combo->clear();
    for (int i = 0; i < keys_.rowCount(); ++i) {
        const auto& k = keys_.key(i);
        combo->addItem(k.keyId.isEmpty() ? k.name : tr("%1 (%2)").arg(k.name, k.keyId), k.secretFile);
    }
    combo->addItem(tr("Other key file…"));
    combo->setItemData(combo->count() - 1, true, Qt::UserRole + kBrowse);
    if (!preferred.isEmpty())
        selectKey(combo, preferred);
    else
        combo->setCurrentIndex(keys_.rowCount() > 0 ? 0 : -1);
}

void SigningPage::selectKey(QComboBox* combo, const QString& file)
{
    const QString abs = QFileInfo(file).absoluteFilePath();
    int index = combo->findData(abs);
    if (index < 0) {
        const auto k = SigningKeyModel::inspect(abs);
        combo->insertItem(combo->count() - 1, k.keyId.isEmpty() ? k.name : tr("%1 (%2)").arg(k.name, k.keyId), abs);
        index = combo->findData(abs);
    }
    combo->setCurrentIndex(index);
}

QString SigningPage::keyFile(QComboBox* combo) const
{
    if (combo->currentIndex() < 0 || combo->currentData(Qt::UserRole + kBrowse).toBool())
        return {};
    return combo->currentData().toString();
}

void SigningPage::describe(QComboBox* combo, QLabel* label)
{
    const QString file = keyFile(combo);
    if (file.isEmpty()) {
        label->setText(keys_.rowCount() == 0 ? tr("No keys yet: generate one in the Keys view, or choose a key file.")
                                             : QString());
        label->setStyleSheet({});
        return;
    }
    const auto k = SigningKeyModel::inspect(file);
    QStringList parts;
    parts << (k.encrypted ? tr("Password-protected") : tr("Not password-protected"));
    const atmo::TrustStore trust(wizard_->context().home().trustDir());
    const auto role = combo == mesh_ ? atmo::TrustRole::Mesh : atmo::TrustRole::Founder;
    bool warn = false;
    if (k.keyId.isEmpty()) {
        parts << tr("no public key next to it, so its trust cannot be checked");
        warn = true;
    } else if (auto t = trust.find(k.keyId.toStdString(), role)) {
        parts << tr("trusted here as %1 “%2”").arg(Format::trustRole(role), QString::fromStdString(t->name));
    } else {
        parts << tr("not trusted here as %1: this station would reject what it signs").arg(Format::trustRole(role));
        warn = true;
    }
    label->setText(parts.join(QStringLiteral("; ")));
    label->setStyleSheet(warn ? QStringLiteral("color:#8a5a00") : QStringLiteral("color:#1e7b34"));
}

void SigningPage::initializePage()
{
    keys_.reload(wizard_->context().keysDir());
    fillCombo(mesh_, wizard_->context().settings().meshKeyFile());
    const QString founder = wizard_->context().settings().founderKeyFile();
    fillCombo(founder_, founder);
    useFounder_->setChecked(!founder.isEmpty());
    founder_->setEnabled(useFounder_->isChecked());
    founderInfo_->setVisible(useFounder_->isChecked());
    describe(mesh_, meshInfo_);
    describe(founder_, founderInfo_);
    error_->clear();
}

bool SigningPage::isComplete() const
{
    if (keyFile(mesh_).isEmpty())
        return false;
    return !useFounder_->isChecked() || !keyFile(founder_).isEmpty();
}

SigningPage::~SigningPage()
{
    if (job_)
        job_->dispose(this); // cancelled; deleted when its worker is done with it
}

QStringList SigningPage::selection() const
{
    return {keyFile(mesh_), useFounder_->isChecked() ? keyFile(founder_) : QString()};
}

void SigningPage::unlock(const QString& file, int attempt, const QString& lastError, Unlocked done)
{
    const bool encrypted = atmo::secretKeyFileIsEncrypted(toFsPath(file));
    std::optional<QString> password;
    if (encrypted) {
        QPointer<SigningPage> self(this);
        password = passwords_(file, lastError); // a modal dialog: the window may close meanwhile
        if (!self)
            return;
        if (!password)
            return done(std::nullopt, tr("No password given for %1.").arg(QFileInfo(file).fileName()));
    }
    // scrypt takes a moment: on the job runner, answered through a signal.
    auto* job = KeyJob::unlock(file, password);
    job_ = job;
    connect(job, &Job::finished, this, [this, job, file, encrypted, attempt, done = std::move(done)] {
        std::optional<atmo::SecretKey> key = job->secretKey();
        const QString error = job->unlockError();
        job_ = nullptr;
        job->dispose(this);
        if (key)
            return done(key, QString());
        if (!encrypted || attempt + 1 >= 5)
            return done(std::nullopt, error);
        unlock(file, attempt + 1, error, done);
    });
    wizard_->context().runner().start(job);
}

bool SigningPage::validatePage()
{
    if (unlocking_)
        return false;
    if (!unlockedFor_.isEmpty() && unlockedFor_ == selection()) {
        // The second call, from unlocked(): the keys are in.
        unlockedFor_.clear();
        wizard_->meshKey = std::exchange(meshKey_, std::nullopt);
        wizard_->founderKey = std::exchange(founderKey_, std::nullopt);
        wizard_->context().settings().setMeshKeyFile(keyFile(mesh_));
        wizard_->context().settings().setFounderKeyFile(useFounder_->isChecked() ? keyFile(founder_) : QString());
        return true;
    }
    error_->clear();
    unlockedFor_.clear();
    meshKey_.reset();
    founderKey_.reset();
    unlocking_ = true;
    wizard_->setEnabled(false);
    const QStringList wanted = selection();
    unlock(wanted.at(0), 0, QString(), [this, wanted](std::optional<atmo::SecretKey> mesh, const QString& error) {
        if (!mesh)
            return unlocked(error);
        meshKey_ = std::move(mesh);
        if (wanted.at(1).isEmpty()) {
            unlockedFor_ = wanted;
            return unlocked(QString());
        }
        unlock(wanted.at(1), 0, QString(), [this, wanted](std::optional<atmo::SecretKey> founder, const QString& error) {
            if (!founder)
                return unlocked(error);
            founderKey_ = std::move(founder);
            unlockedFor_ = wanted;
            unlocked(QString());
        });
    });
    return false; // unlocked() moves on once the keys are in
}

void SigningPage::unlocked(const QString& error)
{
    unlocking_ = false;
    wizard_->setEnabled(true);
    if (unlockedFor_.isEmpty()) {
        meshKey_.reset();
        error_->setText(error);
        return;
    }
    wizard_->next(); // validatePage() again, which now takes the keys
}
