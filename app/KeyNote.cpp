#include "app/KeyNote.h"

#include <QFileInfo>

#include "app/ErrorText.h"

QString KeyNote::unlockFailed(atmo::SecretKeyProblem problem, const QString& keyName, const atmo::Error& error)
{
    using P = atmo::SecretKeyProblem;
    switch (problem) {
    case P::WrongPassword: return tr("Wrong password for %1.").arg(keyName);
    case P::NeedsPassword: return tr("%1 is encrypted: its password is needed.").arg(keyName);
    case P::NotAKey: return tr("%1 is not a minisign secret key, or one of a kind this station cannot use.").arg(keyName);
    case P::NotEnoughMemory:
        return tr("%1 could not be unlocked: its password needs more memory than this machine can give.").arg(keyName);
    case P::Damaged: return tr("%1 is damaged: it cannot be used to sign.").arg(keyName);
    case P::Unreadable: return ErrorText::sentence(error.code, keyName, QString::fromStdString(error.message));
    case P::None: break;
    }
    return ErrorText::full(error.code, keyName, QString::fromStdString(error.message));
}

QString KeyNote::publicKeyUnusable(const QString& file, const atmo::Error& error)
{
    // PublicKey::load's failures are untyped: the file says which it was.
    const QFileInfo info(file);
    const QString detail = QString::fromStdString(error.message);
    if (!info.exists())
        return ErrorText::sentence(atmo::ErrorCode::NotFound, info.fileName(), detail);
    if (!info.isFile() || !info.isReadable())
        return ErrorText::sentence(atmo::ErrorCode::Io, info.fileName(), detail);
    return tr("%1 is not a minisign public key.").arg(info.fileName());
}
