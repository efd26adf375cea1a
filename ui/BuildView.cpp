#include "ui/BuildView.h"

#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

#include "app/JobRunner.h"
#include "app/ModelRoles.h"
#include "app/StationContext.h"
#include "core/package/package_store.h"
#include "ui/Icons.h"
#include "ui/PackageWizard.h"
#include "ui/StatusIconProxy.h"

BuildView::BuildView(StationContext& context, QWidget* parent)
    : QWidget(parent), context_(context), model_(new StoredPackageModel(this))
{
    auto* layout = new QVBoxLayout(this);
    auto* header = new QHBoxLayout;
    auto* intro = new QLabel(tr("Build a signed package from a mission folder: pick the files, the tiers and the "
                                "keys, and the builder hashes, signs and writes it."),
                             this);
    intro->setWordWrap(true);
    build_ = new QPushButton(Icons::get(QStringLiteral("build")), tr("&New package…"), this);
    build_->setAccessibleName(tr("Build a new package"));
    build_->setToolTip(tr("Open the package builder (Ctrl+N)"));
    build_->setDefault(true);
    build_->setIconSize(QSize(24, 24));
    build_->setMinimumHeight(40);
    header->addWidget(intro, 1);
    header->addWidget(build_);
    layout->addLayout(header);

    auto* title = new QLabel(tr("Packages on this station"), this);
    QFont bold = title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    title->setFont(bold);
    layout->addWidget(title);
    auto* sort = new QSortFilterProxyModel(this);
    sort->setSourceModel(model_);
    sort->setSortRole(ModelRole::Sort);
    auto* icons = new StatusIconProxy(this);
    icons->setSourceModel(sort);
    table_ = new QTableView(this);
    table_->setModel(icons);
    table_->setAccessibleName(tr("Packages on this station"));
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->setTextElideMode(Qt::ElideMiddle);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->setHighlightSections(false);
    table_->setSortingEnabled(true);
    table_->sortByColumn(StoredPackageModel::AddedColumn, Qt::DescendingOrder); // newest first
    layout->addWidget(table_, 1);
    empty_ = new QLabel(tr("No packages yet. Press “New package…” to build the first one."), this);
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setStyleSheet(QStringLiteral("color:#5f6b76;padding:24px"));
    layout->addWidget(empty_);

    auto* actions = new QHBoxLayout;
    verify_ = new QPushButton(Icons::get(QStringLiteral("verify")), tr("&Verify selected"), this);
    verify_->setAccessibleName(tr("Verify the selected package"));
    openFolder_ = new QPushButton(Icons::get(QStringLiteral("folder")), tr("Open &folder"), this);
    openFolder_->setAccessibleName(tr("Open the folder of the selected package"));
    actions->addWidget(verify_);
    actions->addWidget(openFolder_);
    actions->addStretch(1);
    layout->addLayout(actions);

    connect(build_, &QPushButton::clicked, this, &BuildView::openWizard);
    connect(verify_, &QPushButton::clicked, this, [this] {
        if (const QString f = selectedFile(); !f.isEmpty())
            emit verifyRequested(f);
    });
    connect(table_, &QTableView::doubleClicked, this, [this] {
        if (const QString f = selectedFile(); !f.isEmpty())
            emit verifyRequested(f);
    });
    connect(openFolder_, &QPushButton::clicked, this, [this] {
        if (const QString f = selectedFile(); !f.isEmpty())
            QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(f).absolutePath()));
    });
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BuildView::updateButtons);
    connect(&context_.runner(), &JobRunner::jobFinished, this, [this] {
        if (isVisible())
            reload();
    });
    reload();
}

PackageWizard* BuildView::wizard() const { return wizard_; }

void BuildView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
}

void BuildView::reload()
{
    const QString selected = selectedFile();
    model_->reload(atmo::PackageStore(context_.home().storeIndex()));
    table_->resizeColumnsToContents();
    if (!selected.isEmpty()) {
        const QAbstractItemModel* shown = table_->model();
        for (int row = 0; row < shown->rowCount(); ++row)
            if (shown->index(row, 0).data(ModelRole::Path).toString() == selected) {
                table_->selectRow(row);
                break;
            }
    }
    const bool any = model_->rowCount() > 0;
    table_->setVisible(any);
    empty_->setVisible(!any);
    updateButtons();
}

QString BuildView::selectedFile() const
{
    const QModelIndexList rows = table_->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ModelRole::Path).toString();
}

void BuildView::updateButtons()
{
    const bool selected = !selectedFile().isEmpty();
    verify_->setEnabled(selected);
    openFolder_->setEnabled(selected);
}

PackageWizard* BuildView::openWizard()
{
    if (wizard_) {
        wizard_->raise();
        wizard_->activateWindow();
        return wizard_;
    }
    auto* wizard = new PackageWizard(context_, window());
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &PackageWizard::verifyRequested, this, &BuildView::verifyRequested);
    connect(wizard, &PackageWizard::exportRequested, this, &BuildView::exportRequested);
    connect(wizard, &PackageWizard::packagesBuilt, this, &BuildView::reload);
    connect(wizard, &PackageWizard::titleProgress, this, &BuildView::titleProgress);
    connect(wizard, &QWizard::finished, this, [this] { emit titleProgress(QString()); });
    wizard_ = wizard;
    wizard->show();
    return wizard;
}
