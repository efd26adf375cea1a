// The big verdict at the top of Import & Verify: green "Genuine and intact —
// ready to install", red "Do not install" with the reason in one sentence,
// or a neutral state while nothing is open or a check runs.
#pragma once

#include <QFrame>

#include "app/Verdict.h"

class QLabel;

class VerdictBanner : public QFrame {
    Q_OBJECT
public:
    explicit VerdictBanner(QWidget* parent = nullptr);

    void setVerdict(const Verdict& verdict);
    const Verdict& verdict() const { return verdict_; }
    QString headline() const;

private:
    Verdict verdict_;
    QLabel* icon_;
    QLabel* headline_;
    QLabel* detail_;
};
