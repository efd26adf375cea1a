#include "app/mesh/MeshDownload.h"

#include <QFuture>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QtConcurrent>

#include <algorithm>
#include <set>

#include "app/mesh/PeerDirectory.h"
#include "core/chunk_layout.h"
#include "core/fs_util.h"

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// A peer that ignores Range answers 200 with the whole file; we read the
// slice we need from that stream, but never discard more than this first.
constexpr std::uint64_t kMaxSkipBytes = 64ull << 20;
constexpr qint64 kReadBufferBytes = 1 << 20;

QString q(const std::string& s) { return QString::fromStdString(s); }
std::string s(const QString& q) { return q.toStdString(); }

// Forwards the journal's "checking"/"verifying" phases to the owner's thread.
class PhaseForwarder : public atmo::Observer {
public:
    explicit PhaseForwarder(QPointer<MeshDownload> target) : target_(std::move(target)) {}
    void onProgress(const atmo::Progress& p) override
    {
        if (!target_)
            return;
        const QString phase = q(p.phase);
        const quint64 done = p.done, total = p.total;
        QPointer<MeshDownload> t = target_;
        QMetaObject::invokeMethod(target_.data(), [t, phase, done, total] {
            if (t)
                emit t->phaseProgress(phase, done, total);
        }, Qt::QueuedConnection);
    }

private:
    QPointer<MeshDownload> target_;
};

} // namespace

struct MeshDownload::Request {
    QString peer;
    atmo::Assignment a;
    QNetworkReply* reply = nullptr;
    bool headersChecked = false;
    std::uint64_t skip = 0;      // bytes of a 200 reply before our range
    bool wholeFile = false;      // the peer ignored Range (200)
    std::uint32_t chunk = 0;     // the chunk being filled
    std::uint64_t taken = 0;     // bytes of the range taken so far
    QByteArray buf;              // the current chunk's bytes
    Clock::time_point lastByte;
    bool done = false;           // every byte of the range was taken
};

struct MeshDownload::Committed {
    enum Kind { Ok, Superseded, Mismatch, Error } kind = Ok;
    quint64 generation = 0;
    QString peer;
    std::uint32_t chunk = 0;
    QString error;
};

DownloadSpec DownloadSpec::forModel(const atmo::CatalogEntry& entry)
{
    DownloadSpec spec;
    spec.key = entry.modelId;
    spec.sizeBytes = entry.sizeBytes;
    spec.sha256 = entry.sha256;
    const QString id = QUrl::toPercentEncoding(q(entry.modelId));
    spec.urlPath = "/v1/models/download/" + id;
    spec.fileName = entry.modelId + "." + entry.format;
    spec.chunkListPath = "/v1/models/" + id + "/chunks";
    spec.entry = entry;
    return spec;
}

MeshDownload::MeshDownload(DownloadSpec spec, std::vector<DownloadSource> sources, fs::path destDir,
                           MeshDownloadOptions options, QObject* parent)
    : QObject(parent), spec_(std::move(spec)), sources_(std::move(sources)), dest_(std::move(destDir)),
      options_(options), net_(new QNetworkAccessManager(this))
{
    qRegisterMetaType<atmo::DownloadProgress>();
    net_->setProxy(QNetworkProxy::NoProxy);
    // Drop duplicate endpoints: one peer reached twice would only compete with itself.
    std::vector<DownloadSource> unique;
    for (auto& src : sources_) {
        while (src.endpoint.endsWith('/'))
            src.endpoint.chop(1);
        if (std::none_of(unique.begin(), unique.end(), [&](const auto& u) { return u.endpoint == src.endpoint; }))
            unique.push_back(src);
    }
    sources_ = std::move(unique);
    tick_.setInterval(250);
    connect(&tick_, &QTimer::timeout, this, &MeshDownload::onTick);
    throttle_.setSingleShot(true);
    connect(&throttle_, &QTimer::timeout, this, [this] {
        if (state_ == State::Running)
            drainAll();
    });
}

void MeshDownload::setRateLimit(std::uint64_t bytesPerSecond)
{
    limiter_.setRate(bytesPerSecond, 0, Clock::now());
    if (state_ == State::Running)
        throttle_.start(0); // read what the new rate allows now
}

