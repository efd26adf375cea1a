#include "ui/UsbExportView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFuture>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

#include "app/Executors.h"
#include "app/Format.h"
#include "app/ModelRoles.h"
#include "app/PathConversion.h"
#include "app/StationContext.h"
#include "app/UdisksEject.h"
#include "core/package/package_store.h"
#include "ui/DriveProgressRow.h"
#include "ui/Icons.h"
#include "ui/StatusColors.h"
#include "ui/StatusIconProxy.h"

namespace {
const char* kHint = "color:#5f6b76";
const char* kGood = "color:#1e7b34";

QLabel* sectionTitle(const QString& text, QWidget* parent)
{
    auto* title = new QLabel(text, parent);
    QFont bold = title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    title->setFont(bold);
    return title;
}
} // namespace

UsbExportView::UsbExportView(StationContext& context, QWidget* parent, DriveListModel::Lister lister)
    : QWidget(parent), context_(context), store_(new StoredPackageModel(this)),
      drives_(new DriveListModel(lister ? std::move(lister)
                                        : DriveListModel::systemLister({context_.home().root()}),
                                 this))
{
    buildUi();
    connect(drives_, &DriveListModel::drivesChanged, this, &UsbExportView::updateDrivesPage);
    connect(drives_, &DriveListModel::checkedChanged, this, &UsbExportView::updateWriteButton);
    connect(drives_, &QAbstractItemModel::dataChanged, this, &UsbExportView::updateWriteButton);
    updateDrivesPage();
    reloadPackages();
}

UsbExportView::~UsbExportView()
{
    if (job_)
        job_->dispose(this); // cancelled; deleted once its worker returns
}

