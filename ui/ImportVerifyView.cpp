#include "ui/ImportVerifyView.h"

#include <QCheckBox>

#include <algorithm>

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStorageInfo>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "app/Format.h"
#include "app/PathConversion.h"
#include "app/ReportWriter.h"
#include "app/StationContext.h"
#include "core/package/tier.h"
#include "ui/DeviceFitPanel.h"
#include "ui/ElidedLabel.h"
#include "ui/Icons.h"
#include "ui/ProgressPanel.h"
#include "ui/StatusColors.h"
#include "ui/StatusIconProxy.h"
#include "ui/VerdictBanner.h"

namespace {
QTableView* makeVerifyTable(QAbstractItemModel* model, const QString& accessibleName, QWidget* parent)
{
    auto* proxy = new StatusIconProxy(parent);
    proxy->setSourceModel(model);
    auto* view = new QTableView(parent);
    view->setModel(proxy);
    view->setAccessibleName(accessibleName);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideMiddle);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setHighlightSections(false);
    view->setIconSize(QSize(16, 16));
    return view;
}
// A small table exactly as tall as its rows (between minRows and maxRows).
void fitHeight(QTableView* view, int minRows, int maxRows)
{
    const int rows = qBound(minRows, view->model()->rowCount(), maxRows);
    const int height = view->horizontalHeader()->sizeHint().height() + rows * view->verticalHeader()->defaultSectionSize() +
                       2 * view->frameWidth() + 2;
    view->setFixedHeight(height);
}
} // namespace

ImportVerifyView::ImportVerifyView(StationContext& context, QWidget* parent)
    : QWidget(parent), context_(context), files_(new FileCheckModel(this)), filter_(new FileCheckFilterModel(this)),
      signatures_(new SignatureModel(this)), custody_(new CustodyModel(this))
{
    filter_->setSourceModel(files_);
    buildUi();
    failuresOnly_->setChecked(context_.settings().failuresOnly());
    installRoot_->setText(QDir::toNativeSeparators(context_.settings().installRoot()));
    refreshFit();
    updateSummary();
    updateInstallButton();
}

ImportVerifyView::~ImportVerifyView()
{
    if (job_)
        job_->dispose(this);
}

