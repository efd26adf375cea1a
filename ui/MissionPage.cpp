#include "ui/MissionPage.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "app/Format.h"
#include "app/StationContext.h"
#include "core/package/manifest.h"
#include "ui/Icons.h"
#include "ui/PackageWizard.h"
#include "ui/StatusColors.h"

namespace {
const atmo::ContentKind kKinds[] = {atmo::ContentKind::Config, atmo::ContentKind::Model, atmo::ContentKind::Agent,
                                    atmo::ContentKind::Tool, atmo::ContentKind::Knowledge};

QString tiersText(const std::vector<int>& tiers)
{
    QStringList parts;
    for (int t : tiers)
        parts << QString::number(t);
    return parts.join(QStringLiteral(", "));
}
} // namespace

MissionPage::MissionPage(PackageWizard* wizard) : QWizardPage(wizard), wizard_(wizard)
{
    setTitle(tr("Mission"));
    setSubTitle(tr("Choose the mission's source folder (the layout the command-line tool reads), or make a new "
                   "one from files."));
    auto* layout = new QVBoxLayout(this);

    existing_ = new QRadioButton(tr("Use an &existing mission folder"), this);
    existing_->setAccessibleName(tr("Use an existing mission folder"));
    layout->addWidget(existing_);
    existingBox_ = new QWidget(this);
    auto* existingRow = new QHBoxLayout(existingBox_);
    existingRow->setContentsMargins(24, 0, 0, 0);
    dir_ = new QLineEdit(existingBox_);
    dir_->setAccessibleName(tr("Mission folder"));
    dir_->setPlaceholderText(tr("Folder with config/mission.yaml"));
    browseDir_ = new QPushButton(Icons::get(QStringLiteral("folder")), tr("Browse…"), existingBox_);
    browseDir_->setAccessibleName(tr("Choose the mission folder"));
    existingRow->addWidget(dir_, 1);
    existingRow->addWidget(browseDir_);
    layout->addWidget(existingBox_);

    new_ = new QRadioButton(tr("Create a &new mission from files"), this);
    new_->setAccessibleName(tr("Create a new mission from files"));
    layout->addWidget(new_);
    newBox_ = new QWidget(this);
    auto* newLayout = new QVBoxLayout(newBox_);
    newLayout->setContentsMargins(24, 0, 0, 0);
    auto* destRow = new QHBoxLayout;
    destination_ = new QLineEdit(newBox_);
    destination_->setAccessibleName(tr("Folder for the new mission"));
    destination_->setPlaceholderText(tr("An empty folder for the new mission"));
    browseDestination_ = new QPushButton(Icons::get(QStringLiteral("folder")), tr("Browse…"), newBox_);
    browseDestination_->setAccessibleName(tr("Choose the folder for the new mission"));
    destRow->addWidget(destination_, 1);
    destRow->addWidget(browseDestination_);
    newLayout->addLayout(destRow);
    picks_ = new QTableWidget(0, 2, newBox_);
    picks_->setAccessibleName(tr("Files for the new mission"));
    picks_->setHorizontalHeaderLabels({tr("File"), tr("Kind")});
    picks_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    picks_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    picks_->verticalHeader()->hide();
    picks_->setSelectionBehavior(QAbstractItemView::SelectRows);
    picks_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    picks_->setMinimumHeight(110);
    newLayout->addWidget(picks_);
    auto* pickButtons = new QHBoxLayout;
    addFiles_ = new QPushButton(Icons::get(QStringLiteral("add")), tr("&Add files…"), newBox_);
    addFiles_->setAccessibleName(tr("Add files to the new mission"));
    removeFile_ = new QPushButton(Icons::get(QStringLiteral("remove")), tr("&Remove"), newBox_);
    removeFile_->setAccessibleName(tr("Remove the selected file"));
    pickButtons->addWidget(addFiles_);
    pickButtons->addWidget(removeFile_);
    pickButtons->addStretch(1);
    newLayout->addLayout(pickButtons);
    layout->addWidget(newBox_, 1);

    auto* form = new QFormLayout;
    id_ = new QLineEdit(this);
    id_->setAccessibleName(tr("Mission ID"));
    id_->setPlaceholderText(tr("e.g. production-inspection"));
    name_ = new QLineEdit(this);
    name_->setAccessibleName(tr("Mission name"));
    tiers_ = new QLineEdit(this);
    tiers_->setAccessibleName(tr("Tiers"));
    tiers_->setPlaceholderText(tr("e.g. 1, 2, 3"));
    tiers_->setToolTip(tr("The hardware tiers this mission is built for, separated by commas"));
    form->addRow(tr("Mission &ID:"), id_);
    form->addRow(tr("&Name:"), name_);
    form->addRow(tr("&Tiers:"), tiers_);
    layout->addLayout(form);

    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setAccessibleName(tr("Mission status"));
    layout->addWidget(status_);
    layout->addStretch(1);

    auto* group = new QButtonGroup(this);
    group->addButton(existing_);
    group->addButton(new_);
    existing_->setChecked(true);
    debounce_ = new QTimer(this);
    debounce_->setSingleShot(true);
    debounce_->setInterval(300);

    connect(existing_, &QRadioButton::toggled, this, &MissionPage::updateMode);
    connect(dir_, &QLineEdit::textChanged, this, &MissionPage::scheduleScan);
    connect(debounce_, &QTimer::timeout, this, &MissionPage::startScan);
    connect(browseDir_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Mission folder"), dir_->text());
        if (!dir.isEmpty())
            dir_->setText(QDir::toNativeSeparators(dir));
    });
    connect(browseDestination_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the new mission"), destination_->text());
        if (!dir.isEmpty())
            destination_->setText(QDir::toNativeSeparators(dir));
    });
    connect(addFiles_, &QPushButton::clicked, this, [this] {
        addPickedFiles(QFileDialog::getOpenFileNames(this, tr("Add files to the mission"), QDir::homePath()));
    });
    connect(removeFile_, &QPushButton::clicked, this, [this] {
        assembler_.remove(picks_->currentRow());
        refreshPicks();
    });
    for (QLineEdit* e : {id_, name_, tiers_, destination_})
        connect(e, &QLineEdit::textChanged, this, &QWizardPage::completeChanged);

    const QString last = wizard_->context().settings().lastMissionDir();
    if (!last.isEmpty())
        dir_->setText(QDir::toNativeSeparators(last));
    updateMode();
}

