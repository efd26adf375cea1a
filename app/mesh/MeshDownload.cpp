#include "app/mesh/MeshDownload.h"

#include "app/LogCategories.h"
#include "app/QtStrings.h"
#include "app/relay/RelayRangeFetch.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>

#include <algorithm>

#include "core/mesh/chunk_layout.h"
#include "core/base/fs_util.h"

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

QString peerList(const std::vector<QString>& peers)
{
    QStringList names;
    for (const auto& p : peers)
        names << p;
    return (peers.size() == 1 ? "peer " : "peers ") + names.join(", ");
}

QStringList toList(const std::vector<QString>& peers) { return QStringList(peers.begin(), peers.end()); }

} // namespace

MeshDownload::MeshDownload(DownloadSpec spec, std::vector<DownloadSource> sources, fs::path destDir,
                           MeshDownloadOptions options, QObject* parent)
    : QObject(parent), spec_(std::move(spec)), sources_(std::move(sources)), dest_(std::move(destDir)),
      options_(options), net_(new QNetworkAccessManager(this)), disk_(new JournalWorker(this))
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
    std::vector<std::pair<QString, QString>> keys;
    for (const auto& src : sources_)
        keys.emplace_back(src.endpoint, src.nodeKey);
    outcomes_.setPeers(std::move(keys));
    connect(disk_, &JournalWorker::opened, this, &MeshDownload::onOpened);
    connect(disk_, &JournalWorker::committed, this, &MeshDownload::onCommitted);
    connect(disk_, &JournalWorker::finishedFile, this, &MeshDownload::onFinishReport);
    connect(disk_, &JournalWorker::phaseProgress, this, &MeshDownload::phaseProgress);
    connect(disk_, &JournalWorker::reserved, this, [this](const QString& error) {
        if (!error.isEmpty() && state_ == State::Running)
            fail(error.startsWith(q(spec_.key)) ? error : q(spec_.key) + ": " + error, DownloadNote::diskKind(error));
    });
    tick_.setInterval(250);
    connect(&tick_, &QTimer::timeout, this, &MeshDownload::onTick);
    connect(&throttle_, &ReadThrottle::ready, this, [this] {
        if (state_ == State::Running)
            drainAll();
    });
}

MeshDownload::~MeshDownload()
{
    halt();
    // The journal's destructor records a clean close: destroying the object pauses.
}

void MeshDownload::setRateLimit(std::uint64_t bytesPerSecond) { throttle_.setRate(bytesPerSecond); }

// None while too many chunks wait for the disk (a commit's end pumps
// again), else what the rate limit allows (its wake-up pumps again).
std::uint64_t MeshDownload::readAllowance()
{
    return disk_->pendingCommits() >= options_.maxPendingChunks ? 0 : throttle_.allowance();
}

void MeshDownload::bytesRead(std::uint64_t bytes, atmo::SteadyTime now)
{
    bytesReceived_ += bytes;
    throttle_.consumed(bytes, now);
}

void MeshDownload::chunkArrived(const ChunkFetch& fetch, std::uint32_t chunk, QByteArray bytes)
{
    commit(fetch.peer(), chunk, std::move(bytes));
}

