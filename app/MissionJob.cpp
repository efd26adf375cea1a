#include "app/MissionJob.h"

#include <QFileInfo>

#include "app/PathConversion.h"

MissionJob::MissionJob(QString dir, QObject* parent) : Job(tr("Reading mission"), parent), dir_(std::move(dir))
{
    setLogName(QStringLiteral("read mission ") + QFileInfo(dir_).fileName());
}

MissionJob* MissionJob::scan(QString dir, QObject* parent) { return new MissionJob(std::move(dir), parent); }

MissionJob* MissionJob::assemble(QString dir, AssembleRequest request, QObject* parent)
{
    auto* job = new MissionJob(std::move(dir), parent);
    job->assemble_ = std::move(request);
    return job;
}

void MissionJob::run()
{
    if (assemble_) {
        const QString error = assemble_->assembler.create(dir_, assemble_->id, assemble_->name, assemble_->tiers);
        if (!error.isEmpty()) {
            setOutcome(false, error);
            return;
        }
    }
    auto scanned = atmo::scanMission(toFsPath(dir_));
    if (!scanned) {
        setFailure(scanned.error());
        return;
    }
    mission_ = std::move(scanned.value());
    setOutcome(true, {});
}
