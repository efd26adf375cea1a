#include "ui/ContentsPage.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <filesystem>

#include "app/Executors.h"
#include "app/Format.h"
#include "app/PathConversion.h"
#include "app/StationContext.h"
#include "core/package/mission.h"
#include "ui/Icons.h"
#include "ui/PackageWizard.h"
#include "ui/StatusColors.h"
#include "ui/StatusIconProxy.h"

ContentsPage::ContentsPage(PackageWizard* wizard) : QWizardPage(wizard), wizard_(wizard)
{
    setTitle(tr("Contents"));
    setSubTitle(tr("Everything the package will carry. Tick the tiers each model belongs to; configuration, agents, "
                   "tools and knowledge go to every tier."));
    auto* layout = new QVBoxLayout(this);
    problems_ = new QLabel(this);
    problems_->setWordWrap(true);
    problems_->setAccessibleName(tr("Problems"));
    problems_->setStyleSheet(StatusColors::errorStyle(true));
    problems_->hide();
    layout->addWidget(problems_);
    auto* proxy = new StatusIconProxy(this);
    proxy->setSourceModel(wizard->contents());
    table_ = new QTableView(this);
    table_->setModel(proxy);
    table_->setAccessibleName(tr("Mission contents"));
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setHighlightSections(false);
    layout->addWidget(table_, 1);
    auto* row = new QHBoxLayout;
    summary_ = new QLabel(this);
    summary_->setAccessibleName(tr("Contents summary"));
    rescan_ = new QPushButton(Icons::get(QStringLiteral("refresh")), tr("Re&scan"), this);
    rescan_->setAccessibleName(tr("Read the mission folder again"));
    rescan_->setShortcut(QKeySequence::Refresh);
    openFolder_ = new QPushButton(Icons::get(QStringLiteral("folder")), tr("&Open folder"), this);
    openFolder_->setAccessibleName(tr("Open the mission folder"));
    addFile_ = new QPushButton(Icons::get(QStringLiteral("add")), tr("&Add the model file…"), this);
    addFile_->setToolTip(tr("Choose the model's file; it is copied into the mission's models folder under the "
                            "name the mission gives it"));
    dropEntry_ = new QPushButton(Icons::get(QStringLiteral("remove")), tr("Remove from &mission"), this);
    dropEntry_->setToolTip(tr("Remove this model from config/mission.yaml; the package is built without it"));
    addFile_->hide();
    dropEntry_->hide();
    row->addWidget(summary_, 1);
    row->addWidget(addFile_);
    row->addWidget(dropEntry_);
    row->addWidget(openFolder_);
    row->addWidget(rescan_);
    layout->addLayout(row);

    connect(rescan_, &QPushButton::clicked, this, &ContentsPage::rescan);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ContentsPage::updateFixes);
    connect(addFile_, &QPushButton::clicked, this, [this] {
        const QString model = chosenMissingModel();
        const QString file = QFileDialog::getOpenFileName(this, tr("The file of model %1").arg(model));
        if (!file.isEmpty())
            addMissingModel(file);
    });
    connect(dropEntry_, &QPushButton::clicked, this, &ContentsPage::dropMissingModel);
    connect(openFolder_, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(wizard_->missionDir)); });
    connect(wizard->contents(), &MissionContentsModel::tiersEdited, this, [this] {
        dirty_ = true;
        showState();
    });
    connect(wizard->contents(), &QAbstractItemModel::modelReset, this, [this] {
        table_->resizeColumnsToContents();
        table_->horizontalHeader()->setSectionResizeMode(MissionContentsModel::DetailColumn, QHeaderView::Stretch);
    });
}

ContentsPage::~ContentsPage()
{
    if (job_)
        job_->dispose(this);
}

void ContentsPage::initializePage()
{
    dirty_ = false;
    rescan();
}

void ContentsPage::rescan()
{
    if (dirty_) {
        // Keep the user's tier choices: write them before reading again.
        if (auto st = atmo::saveMissionYaml(wizard_->contents()->mission()); !st) {
            error_ = QString::fromStdString(st.message());
            showState();
            return;
        }
        dirty_ = false;
    }
    if (job_)
        job_->dispose(this);
    scanned_ = false;
    error_.clear();
    auto* job = MissionJob::scan(wizard_->missionDir);
    job_ = job;
    connect(job, &Job::finished, this, &ContentsPage::onScanned);
    wizard_->context().runner().start(job);
    summary_->setText(tr("Reading the mission…"));
    emit completeChanged();
}

void ContentsPage::onScanned(bool ok)
{
    MissionJob* job = job_;
    job_ = nullptr;
    if (ok) {
        wizard_->contents()->setMission(job->mission());
        scanned_ = true;
    } else {
        error_ = job->errorMessage();
    }
    job->dispose(this);
    showState();
    emit completeChanged();
}

