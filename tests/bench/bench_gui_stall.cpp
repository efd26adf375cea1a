// GUI stall benchmark (issue 13: the lag measurement tst_gui_stall used to
// assert on). Offscreen, in one process:
//
//  1. verify: a package of --size bytes (one large model and 400 small files,
//     so rows arrive in bursts) is checked in Import & Verify while a 5 ms
//     precise timer measures the event loop: the longest gap between two
//     ticks, the 99th percentile and the median.
//  2. pause/cancel: a --download-size model is downloaded from
//     tests/mesh/bridge_peer.py on 127.0.0.1 without a speed limit; once
//     a quarter is in, how long the Pause click takes on the GUI thread, then
//     (resumed) how long Cancel takes, and the longest event-loop gap around
//     each.
//
// It prints figures and judges nothing (a loaded machine moves them).
//
//   QT_QPA_PLATFORM=offscreen ATMO_SOURCE_DIR=$PWD build/bin/bench_gui_stall [--size 1G] [--download-size 256M]
#include <QApplication>
#include <QElapsedTimer>
#include <QPushButton>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "app/StationContext.h"
#include "app/mesh/DownloadManager.h"
#include "app/mesh/MeshCatalogModel.h"
#include "app/mesh/MeshPresence.h"
#include "core/package/package_writer.h"
#include "mesh_processes.h"
#include "testutil.h"
#include "ui/DownloadRow.h"
#include "ui/DownloadsPanel.h"
#include "ui/ImportVerifyView.h"
#include "ui/MainWindow.h"
#include "ui/MeshView.h"
#include "ui/VerdictBanner.h"

using namespace testutil;

namespace {

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

std::uint64_t parseSize(const char* text)
{
    char* end = nullptr;
    double v = std::strtod(text, &end);
    switch (end && *end ? *end : 0) {
    case 'G': case 'g': v *= 1024.0 * 1024 * 1024; break;
    case 'M': case 'm': v *= 1024.0 * 1024; break;
    case 'K': case 'k': v *= 1024.0; break;
    default: break;
    }
    return static_cast<std::uint64_t>(v);
}

// Event-loop gaps between ticks of a 5 ms precise timer.
class LagProbe {
public:
    LagProbe()
    {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(5);
        QObject::connect(&timer_, &QTimer::timeout, [this] {
            const qint64 now = clock_.nsecsElapsed();
            gaps_.push_back(double(now - last_) / 1e6);
            last_ = now;
        });
    }
    void start()
    {
        gaps_.clear();
        clock_.start();
        last_ = 0;
        timer_.start();
    }
    void stop() { timer_.stop(); }
    double longest() const { return gaps_.empty() ? 0 : *std::max_element(gaps_.begin(), gaps_.end()); }
    double percentile(double p) const
    {
        if (gaps_.empty())
            return 0;
        std::vector<double> g = gaps_;
        std::sort(g.begin(), g.end());
        return g[std::min(g.size() - 1, static_cast<std::size_t>(p * double(g.size())))];
    }
    std::size_t ticks() const { return gaps_.size(); }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = 0;
    std::vector<double> gaps_;
};

bool waitUntil(const std::function<bool()>& done, int msec)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > msec)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

int benchVerify(const Sandbox& box, std::uint64_t size)
{
    const auto mesh = makeKey();
    trustKey(box / "home", mesh, atmo::TrustRole::Mesh, "Mesh");
    MissionSpec spec;
    spec.largeModelSize = size;
    makeMission(box / "mission", spec);
    for (int i = 0; i < 400; ++i)
        writeFile(box / ("mission/agents/helper" + std::to_string(i) + "-1.0.yaml"),
                  "name: helper" + std::to_string(i) + "\n");
    atmo::CreateOptions options;
    options.missionDir = box / "mission";
    options.version = "1.0";
    options.outputDir = box / "out";
    options.meshKey = mesh;
    fs::create_directories(options.outputDir);
    auto created = atmo::createPackage(options, nullptr, atmo::CancelToken());
    if (!created) {
        std::fprintf(stderr, "cannot build the package: %s\n", created.message().c_str());
        return 1;
    }
    fs::remove_all(box / "mission");

    StationContext context(q(box / "settings.ini"));
    ImportVerifyView view(context);
    view.resize(1200, 800);
    view.show();
    LagProbe probe;
    QElapsedTimer took;
    took.start();
    probe.start();
    view.openPackage(q(created->file));
    waitUntil([&] { return !view.isBusy(); }, 600000);
    probe.stop();
    const bool good = view.banner()->verdict().kind == Verdict::Kind::Good;
    std::printf("verify %.2f GiB: %s in %lld ms; %zu ticks; event-loop gap longest %.1f ms, p99 %.1f ms, median %.1f ms\n",
                double(fs::file_size(created->file)) / double(1ull << 30), good ? "Good" : "NOT GOOD",
                static_cast<long long>(took.elapsed()), probe.ticks(), probe.longest(), probe.percentile(0.99),
                probe.percentile(0.5));
    fs::remove_all(box / "out");
    return good ? 0 : 1;
}

