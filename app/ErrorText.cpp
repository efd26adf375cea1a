#include "app/ErrorText.h"

#include "app/QtStrings.h"

QString ErrorText::sentence(atmo::ErrorCode code, const QString& subject, const QString& detail)
{
    using atmo::ErrorCode;
    const bool named = !subject.isEmpty();
    switch (code) {
    case ErrorCode::Failed: break;
    case ErrorCode::Cancelled: return tr("Cancelled.");
    case ErrorCode::Usage: return named ? tr("%1 is not a valid choice here.").arg(subject) : tr("This is not a valid choice here.");
    case ErrorCode::NotFound: return named ? tr("%1 was not found.").arg(subject) : tr("What was asked for was not found.");
    case ErrorCode::NoSpace: return named ? tr("Not enough free space on %1.").arg(subject) : tr("Not enough free space.");
    case ErrorCode::Untrusted:
        return named ? tr("%1 is not signed by a key this station trusts.").arg(subject)
                     : tr("The signature is missing, invalid or from a key this station does not trust.");
    case ErrorCode::BadData: return named ? tr("%1 is damaged or not valid.").arg(subject) : tr("The data is damaged or not valid.");
    case ErrorCode::Io: return named ? tr("Could not read or write %1.").arg(subject) : tr("Reading or writing failed.");
    case ErrorCode::Busy:
        return named ? tr("%1 is in use by another program or window.").arg(subject)
                     : tr("In use by another program or window.");
    }
    return detail;
}

QString ErrorText::sentence(const atmo::Error& error)
{
    return sentence(error.code, q(error.subject), q(error.message));
}

QString ErrorText::detail(atmo::ErrorCode code, const QString& detail)
{
    // Failed shows the detail itself; "cancelled" says nothing more.
    if (code == atmo::ErrorCode::Failed || code == atmo::ErrorCode::Cancelled)
        return {};
    return detail;
}

QString ErrorText::full(atmo::ErrorCode code, const QString& subject, const QString& detail)
{
    const QString s = sentence(code, subject, detail);
    const QString more = ErrorText::detail(code, detail);
    return more.isEmpty() ? s : tr("%1 (%2)").arg(s, more);
}

QString ErrorText::full(const atmo::Error& error)
{
    return full(error.code, q(error.subject), q(error.message));
}