// How many bytes the rate limit lets the reads take now; 0 arms the wake-up.
std::uint64_t MeshDownload::allowance()
{
    if (limiter_.unlimited())
        return UINT64_MAX;
    const auto now = Clock::now();
    const std::uint64_t allowed = limiter_.available(now);
    if (allowed == 0 && !throttle_.isActive()) {
        const auto wait = limiter_.waitFor(64 * 1024, now);
        throttle_.start(std::max<int>(1, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count())));
    }
    return allowed;
}

MeshDownload::~MeshDownload()
{
    halt();
    // The journal's destructor records a clean close: destroying the object pauses.
}

fs::path MeshDownload::finalPath() const { return dest_ / spec_.fileName; }
fs::path MeshDownload::entryPath() const { return spec_.entry ? dest_ / (spec_.entry->modelId + ".json") : fs::path(); }

std::vector<atmo::PeerStats> MeshDownload::peerStats() const { return plan_ ? plan_->peers() : std::vector<atmo::PeerStats>{}; }

void MeshDownload::setState(State st)
{
    if (state_ == st)
        return;
    state_ = st;
    emit stateChanged(st);
}

void MeshDownload::start()
{
    if (state_ == State::Preparing || state_ == State::Running || state_ == State::Verifying || state_ == State::Finished)
        return;
    ++generation_;
    cancel_ = atmo::CancelToken();
    error_.clear();
    problems_.clear();
    finishing_ = false;
    pendingCommits_ = 0;
    const QString id = q(spec_.key);
    if (!atmo::isValidModelId(spec_.key))
        return fail("\"" + id + "\" is not a valid model id");
    if (spec_.entry && (spec_.entry->format.empty() || !atmo::isValidModelId(spec_.entry->format)))
        return fail(id + ": the catalog entry has no usable format");
    if (!atmo::isValidModelId(spec_.fileName))
        return fail(id + ": \"" + q(spec_.fileName) + "\" is not a usable file name");
    if (!spec_.urlPath.startsWith('/'))
        return fail(id + ": no path to download it from");
    if (!atmo::isSha256Hex(spec_.sha256))
        return fail(id + ": the expected sha256 is not 64 lowercase hex digits");
    if (sources_.empty())
        return fail(id + ": no peer has this " + (spec_.entry ? "model" : "file"));

    std::error_code ec;
    fs::create_directories(dest_, ec);
    if (ec || !fs::is_directory(dest_))
        return fail(q(dest_.string()) + ": cannot create the folder: " + q(ec ? ec.message() : "not a directory"));
    // The part file is preallocated to the full size, so on a resume only
    // the part's missing allocation is needed; a fresh start needs it all.
    std::uint64_t have = 0;
    const fs::path part = atmo::DownloadJournal::partPath(finalPath());
    if (fs::exists(part, ec))
        have = std::min<std::uint64_t>(fs::file_size(part, ec), spec_.sizeBytes);
    const std::uint64_t need = spec_.sizeBytes - have;
    const std::uint64_t free = atmo::freeSpace(dest_);
    if (need > 0 && free < need)
        return fail(q(dest_.string()) + ": disk full: " + id + " needs " + q(atmo::humanBytes(need)) + ", only " +
                    q(atmo::humanBytes(free)) + " free");

    setState(State::Preparing);
    if (options_.askChunkLists && !spec_.chunkListPath.isEmpty() && sources_.size() > 1 && chunkHashes_.empty())
        askChunkLists();
    else
        openJournal(chunkHashes_, hashChunkSize_);
}

// Per-chunk hashes let a download spread over several peers blame the peer
// that sent a bad chunk. A single-peer download skips the round trip: there
// is nobody to fail over to, and the final hash catches a wrong file.
void MeshDownload::askChunkLists()
{
    const quint64 gen = generation_;
    auto remaining = std::make_shared<int>(static_cast<int>(sources_.size()));
    for (const auto& src : sources_) {
        QNetworkRequest req(QUrl(src.endpoint + spec_.chunkListPath));
        req.setTransferTimeout(options_.chunkListTimeoutMs);
        QNetworkReply* reply = net_->get(req);
        reply->setReadBufferSize(0);
        listReplies_.push_back(reply);
        connect(reply, &QNetworkReply::finished, this, [this, reply, gen, remaining] {
            reply->deleteLater();
            std::erase(listReplies_, reply);
            if (gen != generation_)
                return;
            const QByteArray body = reply->readAll();
            if (chunkHashes_.empty() && reply->error() == QNetworkReply::NoError &&
                reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200 && body.size() < (64 << 20)) {
                auto list = atmo::parseChunkList(std::string_view(body.constData(), static_cast<std::size_t>(body.size())),
                                                 spec_.key, spec_.sizeBytes, spec_.sha256);
                if (list) {
                    chunkHashes_ = std::move(list->hashes);
                    hashChunkSize_ = list->chunkSize;
                }
            }
            if (--*remaining == 0)
                openJournal(chunkHashes_, hashChunkSize_);
        });
    }
}