void ImportVerifyView::buildUi()
{
    auto* layout = new QVBoxLayout(this);
    banner_ = new VerdictBanner(this);
    layout->addWidget(banner_);

    auto* bar = new QHBoxLayout;
    open_ = new QPushButton(Icons::get(QStringLiteral("open")), tr("&Open package…"), this);
    open_->setAccessibleName(tr("Open a package file"));
    open_->setToolTip(tr("Open a .atmo package (Ctrl+O)"));
    connect(open_, &QPushButton::clicked, this, &ImportVerifyView::choosePackage);
    drives_ = new QToolButton(this);
    drives_->setText(tr("From &drive"));
    drives_->setIcon(Icons::get(QStringLiteral("drive")));
    drives_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    drives_->setPopupMode(QToolButton::InstantPopup);
    drives_->setAccessibleName(tr("Open a package from a mounted drive"));
    auto* drivesMenu = new QMenu(drives_);
    drives_->setMenu(drivesMenu);
    connect(drivesMenu, &QMenu::aboutToShow, this, &ImportVerifyView::populateDrivesMenu);
    fileLabel_ = new ElidedLabel(this);
    fileLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    fileLabel_->setAccessibleName(tr("Package file"));
    saveReport_ = new QPushButton(Icons::get(QStringLiteral("save")), tr("&Save report…"), this);
    saveReport_->setAccessibleName(tr("Save the verification report"));
    saveReport_->setToolTip(tr("Save the verification report as text or HTML (Ctrl+S)"));
    saveReport_->setShortcut(QKeySequence::Save);
    connect(saveReport_, &QPushButton::clicked, this, &ImportVerifyView::chooseReportFile);
    bar->addWidget(open_);
    bar->addWidget(drives_);
    bar->addWidget(fileLabel_, 1);
    bar->addWidget(saveReport_);
    layout->addLayout(bar);

    progress_ = new ProgressPanel(this);
    connect(progress_, &ProgressPanel::titleProgress, this, &ImportVerifyView::titleProgress);
    layout->addWidget(progress_);

    auto* top = new QGridLayout;
    layout->addLayout(top);
    auto* sigBox = new QGroupBox(tr("Signatures"), this);
    auto* sigLayout = new QVBoxLayout(sigBox);
    signatureTable_ = makeVerifyTable(signatures_, tr("Signatures"), sigBox);
    signatureTable_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    signatureTable_->horizontalHeader()->setStretchLastSection(true);
    sigLayout->addWidget(signatureTable_);
    sigLayout->addStretch(1);
    auto* custodyBox = new QGroupBox(tr("Chain of custody"), this);
    auto* custodyLayout = new QVBoxLayout(custodyBox);
    custodyTable_ = makeVerifyTable(custody_, tr("Chain of custody"), custodyBox);
    custodyTable_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    custodyTable_->horizontalHeader()->setStretchLastSection(true);
    // The key id is in the Check cell's tooltip and in the saved report.
    custodyTable_->setColumnHidden(CustodyModel::KeyColumn, true);
    custodyLayout->addWidget(custodyTable_);
    custodyLayout->addStretch(1);
    top->addWidget(sigBox, 0, 0);
    top->addWidget(custodyBox, 1, 0);

    auto* fileBox = new QGroupBox(tr("Files"), this);
    auto* fileLayout = new QVBoxLayout(fileBox);
    auto* fileBar = new QHBoxLayout;
    failuresOnly_ = new QCheckBox(tr("Show only &failures"), fileBox);
    failuresOnly_->setAccessibleName(tr("Show only files that failed"));
    connect(failuresOnly_, &QCheckBox::toggled, this, [this](bool on) {
        filter_->setFailuresOnly(on);
        context_.settings().setFailuresOnly(on);
    });
    summary_ = new QLabel(fileBox);
    summary_->setAccessibleName(tr("File summary"));
    fileBar->addWidget(summary_, 1);
    fileBar->addWidget(failuresOnly_);
    fileLayout->addLayout(fileBar);
    fileTable_ = makeVerifyTable(filter_, tr("Files"), fileBox);
    fileTable_->setSortingEnabled(true);
    fileTable_->sortByColumn(-1, Qt::AscendingOrder);
    auto* header = fileTable_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(FileCheckModel::PathColumn, QHeaderView::Stretch);
    const QFontMetrics fm = fontMetrics();
    header->resizeSection(FileCheckModel::StatusColumn, fm.horizontalAdvance(tr("Not in this export")) + 40);
    int kindWidth = fm.horizontalAdvance(tr("Kind"));
    for (auto k : {atmo::ContentKind::Config, atmo::ContentKind::Model, atmo::ContentKind::Agent, atmo::ContentKind::Tool,
                   atmo::ContentKind::Knowledge})
        kindWidth = qMax(kindWidth, fm.horizontalAdvance(Format::kind(k)));
    header->resizeSection(FileCheckModel::KindColumn, kindWidth + 24);
    header->resizeSection(FileCheckModel::SizeColumn, fm.horizontalAdvance(QStringLiteral("1023.9 MiB")) + 24);
    header->resizeSection(FileCheckModel::TiersColumn, fm.horizontalAdvance(tr("Tiers")) + 30);
    const int hashWidth = qMax(fm.horizontalAdvance(QStringLiteral("00000000…0000")), fm.horizontalAdvance(tr("Computed SHA-256"))) + 24;
    header->resizeSection(FileCheckModel::ExpectedColumn, hashWidth);
    header->resizeSection(FileCheckModel::ComputedColumn, hashWidth);
    fileLayout->addWidget(fileTable_);
    layout->addWidget(fileBox, 1);

    fitPanel_ = new DeviceFitPanel(this);
    top->addWidget(fitPanel_, 0, 1);
    auto* installBox = new QGroupBox(tr("Install"), this);
    auto* installLayout = new QVBoxLayout(installBox);
    auto* rootRow = new QHBoxLayout;
    installRoot_ = new QLineEdit(installBox);
    installRoot_->setAccessibleName(tr("Install into folder"));
    auto* rootLabel = new QLabel(tr("&Into:"), installBox);
    rootLabel->setBuddy(installRoot_);
    auto* browse = new QPushButton(tr("Browse…"), installBox);
    browse->setAccessibleName(tr("Choose the install folder"));
    connect(browse, &QPushButton::clicked, this, &ImportVerifyView::chooseInstallRoot);
    connect(installRoot_, &QLineEdit::textChanged, installRoot_, [this](const QString& t) {
        installRoot_->setToolTip(t);
        // A path reads from its start: wide enough for a usual one, and when
        // set from outside (not typed) shown from the left, never cut there.
        installRoot_->setMinimumWidth(qMin(installRoot_->fontMetrics().horizontalAdvance(t) + 16, 420));
        if (!installRoot_->hasFocus())
            installRoot_->setCursorPosition(0);
    });
    connect(installRoot_, &QLineEdit::editingFinished, this, [this] {
        context_.settings().setInstallRoot(QDir::fromNativeSeparators(installRoot_->text()));
        refreshFit();
    });
    rootRow->addWidget(rootLabel);
    rootRow->addWidget(installRoot_, 1);
    rootRow->addWidget(browse);
    installLayout->addLayout(rootRow);
    install_ = new QPushButton(Icons::get(QStringLiteral("install")), tr("&Install"), installBox);
    install_->setAccessibleName(tr("Install the package"));
    install_->setToolTip(tr("Verify again while installing, then switch to the new version (Ctrl+I)"));
    install_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    connect(install_, &QPushButton::clicked, this, &ImportVerifyView::requestInstall);
    installLayout->addWidget(install_);
    installStatus_ = new QLabel(installBox);
    installStatus_->setWordWrap(true);
    installStatus_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    installStatus_->setAccessibleName(tr("Install status"));
    installLayout->addWidget(installStatus_);
    installLayout->addStretch(1);
    top->addWidget(installBox, 1, 1);
    top->setColumnStretch(0, 2);
    top->setColumnStretch(1, 1);
    fitTables();
}

