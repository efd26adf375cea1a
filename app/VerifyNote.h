// Why a package was refused, in the window's language: a sentence chosen by
// core's VerifyProblem (the kind beside the English reason) naming the file
// or key it is about, as DownloadNote does for downloads. Core's English
// reason stays the technical detail (a tooltip, the saved report); only an
// unusual rule of the format falls back to "see the details".
#pragma once

#include <QCoreApplication>
#include <QString>

#include "core/package/package_verifier.h"

class VerifyNote {
    Q_DECLARE_TR_FUNCTIONS(VerifyNote)
public:
    // One sentence for a refused report; "" when the report is ok.
    static QString reason(const atmo::VerifyReport& report);
    // What is wrong with one file, short, for its row; "" when nothing is.
    static QString fileProblem(const atmo::FileCheck& file);
};
