#include "ui/MeshView.h"

#include <QComboBox>
#include <QDir>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QAbstractProxyModel>
#include <QAbstractItemModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QShortcut>
#include <QTableView>
#include <QStyle>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

#include "app/Format.h"
#include "app/mesh/CatalogFilterModel.h"
#include "app/mesh/DownloadListModel.h"
#include "app/mesh/DownloadManager.h"
#include "app/mesh/MeshCatalogModel.h"
#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerListModel.h"
#include "app/mesh/PeerPackages.h"
#include "ui/DownloadsPanel.h"
#include "ui/ElidedLabel.h"
#include "ui/Icons.h"
#include "ui/PeerPackagesView.h"
#include "ui/StatusColors.h"
#include "ui/StatusIconProxy.h"

namespace {

QTableView* makeMeshTable(const QString& name, QWidget* parent)
{
    auto* view = new QTableView(parent);
    view->setAccessibleName(name);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Tab leaves the table (arrows move within it): it no longer traps the
    // keyboard cell by cell.
    view->setTabKeyNavigation(false);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideMiddle);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
    return view;
}

QComboBox* makeFilter(const QString& name, QWidget* parent)
{
    auto* box = new QComboBox(parent);
    box->setAccessibleName(name);
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return box;
}

// Refills a filter's choices, keeping the current one when it still exists.
void setChoices(QComboBox* box, const QString& allText, const QStringList& values)
{
    const QString current = box->currentData().toString();
    QSignalBlocker block(box);
    box->clear();
    box->addItem(allText, QString());
    for (const QString& v : values)
        box->addItem(v, v);
    const int keep = box->findData(current);
    box->setCurrentIndex(keep >= 0 ? keep : 0);
}

QString row(const QString& label, const QString& value)
{
    return QStringLiteral("<tr><td style='color:#5b6670;padding-right:12px;white-space:nowrap'>%1</td>"
                          "<td>%2</td></tr>")
        .arg(label.toHtmlEscaped(), value);
}

} // namespace

