#include "app/VerifyJob.h"

#include "app/StationPaths.h"
#include "core/trust_store.h"

VerifyJob::VerifyJob(Request request, QObject* parent)
    : Job(request.install ? tr("Installing") : tr("Verifying"), parent), request_(std::move(request))
{
}

void VerifyJob::run()
{
    const atmo::TrustStore trust(StationPaths::toPath(request_.trustDir));
    const auto tiersFile = StationPaths::toPath(request_.tiersFile);
    auto policy = atmo::TierPolicy::loadOrDefaults(tiersFile);
    if (request_.install && !policy) {
        // As `atmosphere package import`: a bad tiers.yaml installs nothing.
        report_.file = StationPaths::toPath(request_.file);
        report_.reason = policy.message();
        setOutcome(false, QString::fromStdString(report_.reason));
        fit_ = DeviceFit::forStation(report_, request_.installRoot, tiersFile, request_.installTier);
        return;
    }
    if (request_.install) {
        atmo::InstallOptions options;
        options.root = StationPaths::toPath(request_.installRoot);
        options.trust = &trust;
        options.tier = request_.installTier;
        options.policy = *policy;
        options.allowDowngrade = request_.allowDowngrade;
        atmo::InstallResult result =
            atmo::installPackage(StationPaths::toPath(request_.file), options, observer(), cancelToken());
        report_ = std::move(result.report);
        installed_ = std::move(result.installed);
        setOutcome(report_.ok && installed_.has_value(), QString::fromStdString(report_.reason));
    } else {
        atmo::VerifyOptions options;
        options.trust = &trust;
        options.tier = request_.tier;
        report_ = atmo::verifyPackage(StationPaths::toPath(request_.file), options, observer(), cancelToken());
        setOutcome(report_.ok, QString::fromStdString(report_.reason));
    }
    fit_ = DeviceFit::forStation(report_, request_.installRoot, tiersFile, request_.installTier);
}

void VerifyJob::deliver(Batch& batch)
{
    Job::deliver(batch);
    if (batch.signatures)
        emit signaturesChecked(*batch.signatures);
    if (!batch.files.empty())
        emit filesChecked(batch.files);
}
