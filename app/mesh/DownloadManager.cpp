#include "app/mesh/DownloadManager.h"
#include "app/mesh/DownloadManagerRow.h"

#include <QMetaObject>

#include <sys/stat.h>

#include <atomic>

#include "app/Executors.h"
#include "app/mesh/PeerDirectory.h"
#include "app/QtStrings.h"
#include "core/mesh/chunk_layout.h"
#include "core/transfer/download_journal.h"
#include "core/base/fs_util.h"
#include "core/base/sha256.h"

namespace fs = std::filesystem;

namespace {

// Models and package files share the queue; their keys must never collide.
std::string queueKey(DownloadManager::Kind kind, const std::string& key)
{
    return (kind == DownloadManager::Kind::Model ? "model:" : "package:") + key;
}

std::int64_t mtimeNs(const struct stat& st)
{
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
}

// A regular file of exactly `size` bytes at `file`, with its stat.
std::optional<struct stat> sizedFile(const fs::path& file, std::uint64_t size)
{
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) != size)
        return std::nullopt;
    return st;
}

// The cache is keyed by canonical path, as the library scan stores it.
fs::path cacheKey(const fs::path& file)
{
    std::error_code ec;
    fs::path real = fs::canonical(file, ec);
    return ec ? file : real;
}

QStringList endpointsOf(const std::vector<DownloadSource>& sources)
{
    QStringList out;
    for (const auto& s : sources)
        out << s.endpoint;
    return out;
}

struct CheckResult {
    bool same = false;
    std::string sha256;
    std::uint64_t size = 0;
    std::int64_t mtimeNs = 0;
};

} // namespace

DownloadManager::DownloadManager(atmo::StationHome home, PeerDirectory* directory, QObject* parent)
    : QObject(parent), home_(std::move(home)), directory_(directory)
{
    qRegisterMetaType<atmo::DownloadProgress>();
    flush_.setSingleShot(true);
    flush_.setInterval(200);
    connect(&flush_, &QTimer::timeout, this, &DownloadManager::flush);
    checkTick_.setInterval(200);
    connect(&checkTick_, &QTimer::timeout, this, [this] {
        bool any = false;
        for (auto& r : rows_)
            if (r->checking && r->checkedBytes) {
                any = true;
                if (const quint64 done = *r->checkedBytes; done != r->item.phaseDone) {
                    r->item.phaseDone = done;
                    changed(*r);
                }
            }
        if (!any)
            checkTick_.stop();
    });
}

DownloadManager::~DownloadManager()
{
    flush_.stop();
    checkTick_.stop();
    for (auto& r : rows_) {
        r->check.cancel();
        if (MeshDownload* d = r->download) {
            r->download = nullptr;
            d->disconnect(this);
            d->pause(); // the journal records a clean close: the next start resumes
            delete d;
        }
    }
}

// ---- adding --------------------------------------------------------------------

quint64 DownloadManager::addModel(const atmo::MergedEntry& entry, atmo::Priority priority)
{
    const atmo::CatalogEntry& e = entry.entry;
    return addRow(Kind::Model, q(e.modelId), DownloadSpec::forModel(e), directory_ ? directory_->sourcesFor(entry) : std::vector<DownloadSource>{}, false,
                  priority);
}

quint64 DownloadManager::addPackageFile(const QString& title, const DownloadSpec& spec,
                                        std::vector<DownloadSource> sources, bool installAfter,
                                        atmo::Priority priority)
{
    return addRow(Kind::Package, title, spec, std::move(sources), installAfter, priority);
}