MissionPage::~MissionPage()
{
    if (job_)
        job_->dispose(this);
}

std::optional<std::vector<int>> MissionPage::parseTiers(const QString& text)
{
    std::vector<int> out;
    const QStringList parts = text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    for (const QString& p : parts) {
        const std::optional<int> t = atmo::parseTierName(p.toStdString()); // tier_2 or 2
        if (!t)
            return std::nullopt;
        if (std::find(out.begin(), out.end(), *t) == out.end())
            out.push_back(*t);
    }
    if (out.empty())
        return std::nullopt;
    std::sort(out.begin(), out.end());
    return out;
}

void MissionPage::updateMode()
{
    const bool existing = existing_->isChecked();
    existingBox_->setVisible(existing);
    newBox_->setVisible(!existing);
    if (existing) {
        scheduleScan();
    } else {
        // A scan due from "existing" mode (the last folder, scheduled when
        // the page opened) must not fire later: it would replace the new
        // mission's assembly with a scan of that old folder.
        debounce_->stop();
        if (job_ && !creating_) {
            job_->dispose(this);
            job_ = nullptr;
        }
        setStatus(tr("Pick the files for the new mission; their kind is guessed from the name and can be changed."),
                  false);
    }
    emit completeChanged();
}

bool MissionPage::scanPending() const { return debounce_->isActive() || (job_ && !creating_); }

void MissionPage::scheduleScan()
{
    scanned_ = false;
    emit completeChanged();
    if (existing_->isChecked())
        debounce_->start();
}

void MissionPage::startScan()
{
    if (creating_ || !existing_->isChecked())
        return;
    const QString dir = QDir::fromNativeSeparators(dir_->text().trimmed());
    if (dir.isEmpty()) {
        setStatus(tr("Choose a mission folder."), false);
        return;
    }
    if (job_)
        job_->dispose(this);
    auto* job = MissionJob::scan(dir);
    job_ = job;
    setStatus(tr("Reading %1…").arg(QDir::toNativeSeparators(dir)), false);
    connect(job, &Job::finished, this, &MissionPage::onScanned);
    wizard_->context().runner().start(job);
}

