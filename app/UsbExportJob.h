// Writes one package to several drives at once with the core's export
// (core/drives/package_export.h: one read of the source, a writer thread per drive,
// flush, cache drop, read-back compare, then the final name), and reports
// each drive on its own: phase, bytes, speed and time left, then verified or
// the drive's own error. One failing drive never stops the others. With
// eject, each drive that verified is unmounted and powered off afterwards.
//
// Per-drive reports come from the writer threads; they are coalesced under a
// mutex and delivered to the GUI thread at most one batch at a time (as
// QueuedObserver does for single jobs), so a fast drive cannot flood the
// event loop.
#pragma once

#include <QString>

#include <memory>
#include <optional>
#include <vector>

#include "app/Job.h"
#include "app/ProgressMeter.h"
#include "core/drives/drive_eject.h"
#include "core/drives/drives.h"
#include "core/drives/package_export.h"
#include "core/package/station_home.h"

class UsbExportJob : public Job {
    Q_OBJECT
public:
    struct Target {
        QString directory;                // where the file goes: the drive's mount point
        QString name;                     // as the user knows it: "SanDisk Cruzer Blade (STICK)"
        std::optional<atmo::Drive> drive; // for eject; nullopt: a plain folder
    };
    struct Request {
        QString package;
        std::optional<int> tier;          // nullopt: the package as stored
        std::vector<Target> targets;
        bool eject = false;
        QString homeDir;                  // station home: trust store, identity (custody), name
        std::optional<atmo::StationHome> home; // the home itself (its XDG places); unset: homeDir holds everything
    };

    enum class Phase { Waiting, Writing, Flushing, ReadingBack, Verified, Ejecting, Ejected, Failed };
    struct DriveState {
        Phase phase = Phase::Waiting;
        JobProgress progress;             // bytes and speed of the current phase; time left of the whole drive
        double fraction = 0;              // of the whole drive (write, flush, read back), 0..1, never back
        bool ok = false;                  // written and verified
        QString error;                    // when Failed: one line, the drive's own reason, translated (with detail)
        QString errorDetail;              // core's English line when it says more than error
        QString file;                     // final path, when ok
        std::uint64_t bytes = 0;
        QString sha256;                   // of the file written, which the read-back matched
        QString ejectNote;                // what the eject did or why it failed
        QString ejectDetail;              // core's English line when the eject failed
        bool ejectFailed = false;
    };

    explicit UsbExportJob(Request request, QObject* parent = nullptr);
    ~UsbExportJob() override;

    const Request& request() const { return request_; }
    int driveCount() const { return static_cast<int>(drives_.size()); }
    const DriveState& drive(int index) const { return drives_[static_cast<std::size_t>(index)]; }
    // 0..1 over every drive (a failed drive counts as done), for the
    // overall bar and the window title; never goes back.
    double overallFraction() const;
    // Of the whole write, at its average pace so far; -1 while unknown.
    qint64 secondsLeft() const;
    int succeededCount() const;

    static QString phaseText(Phase phase); // "Writing", "Flushing", "Reading back", ...
    // A drive's state after an eject: Ejected with what it did, or Verified
    // with the reason it could not be ejected (ejectFailed). Used after the
    // write ("Eject when done") and for the Eject button afterwards.
    static DriveState afterEject(DriveState state, const atmo::Result<atmo::EjectOutcome>& outcome);

signals:
    void driveChanged(int index);

protected:
    void run() override;
    const QLoggingCategory& logCategory() const override;

private:
    class Relay;
    friend class Relay;
    void applyProgress(int index, atmo::Phase phase, std::uint64_t done, std::uint64_t total);
    void applyDone(int index, const atmo::TargetResult& result);
    void applyFile(int index, const QString& file);
    void applyEject(int index, const DriveState& after);

    Request request_;
    std::vector<DriveState> drives_;
    std::vector<ProgressMeter> meters_;
    std::unique_ptr<Relay> relay_;
};
