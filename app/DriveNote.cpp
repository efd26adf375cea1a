#include "app/DriveNote.h"

#include "app/ErrorText.h"

QString DriveNote::failure(atmo::DriveProblem problem, atmo::ErrorCode code, const QString& drive,
                           const QString& package, const QString& english)
{
    using P = atmo::DriveProblem;
    switch (problem) {
    case P::NotMounted: return tr("%1 is no longer mounted (pulled out?).").arg(drive);
    case P::NotAFolder: return tr("The place to write on %1 is not a folder.").arg(drive);
    case P::ReadOnly: return tr("%1 is read-only (write-protected, or mounted read-only).").arg(drive);
    case P::NoPermission: return tr("This user may not write to %1.").arg(drive);
    case P::NoSpace: return tr("Not enough free space on %1.").arg(drive);
    case P::CannotCreate: return tr("No file could be created on %1.").arg(drive);
    case P::WriteFailed: return tr("Writing to %1 failed.").arg(drive);
    case P::FlushFailed: return tr("%1 did not store the data (flushing to the drive failed).").arg(drive);
    case P::ReadBackFailed: return tr("Reading back from %1 failed.").arg(drive);
    case P::ReadBackDiffers:
        return tr("What %1 gave back differs from what was written: the drive is faulty.").arg(drive);
    case P::RenameFailed: return tr("The verified file could not take its final name on %1.").arg(drive);
    case P::Source:
        return tr("No drive got the package: %1").arg(ErrorText::sentence(code, package, english));
    case P::Cancelled: return tr("Cancelled; no partial file was left on %1.").arg(drive);
    case P::None:
    case P::Other: break;
    }
    return ErrorText::full(code, drive, english);
}

QString DriveNote::ejected(const atmo::EjectOutcome& outcome)
{
    if (outcome.poweredOff)
        return tr("Ejected: safe to remove");
    if (outcome.needsUdisks)
        return tr("Unmounted: safe to remove, but it stays powered (powering off needs udisks2)");
    return tr("Unmounted: safe to remove");
}

QString DriveNote::notEjected(const atmo::Error& error)
{
    if (error.code == atmo::ErrorCode::Busy)
        return tr("Not ejected: a file on it is still open");
    return tr("Not ejected: it could not be unmounted or powered off (see the details)");
}
