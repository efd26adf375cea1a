#include "ui/PeerPackagesView.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <memory>

#include "app/Format.h"
#include "app/QtStrings.h"
#include "app/mesh/DownloadManager.h"
#include "app/mesh/PeerPackages.h"
#include "ui/Icons.h"
#include "ui/StatusColors.h"

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kVersionRole = Qt::UserRole + 2;
constexpr int kTierRole = Qt::UserRole + 3; // -1: the full package
constexpr int kFromRole = Qt::UserRole + 4; // a delta's base version; empty for the others
constexpr int kFull = -1;

const PeerPackageFile* fileOf(const PeerPackage& p, int tier, const QString& from)
{
    const std::optional<int> t = tier == kFull ? std::nullopt : std::optional<int>(tier);
    if (from.isEmpty())
        return p.file(t);
    atmo::PackageFileOffer named;
    named.tier = t;
    named.deltaFrom = s(from);
    return p.delta(named);
}

const PeerPackageFile* fileOf(const PeerPackage& p, const QTreeWidgetItem* item)
{
    return fileOf(p, item->data(0, kTierRole).toInt(), item->data(0, kFromRole).toString());
}

bool sameRow(const QTreeWidgetItem* a, const QTreeWidgetItem* b)
{
    for (int role : {kIdRole, kVersionRole, kTierRole, kFromRole})
        if (a->data(0, role) != b->data(0, role))
            return false;
    return true;
}
} // namespace

PeerPackagesView::PeerPackagesView(PeerPackages& packages, DownloadManager& downloads, QString downloadsDir,
                                   QWidget* parent)
    : QWidget(parent), packages_(packages), downloads_(downloads), downloadsDir_(std::move(downloadsDir))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    stack_ = new QStackedWidget(this);
    tree_ = new QTreeWidget(stack_);
    tree_->setAccessibleName(tr("Packages offered by peers"));
    tree_->setColumnCount(ColumnCount);
    tree_->setHeaderLabels({tr("Package"), tr("Version"), tr("Tiers"), tr("Size"), tr("Peers"), tr("Here")});
    tree_->setSelectionMode(QAbstractItemView::SingleSelection);
    tree_->setAlternatingRowColors(true);
    tree_->setTextElideMode(Qt::ElideMiddle);
    tree_->setUniformRowHeights(true);
    tree_->header()->setStretchLastSection(true);
    tree_->header()->setSectionResizeMode(PackageColumn, QHeaderView::Interactive);
    tree_->setColumnWidth(PackageColumn, 300);
    empty_ = new QLabel(stack_);
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setWordWrap(true);
    empty_->setStyleSheet(QStringLiteral("color:#5b6670;padding:24px"));
    stack_->addWidget(tree_);
    stack_->addWidget(empty_);
    layout->addWidget(stack_, 1);

    problems_ = new QLabel(this);
    problems_->setWordWrap(true);
    problems_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    problems_->setStyleSheet(StatusColors::warningStyle());
    problems_->setAccessibleName(tr("Peers that could not be asked"));
    problems_->hide();
    layout->addWidget(problems_);

    auto* buttons = new QHBoxLayout;
    download_ = new QPushButton(style()->standardIcon(QStyle::SP_ArrowDown), tr("Do&wnload"), this);
    download_->setAccessibleName(tr("Download package"));
    download_->setToolTip(tr("Download the chosen package or tier; open it in Import & Verify when it is done."));
    install_ = new QPushButton(Icons::get(QStringLiteral("install")), tr("Download and &install"), this);
    install_->setAccessibleName(tr("Download and install package"));
    install_->setToolTip(tr("Download, verify in Import & Verify, and install once it checks out."));
    open_ = new QPushButton(Icons::get(QStringLiteral("verify")), tr("&Open in Import && Verify"), this);
    open_->setAccessibleName(tr("Open downloaded package"));
    reason_ = new QLabel(this);
    reason_->setAccessibleName(tr("Package download status"));
    reason_->setStyleSheet(QStringLiteral("color:#5b6670"));
    reason_->setWordWrap(true);
    reason_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    buttons->addWidget(download_);
    buttons->addWidget(install_);
    buttons->addWidget(open_);
    buttons->addWidget(reason_, 1);
    layout->addLayout(buttons);

    connect(download_, &QPushButton::clicked, this, [this] { download(false); });
    connect(install_, &QPushButton::clicked, this, [this] { download(true); });
    connect(open_, &QPushButton::clicked, this, &PeerPackagesView::openChosen);
    connect(tree_, &QTreeWidget::currentItemChanged, this, &PeerPackagesView::updateButtons);
    connect(tree_, &QTreeWidget::itemActivated, this, [this] {
        // Enter or a double click: the obvious next step for that row.
        if (open_->isEnabled())
            openChosen();
        else if (download_->isEnabled())
            download(false);
    });
    connect(&packages_, &PeerPackages::changed, this, &PeerPackagesView::rebuild);
    connect(&packages_, &PeerPackages::idle, this, &PeerPackagesView::rebuild);
    connect(&downloads_, &DownloadManager::itemAdded, this, &PeerPackagesView::updateStatus);
    connect(&downloads_, &DownloadManager::itemChanged, this, &PeerPackagesView::updateStatus);
    connect(&downloads_, &DownloadManager::itemRemoved, this, &PeerPackagesView::updateStatus);
    rebuild();
}

