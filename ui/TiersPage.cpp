#include "ui/TiersPage.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/Format.h"
#include "app/StationContext.h"
#include "app/VersionSuggestion.h"
#include "core/package/manifest.h"
#include "ui/Icons.h"
#include "ui/PackageWizard.h"
#include "ui/StatusColors.h"

TiersPage::TiersPage(PackageWizard* wizard) : QWizardPage(wizard), wizard_(wizard)
{
    setTitle(tr("Version and tiers"));
    setSubTitle(tr("Give the package its version and choose what to write: the full package for every tier, "
                   "and/or a smaller export per tier for devices that only need that tier."));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    version_ = new QLineEdit(this);
    version_->setAccessibleName(tr("Package version"));
    latest_ = new QLabel(this);
    latest_->setStyleSheet(QStringLiteral("color:#5f6b76"));
    auto* versionRow = new QHBoxLayout;
    versionRow->addWidget(version_);
    versionRow->addWidget(latest_, 1);
    auto* versionLabel = new QLabel(tr("&Version:"), this);
    versionLabel->setBuddy(version_);
    form->addRow(versionLabel, versionRow);
    layout->addLayout(form);

    auto* outputs = new QGroupBox(tr("Packages to write"), this);
    tierLayout_ = new QVBoxLayout(outputs);
    full_ = new QCheckBox(outputs);
    full_->setAccessibleName(tr("Full package with every tier"));
    full_->setChecked(true);
    tierLayout_->addWidget(full_);
    layout->addWidget(outputs);

    auto* out = new QFormLayout;
    output_ = new QLineEdit(this);
    output_->setAccessibleName(tr("Output folder"));
    browse_ = new QPushButton(Icons::get(QStringLiteral("folder")), tr("Browse…"), this);
    browse_->setAccessibleName(tr("Choose the output folder"));
    auto* outRow = new QHBoxLayout;
    outRow->addWidget(output_, 1);
    outRow->addWidget(browse_);
    auto* outputLabel = new QLabel(tr("&Output folder:"), this);
    outputLabel->setBuddy(output_);
    out->addRow(outputLabel, outRow);
    zstd_ = new QCheckBox(tr("Compress with &zstd (slower; model weights rarely shrink)"), this);
    zstd_->setAccessibleName(tr("Compress with zstd"));
    out->addRow(QString(), zstd_);
    layout->addLayout(out);
    total_ = new QLabel(this);
    total_->setAccessibleName(tr("Total size"));
    layout->addWidget(total_);
    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setAccessibleName(tr("Version and tier problems"));
    layout->addWidget(message_);
    layout->addStretch(1);

    connect(version_, &QLineEdit::textChanged, this, &TiersPage::refresh);
    connect(output_, &QLineEdit::textChanged, this, &TiersPage::refresh);
    connect(full_, &QCheckBox::toggled, this, &TiersPage::refresh);
    connect(zstd_, &QCheckBox::toggled, this, &TiersPage::refresh);
    connect(browse_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Output folder"), output_->text());
        if (!dir.isEmpty())
            output_->setText(QDir::toNativeSeparators(dir));
    });
}

QCheckBox* TiersPage::tierBox(int tier) const
{
    for (const auto& [t, box] : tierBoxes_)
        if (t == tier)
            return box;
    return nullptr;
}