void UsbExportView::buildUi()
{
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Copy a package onto USB drives for devices without a network. Every drive is "
                                "written, flushed and read back from the drive itself before the file gets its "
                                "final name, so a file you find on a drive is a file that was verified there."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    // The package and what of it to write.
    layout->addWidget(sectionTitle(tr("Package"), this));
    auto* packageRow = new QHBoxLayout;
    packageCombo_ = new QComboBox(this);
    packageCombo_->setAccessibleName(tr("Package to write"));
    packageCombo_->setPlaceholderText(tr("No packages on this station yet: build one, or open a file"));
    // Takes the room left beside the tier choice; its size hint (the
    // placeholder, long package names) must never widen the window.
    packageCombo_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    packageCombo_->setMinimumWidth(220);
    openFile_ = new QPushButton(Icons::get(QStringLiteral("open")), tr("Open &file…"), this);
    openFile_->setAccessibleName(tr("Open a package file to write"));
    tierCombo_ = new QComboBox(this);
    tierCombo_->setAccessibleName(tr("Contents to write"));
    tierCombo_->setToolTip(tr("The whole package, or only what devices of one tier need"));
    tierCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    tierCombo_->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Fixed); // the package combo gives way, not this one
    auto* tierLabel = new QLabel(tr("&Contents:"), this);
    tierLabel->setBuddy(tierCombo_);
    packageRow->addWidget(packageCombo_, 1);
    packageRow->addWidget(openFile_);
    packageRow->addSpacing(12);
    packageRow->addWidget(tierLabel);
    packageRow->addWidget(tierCombo_);
    layout->addLayout(packageRow);
    packageInfo_ = new QLabel(this);
    packageInfo_->setWordWrap(true);
    packageInfo_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    packageInfo_->setAccessibleName(tr("What will be written"));
    layout->addWidget(packageInfo_);

    // The drives: a live table, or a clear empty state.
    layout->addSpacing(6);
    layout->addWidget(sectionTitle(tr("Drives"), this));
    drivesStack_ = new QStackedWidget(this);
    // Icons below the sorting: a QIdentityProxyModel above a sorting proxy
    // gives a ResizeToContents header one row too many on row inserts (Qt 6.4).
    auto* icons = new StatusIconProxy(this);
    icons->setSourceModel(drives_);
    auto* sort = new QSortFilterProxyModel(this);
    sort->setSourceModel(icons);
    sort->setSortRole(ModelRole::Sort);
    table_ = new QTableView(drivesStack_);
    table_->setModel(sort);
    table_->setAccessibleName(tr("Drives"));
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->setTextElideMode(Qt::ElideRight);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 12);
    table_->horizontalHeader()->setHighlightSections(false);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(DriveListModel::NameColumn, QHeaderView::Stretch);
    table_->setSortingEnabled(true);
    table_->sortByColumn(DriveListModel::DeviceColumn, Qt::AscendingOrder);
    drivesStack_->addWidget(table_);

    auto* emptyPage = new QWidget(drivesStack_);
    auto* emptyLayout = new QVBoxLayout(emptyPage);
    emptyLayout->addStretch(1);
    auto* emptyIcon = new QLabel(emptyPage);
    emptyIcon->setPixmap(Icons::get(QStringLiteral("drive")).pixmap(QSize(48, 48), devicePixelRatioF()));
    emptyIcon->setAlignment(Qt::AlignCenter);
    empty_ = new QLabel(emptyPage);
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setWordWrap(true);
    empty_->setAccessibleName(tr("No drives"));
    emptyLayout->addWidget(emptyIcon);
    emptyLayout->addWidget(empty_);
    emptyLayout->addStretch(1);
    emptyPage->setObjectName(QStringLiteral("usbEmpty"));
    emptyPage->setStyleSheet(QStringLiteral("#usbEmpty{border:1px dashed #9aa5ae;border-radius:8px}"));
    drivesStack_->addWidget(emptyPage);
    layout->addWidget(drivesStack_, 2);

    auto* actions = new QHBoxLayout;
    eject_ = new QCheckBox(tr("&Eject when done"), this);
    eject_->setAccessibleName(tr("Eject each drive once it is written and verified"));
    eject_->setToolTip(tr("Unmount and power off each drive once its copy is verified, so it can be pulled"));
    reason_ = new QLabel(this);
    reason_->setWordWrap(true);
    reason_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    reason_->setAccessibleName(tr("Why writing cannot start"));
    write_ = new QPushButton(Icons::get(QStringLiteral("export")), QString(), this);
    write_->setAccessibleName(tr("Write the package to the ticked drives"));
    write_->setIconSize(QSize(24, 24));
    write_->setMinimumHeight(40);
    write_->setDefault(true);
    tickAll_ = new QPushButton(tr("Tick &all that fit"), this);
    tickAll_->setAccessibleName(tr("Tick every drive the package fits on"));
    tickAll_->setToolTip(tr("Tick every drive that can be written and has room for the package"));
    actions->addWidget(tickAll_);
    actions->addWidget(eject_);
    actions->addWidget(reason_, 1);
    actions->addWidget(write_);
    layout->addLayout(actions);

    // Per-drive progress, shown from the first write on.
    progressBox_ = new QGroupBox(tr("Writing"), this);
    auto* progressLayout = new QVBoxLayout(progressBox_);
    auto* head = new QHBoxLayout;
    summary_ = new QLabel(progressBox_);
    summary_->setWordWrap(true);
    summary_->setAccessibleName(tr("Result"));
    QFont bold = summary_->font();
    bold.setBold(true);
    summary_->setFont(bold);
    cancel_ = new QPushButton(Icons::get(QStringLiteral("cancel")), tr("Cancel"), progressBox_);
    cancel_->setAccessibleName(tr("Cancel writing"));
    cancel_->setToolTip(tr("Stop writing; no drive keeps a partial file"));
    head->addWidget(summary_, 1);
    head->addWidget(cancel_);
    progressLayout->addLayout(head);
    overall_ = new QProgressBar(progressBox_);
    overall_->setRange(0, 1000);
    overall_->setAccessibleName(tr("Progress of all drives"));
    progressLayout->addWidget(overall_);
    auto* scroll = new QScrollArea(progressBox_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* rowsWidget = new QWidget(scroll);
    rowsLayout_ = new QVBoxLayout(rowsWidget);
    rowsLayout_->setContentsMargins(0, 0, 0, 0);
    rowsLayout_->setSpacing(0);
    rowsLayout_->addStretch(1);
    scroll->setWidget(rowsWidget);
    progressLayout->addWidget(scroll);
    progressBox_->hide();
    layout->addWidget(progressBox_, 3);

    connect(packageCombo_, &QComboBox::currentIndexChanged, this, &UsbExportView::onPackageChosen);
    connect(tierCombo_, &QComboBox::currentIndexChanged, this, &UsbExportView::onTierChosen);
    connect(openFile_, &QPushButton::clicked, this, &UsbExportView::chooseFile);
    connect(write_, &QPushButton::clicked, this, &UsbExportView::startWrite);
    connect(tickAll_, &QPushButton::clicked, this, &UsbExportView::tickAllThatFit);
    connect(cancel_, &QPushButton::clicked, this, &UsbExportView::cancelWrite);
}