QString PeerPackagesView::pathOf(const PeerPackage& package, const PeerPackageFile& file) const
{
    return QDir(downloadsDir_).filePath(q(PeerPackages::specFor(package, file).fileName));
}

QString PeerPackagesView::keyOf(const PeerPackage& package, const PeerPackageFile& file) const
{
    return q(PeerPackages::specFor(package, file).key);
}

PeerPackagesView::Choice PeerPackagesView::chosen() const
{
    const QTreeWidgetItem* item = tree_->currentItem();
    if (!item)
        return {};
    const PeerPackage* p = packages_.find(item->data(0, kIdRole).toString(), item->data(0, kVersionRole).toString());
    if (!p)
        return {};
    return {p, fileOf(*p, item)};
}

bool PeerPackagesView::select(const QString& id, const QString& version, std::optional<int> tier)
{
    for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
        QTreeWidgetItem* top = tree_->topLevelItem(i);
        if (top->data(0, kIdRole).toString() != id || top->data(0, kVersionRole).toString() != version)
            continue;
        if (!tier) {
            tree_->setCurrentItem(top);
            return true;
        }
        for (int c = 0; c < top->childCount(); ++c)
            if (top->child(c)->data(0, kTierRole).toInt() == *tier && top->child(c)->data(0, kFromRole).toString().isEmpty()) {
                tree_->setCurrentItem(top->child(c));
                return true;
            }
    }
    return false;
}

void PeerPackagesView::fill(QTreeWidgetItem* item, const PeerPackage& p, const PeerPackageFile* file)
{
    const bool packageRow = item->parent() == nullptr;
    const int tier = file && file->file.tier ? *file->file.tier : kFull;
    item->setData(0, kIdRole, q(p.offer.id));
    item->setData(0, kVersionRole, q(p.offer.version));
    item->setData(0, kTierRole, tier);
    item->setData(0, kFromRole, file && !packageRow ? q(file->file.deltaFrom) : QString());
    if (packageRow) {
        item->setText(PackageColumn, p.title());
        item->setIcon(PackageColumn, Icons::get(QStringLiteral("package")));
        item->setToolTip(PackageColumn, tr("%1, version %2, created %3")
                                            .arg(q(p.offer.id), q(p.offer.version), Format::timestamp(p.offer.created)));
        item->setText(VersionColumn, q(p.offer.version));
        item->setText(TiersColumn, Format::tiers(p.offer.tiers));
    } else if (file->file.isDelta()) {
        const QString from = q(file->file.deltaFrom);
        item->setText(PackageColumn, tier == kFull ? tr("Delta update from %1").arg(from)
                                                   : tr("Delta update from %1, %2 only").arg(from, Format::tier(tier)));
        item->setToolTip(PackageColumn, q(file->file.fileName) + '\n' +
                                            tr("Only what changed since %1. It installs onto %1 exactly as it was "
                                               "signed; Import & Verify checks that base first.")
                                                .arg(from));
        item->setIcon(PackageColumn, Icons::get(QStringLiteral("refresh")));
        item->setText(TiersColumn, tier == kFull ? Format::tiers(p.offer.tiers) : Format::tier(tier));
    } else {
        item->setText(PackageColumn, tier == kFull ? tr("Full package") : tr("%1 only").arg(Format::tier(tier)));
        item->setToolTip(PackageColumn, q(file->file.fileName));
        item->setText(TiersColumn, tier == kFull ? Format::tiers(p.offer.tiers) : Format::tier(tier));
    }
    if (!file) {
        item->setText(SizeColumn, QString());
        item->setText(PeersColumn, QString());
        return;
    }
    item->setText(SizeColumn, Format::bytes(file->file.sizeBytes));
    item->setTextAlignment(SizeColumn, Qt::AlignRight | Qt::AlignVCenter);
    QStringList endpoints;
    for (const DownloadSource& src : file->sources)
        endpoints << src.endpoint;
    QString peers = QString::number(file->sources.size());
    QString tip = endpoints.join('\n');
    if (!file->conflicts.isEmpty()) {
        peers = tr("%1 (+%n with other bytes)", nullptr, int(file->conflicts.size())).arg(file->sources.size());
        tip += '\n' + tr("Offering other bytes under this name, never used:") + '\n' + file->conflicts.join('\n');
        item->setForeground(PeersColumn, StatusColors::error());
    }
    item->setText(PeersColumn, peers);
    item->setToolTip(PeersColumn, tip.trimmed());
}

