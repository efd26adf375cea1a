// The disk side of a MeshDownload: opens its DownloadJournal, commits each
// chunk and runs the final check, all on the journal executor
// (app/Executors.h; each may block on fdatasync or hashing), and reports
// every result back on the owner's thread as a signal, so a GUI never stalls
// on the disk.
//
// stop() draws a line and returns at once: results of work started before it
// are dropped and the hashing in progress is cancelled, so a paused, failed or
// restarted download never sees a late answer of an old round. What already
// runs (up to maxPendingChunks direct-I/O commits) finishes in the
// background; close() and discard() end the journal after it there, never on
// the owner's thread. A later open() of the same file, by this worker or any
// other, waits (on the executor) for that end, so a quick resume finds the
// journal closed and its lock free.
#pragma once

#include <QByteArray>
#include <QFuture>
#include <QList>
#include <QObject>
#include <QString>

#include <cstdint>
#include <functional>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/transfer/download_journal.h"
#include "core/base/progress.h"

struct JournalRelay;

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
    // stop(); the part file and the journal are removed, and with `finalPath`
    // also what is there under its names when nothing was open.
    void discard(const std::filesystem::path& finalPath = {});

    // Removes the part file and journal of `finalPath` once any journal of it
    // still ending in the background has ended (at once when none is).
    static void removeFiles(const std::filesystem::path& finalPath);

    // Tests only: called on the executor before each chunk commit's work
    // (a test holds commits there). Empty: none.
    static void setCommitGate(std::function<void()> gate);

signals:
    void opened(const QString& error); // empty: journal() is ready
    void reserved(const QString& error); // empty: the space is the part file's
    void phaseProgress(atmo::Phase phase, quint64 done, quint64 total);
    void committed(const JournalWorker::Commit& result);
    void finishedFile(const atmo::Result<atmo::FinishReport>& report);

private:
    template <typename Work, typename Deliver>
    void run(Work work, Deliver deliver);

    void end(bool discard, const std::filesystem::path& alsoRemove);

    std::shared_ptr<JournalRelay> relay_; // results and progress to this object while it lives
    std::filesystem::path finalPath_;
    std::shared_ptr<atmo::DownloadJournal> journal_;
    atmo::CancelToken cancel_;
    quint64 generation_ = 0;
    int pending_ = 0;
    QList<QFuture<void>> futures_; // this round's work
    QList<QFuture<void>> stopped_; // earlier rounds' work, still running or queued
    std::vector<std::shared_ptr<std::shared_ptr<atmo::DownloadJournal>>> openings_; // opened, not yet delivered
};
