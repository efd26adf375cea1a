#include "app/Job.h"

#include "app/QueuedObserver.h"

Job::Job(QString title, QObject* parent)
    : QObject(parent), title_(std::move(title)), observer_(std::make_unique<QueuedObserver>(this))
{
}

Job::~Job() = default;

qint64 Job::elapsedMsecs() const { return clock_.isValid() ? clock_.elapsed() : 0; }

void Job::markStarted()
{
    started_ = true;
    clock_.start();
}

void Job::runOnWorker()
{
    try {
        run();
    } catch (const std::exception& e) {
        setOutcome(false, QString::fromStdString(e.what()));
    }
}

void Job::completeOnGuiThread()
{
    observer_->flush();
    finished_ = true;
    if (cancel_.cancelled() && !ok_)
        error_ = tr("Cancelled");
    emit finished(ok_);
    if (disposeWhenDone_)
        deleteLater();
}

void Job::cancel() { cancel_.cancel(); }

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
    progress_ = meter_.sample(QString::fromStdString(p.phase), p.done, p.total, QString::fromStdString(p.item),
                              elapsedMsecs());
    emit progressChanged(progress_);
}

void Job::setOutcome(bool ok, QString error)
{
    ok_ = ok;
    error_ = std::move(error);
}

atmo::VerifyObserver* Job::observer() { return observer_.get(); }
