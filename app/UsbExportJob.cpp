#include "app/UsbExportJob.h"

#include <QFileInfo>
#include <QMetaObject>

#include <algorithm>
#include <cmath>

#include <mutex>

#include "app/DriveNote.h"
#include "app/LogCategories.h"
#include "app/ProgressHold.h"
#include "app/PathConversion.h"
#include "app/QtStrings.h"
#include "app/UdisksEject.h"
#include "core/drives/export_eject.h"
#include "core/drives/package_export.h"
#include "core/package/package_store.h"
#include "core/package/station_home.h"
#include "core/package/trust_store.h"

// Collects what the writer threads report and hands it to the job on the
// GUI thread in batches: a drive's progress reports replace each other until
// delivered; "done" and eject events are kept, in order.
class UsbExportJob::Relay final : public atmo::ExportObserver {
public:
    explicit Relay(UsbExportJob* job) : job_(job) {}

    void onTargetProgress(std::size_t index, const atmo::Progress& p) override
    {
        push(index, p);
        if (ProgressHold* hold = job_->hold())
            hold->reached(p); // delivered first, so the window shows where it holds
    }

    void push(std::size_t index, const atmo::Progress& p)
    {
        std::lock_guard lock(mutex_);
        const int i = static_cast<int>(index);
        for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
            if (it->index != i)
                continue;
            if (it->kind == Event::Progress) {
                it->progress = p;
                return;
            }
            break;
        }
        Event e;
        e.kind = Event::Progress;
        e.index = i;
        e.progress = p;
        pushLocked(std::move(e));
    }

    void onTargetDone(std::size_t index, const atmo::TargetResult& r) override
    {
        Event e;
        e.kind = Event::Done;
        e.index = static_cast<int>(index);
        e.result = r;
        std::lock_guard lock(mutex_);
        pushLocked(std::move(e));
    }

    // The final path, known only once the export returns (the core names
    // the file after every target is done).
    void file(int index, QString path)
    {
        Event e;
        e.kind = Event::File;
        e.index = index;
        e.note = std::move(path);
        std::lock_guard lock(mutex_);
        pushLocked(std::move(e));
    }

    void eject(int index, DriveState after)
    {
        Event e;
        e.kind = Event::Eject;
        e.index = index;
        e.after = std::move(after);
        std::lock_guard lock(mutex_);
        pushLocked(std::move(e));
    }

    // GUI thread.
    void flush()
    {
        std::vector<Event> batch;
        {
            std::lock_guard lock(mutex_);
            batch.swap(pending_);
            scheduled_ = false;
        }
        for (const Event& e : batch) {
            switch (e.kind) {
            case Event::Progress:
                job_->applyProgress(e.index, e.progress.phase, e.progress.done, e.progress.total);
                break;
            case Event::Done: job_->applyDone(e.index, e.result); break;
            case Event::File: job_->applyFile(e.index, e.note); break;
            case Event::Eject: job_->applyEject(e.index, e.after); break;
            }
        }
    }

private:
    struct Event {
        enum Kind { Progress, Done, File, Eject } kind = Progress;
        int index = 0;
        atmo::Progress progress;
        atmo::TargetResult result;
        DriveState after; // of an eject: its phase and notes
        QString note;     // the file
    };

    void pushLocked(Event e)
    {
        pending_.push_back(std::move(e));
        if (scheduled_)
            return;
        scheduled_ = true;
        QMetaObject::invokeMethod(job_, [this] { flush(); }, Qt::QueuedConnection);
    }

    UsbExportJob* job_;
    std::mutex mutex_;
    std::vector<Event> pending_;
    bool scheduled_ = false;
};

UsbExportJob::UsbExportJob(Request request, QObject* parent)
    : Job(tr("Writing to USB drives"), parent), request_(std::move(request)),
      drives_(request_.targets.size()), meters_(request_.targets.size()), relay_(std::make_unique<Relay>(this))
{
    setLogName(QStringLiteral("write %1 to %2 drive(s)")
                   .arg(QFileInfo(request_.package).fileName())
                   .arg(request_.targets.size()));
    // Connected before anyone else can connect: whatever the workers reported
    // last reaches the drives before finished() does.
    connect(this, &Job::finished, this, [this] { relay_->flush(); });
}

UsbExportJob::~UsbExportJob() = default;

QString UsbExportJob::phaseText(Phase phase)
{
    switch (phase) {
    case Phase::Waiting: return tr("Waiting");
    case Phase::Writing: return tr("Writing");
    case Phase::Flushing: return tr("Flushing to the drive");
    case Phase::ReadingBack: return tr("Reading back");
    case Phase::Verified: return tr("Verified");
    case Phase::Ejecting: return tr("Ejecting");
    case Phase::Ejected: return tr("Verified and ejected");
    case Phase::Failed: return tr("Failed");
    }
    return {};
}