int benchPauseCancel(const Sandbox& box, std::uint64_t size)
{
    const fs::path served = box / "served";
    writeRandomFile(served / "big-model.gguf", size, 5);
    BridgeProcess bridge(served);
    if (!bridge.ok()) {
        std::fprintf(stderr, "the bridge peer did not start (ATMO_SOURCE_DIR set?)\n");
        return 1;
    }
    const fs::path home = box / "dl-home";
    fs::create_directories(home);
    qputenv("ATMOSPHERE_HOME", home.string().c_str());
    StationContext context(q(box / "settings-dl.ini"));
    MainWindow window(context);
    window.show();
    MeshPresence::Options options;
    options.serve = false;
    options.port = 0;
    options.mdns = false;
    options.peers = {bridge.url()};
    options.roots = {{atmo::LibraryRootKind::Downloads, (home / "models").string()}};
    window.mesh().start(options);
    window.showView(MainWindow::MeshViewIndex);
    MeshView* mesh = window.meshView();
    if (!waitUntil([&] { return mesh->catalogModel()->rowCount() == 1; }, 60000))
        return 1;
    mesh->selectModel("big-model");
    mesh->downloadButton()->click();
    DownloadsPanel* panel = mesh->downloadsPanel();
    if (!waitUntil([&] { return panel->rows().size() == 1; }, 10000))
        return 1;
    DownloadRow* row = panel->rows().front();
    const quint64 id = row->id();
    auto bytes = [&] { return window.downloads().find(id)->progress.bytesDownloaded; };

    LagProbe probe;
    auto timedClick = [&](QPushButton* button, const char* what, std::uint64_t atBytes) {
        if (!waitUntil([&] { return bytes() >= atBytes; }, 120000))
            return false;
        probe.start();
        waitUntil([] { return false; }, 200); // ticks before the click
        QElapsedTimer t;
        t.start();
        button->click();
        const double ms = double(t.nsecsElapsed()) / 1e6;
        waitUntil([] { return false; }, 200);
        probe.stop();
        std::printf("%s at %.0f MiB of %.0f MiB: the click took %.2f ms on the GUI thread; event-loop gap longest %.1f ms\n",
                    what, double(atBytes) / 1048576.0, double(size) / 1048576.0, ms, probe.longest());
        return true;
    };
    if (!timedClick(row->pauseButton(), "pause", size / 4))
        return 1;
    waitUntil([&] { return row->state() == atmo::TransferState::Paused; }, 10000);
    row->resumeButton()->click();
    if (!timedClick(row->cancelButton(), "cancel", size / 2))
        return 1;
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::uint64_t size = 1ull << 30, downloadSize = 256ull << 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::string(argv[i]) == "--size")
            size = parseSize(argv[i + 1]);
        else if (std::string(argv[i]) == "--download-size")
            downloadSize = parseSize(argv[i + 1]);
    }
    Sandbox box;
    qputenv("ATMOSPHERE_HOME", (box / "home").string().c_str());
    std::printf("nproc %u, load average at start: ", std::thread::hardware_concurrency());
    std::fflush(stdout);
    std::system("cut -d' ' -f1-3 /proc/loadavg");
    int rc = benchVerify(box, size);
    rc |= benchPauseCancel(box, downloadSize);
    return rc;
}
