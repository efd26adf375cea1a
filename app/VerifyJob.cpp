#include "app/VerifyJob.h"

#include <QFileInfo>

#include "app/PathConversion.h"
#include "core/package/package_store.h"
#include "core/package/trust_store.h"

VerifyJob::VerifyJob(Request request, QObject* parent)
    : Job(request.install ? tr("Installing") : tr("Verifying"), parent), request_(std::move(request))
{
    setLogName((request_.install ? QStringLiteral("install ") : QStringLiteral("verify ")) +
               QFileInfo(request_.file).fileName());
}

void VerifyJob::run()
{
    const atmo::TrustStore trust(toFsPath(request_.trustDir));
    const auto tiersFile = toFsPath(request_.tiersFile);
    auto policy = atmo::TierPolicy::loadOrDefaults(tiersFile);
    if (request_.install && !policy) {
        // As `atmosphere package import`: a bad tiers.yaml installs nothing.
        report_.file = toFsPath(request_.file);
        report_.reason = policy.message();
        report_.code = policy.error().code;
        setFailure(policy.error());
        fit_ = DeviceFit::forStation(report_, request_.installRoot, tiersFile, request_.installTier);
        return;
    }
    if (request_.install) {
        atmo::InstallOptions options;
        options.root = toFsPath(request_.installRoot);
        options.trust = &trust;
        options.tier = request_.installTier;
        options.policy = *policy;
        options.allowDowngrade = request_.allowDowngrade;
        atmo::InstallResult result =
            atmo::installPackage(toFsPath(request_.file), options, observer(), cancelToken());
        report_ = std::move(result.report);
        installed_ = std::move(result.installed);
        setReportOutcome(report_.ok && installed_.has_value());
    } else {
        atmo::VerifyOptions options;
        options.trust = &trust;
        options.tier = request_.tier;
        report_ = atmo::verifyPackage(toFsPath(request_.file), options, observer(), cancelToken());
        setReportOutcome(report_.ok);
    }
    recordInStore();
    fit_ = DeviceFit::forStation(report_, request_.installRoot, tiersFile, request_.installTier);
}

void VerifyJob::recordInStore() const
{
    // The store is a convenience: a home it cannot write to changes nothing here.
    if (request_.storeIndex.isEmpty())
        return;
    // A refusal for this machine or this install root (a downgrade, say)
    // says nothing about the package: nothing is recorded then.
    if (const auto event = atmo::eventOf(report_, installed_.has_value()))
        (void)atmo::PackageStore(toFsPath(request_.storeIndex)).record(toFsPath(request_.file), *event);
}

void VerifyJob::setReportOutcome(bool ok)
{
    if (ok)
        setOutcome(true, {});
    else
        setFailure(atmo::Error{report_.reason, report_.code, report_.file.filename().string()});
}

void VerifyJob::deliver(Batch& batch)
{
    Job::deliver(batch);
    if (batch.signatures)
        emit signaturesChecked(*batch.signatures);
    if (!batch.files.empty())
        emit filesChecked(batch.files);
}
