#include "app/Verdict.h"

#include "app/DeviceFit.h"
#include "app/VerifyNote.h"
#include "app/Format.h"

#include <algorithm>

Verdict Verdict::none()
{
    return {Kind::None, tr("No package open"),
            tr("Open a .atmo file, or drop one on this window, to check its signatures and every file.")};
}

Verdict Verdict::checking(const QString& fileName)
{
    return {Kind::Checking, tr("Checking…"), tr("Checking the signatures and every file of %1.").arg(fileName)};
}

Verdict Verdict::cancelled()
{
    return {Kind::Cancelled, tr("Check cancelled"), tr("The package was not fully checked. Do not install it.")};
}

Verdict Verdict::of(const atmo::VerifyReport& report, const DeviceFit* fit)
{
    if (!report.ok) {
        if (report.code == atmo::ErrorCode::Cancelled)
            return cancelled();
        // In the window's language by the problem's kind; core's English
        // line, which names the rule, stays beside it as the technical detail.
        QString reason = VerifyNote::reason(report);
        if (reason.isEmpty())
            reason = tr("The package failed verification.");
        if (!reason.endsWith(QLatin1Char('.')))
            reason += QLatin1Char('.');
        return {Kind::Bad, tr("Do not install"), reason, QString::fromStdString(report.reason)};
    }
    Verdict v{Kind::Good, tr("Genuine and intact — ready to install"), {}};
    const QString name = report.manifest ? QString::fromStdString(report.manifest->name) : QString();
    const QString version = report.manifest ? QString::fromStdString(report.manifest->version) : QString();
    const auto count = [&report](atmo::FileState state) {
        return static_cast<int>(std::count_if(report.files.begin(), report.files.end(),
                                              [state](const atmo::FileCheck& f) { return f.state == state; }));
    };
    v.detail = tr("%1 %2: signed by a trusted mesh authority; all %n file(s) match their checksums.", nullptr,
                  count(atmo::FileState::Ok))
                   .arg(name, version);
    if (const int skipped = count(atmo::FileState::NotInArchive); skipped > 0)
        v.detail += QLatin1Char(' ') + tr("%n file(s) for other tiers are not in this export.", nullptr, skipped);
    if (fit && fit->known && !fit->packageCoversTier)
        v.detail += QLatin1Char(' ') + tr("It does not contain every file this machine's %1 needs (complete "
                                          "for %2).")
                                           .arg(Format::tier(fit->tier.tier))
                                           .arg(Format::tiers(report.completeTiers));
    if (report.manifest && report.manifest->delta) {
        const QString base = QString::fromStdString(report.manifest->delta->baseVersion);
        v.detail += QLatin1Char(' ') + tr("A delta update from %1: it installs only onto that version.").arg(base);
        if (fit && fit->deltaBase && !fit->deltaBase->ok()) {
            v.headline = fit->deltaBase->state == atmo::DeltaBaseState::AlreadyInstalled
                          ? tr("Genuine and intact — already installed")
                          : tr("Genuine and intact — needs version %1 installed first").arg(base);
            v.detail += QLatin1Char(' ') + Format::deltaBase(*fit->deltaBase, version) + QLatin1Char('.');
        }
    }
    return v;
}