MeshView::MeshView(PeerDirectory& directory, QWidget* parent)
    : QWidget(parent),
      directory_(directory),
      peers_(new PeerListModel(&directory, this)),
      catalog_(new MeshCatalogModel(this)),
      filter_(new CatalogFilterModel(this))
{
    auto* layout = new QVBoxLayout(this);

    station_ = new QLabel(this);
    station_->setWordWrap(true);
    station_->setAccessibleName(tr("This station on the mesh"));
    station_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    station_->hide();
    stationWarning_ = new QLabel(this);
    stationWarning_->setWordWrap(true);
    stationWarning_->setAccessibleName(tr("Problem with this station on the mesh"));
    stationWarning_->setStyleSheet(StatusColors::warningStyle());
    stationWarning_->hide();
    invite_ = new QPushButton(tr("Invite a device…"), this);
    invite_->setToolTip(tr("A join link and QR code that let a device into this station's mesh"));
    invite_->hide();
    connect(invite_, &QPushButton::clicked, this, &MeshView::inviteRequested);
    auto* stationRow = new QHBoxLayout;
    auto* stationLines = new QVBoxLayout;
    stationLines->setSpacing(2);
    stationLines->addWidget(station_);
    stationLines->addWidget(stationWarning_);
    stationRow->addLayout(stationLines, 1);
    stationRow->addWidget(invite_, 0, Qt::AlignTop);
    layout->addLayout(stationRow);

    // The mesh on the relay: joined or not, and the nodes there, live.
    relay_ = new QLabel(this);
    relay_->setWordWrap(true);
    relay_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    relay_->setAccessibleName(tr("This station on the relay"));
    relay_->hide();
    relayButton_ = new QPushButton(this);
    relayButton_->hide();
    connect(relayButton_, &QPushButton::clicked, this, [this] {
        switch (relayAction_) {
        case RelayAction::Join:
            return emit joinRelayRequested();
        case RelayAction::Leave:
            return emit leaveRelayRequested();
        case RelayAction::Reconnect:
            return emit reconnectRelayRequested();
        }
    });
    auto* relayRow = new QHBoxLayout;
    relayRow->addWidget(relay_, 1);
    relayRow->addWidget(relayButton_, 0, Qt::AlignTop);
    layout->addLayout(relayRow);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter_ = splitter;
    layout->addWidget(splitter, 1);

    // Peers.
    auto* peersBox = new QGroupBox(tr("Peers"), splitter);
    auto* peersLayout = new QVBoxLayout(peersBox);
    peerTable_ = makeMeshTable(tr("Peers"), peersBox);
    auto* peerIcons = new StatusIconProxy(peersBox);
    peerIcons->setSourceModel(peers_);
    peerTable_->setModel(peerIcons);
    peersLayout->addWidget(peerTable_);
    auto* addRow = new QHBoxLayout;
    address_ = new QLineEdit(peersBox);
    address_->setPlaceholderText(tr("http://host:14345"));
    address_->setAccessibleName(tr("Peer address"));
    address_->setClearButtonEnabled(true);
    add_ = new QPushButton(Icons::get(QStringLiteral("add")), tr("&Add peer"), peersBox);
    auto* refresh = new QPushButton(Icons::get(QStringLiteral("refresh")), tr("&Refresh"), peersBox);
    refresh->setAccessibleName(tr("Ask every peer again"));
    forget_ = new QPushButton(Icons::get(QStringLiteral("remove")), tr("F&orget peer"), peersBox);
    forget_->setAccessibleName(tr("Forget the chosen peer"));
    forget_->setToolTip(tr("Remove the chosen peer added by hand or remembered; it is not asked again"));
    forget_->setEnabled(false);
    addRow->addWidget(new QLabel(tr("Add a peer by address:"), peersBox));
    addRow->addWidget(address_, 1);
    addRow->addWidget(add_);
    addRow->addSpacing(12);
    addRow->addWidget(refresh);
    addRow->addWidget(forget_);
    peersLayout->addLayout(addRow);
    addError_ = new QLabel(peersBox);
    addError_->setStyleSheet(StatusColors::errorStyle());
    addError_->hide();
    peersLayout->addWidget(addError_);
    splitter->addWidget(peersBox);

    // Catalog, and (with downloads) the packages, in tabs.
    tabs_ = new QTabWidget(splitter);
    tabs_->setAccessibleName(tr("What peers offer"));
    tabs_->setTabBarAutoHide(true); // a bare view has only the models
    tabs_->setDocumentMode(true);
    auto* catalogBox = new QWidget(tabs_);
    auto* catalogLayout = new QVBoxLayout(catalogBox);
    catalogLayout->setContentsMargins(0, 6, 0, 0);
    auto* filters = new QHBoxLayout;
    search_ = new QLineEdit(catalogBox);
    search_->setPlaceholderText(tr("Search models, capabilities, classes…"));
    search_->setAccessibleName(tr("Search models"));
    search_->setClearButtonEnabled(true);
    type_ = makeFilter(tr("Type"), catalogBox);
    format_ = makeFilter(tr("Format"), catalogBox);
    capability_ = makeFilter(tr("Capability"), catalogBox);
    filters->addWidget(search_, 1);
    filters->addWidget(type_);
    filters->addWidget(format_);
    filters->addWidget(capability_);
    catalogLayout->addLayout(filters);

    auto* catalogSplit = new QSplitter(Qt::Horizontal, catalogBox);
    catalogStack_ = new QStackedWidget(catalogSplit);
    catalogTable_ = makeMeshTable(tr("Models"), catalogStack_);
    filter_->setSourceModel(catalog_);
    auto* catalogIcons = new StatusIconProxy(catalogStack_);
    catalogIcons->setSourceModel(filter_);
    catalogTable_->setModel(catalogIcons);
    catalogTable_->setSortingEnabled(true);
    catalogTable_->sortByColumn(MeshCatalogModel::NameColumn, Qt::AscendingOrder);
    emptyCatalog_ = new QLabel(catalogStack_);
    emptyCatalog_->setAlignment(Qt::AlignCenter);
    emptyCatalog_->setWordWrap(true);
    emptyCatalog_->setStyleSheet(QStringLiteral("color:#5b6670;padding:24px"));
    catalogStack_->addWidget(catalogTable_);
    catalogStack_->addWidget(emptyCatalog_);
    details_ = new QTextBrowser(catalogSplit);
    details_->setAccessibleName(tr("Model details"));
    details_->setOpenLinks(false);
    catalogSplit->addWidget(catalogStack_);
    catalogSplit->addWidget(details_);
    catalogSplit->setStretchFactor(0, 3);
    catalogSplit->setStretchFactor(1, 2);
    catalogLayout->addWidget(catalogSplit, 1);
    auto* actions = new QHBoxLayout;
    download_ = new QPushButton(style()->standardIcon(QStyle::SP_ArrowDown), tr("&Download"), catalogBox);
    download_->setAccessibleName(tr("Download model"));
    download_->setToolTip(tr("Download the chosen model into this station's library, verified."));
    download_->hide();
    downloadReason_ = new ElidedLabel(catalogBox, Qt::ElideRight);
    downloadReason_->setAccessibleName(tr("Model download status"));
    downloadReason_->setStyleSheet(QStringLiteral("color:#5b6670"));
    downloadReason_->hide();
    counts_ = new QLabel(catalogBox);
    counts_->setAccessibleName(tr("Models shown"));
    actions->addWidget(download_);
    actions->addWidget(downloadReason_, 1);
    actions->addWidget(counts_);
    catalogLayout->addLayout(actions);
    tabs_->addTab(catalogBox, tr("Models"));
    splitter->addWidget(tabs_);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);

    // A burst of catalog arrivals (a dozen peers answering at once) becomes
    // one merge.
    coalesce_ = new QTimer(this);
    coalesce_->setSingleShot(true);
    coalesce_->setInterval(100);
    connect(coalesce_, &QTimer::timeout, this, &MeshView::refreshCatalog);
    connect(&directory_, &PeerDirectory::catalogChanged, coalesce_, qOverload<>(&QTimer::start));
    connect(&directory_, &PeerDirectory::peerAdded, this, &MeshView::updateCounts);
    connect(&directory_, &PeerDirectory::peerChanged, peerTable_, [this] { peerTable_->resizeColumnsToContents(); });
    connect(&directory_, &PeerDirectory::peerRemoved, this, &MeshView::updateCounts);

    connect(search_, &QLineEdit::textChanged, this, &MeshView::applyFilter);
    for (QComboBox* box : {type_, format_, capability_})
        connect(box, &QComboBox::currentIndexChanged, this, &MeshView::applyFilter);
    connect(catalog_, &MeshCatalogModel::choicesChanged, this, &MeshView::updateChoices);
    connect(catalogTable_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MeshView::updateDetails);
    connect(catalogTable_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MeshView::updateDownloadButton);
    connect(catalog_, &QAbstractItemModel::dataChanged, this, &MeshView::updateDetails);
    connect(download_, &QPushButton::clicked, this, &MeshView::downloadSelected);
    // The keyboard: Ctrl+F searches, Enter downloads the selected model (or,
    // in the search box, the only match), Enter or a double click on a row
    // downloads that row.
    auto* find = new QShortcut(QKeySequence::Find, this, [this] {
        search_->setFocus(Qt::ShortcutFocusReason);
        search_->selectAll();
    });
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(search_, &QLineEdit::returnPressed, this, [this] {
        if (filter_->rowCount() == 1)
            selectModel(filter_->index(0, 0).data(MeshCatalogModel::ModelIdRole).toString());
        if (catalogTable_->currentIndex().isValid())
            downloadSelected();
    });
    connect(catalogTable_, &QAbstractItemView::activated, this, [this] { downloadSelected(); });
    auto add = [this] {
        QString error;
        addError_->hide();
        if (addPeer(address_->text(), &error)) {
            address_->clear();
        } else {
            addError_->setText(error);
            addError_->show();
        }
    };
    connect(add_, &QPushButton::clicked, this, add);
    connect(address_, &QLineEdit::returnPressed, this, add);
    connect(refresh, &QPushButton::clicked, &directory_, &PeerDirectory::refreshAll);
    connect(forget_, &QPushButton::clicked, this, &MeshView::forgetSelectedPeer);
    connect(peerTable_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MeshView::updateForgetButton);
    connect(&directory_, &PeerDirectory::peerChanged, this, &MeshView::updateForgetButton);
    connect(&directory_, &PeerDirectory::peerRemoved, this, &MeshView::updateForgetButton);

    updateChoices();
    refreshCatalog();
}

