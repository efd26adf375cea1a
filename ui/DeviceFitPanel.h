// "Does it fit this machine?": the tier the hardware gives and why, the space
// the tier needs against the free space, the installed version against this
// one (with a clear downgrade warning).
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

private:
    QLabel* tier_;
    QLabel* reason_;
    QLabel* space_;
    QLabel* version_;
};
