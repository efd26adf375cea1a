#include "app/QueuedObserver.h"

#include <QMetaObject>

#include "app/ProgressHold.h"

QueuedObserver::QueuedObserver(Job* job) : job_(job) {}

void QueuedObserver::onProgress(const atmo::Progress& progress)
{
    {
        std::lock_guard lock(mutex_);
        pending_.progress = progress;
        scheduleLocked();
    }
    if (ProgressHold* hold = job_->hold())
        hold->reached(progress); // delivered first, so the window shows where it holds
}

void QueuedObserver::onSignatures(const atmo::VerifyReport& report)
{
    std::lock_guard lock(mutex_);
    pending_.signatures = report;
    scheduleLocked();
}

void QueuedObserver::onFile(const atmo::FileCheck& file)
{
    std::lock_guard lock(mutex_);
    pending_.files.push_back(file);
    scheduleLocked();
}

void QueuedObserver::scheduleLocked()
{
    if (scheduled_)
        return;
    scheduled_ = true;
    QMetaObject::invokeMethod(job_, [this] { flush(); }, Qt::QueuedConnection);
}

void QueuedObserver::flush()
{
    Job::Batch batch;
    {
        std::lock_guard lock(mutex_);
        batch = std::move(pending_);
        pending_ = Job::Batch{};
        scheduled_ = false;
    }
    if (batch.progress || batch.signatures || !batch.files.empty())
        job_->deliver(batch);
}