void MeshView::setStationStatus(const QString& text, const QString& warning, const QString& detail)
{
    station_->setText(text);
    station_->setVisible(!text.isEmpty());
    stationWarning_->setText(warning);
    stationWarning_->setToolTip(detail);
    stationWarning_->setVisible(!warning.isEmpty());
}

void MeshView::setRelayStatus(const QString& text, bool problem, RelayAction action)
{
    relay_->setText(text);
    relay_->setStyleSheet(problem ? StatusColors::errorStyle() : QString());
    relay_->setVisible(!text.isEmpty());
    relayAction_ = action;
    switch (action) {
    case RelayAction::Join:
        relayButton_->setText(tr("&Join a mesh on a relay…"));
        relayButton_->setToolTip(tr("Join with an invite or a join token, or register this station's mesh as its "
                                    "founder, so devices on other networks can reach it"));
        break;
    case RelayAction::Leave:
        relayButton_->setText(tr("&Leave the relay mesh…"));
        relayButton_->setToolTip(tr("Disconnect from the relay and forget the membership (and its join token)"));
        break;
    case RelayAction::Reconnect:
        relayButton_->setText(tr("Re&connect"));
        relayButton_->setToolTip(tr("Take the link to the relay back for the window"));
        break;
    }
    relayButton_->show();
}