void UsbExportView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reloadPackages();
    drives_->start();
}

void UsbExportView::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    drives_->stop();
}

void UsbExportView::reloadPackages()
{
    if (job_)
        return; // the package being written stays as it is until the write ends
    const QString current = packageCombo_->currentData().toString();
    store_->reload(atmo::PackageStore(context_.home().storeIndex()));
    {
        const QSignalBlocker block(packageCombo_);
        packageCombo_->clear();
        for (const QString& file : openedFiles_) {
            packageCombo_->addItem(Icons::get(QStringLiteral("open")),
                                   tr("%1 (opened file)").arg(QFileInfo(file).fileName()), file);
            packageCombo_->setItemData(packageCombo_->count() - 1, QDir::toNativeSeparators(file), Qt::ToolTipRole);
        }
        for (int row = 0; row < store_->rowCount(); ++row) {
            const atmo::StoredPackage& p = store_->package(row);
            const QString file = fromFsPath(p.file);
            if (openedFiles_.contains(file))
                continue;
            packageCombo_->addItem(Icons::get(QStringLiteral("package")),
                                   tr("%1 %2 — %3, %4")
                                       .arg(QString::fromStdString(p.id), QString::fromStdString(p.version),
                                            p.tier ? tr("%1 export").arg(Format::tier(*p.tier)) : tr("full package"),
                                            Format::bytes(p.bytes)),
                                   file);
            packageCombo_->setItemData(packageCombo_->count() - 1, QDir::toNativeSeparators(file), Qt::ToolTipRole);
        }
        packageCombo_->setCurrentIndex(packageCombo_->findData(current));
        if (packageCombo_->currentIndex() < 0 && packageCombo_->count() > 0)
            packageCombo_->setCurrentIndex(0);
    }
    if (packageCombo_->currentData().toString() != current || !plan_ || plan_->file != current)
        onPackageChosen();
}

void UsbExportView::selectPackage(const QString& file)
{
    if (job_)
        return; // never swap the package under a running write
    const QString path = QFileInfo(file).absoluteFilePath();
    if (packageCombo_->findData(path) < 0 && !openedFiles_.contains(path)) {
        openedFiles_.prepend(path);
        reloadPackages();
    }
    packageCombo_->setCurrentIndex(packageCombo_->findData(path)); // reads it when it changed
}

void UsbExportView::chooseFile()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Open package"), context_.settings().lastOpenDir(),
                                                      tr("Atmosphere packages (*.atmo);;All files (*)"));
    if (file.isEmpty())
        return;
    context_.settings().setLastOpenDir(QFileInfo(file).absolutePath());
    selectPackage(file);
}

void UsbExportView::onPackageChosen()
{
    const QString file = packageCombo_->currentData().toString();
    const int request = ++planRequest_;
    justWritten_.clear();
    plan_.reset();
    {
        const QSignalBlocker block(tierCombo_);
        tierCombo_->clear();
    }
    drives_->setRequiredBytes(0);
    if (file.isEmpty()) {
        planPending_ = false;
        packageInfo_->clear();
        updateWriteButton();
        return;
    }
    planPending_ = true;
    packageInfo_->setStyleSheet(QString::fromLatin1(kHint));
    packageInfo_->setText(tr("Reading %1…").arg(QFileInfo(file).fileName()));
    updateWriteButton();
    // Checks the signature before anything is shown: off the GUI thread.
    Executors::smallIo(&ExportPlan::read, file, context_.trustDir()).then(this, [this, request](const ExportPlan& p) {
        if (request == planRequest_)
            onPlanRead(p);
    });
}

