// What happened to one drive of a USB export, in the window's language:
// chosen by core's DriveProblem (the kind beside the English line), the
// eject's outcome and error kind, naming the drive as the user knows it.
// Core's English line stays the detail (a tooltip), as for downloads
// (DownloadNote) and verification (VerifyNote).
#pragma once

#include <QCoreApplication>
#include <QString>

#include "core/base/result.h"
#include "core/drives/drive_eject.h"
#include "core/drives/drive_problem.h"

class DriveNote {
    Q_DECLARE_TR_FUNCTIONS(DriveNote)
public:
    // Why writing to `drive` failed. Source: the package itself failed
    // (package names it), so no drive got it; the drive did nothing wrong.
    static QString failure(atmo::DriveProblem problem, atmo::ErrorCode code, const QString& drive,
                           const QString& package, const QString& english);
    static QString ejected(const atmo::EjectOutcome& outcome);
    static QString notEjected(const atmo::Error& error);
};
