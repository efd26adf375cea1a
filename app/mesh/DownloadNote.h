// What a download says to the window: a failure or a peer problem as a kind
// with its facts, turned into a translated sentence when it is shown (so a
// language switch retranslates it). The English line MeshDownload also keeps
// (error(), the CLI's text) stays the detail, for a tooltip.
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include "core/base/result.h"

struct DownloadNote {
    Q_DECLARE_TR_FUNCTIONS(DownloadNote)
public:
    enum class Kind {
        None,
        // Failures (the download stopped).
        NoPeer,          // no peer offers it, or every peer failed
        PeersSentBadData, // every peer left sent bytes that fail the checksum; peers: convicted and suspects
        NoSpace,         // folder, need, free
        DiskFull,        // writing ran out of space
        NoFolder,        // the destination folder cannot be made
        DiskError,       // reading or writing the part file or the entry failed
        BadEntry,        // the catalog entry or listing is not usable
        // Problems while it goes on.
        PeerSentBadData, // peers[0]
        PeerStopped,     // peers[0] stopped delivering, refused or broke off
        FetchingAlone,   // peers: the next round's single peer
        FetchingAgain,   // peers: the whole file failed its checksum, fetched again
    };

    DownloadNote() = default;
    DownloadNote(Kind kind, QString subject, QStringList peers = {}, QString folder = {}, quint64 need = 0,
                 quint64 free = 0)
        : kind(kind), subject(std::move(subject)), peers(std::move(peers)), folder(std::move(folder)), need(need),
          free(free)
    {
    }

    Kind kind = Kind::None;
    QString subject;     // the model id or file name
    QStringList peers;   // source keys: endpoints, or "relay:<node>"
    QString folder;      // NoSpace, NoFolder, DiskError
    quint64 need = 0;    // NoSpace
    quint64 free = 0;    // NoSpace

    bool isEmpty() const { return kind == Kind::None; }
    // The sentence in the window's language; empty for Kind::None.
    QString text() const;
    // The kind of failure a note stands for (the CLI's exit code).
    static atmo::ErrorCode code(Kind kind);
    // A disk failure's kind from the system's words: full, or another error.
    static Kind diskKind(const QString& message);
    // How the window names one source: "http://10.0.0.5:14345" or
    // "node 3f2a… through the relay".
    static QString source(const QString& key);
};