void MeshDownload::fetchActivity(ChunkFetch& fetch) { service(&fetch); }

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
    if (state_ != State::Paused) {
        // A fresh start (or a retry after a failure) gives every peer a chance again.
        std::vector<QString> ranked;
        for (const auto& src : sources_)
            ranked.push_back(src.endpoint);
        rounds_ = DownloadRounds(std::move(ranked));
        origins_.clear();
        outcomes_.clear();
    }
    ++generation_;
    error_.clear();
    failure_ = {};
    problem_ = {};
    finishing_ = false;
    reopening_ = false;
    const QString id = q(spec_.key);
    if (const QString problem = spec_.problem(); !problem.isEmpty())
        return fail(problem, DownloadNote::Kind::BadEntry);
    if (sources_.empty())
        return fail(id + ": no peer has this " + (spec_.entry ? "model" : "file"), DownloadNote::Kind::NoPeer);

    std::error_code ec;
    fs::create_directories(dest_, ec);
    if (ec || !fs::is_directory(dest_))
        return fail(q(dest_.string()) + ": cannot create the folder: " + q(ec ? ec.message() : "not a directory"),
                    DownloadNote::Kind::NoFolder);
    // The part file is preallocated to the full size, so on a resume only
    // the part's missing allocation is needed; a fresh start needs it all.
    std::uint64_t have = 0;
    const fs::path part = atmo::DownloadJournal::partPath(finalPath());
    if (fs::exists(part, ec))
        have = std::min<std::uint64_t>(fs::file_size(part, ec), spec_.sizeBytes);
    const std::uint64_t need = spec_.sizeBytes - have;
    const std::uint64_t free = atmo::freeSpace(dest_);
    if (need > 0 && (free < kFreeSpaceMarginBytes || free - kFreeSpaceMarginBytes < need))
        return fail(id + ": not enough space in " + q(dest_.string()) + ": needs " + q(atmo::humanBytes(need)) +
                    " (and " + q(atmo::humanBytes(kFreeSpaceMarginBytes)) + " kept free), " +
                    q(atmo::humanBytes(free)) + " free; the size is what " + peerList(sourceNames()) + " claimed",
                    atmo::ErrorCode::NoSpace,
                    DownloadNote{DownloadNote::Kind::NoSpace, id, {}, q(dest_.string()), need + kFreeSpaceMarginBytes, free});

    setState(State::Preparing);
    if (options_.askChunkLists && !spec_.chunkListPath.isEmpty() && sources_.size() > 1 && chunkHashes_.empty() &&
        !rounds_.afterMismatch())
        askChunkLists();
    else
        openJournal(chunkHashes_, chunkHashes_.empty() ? originsChunkSize_ : hashChunkSize_);
}

void MeshDownload::askChunkLists()
{
    std::vector<QString> endpoints;
    for (const auto& src : sources_)
        if (src.relayNode.isEmpty()) // per-chunk lists are an HTTP extension
            endpoints.push_back(src.endpoint);
    listQuery_ = new ChunkListQuery(*net_, endpoints, spec_.chunkListPath, spec_.key, spec_.sizeBytes, spec_.sha256,
                                    options_.chunkListTimeoutMs,
                                    [this](std::vector<std::string> hashes, std::uint64_t chunkSize) {
                                        listQuery_->deleteLater();
                                        listQuery_ = nullptr;
                                        chunkHashes_ = std::move(hashes);
                                        hashChunkSize_ = chunkSize;
                                        openJournal(chunkHashes_, hashChunkSize_);
                                    },
                                    this);
}

// chunkSize 0: the default for the file's size.
void MeshDownload::openJournal(std::vector<std::string> chunkHashes, std::uint64_t chunkSize)
{
    atmo::DownloadTarget target;
    target.modelId = spec_.key;
    target.size = spec_.sizeBytes;
    target.sha256 = spec_.sha256;
    target.chunkSize = chunkSize != 0 ? chunkSize : atmo::defaultChunkSize(spec_.sizeBytes);
    if (chunkSize == 0 && !sources_.empty() &&
        std::all_of(sources_.begin(), sources_.end(), [](const auto& src) { return !src.relayNode.isEmpty(); })) {
        // Only through the relay: a dropped link loses the chunk being
        // filled, so smaller chunks (1 MiB: ~4 s at the protocol's 2 Mbps
        // cap). A journal already on disk keeps its own size.
        std::uint64_t c = kRelayJournalChunkSize;
        while (c < target.chunkSize && spec_.sizeBytes / c >= atmo::kMaxDownloadChunks)
            c *= 2;
        target.chunkSize = c;
    }
    target.chunkHashes = std::move(chunkHashes);
    sizeProven_ = false;
    atmo::JournalOptions journalOptions;
    journalOptions.reserveOnOpen = false; // reserved once a peer proved the size
    disk_->open(finalPath(), target, journalOptions);
}

void MeshDownload::onOpened(const QString& error)
{
    if (!error.isEmpty())
        return fail(error.startsWith(q(spec_.key)) ? error : q(spec_.key) + ": " + error, DownloadNote::diskKind(error));
    const atmo::DownloadJournal& journal = *disk_->journal();
    if (!reopening_)
        openReport_ = journal.openReport(); // what start() found on disk, not a later round's fresh part
    reopening_ = false;
    // Who sent what is known for chunks this object fetched; chunks the
    // journal kept from an earlier session have no known origin.
    const auto& layout = journal.layout();
    if (layout.chunkSize != originsChunkSize_ || origins_.size() != layout.count())
        origins_.assign(layout.count(), ChunkOrigin{});
    originsChunkSize_ = layout.chunkSize;
    const std::vector<bool> done = journal.doneChunks();
    for (std::size_t i = 0; i < origins_.size(); ++i)
        if (i >= done.size() || !done[i])
            origins_[i] = ChunkOrigin{};
    startRound();
}

