// The one place that turns a core failure into what the window says: a
// translated sentence chosen by the error's kind (atmo::ErrorCode) naming its
// subject, with core's English line kept as the detail. Callers never look
// at the English words; an untyped failure (ErrorCode::Failed) has no
// sentence and shows its detail as it is.
#pragma once

#include <QCoreApplication>
#include <QString>

#include "core/base/result.h"

class ErrorText {
    Q_DECLARE_TR_FUNCTIONS(ErrorText)
public:
    // "Nicht genug freier Speicher auf /media/stick." for NoSpace about
    // /media/stick; the detail itself for ErrorCode::Failed.
    static QString sentence(atmo::ErrorCode code, const QString& subject, const QString& detail);
    static QString sentence(const atmo::Error& error);
    // The English detail when it says more than the sentence, else empty:
    // for a tooltip or a "Details" line.
    static QString detail(atmo::ErrorCode code, const QString& detail);
    // Sentence plus, when it adds information, the detail in brackets.
    static QString full(atmo::ErrorCode code, const QString& subject, const QString& detail);
    static QString full(const atmo::Error& error);
};
