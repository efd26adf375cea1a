// Builds one or more packages from a mission directory: the full package
// and/or one export per tier, each signed with keys already unlocked. Every
// output is recorded in the station's package store. Cancelling removes
// whatever was not finished (the core writes under temporary names).
#pragma once

#include <QString>

#include <atomic>
#include <optional>
#include <vector>

#include "app/Job.h"
#include "core/package/archive_writer.h"
#include "core/package/minisign.h"
#include "core/package/package_writer.h"
#include "core/package/station_home.h"

class CreateJob : public Job {
    Q_OBJECT
public:
    struct Request {
        QString missionDir;
        QString version;
        QString outputDir;
        atmo::SecretKey meshKey;
        std::optional<atmo::SecretKey> founderKey;
        std::vector<std::optional<int>> outputs; // nullopt = the full package; N = tier N's export
        atmo::Compression compression = atmo::Compression::None;
        QString homeDir;                          // station home: identity key, name, store
        std::optional<atmo::StationHome> home;    // the home itself (its XDG places); unset: homeDir holds everything
        QString deltaFrom; // each output a delta update from this package (checked against home's trust)
    };

    explicit CreateJob(Request request, QObject* parent = nullptr);

    const Request& request() const { return request_; }
    // Valid once finished; in the order of request().outputs.
    const std::vector<atmo::CreateResult>& results() const { return results_; }
    // Index of the output being built (for "package 2 of 3").
    int currentOutput() const { return current_; }

signals:
    void outputStarted(int index, int count);

protected:
    void run() override;
    // Each output is an equal share; within one, hashing is the first half,
    // writing most of the second and the final flush the rest (a delta's
    // other phases keep the bar where it is).
    double overallFraction(const atmo::Progress& report) const override;

private:
    Request request_;
    std::vector<atmo::CreateResult> results_;
    std::atomic<int> current_{0}; // written by the worker, read by the GUI thread
};
