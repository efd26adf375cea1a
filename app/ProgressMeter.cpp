#include "app/ProgressMeter.h"

#include <algorithm>
#include <cmath>

int JobProgress::percent() const
{
    if (total == 0)
        return -1;
    const double p = 100.0 * static_cast<double>(done) / static_cast<double>(total);
    return static_cast<int>(std::clamp(p, 0.0, 100.0));
}

ProgressMeter::ProgressMeter(qint64 windowMsecs) : window_(windowMsecs) {}

void ProgressMeter::reset()
{
    phase_ = atmo::Phase::None;
    points_.clear();
}

JobProgress ProgressMeter::sample(atmo::Phase phase, std::uint64_t done, std::uint64_t total,
                                  const QString& item, qint64 nowMsecs)
{
    if (phase != phase_ || (!points_.empty() && done < points_.back().done)) {
        phase_ = phase;
        points_.clear();
    }
    points_.push_back({nowMsecs, done});
    while (points_.size() > 2 && nowMsecs - points_.front().t > window_)
        points_.pop_front();

    JobProgress p;
    p.phase = phase;
    p.done = done;
    p.total = total;
    p.item = item;
    const Point& first = points_.front();
    const qint64 dt = nowMsecs - first.t;
    // Half a second of data before guessing: the first samples are noisy.
    if (dt >= 500 && done > first.done) {
        p.bytesPerSecond = static_cast<double>(done - first.done) * 1000.0 / static_cast<double>(dt);
        if (total >= done && p.bytesPerSecond > 0)
            p.secondsLeft = static_cast<qint64>(std::ceil(static_cast<double>(total - done) / p.bytesPerSecond));
    }
    return p;
}
