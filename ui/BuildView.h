// Build: start the package builder, and see the packages this station has
// built or received (from its package store), each with its status here
// (verified, written to drives, installed), with quick actions to verify
// one or open its folder. The list is read again whenever it is shown and
// when a job ends (a check, a write or an install changes a status).
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

    void reload(); // keeps the selected package selected
    PackageWizard* openWizard();     // shows the wizard (modeless) and returns it
    PackageWizard* wizard() const;
    StoredPackageModel* model() const { return model_; }
    QTableView* table() const { return table_; }

signals:
    void verifyRequested(const QString& file);
    void exportRequested(const QString& file);
    void titleProgress(const QString& text);

protected:
    void showEvent(QShowEvent* event) override;

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