void MeshView::setInviteAvailable(bool available, const QString& reason)
{
    invite_->setVisible(true);
    invite_->setEnabled(available);
    invite_->setToolTip(available ? tr("A join link and QR code that let a device into this station's mesh") : reason);
}

void MeshView::refreshCatalog()
{
    const bool wasEmpty = catalog_->rowCount() == 0;
    catalog_->setEntries(directory_.merged());
    if (wasEmpty && catalog_->rowCount() > 0) {
        // Size the columns once, on the first rows; after that the user's widths stay.
        catalogTable_->horizontalHeader()->setResizeContentsPrecision(200);
        catalogTable_->resizeColumnsToContents();
    }
    updateCounts();
    updateDetails();
    updateDownloadButton();
}

void MeshView::applyFilter()
{
    atmo::CatalogFilter f;
    f.search = search_->text().toStdString();
    f.type = type_->currentData().toString().toStdString();
    f.format = format_->currentData().toString().toStdString();
    f.capability = capability_->currentData().toString().toStdString();
    filter_->setFilter(f);
    updateCounts();
}

void MeshView::updateChoices()
{
    setChoices(type_, tr("All types"), catalog_->types());
    setChoices(format_, tr("All formats"), catalog_->formats());
    setChoices(capability_, tr("All capabilities"), catalog_->capabilities());
}

void MeshView::updateCounts()
{
    const int total = catalog_->rowCount();
    const int shown = filter_->rowCount();
    counts_->setText(shown == total ? tr("%n model(s)", nullptr, total)
                                    : tr("%1 of %n model(s) match", nullptr, total).arg(shown));
    if (total == 0) {
        emptyCatalog_->setText(directory_.peerCount() == 0
                                   ? tr("No peers yet. Peers on this network appear here by themselves (mDNS); "
                                        "add one by its address above.")
                                   : tr("The peers found so far offer no models."));
        catalogStack_->setCurrentWidget(emptyCatalog_);
    } else if (shown == 0) {
        emptyCatalog_->setText(tr("No model matches the search and filters."));
        catalogStack_->setCurrentWidget(emptyCatalog_);
    } else {
        catalogStack_->setCurrentWidget(catalogTable_);
    }
}

QString MeshView::peerName(const std::string& nodeKey) const
{
    const QString key = QString::fromStdString(nodeKey);
    for (int r = 0; r < directory_.peerCount(); ++r)
        if (directory_.peer(r).catalogKey() == key)
            return directory_.peer(r).name + QStringLiteral(" (") + directory_.peer(r).endpoint + ')';
    return key;
}

void MeshView::selectModel(const QString& modelId)
{
    const int sourceRow = catalog_->rowOf(modelId);
    if (sourceRow < 0)
        return;
    const QModelIndex proxyIndex = filter_->mapFromSource(catalog_->index(sourceRow, 0));
    if (!proxyIndex.isValid())
        return;
    auto* icons = static_cast<QAbstractProxyModel*>(catalogTable_->model());
    catalogTable_->setCurrentIndex(icons->mapFromSource(proxyIndex));
}