QString ContentsPage::chosenMissingModel() const
{
    const int row = table_->currentIndex().row();
    const atmo::Mission& m = wizard_->contents()->mission();
    if (row < 0 || row >= static_cast<int>(m.problems.size()))
        return {};
    return QString::fromStdString(m.problems[static_cast<std::size_t>(row)].missingModel);
}

void ContentsPage::updateFixes()
{
    const bool fixable = !chosenMissingModel().isEmpty() && !job_ && !copying_;
    addFile_->setVisible(fixable);
    dropEntry_->setVisible(fixable);
}

bool ContentsPage::addMissingModel(const QString& sourceFile)
{
    const QString model = chosenMissingModel();
    if (model.isEmpty() || copying_)
        return false;
    const QFileInfo source(sourceFile);
    if (!source.isFile()) {
        error_ = tr("%1: not a file").arg(QDir::toNativeSeparators(sourceFile));
        showState();
        return false;
    }
    // Copied beside its final name and renamed when whole: nothing
    // half-written is ever taken for the model.
    const std::filesystem::path target = toFsPath(wizard_->missionDir) / "models" / model.toStdString();
    copying_ = true;
    updateFixes();
    summary_->setText(tr("Copying %1 (%2)…").arg(model, Format::bytes(std::uint64_t(source.size()))));
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        watcher->deleteLater();
        copying_ = false;
        const QString failure = watcher->result();
        rescan();
        if (!failure.isEmpty()) {
            error_ = failure;
            showState();
        }
    });
    watcher->setFuture(Executors::smallIo([from = toFsPath(sourceFile), target]() -> QString {
        std::error_code ec;
        std::filesystem::path part = target;
        part += ".part";
        std::filesystem::create_directories(target.parent_path(), ec);
        if (!ec)
            std::filesystem::copy_file(from, part, std::filesystem::copy_options::overwrite_existing, ec);
        if (!ec)
            std::filesystem::rename(part, target, ec);
        if (ec) {
            std::filesystem::remove(part);
            return tr("Cannot copy %1 to %2: %3")
                .arg(QString::fromStdString(from.string()), QString::fromStdString(target.string()),
                     QString::fromLocal8Bit(ec.message().c_str()));
        }
        return {};
    }));
    return true;
}

bool ContentsPage::dropMissingModel()
{
    const QString model = chosenMissingModel();
    if (model.isEmpty())
        return false;
    if (dirty_) { // the user's tier choices first, then the entry goes
        if (auto st = atmo::saveMissionYaml(wizard_->contents()->mission()); !st) {
            error_ = QString::fromStdString(st.message());
            showState();
            return false;
        }
        dirty_ = false;
    }
    if (auto st = atmo::removeDeclaredModel(toFsPath(wizard_->missionDir), model.toStdString()); !st) {
        error_ = QString::fromStdString(st.message());
        showState();
        return false;
    }
    rescan();
    return true;
}

void ContentsPage::showState()
{
    updateFixes();
    const atmo::Mission& m = wizard_->contents()->mission();
    if (!error_.isEmpty()) {
        problems_->setText(error_);
        problems_->show();
        summary_->clear();
        return;
    }
    if (!m.problems.empty()) {
        const bool fixable = std::any_of(m.problems.begin(), m.problems.end(),
                                         [](const atmo::MissionProblem& p) { return !p.missingModel.empty(); });
        problems_->setText(
            fixable ? tr("%n problem(s) must be fixed before the package can be built. Choose a missing model's row "
                         "to add its file or remove it from the mission; fix the others in the mission folder, then "
                         "rescan.",
                         nullptr, static_cast<int>(m.problems.size()))
                    : tr("%n problem(s) must be fixed in the mission folder before the package can be built. "
                         "Fix them, then rescan.",
                         nullptr, static_cast<int>(m.problems.size())));
        problems_->show();
    } else if (m.files.empty()) {
        problems_->setText(tr("The mission folder has no files to package."));
        problems_->show();
    } else {
        problems_->hide();
    }
    QStringList sizes;
    for (int t : m.tiers)
        sizes << QStringLiteral("%1: %2").arg(Format::tier(t), Format::bytes(m.sizeForTier(t)));
    summary_->setText(tr("%n file(s)", nullptr, static_cast<int>(m.files.size())) + QStringLiteral(" — ") +
                      sizes.join(QStringLiteral(", ")));
}

bool ContentsPage::isComplete() const
{
    const atmo::Mission& m = wizard_->contents()->mission();
    return scanned_ && !job_ && !copying_ && error_.isEmpty() && m.problems.empty() && !m.files.empty();
}

bool ContentsPage::validatePage()
{
    if (!dirty_)
        return true;
    if (auto st = atmo::saveMissionYaml(wizard_->contents()->mission()); !st) {
        error_ = QString::fromStdString(st.message());
        showState();
        return false;
    }
    dirty_ = false;
    return true;
}
