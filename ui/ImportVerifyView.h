// Import & Verify: open a package (file dialog, drag and drop, a mounted
// drive), see the verdict, the signatures, the chain of custody and every
// file as it is hashed, check the fit with this machine, install it, and
// save a report.
#pragma once

#include <QPointer>
#include <QWidget>

#include <optional>

#include "app/CustodyModel.h"
#include "app/DeviceFit.h"
#include "app/FileCheckFilterModel.h"
#include "app/FileCheckModel.h"
#include "app/SignatureModel.h"
#include "app/VerifyJob.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QToolButton;
class DeviceFitPanel;
class ElidedLabel;
class ProgressPanel;
class StationContext;
class VerdictBanner;

class ImportVerifyView : public QWidget {
    Q_OBJECT
public:
    explicit ImportVerifyView(StationContext& context, QWidget* parent = nullptr);
    ~ImportVerifyView() override;

    // Starts verifying file; cancels a check that is running.
    void openPackage(const QString& file);
    // Asks for a file.
    void choosePackage();
    // With dialogs: downgrade confirmation when needed.
    void requestInstall();
    // Without dialogs (tests, and after the confirmation).
    void startInstall(bool allowDowngrade);
    bool saveReport(const QString& file, QString* error = nullptr) const;
    // Re-reads the install root from the settings.
    void reloadSettings();
    void chooseReportFile();

    bool isBusy() const { return job_ != nullptr; }
    QString packageFile() const { return file_; }
    const std::optional<atmo::VerifyReport>& report() const { return report_; }
    const DeviceFit& deviceFit() const { return fit_; }

    VerdictBanner* banner() const { return banner_; }
    FileCheckModel* fileModel() const { return files_; }
    FileCheckFilterModel* fileFilter() const { return filter_; }
    SignatureModel* signatureModel() const { return signatures_; }
    CustodyModel* custodyModel() const { return custody_; }
    QCheckBox* failuresOnlyBox() const { return failuresOnly_; }
    QPushButton* installButton() const { return install_; }
    QLineEdit* installRootEdit() const { return installRoot_; }
    QLabel* installStatus() const { return installStatus_; }
    DeviceFitPanel* fitPanel() const { return fitPanel_; }
    QLabel* summaryLabel() const { return summary_; }
    ProgressPanel* progressPanel() const { return progress_; }

signals:
    void titleProgress(const QString& text);
    void verificationFinished(bool ok);
    void installFinished(bool ok);

private:
    void buildUi();
    void populateDrivesMenu();
    void startJob(VerifyJob* job);
    void onSignatures(const atmo::VerifyReport& report);
    void onVerifyFinished(bool ok);
    void onInstallFinished(bool ok);
    void refreshFit();
    void updateSummary();
    void updateInstallButton();
    void chooseInstallRoot();
    void fitTables();

    StationContext& context_;
    QString file_;
    QPointer<VerifyJob> job_;
    std::optional<atmo::VerifyReport> report_;
    DeviceFit fit_;

    FileCheckModel* files_;
    FileCheckFilterModel* filter_;
    SignatureModel* signatures_;
    CustodyModel* custody_;

    VerdictBanner* banner_ = nullptr;
    ElidedLabel* fileLabel_ = nullptr;
    QPushButton* open_ = nullptr;
    QToolButton* drives_ = nullptr;
    QPushButton* saveReport_ = nullptr;
    ProgressPanel* progress_ = nullptr;
    QTableView* signatureTable_ = nullptr;
    QTableView* custodyTable_ = nullptr;
    QTableView* fileTable_ = nullptr;
    QCheckBox* failuresOnly_ = nullptr;
    QLabel* summary_ = nullptr;
    DeviceFitPanel* fitPanel_ = nullptr;
    QLineEdit* installRoot_ = nullptr;
    QPushButton* install_ = nullptr;
    QLabel* installStatus_ = nullptr;
};
