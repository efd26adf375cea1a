// DownloadManager's row: an item's state as the manager keeps it. Private to
// the manager's sources (DownloadManager.cpp, DownloadManagerActions.cpp);
// include only from those.
#pragma once

#include <atomic>

#include "app/mesh/DownloadManager.h"

struct DownloadManager::Row {
    Item item;
    std::string queueKey;
    std::optional<std::uint64_t> qid;     // none for an item that was already there when added
    DownloadSpec spec;
    std::vector<DownloadSource> sources;  // the peers it asks (for models: refreshed at each start)
    MeshDownload* download = nullptr;     // child of the manager, while a transfer runs
    atmo::CancelToken check;              // hashing a file already at the final name
    std::shared_ptr<std::atomic<quint64>> checkedBytes; // how far that got
    bool checking = false;
    quint64 generation = 0;               // bumps on every start and stop: late results are ignored
};