namespace {
// A drive's time goes mostly to writing; reading back (from the drive, past
// the page cache) is faster. One bar per drive: writing fills the first
// share, the flush holds it, reading back fills the rest.
constexpr double kWriteShare = 0.65;

qint64 secondsLeftAt(double fraction, qint64 elapsedMsecs)
{
    if (fraction < 0.05 || fraction >= 1)
        return fraction >= 1 ? 0 : -1;
    return static_cast<qint64>(std::ceil(static_cast<double>(elapsedMsecs) / 1000.0 * (1.0 - fraction) / fraction));
}
} // namespace

double UsbExportJob::overallFraction() const
{
    if (drives_.empty())
        return 0;
    double sum = 0;
    for (const DriveState& d : drives_)
        sum += d.phase == Phase::Failed ? 1.0 : d.fraction;
    return sum / static_cast<double>(drives_.size());
}

qint64 UsbExportJob::secondsLeft() const { return secondsLeftAt(overallFraction(), elapsedMsecs()); }

UsbExportJob::DriveState UsbExportJob::afterEject(DriveState s, const atmo::Result<atmo::EjectOutcome>& e)
{
    if (e) {
        s.phase = Phase::Ejected;
        s.ejectNote = DriveNote::ejected(*e);
        s.ejectDetail.clear();
        s.ejectFailed = false;
    } else {
        s.phase = Phase::Verified;
        s.ejectNote = DriveNote::notEjected(e.error());
        s.ejectDetail = q(e.message());
        s.ejectFailed = true;
    }
    return s;
}

int UsbExportJob::succeededCount() const
{
    int n = 0;
    for (const DriveState& d : drives_)
        n += d.ok && !d.ejectFailed ? 1 : 0;
    return n;
}

void UsbExportJob::applyProgress(int index, atmo::Phase phase, std::uint64_t done, std::uint64_t total)
{
    DriveState& d = drives_[static_cast<std::size_t>(index)];
    if (d.phase == Phase::Failed || d.phase == Phase::Verified)
        return;
    switch (phase) {
    case atmo::Phase::Writing: d.phase = Phase::Writing; break;
    case atmo::Phase::Syncing: d.phase = Phase::Flushing; break;
    case atmo::Phase::ReadingBack: d.phase = Phase::ReadingBack; break;
    default: break;
    }
    d.progress = meters_[static_cast<std::size_t>(index)].sample(phase, done, total, request_.targets[static_cast<std::size_t>(index)].name,
                                                                  elapsedMsecs());
    const double share = total ? static_cast<double>(std::min(done, total)) / static_cast<double>(total) : 0.0;
    switch (d.phase) {
    case Phase::Writing: d.fraction = std::max(d.fraction, kWriteShare * share); break;
    case Phase::Flushing: d.fraction = std::max(d.fraction, kWriteShare); break;
    case Phase::ReadingBack: d.fraction = std::max(d.fraction, kWriteShare + (1.0 - kWriteShare) * share); break;
    default: break;
    }
    // The phase's rate says nothing of the phases still to come: the drive's
    // time left is at its own average pace (the drives start together).
    d.progress.overall = d.fraction;
    d.progress.secondsLeft = secondsLeftAt(d.fraction, elapsedMsecs());
    emit driveChanged(index);
}

void UsbExportJob::applyDone(int index, const atmo::TargetResult& r)
{
    DriveState& d = drives_[static_cast<std::size_t>(index)];
    if (d.ok || d.phase == Phase::Failed)
        return; // a drive that failed on its own keeps its reason when the source fails after it
    const bool ok = r.ok;
    d.ok = ok;
    d.phase = ok ? Phase::Verified : Phase::Failed;
    const QString drive = request_.targets[static_cast<std::size_t>(index)].name;
    // Worded by its kind ("read-only", "faulty drive" is what to act on);
    // core's English line is the detail.
    d.error = ok ? QString()
                 : DriveNote::failure(r.problem, r.code, drive, fromFsPath(toFsPath(request_.package).filename()),
                                      q(r.error));
    d.errorDetail = ok ? QString() : q(r.error);
    d.file = ok ? fromFsPath(r.file) : QString();
    d.bytes = r.bytes;
    d.sha256 = q(r.sha256);
    d.progress.bytesPerSecond = 0;
    d.progress.secondsLeft = -1;
    if (ok) {
        d.progress.done = d.progress.total;
        d.fraction = 1;
        d.progress.overall = 1;
    }
    emit driveChanged(index);
}