void MeshDownload::openJournal(std::vector<std::string> chunkHashes, std::uint64_t chunkSize)
{
    atmo::DownloadTarget target;
    target.modelId = spec_.key;
    target.size = spec_.sizeBytes;
    target.sha256 = spec_.sha256;
    target.chunkSize = chunkHashes.empty() ? atmo::defaultChunkSize(spec_.sizeBytes) : chunkSize;
    target.chunkHashes = std::move(chunkHashes);
    const quint64 gen = generation_;
    QPointer<MeshDownload> self(this);
    const fs::path path = finalPath();
    const atmo::CancelToken cancel = cancel_;
    futures_.append(QtConcurrent::run([self, gen, path, target, cancel] {
        PhaseForwarder phases(self);
        auto opened = atmo::DownloadJournal::open(path, target, &phases, cancel);
        std::shared_ptr<atmo::DownloadJournal> journal;
        QString error;
        if (opened)
            journal = std::shared_ptr<atmo::DownloadJournal>(std::move(opened.value()));
        else
            error = q(opened.message());
        if (self)
            QMetaObject::invokeMethod(self.data(), [self, gen, journal, error] {
                if (self && gen == self->generation_)
                    self->onOpened(journal, error);
            }, Qt::QueuedConnection);
    }));
}

void MeshDownload::onOpened(std::shared_ptr<atmo::DownloadJournal> journal, QString error)
{
    if (!journal)
        return fail(error.startsWith(q(spec_.key)) ? error : q(spec_.key) + ": " + error);
    journal_ = std::move(journal);
    openReport_ = journal_->openReport();
    plan_ = std::make_unique<atmo::RangePlan>(journal_->layout(), journal_->doneChunks());
    for (const auto& src : sources_)
        plan_->addPeer(s(src.endpoint));
    setState(State::Running);
    sinceProgress_.start();
    tick_.start();
    emitProgress(true);
    schedule();
    maybeFinish();
}

void MeshDownload::schedule()
{
    if (state_ != State::Running || !plan_ || finishing_)
        return;
    const auto now = Clock::now();
    for (const auto& src : sources_) {
        const bool busy = std::any_of(requests_.begin(), requests_.end(),
                                      [&](const auto& r) { return r->peer == src.endpoint; });
        if (busy)
            continue;
        if (auto a = plan_->next(s(src.endpoint), now, options_.chunksPerRequest))
            issue(src.endpoint, *a);
    }
    if (plan_->exhausted() && requests_.empty() && pendingCommits_ == 0)
        fail(q(spec_.key) + ": " + q(plan_->exhaustedReason()));
}

void MeshDownload::issue(const QString& peer, const atmo::Assignment& a)
{
    auto r = std::make_unique<Request>();
    r->peer = peer;
    r->a = a;
    r->chunk = a.first;
    r->lastByte = Clock::now();
    QNetworkRequest req(QUrl(peer + spec_.urlPath));
    req.setRawHeader("Range", QByteArray("bytes=") + QByteArray::number(qulonglong(a.offset)) + '-' +
                                  QByteArray::number(qulonglong(a.offset + a.length - 1)));
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    r->reply = net_->get(req);
    r->reply->setReadBufferSize(kReadBufferBytes);
    Request* raw = r.get();
    connect(r->reply, &QNetworkReply::readyRead, this, [this, raw] { onReadyRead(raw); });
    connect(r->reply, &QNetworkReply::finished, this, [this, raw] { onReplyFinished(raw); });
    requests_.push_back(std::move(r));
}