void MissionPage::onScanned(bool ok)
{
    MissionJob* job = job_;
    job_ = nullptr;
    if (ok) {
        const atmo::Mission& m = job->mission();
        wizard_->contents()->setMission(m);
        scanned_ = true;
        scannedDir_ = job->dir();
        id_->setText(QString::fromStdString(m.id));
        name_->setText(QString::fromStdString(m.name));
        tiers_->setText(tiersText(m.tiers));
        QString text = tr("Found %n file(s).", nullptr, static_cast<int>(m.files.size()));
        if (!m.problems.empty())
            text += QLatin1Char(' ') + tr("%n problem(s) to fix on the next page.", nullptr,
                                          static_cast<int>(m.problems.size()));
        setStatus(text, false);
        if (advanceAfterCreate_) {
            advanceAfterCreate_ = false;
            QTimer::singleShot(0, wizard_, &QWizard::next);
        }
    } else {
        advanceAfterCreate_ = false;
        setStatus(job->errorMessage(), true);
    }
    job->dispose(this);
    emit completeChanged();
}

void MissionPage::addPickedFiles(const QStringList& files)
{
    for (const QString& f : files)
        assembler_.add(f);
    refreshPicks();
}

void MissionPage::refreshPicks()
{
    picks_->setRowCount(0);
    const auto& picks = assembler_.picks();
    for (int i = 0; i < picks.size(); ++i) {
        picks_->insertRow(i);
        auto* item = new QTableWidgetItem(QDir::toNativeSeparators(picks[i].source));
        item->setToolTip(picks[i].source);
        picks_->setItem(i, 0, item);
        auto* kind = new QComboBox(picks_);
        kind->setAccessibleName(tr("Kind of %1").arg(QFileInfo(picks[i].source).fileName()));
        for (atmo::ContentKind k : kKinds)
            kind->addItem(Format::kind(k), static_cast<int>(k));
        kind->setCurrentIndex(kind->findData(static_cast<int>(picks[i].kind)));
        connect(kind, &QComboBox::currentIndexChanged, this, [this, i, kind] {
            assembler_.setKind(i, static_cast<atmo::ContentKind>(kind->currentData().toInt()));
        });
        picks_->setCellWidget(i, 1, kind);
    }
    emit completeChanged();
}

void MissionPage::setStatus(const QString& text, bool error)
{
    status_->setStyleSheet(error ? StatusColors::errorStyle(true) : QString());
    status_->setText(text);
}

bool MissionPage::isComplete() const
{
    if (job_)
        return false;
    const bool idOk = atmo::isValidPackageId(id_->text().trimmed().toStdString());
    if (!idOk || !parseTiers(tiers_->text()))
        return false;
    if (existing_->isChecked())
        return scanned_ && QDir::fromNativeSeparators(dir_->text().trimmed()) == scannedDir_;
    return !destination_->text().trimmed().isEmpty() && !assembler_.picks().isEmpty();
}

bool MissionPage::validatePage()
{
    const QString id = id_->text().trimmed();
    const QString name = name_->text().trimmed();
    const auto tiers = parseTiers(tiers_->text());
    if (!tiers)
        return false;
    if (new_->isChecked()) {
        MissionJob::AssembleRequest request{assembler_, id, name, *tiers};
        const QString dest = QDir::fromNativeSeparators(destination_->text().trimmed());
        auto* job = MissionJob::assemble(dest, std::move(request));
        job_ = job;
        creating_ = true;
        setStatus(tr("Creating the mission in %1…").arg(QDir::toNativeSeparators(dest)), false);
        connect(job, &Job::finished, this, [this, dest](bool ok) {
            creating_ = false;
            if (ok) {
                // Continue as if the new folder had been chosen.
                const QSignalBlocker block(dir_);
                dir_->setText(QDir::toNativeSeparators(dest));
                existing_->setChecked(true);
                debounce_->stop();
                advanceAfterCreate_ = true;
            }
            onScanned(ok);
        });
        wizard_->context().runner().start(job);
        emit completeChanged();
        return false;
    }
    atmo::Mission mission = wizard_->contents()->mission();
    const bool changed = mission.id != id.toStdString() || mission.name != name.toStdString() || mission.tiers != *tiers;
    if (changed) {
        mission.id = id.toStdString();
        mission.name = name.toStdString();
        mission.tiers = *tiers;
        if (auto st = atmo::saveMissionYaml(mission); !st) {
            setStatus(QString::fromStdString(st.message()), true);
            return false;
        }
        wizard_->contents()->setMission(mission);
    }
    wizard_->missionDir = scannedDir_;
    wizard_->context().settings().setLastMissionDir(scannedDir_);
    return true;
}
