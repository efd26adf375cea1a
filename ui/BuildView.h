// Build: start the package builder, and see the packages this station has
// built or received (from its package store) with quick actions to verify
// one or open its folder.
#pragma once

#include <QPointer>
#include <QWidget>

#include "app/StoredPackageModel.h"

class QLabel;
class QPushButton;
class QTableView;
class PackageWizard;
class StationContext;

class BuildView : public QWidget {
    Q_OBJECT
public:
    explicit BuildView(StationContext& context, QWidget* parent = nullptr);

    void reload();
    PackageWizard* openWizard();     // shows the wizard (modeless) and returns it
    PackageWizard* wizard() const;
    StoredPackageModel* model() const { return model_; }
    QTableView* table() const { return table_; }

signals:
    void verifyRequested(const QString& file);
    void exportRequested(const QString& file);
    void titleProgress(const QString& text);

private:
    QString selectedFile() const;
    void updateButtons();

    StationContext& context_;
    StoredPackageModel* model_;
    QTableView* table_;
    QLabel* empty_;
    QPushButton* build_;
    QPushButton* verify_;
    QPushButton* openFolder_;
    QPointer<PackageWizard> wizard_;
};