void MeshView::updateDetails()
{
    const QModelIndex current = catalogTable_->currentIndex();
    const QString modelId = current.data(MeshCatalogModel::ModelIdRole).toString();
    const int sourceRow = modelId.isEmpty() ? -1 : catalog_->rowOf(modelId);
    if (sourceRow < 0) {
        details_->setHtml(QStringLiteral("<p style='color:#5b6670'>%1</p>")
                              .arg(tr("Select a model to see its details and which peers have it.")));
        return;
    }
    const atmo::MergedEntry& m = catalog_->entry(sourceRow);
    const atmo::CatalogEntry& e = m.entry;
    auto text = [](const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); };
    QString html = QStringLiteral("<h3>%1</h3><table>").arg(text(e.name.empty() ? e.modelId : e.name));
    html += row(tr("Model id"), text(e.modelId));
    html += row(tr("Type"), text(e.type));
    html += row(tr("Format"), text(e.format));
    html += row(tr("Size"), Format::bytes(e.sizeBytes).toHtmlEscaped());
    html += row(tr("Version"), text(e.version));
    if (!e.baseModel.empty())
        html += row(tr("Base model"), text(e.baseModel));
    if (e.contextLength)
        html += row(tr("Context length"), QString::number(*e.contextLength));
    if (!e.source.empty())
        html += row(tr("Source"), text(e.source) + (e.sourceRef.empty() ? QString() : " · " + text(e.sourceRef)));
    if (!e.capabilities.empty()) {
        QStringList caps;
        for (const auto& c : e.capabilities)
            caps << text(c);
        html += row(tr("Capabilities"), caps.join(QStringLiteral(", ")));
    }
    if (!e.classes.empty() || e.classCount) {
        QStringList classes;
        for (const auto& c : e.classes)
            classes << text(c);
        const qint64 count = e.classCount.value_or(static_cast<qint64>(e.classes.size()));
        html += row(tr("Classes"), tr("%1: %2").arg(count).arg(classes.join(QStringLiteral(", "))));
    }
    html += row(tr("SHA-256"), QStringLiteral("<span style='font-family:monospace'>%1</span>").arg(text(e.sha256)));
    if (const QString here = libraryCheck_ ? libraryCheck_(e) : QString(); !here.isEmpty())
        html += row(tr("In the library"), QDir::toNativeSeparators(here).toHtmlEscaped());
    html += QStringLiteral("</table>");

    html += QStringLiteral("<h4>%1</h4><ol>").arg(tr("Peers that have it, best first"));
    for (std::size_t i = 0; i < m.peers.size(); ++i) {
        const atmo::PeerQuality q = directory_.catalog().quality(m.peers[i]);
        QString line = peerName(m.peers[i]).toHtmlEscaped();
        QStringList facts;
        if (q.latencyMs)
            facts << tr("%1 ms").arg(*q.latencyMs, 0, 'f', 0);
        facts << tr("reliability %1").arg(q.reliability(), 0, 'f', 2);
        line += QStringLiteral(" <span style='color:#5b6670'>(%1)</span>").arg(facts.join(QStringLiteral(", ")));
        if (i == 0)
            line += QStringLiteral(" — <b>%1</b>").arg(tr("would be used"));
        html += QStringLiteral("<li>%1</li>").arg(line);
    }
    html += QStringLiteral("</ol>");
    if (!m.conflicting.empty()) {
        html += QStringLiteral("<p style='color:%1'>%2</p><ul>")
                    .arg(StatusColors::error().name(), tr("These peers offer different bytes under this id and are never used for it:"));
        for (const auto& key : m.conflicting)
            html += QStringLiteral("<li>%1</li>").arg(peerName(key).toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    const QJsonDocument metadata = QJsonDocument::fromJson(QByteArray::fromStdString(e.metadataJson));
    if (metadata.isObject() && !metadata.object().isEmpty())
        html += QStringLiteral("<h4>%1</h4><pre>%2</pre>")
                    .arg(tr("Metadata"), QString::fromUtf8(metadata.toJson(QJsonDocument::Indented)).toHtmlEscaped());
    details_->setHtml(html);
}

void MeshView::setDownloads(DownloadManager* downloads, PeerPackages* packages, const QString& downloadsDir)
{
    if (downloads_ || !downloads || !packages)
        return; // once, by the window
    downloads_ = downloads;
    packages_ = packages;
    packagesView_ = new PeerPackagesView(*packages, *downloads, downloadsDir, tabs_);
    tabs_->addTab(packagesView_, tr("Packages"));
    downloadsPanel_ = new DownloadsPanel(*downloads, splitter_);
    splitter_->addWidget(downloadsPanel_);
    splitter_->setStretchFactor(2, 2);
    download_->show();
    downloadReason_->show();

    connect(downloadsPanel_->model(), &QAbstractItemModel::rowsInserted, this, &MeshView::fitDownloadsPanel);
    connect(packagesView_, &PeerPackagesView::openRequested, this, &MeshView::openPackageRequested);
    connect(downloadsPanel_, &DownloadsPanel::openRequested, this,
            [this](const QString& file) { emit openPackageRequested(file, false); });
    connect(downloads_, &DownloadManager::itemAdded, this, &MeshView::updateDownloadButton);
    connect(downloads_, &DownloadManager::itemRemoved, this, &MeshView::updateDownloadButton);
    // Progress changes an item several times a second; the button only cares
    // when an item starts or ends, which finished() and state changes cover.
    connect(downloads_, &DownloadManager::finished, this, [this] {
        updateDownloadButton();
        updateDetails();
    });
    connect(downloads_, &DownloadManager::itemChanged, this, [this](int row) {
        const DownloadManager::Item& item = downloads_->item(row);
        if (item.kind == DownloadManager::Kind::Model &&
            item.key == catalogTable_->currentIndex().data(MeshCatalogModel::ModelIdRole).toString())
            updateDownloadButton();
    });
    // Package lists are asked for whenever catalogs arrive (a new peer, a
    // refresh before the TTL runs out), after the same coalescing.
    connect(coalesce_, &QTimer::timeout, packages_, &PeerPackages::refresh);
    // Opening the tab asks again: what a user looks at should be current.
    connect(tabs_, &QTabWidget::currentChanged, this, [this] {
        if (tabs_->currentWidget() == packagesView_ && !packages_->busy())
            packages_->refresh();
    });
    packages_->refresh();
    updateDownloadButton();
}

void MeshView::fitDownloadsPanel()
{
    // Grow the panel to show its rows (up to three, and less than half the
    // view), taking the room from the catalog; a panel the user made larger stays.
    QList<int> sizes = splitter_->sizes();
    if (sizes.size() != 3)
        return;
    const int total = sizes[0] + sizes[1] + sizes[2];
    const int wanted = qMin(downloadsPanel_->preferredHeight(3), total * 45 / 100);
    if (sizes[2] >= wanted)
        return;
    sizes[1] -= wanted - sizes[2];
    sizes[2] = wanted;
    splitter_->setSizes(sizes);
}

void MeshView::setLibraryCheck(LibraryCheck check)
{
    libraryCheck_ = std::move(check);
    updateDownloadButton();
    updateDetails();
}

QString MeshView::downloadBlockedReason() const
{
    const QString modelId = catalogTable_->currentIndex().data(MeshCatalogModel::ModelIdRole).toString();
    const int sourceRow = modelId.isEmpty() ? -1 : catalog_->rowOf(modelId);
    if (sourceRow < 0)
        return tr("Choose a model to download it.");
    const atmo::MergedEntry& m = catalog_->entry(sourceRow);
    if (libraryCheck_) {
        const QString here = libraryCheck_(m.entry);
        if (!here.isEmpty())
            return tr("Already in the library: %1").arg(QDir::toNativeSeparators(here));
    }
    if (downloads_) {
        for (int row = 0; row < downloads_->count(); ++row) {
            const DownloadManager::Item& item = downloads_->item(row);
            if (item.kind == DownloadManager::Kind::Model && item.key == modelId && !atmo::isFinished(item.state))
                return item.state == atmo::TransferState::Paused ? tr("Paused in the downloads below.")
                                                                 : tr("Downloading; see the downloads below.");
        }
    }
    const bool reachable = std::any_of(m.peers.begin(), m.peers.end(), [this](const std::string& peer) {
        return !directory_.catalog().httpEndpoint(peer).empty();
    });
    if (!reachable)
        return tr("No peer that has it offers an HTTP address to download from.");
    return {};
}

void MeshView::updateDownloadButton()
{
    if (!downloads_)
        return;
    const QString blocked = downloadBlockedReason();
    download_->setEnabled(blocked.isEmpty());
    QString text = blocked;
    if (blocked.isEmpty()) {
        const QString modelId = catalogTable_->currentIndex().data(MeshCatalogModel::ModelIdRole).toString();
        const atmo::MergedEntry& m = catalog_->entry(catalog_->rowOf(modelId));
        text = m.peers.size() > 1
                   ? tr("%1 from %2 and %n other peer(s)", nullptr, int(m.peers.size() - 1))
                         .arg(Format::bytes(m.entry.sizeBytes), peerName(m.peers.front()))
                   : tr("%1 from %2").arg(Format::bytes(m.entry.sizeBytes), peerName(m.peers.front()));
    }
    downloadReason_->setFullText(text);
}

void MeshView::downloadSelected()
{
    if (!downloads_ || !downloadBlockedReason().isEmpty())
        return;
    const QString modelId = catalogTable_->currentIndex().data(MeshCatalogModel::ModelIdRole).toString();
    downloads_->addModel(catalog_->entry(catalog_->rowOf(modelId)));
    updateDownloadButton();
}
