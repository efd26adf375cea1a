#include "app/mesh/JournalWorker.h"

#include <QMetaObject>

#include "app/QtStrings.h"

#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "app/Executors.h"
#include "core/base/sha256.h"

namespace fs = std::filesystem;

// Posts to a worker on its thread while it lives. The worker detaches in its
// destructor under the mutex, so no task posts to a destroyed object (what was
// posted before is dropped with it).
struct JournalRelay {
    std::mutex mutex;
    JournalWorker* target = nullptr;

    // f(JournalWorker*) runs on the worker's thread if the worker still lives then.
    template <typename F>
    void post(F f)
    {
        std::lock_guard lock(mutex);
        if (target)
            QMetaObject::invokeMethod(target, [t = target, f = std::move(f)] { f(t); }, Qt::QueuedConnection);
    }
};

namespace {

std::mutex& gateMutex()
{
    static std::mutex m;
    return m;
}

std::function<void()>& commitGate()
{
    static std::function<void()> g;
    return g;
}

void passCommitGate()
{
    std::function<void()> g;
    {
        std::lock_guard lock(gateMutex());
        g = commitGate();
    }
    if (g)
        g();
}

// The end (close or discard) of each file's journal still under way in the
// background, by final path: a new open of the file waits for it.
std::mutex& endingsMutex()
{
    static std::mutex m;
    return m;
}

std::map<fs::path, QFuture<void>>& endings()
{
    static std::map<fs::path, QFuture<void>> m;
    return m;
}

std::optional<QFuture<void>> endingOf(const fs::path& finalPath)
{
    std::lock_guard lock(endingsMutex());
    auto& all = endings();
    std::erase_if(all, [](const auto& e) { return e.second.isFinished(); });
    if (auto it = all.find(finalPath); it != all.end())
        return it->second;
    return std::nullopt;
}

void removeJournalFiles(const fs::path& finalPath)
{
    std::error_code ec;
    fs::remove(atmo::DownloadJournal::partPath(finalPath), ec);
    fs::remove(atmo::DownloadJournal::journalPath(finalPath), ec);
}

// Forwards the journal's Checking/Verifying phases to the owner's thread.
class PhaseForwarder : public atmo::Observer {
public:
    explicit PhaseForwarder(std::shared_ptr<JournalRelay> relay) : relay_(std::move(relay)) {}
    void onProgress(const atmo::Progress& p) override
    {
        const atmo::Phase phase = p.phase;
        const quint64 done = p.done, total = p.total;
        relay_->post([phase, done, total](JournalWorker* t) { emit t->phaseProgress(phase, done, total); });
    }

private:
    std::shared_ptr<JournalRelay> relay_;
};

} // namespace

JournalWorker::JournalWorker(QObject* parent) : QObject(parent), relay_(std::make_shared<JournalRelay>())
{
    relay_->target = this;
}

JournalWorker::~JournalWorker()
{
    close();
    std::lock_guard lock(relay_->mutex);
    relay_->target = nullptr;
}

void JournalWorker::setCommitGate(std::function<void()> gate)
{
    std::lock_guard lock(gateMutex());
    commitGate() = std::move(gate);
}

// Runs work() on the journal executor and deliver(result) back on this
// object's thread, unless stop() came in between. The task holds no pointer
// to this object: it may outlive it.
template <typename Work, typename Deliver>
void JournalWorker::run(Work work, Deliver deliver)
{
    const quint64 gen = generation_;
    futures_.removeIf([](const QFuture<void>& f) { return f.isFinished(); });
    futures_.append(Executors::journal([relay = relay_, gen, work = std::move(work), deliver = std::move(deliver)]() mutable {
        auto result = work();
        relay->post([gen, result, deliver](JournalWorker* t) {
            if (gen == t->generation_)
                deliver(result);
        });
    }));
}

void JournalWorker::open(const fs::path& finalPath, const atmo::DownloadTarget& target,
                         const atmo::JournalOptions& options)
{
    // The journal waits in a slot until it is delivered, so stop() can close
    // one opened for a round that was stopped meanwhile: left to a dropped
    // delivery, it would hold its lock until the event loop came round, and
    // a quick resume would find the download "already being downloaded".
    auto slot = std::make_shared<std::shared_ptr<atmo::DownloadJournal>>();
    openings_.push_back(slot);
    finalPath_ = finalPath;
    const atmo::CancelToken cancel = cancel_;
    // A journal of this file still ending in the background (a pause just
    // before) is waited for on the executor: its lock is then free.
    std::optional<QFuture<void>> before = endingOf(finalPath);
    run(
        [relay = relay_, finalPath, target, cancel, slot, options, before]() mutable {
            if (before)
                before->waitForFinished();
            PhaseForwarder phases(relay);
            auto opened = atmo::DownloadJournal::open(finalPath, target, &phases, cancel, options);
            if (!opened)
                return q(opened.message());
            *slot = std::shared_ptr<atmo::DownloadJournal>(std::move(opened.value()));
            return QString();
        },
        [this, slot](const QString& error) {
            journal_ = std::move(*slot);
            slot->reset();
            std::erase(openings_, slot);
            emit opened(journal_ ? QString() : error);
        });
}