bool MeshDownload::checkHeaders(Request* r)
{
    r->headersChecked = true;
    const int status = r->reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 206) {
        static const QRegularExpression re(QStringLiteral("^bytes (\\d+)-(\\d+)/(\\d+)$"));
        const QString range = QString::fromLatin1(r->reply->rawHeader("Content-Range")).trimmed();
        const auto m = re.match(range);
        if (!m.hasMatch() || m.captured(1).toULongLong() != r->a.offset ||
            m.captured(2).toULongLong() != r->a.offset + r->a.length - 1 ||
            m.captured(3).toULongLong() != spec_.sizeBytes) {
            dropRequest(r, atmo::ChunkFailure::Dropped,
                        QStringLiteral("answered bytes %1-%2 with Content-Range \"%3\"")
                            .arg(r->a.offset).arg(r->a.offset + r->a.length - 1).arg(range));
            return false;
        }
        return true;
    }
    if (status == 200) {
        const QVariant length = r->reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toULongLong() != spec_.sizeBytes) {
            dropRequest(r, atmo::ChunkFailure::Dropped,
                        QStringLiteral("sent %1 bytes for a %2-byte file").arg(length.toULongLong()).arg(spec_.sizeBytes));
            return false;
        }
        if (r->a.offset > kMaxSkipBytes) {
            dropRequest(r, atmo::ChunkFailure::Dropped, "ignores Range requests (answered 200 with the whole file)");
            return false;
        }
        r->wholeFile = true;
        r->skip = r->a.offset;
        return true;
    }
    dropRequest(r, atmo::ChunkFailure::Dropped,
                status != 0 ? QStringLiteral("answered HTTP %1").arg(status)
                : r->reply->error() != QNetworkReply::NoError ? r->reply->errorString()
                                                              : QStringLiteral("sent no HTTP answer"));
    return false;
}

void MeshDownload::onReadyRead(Request* r)
{
    if (state_ != State::Running || !r->reply)
        return;
    if (!r->headersChecked) {
        // drainAll() also calls here for replies whose headers are not in yet.
        if (!r->reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid() && !r->reply->isFinished())
            return;
        if (!checkHeaders(r))
            return;
    }
    const auto& layout = plan_->layout();
    while (r->reply && !r->done) {
        if (pendingCommits_ >= options_.maxPendingChunks) {
            r->lastByte = Clock::now(); // waiting for our disk is not the peer's stall
            return;
        }
        const qint64 buffered = r->reply->bytesAvailable();
        if (buffered <= 0)
            break;
        const std::uint64_t allowed = allowance();
        if (allowed == 0) {
            r->lastByte = Clock::now(); // held back by our own rate limit, not the peer's stall
            return;
        }
        const qint64 avail = static_cast<qint64>(std::min<std::uint64_t>(static_cast<std::uint64_t>(buffered), allowed));
        if (r->skip > 0) {
            const qint64 n = r->reply->skip(std::min<qint64>(avail, static_cast<qint64>(r->skip)));
            if (n <= 0)
                break;
            r->skip -= static_cast<std::uint64_t>(n);
            bytesReceived_ += static_cast<std::uint64_t>(n);
            limiter_.consume(static_cast<std::uint64_t>(n), Clock::now());
            r->lastByte = Clock::now();
            continue;
        }
        const std::uint64_t chunkLen = layout.length(r->chunk);
        const qint64 want = std::min<qint64>(avail, static_cast<qint64>(chunkLen - static_cast<std::uint64_t>(r->buf.size())));
        const qsizetype old = r->buf.size();
        if (r->buf.capacity() < static_cast<qsizetype>(chunkLen))
            r->buf.reserve(static_cast<qsizetype>(chunkLen));
        r->buf.resize(old + want);
        const qint64 n = r->reply->read(r->buf.data() + old, want);
        r->buf.resize(old + std::max<qint64>(n, 0));
        if (n <= 0)
            break;
        const auto now = Clock::now();
        r->lastByte = now;
        r->taken += static_cast<std::uint64_t>(n);
        bytesReceived_ += static_cast<std::uint64_t>(n);
        limiter_.consume(static_cast<std::uint64_t>(n), now);
        plan_->received(s(r->peer), r->chunk, static_cast<std::uint64_t>(n), now);
        if (static_cast<std::uint64_t>(r->buf.size()) == chunkLen)
            commit(r);
        if (r->taken == r->a.length) {
            // A peer streaming the whole file keeps going while the plan's
            // next range for it starts where the stream is.
            auto more = r->wholeFile ? plan_->next(s(r->peer), now, options_.chunksPerRequest) : std::nullopt;
            if (more && more->offset == r->a.offset + r->a.length && !more->duplicate) {
                r->a = atmo::Assignment{r->a.first, r->a.count + more->count, r->a.offset, r->a.length + more->length, false};
                continue;
            }
            if (more)
                for (std::uint32_t c = more->first; c < more->first + more->count; ++c)
                    plan_->failed(s(r->peer), c, atmo::ChunkFailure::Cancelled);
            r->done = true;
        }
    }
    if (!r->reply)
        return;
    // A 206 range that is complete ends with its reply, which keeps the
    // connection alive for the next request; a whole-file stream is cut.
    if ((r->done && (r->wholeFile || r->reply->isFinished())) ||
        (!r->done && r->reply->isFinished() && r->reply->bytesAvailable() == 0))
        onReplyFinished(r);
}

