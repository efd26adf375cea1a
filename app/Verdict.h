// The one-line verdict on a package that anyone can read from across the
// room, and the sentence under it. Shared by the Import & Verify banner and
// the saved report so both always say the same thing.
#pragma once

#include <QCoreApplication>
#include <QString>

#include "core/package/package_verifier.h"

struct DeviceFit;

struct Verdict {
    Q_DECLARE_TR_FUNCTIONS(Verdict)
public:
    enum class Kind { None, Checking, Good, Bad, Cancelled };
    Kind kind = Kind::None;
    QString headline;
    QString detail;
    QString technical = {}; // core's English reason when refused, for a tooltip and the saved report

    static Verdict none();
    static Verdict checking(const QString& fileName);
    static Verdict cancelled();
    // fit may be null; when given, the detail also says whether it fits here.
    static Verdict of(const atmo::VerifyReport& report, const DeviceFit* fit = nullptr);
};