void JournalWorker::commit(const QString& peer, std::uint32_t chunk, QByteArray data, bool fingerprint)
{
    ++pending_;
    auto journal = journal_;
    run(
        [journal, peer, chunk, data, fingerprint] {
            passCommitGate();
            Commit c;
            c.peer = peer;
            c.chunk = chunk;
            if (fingerprint)
                c.fingerprint = atmo::sha256Hex(std::string_view(data.constData(), static_cast<std::size_t>(data.size())));
            auto writer = journal->beginChunk(chunk);
            if (!writer) {
                c.kind = journal->isDone(chunk) ? Commit::Superseded : Commit::Error;
                c.error = q(writer.message());
            } else if (auto st = writer->write(data.constData(), static_cast<std::size_t>(data.size())); !st) {
                c.kind = journal->isDone(chunk) ? Commit::Superseded : Commit::Error;
                c.error = q(st.message());
            } else if (auto check = journal->commitChunk(*writer); !check) {
                c.kind = Commit::Error;
                c.error = q(check.message());
            } else if (*check == atmo::ChunkCheck::Mismatch) {
                c.kind = Commit::Mismatch;
            } else if (*check == atmo::ChunkCheck::Superseded) {
                c.kind = Commit::Superseded;
            }
            return c;
        },
        [this](const Commit& c) {
            --pending_;
            emit committed(c);
        });
}

void JournalWorker::reserve(std::uint64_t marginBytes)
{
    auto journal = journal_;
    if (!journal)
        return;
    run(
        [journal, marginBytes] {
            const atmo::Status st = journal->reserve(marginBytes);
            return st ? QString() : q(st.message());
        },
        [this](const QString& error) { emit reserved(error); });
}

void JournalWorker::finish()
{
    auto journal = journal_;
    const atmo::CancelToken cancel = cancel_;
    run(
        [relay = relay_, journal, cancel] {
            PhaseForwarder phases(relay);
            return journal->finish(&phases, cancel);
        },
        [this](const atmo::Result<atmo::FinishReport>& report) {
            journal_.reset(); // spent either way
            emit finishedFile(report);
        });
}

// Never waits: the work of the stopped round goes on in the background and
// its results are dropped (generation). close()/discard() end the journal
// after it.
void JournalWorker::stop()
{
    ++generation_;
    cancel_.cancel();
    stopped_.removeIf([](const QFuture<void>& f) { return f.isFinished(); });
    for (auto& f : futures_)
        if (!f.isFinished())
            stopped_.append(f);
    futures_.clear();
    pending_ = 0;
    cancel_ = atmo::CancelToken();
}

// On the executor: waits for the stopped work (a queued task is run right
// there), then closes or discards the journal and any opened for a stopped
// round. Registered by final path, so the next open of the file waits for it.
void JournalWorker::end(bool discard, const fs::path& alsoRemove)
{
    stop();
    auto journal = std::move(journal_);
    journal_.reset();
    auto openings = std::move(openings_);
    openings_.clear();
    QList<QFuture<void>> work = std::move(stopped_);
    stopped_.clear();
    if (!journal && openings.empty() && work.isEmpty()) {
        if (!alsoRemove.empty())
            removeFiles(alsoRemove);
        return;
    }
    const fs::path key = !finalPath_.empty() ? finalPath_ : alsoRemove;
    std::optional<QFuture<void>> before = endingOf(key);
    QFuture<void> ending = Executors::journal([journal, openings, work, discard, alsoRemove, before]() mutable {
        if (before)
            before->waitForFinished();
        for (auto& f : work)
            f.waitForFinished();
        for (auto& slot : openings)
            if (*slot)
                discard ? (*slot)->discard() : (*slot)->close();
        if (journal)
            discard ? journal->discard() : journal->close();
        if (discard && !alsoRemove.empty())
            removeJournalFiles(alsoRemove);
    });
    std::lock_guard lock(endingsMutex());
    endings()[key] = ending;
}

void JournalWorker::close() { end(false, {}); }

void JournalWorker::discard(const fs::path& finalPath) { end(true, finalPath); }

void JournalWorker::removeFiles(const fs::path& finalPath)
{
    std::optional<QFuture<void>> before = endingOf(finalPath);
    if (!before) {
        removeJournalFiles(finalPath);
        return;
    }
    QFuture<void> ending = Executors::journal([finalPath, before]() mutable {
        before->waitForFinished();
        removeJournalFiles(finalPath);
    });
    std::lock_guard lock(endingsMutex());
    endings()[finalPath] = ending;
}
