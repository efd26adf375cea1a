// The GUI thread never waits for the disk, for hashing or for scrypt, shown
// without any clock: the work is held on a latch the test controls, and the
// action under test (opening a package to verify, pausing or cancelling a
// running download, closing the wizard while a key unlocks) must return while
// the latch is still held. A watchdog thread opens the latch after
// kWatchdog, so a GUI thread blocked on held work makes the test fail (the
// latch was opened by the watchdog) instead of hanging it. Also: the threads
// that hash run niced, and chunk commits never run on the GUI thread.
//
// How long the event loop stalls while a large package is verified is a
// benchmark, not a test: tests/bench/bench_gui_stall.cpp.
#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QTest>
#include <QThread>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <sys/syscall.h>
#include <unistd.h>

#include "app/Executors.h"
#include "app/Job.h"
#include "app/StationContext.h"
#include "app/mesh/DownloadManager.h"
#include "app/mesh/JournalWorker.h"
#include "app/mesh/MeshCatalogModel.h"
#include "app/mesh/MeshPresence.h"
#include "core/transfer/download_journal.h"
#include "core/package/package_writer.h"
#include "core/base/thread_pool.h"
#include "mesh_processes.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/DownloadRow.h"
#include "ui/DownloadsPanel.h"
#include "ui/ImportVerifyView.h"
#include "ui/MainWindow.h"
#include "ui/MeshView.h"
#include "ui/PackageWizard.h"
#include "ui/SigningPage.h"
#include "ui/VerdictBanner.h"

using namespace testutil;

namespace {

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

// Long enough for any loaded machine to reach the held state; only a
// regression ever waits it out.
constexpr std::chrono::seconds kWatchdog{90};

// Work waits here until the test (or the watchdog) opens it.
class Latch {
public:
    Latch()
        : watchdog_([this] {
              std::unique_lock lock(mutex_);
              if (!wake_.wait_for(lock, kWatchdog, [this] { return open_; })) {
                  open_ = true;
                  byWatchdog_ = true;
                  wake_.notify_all();
              }
          })
    {
    }
    ~Latch()
    {
        open();
        watchdog_.join();
    }
    void wait()
    {
        std::unique_lock lock(mutex_);
        ++waiting_;
        wake_.wait(lock, [this] { return open_; });
    }
    void open()
    {
        std::lock_guard lock(mutex_);
        open_ = true;
        wake_.notify_all();
    }
    int waiting() const
    {
        std::lock_guard lock(mutex_);
        return waiting_;
    }
    bool openedByWatchdog() const
    {
        std::lock_guard lock(mutex_);
        return byWatchdog_;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool open_ = false;
    bool byWatchdog_ = false;
    int waiting_ = 0;
    std::thread watchdog_; // last: it uses the members above
};

// The calling thread's nice value as the kernel reports it
// (/proc/self/task/<tid>/stat, field 19).
int niceOfThisThread()
{
    const long tid = ::syscall(SYS_gettid);
    std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return -100;
    std::istringstream fields(stat.substr(close + 1));
    std::string field;
    for (int i = 3; i <= 19 && fields >> field; ++i)
        if (i == 19)
            return std::stoi(field);
    return -100;
}

// Occupies one of the job runner's threads until the latch opens.
class HeldJob : public Job {
public:
    explicit HeldJob(Latch& latch) : Job(QStringLiteral("held")), latch_(latch) {}
    int nice = -100;
    QThread* thread = nullptr;

protected:
    void run() override
    {
        nice = niceOfThisThread();
        thread = QThread::currentThread();
        latch_.wait();
    }

private:
    Latch& latch_;
};

// Holds chunk commits (JournalWorker's test gate) on the current latch, if
// any, and records the threads they ran on.
struct CommitGate {
    CommitGate()
    {
        JournalWorker::setCommitGate([this] {
            Latch* held = nullptr;
            {
                std::lock_guard lock(mutex);
                threads.insert(QThread::currentThread());
                held = latch;
            }
            if (held)
                held->wait();
        });
    }
    ~CommitGate() { JournalWorker::setCommitGate({}); }
    void hold(Latch* l)
    {
        std::lock_guard lock(mutex);
        latch = l;
    }
    bool ranOn(QThread* t)
    {
        std::lock_guard lock(mutex);
        return threads.count(t) != 0;
    }
    std::mutex mutex;
    Latch* latch = nullptr;
    std::set<QThread*> threads;
};

} // namespace

class TestGuiStall : public QObject {
    Q_OBJECT
    Sandbox box_;
    fs::path package_;

private slots:
    void initTestCase()
    {
        qputenv("ATMOSPHERE_HOME", (box_ / "home").string().c_str());
        const auto mesh = makeKey();
        trustKey(box_ / "home", mesh, atmo::TrustRole::Mesh, "Mesh");
        makeMission(box_ / "mission");
        atmo::CreateOptions options;
        options.missionDir = box_ / "mission";
        options.version = "1.0";
        options.outputDir = box_ / "out";
        options.meshKey = mesh;
        fs::create_directories(options.outputDir);
        auto created = atmo::createPackage(options, nullptr, atmo::CancelToken());
        QVERIFY2(created.ok(), created.ok() ? "" : created.message().c_str());
        package_ = created->file;
    }

