#include "app/PackageStatus.h"

#include <QStringList>

#include "app/Format.h"

PackageStatus PackageStatus::of(const atmo::StoredPackage& package)
{
    const atmo::PackageHistory& h = package.history;
    PackageStatus status;
    QStringList lines;
    if (!h.verifiedAt.empty())
        lines << (h.verifiedOk ? tr("Verified %1") : tr("Failed its check %1"))
                     .arg(Format::timestamp(h.verifiedAt));
    if (!h.exportedAt.empty())
        lines << tr("Written to %n drive(s) %1", nullptr, h.exportedDrives).arg(Format::timestamp(h.exportedAt));
    if (!h.installedAt.empty())
        lines << tr("Installed %1").arg(Format::timestamp(h.installedAt));

    const atmo::PackageState state = atmo::packageState(h, package.file);
    if (state == atmo::PackageState::NotVerified) {
        status.text = tr("Not verified yet");
        status.icon = ItemStatus::Pending;
        status.rank = 2;
        status.details = tr("Neither verified, written to a drive nor installed on this station.");
        return status;
    }
    if (state == atmo::PackageState::Changed) {
        status.text = tr("Changed since verified");
        status.icon = ItemStatus::Warning;
        status.rank = 1;
        lines << tr("The file has been changed or replaced since: verify it again.");
    } else if (state == atmo::PackageState::Failed) {
        status.text = tr("Failed its check");
        status.icon = ItemStatus::Failed;
        status.rank = 0;
    } else {
        QStringList parts;
        if (!h.installedAt.empty())
            parts << tr("Installed");
        if (!h.exportedAt.empty())
            parts << tr("On %n drive(s)", nullptr, h.exportedDrives);
        if (parts.isEmpty())
            parts << tr("Verified");
        status.text = parts.join(QStringLiteral(" · "));
        status.icon = ItemStatus::Ok;
        status.rank = 3 + (h.exportedAt.empty() ? 0 : 1) + (h.installedAt.empty() ? 0 : 2);
    }
    status.details = lines.join(QLatin1Char('\n'));
    return status;
}
