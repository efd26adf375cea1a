// Speed and time left for a job's progress: core's RateMeter (one meter for
// downloads, jobs and the CLI) over the last few seconds of a phase, as Qt
// values. Plain value type; the caller supplies the clock so tests can drive it.
#pragma once

#include <QString>

#include <cstdint>

#include "core/base/rate_meter.h"

#include "core/base/progress.h"

struct JobProgress {
    atmo::Phase phase = atmo::Phase::None;
    std::uint64_t done = 0;
    std::uint64_t total = 0;
    QString item;
    std::uint64_t itemDone = 0;  // bytes of item itself, when its work says (0 of 0: unknown)
    std::uint64_t itemTotal = 0;
    double bytesPerSecond = 0; // 0 while unknown (of this phase's bytes)
    qint64 secondsLeft = -1;   // -1 while unknown
    // The share of the whole job done, across its phases and outputs (0..1),
    // for jobs that know their phases (building: hashing, then writing, per
    // output); -1: the phase's done/total is all there is.
    double overall = -1;
    int percent() const;       // 0..100 (of overall when known), -1 when the total is unknown
};

class ProgressMeter {
public:
    explicit ProgressMeter(qint64 windowMsecs = 3000);
    void reset();
    // A new phase restarts the measurement.
    JobProgress sample(atmo::Phase phase, std::uint64_t done, std::uint64_t total, const QString& item,
                       qint64 nowMsecs);

private:
    atmo::Phase phase_ = atmo::Phase::None;
    atmo::RateMeter rate_;
};
