// One drive of a USB export: its name, a status icon, one bar across the
// drive's whole job (writing, flushing, reading back: it never restarts), the
// phase beside it, speed and time left; at the end a green check with the
// file written, or a red cross with the drive's own error. A verified drive
// that was not ejected says so and offers an Eject button of its own.
#pragma once

#include <QWidget>

#include "app/UsbExportJob.h"

class QLabel;
class QProgressBar;
class QPushButton;

class DriveProgressRow : public QWidget {
    Q_OBJECT
public:
    DriveProgressRow(const QString& name, const QString& directory, QWidget* parent = nullptr);

    void update(const UsbExportJob::DriveState& state);
    // After the write: a verified drive that can be ejected and was not
    // shows "Safe to remove after ejecting" and an Eject button.
    void setEjectOffered(bool offered);

    UsbExportJob::Phase phase() const { return phase_; }
    QProgressBar* bar() const { return bar_; }
    QLabel* phaseLabel() const { return phaseLabel_; }
    QLabel* detailLabel() const { return detail_; }
    QLabel* errorLabel() const { return error_; }
    QPushButton* ejectButton() const { return eject_; }

signals:
    void ejectRequested();

private:
    UsbExportJob::Phase phase_ = UsbExportJob::Phase::Waiting;
    QLabel* icon_;
    QLabel* name_;
    QLabel* phaseLabel_;
    QProgressBar* bar_;
    QLabel* detail_;
    QLabel* error_;
    QPushButton* eject_;
    QString detailText_;   // what update() said, before the eject hint
    bool ejectOffered_ = false;
    void showDetail();
};
