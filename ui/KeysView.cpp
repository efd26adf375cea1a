#include "ui/KeysView.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "app/Format.h"
#include "app/KeyNote.h"
#include "app/PathConversion.h"
#include "app/StationContext.h"
#include "ui/Icons.h"
#include "ui/KeyGenerateDialog.h"
#include "ui/StatusColors.h"
#include "ui/StatusIconProxy.h"
#include "ui/TrustKeyDialog.h"

namespace {
QTableView* makeKeyTable(QAbstractItemModel* model, const QString& name, QWidget* parent)
{
    auto* proxy = new StatusIconProxy(parent);
    proxy->setSourceModel(model);
    auto* view = new QTableView(parent);
    view->setModel(proxy);
    view->setAccessibleName(name);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideMiddle);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
    return view;
}

// What an empty table says instead: a headline and what to do.
QLabel* emptyState(const QString& headline, const QString& text, QWidget* parent)
{
    auto* label = new QLabel(QStringLiteral("<p style='font-size:large'><b>%1</b></p><p>%2</p>")
                                 .arg(headline.toHtmlEscaped(), text),
                             parent);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAccessibleName(headline);
    label->setObjectName(QStringLiteral("keysEmpty"));
    label->setStyleSheet(QStringLiteral("#keysEmpty{border:1px dashed #9aa5ae;border-radius:8px;padding:12px}"));
    return label;
}

QStackedWidget* stacked(QWidget* table, QWidget* empty, QWidget* parent)
{
    auto* stack = new QStackedWidget(parent);
    stack->addWidget(table);
    stack->addWidget(empty);
    return stack;
}

QPushButton* button(const QString& icon, const QString& text, const QString& accessible, QWidget* parent)
{
    auto* b = new QPushButton(Icons::get(icon), text, parent);
    b->setAccessibleName(accessible);
    return b;
}
} // namespace

KeysView::KeysView(StationContext& context, QWidget* parent)
    : QWidget(parent), context_(context), signing_(new SigningKeyModel(this)), trusted_(new TrustedKeyModel(this))
{
    auto* layout = new QVBoxLayout(this);

    auto* signingBox = new QGroupBox(tr("Signing keys on this station"), this);
    auto* signingLayout = new QVBoxLayout(signingBox);
    auto* signingHint = new QLabel(tr("Secret keys that sign packages. Export a key's public half to the devices "
                                      "and stations that must accept what it signs."),
                                   signingBox);
    signingHint->setWordWrap(true);
    signingLayout->addWidget(signingHint);
    signingTable_ = makeKeyTable(signing_, tr("Signing keys"), signingBox);
    signingEmpty_ = emptyState(tr("Generate a key to start signing"),
                               tr("This station has no signing key yet. A key you generate signs the packages you "
                                  "build; or copy an existing key into %1.")
                                   .arg(QDir::toNativeSeparators(context_.keysDir()).toHtmlEscaped()),
                               signingBox);
    signingStack_ = stacked(signingTable_, signingEmpty_, signingBox);
    signingLayout->addWidget(signingStack_);
    auto* signingButtons = new QHBoxLayout;
    generate_ = button(QStringLiteral("add"), tr("&Generate key…"), tr("Generate a signing key"), signingBox);
    generate_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    export_ = button(QStringLiteral("export"), tr("&Export public key…"), tr("Export the public key"), signingBox);
    trust_ = button(QStringLiteral("trust"), tr("&Trust on this station…"), tr("Trust the selected key"), signingBox);
    signingButtons->addWidget(generate_);
    signingButtons->addWidget(export_);
    signingButtons->addWidget(trust_);
    signingButtons->addStretch(1);
    signingLayout->addLayout(signingButtons);
    layout->addWidget(signingBox, 1);

    auto* trustedBox = new QGroupBox(tr("Trusted public keys"), this);
    auto* trustedLayout = new QVBoxLayout(trustedBox);
    auto* trustedHint = new QLabel(tr("Packages are accepted only when the mesh authority's signature comes from a "
                                      "key trusted here. A founder signature is optional but checked."),
                                   trustedBox);
    trustedHint->setWordWrap(true);
    trustedLayout->addWidget(trustedHint);
    trustedTable_ = makeKeyTable(trusted_, tr("Trusted keys"), trustedBox);
    trustedEmpty_ = emptyState(tr("No key is trusted yet"),
                               tr("This station accepts no package until it trusts the mesh authority's key: "
                                  "import its public key (.pub), or trust one of the signing keys above."),
                               trustedBox);
    trustedStack_ = stacked(trustedTable_, trustedEmpty_, trustedBox);
    trustedLayout->addWidget(trustedStack_);
    auto* trustedButtons = new QHBoxLayout;
    import_ = button(QStringLiteral("open"), tr("&Import public key…"), tr("Import and trust a public key"), trustedBox);
    remove_ = button(QStringLiteral("remove"), tr("&Remove trust"), tr("Remove trust from the selected key"), trustedBox);
    remove_->setShortcut(QKeySequence::Delete);
    trustedButtons->addWidget(import_);
    trustedButtons->addWidget(remove_);
    trustedButtons->addStretch(1);
    trustedLayout->addLayout(trustedButtons);
    layout->addWidget(trustedBox, 1);

    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setAccessibleName(tr("Key status"));
    layout->addWidget(status_);

    connect(generate_, &QPushButton::clicked, this, &KeysView::generateKey);
    connect(export_, &QPushButton::clicked, this, &KeysView::exportSelected);
    connect(trust_, &QPushButton::clicked, this, &KeysView::trustSelected);
    connect(import_, &QPushButton::clicked, this, &KeysView::importPublicKey);
    connect(remove_, &QPushButton::clicked, this, &KeysView::removeSelectedTrust);
    reload();
}

