// Why this machine is the tier it is, in the window's language, from the
// facts core decided by (TierDecision's basis, met and unmet criteria);
// core's `reason` stays the CLI's English line.
//   "tier_2: 15.5 GiB RAM ≥ 8.0 GiB, 8 cores ≥ 4; tier_3 needs a GPU (none found)"
#pragma once

#include <QCoreApplication>
#include <QString>

#include "core/package/tier.h"

class TierReason {
    Q_DECLARE_TR_FUNCTIONS(TierReason)
public:
    static QString text(const atmo::TierDecision& decision);
    static QString met(const atmo::TierCriterion& criterion);    // "15.5 GiB RAM ≥ 8.0 GiB"
    static QString unmet(const atmo::TierCriterion& criterion);  // "8.0 GiB RAM (7.0 GiB found)"
};