void UsbExportView::onPlanRead(const ExportPlan& plan)
{
    planPending_ = false;
    plan_ = plan;
    if (!plan.ok) {
        packageInfo_->setStyleSheet(StatusColors::errorStyle());
        packageInfo_->setText(tr("Cannot be written: %1").arg(plan.error));
        packageInfo_->setToolTip(plan.errorDetail);
        updateWriteButton();
        return;
    }
    {
        const QSignalBlocker block(tierCombo_);
        tierCombo_->clear();
        const QString whole = plan.sourceTier ? tr("%1 export, as stored").arg(Format::tier(*plan.sourceTier))
                                              : tr("Full package (%1)").arg(Format::tiers(plan.packageTiers));
        tierCombo_->addItem(tr("%1 — %2").arg(whole, Format::bytes(plan.wholeBytesNeeded)), -1);
        for (int t : plan.tiers)
            if (!plan.sourceTier || t != *plan.sourceTier)
                tierCombo_->addItem(tr("%1 only — %2").arg(Format::tier(t), Format::bytes(plan.bytesNeeded(t))), t);
        tierCombo_->setCurrentIndex(0);
    }
    onTierChosen();
}

std::optional<int> UsbExportView::chosenTier() const
{
    const QVariant v = tierCombo_->currentData();
    if (!v.isValid() || v.toInt() < 0)
        return std::nullopt;
    return v.toInt();
}

void UsbExportView::onTierChosen()
{
    if (!plan_ || !plan_->ok)
        return;
    const auto tier = chosenTier();
    if (tier != lastTier_)
        justWritten_.clear(); // other content: every drive is a candidate again
    lastTier_ = tier;
    drives_->setRequiredBytes(plan_->bytesNeeded(tier));
    packageInfo_->setStyleSheet(QString::fromLatin1(kHint));
    packageInfo_->setToolTip({});
    packageInfo_->setText(tr("Writes %1 to each drive; needs %2 free.")
                              .arg(plan_->fileName(tier), Format::bytes(plan_->bytesNeeded(tier))));
    updateWriteButton();
}

void UsbExportView::updateDrivesPage()
{
    const bool any = drives_->rowCount() > 0;
    // A stick pulled out is forgotten: the next one in that port is new.
    QSet<QString> present;
    for (int row = 0; row < drives_->rowCount(); ++row)
        present.insert(stickKey(drives_->drive(row)));
    for (auto it = justWritten_.begin(); it != justWritten_.end();)
        it = present.contains(*it) ? std::next(it) : justWritten_.erase(it);
    drivesStack_->setCurrentIndex(any ? 0 : 1);
    if (!any)
        empty_->setText(drives_->pollsApplied() == 0
                            ? tr("Looking for drives…")
                            : tr("<p style='font-size:large'><b>Plug in a USB drive…</b></p>"
                                 "<p>It appears here as soon as it is mounted. The computer's own disks are never "
                                 "listed.</p>"));
    updateWriteButton();
}

QString UsbExportView::writeBlockedReason() const
{
    if (job_)
        return tr("Writing…");
    if (packageCombo_->currentData().toString().isEmpty())
        return tr("Choose a package to write.");
    if (planPending_ || !plan_)
        return tr("Reading the package…");
    if (!plan_->ok)
        return tr("This package cannot be written (see above).");
    if (drives_->rowCount() == 0)
        return tr("Plug in a USB drive.");
    const QList<int> checked = drives_->checkedRows();
    if (checked.isEmpty())
        return tr("Tick the drives to write to.");
    for (int row : checked)
        if (!drives_->fits(row))
            return tr("%1 is too small: needs %2, has %3 free.")
                .arg(drives_->displayName(row), Format::bytes(drives_->requiredBytes()),
                     Format::bytes(drives_->targetFreeBytes(row)));
    return {};
}

