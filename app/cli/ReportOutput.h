// Printing a VerifyReport for people (a verdict line first) and as JSON.
#pragma once

#include <QJsonArray>
#include <QJsonObject>

#include "CliContext.h"
#include "core/package/package_verifier.h"

namespace cli {

// Tiers as the seed names them: "tier_1" in text and JSON alike.
QString tierText(int tier);
QJsonArray tiersJson(const std::vector<int>& tiers);
QJsonObject sizesJson(const atmo::Manifest& m);   // {"tier_1": bytes, ...}
QString sizesText(const atmo::Manifest& m);       // "tier_1: 1.2 MiB, tier_2: 3.4 MiB"
// {"tier_2": {"min_ram_gb": 8, "gpu": "required", "vram_gb": 4}, ...}
QJsonObject requirementsJson(const atmo::TierRequirementMap& requirements);
// "tier_1: 4 GB RAM; tier_2: 8 GB RAM, a GPU, 4 GB VRAM"
QString requirementsText(const atmo::TierRequirementMap& requirements);

// A delta package's section: base and target, changes, record counts.
QJsonObject deltaJson(const atmo::DeltaSection& delta);
QJsonObject reportJson(const atmo::VerifyReport& report);
void printReport(const Context& ctx, const atmo::VerifyReport& report);

} // namespace cli
