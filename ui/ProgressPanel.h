// Progress of one running job: phase, current item, a bar, speed and time
// left, and a Cancel button. Hidden while no job runs. Emits a short text for
// the window title ("42 % Verifying").
#pragma once

#include <QPointer>
#include <QWidget>

#include "app/Job.h"

class QLabel;
class QProgressBar;
class QPushButton;

class ProgressPanel : public QWidget {
    Q_OBJECT
public:
    explicit ProgressPanel(QWidget* parent = nullptr);

    void track(Job* job);
    Job* job() const { return job_; }
    QProgressBar* bar() const { return bar_; }
    QPushButton* cancelButton() const { return cancel_; }
    QString speedText() const;

signals:
    void titleProgress(const QString& text); // empty when idle

private:
    void update(const JobProgress& p);
    void done();
    QPointer<Job> job_;
    QLabel* phase_;
    QLabel* item_;
    QLabel* speed_;
    QProgressBar* bar_;
    QPushButton* cancel_;
};
