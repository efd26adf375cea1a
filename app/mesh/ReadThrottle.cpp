#include "app/mesh/ReadThrottle.h"

#include <algorithm>

ReadThrottle::ReadThrottle(QObject* parent) : QObject(parent)
{
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, &ReadThrottle::ready);
}

void ReadThrottle::setRate(std::uint64_t bytesPerSecond)
{
    limiter_.setRate(bytesPerSecond, 0, std::chrono::steady_clock::now());
    timer_.start(0);
}

std::uint64_t ReadThrottle::allowance()
{
    if (limiter_.unlimited())
        return UINT64_MAX;
    const auto now = std::chrono::steady_clock::now();
    const std::uint64_t allowed = limiter_.available(now);
    if (allowed == 0 && !timer_.isActive()) {
        // Wake when a useful amount is back, not for every byte.
        const auto wait = limiter_.waitFor(64 * 1024, now);
        timer_.start(std::max<int>(1, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count())));
    }
    return allowed;
}
