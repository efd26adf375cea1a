#include "app/ExportPlan.h"

#include <QFileInfo>

#include <algorithm>
#include <set>
#include <string>

#include "app/PathConversion.h"
#include "app/VerifyNote.h"
#include "core/package/manifest.h"
#include "core/drives/package_export.h"
#include "core/package/package_verifier.h"
#include "core/package/trust_store.h"

namespace {

// Stops the verifier once the signed manifest and checksums.sha256 are
// through: everything a plan needs, without hashing the content.
class HeaderSink final : public atmo::EntrySink {
public:
    std::string checksums;
    bool reached = false;

    void onMetadata(const std::string& name, const std::string& bytes) override
    {
        if (name == atmo::kChecksumsName)
            checksums = bytes;
    }
    void onManifest(const atmo::Manifest&, std::optional<int>) override
    {
        reached = true;
        throw atmo::Failure("header read"); // ends the pass; not an error
    }
};

} // namespace

std::uint64_t ExportPlan::bytesNeeded(std::optional<int> tier) const
{
    if (!tier)
        return wholeBytesNeeded;
    const auto it = tierBytesNeeded.find(*tier);
    return it == tierBytesNeeded.end() ? 0 : it->second;
}

QString ExportPlan::fileName(std::optional<int> tier) const
{
    const std::optional<int> t = tier ? tier : sourceTier;
    return QString::fromStdString(deltaFrom.isEmpty()
                                      ? atmo::packageFileName(id.toStdString(), version.toStdString(), t)
                                      : atmo::deltaPackageFileName(id.toStdString(), deltaFrom.toStdString(),
                                                                   version.toStdString(), t));
}

ExportPlan ExportPlan::read(const QString& file, const QString& trustDir)
{
    ExportPlan plan;
    plan.file = file;
    const QString shown = QFileInfo(file).fileName();
    if (!QFileInfo(file).isFile()) {
        plan.error = tr("%1: no such file").arg(file);
        return plan;
    }
    const atmo::TrustStore trust(toFsPath(trustDir));
    HeaderSink sink;
    atmo::VerifyOptions options;
    options.trust = &trust;
    options.sink = &sink;
    const atmo::VerifyReport report = atmo::verifyPackage(toFsPath(file), options, nullptr, {});
    if (!sink.reached || !report.manifest) {
        plan.error = tr("%1: %2").arg(shown, VerifyNote::reason(report));
        plan.errorDetail = QString::fromStdString(report.reason);
        return plan;
    }
    const atmo::Manifest& m = *report.manifest;
    plan.id = QString::fromStdString(m.id);
    plan.name = QString::fromStdString(m.name);
    plan.version = QString::fromStdString(m.version);
    plan.packageTiers = m.tiers;
    if (m.delta)
        plan.deltaFrom = QString::fromStdString(m.delta->baseVersion);

    // What the archive holds: the verifier has matched its checksums.sha256
    // against the manifest (and will match the entries against both), which
    // is how the export itself decides what it carries.
    // A delta package carries only some of its files (archiveFiles).
    const auto carried = m.archiveFiles();
    std::set<std::string> present;
    for (const atmo::ContentFile* f : carried)
        if (sink.checksums.find("  " + f->path + "\n") != std::string::npos)
            present.insert(f->path);
    auto sizeOf = [&](auto&& wanted, bool& complete) {
        std::uint64_t bytes = 0;
        std::size_t count = 0;
        complete = true;
        for (const atmo::ContentFile* f : carried) {
            if (!wanted(*f))
                continue;
            if (!present.count(f->path)) {
                complete = false;
                continue;
            }
            bytes += f->size;
            ++count;
        }
        return atmo::exportSpaceNeeded(bytes, count);
    };
    bool wholeComplete = false;
    plan.wholeBytesNeeded = sizeOf([](const atmo::ContentFile&) { return true; }, wholeComplete);
    for (int t : m.tiers) {
        bool complete = false;
        const std::uint64_t needed = sizeOf([t](const atmo::ContentFile& f) { return f.inTier(t); }, complete);
        if (complete) {
            plan.tiers.push_back(t);
            plan.tierBytesNeeded[t] = needed;
        }
    }
    if (!wholeComplete) {
        // A tier export: the core names it after the highest tier it completes.
        if (plan.tiers.empty()) {
            plan.error = tr("%1: the package is not complete for any of its tiers").arg(shown);
            return plan;
        }
        plan.sourceTier = plan.tiers.back();
    }
    plan.ok = true;
    return plan;
}
