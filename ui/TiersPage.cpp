#include "ui/TiersPage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include "app/Format.h"
#include "app/PathConversion.h"
#include "app/StationContext.h"
#include "app/VersionSuggestion.h"
#include "core/package/manifest.h"
#include "core/package/package_store.h"
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
    deltaFrom_ = new QComboBox(this);
    deltaFrom_->setAccessibleName(tr("Delta update from an earlier version"));
    auto* deltaLabel = new QLabel(tr("&Delta from:"), this);
    deltaLabel->setBuddy(deltaFrom_);
    out->addRow(deltaLabel, deltaFrom_);
    deltaNote_ = new QLabel(this);
    deltaNote_->setWordWrap(true);
    deltaNote_->setStyleSheet(QStringLiteral("color:#5f6b76"));
    deltaNote_->setAccessibleName(tr("What a delta update is"));
    out->addRow(QString(), deltaNote_);
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

    connect(version_, &QLineEdit::textChanged, this, &TiersPage::refreshDeltaChoices);
    connect(version_, &QLineEdit::textChanged, this, &TiersPage::refresh);
    connect(deltaFrom_, &QComboBox::currentIndexChanged, this, &TiersPage::refresh);
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
    refreshDeltaChoices();
    refresh();
}

// The earlier complete packages of this mission in the station's store,
// newest first: a delta is made from one of them.
void TiersPage::refreshDeltaChoices()
{
    const QString chosen = deltaFrom_->currentData().toString();
    const QSignalBlocker block(deltaFrom_);
    deltaFrom_->clear();
    deltaFrom_->addItem(tr("None — complete packages"), QString());
    const std::string id = wizard_->contents()->mission().id;
    const std::string version = version_->text().trimmed().toStdString();
    auto stored = atmo::PackageStore(toFsPath(wizard_->context().storeIndex())).list();
    std::stable_sort(stored.begin(), stored.end(), [](const atmo::StoredPackage& a, const atmo::StoredPackage& b) {
        return atmo::compareVersions(a.version, b.version) > 0;
    });
    for (const atmo::StoredPackage& p : stored) {
        if (p.id != id || p.tier || !p.deltaFrom.empty() ||
            (atmo::isValidVersion(version) && atmo::compareVersions(p.version, version) >= 0))
            continue;
        deltaFrom_->addItem(tr("Version %1 (%2, %3)")
                                .arg(QString::fromStdString(p.version), fromFsPath(p.file.filename()),
                                     Format::bytes(p.bytes)),
                            fromFsPath(p.file));
        deltaFrom_->setItemData(deltaFrom_->count() - 1, QString::fromStdString(p.version), Qt::UserRole + 1);
    }
    deltaFrom_->setCurrentIndex(std::max(0, deltaFrom_->findData(chosen)));
    deltaFrom_->setEnabled(deltaFrom_->count() > 1);
}

std::string TiersPage::fileNameFor(std::optional<int> tier) const
{
    const std::string id = wizard_->contents()->mission().id;
    const std::string version = version_->text().trimmed().toStdString();
    const QString base = deltaFrom_->currentData(Qt::UserRole + 1).toString();
    return base.isEmpty() ? atmo::packageFileName(id, version, tier)
                          : atmo::deltaPackageFileName(id, base.toStdString(), version, tier);
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
    for (const auto& t : outputs) {
        const QString name = QString::fromStdString(fileNameFor(t));
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
    const QString base = deltaFrom_->currentData(Qt::UserRole + 1).toString();
    if (base.isEmpty()) {
        total_->setText(tr("About %1 to write.").arg(Format::bytes(total)));
        deltaNote_->setText(deltaFrom_->count() > 1
                                ? tr("A delta update carries only what changed since an earlier version; devices "
                                     "need that version installed.")
                                : tr("No earlier complete package of this mission in the station's store to make a "
                                     "delta update from."));
    } else {
        // Its size is known only by making it (both versions are read and
        // compared); the build shows it beside the full size.
        total_->setText(tr("At most %1 to write (the complete packages' size); a delta carries only what changed "
                           "since %2.")
                            .arg(Format::bytes(total), base));
        deltaNote_->setText(tr("Delta update from %1: devices need %1 installed to take it. Its size is shown when "
                               "it is built, beside the full size.")
                                .arg(base));
    }
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
    wizard_->deltaFrom = deltaFrom_->currentData().toString();
    wizard_->deltaFromVersion = deltaFrom_->currentData(Qt::UserRole + 1).toString();
    wizard_->compression = zstd_->isChecked() ? atmo::Compression::Zstd : atmo::Compression::None;
    wizard_->context().settings().setOutputDir(wizard_->outputDir);
    return true;
}
