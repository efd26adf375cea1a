#include "ui/ContentsPage.h"

#include <QDesktopServices>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

#include "app/Format.h"
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
    row->addWidget(summary_, 1);
    row->addWidget(openFolder_);
    row->addWidget(rescan_);
    layout->addLayout(row);

    connect(rescan_, &QPushButton::clicked, this, &ContentsPage::rescan);
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

void ContentsPage::showState()
{
    const atmo::Mission& m = wizard_->contents()->mission();
    if (!error_.isEmpty()) {
        problems_->setText(error_);
        problems_->show();
        summary_->clear();
        return;
    }
    if (!m.problems.empty()) {
        problems_->setText(tr("%n problem(s) must be fixed in the mission folder before the package can be built. "
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
    return scanned_ && !job_ && error_.isEmpty() && m.problems.empty() && !m.files.empty();
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
