// The verification report for the delivery paperwork, as plain text or as a
// self-contained HTML page: verdict, package, signatures, chain of custody,
// device fit and every file with its hashes.
#pragma once

#include <QCoreApplication>
#include <QString>

#include "app/DeviceFit.h"
#include "core/package/package_verifier.h"

class ReportWriter {
    Q_DECLARE_TR_FUNCTIONS(ReportWriter)
public:
    enum class OutputFormat { Text, Html };

    ReportWriter(const atmo::VerifyReport& report, const DeviceFit& fit);

    QString text() const;
    QString html() const;
    // Format from the suffix (.html/.htm = HTML); false with error set on failure.
    bool save(const QString& file, QString* error = nullptr) const;
    static OutputFormat formatFor(const QString& file);

private:
    const atmo::VerifyReport& report_;
    const DeviceFit& fit_;
};
