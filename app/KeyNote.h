// Why a key could not be used, in the window's language: a signing key
// that did not unlock, chosen by core's SecretKeyProblem (the kind beside the
// English line), and a public key file that does not load; each names the
// key file as the user picked it. Core's English line stays the detail, as
// for drives (DriveNote) and verification (VerifyNote).
#pragma once

#include <QCoreApplication>
#include <QString>

#include "core/base/result.h"
#include "core/package/minisign.h"

class KeyNote {
    Q_DECLARE_TR_FUNCTIONS(KeyNote)
public:
    // "Wrong password for mesh.key." for WrongPassword about mesh.key; for a
    // kind it has no sentence of its own, ErrorText's by the error's code.
    static QString unlockFailed(atmo::SecretKeyProblem problem, const QString& keyName, const atmo::Error& error);
    // "mesh.pub is not a minisign public key." for a file that is there but
    // is not one; a file missing or unreadable, by ErrorText. Names the file
    // by its name, not its path.
    static QString publicKeyUnusable(const QString& file, const atmo::Error& error);
};