void PeerPackagesView::rebuild()
{
    // Keep the chosen row and the collapsed ones across refreshes.
    std::unique_ptr<QTreeWidgetItem> current;
    bool curChild = false;
    if (const QTreeWidgetItem* cur = tree_->currentItem()) {
        current.reset(cur->clone());
        curChild = cur->parent() != nullptr;
    }
    QSet<QString> collapsed;
    for (int i = 0; i < tree_->topLevelItemCount(); ++i)
        if (!tree_->topLevelItem(i)->isExpanded())
            collapsed << tree_->topLevelItem(i)->data(0, kIdRole).toString() + '\n' +
                             tree_->topLevelItem(i)->data(0, kVersionRole).toString();

    const QSignalBlocker block(tree_);
    tree_->clear();
    QTreeWidgetItem* restore = nullptr;
    for (const PeerPackage& p : packages_.packages()) {
        auto* top = new QTreeWidgetItem(tree_);
        fill(top, p, p.full());
        for (const auto* list : {&p.files, &p.deltas})
            for (const PeerPackageFile& f : *list) {
                auto* child = new QTreeWidgetItem(top);
                fill(child, p, &f);
                if (curChild && sameRow(child, current.get()))
                    restore = child;
            }
        const QString key = q(p.offer.id) + '\n' + q(p.offer.version);
        top->setExpanded(!collapsed.contains(key));
        if (current && !curChild && top->data(0, kIdRole) == current->data(0, kIdRole) &&
            top->data(0, kVersionRole) == current->data(0, kVersionRole))
            restore = top;
    }
    if (!restore && tree_->topLevelItemCount() > 0)
        restore = tree_->topLevelItem(0);
    tree_->setCurrentItem(restore);
    for (int c = VersionColumn; c < StatusColumn; ++c)
        tree_->resizeColumnToContents(c);

    if (packages_.packages().empty()) {
        empty_->setText(packages_.busy() ? tr("Asking the peers which packages they offer…")
                                         : tr("No peer offers packages. Stations share the packages in their store "
                                              "while they serve the mesh; model bridges offer none."));
        stack_->setCurrentWidget(empty_);
    } else {
        stack_->setCurrentWidget(tree_);
    }
    const QStringList errors = packages_.errors();
    problems_->setText(errors.isEmpty() ? QString()
                                        : tr("Could not ask %n peer(s): %1", nullptr, int(errors.size()))
                                              .arg(errors.join(QStringLiteral("; "))));
    problems_->setVisible(!errors.isEmpty());
    updateStatus();
}

