#include "app/VerifyJob.h"

#include "app/PathConversion.h"
#include "core/trust_store.h"

VerifyJob::VerifyJob(Request request, QObject* parent)
    : Job(request.install ? tr("Installing") : tr("Verifying"), parent), request_(std::move(request))
{
}

void VerifyJob::run()
{
    const atmo::TrustStore trust(toFsPath(request_.trustDir));
    auto policy = atmo::TierPolicy::loadOrDefaults(toFsPath(request_.tiersFile));
    const atmo::TierPolicy tierPolicy = policy ? policy.value() : atmo::TierPolicy::defaults();
    if (request_.install) {
        atmo::InstallOptions options;
        options.root = toFsPath(request_.installRoot);
        options.trust = &trust;
        options.tier = request_.installTier;
        options.policy = tierPolicy;
        options.allowDowngrade = request_.allowDowngrade;
        atmo::InstallResult result =
            atmo::installPackage(toFsPath(request_.file), options, observer(), cancelToken());
        report_ = std::move(result.report);
        installed_ = std::move(result.installed);
        setOutcome(report_.ok && installed_.has_value(), QString::fromStdString(report_.reason));
    } else {
        atmo::VerifyOptions options;
        options.trust = &trust;
        options.tier = request_.tier;
        report_ = atmo::verifyPackage(toFsPath(request_.file), options, observer(), cancelToken());
        setOutcome(report_.ok, QString::fromStdString(report_.reason));
    }
    fit_ = DeviceFit::evaluate(report_, request_.installRoot, tierPolicy, request_.installTier);
}

void VerifyJob::deliver(Batch& batch)
{
    Job::deliver(batch);
    if (batch.signatures)
        emit signaturesChecked(*batch.signatures);
    if (!batch.files.empty())
        emit filesChecked(batch.files);
}
