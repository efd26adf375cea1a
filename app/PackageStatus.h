// What the Build list says about one stored package: where it got to on
// this station (verified, written to drives, installed) or what went wrong
// (failed its check, changed since it was checked), from the store's
// PackageHistory. Translated here, not in core.
#pragma once

#include <QCoreApplication>
#include <QString>

#include "app/ModelRoles.h"
#include "core/package/package_store.h"

struct PackageStatus {
    Q_DECLARE_TR_FUNCTIONS(PackageStatus)
public:
    QString text;                          // "Installed · on 2 drives", "Failed its check"
    QString details;                       // one line per event with its date, for the tooltip
    ItemStatus icon = ItemStatus::None;
    int rank = 0;                          // for sorting: failed < changed < never checked < checked < further

    static PackageStatus of(const atmo::StoredPackage& package);
};
