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
    auto policy = atmo::TierPolicy::loadOrDefaults(StationPaths::toPath(request_.tiersFile));
    const atmo::TierPolicy tierPolicy = policy ? policy.value() : atmo::TierPolicy::defaults();
    if (request_.install) {
        atmo::InstallOptions options;
        options.root = StationPaths::toPath(request_.installRoot);
        options.trust = &trust;
        options.tier = request_.installTier;
        options.policy = tierPolicy;
        options.allowDowngrade = request_.allowDowngrade;
        atmo::InstallResult result =
            atmo::installPackage(StationPaths::toPath(request_.file), options, observer(), cancelToken());
        report_ = std::move(result.report);
        installed_ = std::move(result.installed);
        setReportOutcome(report_.ok && installed_.has_value());
    } else {
        atmo::VerifyOptions options;
        options.trust = &trust;
        options.tier = request_.tier;
        report_ = atmo::verifyPackage(StationPaths::toPath(request_.file), options, observer(), cancelToken());
        setReportOutcome(report_.ok);
    }
    fit_ = DeviceFit::evaluate(report_, request_.installRoot, tierPolicy, request_.installTier);
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
