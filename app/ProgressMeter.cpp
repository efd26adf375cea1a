#include "app/ProgressMeter.h"

#include <algorithm>
#include <cmath>

int JobProgress::percent() const
{
    if (overall >= 0)
        return static_cast<int>(std::clamp(100.0 * overall, 0.0, 100.0));
    if (total == 0)
        return -1;
    const double p = 100.0 * static_cast<double>(done) / static_cast<double>(total);
    return static_cast<int>(std::clamp(p, 0.0, 100.0));
}

ProgressMeter::ProgressMeter(qint64 windowMsecs)
    : rate_(std::chrono::milliseconds(windowMsecs))
{
}

void ProgressMeter::reset()
{
    phase_ = atmo::Phase::None;
    rate_.reset();
}

JobProgress ProgressMeter::sample(atmo::Phase phase, std::uint64_t done, std::uint64_t total,
                                  const QString& item, qint64 nowMsecs)
{
    if (phase != phase_) {
        phase_ = phase;
        rate_.reset();
    }
    const atmo::SteadyTime now{std::chrono::milliseconds(nowMsecs)};
    rate_.addTotal(done, now);

    JobProgress p;
    p.phase = phase;
    p.done = done;
    p.total = total;
    p.item = item;
    // Half a second of data before guessing: the first samples are noisy.
    if (rate_.measured(now) >= std::chrono::milliseconds(500)) {
        p.bytesPerSecond = rate_.rate(now);
        if (const auto left = atmo::secondsLeft(total > done ? total - done : 0, p.bytesPerSecond);
            left && total > 0 && total >= done)
            p.secondsLeft = static_cast<qint64>(std::ceil(*left));
    }
    return p;
}