void PeerPackagesView::updateStatus()
{
    auto status = [this](QTreeWidgetItem* item) {
        const PeerPackage* p =
            packages_.find(item->data(0, kIdRole).toString(), item->data(0, kVersionRole).toString());
        const PeerPackageFile* f = p ? fileOf(*p, item) : nullptr;
        QString text, tip;
        QColor colour;
        if (f) {
            const QString key = keyOf(*p, *f);
            const DownloadManager::Item* latest = nullptr;
            for (int row = downloads_.count() - 1; row >= 0 && !latest; --row)
                if (downloads_.item(row).kind == DownloadManager::Kind::Package && downloads_.item(row).key == key)
                    latest = &downloads_.item(row);
            const bool here = QFileInfo::exists(pathOf(*p, *f));
            using S = atmo::TransferState;
            if (latest && latest->state == S::Queued) {
                text = tr("Queued");
            } else if (latest && latest->state == S::Active) {
                text = tr("Downloading %1 %").arg(static_cast<int>(latest->progress.percent));
            } else if (latest && latest->state == S::Paused) {
                text = tr("Paused at %1 %").arg(static_cast<int>(latest->progress.percent));
            } else if (here) {
                text = tr("Downloaded");
                tip = QDir::toNativeSeparators(pathOf(*p, *f));
                colour = StatusColors::success();
            } else if (latest && latest->state == S::Failed) {
                text = tr("Failed");
                // The sentence in the window's language, core's English line below it.
                const QString said = latest->errorNote.text();
                tip = said.isEmpty() || said == latest->error ? latest->error : said + QLatin1Char('\n') + latest->error;
                colour = StatusColors::error();
            }
        }
        item->setText(StatusColumn, text);
        item->setToolTip(StatusColumn, tip);
        item->setForeground(StatusColumn, colour.isValid() ? QBrush(colour) : QBrush());
    };
    for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
        QTreeWidgetItem* top = tree_->topLevelItem(i);
        status(top);
        for (int c = 0; c < top->childCount(); ++c)
            status(top->child(c));
    }
    updateButtons();
}

QString PeerPackagesView::downloadBlockedReason() const
{
    const Choice c = chosen();
    if (!c.package)
        return tr("Choose a package or one of its tiers.");
    if (!c.file)
        return tr("No peer offers the full package; choose one of the rows below it.");
    if (QFileInfo::exists(pathOf(*c.package, *c.file)))
        return tr("Already downloaded: %1").arg(QDir::toNativeSeparators(pathOf(*c.package, *c.file)));
    const QString key = keyOf(*c.package, *c.file);
    for (int row = 0; row < downloads_.count(); ++row) {
        const DownloadManager::Item& item = downloads_.item(row);
        if (item.kind == DownloadManager::Kind::Package && item.key == key && !atmo::isFinished(item.state))
            return tr("Already in the downloads below.");
    }
    if (c.file->sources.empty())
        return tr("No peer offers these bytes any more.");
    return {};
}

void PeerPackagesView::updateButtons()
{
    const Choice c = chosen();
    const QString blocked = downloadBlockedReason();
    const bool here = c.file && QFileInfo::exists(pathOf(*c.package, *c.file));
    download_->setEnabled(blocked.isEmpty());
    // Downloaded already: "Download and install" goes straight to Import & Verify.
    install_->setEnabled(blocked.isEmpty() || here);
    open_->setEnabled(here);
    QString text = blocked;
    if (blocked.isEmpty()) {
        QStringList names;
        for (const DownloadSource& src : c.file->sources)
            names << src.endpoint;
        text = tr("%1 from %2").arg(Format::bytes(c.file->file.sizeBytes), names.join(QStringLiteral(", ")));
    }
    reason_->setText(text);
    reason_->setToolTip(text);
}

void PeerPackagesView::download(bool install)
{
    const Choice c = chosen();
    if (!c.file)
        return;
    const QString path = pathOf(*c.package, *c.file);
    if (QFileInfo::exists(path)) {
        if (install)
            emit openRequested(path, true);
        return;
    }
    if (!downloadBlockedReason().isEmpty())
        return;
    QString title = c.file->file.tier
                        ? QStringLiteral("%1 (%2)").arg(c.package->title(), Format::tier(*c.file->file.tier))
                        : c.package->title();
    if (c.file->file.isDelta())
        title += ' ' + tr("(delta from %1)").arg(q(c.file->file.deltaFrom));
    downloads_.addPackageFile(title, PeerPackages::specFor(*c.package, *c.file), c.file->sources, install);
    updateStatus();
}

void PeerPackagesView::openChosen()
{
    const Choice c = chosen();
    if (c.file && QFileInfo::exists(pathOf(*c.package, *c.file)))
        emit openRequested(pathOf(*c.package, *c.file), false);
}