void TiersPage::initializePage()
{
    const atmo::Mission& m = wizard_->contents()->mission();
    for (auto& [t, box] : tierBoxes_)
        delete box;
    tierBoxes_.clear();
    qDeleteAll(tierNotes_);
    tierNotes_.clear();
    auto note = [this](const QString& text) {
        auto* label = new QLabel(text, this);
        label->setWordWrap(true);
        label->setContentsMargins(24, 0, 0, 4);
        label->setStyleSheet(QStringLiteral("color:#5f6b76"));
        tierNotes_.push_back(label);
        return label;
    };
    QStringList allModels;
    for (const auto& f : m.files)
        if (f.entry.kind == atmo::ContentKind::Model)
            allModels << tr("%1 %2").arg(QString::fromStdString(f.entry.id), QString::fromStdString(f.entry.version));
    tierLayout_->insertWidget(1, note(allModels.isEmpty() ? tr("No models; configuration, agents, tools and knowledge only.")
                                                          : tr("Models: %1").arg(allModels.join(QStringLiteral(", ")))));
    for (int t : m.tiers) {
        auto* box = new QCheckBox(this);
        box->setAccessibleName(tr("Export for %1 only").arg(Format::tier(t)));
        box->setText(tr("%1 only — %2").arg(Format::tier(t), Format::bytes(m.sizeForTier(t))));
        tierLayout_->addWidget(box);
        QStringList models;
        for (const auto& f : m.files)
            if (f.entry.kind == atmo::ContentKind::Model && f.entry.inTier(t))
                models << tr("%1 %2").arg(QString::fromStdString(f.entry.id), QString::fromStdString(f.entry.version));
        tierLayout_->addWidget(note(models.isEmpty() ? tr("No models for this tier.")
                                                     : tr("Models: %1").arg(models.join(QStringLiteral(", ")))));
        connect(box, &QCheckBox::toggled, this, &TiersPage::refresh);
        tierBoxes_.emplace_back(t, box);
    }
    std::uint64_t all = 0;
    for (const auto& f : m.files)
        all += f.entry.size;
    full_->setText(tr("Full package, every tier (%1) — %2").arg(Format::tiers(m.tiers), Format::bytes(all)));

    const QString outputDir = wizard_->context().settings().outputDir();
    output_->setText(QDir::toNativeSeparators(outputDir));
    const QString id = QString::fromStdString(m.id);
    const QString latest = VersionSuggestion::latestIn(id, wizard_->context().storeIndex(), outputDir);
    version_->setText(latest.isEmpty() ? QStringLiteral("1.0") : VersionSuggestion::bump(latest));
    latest_->setText(latest.isEmpty() ? tr("No earlier build of %1 found").arg(id)
                                      : tr("Last built: %1").arg(latest));
    refresh();
}

std::vector<std::optional<int>> TiersPage::selectedOutputs() const
{
    std::vector<std::optional<int>> out;
    if (full_->isChecked())
        out.push_back(std::nullopt);
    for (const auto& [t, box] : tierBoxes_)
        if (box->isChecked())
            out.push_back(t);
    return out;
}

QString TiersPage::blockingProblem() const
{
    const QString version = version_->text().trimmed();
    if (!atmo::isValidVersion(version.toStdString()))
        return tr("“%1” is not a version: use digits and dots, like 1.4.").arg(version);
    const auto outputs = selectedOutputs();
    if (outputs.empty())
        return tr("Choose at least one package to write.");
    const QString dir = QDir::fromNativeSeparators(output_->text().trimmed());
    if (dir.isEmpty())
        return tr("Choose an output folder.");
    const std::string id = wizard_->contents()->mission().id;
    for (const auto& t : outputs) {
        const QString name = QString::fromStdString(atmo::packageFileName(id, version.toStdString(), t));
        if (QFileInfo::exists(dir + QLatin1Char('/') + name))
            return tr("%1 already exists in the output folder: choose a new version.").arg(name);
    }
    return {};
}

void TiersPage::refresh()
{
    const atmo::Mission& m = wizard_->contents()->mission();
    std::uint64_t total = 0;
    for (const auto& t : selectedOutputs()) {
        if (t) {
            total += m.sizeForTier(*t);
        } else {
            for (const auto& f : m.files)
                total += f.entry.size;
        }
    }
    total_->setText(tr("About %1 to write.").arg(Format::bytes(total)));
    const QString problem = blockingProblem();
    QString warning;
    if (problem.isEmpty()) {
        const QString last = VersionSuggestion::latestIn(QString::fromStdString(m.id), wizard_->context().storeIndex(),
                                                         QDir::fromNativeSeparators(output_->text().trimmed()));
        if (!last.isEmpty() &&
            atmo::compareVersions(version_->text().trimmed().toStdString(), last.toStdString()) <= 0)
            warning = tr("Version %1 is not newer than %2, the last one built; devices that have %2 will refuse it "
                         "unless told to downgrade.")
                          .arg(version_->text().trimmed(), last);
    }
    message_->setStyleSheet(problem.isEmpty() ? QStringLiteral("color:#8a5a00")
                                              : StatusColors::errorStyle(true));
    message_->setText(problem.isEmpty() ? warning : problem);
    emit completeChanged();
}

bool TiersPage::isComplete() const { return blockingProblem().isEmpty(); }

bool TiersPage::validatePage()
{
    if (!blockingProblem().isEmpty())
        return false;
    wizard_->version = version_->text().trimmed();
    wizard_->outputDir = QDir::fromNativeSeparators(output_->text().trimmed());
    wizard_->outputs = selectedOutputs();
    wizard_->compression = zstd_->isChecked() ? atmo::Compression::Zstd : atmo::Compression::None;
    wizard_->context().settings().setOutputDir(wizard_->outputDir);
    return true;
}
