#include "ReportOutput.h"

#include <QJsonArray>

#include "core/base/fs_util.h"

namespace cli {

namespace {

QString tiersText(const std::vector<int>& tiers)
{
    QStringList parts;
    for (int t : tiers)
        parts << tierText(t);
    return parts.join(", ");
}

QString roleLabel(const std::string& role)
{
    return role == atmo::kRoleMesh ? "mesh authority" : "founder";
}

} // namespace

QString tierText(int tier)
{
    return q(atmo::tierName(tier));
}

QJsonArray tiersJson(const std::vector<int>& tiers)
{
    QJsonArray a;
    for (int t : tiers)
        a.append(tierText(t));
    return a;
}

QJsonObject sizesJson(const atmo::Manifest& m)
{
    QJsonObject sizes;
    for (const auto& [t, size] : m.sizeByTier)
        sizes[tierText(t)] = qint64(size);
    return sizes;
}

QString sizesText(const atmo::Manifest& m)
{
    QStringList sizes;
    for (const auto& [t, size] : m.sizeByTier)
        sizes << QString("%1: %2").arg(tierText(t), q(atmo::humanBytes(size)));
    return sizes.join(", ");
}

QJsonObject requirementsJson(const atmo::TierRequirementMap& requirements)
{
    QJsonObject o;
    for (const auto& [t, r] : requirements) {
        QJsonObject ro{{"gpu", r.gpuRequired ? "required" : "optional"}};
        if (r.minRamGb)
            ro["min_ram_gb"] = *r.minRamGb;
        if (r.vramGb)
            ro["vram_gb"] = *r.vramGb;
        o[tierText(t)] = ro;
    }
    return o;
}

QString requirementsText(const atmo::TierRequirementMap& requirements)
{
    QStringList tiers;
    for (const auto& [t, r] : requirements) {
        QStringList needs;
        if (r.minRamGb && *r.minRamGb > 0)
            needs << QString("%1 GB RAM").arg(QString::number(*r.minRamGb, 'g', 15));
        if (r.gpuRequired)
            needs << "a GPU";
        if (r.vramGb && *r.vramGb > 0)
            needs << QString("%1 GB VRAM").arg(QString::number(*r.vramGb, 'g', 15));
        tiers << tierText(t) + ": " + (needs.isEmpty() ? QString("nothing") : needs.join(", "));
    }
    return tiers.join("; ");
}

QJsonObject deltaJson(const atmo::DeltaSection& d)
{
    static const char* const types[] = {"updated", "added", "removed"};
    QJsonArray changes;
    for (const auto& c : d.changes) {
        QJsonObject o{{"kind", q(std::string(atmo::kindSection(c.kind)))},
                      {"change", types[static_cast<int>(c.type)]},
                      {"id", q(c.id)},
                      {"path", q(c.path)}};
        if (!c.from.empty())
            o["from"] = q(c.from);
        if (!c.to.empty())
            o["to"] = q(c.to);
        if (c.viaDelta()) {
            o["delta"] = q(c.delta);
            o["delta_bytes"] = qint64(c.deltaSize);
        }
        changes.append(o);
    }
    QJsonArray unchanged;
    for (const auto& p : d.unchanged)
        unchanged.append(q(p));
    return {{"base_version", q(d.baseVersion)},
            {"target_version", q(d.targetVersion)},
            {"base_manifest_sha256", q(d.baseManifestSha256)},
            {"changes", changes},
            {"unchanged", unchanged},
            {"chunks_added", qint64(d.chunks.added)},
            {"chunks_removed", qint64(d.chunks.removed)},
            {"chunks_updated", qint64(d.chunks.updated)}};
}

QJsonObject reportJson(const atmo::VerifyReport& r)
{
    QJsonObject o{{"ok", r.ok}, {"file", q(r.file.string())}, {"archive_bytes", qint64(r.archiveBytes)},
                  {"compression", r.compression == atmo::Compression::Zstd ? "zstd" : "none"}};
    if (!r.ok) {
        o["reason"] = q(r.reason);
        o["code"] = QString::fromLatin1(atmo::errorCodeName(r.code));
        // The kind of problem, for scripts that act on it (the reason's words may change).
        o["problem"] = q(std::string(atmo::verifyProblemName(r.problem)));
        if (!r.problemPath.empty())
            o["problem_path"] = q(r.problemPath);
        if (!r.problemKeyId.empty())
            o["problem_key_id"] = q(r.problemKeyId);
    }
    if (r.manifest) {
        const auto& m = *r.manifest;
        QJsonObject package{{"id", q(m.id)},         {"name", q(m.name)},
                            {"version", q(m.version)}, {"created", q(m.created)},
                            {"created_by", q(m.createdBy)}, {"tiers", tiersJson(m.tiers)},
                            {"size_by_tier", sizesJson(m)},  {"manifest_sha256", q(r.manifestSha256)}};
        if (!m.requirements.empty())
            package["requirements"] = requirementsJson(m.requirements);
        o["package"] = package;
        if (m.delta)
            o["delta"] = deltaJson(*m.delta);
    }
    if (r.tier)
        o["tier"] = tierText(*r.tier);
    o["complete_tiers"] = tiersJson(r.completeTiers);
    QJsonArray sigs;
    for (const auto& c : r.signatures) {
        QJsonObject so{{"role", q(c.role)},
                       {"state", q(std::string(atmo::signatureStateName(c.state)))},
                       {"key_id", q(c.keyId)},
                       {"trusted", c.trusted},
                       {"trusted_name", q(c.trustedName)},
                       {"trusted_comment", q(c.trustedComment)}};
        if (!c.message.empty())
            so["message"] = q(c.message);
        sigs.append(so);
    }
    o["signatures"] = sigs;
    QJsonArray custody;
    for (const auto& c : r.custody)
        custody.append(QJsonObject{{"station", q(c.entry.station)}, {"key_id", q(c.entry.keyId)},
                                   {"time", q(c.entry.time)},       {"action", q(c.entry.action)},
                                   {"detail", q(c.entry.detail)},   {"valid", c.valid},
                                   {"trusted", c.trusted},          {"trusted_name", q(c.trustedName)}});
    o["custody"] = custody;
    QJsonArray files;
    for (const auto& f : r.files) {
        QJsonObject fo{{"path", q(f.path)},
                       {"kind", q(std::string(atmo::kindSection(f.kind)))},
                       {"size", qint64(f.size)},
                       {"tiers", tiersJson(f.tiers)},
                       {"expected_sha256", q(f.expectedSha256)},
                       {"computed_sha256", q(f.computedSha256)},
                       {"state", q(std::string(atmo::fileStateName(f.state)))}};
        if (!f.message.empty())
            fo["message"] = q(f.message);
        if (f.problem != atmo::VerifyProblem::None)
            fo["problem"] = q(std::string(atmo::verifyProblemName(f.problem)));
        files.append(fo);
    }
    o["files"] = files;
    return o;
}

void printReport(const Context& ctx, const atmo::VerifyReport& r)
{
    if (r.ok)
        ctx.print("GENUINE AND INTACT: " + q(r.file.filename().string()));
    else
        ctx.print("DO NOT INSTALL: " + q(r.reason));
    if (r.manifest) {
        const auto& m = *r.manifest;
        ctx.print(QString("  package    %1 %2 (%3), created %4 by %5")
                      .arg(q(m.id), q(m.version), q(m.name), q(m.created), q(m.createdBy)));
        ctx.print("  tiers      " + sizesText(m));
        if (m.delta)
            ctx.print(QString("  delta      update %1 -> %2: %3")
                          .arg(q(m.delta->baseVersion), q(m.version), q(m.delta->summary())));
        if (!m.requirements.empty())
            ctx.print("  requires   " + requirementsText(m.requirements));
        if (r.ok)
            ctx.print("  complete   for " + tiersText(r.completeTiers) +
                      (r.tier ? QString(" (checked for %1)").arg(tierText(*r.tier)) : QString()));
    }
    for (const auto& c : r.signatures) {
        QString line = QString("  %1 %2").arg(roleLabel(c.role), -15).arg(q(std::string(atmo::signatureStateName(c.state))));
        if (!c.keyId.empty())
            line += "  key " + q(c.keyId);
        if (c.trusted)
            line += " (trusted: " + q(c.trustedName) + ")";
        if (c.state != atmo::SignatureState::Valid && c.state != atmo::SignatureState::Missing && !c.message.empty())
            line += "  " + q(c.message);
        ctx.print(line);
    }
    for (const auto& c : r.custody)
        ctx.print(QString("  custody    %1 %2 by %3 (key %4)%5%6")
                      .arg(q(c.entry.time), q(c.entry.action), q(c.entry.station), q(c.entry.keyId),
                           c.valid ? (c.trusted ? QString(", trusted: %1").arg(q(c.trustedName)) : QString(", NOT TRUSTED"))
                                   : QString(", INVALID SIGNATURE"),
                           c.entry.detail.empty() ? QString() : QString(" — %1").arg(q(c.entry.detail))));
    int ok = 0, failed = 0, missing = 0, absent = 0;
    for (const auto& f : r.files) {
        switch (f.state) {
        case atmo::FileState::Ok: ++ok; break;
        case atmo::FileState::Failed: ++failed; break;
        case atmo::FileState::Missing: ++missing; break;
        case atmo::FileState::NotInArchive: ++absent; break;
        default: break;
        }
    }
    if (!r.files.empty()) {
        QString line = QString("  files      %1 verified").arg(ok);
        if (failed)
            line += QString(", %1 FAILED").arg(failed);
        if (missing && r.tierMismatch && r.tier)
            line += QString(", %1 needed for %2 not in this export").arg(missing).arg(tierText(*r.tier));
        else if (missing)
            line += QString(", %1 MISSING").arg(missing);
        if (absent)
            line += QString(", %1 of other tiers not in this archive").arg(absent);
        ctx.print(line);
        for (const auto& f : r.files)
            if (f.state == atmo::FileState::Failed || f.state == atmo::FileState::Missing)
                ctx.print("    " + about(q(f.path), f.message));
    }
}

} // namespace cli
