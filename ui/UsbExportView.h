// USB Export: pick a package (from the station's store or a file) and a
// tier, tick drives in a live list, "Write to N drives". One bar for all the
// drives with the time left, and each drive its own row (one bar across
// writing and reading back, phase, speed, time left), then a green check or
// a red error with details. The drives written and verified are unticked,
// so Write is not armed again on the same sticks. Eject when done, or an
// Eject button per verified drive afterwards. Drive polling pauses while
// writing and runs only while the view is shown.
#pragma once

#include <QList>
#include <QPointer>
#include <QSet>
#include <QWidget>

#include <optional>

#include "app/DriveListModel.h"
#include "app/ExportPlan.h"
#include "app/StoredPackageModel.h"
#include "app/UsbExportJob.h"

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTableView;
class QVBoxLayout;
class DriveProgressRow;
class StationContext;

class UsbExportView : public QWidget {
    Q_OBJECT
public:
    // lister: where drives come from; empty for this machine's drives.
    explicit UsbExportView(StationContext& context, QWidget* parent = nullptr, DriveListModel::Lister lister = {});
    ~UsbExportView() override;

    void reloadPackages();                      // from the store, keeping the selection
    void selectPackage(const QString& file);    // a stored package or any .atmo file; not while writing
    void chooseFile();                          // "Open file…"
    void startWrite();
    void cancelWrite();

    bool isWriting() const { return job_ != nullptr; }
    bool isReadingPackage() const { return planPending_; }
    const std::optional<ExportPlan>& plan() const { return plan_; }
    std::optional<int> chosenTier() const;
    QString writeBlockedReason() const;         // "" when Write can start

    DriveListModel* drives() const { return drives_; }
    QTableView* driveTable() const { return table_; }
    QComboBox* packageCombo() const { return packageCombo_; }
    QComboBox* tierCombo() const { return tierCombo_; }
    QCheckBox* ejectBox() const { return eject_; }
    QPushButton* writeButton() const { return write_; }
    QPushButton* tickAllButton() const { return tickAll_; }
    // Ticks every drive that can be written and has room, except those the
    // last write just verified with this content.
    void tickAllThatFit();
    QLabel* reasonLabel() const { return reason_; }
    QLabel* emptyLabel() const { return empty_; }
    QLabel* summaryLabel() const { return summary_; }
    QProgressBar* overallBar() const { return overall_; }
    QList<DriveProgressRow*> progressRows() const { return rows_; }

signals:
    void titleProgress(const QString& text); // empty when idle

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void buildUi();
    void onPackageChosen();
    void onPlanRead(const ExportPlan& plan);
    void onTierChosen();
    void updateDrivesPage();
    void updateWriteButton();
    void onDriveChanged(int index);
    void onFinished(bool ok);
    void setInputsEnabled(bool enabled);
    void ejectAfterWrite(int index);
    void showOverall();

    StationContext& context_;
    StoredPackageModel* store_;
    DriveListModel* drives_;
    QStringList openedFiles_;                   // chosen with "Open file…", not in the store
    std::optional<ExportPlan> plan_;
    bool planPending_ = false;
    int planRequest_ = 0;
    QPointer<UsbExportJob> job_;
    QList<DriveProgressRow*> rows_;
    // The last write's drives as it left them, for Eject afterwards.
    std::vector<UsbExportJob::Target> written_;
    // Drives the last write verified with the content now chosen (by
    // stickKey()): "Tick all that fit" leaves them out until they are pulled
    // or the content changes.
    QSet<QString> justWritten_;
    std::optional<int> lastTier_;
    bool tickable(int row) const; // for "Tick all that fit"
    static QString stickKey(const atmo::Drive& drive); // device, model and size
    std::vector<UsbExportJob::DriveState> writtenStates_;

    QComboBox* packageCombo_;
    QPushButton* openFile_;
    QComboBox* tierCombo_;
    QLabel* packageInfo_;
    QStackedWidget* drivesStack_;
    QTableView* table_;
    QLabel* empty_;
    QPushButton* tickAll_;
    QCheckBox* eject_;
    QLabel* reason_;
    QPushButton* write_;
    QGroupBox* progressBox_;
    QLabel* summary_;
    QProgressBar* overall_;
    QPushButton* cancel_;
    QVBoxLayout* rowsLayout_;
};