void MeshDownload::onReplyFinished(Request* r)
{
    if (!r->reply)
        return;
    if (!r->done && r->reply->bytesAvailable() > 0 && state_ == State::Running) {
        // Bytes still buffered (we were waiting for the disk): take them first.
        if (r->headersChecked || r->reply->error() == QNetworkReply::NoError) {
            onReadyRead(r);
            return;
        }
    }
    if (!r->done) {
        if (!r->headersChecked && r->reply->error() == QNetworkReply::NoError) {
            if (!checkHeaders(r))
                return;
            onReadyRead(r);
            return;
        }
        const QString detail = r->reply->error() != QNetworkReply::NoError
                                   ? r->reply->errorString()
                                   : QStringLiteral("closed the connection after %1 of %2 bytes").arg(r->taken).arg(r->a.length);
        dropRequest(r, atmo::ChunkFailure::Dropped, detail);
        schedule();
        return;
    }
    QNetworkReply* reply = r->reply;
    r->reply = nullptr;
    reply->disconnect(this);
    if (!reply->isFinished())
        reply->abort(); // a whole-file stream: we have the slice we wanted
    reply->deleteLater();
    std::erase_if(requests_, [r](const auto& p) { return p.get() == r; });
    schedule();
}

void MeshDownload::commit(Request* r)
{
    const std::uint32_t chunk = r->chunk;
    QByteArray data = std::move(r->buf);
    r->buf = QByteArray();
    ++r->chunk;
    ++pendingCommits_;
    auto journal = journal_;
    const quint64 gen = generation_;
    const QString peer = r->peer;
    QPointer<MeshDownload> self(this);
    futures_.append(QtConcurrent::run([self, journal, data, chunk, peer, gen] {
        Committed c;
        c.generation = gen;
        c.peer = peer;
        c.chunk = chunk;
        auto writer = journal->beginChunk(chunk);
        if (!writer) {
            c.kind = journal->isDone(chunk) ? Committed::Superseded : Committed::Error;
            c.error = q(writer.message());
        } else if (auto st = writer->write(data.constData(), static_cast<std::size_t>(data.size())); !st) {
            c.kind = journal->isDone(chunk) ? Committed::Superseded : Committed::Error;
            c.error = q(st.message());
        } else if (auto check = journal->commitChunk(*writer); !check) {
            c.kind = Committed::Error;
            c.error = q(check.message());
        } else if (*check == atmo::ChunkCheck::Mismatch) {
            c.kind = Committed::Mismatch;
        } else if (*check == atmo::ChunkCheck::Superseded) {
            c.kind = Committed::Superseded;
        }
        if (self)
            QMetaObject::invokeMethod(self.data(), [self, c] {
                if (self)
                    self->onCommitted(c);
            }, Qt::QueuedConnection);
    }));
    futures_.removeIf([](const QFuture<void>& f) { return f.isFinished(); });
}

