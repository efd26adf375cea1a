// One long core operation run off the GUI thread. The JobRunner calls run()
// on a pool thread; the job reports through a QueuedObserver, whose batches
// arrive here on the GUI thread as signals. A job stays alive until its
// worker has finished (the runner guarantees it), so the worker never sees a
// dangling pointer; dispose() lets an owner drop a job that is still running.
#pragma once

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

#include "app/ProgressMeter.h"
#include "core/base/progress.h"
#include "core/package/package_verifier.h"

class ProgressHold;
class QueuedObserver;

class Job : public QObject {
    Q_OBJECT
public:
    // What the observer collected since the last delivery.
    struct Batch {
        std::optional<atmo::Progress> progress;
        std::optional<atmo::VerifyReport> signatures;
        std::vector<atmo::FileCheck> files;
    };

    explicit Job(QString title, QObject* parent = nullptr);
    ~Job() override;

    QString title() const { return title_; }
    const atmo::CancelToken& cancelToken() const { return cancel_; }
    bool isRunning() const { return started_ && !finished_; }
    bool isFinished() const { return finished_; }
    bool succeeded() const { return ok_; }
    bool wasCancelled() const { return cancel_.cancelled(); }
    // The failure in the window's language (app/ErrorText.h), and core's
    // English line when it says more (for a tooltip), else empty.
    QString errorMessage() const;
    QString errorDetail() const;
    atmo::ErrorCode errorCode() const { return code_; }
    JobProgress progress() const { return progress_; }
    qint64 elapsedMsecs() const;

    // Called by JobRunner.
    void markStarted();
    void runOnWorker();          // pool thread
    void completeOnGuiThread();  // GUI thread, after runOnWorker returned

public slots:
    void cancel();
    // Set before the job starts (JobRunner::jobStarted): its worker waits at
    // the hold's point until released (screenshot mode). Cancel releases it.
    void setHold(std::shared_ptr<ProgressHold> hold) { hold_ = std::move(hold); }
    ProgressHold* hold() const { return hold_.get(); }
    // Disconnects owner from the job, then deletes the job now if it
    // finished, else cancels it and deletes it once its worker returns.
    void dispose(QObject* owner);

signals:
    void progressChanged(const JobProgress& progress);
    void finished(bool ok);

protected:
    // Pool thread: do the work; set ok/error through setOutcome().
    virtual void run() = 0;
    // GUI thread: a batch of observer reports.
    virtual void deliver(Batch& batch);
    // GUI thread: the share of the whole job a report stands for (0..1), for
    // one bar across phases; -1 (the default): the phase's own share. The
    // job's bar never goes back.
    virtual double overallFraction(const atmo::Progress& /*report*/) const { return -1; }
    // The area the job logs under (app/LogCategories.h): it says when it
    // starts and how it ended (info; a failure is a warning), and each phase
    // (debug), as the CLI does for the same work.
    virtual const QLoggingCategory& logCategory() const;
    // What the log lines call the job, in English with what it works on
    // ("verify inspection-v1.3.atmo"); the title until set.
    void setLogName(QString name) { logName_ = std::move(name); }
    void setOutcome(bool ok, QString error);
    void setFailure(const atmo::Error& error);
    atmo::VerifyObserver* observer();

private:
    friend class QueuedObserver;
    double overall_ = 0; // the furthest overallFraction so far
    bool usesOverall_ = false;
    std::optional<atmo::Phase> loggedPhase_;
    QString title_;
    QString logName_;
    atmo::CancelToken cancel_;
    std::unique_ptr<QueuedObserver> observer_;
    std::shared_ptr<ProgressHold> hold_;
    ProgressMeter meter_;
    QElapsedTimer clock_;
    JobProgress progress_;
    bool started_ = false;
    bool finished_ = false;
    bool disposeWhenDone_ = false;
    bool ok_ = false;
    QString error_;   // English, from core
    QString subject_;
    atmo::ErrorCode code_ = atmo::ErrorCode::Failed;
};