void UsbExportJob::applyFile(int index, const QString& file)
{
    drives_[static_cast<std::size_t>(index)].file = file;
    emit driveChanged(index);
}

void UsbExportJob::applyEject(int index, const DriveState& after)
{
    DriveState& d = drives_[static_cast<std::size_t>(index)];
    d.phase = after.phase;
    d.ejectNote = after.ejectNote;
    d.ejectDetail = after.ejectDetail;
    d.ejectFailed = after.ejectFailed;
    emit driveChanged(index);
}

void UsbExportJob::run()
{
    const atmo::StationHome home = request_.home.value_or(atmo::StationHome(toFsPath(request_.homeDir)));
    if (auto st = home.ensure(); !st) {
        setFailure(st.error());
        return;
    }
    const atmo::TrustStore trust(home.trustDir());
    atmo::ExportOptions options;
    options.tier = request_.tier;
    options.trust = &trust;
    options.stationName = home.stationName();
    if (auto identity = home.identity())
        options.stationKey = identity.value();

    std::vector<std::unique_ptr<atmo::ExportTarget>> targets;
    for (const Target& t : request_.targets)
        targets.push_back(atmo::directoryTarget(toFsPath(t.directory)));
    auto results = atmo::exportPackage(toFsPath(request_.package), std::move(targets), options,
                                       relay_.get(), cancelToken());
    if (!results) {
        // The source failed (or the export was cancelled): no drive got the
        // file; say so on every drive that has not reported its own reason.
        atmo::Error why = results.error();
        if (cancelToken().cancelled())
            why = atmo::Error{"cancelled", atmo::ErrorCode::Cancelled};
        for (std::size_t i = 0; i < request_.targets.size(); ++i)
            relay_->onTargetDone(i, atmo::TargetResult{request_.targets[i].directory.toStdString(), {}, false,
                                                       why.message, 0, {}, why.code,
                                                       why.code == atmo::ErrorCode::Cancelled ? atmo::DriveProblem::Cancelled
                                                                                              : atmo::DriveProblem::Source});
        // The package itself failed its check before anything was written.
        if (why.code == atmo::ErrorCode::BadData || why.code == atmo::ErrorCode::Untrusted)
            (void)atmo::PackageStore(home.storeIndex())
                .record(toFsPath(request_.package), atmo::PackageEvent::VerifyFailed);
        setFailure(why);
        return;
    }

    int failed = 0, ejectFailed = 0, ejectTried = 0;
    std::vector<const atmo::Drive*> driveOf;
    for (std::size_t i = 0; i < results->size(); ++i) {
        const atmo::TargetResult& r = (*results)[i];
        const auto& drive = request_.targets[i].drive;
        driveOf.push_back(request_.eject && drive ? &*drive : nullptr);
        if (!r.ok) {
            ++failed;
            continue;
        }
        relay_->file(static_cast<int>(i), fromFsPath(r.file));
    }
    if (const int written = static_cast<int>(results->size()) - failed; written > 0)
        (void)atmo::PackageStore(home.storeIndex())
            .record(toFsPath(request_.package), atmo::PackageEvent::Exported, written);
    // Each drive once, when every output on it verified (core/drives/export_eject.h,
    // as the CLI's --eject).
    for (const atmo::DriveEject& plan : atmo::planEjects(*results, driveOf)) {
        if (!plan.eject) {
            for (std::size_t i : plan.targets)
                if ((*results)[i].ok) {
                    DriveState kept;
                    kept.phase = Phase::Verified;
                    kept.ejectNote = tr("Not ejected: a write to this drive failed");
                    relay_->eject(static_cast<int>(i), kept);
                }
            continue;
        }
        DriveState ejecting;
        ejecting.phase = Phase::Ejecting;
        for (std::size_t i : plan.targets)
            relay_->eject(static_cast<int>(i), ejecting);
        ++ejectTried;
        const auto e = UdisksEject::eject(*plan.drive);
        ejectFailed += e ? 0 : 1; // per drive, not per output on it
        const DriveState after = afterEject(DriveState{}, e);
        for (std::size_t i : plan.targets)
            relay_->eject(static_cast<int>(i), after);
    }
    if (failed == 0 && ejectFailed == 0) {
        setOutcome(true, {});
        return;
    }
    QStringList why;
    if (failed)
        why << tr("%1 of %2 drives failed").arg(failed).arg(results->size());
    if (ejectFailed)
        why << tr("%1 of %2 drives could not be ejected").arg(ejectFailed).arg(ejectTried);
    setOutcome(false, why.join(QStringLiteral("; ")));
}

const QLoggingCategory& UsbExportJob::logCategory() const { return lcUsb(); }
