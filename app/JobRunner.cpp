#include "app/JobRunner.h"

#include <QMetaObject>

#include "core/base/thread_pool.h"

namespace {
// Jobs run niced below the window's thread: on a busy two-core station the
// scheduler then prefers the event loop, so hashing a large package never
// makes the window stutter. The hashing a job fans out runs on the core's
// shared pool, niced the same way (core/base/thread_pool.h). (QThread::setPriority
// has no effect for SCHED_OTHER threads on Linux; a per-thread nice value does.)
void lowerWorkerPriority() { atmo::lowerThreadPriority(atmo::ThreadPool::kHashingNice); }
} // namespace

JobRunner::JobRunner(QObject* parent, int maxThreads) : QObject(parent)
{
    pool_.setMaxThreadCount(maxThreads);
    pool_.setObjectName(QStringLiteral("atmosphere-jobs"));
}

JobRunner::~JobRunner()
{
    cancelAll();
    pool_.waitForDone();
}

int JobRunner::runningCount() const
{
    int n = 0;
    for (const auto& job : running_)
        if (job && job->isRunning())
            ++n;
    return n;
}

void JobRunner::cancelAll()
{
    for (const auto& job : running_)
        if (job)
            job->cancel();
}

void JobRunner::waitForDone() { pool_.waitForDone(); }

void JobRunner::startJob(Job* job)
{
    job->setParent(this);
    running_.removeAll(nullptr);
    running_.append(job);
    job->markStarted();
    connect(job, &Job::finished, this, [this, job] {
        running_.removeAll(job);
        emit jobFinished(job);
    });
    emit jobStarted(job);
    pool_.start([job] {
        lowerWorkerPriority();
        job->runOnWorker();
        QMetaObject::invokeMethod(job, [job] { job->completeOnGuiThread(); }, Qt::QueuedConnection);
    });
}