void MeshDownload::onCommitted(const Committed& c)
{
    if (c.generation != generation_ || !plan_)
        return;
    --pendingCommits_;
    const auto now = Clock::now();
    switch (c.kind) {
    case Committed::Ok:
        for (const auto& other : plan_->completed(s(c.peer), c.chunk, now)) {
            // An end-game copy lost the race: stop it if that chunk is all it fetches.
            for (auto& r : requests_)
                if (r->peer == q(other) && r->a.count == 1 && r->a.first == c.chunk) {
                    dropRequest(r.get(), atmo::ChunkFailure::Cancelled, {});
                    break;
                }
        }
        break;
    case Committed::Superseded:
        break;
    case Committed::Mismatch: {
        const QString detail = QStringLiteral("sent bytes that do not match the catalog's SHA-256 (chunk %1)").arg(c.chunk);
        dropPeer(c.peer, atmo::ChunkFailure::Mismatch, detail);
        plan_->failed(s(c.peer), c.chunk, atmo::ChunkFailure::Mismatch, s(detail));
        break;
    }
    case Committed::Error: {
        QString message = c.error;
        if (message.contains("No space left", Qt::CaseInsensitive) && !message.contains("disk full"))
            message = "disk full: " + message;
        return fail(message.startsWith(q(spec_.key)) ? message : q(spec_.key) + ": " + message);
    }
    }
    drainAll();
    schedule();
    maybeFinish();
}

