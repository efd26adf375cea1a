// What exporting a package would write, read before the user picks a tier
// and drives: the tiers it can be exported for and the free space each
// choice needs on a drive (the same number the core checks before writing).
//
// Reads only the first entries of the archive, through the core verifier, so
// the manifest's signature is checked against the trust store before its YAML
// is parsed (DESIGN.md: verify before parse); an untrusted or damaged package
// is refused here with the verifier's reason, as the export itself would.
#pragma once

#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

class ExportPlan {
    Q_DECLARE_TR_FUNCTIONS(ExportPlan)
public:
    QString file;
    bool ok = false;
    QString error;                       // when !ok: one line naming the file and the reason
    QString errorDetail;                 // core's English line behind error, when there is one

    QString id, name, version;
    std::vector<int> packageTiers;       // what the manifest declares
    std::vector<int> tiers;              // tiers whose every file the archive holds
    std::optional<int> sourceTier;       // the archive is itself a tier export (of this tier)
    QString deltaFrom;                   // a delta package: the version it updates
    std::uint64_t wholeBytesNeeded = 0;  // export as stored
    std::map<int, std::uint64_t> tierBytesNeeded;

    // Free space needed on a drive for this choice (nullopt: as stored).
    std::uint64_t bytesNeeded(std::optional<int> tier) const;
    // "production-inspection-v1.3-tier1.atmo", "production-inspection-v1.4-from-v1.3.atmo"
    QString fileName(std::optional<int> tier) const;

    // Blocking (reads a few KiB and checks a signature): call it off the GUI thread.
    static ExportPlan read(const QString& file, const QString& trustDir);
};
