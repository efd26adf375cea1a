#include "app/Job.h"

#include <algorithm>
#include <cmath>

#include "app/ErrorText.h"
#include "app/LogCategories.h"
#include "app/ProgressHold.h"
#include "app/QueuedObserver.h"

Job::Job(QString title, QObject* parent)
    : QObject(parent), title_(std::move(title)), logName_(title_), observer_(std::make_unique<QueuedObserver>(this))
{
}

Job::~Job() = default;

qint64 Job::elapsedMsecs() const { return clock_.isValid() ? clock_.elapsed() : 0; }

void Job::markStarted()
{
    started_ = true;
    clock_.start();
    qCInfo(logCategory(), "%s: started", qUtf8Printable(logName_));
}

const QLoggingCategory& Job::logCategory() const { return lcPackage(); }

void Job::runOnWorker()
{
    try {
        run();
    } catch (const std::exception& e) {
        setFailure(atmo::currentError());
    }
}

void Job::completeOnGuiThread()
{
    observer_->flush();
    finished_ = true;
    if (cancel_.cancelled() && !ok_)
        code_ = atmo::ErrorCode::Cancelled;
    const double seconds = elapsedMsecs() / 1000.0;
    if (ok_)
        qCInfo(logCategory(), "%s: done in %.1f s", qUtf8Printable(logName_), seconds);
    else if (code_ == atmo::ErrorCode::Cancelled)
        qCInfo(logCategory(), "%s: cancelled after %.1f s", qUtf8Printable(logName_), seconds);
    else
        qCWarning(logCategory(), "%s: failed: %s", qUtf8Printable(logName_), qUtf8Printable(error_));
    emit finished(ok_);
    if (disposeWhenDone_)
        deleteLater();
}

void Job::cancel()
{
    cancel_.cancel();
    if (hold_)
        hold_->release();
}

void Job::dispose(QObject* owner)
{
    if (owner)
        disconnect(this, nullptr, owner, nullptr);
    if (!started_ || finished_) {
        deleteLater();
        return;
    }
    disposeWhenDone_ = true;
    cancel_.cancel();
}

void Job::deliver(Batch& batch)
{
    if (!batch.progress)
        return;
    const atmo::Progress& p = *batch.progress;
    if (loggedPhase_ != p.phase) {
        loggedPhase_ = p.phase;
        qCDebug(logCategory(), "%s: %s%s%s", qUtf8Printable(logName_), atmo::phaseName(p.phase),
                p.item.empty() ? "" : ": ", p.item.c_str());
    }
    progress_ = meter_.sample(p.phase, p.done, p.total, QString::fromStdString(p.item),
                              elapsedMsecs());
    progress_.itemDone = p.itemDone;
    progress_.itemTotal = p.itemTotal;
    const double f = overallFraction(p);
    usesOverall_ = usesOverall_ || f >= 0;
    if (usesOverall_) {
        overall_ = std::max(overall_, std::min(f, 1.0));
        progress_.overall = overall_;
        // Time left of the whole job, at its average pace so far: the
        // phase's rate says nothing about the phases still to come.
        progress_.secondsLeft = overall_ >= 0.05 ? static_cast<qint64>(std::ceil(
                                                       elapsedMsecs() / 1000.0 * (1.0 - overall_) / overall_))
                                                 : -1;
    }
    emit progressChanged(progress_);
}

void Job::setOutcome(bool ok, QString error)
{
    ok_ = ok;
    error_ = std::move(error);
    subject_.clear();
    code_ = atmo::ErrorCode::Failed;
}

void Job::setFailure(const atmo::Error& error)
{
    ok_ = false;
    error_ = QString::fromStdString(error.message);
    subject_ = QString::fromStdString(error.subject);
    code_ = error.code;
}

QString Job::errorMessage() const
{
    return ok_ ? QString() : ErrorText::sentence(code_, subject_, error_);
}

QString Job::errorDetail() const
{
    return ok_ ? QString() : ErrorText::detail(code_, error_);
}

atmo::VerifyObserver* Job::observer() { return observer_.get(); }