// A round: a plan over the journal's missing chunks with the peers
// DownloadRounds names for it.
void MeshDownload::startRound()
{
    atmo::PlanOptions planOptions;
    planOptions.endGame = options_.endGame;
    const atmo::DownloadJournal& journal = *disk_->journal();
    plan_ = std::make_unique<atmo::RangePlan>(journal.layout(), journal.doneChunks(), planOptions);
    const std::vector<QString> peers = rounds_.roundPeers();
    for (const auto& peer : peers)
        plan_->addPeer(s(peer));
    // Fingerprints cost a second SHA-256 pass over each chunk, so only where
    // DownloadRounds may need them to tell several suppliers apart.
    fingerprinting_ = !journal.hasChunkHashes() && (peers.size() > 1 || rounds_.afterMismatch());
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
    ChunkFetch::Host& host = *this;
    for (const auto& p : plan_->peers()) {
        const QString peer = q(p.peer);
        if (p.state != atmo::PeerState::Usable ||
            std::any_of(fetches_.begin(), fetches_.end(), [&](const auto& f) { return f->peer() == peer; }))
            continue;
        const auto src = std::find_if(sources_.begin(), sources_.end(), [&](const auto& s) { return s.endpoint == peer; });
        const QString relayNode = src != sources_.end() ? src->relayNode : QString();
        if (!relayNode.isEmpty() && (!relay_ || !spec_.entry)) {
            // Only models travel through the relay (model_request names a model id).
            const QString why = relay_ ? QStringLiteral("only models can come through the relay")
                                       : QStringLiteral("this station is not joined to the mesh's relay");
            dropPeer(peer, atmo::ChunkFailure::Dropped, why);
            plan_->failed(p.peer, 0, atmo::ChunkFailure::Dropped, s(why)); // holds nothing: only excluded
            return schedule();
        }
        if (!relayNode.isEmpty() && relay_->state() != RelayClient::State::Joined)
            continue; // until the link is back (onTick gives up after relayLinkWaitMs)
        auto a = plan_->next(p.peer, now, options_.chunksPerRequest);
        if (!a)
            continue;
        if (!relayNode.isEmpty())
            fetches_.push_back(std::make_unique<RelayRangeFetch>(
                host, *plan_, *relay_, peer,
                atmo::RelayStreamTarget{spec_.entry->modelId, spec_.sizeBytes, spec_.sha256, s(ownNodeId_),
                                        s(relayNode), {}},
                *a, options_.chunksPerRequest));
        else
            fetches_.push_back(std::make_unique<RangeFetch>(host, *plan_, *net_, peer, QUrl(peer + spec_.urlPath), *a,
                                                            spec_.sizeBytes, options_.chunksPerRequest));
    }
    if (plan_->exhausted() && fetches_.empty() && disk_->pendingCommits() == 0)
        onExhausted();
}

// Every peer of the round dropped out with chunks still missing. In a
// single-peer round the next peer carries on from what is on disk.
void MeshDownload::onExhausted()
{
    retireRound();
    if (rounds_.nextSinglePeer()) {
        problem_ = DownloadNote{DownloadNote::Kind::FetchingAlone, q(spec_.key), toList(rounds_.roundPeers())};
        emit retrying(q(spec_.key) + ": " + peerList(rounds_.roundPeers()) + " fetches the rest alone");
        return startRound();
    }
    fail(noPeerLeft({}), noPeerLeftCode() == atmo::ErrorCode::BadData ? DownloadNote::Kind::PeersSentBadData
                                                                        : DownloadNote::Kind::NoPeer);
}