void ImportVerifyView::fitTables()
{
    fitHeight(signatureTable_, 2, 2);
    fitHeight(custodyTable_, 2, 4);
    // Short columns fit their contents; the long last one (trusted comment,
    // custody check) takes the rest, elided, with the full text as tooltip.
    const int cap = fontMetrics().horizontalAdvance(QLatin1Char('M')) * 16;
    for (QTableView* t : {signatureTable_, custodyTable_}) {
        const int last = t->model()->columnCount() - 1;
        for (int c = 0; c < last; ++c) {
            t->resizeColumnToContents(c);
            t->setColumnWidth(c, qMin(t->columnWidth(c), cap));
        }
    }
}

void ImportVerifyView::populateDrivesMenu()
{
    QMenu* menu = drives_->menu();
    menu->clear();
    int found = 0;
    for (const QStorageInfo& volume : QStorageInfo::mountedVolumes()) {
        const QString root = volume.rootPath();
        if (!volume.isValid() || !volume.isReady() || root == QLatin1String("/"))
            continue;
        if (!root.startsWith(QLatin1String("/media/")) && !root.startsWith(QLatin1String("/run/media/")) &&
            !root.startsWith(QLatin1String("/mnt")))
            continue;
        const QFileInfoList packages =
            QDir(root).entryInfoList({QStringLiteral("*.atmo")}, QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo& p : packages) {
            const QString label = tr("%1 on %2 (%3)")
                                      .arg(p.fileName(), volume.displayName(), Format::bytes(static_cast<quint64>(p.size())));
            menu->addAction(Icons::get(QStringLiteral("package")), label, this,
                            [this, path = p.absoluteFilePath()] { openPackage(path); });
            ++found;
        }
    }
    if (found == 0)
        menu->addAction(tr("No packages on mounted drives"))->setEnabled(false);
}

