// Wizard page 1: the mission source directory — an existing one, or a new
// one made from files the user picks — and its id, name and tiers.
#pragma once

#include <QPointer>
#include <QWizardPage>

#include "app/MissionAssembler.h"
#include "app/MissionJob.h"

class QButtonGroup;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QTableWidget;
class QTimer;
class PackageWizard;

class MissionPage : public QWizardPage {
    Q_OBJECT
public:
    explicit MissionPage(PackageWizard* wizard);
    ~MissionPage() override;

    bool isComplete() const override;
    bool validatePage() override;

    QLineEdit* dirEdit() const { return dir_; }
    QLineEdit* idEdit() const { return id_; }
    QLineEdit* nameEdit() const { return name_; }
    QLineEdit* tiersEdit() const { return tiers_; }
    QRadioButton* existingButton() const { return existing_; }
    QRadioButton* newButton() const { return new_; }
    QLineEdit* destinationEdit() const { return destination_; }
    QLabel* statusLabel() const { return status_; }
    MissionAssembler& assembler() { return assembler_; }
    void addPickedFiles(const QStringList& files);
    bool isScanning() const { return job_ != nullptr; }
    // A scan of the existing-mission folder is due or running (never while
    // a new mission is created, nor in "new" mode).
    bool scanPending() const;

    static std::optional<std::vector<int>> parseTiers(const QString& text);

private:
    void updateMode();
    void scheduleScan();
    void startScan();
    void onScanned(bool ok);
    void refreshPicks();
    void setStatus(const QString& text, bool error);

    PackageWizard* wizard_;
    MissionAssembler assembler_;
    QPointer<MissionJob> job_;
    bool creating_ = false; // job_ assembles a new mission: no scan may replace it
    bool scanned_ = false;
    bool advanceAfterCreate_ = false;
    QString scannedDir_;

    QRadioButton* existing_;
    QRadioButton* new_;
    QLineEdit* dir_;
    QPushButton* browseDir_;
    QLineEdit* destination_;
    QPushButton* browseDestination_;
    QTableWidget* picks_;
    QPushButton* addFiles_;
    QPushButton* removeFile_;
    QLineEdit* id_;
    QLineEdit* name_;
    QLineEdit* tiers_;
    QLabel* status_;
    QTimer* debounce_;
    QWidget* existingBox_;
    QWidget* newBox_;
};
