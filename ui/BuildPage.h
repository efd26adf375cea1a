// Wizard page 5: builds the package(s) with progress per phase and file;
// cancelling leaves nothing behind (the core writes under temporary names).
// At the end: the files written, their sizes by tier, and buttons to open
// the folder, verify the package or go to USB export with it.
#pragma once

#include <QPointer>
#include <QStringList>
#include <QWizardPage>

#include "app/CreateJob.h"

class QLabel;
class QPushButton;
class QTableWidget;
class PackageWizard;
class ProgressPanel;

class BuildPage : public QWizardPage {
    Q_OBJECT
public:
    explicit BuildPage(PackageWizard* wizard);
    ~BuildPage() override;

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

    void startBuild();
    void cancelBuild();
    bool isBuilding() const { return job_ != nullptr; }
    bool succeeded() const { return succeeded_; }
    QStringList outputFiles() const { return files_; }

    ProgressPanel* progressPanel() const { return progress_; }
    QTableWidget* resultTable() const { return results_; }
    QLabel* statusLabel() const { return status_; }
    QPushButton* verifyButton() const { return verify_; }
    QPushButton* exportButton() const { return export_; }
    QPushButton* retryButton() const { return retry_; }

private:
    void onFinished(bool ok);

    PackageWizard* wizard_;
    QPointer<CreateJob> job_;
    bool succeeded_ = false;
    QStringList files_;
    QLabel* status_;
    QLabel* step_;
    ProgressPanel* progress_;
    QTableWidget* results_;
    QLabel* tierSizes_;
    QPushButton* openFolder_;
    QPushButton* verify_;
    QPushButton* export_;
    QPushButton* retry_;
};
