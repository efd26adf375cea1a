// The core's observer interface implemented for a Job: called on pool
// threads, it collects reports under a mutex and posts at most one delivery
// to the job's (GUI) thread at a time, so a burst of onFile calls becomes one
// batch of rows rather than one event per file. Posted deliveries are bound
// to the job object and are dropped if it is deleted.
#pragma once

#include <mutex>

#include "app/Job.h"
#include "core/package/package_verifier.h"

class QueuedObserver final : public atmo::VerifyObserver {
public:
    explicit QueuedObserver(Job* job);

    void onProgress(const atmo::Progress& progress) override;
    void onSignatures(const atmo::VerifyReport& report) override;
    void onFile(const atmo::FileCheck& file) override;

    // GUI thread: hands everything collected so far to the job.
    void flush();

private:
    void scheduleLocked();

    Job* job_;
    std::mutex mutex_;
    Job::Batch pending_;
    bool scheduled_ = false;
};