void MeshDownload::service(ChunkFetch* fetch)
{
    if (state_ != State::Running)
        return;
    const ChunkFetch::Status status = fetch->pump();
    if (!sizeProven_ && fetch->sizeProven()) {
        // The first peer to prove the size (see MeshDownload.h): only now
        // is the part file's space reserved.
        sizeProven_ = true;
        disk_->reserve(kFreeSpaceMarginBytes);
    }
    switch (status) {
    case ChunkFetch::Status::Open:
        return;
    case ChunkFetch::Status::Complete:
        for (auto& f : fetches_)
            if (f.get() == fetch && f->awaitsVerdict())
                awaitingVerdict_.push_back(std::move(f));
        std::erase_if(fetches_, [fetch](const auto& f) { return !f || f.get() == fetch; });
        break;
    case ChunkFetch::Status::Failed:
        // They take the text by value: they destroy the fetch that holds it.
        switch (fetch->fault()) {
        case ChunkFetch::Fault::BadData:
            dropPeer(fetch->peer(), atmo::ChunkFailure::Mismatch, fetch->failure());
            break;
        case ChunkFetch::Fault::OurLink:
            dropRequest(fetch, atmo::ChunkFailure::Cancelled, {}); // the node stays; asked again once the link is back
            break;
        case ChunkFetch::Fault::Peer:
            dropRequest(fetch, atmo::ChunkFailure::Dropped, fetch->failure());
            break;
        }
        break;
    }
    schedule();
}

void MeshDownload::commit(const QString& peer, std::uint32_t chunk, QByteArray data)
{
    disk_->commit(peer, chunk, std::move(data), fingerprinting_);
}

void MeshDownload::onCommitted(const JournalWorker::Commit& c)
{
    if (!plan_)
        return;
    const auto now = Clock::now();
    switch (c.kind) {
    case JournalWorker::Commit::Ok:
        qCDebug(lcMeshDownload, "%s: chunk %u from %s", spec_.key.c_str(), c.chunk, qPrintable(c.peer));
        if (c.chunk < origins_.size())
            origins_[c.chunk] = ChunkOrigin{c.peer, c.fingerprint};
        for (const auto& other : plan_->completed(s(c.peer), c.chunk, now)) {
            // An end-game copy lost the race: stop it if that chunk is all it fetches.
            for (auto& f : fetches_)
                if (f->peer() == q(other) && f->fetchesOnly(c.chunk)) {
                    dropRequest(f.get(), atmo::ChunkFailure::Cancelled, {});
                    break;
                }
        }
        break;
    case JournalWorker::Commit::Superseded:
        break;
    case JournalWorker::Commit::Mismatch: {
        const QString detail = QStringLiteral("sent bytes that do not match the catalog's SHA-256 (chunk %1)").arg(c.chunk);
        dropPeer(c.peer, atmo::ChunkFailure::Mismatch, detail);
        plan_->failed(s(c.peer), c.chunk, atmo::ChunkFailure::Mismatch, s(detail));
        break;
    }
    case JournalWorker::Commit::Error: {
        QString message = c.error;
        const DownloadNote::Kind kind = DownloadNote::diskKind(message);
        if (kind == DownloadNote::Kind::DiskFull && !message.contains("disk full"))
            message = "disk full: " + message;
        return fail(message.startsWith(q(spec_.key)) ? message : q(spec_.key) + ": " + message, kind);
    }
    }
    const quint64 gen = generation_;
    drainAll();
    if (gen != generation_)
        return;
    schedule();
    maybeFinish();
}

void MeshDownload::dropRequest(ChunkFetch* fetch, atmo::ChunkFailure why, QString detail)
{
    const QString peer = fetch->peer();
    if (plan_)
        for (std::uint32_t c = fetch->nextChunk(); c < fetch->endChunk(); ++c)
            plan_->failed(s(peer), c, why, s(detail));
    std::erase_if(fetches_, [fetch](const auto& f) { return f.get() == fetch; }); // aborts its reply
    if (why != atmo::ChunkFailure::Cancelled && !detail.isEmpty()) {
        outcomes_.problem(peer, detail);
        reportProblem(peer, peerName(peer) + ": " + detail, DownloadNote::Kind::PeerStopped);
    }
}

void MeshDownload::dropPeer(QString peer, atmo::ChunkFailure why, QString detail)
{
    std::vector<ChunkFetch*> doomed;
    for (auto& f : fetches_)
        if (f->peer() == peer)
            doomed.push_back(f.get());
    for (ChunkFetch* f : doomed)
        dropRequest(f, why, {});
    outcomes_.problem(peer, detail);
    reportProblem(peer, peerName(peer) + ": " + detail,
                  why == atmo::ChunkFailure::Mismatch ? DownloadNote::Kind::PeerSentBadData : DownloadNote::Kind::PeerStopped);
    if (why == atmo::ChunkFailure::Mismatch)
        outcomes_.failed(peer);
}