quint64 DownloadManager::addRow(Kind kind, const QString& title, DownloadSpec spec,
                                std::vector<DownloadSource> sources, bool installAfter, atmo::Priority priority)
{
    const std::string key = queueKey(kind, spec.key);
    // Queued, running or paused already: that item, raised to this priority
    // unless it runs (the core's rule).
    if (auto qid = queue_.findKey(key)) {
        for (auto& r : rows_)
            if (r->qid == qid) {
                queue_.add(key, spec.sizeBytes, priority);
                r->item.priority = queue_.find(*qid)->priority;
                r->item.installAfter = r->item.installAfter || installAfter;
                changed(*r);
                schedule();
                return r->item.id;
            }
    }

    auto row = std::make_unique<Row>();
    Row& r = *row;
    r.queueKey = key;
    r.spec = std::move(spec);
    r.sources = std::move(sources);
    r.item.id = nextId_++;
    r.item.kind = kind;
    r.item.key = q(r.spec.key);
    r.item.title = title.isEmpty() ? r.item.key : title;
    r.item.sizeBytes = r.spec.sizeBytes;
    r.item.priority = priority;
    r.item.installAfter = installAfter;
    r.item.peers = endpointsOf(r.sources);
    r.item.progress.totalBytes = r.spec.sizeBytes;

    if (const auto have = alreadyThere(r)) {
        // Listed once: a second click on something already here changes nothing.
        for (const auto& other : rows_) {
            std::error_code ec;
            if (other->queueKey == key && other->item.state == atmo::TransferState::Done &&
                fs::equivalent(other->item.path.toStdString(), *have, ec))
                return other->item.id;
        }
        r.item.state = atmo::TransferState::Done;
        r.item.phase = MeshDownload::State::Finished;
        r.item.alreadyHad = true;
        r.item.path = q(have->string());
        r.item.progress.bytesDownloaded = r.spec.sizeBytes;
        r.item.progress.percent = 100;
        rows_.push_back(std::move(row));
        const quint64 id = r.item.id;
        emit itemAdded(count() - 1);
        // After the caller has the id.
        QMetaObject::invokeMethod(this, [this, id] { emit finished(id, true); }, Qt::QueuedConnection);
        return id;
    }

    // Failed or cancelled before: that row again, with what the catalog says now.
    for (auto it = rows_.rbegin(); it != rows_.rend(); ++it) {
        Row& old = **it;
        if (old.queueKey != key || !old.item.canRetry() || !old.qid || !queue_.retry(*old.qid))
            continue;
        (void)queue_.setPriority(*old.qid, priority); // queued: this cannot fail
        old.spec = std::move(r.spec);
        old.sources = std::move(r.sources);
        old.item.title = r.item.title;
        old.item.sizeBytes = r.item.sizeBytes;
        old.item.priority = priority;
        old.item.installAfter = installAfter;
        old.item.peers = r.item.peers;
        old.item.progress = r.item.progress;
        old.item.state = atmo::TransferState::Queued;
        old.item.phase = MeshDownload::State::Idle;
        old.item.error.clear();
        old.item.problem.clear();
        old.item.errorNote = old.item.problemNote = {};
        changed(old);
        schedule();
        return old.item.id;
    }

    r.qid = queue_.add(key, r.spec.sizeBytes, priority);
    rows_.push_back(std::move(row));
    emit itemAdded(count() - 1);
    schedule();
    return r.item.id;
}

fs::path DownloadManager::destFor(const Row& r) const
{
    return r.item.kind == Kind::Model ? home_.modelsDir() : home_.downloadsDir();
}

// Whether the verified file is already here, without reading it: the
// library scan found this model with the same bytes, or the hash cache
// knows the file at the final name (core/mesh/model_presence.h).
std::optional<fs::path> DownloadManager::alreadyThere(const Row& r) const
{
    if (!atmo::isValidModelId(r.spec.fileName) || !atmo::isSha256Hex(r.spec.sha256))
        return std::nullopt; // MeshDownload says what is wrong with it when it starts
    atmo::WantedFile wanted;
    wanted.modelId = r.item.kind == Kind::Model ? r.spec.key : std::string();
    wanted.sha256 = r.spec.sha256;
    wanted.sizeBytes = r.spec.sizeBytes;
    wanted.file = destFor(r) / r.spec.fileName;
    wanted.needsEntryFile = r.spec.entry.has_value(); // the check at start writes it
    return atmo::alreadyHere(library_, wanted, cache_.get());
}

void DownloadManager::setLibrary(const std::vector<atmo::LocalModel>& models)
{
    library_ = atmo::LibraryIndex(models);
}

// ---- scheduling ----------------------------------------------------------------

// Starting an item can end it at once (a bad entry, no peer), which frees its
// slot and asks for another round; rounds run one after the other, never
// nested.
void DownloadManager::schedule()
{
    if (scheduling_) {
        scheduleAgain_ = true;
        return;
    }
    scheduling_ = true;
    do {
        scheduleAgain_ = false;
        for (const std::uint64_t qid : queue_.schedule())
            for (auto& r : rows_)
                if (r->qid == qid) {
                    startItem(*r);
                    break;
                }
    } while (scheduleAgain_);
    scheduling_ = false;
}

void DownloadManager::refreshSources(Row& r)
{
    if (r.item.kind != Kind::Model || !directory_)
        return;
    for (const auto& m : directory_->merged())
        if (m.entry.modelId == r.spec.key) {
            // Peers that now offer other bytes under this id are no source.
            if (m.entry.sha256 != r.spec.sha256 || m.entry.sizeBytes != r.spec.sizeBytes)
                return;
            if (auto fresh = directory_->sourcesFor(m); !fresh.empty())
                r.sources = std::move(fresh);
            return;
        }
}