    // Every thread that hashes runs niced below the GUI thread: the core's
    // pool (verification), the job runner and the app's hashing executor;
    // the journal's executor, which writes downloads, does not.
    void hashingThreadsRunNiced()
    {
        const int gui = niceOfThisThread();
        const int niced = std::max(gui, atmo::ThreadPool::kHashingNice);
        const int core = atmo::ThreadPool::shared().submit([] { return niceOfThisThread(); }).get();
        QCOMPARE(core, niced);
        QCOMPARE(Executors::hashing([] { return niceOfThisThread(); }).result(), niced);
        QCOMPARE(Executors::journal([] { return niceOfThisThread(); }).result(), gui);
        QCOMPARE(Executors::smallIo([] { return niceOfThisThread(); }).result(), gui);
    }

    // Opening a package queues its check on the job runner and returns: with
    // the runner's threads held, the view is busy and has no verdict until
    // the test lets them go.
    void verifyingNeverRunsOnTheGuiThread()
    {
        StationContext context(q(box_ / "settings-verify.ini"));
        ImportVerifyView view(context);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        Latch latch;
        auto* a = context.runner().start(new HeldJob(latch));
        auto* b = context.runner().start(new HeldJob(latch));
        QTRY_COMPARE_WITH_TIMEOUT(latch.waiting(), 2, 60000);

        view.openPackage(q(package_));
        QVERIFY2(!latch.openedByWatchdog(), "opening a package waited for the job runner");
        QVERIFY(view.isBusy());
        QVERIFY(view.banner()->verdict().kind != Verdict::Kind::Good);

        latch.open();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), 120000);
        QCOMPARE(view.banner()->verdict().kind, Verdict::Kind::Good);
        QTRY_COMPARE_WITH_TIMEOUT(context.runner().runningCount(), 0, 60000); // what they recorded is ours to read
        QVERIFY(a->thread != QThread::currentThread() && b->thread != QThread::currentThread());
        QCOMPARE(a->nice, std::max(niceOfThisThread(), atmo::ThreadPool::kHashingNice));
    }

    // Pause and cancel return while a chunk commit is held mid-way; the
    // commit then ends in the background and the journal stays consistent:
    // the paused download resumes and finishes with the right bytes, the
    // cancelled one leaves nothing behind.
    void pauseAndCancelNeverWaitForTheDisk()
    {
        const fs::path served = box_ / "served";
        writeRandomFile(served / "yolo-defects.onnx", 12 * 1024 * 1024, 21);
        writeRandomFile(served / "edge-llama.gguf", 12 * 1024 * 1024, 22);
        BridgeProcess bridge(served);
        QVERIFY(bridge.ok());

        const fs::path home = box_ / "dl-home";
        fs::create_directories(home);
        qputenv("ATMOSPHERE_HOME", home.string().c_str());
        StationContext context(q(box_ / "settings-dl.ini"));
        context.settings().setInstallRoot(q(box_ / "device"));
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
        QTRY_COMPARE_WITH_TIMEOUT(mesh->catalogModel()->rowCount(), 2, 30000);
        DownloadsPanel* panel = mesh->downloadsPanel();
        CommitGate gate;

        // Pause with a commit held.
        auto held = std::make_unique<Latch>();
        gate.hold(held.get());
        mesh->selectModel("yolo-defects");
        QTest::mouseClick(mesh->downloadButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(panel->rows().size(), 1, 10000);
        DownloadRow* row = panel->rows().front();
        QTRY_VERIFY_WITH_TIMEOUT(held->waiting() >= 1, 60000);
        QTest::mouseClick(row->pauseButton(), Qt::LeftButton);
        QVERIFY2(!held->openedByWatchdog(), "pause waited for a chunk commit");
        QTRY_COMPARE_WITH_TIMEOUT(row->state(), atmo::TransferState::Paused, 10000);
        QVERIFY2(!held->openedByWatchdog(), "pause waited for a chunk commit");
        gate.hold(nullptr);
        held->open();

        // The journal closed in the background: resuming finishes the file.
        QTest::mouseClick(row->resumeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(row->state() == atmo::TransferState::Done || row->state() == atmo::TransferState::Failed, 120000);
        QVERIFY2(row->state() == atmo::TransferState::Done, qPrintable(row->errorLabel()->text()));
        QVERIFY(readFile(home / "models/yolo-defects.onnx") == readFile(served / "yolo-defects.onnx"));

        // Cancel with a commit held.
        held = std::make_unique<Latch>();
        gate.hold(held.get());
        mesh->selectModel("edge-llama");
        QTest::mouseClick(mesh->downloadButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(panel->rows().size(), 2, 10000);
        DownloadRow* second = panel->rows().back();
        QTRY_VERIFY_WITH_TIMEOUT(held->waiting() >= 1, 60000);
        QTest::mouseClick(second->cancelButton(), Qt::LeftButton);
        QVERIFY2(!held->openedByWatchdog(), "cancel waited for a chunk commit");
        QTRY_COMPARE_WITH_TIMEOUT(second->state(), atmo::TransferState::Cancelled, 10000);
        QVERIFY2(!held->openedByWatchdog(), "cancel waited for a chunk commit");
        gate.hold(nullptr);
        held->open();
        const fs::path file = home / "models/edge-llama.gguf";
        QTRY_VERIFY_WITH_TIMEOUT(!fs::exists(atmo::DownloadJournal::partPath(file)) &&
                                     !fs::exists(atmo::DownloadJournal::journalPath(file)),
                                 60000);
        QVERIFY(!fs::exists(file));

        QVERIFY2(!gate.ranOn(QThread::currentThread()), "a chunk commit ran on the GUI thread");
    }

    // The signing page unlocks without a nested event loop: Build returns at
    // once while the unlock waits for the runner, and the wizard can be
    // closed and destroyed before the key is in.
    void closingTheWizardDuringAnUnlockIsSafe()
    {
        const fs::path home = box_ / "wizard-home";
        qputenv("ATMOSPHERE_HOME", home.string().c_str());
        QVERIFY(atmo::writeKeyPair(home / "keys", "mesh", makeKey(), std::string("pw")).ok());
        StationContext context(q(box_ / "settings-wizard.ini"));
        auto* wizard = new PackageWizard(context);
        wizard->show();
        SigningPage* signing = wizard->signingPage();
        signing->selectKey(signing->meshCombo(), q(home / "keys/mesh.key"));
        signing->founderBox()->setChecked(false);
        int asked = 0;
        signing->setPasswordProvider([&](const QString&, const QString&) -> std::optional<QString> {
            ++asked;
            return QString("pw");
        });

        Latch latch;
        context.runner().start(new HeldJob(latch));
        context.runner().start(new HeldJob(latch));
        QTRY_COMPARE_WITH_TIMEOUT(latch.waiting(), 2, 60000);

        QVERIFY(!signing->validatePage()); // not yet: the unlock is queued
        QVERIFY2(!latch.openedByWatchdog(), "Build waited for the unlock");
        QCOMPARE(asked, 1);
        QVERIFY(signing->isUnlocking());
        QVERIFY(!wizard->isEnabled());

        wizard->close();
        delete wizard; // mid-unlock
        latch.open();
        QTRY_COMPARE_WITH_TIMEOUT(context.runner().runningCount(), 0, 60000);
        context.runner().waitForDone();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCoreApplication::processEvents();
    }
};

ATMO_TEST_MAIN(TestGuiStall)
#include "tst_gui_stall.moc"