void UsbExportView::updateWriteButton()
{
    const int n = static_cast<int>(drives_->checkedRows().size());
    write_->setText(tr("&Write to %n drive(s)", nullptr, n));
    const QString reason = writeBlockedReason();
    write_->setEnabled(reason.isEmpty());
    write_->setToolTip(reason.isEmpty() ? tr("Write, flush, read back and compare on every ticked drive at once")
                                        : reason);
    bool tooSmall = false;
    for (int row : drives_->checkedRows())
        tooSmall |= !drives_->fits(row);
    reason_->setStyleSheet(tooSmall ? StatusColors::errorStyle() : QString::fromLatin1(kHint));
    reason_->setText(job_ ? QString() : reason);
    bool more = false; // a drive left to tick
    for (int row = 0; row < drives_->rowCount() && !more; ++row)
        more = tickable(row) && !drives_->isChecked(row);
    tickAll_->setEnabled(!job_ && more);
    tickAll_->setVisible(drives_->rowCount() > 0); // nothing to tick: the empty state says what to do
}

QString UsbExportView::stickKey(const atmo::Drive& drive)
{
    // The port's device name is reused by the next stick: its model and size tell most apart.
    return QString::fromStdString(drive.device + '\n' + drive.name + '\n' + std::to_string(drive.sizeBytes));
}

bool UsbExportView::tickable(int row) const
{
    return drives_->isOffered(row) && drives_->fits(row) &&
           !justWritten_.contains(stickKey(drives_->drive(row)));
}

void UsbExportView::tickAllThatFit()
{
    for (int row = 0; row < drives_->rowCount(); ++row)
        if (tickable(row))
            drives_->setChecked(row, true);
}

void UsbExportView::setInputsEnabled(bool enabled)
{
    for (QWidget* w : std::initializer_list<QWidget*>{packageCombo_, openFile_, tierCombo_, table_, eject_})
        w->setEnabled(enabled);
}

void UsbExportView::startWrite()
{
    if (!writeBlockedReason().isEmpty())
        return;
    UsbExportJob::Request request;
    request.package = plan_->file;
    request.tier = chosenTier();
    request.eject = eject_->isChecked();
    request.homeDir = context_.homeDir();
    request.home = context_.home();
    for (int row : drives_->checkedRows())
        request.targets.push_back({drives_->target(row), drives_->displayName(row), drives_->drive(row)});

    qDeleteAll(rows_);
    rows_.clear();
    QWidget* rowsWidget = rowsLayout_->parentWidget();
    written_ = request.targets;
    writtenStates_.assign(request.targets.size(), {});
    for (std::size_t i = 0; i < request.targets.size(); ++i) {
        const auto& t = request.targets[i];
        auto* row = new DriveProgressRow(t.name, t.directory, rowsWidget);
        rowsLayout_->insertWidget(rowsLayout_->count() - 1, row);
        connect(row, &DriveProgressRow::ejectRequested, this, [this, i] { ejectAfterWrite(static_cast<int>(i)); });
        rows_ << row;
    }
    const int count = static_cast<int>(request.targets.size());
    progressBox_->setTitle(tr("Writing"));
    summary_->setStyleSheet({});
    summary_->setText(tr("Writing %1 to %n drive(s)…", nullptr, count).arg(plan_->fileName(request.tier)));
    cancel_->setEnabled(true);
    cancel_->show();
    overall_->setValue(0);
    overall_->setFormat(tr("Starting…"));
    overall_->show();
    progressBox_->show();

    drives_->setPaused(true);
    setInputsEnabled(false);
    auto* job = new UsbExportJob(std::move(request));
    job_ = job;
    connect(job, &UsbExportJob::driveChanged, this, &UsbExportView::onDriveChanged);
    connect(job, &Job::finished, this, &UsbExportView::onFinished);
    context_.runner().start(job);
    updateWriteButton();
    emit titleProgress(job->title());
}