KeysView::~KeysView()
{
    if (job_)
        job_->dispose(this);
}

void KeysView::reload()
{
    signing_->reload(context_.keysDir());
    trusted_->reload(atmo::TrustStore(context_.home().trustDir()));
    signingTable_->resizeColumnsToContents();
    trustedTable_->resizeColumnsToContents();
    trustedTable_->setColumnWidth(TrustedKeyModel::NameColumn,
                                  qMax(trustedTable_->columnWidth(TrustedKeyModel::NameColumn), 160));
    connect(signingTable_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &KeysView::updateButtons,
            Qt::UniqueConnection);
    connect(trustedTable_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &KeysView::updateButtons,
            Qt::UniqueConnection);
    signingStack_->setCurrentIndex(signing_->rowCount() > 0 ? 0 : 1);
    trustedStack_->setCurrentIndex(trusted_->rowCount() > 0 ? 0 : 1);
    updateButtons();
}

int KeysView::selectedRow(QTableView* table) const
{
    const QModelIndexList rows = table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void KeysView::updateButtons()
{
    const int s = selectedRow(signingTable_);
    export_->setEnabled(s >= 0 && !signing_->key(s).publicFile.isEmpty());
    trust_->setEnabled(s >= 0 && !signing_->key(s).publicFile.isEmpty());
    remove_->setEnabled(selectedRow(trustedTable_) >= 0);
    generate_->setEnabled(!job_);
}

void KeysView::showStatus(const QString& text, bool error, const QString& detail)
{
    status_->setStyleSheet(error ? StatusColors::errorStyle(true) : QString());
    status_->setText(text);
    status_->setToolTip(detail);
}

void KeysView::generateKey()
{
    KeyGenerateDialog dialog(context_.keysDir(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    startGenerate(dialog.name(), dialog.password(), dialog.trustAs());
}

KeyJob* KeysView::startGenerate(const QString& name, std::optional<QString> password,
                                std::optional<atmo::TrustRole> trustAs)
{
    QDir().mkpath(context_.keysDir());
    KeyJob::GenerateRequest request{context_.keysDir(), name, std::move(password), trustAs, context_.trustDir()};
    auto* job = KeyJob::generate(std::move(request));
    job_ = job;
    showStatus(tr("Generating key “%1”…").arg(name), false);
    updateButtons();
    connect(job, &Job::finished, this, [this, job, name](bool ok) {
        job_ = nullptr;
        if (ok)
            showStatus(tr("Generated key “%1” (key ID %2).").arg(name, QString::fromStdString(job->publicKey()->keyId())),
                       false);
        else
            showStatus(tr("Could not generate the key: %1").arg(job->errorMessage()), true);
        job->dispose(this);
        reload();
        emit keysChanged();
    });
    context_.runner().start(job);
    return job;
}

bool KeysView::trustPublicKey(const QString& pubFile, atmo::TrustRole role, const QString& name, QString* error)
{
    auto key = atmo::PublicKey::load(toFsPath(pubFile));
    if (!key) {
        if (error)
            *error = KeyNote::publicKeyUnusable(pubFile, key.error());
        return false;
    }
    atmo::TrustStore store(context_.home().trustDir());
    auto added = store.add(key.value(), role, name.toStdString());
    if (!added) {
        if (error)
            *error = QString::fromStdString(added.message());
        return false;
    }
    reload();
    emit keysChanged();
    return true;
}

void KeysView::importPublicKey()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Import public key"), QDir::homePath(),
                                                      tr("Public keys (*.pub);;All files (*)"));
    if (file.isEmpty())
        return;
    auto key = atmo::PublicKey::load(toFsPath(file));
    if (!key) {
        showStatus(KeyNote::publicKeyUnusable(file, key.error()), true,
                   QString::fromStdString(key.message()));
        return;
    }
    TrustKeyDialog dialog(key.value(), QFileInfo(file).completeBaseName(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (trustPublicKey(file, dialog.role(), dialog.name(), &error))
        showStatus(tr("Now trusting “%1” as %2.").arg(dialog.name(), Format::trustRole(dialog.role())), false);
    else
        showStatus(tr("Could not trust the key: %1").arg(error), true);
}

void KeysView::trustSelected()
{
    const int row = selectedRow(signingTable_);
    if (row < 0)
        return;
    const auto& k = signing_->key(row);
    auto key = atmo::PublicKey::load(toFsPath(k.publicFile));
    if (!key) {
        showStatus(KeyNote::publicKeyUnusable(k.publicFile, key.error()), true,
                   QString::fromStdString(key.message()));
        return;
    }
    TrustKeyDialog dialog(key.value(), k.name, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (trustPublicKey(k.publicFile, dialog.role(), dialog.name(), &error))
        showStatus(tr("Now trusting “%1” as %2.").arg(dialog.name(), Format::trustRole(dialog.role())), false);
    else
        showStatus(tr("Could not trust the key: %1").arg(error), true);
}

bool KeysView::exportPublicKey(int signingRow, const QString& target, QString* error)
{
    const auto& k = signing_->key(signingRow);
    auto key = atmo::PublicKey::load(toFsPath(k.publicFile));
    if (!key) {
        if (error)
            *error = KeyNote::publicKeyUnusable(k.publicFile, key.error());
        return false;
    }
    QDir().mkpath(QFileInfo(target).absolutePath());
    QSaveFile out(target);
    if (!out.open(QIODevice::WriteOnly)) {
        if (error)
            *error = out.errorString();
        return false;
    }
    const std::string text = key->fileText("minisign public key " + key->keyId());
    out.write(text.data(), static_cast<qint64>(text.size()));
    if (!out.commit()) {
        if (error)
            *error = out.errorString();
        return false;
    }
    return true;
}

void KeysView::exportSelected()
{
    const int row = selectedRow(signingTable_);
    if (row < 0)
        return;
    const auto& k = signing_->key(row);
    const QString target = QFileDialog::getSaveFileName(this, tr("Export public key"),
                                                        QDir::homePath() + QLatin1Char('/') + k.name + ".pub",
                                                        tr("Public keys (*.pub)"));
    if (target.isEmpty())
        return;
    QString error;
    if (exportPublicKey(row, target, &error))
        showStatus(tr("Exported the public key of “%1” to %2.").arg(k.name, QDir::toNativeSeparators(target)), false);
    else
        showStatus(tr("Could not export the key: %1").arg(error), true);
}

bool KeysView::removeTrust(int trustedRow, QString* error)
{
    const atmo::TrustedKey k = trusted_->key(trustedRow);
    atmo::TrustStore store(context_.home().trustDir());
    auto st = store.remove(k.keyId(), k.role);
    if (!st) {
        if (error)
            *error = QString::fromStdString(st.message());
        return false;
    }
    reload();
    emit keysChanged();
    return true;
}

void KeysView::removeSelectedTrust()
{
    const int row = selectedRow(trustedTable_);
    if (row < 0)
        return;
    const atmo::TrustedKey k = trusted_->key(row);
    const auto answer = QMessageBox::question(
        this, tr("Remove trust?"),
        tr("Stop trusting “%1” (%2) as %3? Packages signed only by this key will no longer verify on this station.")
            .arg(QString::fromStdString(k.name), QString::fromStdString(k.keyId()), Format::trustRole(k.role)));
    if (answer != QMessageBox::Yes)
        return;
    QString error;
    if (removeTrust(row, &error))
        showStatus(tr("Removed trust from “%1”.").arg(QString::fromStdString(k.name)), false);
    else
        showStatus(tr("Could not remove trust: %1").arg(error), true);
}
