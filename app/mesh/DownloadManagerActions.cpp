// The user's actions on a download: pause, resume, cancel, retry, clearing
// finished rows and changing the bandwidth caps, with stopTransfer (ending a
// running check or transfer, and for a discard removing what an earlier run
// left on disk) and refuse (telling why an action does not apply to the
// item's state). Each asks the transfer queue first and refuses when it says no.
#include "app/mesh/DownloadManager.h"
#include "app/mesh/DownloadManagerRow.h"
#include "app/QtStrings.h"

#include <filesystem>

#include "app/mesh/JournalWorker.h"

namespace fs = std::filesystem;

void DownloadManager::stopTransfer(Row& r, bool discard)
{
    ++r.generation;
    if (r.checking) {
        r.check.cancel();
        r.checking = false;
        r.checkedBytes.reset();
    }
    r.item.corePhase = atmo::Phase::None;
    r.item.progress.rate = 0;
    r.item.progress.etaSeconds.reset();
    if (MeshDownload* d = r.download) {
        r.download = nullptr;
        d->disconnect(this);
        if (discard) {
            d->cancel();
        } else {
            d->pause();
            r.item.progress = d->progress();
            r.item.progress.rate = 0;
            r.item.progress.etaSeconds.reset();
        }
        d->deleteLater();
    } else if (discard && atmo::isValidModelId(r.spec.fileName)) {
        // Paused or queued: what an earlier run left on disk.
        // After a pause whose journal may still be closing in the background.
        JournalWorker::removeFiles(destFor(r) / r.spec.fileName);
    }
    if (discard) {
        r.item.progress.bytesDownloaded = 0;
        r.item.progress.percent = 0;
        r.item.progress.chunksReceived = 0;
    }
}

void DownloadManager::pause(quint64 id)
{
    Row* r = rowById(id);
    if (!r || !r->item.canPause() || !r->qid || !queue_.pause(*r->qid))
        return refuse(id, tr("cannot be paused while %1"));
    stopTransfer(*r, false);
    r->item.state = atmo::TransferState::Paused;
    r->item.phase = MeshDownload::State::Paused;
    changed(*r);
    schedule(); // the slot is free for the next one
}

void DownloadManager::resume(quint64 id)
{
    Row* r = rowById(id);
    if (!r || !r->item.canResume() || !r->qid || !queue_.resume(*r->qid))
        return refuse(id, tr("cannot be resumed while %1"));
    r->item.state = atmo::TransferState::Queued;
    r->item.phase = MeshDownload::State::Idle;
    changed(*r);
    schedule();
}

void DownloadManager::cancel(quint64 id)
{
    Row* r = rowById(id);
    if (!r || !r->item.canCancel() || !r->qid || !queue_.cancel(*r->qid))
        return refuse(id, tr("cannot be cancelled while %1"));
    stopTransfer(*r, true);
    r->item.state = atmo::TransferState::Cancelled;
    r->item.phase = MeshDownload::State::Cancelled;
    changed(*r);
    schedule();
    emit finished(id, false);
}

void DownloadManager::retry(quint64 id)
{
    Row* r = rowById(id);
    if (!r || !r->item.canRetry() || !r->qid)
        return refuse(id, tr("cannot be retried while %1"));
    if (queue_.findKey(r->queueKey))
        return refuse(id, tr("another download of it is under way"));
    if (!queue_.retry(*r->qid))
        return refuse(id, tr("cannot be retried while %1"));
    r->item.state = atmo::TransferState::Queued;
    r->item.phase = MeshDownload::State::Idle;
    r->item.error.clear();
    r->item.problem.clear();
    r->item.errorNote = r->item.problemNote = {};
    changed(*r);
    schedule(); // the sources are asked of the directory again when it starts
}

void DownloadManager::clearFinished()
{
    for (int row = 0; row < count();) {
        if (!atmo::isFinished(rows_[static_cast<std::size_t>(row)]->item.state)) {
            ++row;
            continue;
        }
        dirty_.erase(rows_[static_cast<std::size_t>(row)]->item.id);
        emit itemAboutToBeRemoved(row);
        rows_.erase(rows_.begin() + row);
        emit itemRemoved(row);
    }
    queue_.clearFinished();
}

void DownloadManager::setCaps(const atmo::BandwidthCaps& caps)
{
    caps_ = caps;
    for (auto& r : rows_)
        if (r->download)
            r->download->setRateLimit(caps_.capFor(r->spec.sizeBytes));
}

// `what` may hold %1 for the item's state.
void DownloadManager::refuse(quint64 id, const QString& what)
{
    const Row* r = rowById(id);
    if (!r)
        return emit refused(id, tr("download %1: no such download").arg(id));
    const QString state = q(std::string(atmo::transferStateName(r->item.state)));
    emit refused(id, r->item.title + QStringLiteral(": ") + (what.contains(QLatin1String("%1")) ? what.arg(state) : what));
}
