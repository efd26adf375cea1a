#include "PullRun.h"

#include <QEventLoop>
#include <QTimer>

#include <iostream>

#include "app/mesh/MeshDownload.h"
#include "app/relay/RelayClient.h"
#include "core/base/fs_util.h"

namespace cli {

PullRun runPull(const Context& ctx, MeshDownload& download, const QString& id, int sourceCount, RelayClient* relay)
{
    atmo::CancelToken interrupt;
    installCancelOnSignal(interrupt);
    TerminalProgress bar(!ctx.json());
    QEventLoop loop;
    bool paused = false;
    std::optional<atmo::Error> abandoned;
    QObject::connect(&download, &MeshDownload::progressChanged, &loop, [&](const atmo::DownloadProgress& pr) {
        bar.onProgress({atmo::Phase::Downloading, pr.bytesDownloaded, pr.totalBytes, s(id)});
    });
    QObject::connect(&download, &MeshDownload::phaseProgress, &loop, [&](atmo::Phase phase, quint64 d, quint64 t) {
        bar.onProgress({phase, d, t, s(id)});
    });
    QObject::connect(&download, &MeshDownload::peerProblem, &loop, [&](const QString&, const QString& message) {
        if (sourceCount < 2)
            return; // the failure line says it
        bar.done();
        std::cerr << "atmosphere: note: " << s(id) << ": " << s(message) << "\n";
    });
    QObject::connect(&download, &MeshDownload::retrying, &loop, [&](const QString& message) {
        bar.done();
        std::cerr << "atmosphere: note: " << s(message) << "\n";
    });
    QObject::connect(&download, &MeshDownload::finished, &loop, [&] { loop.quit(); });
    if (relay) {
        bool lost = false;
        QObject::connect(relay, &RelayClient::stateChanged, &loop, [&, lost](RelayClient::State state,
                                                                             const QString& message) mutable {
            switch (state) {
            case RelayClient::State::Replaced:
                // Another connection of this node (a running `atmosphere serve` or
                // window on this home) took the link, and a pull never takes it back.
                abandoned = atmo::Error{s(id + ": " + message +
                                          " (another program of this station is on the relay as the same node; "
                                          "pull while it is stopped)"),
                                        atmo::ErrorCode::Busy};
                break;
            case RelayClient::State::Refused:
                abandoned = atmo::Error{s(id + ": " + message), atmo::ErrorCode::Untrusted};
                break;
            case RelayClient::State::Backoff:
                if (!lost) {
                    lost = true;
                    bar.done();
                    std::cerr << "atmosphere: note: relay link lost: " << s(message) << std::endl;
                }
                return;
            case RelayClient::State::Joined:
                if (lost) {
                    lost = false;
                    bar.done();
                    std::cerr << "atmosphere: note: " << s(id) << ": relay link back; asking again from "
                              << atmo::humanBytes(download.progress().bytesDownloaded) << " of "
                              << atmo::humanBytes(download.spec().sizeBytes) << std::endl;
                }
                return;
            default: return;
            }
            download.pause();
            loop.quit();
        });
    }
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (interrupt.cancelled() && !paused) {
            paused = true;
            download.pause();
            loop.quit();
        }
    });
    poll.start(100);
    QTimer::singleShot(0, &download, &MeshDownload::start);
    loop.exec();
    bar.done();

    PullRun run;
    if (abandoned) {
        run.error = *abandoned;
    } else if (paused) {
        // Interrupted: kept to resume, and said as a cancellation (exit 130, or 143 on SIGTERM).
        const auto pr = download.progress();
        run.error = atmo::Error{s(id) + ": paused at " + atmo::humanBytes(pr.bytesDownloaded) + " of " +
                                    atmo::humanBytes(pr.totalBytes) + "; run the same command again to resume",
                                atmo::ErrorCode::Cancelled};
        run.end = PullRun::End::Paused;
    } else if (download.state() == MeshDownload::State::Finished) {
        run.end = PullRun::End::Finished;
    } else {
        run.error = atmo::Error{s(download.error()), download.errorCode()};
    }
    if (relay) {
        // The senders hear the last ack, cancel or complete before the link goes.
        QEventLoop drain;
        QTimer::singleShot(200, &drain, &QEventLoop::quit);
        drain.exec();
    }
    return run;
}

} // namespace cli
