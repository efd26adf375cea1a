#include "ui/BuildPage.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "app/Format.h"
#include "app/PathConversion.h"
#include "app/StationContext.h"
#include "core/package/manifest.h"
#include "ui/Icons.h"
#include "ui/PackageWizard.h"
#include "ui/ProgressPanel.h"
#include "ui/StatusColors.h"

BuildPage::BuildPage(PackageWizard* wizard) : QWizardPage(wizard), wizard_(wizard)
{
    setTitle(tr("Build"));
    setSubTitle(tr("Hashing every file, signing the manifest and writing the package."));
    auto* layout = new QVBoxLayout(this);
    step_ = new QLabel(this);
    step_->setAccessibleName(tr("Build step"));
    layout->addWidget(step_);
    progress_ = new ProgressPanel(this);
    connect(progress_, &ProgressPanel::titleProgress, wizard, &PackageWizard::titleProgress);
    layout->addWidget(progress_);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->setAccessibleName(tr("Build result"));
    QFont f = status_->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    f.setBold(true);
    status_->setFont(f);
    layout->addWidget(status_);
    results_ = new QTableWidget(0, 3, this);
    results_->setAccessibleName(tr("Packages written"));
    results_->setHorizontalHeaderLabels({tr("File"), tr("Contents"), tr("Size or state")});
    results_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    results_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    results_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    results_->verticalHeader()->hide();
    results_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    results_->setSelectionBehavior(QAbstractItemView::SelectRows);
    results_->hide();
    layout->addWidget(results_, 1);
    tierSizes_ = new QLabel(this);
    tierSizes_->setWordWrap(true);
    tierSizes_->setAccessibleName(tr("Sizes by tier"));
    layout->addWidget(tierSizes_);
    auto* buttons = new QHBoxLayout;
    openFolder_ = new QPushButton(Icons::get(QStringLiteral("folder")), tr("Open &folder"), this);
    openFolder_->setAccessibleName(tr("Open the output folder"));
    verify_ = new QPushButton(Icons::get(QStringLiteral("verify")), tr("&Verify it now"), this);
    verify_->setAccessibleName(tr("Verify the package in Import and Verify"));
    export_ = new QPushButton(Icons::get(QStringLiteral("export")), tr("Go to &USB export"), this);
    export_->setAccessibleName(tr("Write the package to USB drives in USB Export"));
    retry_ = new QPushButton(Icons::get(QStringLiteral("refresh")), tr("&Try again"), this);
    retry_->setAccessibleName(tr("Build again"));
    buttons->addWidget(openFolder_);
    buttons->addWidget(verify_);
    buttons->addWidget(export_);
    buttons->addWidget(retry_);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    layout->addStretch(0);
    for (QPushButton* b : {openFolder_, verify_, export_, retry_})
        b->hide();

    connect(openFolder_, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(wizard_->outputDir)); });
    connect(verify_, &QPushButton::clicked, this, [this] {
        if (!files_.isEmpty()) {
            emit wizard_->verifyRequested(files_.first());
            wizard_->accept();
        }
    });
    connect(export_, &QPushButton::clicked, this, [this] {
        if (!files_.isEmpty()) {
            emit wizard_->exportRequested(files_.first());
            wizard_->accept();
        }
    });
    connect(retry_, &QPushButton::clicked, this, &BuildPage::startBuild);
}

BuildPage::~BuildPage()
{
    if (job_)
        job_->dispose(this); // cancelled; deleted once its worker returns
}

void BuildPage::initializePage() { startBuild(); }

void BuildPage::cleanupPage() { cancelBuild(); }

