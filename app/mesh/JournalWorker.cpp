#include "app/mesh/JournalWorker.h"

#include <QPointer>
#include <QtConcurrent>

#include <utility>

#include "core/sha256.h"

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// Forwards the journal's Checking/Verifying phases to the owner's thread.
class PhaseForwarder : public atmo::Observer {
public:
    explicit PhaseForwarder(QPointer<JournalWorker> target) : target_(std::move(target)) {}
    void onProgress(const atmo::Progress& p) override
    {
        const atmo::Phase phase = p.phase;
        const quint64 done = p.done, total = p.total;
        QPointer<JournalWorker> t = target_;
        QMetaObject::invokeMethod(t.data(), [t, phase, done, total] {
            if (t)
                emit t->phaseProgress(phase, done, total);
        }, Qt::QueuedConnection);
    }

private:
    QPointer<JournalWorker> target_;
};

} // namespace

JournalWorker::JournalWorker(QObject* parent) : QObject(parent) {}

JournalWorker::~JournalWorker() { close(); }

// Runs work() on the pool and deliver(result) back on this object's thread,
// unless stop() came in between. stop() waits for the work, so `self` is
// alive while it runs.
template <typename Work, typename Deliver>
void JournalWorker::run(Work work, Deliver deliver)
{
    QPointer<JournalWorker> self(this);
    const quint64 gen = generation_;
    futures_.removeIf([](const QFuture<void>& f) { return f.isFinished(); });
    futures_.append(QtConcurrent::run([self, gen, work = std::move(work), deliver = std::move(deliver)] {
        auto result = work();
        QMetaObject::invokeMethod(self.data(), [self, gen, result, deliver] {
            if (self && gen == self->generation_)
                deliver(result);
        }, Qt::QueuedConnection);
    }));
}

void JournalWorker::open(const std::filesystem::path& finalPath, const atmo::DownloadTarget& target,
                         const atmo::JournalOptions& options)
{
    // The journal waits in a slot until it is delivered, so stop() can close
    // one opened for a round that was stopped meanwhile: left to a dropped
    // delivery, it would hold its lock until the event loop came round, and
    // a quick resume would find the download "already being downloaded".
    auto slot = std::make_shared<std::shared_ptr<atmo::DownloadJournal>>();
    openings_.push_back(slot);
    QPointer<JournalWorker> self(this);
    const atmo::CancelToken cancel = cancel_;
    run(
        [self, finalPath, target, cancel, slot, options] {
            PhaseForwarder phases(self);
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
    QPointer<JournalWorker> self(this);
    auto journal = journal_;
    const atmo::CancelToken cancel = cancel_;
    run(
        [self, journal, cancel] {
            PhaseForwarder phases(self);
            return journal->finish(&phases, cancel);
        },
        [this](const atmo::Result<atmo::FinishReport>& report) {
            journal_.reset(); // spent either way
            emit finishedFile(report);
        });
}

void JournalWorker::stop()
{
    ++generation_;
    cancel_.cancel();
    for (auto& f : futures_)
        f.waitForFinished();
    futures_.clear();
    for (auto& slot : openings_)
        if (*slot)
            (*slot)->close();
    openings_.clear();
    pending_ = 0;
    cancel_ = atmo::CancelToken();
}

void JournalWorker::close()
{
    stop();
    if (journal_)
        journal_->close();
    journal_.reset();
}

void JournalWorker::discard()
{
    stop();
    if (journal_)
        journal_->discard();
    journal_.reset();
}
