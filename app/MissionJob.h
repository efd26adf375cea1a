// Reads a mission directory off the GUI thread (scanning counts knowledge
// records and parses every YAML file), optionally after assembling a new
// mission from picked files (which copies them, possibly gigabytes).
#pragma once

#include <QString>

#include <optional>

#include "app/Job.h"
#include "app/MissionAssembler.h"
#include "core/package/mission.h"

class MissionJob : public Job {
    Q_OBJECT
public:
    struct AssembleRequest {
        MissionAssembler assembler;
        QString id;
        QString name;
        std::vector<int> tiers;
    };

    static MissionJob* scan(QString dir, QObject* parent = nullptr);
    static MissionJob* assemble(QString dir, AssembleRequest request, QObject* parent = nullptr);

    QString dir() const { return dir_; }
    // Valid once finished successfully.
    const atmo::Mission& mission() const { return mission_; }

protected:
    void run() override;

private:
    MissionJob(QString dir, QObject* parent);
    QString dir_;
    std::optional<AssembleRequest> assemble_;
    atmo::Mission mission_;
};
