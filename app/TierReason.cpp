#include "app/TierReason.h"

#include <QStringList>

#include "app/Format.h"
#include "app/QtStrings.h"

using What = atmo::TierCriterion::What;

QString TierReason::met(const atmo::TierCriterion& c)
{
    const QString have = Format::bytes(c.have), need = Format::bytes(c.need);
    switch (c.what) {
    case What::Ram: return c.tolerated ? tr("%1 RAM counts as %2").arg(have, need) : tr("%1 RAM ≥ %2").arg(have, need);
    case What::Cores: return tr("%n core(s)", nullptr, static_cast<int>(c.have)) + tr(" ≥ %1").arg(c.need);
    case What::Gpu: return c.gpuName.empty() ? tr("a GPU") : tr("GPU %1").arg(q(c.gpuName));
    case What::Vram:
        return c.tolerated ? tr("%1 VRAM counts as %2").arg(have, need) : tr("%1 VRAM ≥ %2").arg(have, need);
    case What::DiskFree: return tr("%1 free ≥ %2").arg(have, need);
    }
    return {};
}

QString TierReason::unmet(const atmo::TierCriterion& c)
{
    const QString have = Format::bytes(c.have), need = Format::bytes(c.need);
    switch (c.what) {
    case What::Ram: return tr("%1 RAM (%2 found)").arg(need, have);
    case What::Cores: return tr("%1 cores (%2 found)").arg(c.need).arg(c.have);
    case What::Gpu: return c.need ? tr("a GPU with %1 VRAM (none found)").arg(need) : tr("a GPU (none found)");
    case What::Vram: return c.unknown ? tr("%1 VRAM (unknown here)").arg(need) : tr("%1 VRAM (%2 found)").arg(need, have);
    case What::DiskFree: return tr("%1 free disk (%2 found)").arg(need, have);
    }
    return {};
}

QString TierReason::text(const atmo::TierDecision& d)
{
    using Basis = atmo::TierDecision::Basis;
    const QString tier = Format::tier(d.tier);
    QString out;
    if (d.basis == Basis::Operator)
        return tr("%1: chosen by the operator").arg(tier);
    if (d.basis == Basis::NoTiers)
        return tr("%1: the package names no tiers").arg(tier);
    if (d.noneMet) {
        out = d.basis == Basis::Requirements ? tr("%1: meets none of the package's requirements, installing its lowest "
                                                  "tier").arg(tier)
                                             : tr("%1: meets no tier's thresholds").arg(tier);
    } else if (d.met.empty()) {
        out = d.basis == Basis::Requirements ? tr("%1: no requirements").arg(tier) : tr("%1: base tier").arg(tier);
    } else {
        QStringList met;
        for (const auto& c : d.met)
            met << TierReason::met(c);
        out = tr("%1: %2").arg(tier, met.join(QStringLiteral(", ")));
    }
    for (const atmo::TierMiss& miss : d.above) {
        QStringList unmet;
        for (const auto& c : miss.unmet)
            unmet << TierReason::unmet(c);
        out += QStringLiteral("; ") + tr("%1 needs %2").arg(Format::tier(miss.tier), unmet.join(tr(" and ")));
    }
    return out;
}
