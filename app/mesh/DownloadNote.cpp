#include "app/mesh/DownloadNote.h"

#include <QDir>

#include "app/Format.h"
#include "app/mesh/DownloadSpec.h"

QString DownloadNote::source(const QString& key)
{
    return DownloadSource::isRelayKey(key) ? tr("node %1 through the relay").arg(key.mid(6)) : key;
}

atmo::ErrorCode DownloadNote::code(Kind kind)
{
    switch (kind) {
    case Kind::PeersSentBadData: return atmo::ErrorCode::BadData;
    case Kind::NoSpace:
    case Kind::DiskFull: return atmo::ErrorCode::NoSpace;
    case Kind::NoFolder:
    case Kind::DiskError: return atmo::ErrorCode::Io;
    default: return atmo::ErrorCode::Failed;
    }
}

DownloadNote::Kind DownloadNote::diskKind(const QString& message)
{
    const bool full = message.contains(QLatin1String("No space left"), Qt::CaseInsensitive) ||
                      message.contains(QLatin1String("disk full")) || message.contains(QLatin1String("not enough space"));
    return full ? Kind::DiskFull : Kind::DiskError;
}

QString DownloadNote::text() const
{
    QStringList names;
    for (const QString& p : peers)
        names << source(p);
    const QString who = names.join(QStringLiteral(", "));
    const QString where = QDir::toNativeSeparators(folder);
    switch (kind) {
    case Kind::None: return {};
    case Kind::NoPeer: return tr("No peer could deliver %1.").arg(subject);
    case Kind::PeersSentBadData:
        return who.isEmpty()
                   ? tr("The peers sent data for %1 that does not match its checksum; nothing of it was kept.").arg(subject)
                   : tr("Data for %1 from %2 did not match its checksum; nothing of it was kept.").arg(subject, who);
    case Kind::NoSpace:
        return tr("Not enough free space in %1 for %2: it needs %3, %4 are free.")
            .arg(where, subject, Format::bytes(need), Format::bytes(free));
    case Kind::DiskFull: return tr("The disk ran full while %1 was written to %2.").arg(subject, where);
    case Kind::NoFolder: return tr("The folder %1 cannot be created.").arg(where);
    case Kind::DiskError: return tr("%1 could not be written to %2.").arg(subject, where);
    case Kind::BadEntry: return tr("%1 cannot be downloaded: what the peers say about it is not usable.").arg(subject);
    case Kind::PeerSentBadData: return tr("%1 sent damaged data and is no longer asked.").arg(who);
    case Kind::PeerStopped: return tr("%1 stopped delivering.").arg(who);
    case Kind::FetchingAlone: return tr("%1 fetches the rest alone.").arg(who);
    case Kind::FetchingAgain:
        return tr("The file did not match its checksum; fetching it again from %1.").arg(who);
    }
    return {};
}
