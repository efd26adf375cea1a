// Runs Jobs on a bounded QThreadPool and brings their completion back to the
// GUI thread. Owns every job it starts until the job finishes; on destruction
// it cancels what is running and waits, so no worker outlives its job.
// Workers run at a lower CPU priority than the GUI thread (see the .cpp).
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include "app/Job.h"

class JobRunner : public QObject {
    Q_OBJECT
public:
    explicit JobRunner(QObject* parent = nullptr, int maxThreads = 2);
    ~JobRunner() override;

    // Takes ownership (the job becomes a child of the runner) and starts it.
    template <class J>
    J* start(J* job)
    {
        startJob(job);
        return job;
    }

    int runningCount() const;
    void cancelAll();
    // Blocks until every job finished (tests, shutdown).
    void waitForDone();

signals:
    void jobStarted(Job* job);
    void jobFinished(Job* job);

private:
    void startJob(Job* job);
    QThreadPool pool_;
    QList<QPointer<Job>> running_;
};
