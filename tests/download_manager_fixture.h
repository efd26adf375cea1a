// What the download manager tests share: a station (a manager, its list
// model under QAbstractItemModelTester and the states each item went
// through) and small checks on hashes, merged entries and journals.
#pragma once

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <sys/stat.h>
#include <fstream>
#include "app/Settings.h"
#include "app/ModelRoles.h"
#include "app/mesh/DownloadListModel.h"
#include "app/mesh/DownloadManager.h"
#include "app/mesh/MeshPresence.h"
#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerServer.h"
#include "core/transfer/download_journal.h"
#include "core/base/fs_util.h"
#include "core/mesh/model_library.h"
#include "core/base/sha256.h"
#include "mesh_processes.h"
#include "testutil.h"

using namespace testutil;
using atmo::Priority;
using atmo::TransferState;

namespace dmfix {


std::string hashOf(const fs::path& file)
{
    auto h = atmo::sha256FileHex(file, {});
    return h ? *h : std::string();
}

std::optional<atmo::MergedEntry> mergedFor(const PeerDirectory& directory, const std::string& id)
{
    for (auto& m : directory.merged())
        if (m.entry.modelId == id)
            return m;
    return std::nullopt;
}

bool journalHasChunk(const fs::path& finalPath)
{
    auto text = atmo::readFile(atmo::DownloadJournal::journalPath(finalPath));
    return text && text->find("\nD ") != std::string::npos;
}

// A manager, its list model under QAbstractItemModelTester, and a record of
// every state each item was reported in, in order.
struct Station {
    explicit Station(const fs::path& home, PeerDirectory* directory)
        : manager(std::make_unique<DownloadManager>(atmo::StationHome(home), directory)),
          model(manager.get()),
          tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest),
          resets(&model, &QAbstractItemModel::modelReset),
          inserted(&model, &QAbstractItemModel::rowsInserted),
          removed(&model, &QAbstractItemModel::rowsRemoved),
          changed(&model, &QAbstractItemModel::dataChanged),
          finished(manager.get(), &DownloadManager::finished)
    {
        MeshDownloadOptions options;
        options.stallTimeoutMs = 5000;
        manager->setDownloadOptions(options);
        QObject::connect(manager.get(), &DownloadManager::itemChanged, [this](int row) { record(row); });
        QObject::connect(manager.get(), &DownloadManager::itemAdded, [this](int row) { record(row); });
    }

    void record(int row)
    {
        const auto& it = manager->item(row);
        auto& seq = states[it.id];
        if (seq.empty() || seq.back() != it.state)
            seq.push_back(it.state);
        events.push_back({it.id, it.state});
        // The core's rule, seen from outside: never two running at one level.
        int active[atmo::kPriorityLevels] = {};
        for (int r = 0; r < manager->count(); ++r)
            if (manager->item(r).state == TransferState::Active)
                if (++active[static_cast<int>(manager->item(r).priority)] > 1)
                    twoAtOneLevel = true;
    }
    TransferState state(quint64 id) const { return manager->find(id)->state; }
    const DownloadManager::Item& item(quint64 id) const { return *manager->find(id); }
    QVariant role(quint64 id, int role, int column = 0) const
    {
        return model.data(model.index(manager->rowOf(id), column), role);
    }
    bool waitState(quint64 id, TransferState s, int ms = 60000)
    {
        return waitFor([&] { return manager->find(id) && state(id) == s; }, ms);
    }
    // Position of the first report of `id` in state `s`, -1 if never.
    int firstEvent(quint64 id, TransferState s) const
    {
        for (std::size_t i = 0; i < events.size(); ++i)
            if (events[i].first == id && events[i].second == s)
                return static_cast<int>(i);
        return -1;
    }

    std::unique_ptr<DownloadManager> manager;
    DownloadListModel model;
    QAbstractItemModelTester tester;
    QSignalSpy resets, inserted, removed, changed, finished;
    std::map<quint64, std::vector<TransferState>> states;
    std::vector<std::pair<quint64, TransferState>> events;
    bool twoAtOneLevel = false;
};

} // namespace dmfix
