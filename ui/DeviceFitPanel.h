// "Does it fit this machine?": the tier the hardware gives and why, the space
// the tier needs against the free space, the installed version against this
// one (with a clear downgrade warning), and for a delta update the base it
// needs against what is installed, a row of its own.
#pragma once

#include <QGroupBox>

#include "app/DeviceFit.h"

class QLabel;

class DeviceFitPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit DeviceFitPanel(QWidget* parent = nullptr);
    void setFit(const DeviceFit& fit, const QString& packageVersion);
    void clear();
    QString tierText() const;
    QString reasonText() const; // why this tier: "tier_1: ...; tier_2 needs a GPU; none found"
    QString versionText() const;
    QString updateText() const; // "Delta update 1.3 → 1.4"; empty for a full package
    QString baseText() const;   // the base check; empty for a full package

private:
    QLabel* tier_;
    QLabel* reason_;
    QLabel* space_;
    QLabel* version_;
    QLabel* update_;
    QLabel* base_;
    QWidget* updateLabel_;
    QWidget* baseLabel_;
};