void BuildPage::startBuild()
{
    if (job_ || !wizard_->meshKey)
        return;
    succeeded_ = false;
    wizard_->setOption(QWizard::NoCancelButtonOnLastPage, false); // Cancel stops the build
    files_.clear();
    results_->setRowCount(0);
    tierSizes_->clear();
    // One row per planned package, filled in as each is written.
    const std::string id = wizard_->contents()->mission().id;
    for (const auto& tier : wizard_->outputs) {
        const int row = results_->rowCount();
        results_->insertRow(row);
        const std::string version = wizard_->version.toStdString();
        const std::string base = wizard_->deltaFromVersion.toStdString();
        const QString name = QString::fromStdString(base.empty() ? atmo::packageFileName(id, version, tier)
                                                                 : atmo::deltaPackageFileName(id, base, version, tier));
        results_->setItem(row, 0, new QTableWidgetItem(Icons::get(QStringLiteral("package")), name));
        QString contents = tier ? tr("%1 export").arg(Format::tier(*tier)) : tr("Full package");
        if (!base.empty())
            contents = tier ? tr("Delta update from %1, %2 export").arg(wizard_->deltaFromVersion, Format::tier(*tier))
                            : tr("Delta update from %1").arg(wizard_->deltaFromVersion);
        results_->setItem(row, 1, new QTableWidgetItem(contents));
        results_->setItem(row, 2, new QTableWidgetItem(tr("Waiting")));
    }
    results_->show();
    status_->clear();
    status_->setStyleSheet({});
    for (QPushButton* b : {openFolder_, verify_, export_, retry_})
        b->hide();
    CreateJob::Request request;
    request.missionDir = wizard_->missionDir;
    request.version = wizard_->version;
    request.outputDir = wizard_->outputDir;
    request.meshKey = *wizard_->meshKey;
    request.founderKey = wizard_->founderKey;
    request.outputs = wizard_->outputs;
    request.compression = wizard_->compression;
    request.deltaFrom = wizard_->deltaFrom;
    request.homeDir = wizard_->context().homeDir();
    request.home = wizard_->context().home();
    auto* job = new CreateJob(std::move(request));
    job_ = job;
    connect(job, &CreateJob::outputStarted, this, [this](int index, int count) {
        const auto& t = wizard_->outputs[static_cast<std::size_t>(index)];
        const QString what = t ? tr("%1 export").arg(Format::tier(*t)) : tr("full package");
        step_->setText(tr("Package %1 of %2: %3").arg(index + 1).arg(count).arg(what));
        for (int row = 0; row < index; ++row)
            if (QTableWidgetItem* item = results_->item(row, 2); item && item->text() == tr("Building…"))
                item->setText(tr("Written"));
        if (QTableWidgetItem* item = results_->item(index, 2))
            item->setText(tr("Building…"));
    });
    connect(job, &Job::finished, this, &BuildPage::onFinished);
    progress_->track(job);
    wizard_->context().runner().start(job);
    emit completeChanged();
}

void BuildPage::cancelBuild()
{
    if (job_)
        job_->cancel();
}

void BuildPage::onFinished(bool ok)
{
    CreateJob* job = job_;
    job_ = nullptr;
    step_->clear();
    const auto& results = job->results();
    const auto tierOfRow = [job](int row) { return job->request().outputs[static_cast<std::size_t>(row)]; };
    for (int row = 0; row < results_->rowCount(); ++row) {
        if (row < static_cast<int>(results.size())) {
            const auto& r = results[static_cast<std::size_t>(row)];
            const QString file = fromFsPath(r.file);
            files_ << file;
            results_->item(row, 0)->setText(QDir::toNativeSeparators(file));
            results_->item(row, 0)->setToolTip(file);
            // A delta update: its size beside what the complete package holds.
            results_->item(row, 2)->setText(
                r.manifest.delta ? tr("%1 (complete: %2)")
                                       .arg(Format::bytes(r.archiveBytes),
                                            Format::bytes(tierOfRow(row) ? r.manifest.sizeForTier(*tierOfRow(row))
                                                                         : r.manifest.totalSize()))
                                 : Format::bytes(r.archiveBytes));
            results_->item(row, 2)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        } else {
            results_->item(row, 2)->setText(job->wasCancelled() ? tr("Cancelled") : tr("Not written"));
        }
    }
    if (!results.empty()) {
        QStringList sizes;
        for (const auto& [tier, bytes] : results.front().manifest.sizeByTier)
            sizes << QStringLiteral("%1: %2").arg(Format::tier(tier), Format::bytes(bytes));
        tierSizes_->setText(tr("Content size by tier: %1").arg(sizes.join(QStringLiteral(", "))));
    }
    if (ok) {
        succeeded_ = true;
        status_->setToolTip({});
        status_->setStyleSheet(QStringLiteral("color:#1e7b34"));
        status_->setText(tr("Built and signed %n package(s).", nullptr, static_cast<int>(results.size())));
        openFolder_->show();
        verify_->show();
        export_->show();
        // Built: nothing is left to cancel, so Finish stands alone.
        wizard_->setOption(QWizard::NoCancelButtonOnLastPage, true);
        emit wizard_->packagesBuilt();
    } else {
        status_->setStyleSheet(StatusColors::errorStyle());
        status_->setText(job->wasCancelled() ? tr("Build cancelled; no partial package was left behind.")
                                             : tr("Build failed: %1").arg(job->errorMessage()));
        status_->setToolTip(job->errorDetail());
        retry_->show();
        if (!results.empty())
            openFolder_->show();
    }
    job->dispose(this);
    emit completeChanged();
}

bool BuildPage::isComplete() const { return succeeded_ && !job_; }
