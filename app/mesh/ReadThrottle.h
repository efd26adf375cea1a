// The rate cap of one MeshDownload over all its peers: the core's token
// bucket (RateLimiter) and the timer that wakes the reads once the bucket
// has refilled. Reading less from the sockets is what slows the peers down
// (TCP flow control through the replies' bounded buffers), so no peer has to
// cooperate.
#pragma once

#include <QObject>
#include <QTimer>

#include <cstdint>

#include "core/transfer/download_progress.h"
#include "core/transfer/rate_limiter.h"

class ReadThrottle : public QObject {
    Q_OBJECT
public:
    explicit ReadThrottle(QObject* parent = nullptr);

    // Bytes per second, 0 = uncapped; takes effect at once (ready() follows,
    // so held-back reads take what the new rate allows).
    void setRate(std::uint64_t bytesPerSecond);
    std::uint64_t rate() const { return limiter_.rate(); }

    // Bytes that may be read now; 0 arms a wake-up (ready()).
    std::uint64_t allowance();
    void consumed(std::uint64_t bytes, atmo::SteadyTime now) { limiter_.consume(bytes, now); }
    void stop() { timer_.stop(); }

signals:
    void ready();

private:
    atmo::RateLimiter limiter_;
    QTimer timer_;
};
