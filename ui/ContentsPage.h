// Wizard page 2: every file of the mission, grouped by kind, with id,
// version and size, and tier checkboxes for models. Problems are listed
// first, inline, and block the way on until they are fixed and rescanned.
// A declared model whose file is missing is fixed here: add the file (copied
// into models/ under the declared name) or remove the entry from
// config/mission.yaml; either rescans.
#pragma once

#include <QPointer>
#include <QWizardPage>

#include "app/MissionJob.h"

class QLabel;
class QPushButton;
class QTableView;
class PackageWizard;

class ContentsPage : public QWizardPage {
    Q_OBJECT
public:
    explicit ContentsPage(PackageWizard* wizard);
    ~ContentsPage() override;

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    void rescan();
    bool isScanning() const { return job_ != nullptr; }
    QTableView* table() const { return table_; }
    QLabel* problemLabel() const { return problems_; }
    QPushButton* rescanButton() const { return rescan_; }
    QPushButton* addFileButton() const { return addFile_; }
    QPushButton* dropEntryButton() const { return dropEntry_; }

    // The fixes for the chosen problem row (what the buttons do; addFile
    // asks for the file first). False, with the reason shown, when it
    // cannot be done.
    bool addMissingModel(const QString& sourceFile);
    bool dropMissingModel();

private:
    void onScanned(bool ok);
    void showState();
    void updateFixes();
    QString chosenMissingModel() const;

    PackageWizard* wizard_;
    QPointer<MissionJob> job_;
    bool scanned_ = false;
    bool dirty_ = false;
    QString error_;
    QTableView* table_;
    QLabel* summary_;
    QLabel* problems_;
    QPushButton* rescan_;
    QPushButton* openFolder_;
    QPushButton* addFile_;
    QPushButton* dropEntry_;
    bool copying_ = false;
};