void MeshDownload::stopRequests()
{
    delete listQuery_; // aborts its requests
    listQuery_ = nullptr;
    while (!fetches_.empty())
        dropRequest(fetches_.back().get(), atmo::ChunkFailure::Cancelled, {});
}

// Pumps every fetch: after a commit made room for more, or when the rate
// limit allows more. Stops if one of them ended the round.
void MeshDownload::drainAll()
{
    const quint64 gen = generation_;
    std::vector<ChunkFetch*> all;
    for (auto& f : fetches_)
        all.push_back(f.get());
    for (ChunkFetch* f : all) {
        if (gen != generation_ || state_ != State::Running)
            return;
        if (std::any_of(fetches_.begin(), fetches_.end(), [f](const auto& p) { return p.get() == f; }))
            service(f);
    }
}

void MeshDownload::onTick()
{
    if (state_ != State::Running)
        return;
    const auto now = Clock::now();
    // Silence, or a pace below the least accepted: a peer trickling a byte
    // now and then is as stalled as a silent one.
    std::vector<std::pair<ChunkFetch*, QString>> stalled;
    const std::chrono::milliseconds window(options_.rateWindowMs);
    for (auto& f : fetches_) {
        const int stallMs = DownloadSource::isRelayKey(f->peer()) ? options_.relayStallTimeoutMs : options_.stallTimeoutMs;
        if (now - f->lastActivity() > std::chrono::milliseconds(stallMs))
            stalled.emplace_back(f.get(), QStringLiteral("stalled: no data for %1 s").arg(stallMs / 1000.0, 0, 'f', 1));
        else if (options_.minRateBytesPerSec > 0)
            if (auto bytes = f->tooSlow(now, options_.minRateBytesPerSec, window))
                stalled.emplace_back(f.get(), QStringLiteral("stalled: %1 bytes in %2 s, less than the %3/s accepted")
                                                  .arg(*bytes)
                                                  .arg(options_.rateWindowMs / 1000.0, 0, 'f', 1)
                                                  .arg(q(atmo::humanBytes(options_.minRateBytesPerSec))));
    }
    for (const auto& [f, why] : stalled)
        dropRequest(f, atmo::ChunkFailure::Dropped, why);
    const bool gaveUp = giveUpOnRelayLink();
    emitProgress(false);
    if (!stalled.empty() || gaveUp)
        schedule();
}

void MeshDownload::maybeFinish()
{
    if (state_ != State::Running || !plan_ || !plan_->complete() || disk_->pendingCommits() > 0 || finishing_)
        return;
    finishing_ = true;
    stopRequests();
    emitProgress(true);
    setState(State::Verifying);
    disk_->finish();
}

void MeshDownload::onFinishReport(const atmo::Result<atmo::FinishReport>& report)
{
    finishing_ = false;
    const QString id = q(spec_.key);
    if (report)
        for (auto& f : awaitingVerdict_)
            f->verdict(report->actualSha256, spec_.fileName);
    awaitingVerdict_.clear(); // without a report: they tell their senders the download stopped
    if (!report)
        return fail(q(report.message()).startsWith(id) ? q(report.message()) : id + ": " + q(report.message()),
                    DownloadNote::diskKind(q(report.message())));
    if (report->verified) {
        for (const auto& c : rounds_.verified(origins_, originsChunkSize_))
            convict(c);
        if (spec_.entry)
            if (auto st = atmo::writeFileAtomic(entryPath(), atmo::catalogEntryToJson(*spec_.entry)); !st)
                return fail(id + ": " + q(st.message()), DownloadNote::diskKind(q(st.message())));
        if (plan_)
            outcomes_.settleRound(plan_->peers(), true);
        tick_.stop();
        setState(State::Finished);
        emit finished(true);
        return;
    }
    // The journal removed the part file. Which peer sent the wrong bytes, and
    // who fetches the file again, is DownloadRounds' call.
    const std::vector<ChunkOrigin> origins = origins_;
    origins_.assign(origins_.size(), ChunkOrigin{});
    retireRound();
    for (const auto& c : rounds_.failed(origins, originsChunkSize_))
        convict(c);
    const std::vector<QString> next = rounds_.roundPeers();
    if (next.empty())
        return fail(noPeerLeft(report->actualSha256), DownloadNote::Kind::PeersSentBadData);
    // A list of per-chunk hashes that let a wrong file through is not trusted again.
    chunkHashes_.clear();
    problem_ = DownloadNote{DownloadNote::Kind::FetchingAgain, id, toList(next)};
    emit retrying(id + ": the file did not match the catalog's SHA-256; fetching it again from " + peerList(next) +
                  (rounds_.singlePeerRound() ? " alone" : ""));
    reopening_ = true;
    setState(State::Preparing);
    openJournal({}, originsChunkSize_);
}

