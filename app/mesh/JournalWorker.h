// The disk side of a MeshDownload: opens its DownloadJournal, commits each
// chunk and runs the final check, all on the global QThreadPool (each may
// block on fdatasync or hashing), and reports every result back on the
// owner's thread as a signal, so a GUI never stalls on the disk.
//
// stop() draws a line: results of work started before it are dropped, the
// hashing in progress is cancelled, and what already runs is waited for, so a
// paused, failed or restarted download never sees a late answer of an old
// round and the journal can be closed safely afterwards.
#pragma once

#include <QByteArray>
#include <QFuture>
#include <QList>
#include <QObject>
#include <QString>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/download_journal.h"
#include "core/progress.h"

class JournalWorker : public QObject {
    Q_OBJECT
public:
    struct Commit {
        enum Kind {
            Ok,         // written and recorded
            Superseded, // another copy of the chunk was committed first
            Mismatch,   // failed its per-chunk hash; the chunk is still missing
            Error,      // an I/O error: error says which
        } kind = Ok;
        QString peer;
        std::uint32_t chunk = 0;
        QString error;
        std::string fingerprint; // SHA-256 of the bytes as they arrived, when asked for
    };

    explicit JournalWorker(QObject* parent = nullptr);
    ~JournalWorker() override; // stops; an open journal records a clean close

    // Opens (or resumes) the journal for `finalPath`; then opened().
    void open(const std::filesystem::path& finalPath, const atmo::DownloadTarget& target,
              const atmo::JournalOptions& options = {});
    // Reserves the part file's space (DownloadJournal::reserve); then reserved().
    void reserve(std::uint64_t marginBytes);
    // The journal once opened() said so; null before and after it is spent.
    atmo::DownloadJournal* journal() const { return journal_.get(); }
    // Writes one chunk's bytes and records it; then committed(). With
    // `fingerprint`, the bytes are hashed first (a second pass: only when asked).
    void commit(const QString& peer, std::uint32_t chunk, QByteArray data, bool fingerprint);
    // Commits whose committed() has not come yet.
    int pendingCommits() const { return pending_; }
    // Every chunk is done: the final check and rename; then finishedFile().
    // The journal is spent afterwards either way.
    void finish();

    void stop();
    void close();   // stop(); what is on disk stays for a later resume
    void discard(); // stop(); the part file and the journal are removed

signals:
    void opened(const QString& error); // empty: journal() is ready
    void reserved(const QString& error); // empty: the space is the part file's
    void phaseProgress(atmo::Phase phase, quint64 done, quint64 total);
    void committed(const JournalWorker::Commit& result);
    void finishedFile(const atmo::Result<atmo::FinishReport>& report);

private:
    template <typename Work, typename Deliver>
    void run(Work work, Deliver deliver);

    std::shared_ptr<atmo::DownloadJournal> journal_;
    atmo::CancelToken cancel_;
    quint64 generation_ = 0;
    int pending_ = 0;
    QList<QFuture<void>> futures_;
    std::vector<std::shared_ptr<std::shared_ptr<atmo::DownloadJournal>>> openings_; // opened, not yet delivered
};
