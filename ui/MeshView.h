// Mesh: the peers around this station (how each was found, latency, models,
// reachable) and the merged model catalog they offer, with a search box,
// filters by type, format and capability, sorting by real values, and a
// details panel that says which peers have a model and which would be used.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTextBrowser;
class QTimer;
class CatalogFilterModel;
class MeshCatalogModel;
class PeerDirectory;
class PeerListModel;

class MeshView : public QWidget {
    Q_OBJECT
public:
    explicit MeshView(PeerDirectory& directory, QWidget* parent = nullptr);

    // One line about this station on the mesh ("Serving 3 models on …").
    void setStationStatus(const QString& text, bool problem);

    bool addPeer(const QString& address, QString* error = nullptr);
    void selectModel(const QString& modelId);

    PeerListModel* peerModel() const { return peers_; }
    MeshCatalogModel* catalogModel() const { return catalog_; }
    CatalogFilterModel* filterModel() const { return filter_; }
    QTableView* peerTable() const { return peerTable_; }
    QTableView* catalogTable() const { return catalogTable_; }
    QLineEdit* searchBox() const { return search_; }
    QComboBox* typeFilter() const { return type_; }
    QComboBox* formatFilter() const { return format_; }
    QComboBox* capabilityFilter() const { return capability_; }
    QTextBrowser* details() const { return details_; }

private:
    void refreshCatalog();
    void applyFilter();
    void updateChoices();
    void updateDetails();
    void updateCounts();
    QString peerName(const std::string& nodeKey) const;

    PeerDirectory& directory_;
    PeerListModel* peers_;
    MeshCatalogModel* catalog_;
    CatalogFilterModel* filter_;
    QLabel* station_ = nullptr;
    QTableView* peerTable_ = nullptr;
    QLineEdit* address_ = nullptr;
    QPushButton* add_ = nullptr;
    QLabel* addError_ = nullptr;
    QLabel* counts_ = nullptr;
    QLineEdit* search_ = nullptr;
    QComboBox* type_ = nullptr;
    QComboBox* format_ = nullptr;
    QComboBox* capability_ = nullptr;
    QStackedWidget* catalogStack_ = nullptr;
    QTableView* catalogTable_ = nullptr;
    QLabel* emptyCatalog_ = nullptr;
    QTextBrowser* details_ = nullptr;
    QTimer* coalesce_ = nullptr;
};
