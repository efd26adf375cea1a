// One drive of a USB export: its name, a status icon, a bar, the phase
// (writing, flushing, reading back), speed and time left; at the end a green
// check with the file written, or a red cross with the drive's own error.
#pragma once

#include <QWidget>

#include "app/UsbExportJob.h"

class QLabel;
class QProgressBar;

class DriveProgressRow : public QWidget {
    Q_OBJECT
public:
    DriveProgressRow(const QString& name, const QString& directory, QWidget* parent = nullptr);

    void update(const UsbExportJob::DriveState& state);

    UsbExportJob::Phase phase() const { return phase_; }
    QProgressBar* bar() const { return bar_; }
    QLabel* phaseLabel() const { return phaseLabel_; }
    QLabel* detailLabel() const { return detail_; }
    QLabel* errorLabel() const { return error_; }

private:
    UsbExportJob::Phase phase_ = UsbExportJob::Phase::Waiting;
    QLabel* icon_;
    QLabel* name_;
    QLabel* phaseLabel_;
    QProgressBar* bar_;
    QLabel* detail_;
    QLabel* error_;
};