void ImportVerifyView::choosePackage()
{
    QString start = context_.settings().lastOpenDir();
    if (start.isEmpty())
        start = context_.settings().outputDir();
    const QString file = QFileDialog::getOpenFileName(this, tr("Open package"), start,
                                                      tr("Atmosphere packages (*.atmo);;All files (*)"));
    if (file.isEmpty())
        return;
    context_.settings().setLastOpenDir(QFileInfo(file).absolutePath());
    openPackage(file);
}

void ImportVerifyView::startJob(VerifyJob* job)
{
    if (job_)
        job_->dispose(this);
    job_ = job;
    connect(job, &VerifyJob::signaturesChecked, this, &ImportVerifyView::onSignatures);
    connect(job, &VerifyJob::filesChecked, this, [this](const std::vector<atmo::FileCheck>& batch) {
        files_->apply(batch);
        updateSummary();
    });
    // The file being hashed, with its own progress, stays in view (unless
    // the user is reading the table: then it is left where they put it).
    connect(job, &Job::progressChanged, this, [this](const JobProgress& p) {
        const int before = files_->activeRow();
        files_->setActive(p.phase == atmo::Phase::Verifying ? p.item : QString(), p.itemDone, p.itemTotal);
        const int row = files_->activeRow();
        if (row >= 0 && row != before && !fileTable_->hasFocus())
            fileTable_->scrollTo(filter_->mapFromSource(files_->index(row, FileCheckModel::PathColumn)));
    });
    progress_->track(job);
    context_.runner().start(job);
    updateInstallButton();
}

void ImportVerifyView::openPackage(const QString& file)
{
    // Everything about the previous package goes at once: nothing of it may
    // stand under the new package's "Checking…" banner.
    file_ = QFileInfo(file).absoluteFilePath();
    report_.reset();
    fit_ = DeviceFit{};
    fitPanel_->clear();
    files_->clear();
    signatures_->clear();
    custody_->clear();
    installStatus_->clear();
    fileLabel_->setFullText(QDir::toNativeSeparators(file_));
    banner_->setVerdict(Verdict::checking(QFileInfo(file_).fileName()));
    files_->setChecking(true);
    VerifyJob::Request request;
    request.file = file_;
    request.trustDir = context_.trustDir();
    request.tiersFile = context_.tiersFile();
    request.installRoot = QDir::fromNativeSeparators(installRoot_->text());
    request.storeIndex = context_.storeIndex();
    auto* job = new VerifyJob(request);
    connect(job, &Job::finished, this, &ImportVerifyView::onVerifyFinished);
    startJob(job);
    updateSummary();
}

void ImportVerifyView::onSignatures(const atmo::VerifyReport& report)
{
    files_->addPending(report.files); // every file, waiting, from the start
    updateSummary();
    signatures_->setSignatures(report.signatures);
    custody_->setEntries(report.custody);
    fitTables();
}

void ImportVerifyView::onVerifyFinished(bool ok)
{
    VerifyJob* job = job_;
    job_ = nullptr;
    files_->setActive({}, 0, 0);
    report_ = job->report();
    fit_ = job->deviceFit();
    job->dispose(this);
    files_->setChecking(false);
    // The final report is authoritative: rows for files the stream never
    // reached (missing, skipped) arrive with it.
    files_->apply(report_->files);
    signatures_->setSignatures(report_->signatures);
    custody_->setEntries(report_->custody);
    fitTables();
    banner_->setVerdict(Verdict::of(*report_, &fit_));
    fitPanel_->setFit(fit_, report_->manifest ? QString::fromStdString(report_->manifest->version) : QString());
    updateSummary();
    updateInstallButton();
    emit verificationFinished(ok);
}