void UsbExportView::cancelWrite()
{
    if (!job_)
        return;
    job_->cancel();
    cancel_->setEnabled(false);
    summary_->setText(tr("Cancelling…"));
}

void UsbExportView::onDriveChanged(int index)
{
    if (!job_ || index < 0 || index >= rows_.size())
        return;
    rows_[index]->update(job_->drive(index));
    showOverall();
}

void UsbExportView::showOverall()
{
    const double f = job_->overallFraction();
    const int value = std::max(overall_->value(), static_cast<int>(1000.0 * f));
    overall_->setValue(value);
    const qint64 left = job_->secondsLeft();
    overall_->setFormat(left > 0 ? tr("%1 % · %2").arg(value / 10).arg(Format::timeLeft(left))
                                 : tr("%1 %").arg(value / 10));
    emit titleProgress(tr("%1 % %2").arg(value / 10).arg(job_->title()));
}

void UsbExportView::ejectAfterWrite(int index)
{
    if (job_ || index < 0 || index >= rows_.size() || static_cast<std::size_t>(index) >= written_.size())
        return;
    const auto& drive = written_[static_cast<std::size_t>(index)].drive;
    if (!drive)
        return;
    UsbExportJob::DriveState& state = writtenStates_[static_cast<std::size_t>(index)];
    state.phase = UsbExportJob::Phase::Ejecting;
    QPointer<DriveProgressRow> row = rows_[index];
    row->update(state);
    // Unmounting and powering off can take seconds: off the GUI thread. A new
    // write replaces the rows; then the answer has nowhere to go.
    Executors::smallIo([d = *drive] { return UdisksEject::eject(d); })
        .then(this, [this, row, index](const atmo::Result<atmo::EjectOutcome>& e) {
            if (!row)
                return;
            UsbExportJob::DriveState& s = writtenStates_[static_cast<std::size_t>(index)];
            s = UsbExportJob::afterEject(s, e);
            row->update(s);
            row->setEjectOffered(s.ejectFailed); // a busy drive can be tried again
        });
}

void UsbExportView::onFinished(bool ok)
{
    UsbExportJob* job = job_;
    job_ = nullptr;
    for (int i = 0; i < rows_.size() && i < job->driveCount(); ++i) {
        const UsbExportJob::DriveState& d = job->drive(i);
        writtenStates_[static_cast<std::size_t>(i)] = d;
        rows_[i]->update(d);
        const auto& drive = written_[static_cast<std::size_t>(i)].drive;
        if (!d.ok)
            continue;
        // Written and verified: unticked, so Write is not armed again on the
        // same sticks; and, when not ejected yet, an Eject button of its own.
        if (drive) {
            const int row = drives_->rowOf(QString::fromStdString(drive->device));
            if (row >= 0) { // an ejected stick may be gone already: the next one there is new
                justWritten_.insert(stickKey(drives_->drive(row)));
                drives_->setChecked(row, false);
            }
        }
        rows_[i]->setEjectOffered(drive.has_value() && d.phase == UsbExportJob::Phase::Verified);
    }
    overall_->hide();
    const int total = job->driveCount();
    const int good = job->succeededCount();
    progressBox_->setTitle(tr("Result"));
    if (ok) {
        summary_->setStyleSheet(QString::fromLatin1(kGood));
        summary_->setText(tr("Written and verified on %n drive(s).", nullptr, total));
    } else if (job->wasCancelled()) {
        summary_->setStyleSheet(StatusColors::errorStyle());
        summary_->setText(tr("Cancelled. No drive was left with a partial file under the package's name."));
    } else {
        summary_->setStyleSheet(StatusColors::errorStyle());
        summary_->setText(good > 0 ? tr("%1 of %2 drives written and verified; see below for the others.")
                                         .arg(good)
                                         .arg(total)
                                   : tr("No drive was written; see below for why."));
    }
    cancel_->hide();
    job->dispose(this);
    setInputsEnabled(true);
    drives_->setPaused(false);
    updateWriteButton();
    emit titleProgress(QString());
}
