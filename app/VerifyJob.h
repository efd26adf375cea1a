// Verifies a package, or verifies and installs it in the same pass. Signature
// rows and file results stream to the GUI thread as they are known.
#pragma once

#include <QString>

#include <optional>
#include <vector>

#include "app/DeviceFit.h"
#include "app/Job.h"
#include "core/package/installer.h"

class VerifyJob : public Job {
    Q_OBJECT
public:
    struct Request {
        QString file;
        QString trustDir;
        QString tiersFile;                // tier policy overrides; may not exist
        std::optional<int> tier;          // verify for this tier; nullopt: any complete tier
        bool install = false;
        QString installRoot;              // also used for the device fit when !install
        bool allowDowngrade = false;
        std::optional<int> installTier;   // nullopt: decided from the hardware
        QString storeIndex;               // the station's PackageStore: the outcome is recorded
                                          // there when it holds the file; empty: not recorded
    };

    explicit VerifyJob(Request request, QObject* parent = nullptr);

    const Request& request() const { return request_; }
    // Valid once finished.
    const atmo::VerifyReport& report() const { return report_; }
    const std::optional<atmo::InstalledPackage>& installed() const { return installed_; }
    const DeviceFit& deviceFit() const { return fit_; }

signals:
    void signaturesChecked(const atmo::VerifyReport& report);
    void filesChecked(const std::vector<atmo::FileCheck>& files);

protected:
    void run() override;
    void deliver(Batch& batch) override;

private:
    void setReportOutcome(bool ok); // the report's reason and code when !ok
    void recordInStore() const;
    Request request_;
    atmo::VerifyReport report_;
    std::optional<atmo::InstalledPackage> installed_;
    DeviceFit fit_;
};