void ImportVerifyView::refreshFit()
{
    const QString root = QDir::fromNativeSeparators(installRoot_->text());
    fit_ = DeviceFit::forStation(report_ ? *report_ : atmo::VerifyReport{}, root, context_.home().tiersFile());
    const QString version =
        report_ && report_->manifest ? QString::fromStdString(report_->manifest->version) : QString();
    fitPanel_->setFit(fit_, version);
    if (report_)
        banner_->setVerdict(Verdict::of(*report_, &fit_));
    updateInstallButton();
}

void ImportVerifyView::updateSummary()
{
    const int total = files_->rowCount();
    if (total == 0) {
        summary_->setText(job_ ? tr("Checking the files…") : report_ ? tr("No files were checked.") : tr("No package open."));
        summary_->setStyleSheet(QString());
        return;
    }
    const int failed = files_->failureCount();
    const int ok = files_->count(atmo::FileState::Ok);
    const int skipped = files_->count(atmo::FileState::NotInArchive);
    const int waiting = files_->count(atmo::FileState::Pending);
    QString text = job_ && waiting > 0 ? tr("%1 of %n file(s) checked", nullptr, total).arg(total - waiting)
                                       : tr("%n file(s) intact", nullptr, ok);
    if (failed > 0)
        text += QStringLiteral(", ") + tr("%n failed", nullptr, failed);
    if (skipped > 0)
        text += QStringLiteral(", ") + tr("%n not in this export", nullptr, skipped);
    if (report_ && report_->manifest)
        text += QStringLiteral(" — ") +
                tr("%n file(s) listed in the manifest", nullptr, static_cast<int>(report_->manifest->files.size()));
    summary_->setText(text);
    summary_->setStyleSheet(failed > 0 ? StatusColors::errorStyle(true) : QString());
}

void ImportVerifyView::updateInstallButton()
{
    QString why;
    if (job_)
        why = tr("Wait for the check to finish.");
    else if (!report_)
        why = tr("Open a package first.");
    else if (!report_->ok)
        why = tr("This package failed verification and cannot be installed.");
    else if (!fit_.policyError.isEmpty())
        why = fit_.policyText(); // as the CLI refuses
    else if (!fit_.packageCoversTier)
        why = tr("This package lacks files that %1 needs.").arg(Format::tier(fit_.tier.tier));
    else if (fit_.deltaBase && !fit_.deltaBase->ok())
        why = Format::deltaBase(*fit_.deltaBase, QString::fromStdString(report_->manifest->version));
    else if (fit_.space == atmo::SpaceCheck::Short)
        why = tr("Not enough free space: %1 needed, %2 free.").arg(Format::bytes(fit_.bytesNeeded), fit_.freeText());
    else if (!fit_.installable())
        why = fit_.refusal.isEmpty() ? tr("This package cannot be installed here.") : fit_.refusal;
    install_->setEnabled(why.isEmpty());
    install_->setToolTip(why.isEmpty() ? tr("Verify again while installing, then switch to the new version (Ctrl+I)")
                                       : why);
    saveReport_->setEnabled(report_.has_value() && !job_);
    if (!why.isEmpty() && report_ && !job_ && installStatus_->text().isEmpty())
        installStatus_->setText(why);
    else if (why.isEmpty() && !fit_.warning.isEmpty() && !job_ && installStatus_->text().isEmpty())
        installStatus_->setText(fit_.spaceWarning()); // free space unknown: the CLI says the same
}

void ImportVerifyView::reloadSettings()
{
    installRoot_->setText(QDir::toNativeSeparators(context_.settings().installRoot()));
    refreshFit();
}

void ImportVerifyView::chooseInstallRoot()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Install into"), installRoot_->text());
    if (dir.isEmpty())
        return;
    installRoot_->setText(QDir::toNativeSeparators(dir));
    context_.settings().setInstallRoot(dir);
    refreshFit();
}

