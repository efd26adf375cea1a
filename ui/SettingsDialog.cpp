#include "ui/SettingsDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/LanguageManager.h"
#include "app/Settings.h"
#include "app/StationPaths.h"

namespace {
QWidget* folderRow(QLineEdit* edit, const QString& title, QWidget* parent)
{
    auto* w = new QWidget(parent);
    auto* row = new QHBoxLayout(w);
    row->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(QObject::tr("Browse…"), w);
    browse->setAccessibleName(title);
    QObject::connect(browse, &QPushButton::clicked, w, [edit, title, w] {
        const QString dir = QFileDialog::getExistingDirectory(w, title, edit->text());
        if (!dir.isEmpty())
            edit->setText(QDir::toNativeSeparators(dir));
    });
    row->addWidget(edit, 1);
    row->addWidget(browse);
    return w;
}
} // namespace

SettingsDialog::SettingsDialog(Settings& settings, QWidget* parent) : QDialog(parent), settings_(settings)
{
    setWindowTitle(tr("Settings"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    language_ = new QComboBox(this);
    language_->setAccessibleName(tr("Language"));
    language_->addItem(tr("System language (%1)").arg(LanguageManager::displayName(LanguageManager::resolve({}))),
                       QString());
    for (const QString& code : LanguageManager::available())
        language_->addItem(LanguageManager::displayName(code), code);
    language_->setCurrentIndex(qMax(0, language_->findData(settings.language())));
    form->addRow(tr("&Language:"), language_);
    output_ = new QLineEdit(QDir::toNativeSeparators(settings.outputDir()), this);
    output_->setAccessibleName(tr("Folder for built packages"));
    form->addRow(tr("Built &packages go to:"), folderRow(output_, tr("Folder for built packages"), this));
    installRoot_ = new QLineEdit(QDir::toNativeSeparators(settings.installRoot()), this);
    installRoot_->setAccessibleName(tr("Install packages into"));
    form->addRow(tr("&Install into:"), folderRow(installRoot_, tr("Install packages into"), this));
    auto* home = new QLabel(QDir::toNativeSeparators(StationPaths::homeDir()), this);
    home->setTextInteractionFlags(Qt::TextSelectableByMouse);
    home->setToolTip(tr("Keys, trust store and package index. Set ATMOSPHERE_HOME to use another folder."));
    form->addRow(tr("Station home:"), home);
    layout->addLayout(form);
    auto* note = new QLabel(tr("A new language is used from the next start of Atmosphere Station."), this);
    note->setWordWrap(true);
    note->setStyleSheet(QStringLiteral("color:#5f6b76"));
    layout->addWidget(note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

void SettingsDialog::accept()
{
    const QString language = language_->currentData().toString();
    languageChanged_ = language != settings_.language();
    settings_.setLanguage(language);
    settings_.setOutputDir(QDir::fromNativeSeparators(output_->text().trimmed()));
    settings_.setInstallRoot(QDir::fromNativeSeparators(installRoot_->text().trimmed()));
    settings_.sync();
    QDialog::accept();
}
