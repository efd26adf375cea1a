// Localised text for values the views show: sizes, speeds, durations, tier
// lists, content kinds, shortened hashes, file and signature states.
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

#include "core/package/manifest.h"
#include "core/package/install_plan.h"
#include "core/package/package_verifier.h"
#include "core/package/trust_store.h"

class Format {
    Q_DECLARE_TR_FUNCTIONS(Format)
public:
    static QString bytes(std::uint64_t bytes);
    static QString speed(double bytesPerSecond);
    static QString duration(qint64 seconds);
    static QString tier(int tier);                         // "tier_1", as the seed names it
    static QString tiers(const std::vector<int>& tiers);   // "tier_1, tier_2" or "all"
    static QString kind(atmo::ContentKind kind);           // "Model"
    static QString kindPlural(atmo::ContentKind kind);     // "Models"
    static QString shortHash(const std::string& hex);      // "3f9a1c…d0e2"
    static QString fileState(atmo::FileState state);
    static QString signatureState(atmo::SignatureState state);
    static QString signatureRole(const std::string& role); // "Mesh authority"
    static QString trustRole(atmo::TrustRole role);
    static QString custodyAction(const std::string& action);
    // A custody entry's detail as core writes it ("full package", "tier_1",
    // or "tier 1" from older packages), in the window's language; any other
    // text as it is.
    static QString custodyDetail(const std::string& detail);
    static QString phase(atmo::Phase phase);               // Phase::Hashing -> "Hashing"
    // A delta package's base check, one sentence: "Version 1.3 is installed
    // as this update was made from it", "Needs version 1.3 installed; this
    // machine has 1.2 — use the full 1.4 package", ...
    static QString deltaBase(const atmo::DeltaBaseCheck& check, const QString& targetVersion);
    static QString timestamp(const std::string& iso);      // local: dateTime(), or the text itself if not ISO 8601
    static QString dateTime(const QDateTime& when);        // local, the locale's short form with a 4-digit year
    static QString timeLeft(qint64 seconds);               // "2 min 5 s left", "almost done"; "" when negative
};