void ImportVerifyView::requestInstall()
{
    if (!report_ || !report_->ok || !report_->manifest)
        return;
    refreshFit();
    bool allowDowngrade = false;
    if (fit_.downgrade) {
        QMessageBox box(QMessageBox::Warning, tr("Install an older version?"),
                        tr("Version %1 of %2 is already installed. This package is version %3, which is not newer.")
                            .arg(fit_.installedVersion, QString::fromStdString(report_->manifest->name),
                                 QString::fromStdString(report_->manifest->version)),
                        QMessageBox::Cancel, this);
        box.setInformativeText(tr("Installing it replaces the installed version; the replaced version is kept for "
                                  "rollback and the override is recorded. Only continue if you were asked to "
                                  "roll back."));
        QPushButton* confirm = box.addButton(tr("Replace with version %1").arg(QString::fromStdString(report_->manifest->version)),
                                             QMessageBox::DestructiveRole);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        if (box.clickedButton() != confirm)
            return;
        allowDowngrade = true;
    }
    startInstall(allowDowngrade);
}

void ImportVerifyView::startInstall(bool allowDowngrade)
{
    if (file_.isEmpty() || job_)
        return;
    installStatus_->setStyleSheet({});
    installStatus_->setText(tr("Installing…"));
    VerifyJob::Request request;
    request.file = file_;
    request.trustDir = context_.trustDir();
    request.tiersFile = context_.tiersFile();
    request.install = true;
    request.installRoot = QDir::fromNativeSeparators(installRoot_->text());
    request.storeIndex = context_.storeIndex();
    request.allowDowngrade = allowDowngrade;
    auto* job = new VerifyJob(request);
    connect(job, &Job::finished, this, &ImportVerifyView::onInstallFinished);
    startJob(job);
}

void ImportVerifyView::onInstallFinished(bool ok)
{
    VerifyJob* job = job_;
    job_ = nullptr;
    const auto installed = job->installed();
    const QString error = job->errorMessage();
    const QString errorDetail = job->errorDetail();
    const atmo::VerifyReport report = job->report();
    job->dispose(this);
    if (ok && installed) {
        installStatus_->setToolTip({});
        installStatus_->setStyleSheet(QStringLiteral("color:#1e7b34;font-weight:bold"));
        installStatus_->setText(tr("Installed version %1 (%2) into %3.")
                                    .arg(QString::fromStdString(installed->version))
                                    .arg(Format::tier(installed->tier))
                                    .arg(QDir::toNativeSeparators(fromFsPath(installed->dir))));
    } else {
        installStatus_->setStyleSheet(StatusColors::errorStyle(true));
        installStatus_->setText(tr("Not installed: %1").arg(error.isEmpty() ? tr("unknown error") : error));
        installStatus_->setToolTip(errorDetail);
        const bool filesFailed = std::any_of(report.files.begin(), report.files.end(), [](const atmo::FileCheck& f) {
            return FileCheckModel::isFailure(f.state);
        });
        if (filesFailed) {
            // The package changed since it was checked: show what failed now.
            // (A refused downgrade or a full disk leaves the verdict as it was.)
            report_ = report;
            files_->apply(report.files);
            banner_->setVerdict(Verdict::of(report));
        }
    }
    refreshFit();
    updateSummary();
    emit installFinished(ok);
}

bool ImportVerifyView::saveReport(const QString& file, QString* error) const
{
    if (!report_) {
        if (error)
            *error = tr("No package has been checked.");
        return false;
    }
    return ReportWriter(*report_, fit_).save(file, error);
}

void ImportVerifyView::chooseReportFile()
{
    if (!report_)
        return;
    QString base = QFileInfo(file_).completeBaseName() + QStringLiteral("-report");
    QString selected;
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Save verification report"), QFileInfo(file_).absolutePath() + QLatin1Char('/') + base + ".html",
        tr("HTML report (*.html);;Text report (*.txt)"), &selected);
    if (file.isEmpty())
        return;
    QString target = file;
    if (QFileInfo(target).suffix().isEmpty())
        target += selected.contains(QLatin1String("*.txt")) ? QStringLiteral(".txt") : QStringLiteral(".html");
    QString error;
    if (!saveReport(target, &error))
        QMessageBox::warning(this, tr("Report not saved"), tr("Could not save %1: %2").arg(target, error));
}
