#include "app/CreateJob.h"

#include <QFileInfo>
#include <QMetaObject>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "app/PathConversion.h"
#include "core/base/fs_util.h"
#include "core/package/mission_registry.h"
#include "core/package/package_store.h"
#include "core/package/trust_store.h"
#include "core/package/station_home.h"

CreateJob::CreateJob(Request request, QObject* parent) : Job(tr("Building"), parent), request_(std::move(request))
{
    setLogName(QStringLiteral("build %1 %2").arg(QFileInfo(request_.missionDir).fileName(), request_.version));
}

void CreateJob::run()
{
    const atmo::StationHome home = request_.home.value_or(atmo::StationHome(toFsPath(request_.homeDir)));
    if (auto st = home.ensure(); !st) {
        setFailure(st.error());
        return;
    }
    std::error_code ec;
    std::filesystem::create_directories(toFsPath(request_.outputDir), ec);

    atmo::CreateOptions options;
    options.missionDir = toFsPath(request_.missionDir);
    options.version = request_.version.toStdString();
    options.outputDir = toFsPath(request_.outputDir);
    options.meshKey = request_.meshKey;
    options.founderKey = request_.founderKey;
    options.compression = request_.compression;
    options.stationName = home.stationName();
    if (auto identity = home.identity())
        options.stationKey = identity.value();
    const atmo::TrustStore trust(home.trustDir());
    if (!request_.deltaFrom.isEmpty()) {
        options.deltaFrom = toFsPath(request_.deltaFrom);
        options.trust = &trust;
    }

    atmo::PackageStore store(home.storeIndex());
    const int count = static_cast<int>(request_.outputs.size());
    for (int i = 0; i < count; ++i) {
        if (cancelToken().cancelled())
            break;
        current_ = i;
        QMetaObject::invokeMethod(this, [this, i, count] { emit outputStarted(i, count); }, Qt::QueuedConnection);
        options.tier = request_.outputs[static_cast<std::size_t>(i)];
        auto result = atmo::createPackage(options, observer(), cancelToken());
        if (!result) {
            // Outputs already finished stay: each is complete and signed.
            setFailure(result.error());
            return;
        }
        atmo::StoredPackage stored;
        stored.id = result->manifest.id;
        stored.version = result->manifest.version;
        stored.tier = options.tier;
        stored.file = result->file;
        stored.bytes = result->archiveBytes;
        stored.addedAt = atmo::utcTimestamp();
        if (result->manifest.delta)
            stored.deltaFrom = result->manifest.delta->baseVersion;
        (void)store.add(stored); // the index is a convenience; the package itself is what counts
        results_.push_back(std::move(result.value()));
    }
    // Remembered by id, so `atmosphere package create --mission <id>` finds
    // the mission this window built; a convenience like the store index.
    if (!results_.empty())
        (void)atmo::MissionRegistry(home.missionsIndex()).record(results_.front().manifest.id, options.missionDir);
    if (cancelToken().cancelled())
        setFailure(atmo::Error{"cancelled", atmo::ErrorCode::Cancelled});
    else
        setOutcome(true, {});
}

double CreateJob::overallFraction(const atmo::Progress& report) const
{
    const int count = std::max<int>(1, static_cast<int>(request_.outputs.size()));
    const double within = report.total > 0 ? static_cast<double>(report.done) / static_cast<double>(report.total) : 0.0;
    double share = -1;
    if (report.phase == atmo::Phase::Hashing)
        share = 0.5 * within;
    else if (report.phase == atmo::Phase::Writing)
        share = 0.5 + 0.45 * within;
    else if (report.phase == atmo::Phase::Syncing) // the archive is written; the flush to the disk is left
        share = 0.95 + 0.05 * within;
    if (share < 0)
        return -1; // the bar stays where it is
    return (current_ + std::clamp(share, 0.0, 1.0)) / count;
}