void DownloadManager::startItem(Row& r)
{
    ++r.generation;
    r.item.state = atmo::TransferState::Active;
    r.item.phase = MeshDownload::State::Preparing;
    r.item.error.clear();
    r.item.problem.clear();
    r.item.errorNote = r.item.problemNote = {};
    r.item.corePhase = atmo::Phase::None;
    r.item.phaseDone = r.item.phaseTotal = 0;
    refreshSources(r);
    r.item.peers = endpointsOf(r.sources);

    const fs::path file = destFor(r) / r.spec.fileName;
    if (atmo::isValidModelId(r.spec.fileName) && atmo::isSha256Hex(r.spec.sha256) &&
        sizedFile(file, r.spec.sizeBytes)) {
        checkExisting(r, file);
        return;
    }
    changed(r);
    launch(r);
}

// A file of the right size is already at the final name (an earlier download
// whose hash the cache lost, or the same model copied in by hand): hash it,
// and download only if it is not what was asked for.
void DownloadManager::checkExisting(Row& r, const fs::path& file)
{
    r.checking = true;
    r.check = atmo::CancelToken();
    r.item.corePhase = atmo::Phase::Checking;
    r.item.phaseTotal = r.spec.sizeBytes;
    changed(r);

    const quint64 id = r.item.id, generation = r.generation;
    const atmo::CancelToken cancel = r.check;
    const std::string expected = r.spec.sha256;
    // The worker only counts; checkTick_ shows the count.
    r.checkedBytes = std::make_shared<std::atomic<quint64>>(0);
    auto counter = r.checkedBytes;
    if (!checkTick_.isActive())
        checkTick_.start();
    Executors::hashing([file, cancel, expected, counter] {
        CheckResult out;
        struct stat before {};
        if (::stat(file.c_str(), &before) != 0)
            return out;
        auto hash = atmo::sha256FileHex(file, cancel, [&](std::uint64_t n) { *counter += n; });
        struct stat after {};
        if (!hash || ::stat(file.c_str(), &after) != 0 || after.st_size != before.st_size ||
            mtimeNs(after) != mtimeNs(before))
            return out; // changed while read: download it to be sure
        out.sha256 = *hash;
        out.size = static_cast<std::uint64_t>(after.st_size);
        out.mtimeNs = mtimeNs(after);
        out.same = *hash == expected;
        return out;
    }).then(this, [this, id, generation, file](const CheckResult& result) {
        if (cache_ && !result.sha256.empty())
            cache_->storeWhole(cacheKey(file), result.size, result.mtimeNs, result.sha256);
        onChecked(id, generation, result.same);
    });
}

void DownloadManager::onChecked(quint64 id, quint64 generation, bool same)
{
    Row* r = rowById(id);
    if (!r || r->generation != generation || !r->checking)
        return; // paused or cancelled meanwhile
    r->checking = false;
    r->checkedBytes.reset();
    r->item.corePhase = atmo::Phase::None;
    if (!same) {
        changed(*r);
        launch(*r);
        return;
    }
    const fs::path file = destFor(*r) / r->spec.fileName;
    if (r->spec.entry) {
        const fs::path json = file.parent_path() / (r->spec.key + ".json");
        if (!fs::exists(json))
            if (auto st = atmo::writeFileAtomic(json, atmo::catalogEntryToJson(*r->spec.entry)); !st)
                return complete(*r, false, r->item.key + ": " + q(st.message()), {},
                                DownloadNote{DownloadNote::Kind::DiskError, r->item.key, {}, q(json.parent_path().string())});
    }
    r->item.alreadyHad = true;
    complete(*r, true, {}, file);
}

void DownloadManager::launch(Row& r)
{
    auto* d = new MeshDownload(r.spec, r.sources, destFor(r), options_, this);
    r.download = d;
    d->setDirectory(directory_);
    d->setRelay(relay_, ownNodeId_);
    d->setRateLimit(caps_.capFor(r.spec.sizeBytes));
    const quint64 id = r.item.id;
    connect(d, &MeshDownload::stateChanged, this, [this, id](MeshDownload::State s) {
        if (Row* row = rowById(id)) {
            row->item.phase = s;
            if (s == MeshDownload::State::Running)
                row->item.corePhase = atmo::Phase::None;
            changed(*row);
        }
    });
    connect(d, &MeshDownload::progressChanged, this, [this, id](const atmo::DownloadProgress& p) {
        Row* row = rowById(id);
        if (!row)
            return;
        row->item.progress = p;
        QStringList supplying;
        for (const auto& peer : p.peers)
            if (peer.rate > 0)
                supplying << q(peer.peer);
        row->item.peers = supplying.isEmpty() ? endpointsOf(row->sources) : supplying;
        changedLater(*row);
    });
    connect(d, &MeshDownload::phaseProgress, this, [this, id](atmo::Phase phase, quint64 done, quint64 total) {
        if (Row* row = rowById(id)) {
            row->item.corePhase = phase;
            row->item.phaseDone = done;
            row->item.phaseTotal = total;
            changedLater(*row);
        }
    });
    connect(d, &MeshDownload::peerProblem, this, [this, id, d](const QString&, const QString& message) {
        if (Row* row = rowById(id)) {
            row->item.problem = message;
            row->item.problemNote = d->lastProblem();
            changed(*row);
        }
    });
    connect(d, &MeshDownload::retrying, this, [this, id, d](const QString& message) {
        if (Row* row = rowById(id)) {
            row->item.problem = message;
            row->item.problemNote = d->lastProblem();
            changed(*row);
        }
    });
    connect(d, &MeshDownload::finished, this, [this, id](bool ok) { onDownloadFinished(id, ok); });
    d->start();
}