// The round's plan is done with: its dropped and bad peers stay out of later
// rounds (and their failure goes into the ranking).
void MeshDownload::retireRound()
{
    if (plan_)
        for (const auto& peer : outcomes_.settleRound(plan_->peers(), false))
            rounds_.exclude(peer);
}

void MeshDownload::convict(const DownloadRounds::Conviction& c)
{
    outcomes_.problem(c.peer, c.why);
    reportProblem(c.peer, peerName(c.peer) + ": " + c.why, DownloadNote::Kind::PeerSentBadData);
    outcomes_.failed(c.peer);
}

QString MeshDownload::noPeerLeft(const std::string& actualSha256) const
{
    return outcomes_.noPeerLeft(q(spec_.key), rounds_.convicted(), rounds_.suspects(), actualSha256,
                                plan_ ? q(plan_->exhaustedReason()) : QStringLiteral("no peer offers it"));
}

// Stops everything in flight: late replies of this round are ignored
// (generation), and so are its disk results (JournalWorker::stop, which never
// waits: the disk work already running ends in the background, and the
// journal is closed after it there).
void MeshDownload::halt()
{
    ++generation_;
    tick_.stop();
    throttle_.stop();
    stopRequests();
    awaitingVerdict_.clear();
    disk_->stop();
}

atmo::ErrorCode MeshDownload::noPeerLeftCode() const
{
    bool bad = !rounds_.convicted().empty();
    if (plan_)
        for (const auto& p : plan_->peers())
            bad = bad || p.state == atmo::PeerState::Bad;
    return bad ? atmo::ErrorCode::BadData : atmo::ErrorCode::Failed;
}

void MeshDownload::fail(const QString& message, DownloadNote::Kind kind)
{
    DownloadNote note{kind, q(spec_.key)};
    note.folder = q(dest_.string());
    if (kind == DownloadNote::Kind::PeersSentBadData) {
        note.peers = toList(rounds_.convicted());
        note.peers += toList(rounds_.suspects());
    }
    fail(message, DownloadNote::code(kind), std::move(note));
}

void MeshDownload::fail(const QString& message, atmo::ErrorCode code, DownloadNote note)
{
    error_ = message;
    errorCode_ = code;
    failure_ = std::move(note);
    halt();
    // What is on disk stays for a later attempt when it holds a committed
    // chunk; a part file with none is removed (see MeshDownload.h).
    if (disk_->journal() && disk_->journal()->chunksDone() == 0)
        disk_->discard();
    else
        disk_->close();
    finishing_ = false;
    setState(State::Failed);
    emit finished(false);
}

void MeshDownload::pause()
{
    if (state_ != State::Preparing && state_ != State::Running && state_ != State::Verifying)
        return;
    halt();
    disk_->close();
    finishing_ = false;
    emitProgress(true);
    setState(State::Paused);
}

void MeshDownload::cancel()
{
    if (state_ == State::Finished || state_ == State::Cancelled)
        return;
    halt();
    disk_->discard(finalPath()); // in the background, after the commits still running
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

void MeshDownload::reportProblem(const QString& peer, const QString& message, DownloadNote::Kind kind)
{
    qCInfo(lcMeshDownload, "%s: %s", qPrintable(peer), qPrintable(message));
    problem_ = DownloadNote{kind, q(spec_.key), {peer}};
    emit peerProblem(peer, message);
}

QString MeshDownload::peerName(const QString& endpoint) const { return "peer " + endpoint; }

std::vector<QString> MeshDownload::sourceNames() const
{
    std::vector<QString> out;
    for (const auto& src : sources_)
        out.push_back(src.endpoint);
    return out;
}