void MeshDownload::dropRequest(Request* r, atmo::ChunkFailure why, const QString& detail)
{
    if (r->reply) {
        QNetworkReply* reply = r->reply;
        r->reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    if (plan_)
        for (std::uint32_t c = r->chunk; c < r->a.first + r->a.count; ++c)
            plan_->failed(s(r->peer), c, why, s(detail));
    if (why != atmo::ChunkFailure::Cancelled && !detail.isEmpty()) {
        problems_[r->peer] = detail;
        emit peerProblem(r->peer, peerName(r->peer) + ": " + detail);
    }
    std::erase_if(requests_, [r](const auto& p) { return p.get() == r; });
}

void MeshDownload::dropPeer(const QString& peer, atmo::ChunkFailure why, const QString& detail)
{
    std::vector<Request*> doomed;
    for (auto& r : requests_)
        if (r->peer == peer)
            doomed.push_back(r.get());
    for (Request* r : doomed)
        dropRequest(r, why, {});
    problems_[peer] = detail;
    emit peerProblem(peer, peerName(peer) + ": " + detail);
    if (why == atmo::ChunkFailure::Mismatch && directory_) {
        const QString key = nodeKeyOf(peer);
        if (!key.isEmpty())
            directory_->recordTransfer(key, false);
    }
}

void MeshDownload::stopRequests()
{
    for (auto* reply : std::vector<QNetworkReply*>(listReplies_)) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    listReplies_.clear();
    while (!requests_.empty())
        dropRequest(requests_.back().get(), atmo::ChunkFailure::Cancelled, {});
}

void MeshDownload::drainAll()
{
    std::vector<Request*> all;
    for (auto& r : requests_)
        all.push_back(r.get());
    for (Request* r : all)
        if (std::any_of(requests_.begin(), requests_.end(), [r](const auto& p) { return p.get() == r; }))
            onReadyRead(r);
}

void MeshDownload::onTick()
{
    if (state_ != State::Running)
        return;
    const auto now = Clock::now();
    std::vector<Request*> stalled;
    for (auto& r : requests_)
        if (now - r->lastByte > std::chrono::milliseconds(options_.stallTimeoutMs))
            stalled.push_back(r.get());
    for (Request* r : stalled)
        dropRequest(r, atmo::ChunkFailure::Dropped,
                    QStringLiteral("stalled: no data for %1 s").arg(options_.stallTimeoutMs / 1000.0, 0, 'f', 1));
    emitProgress(false);
    if (!stalled.empty())
        schedule();
}

void MeshDownload::maybeFinish()
{
    if (state_ != State::Running || !plan_ || !plan_->complete() || pendingCommits_ > 0 || finishing_)
        return;
    finishing_ = true;
    stopRequests();
    emitProgress(true);
    setState(State::Verifying);
    auto journal = journal_;
    const quint64 gen = generation_;
    const atmo::CancelToken cancel = cancel_;
    QPointer<MeshDownload> self(this);
    futures_.append(QtConcurrent::run([self, journal, gen, cancel] {
        PhaseForwarder phases(self);
        auto report = journal->finish(&phases, cancel);
        if (self)
            QMetaObject::invokeMethod(self.data(), [self, gen, report] {
                if (self && gen == self->generation_)
                    self->onFinishReport(report);
            }, Qt::QueuedConnection);
    }));
}

void MeshDownload::onFinishReport(atmo::Result<atmo::FinishReport> report)
{
    finishing_ = false;
    journal_.reset(); // spent either way
    const QString id = q(spec_.key);
    if (!report)
        return fail(q(report.message()).startsWith(id) ? q(report.message()) : id + ": " + q(report.message()));
    if (report->verified) {
        if (spec_.entry)
            if (auto st = atmo::writeFileAtomic(entryPath(), atmo::catalogEntryToJson(*spec_.entry)); !st)
                return fail(id + ": " + q(st.message()));
        reportPeers(true);
        tick_.stop();
        setState(State::Finished);
        emit finished(true);
        return;
    }
    // The whole file is wrong and no per-chunk hash could say where: every
    // peer that supplied chunks is suspect.
    std::set<std::string> suppliers;
    for (std::uint32_t c = 0; c < plan_->layout().count(); ++c)
        if (auto who = plan_->supplier(c))
            suppliers.insert(*who);
    const std::string detail = "sent bytes that do not match the catalog's SHA-256";
    plan_->blame(report->badChunks, detail);
    reportPeers(false);
    if (suppliers.size() == 1)
        return fail(id + ": peer " + q(*suppliers.begin()) + ": " + q(detail) + " (got " +
                    q(report->actualSha256.substr(0, 16)) + "…)");
    fail(id + ": " + q(report->message));
}

void MeshDownload::reportPeers(bool verified)
{
    if (!directory_ || !plan_)
        return;
    for (const auto& p : plan_->peers()) {
        const QString key = nodeKeyOf(q(p.peer));
        if (key.isEmpty() || p.state == atmo::PeerState::Bad) // bad peers were reported when caught
            continue;
        if (p.state == atmo::PeerState::Dropped)
            directory_->recordTransfer(key, false);
        else if (p.chunksSupplied > 0)
            directory_->recordTransfer(key, verified);
    }
}

void MeshDownload::waitForDisk()
{
    for (auto& f : futures_)
        f.waitForFinished();
    futures_.clear();
}

// Stops everything in flight: late replies and disk results of this round
// are ignored (generation), hashing is cancelled, and the disk work that is
// already running is waited for, so the journal can be closed safely.
void MeshDownload::halt()
{
    ++generation_;
    cancel_.cancel();
    tick_.stop();
    throttle_.stop();
    stopRequests();
    waitForDisk();
}

void MeshDownload::fail(const QString& message)
{
    error_ = message;
    halt();
    if (journal_)
        journal_->close(); // what is on disk stays for a later attempt
    journal_.reset();
    finishing_ = false;
    setState(State::Failed);
    emit finished(false);
}

void MeshDownload::pause()
{
    if (state_ != State::Preparing && state_ != State::Running && state_ != State::Verifying)
        return;
    halt();
    if (journal_)
        journal_->close();
    journal_.reset();
    finishing_ = false;
    emitProgress(true);
    setState(State::Paused);
}

void MeshDownload::cancel()
{
    if (state_ == State::Finished || state_ == State::Cancelled)
        return;
    halt();
    if (journal_)
        journal_->discard();
    journal_.reset();
    std::error_code ec;
    fs::remove(atmo::DownloadJournal::partPath(finalPath()), ec);
    fs::remove(atmo::DownloadJournal::journalPath(finalPath()), ec);
    setState(State::Cancelled);
    emit finished(false);
}

void MeshDownload::emitProgress(bool force)
{
    if (!plan_)
        return;
    if (!force && sinceProgress_.isValid() && sinceProgress_.elapsed() < 200)
        return;
    sinceProgress_.restart();
    progress_ = plan_->progress(Clock::now());
    emit progressChanged(progress_);
}

QString MeshDownload::peerName(const QString& endpoint) const { return "peer " + endpoint; }

QString MeshDownload::nodeKeyOf(const QString& endpoint) const
{
    for (const auto& src : sources_)
        if (src.endpoint == endpoint)
            return src.nodeKey;
    return {};
}