void DownloadManager::onDownloadFinished(quint64 id, bool ok)
{
    Row* r = rowById(id);
    if (!r || !r->download)
        return;
    MeshDownload* d = r->download;
    r->download = nullptr;
    d->disconnect(this);
    d->deleteLater(); // we may be inside its own signal
    r->item.progress = d->progress();
    if (ok) {
        if (r->item.kind == Kind::Model)
            recordVerified(d->finalPath(), r->spec.sha256);
        complete(*r, true, {}, d->finalPath());
    } else {
        complete(*r, false, d->error(), {}, d->failure());
    }
}

void DownloadManager::complete(Row& r, bool ok, const QString& error, const fs::path& path, DownloadNote note)
{
    ++r.generation;
    if (r.qid)
        (void)queue_.finish(*r.qid, ok, error.toStdString()); // it is active: this cannot fail
    r.item.state = ok ? atmo::TransferState::Done : atmo::TransferState::Failed;
    r.item.phase = ok ? MeshDownload::State::Finished : MeshDownload::State::Failed;
    r.item.corePhase = atmo::Phase::None;
    r.item.progress.rate = 0;
    r.item.progress.etaSeconds.reset();
    if (ok) {
        r.item.path = q(path.string());
        r.item.problem.clear();
        r.item.problemNote = {};
        r.item.progress.bytesDownloaded = r.item.progress.totalBytes = r.spec.sizeBytes;
        r.item.progress.percent = 100;
    } else {
        r.item.error = error;
        r.item.errorNote = std::move(note);
    }
    const quint64 id = r.item.id;
    const bool model = r.item.kind == Kind::Model;
    changed(r);
    schedule();
    if (ok && model)
        emit libraryChanged();
    emit finished(id, ok);
}

// The download just verified these bytes: the library's rescan takes the hash
// from the cache instead of reading the whole file again.
void DownloadManager::recordVerified(const fs::path& file, const std::string& sha256) const
{
    if (!cache_)
        return;
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode))
        cache_->storeWhole(cacheKey(file), static_cast<std::uint64_t>(st.st_size), mtimeNs(st), sha256);
}

// ---- rows ----------------------------------------------------------------------

int DownloadManager::count() const { return static_cast<int>(rows_.size()); }

const DownloadManager::Item& DownloadManager::item(int row) const { return rows_[static_cast<std::size_t>(row)]->item; }

int DownloadManager::rowOf(quint64 id) const
{
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i]->item.id == id)
            return static_cast<int>(i);
    return -1;
}

const DownloadManager::Item* DownloadManager::find(quint64 id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &rows_[static_cast<std::size_t>(row)]->item;
}

DownloadManager::Row* DownloadManager::rowById(quint64 id)
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : rows_[static_cast<std::size_t>(row)].get();
}

const MeshDownload* DownloadManager::download(quint64 id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : rows_[static_cast<std::size_t>(row)]->download;
}

void DownloadManager::changed(const Row& r)
{
    dirty_.erase(r.item.id);
    const int row = rowOf(r.item.id);
    if (row >= 0)
        emit itemChanged(row);
}

void DownloadManager::changedLater(const Row& r)
{
    dirty_.insert(r.item.id);
    if (!flush_.isActive())
        flush_.start();
}

void DownloadManager::flush()
{
    const auto ids = std::move(dirty_);
    dirty_.clear();
    for (const quint64 id : ids)
        if (const int row = rowOf(id); row >= 0)
            emit itemChanged(row);
}

std::filesystem::path DownloadManager::libraryFile(const atmo::CatalogEntry& entry) const
{
    const DownloadSpec spec = DownloadSpec::forModel(entry);
    if (!spec.problem().isEmpty())
        return {};
    const auto here = atmo::alreadyHere(library_, {spec.key, spec.sha256, spec.sizeBytes, home_.modelsDir() / spec.fileName,
                                                   spec.entry.has_value()},
                                        cache_.get());
    return here ? *here : std::filesystem::path();
}
