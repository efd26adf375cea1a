// DownloadManager and DownloadListModel against real HTTP on loopback: model
// bridges that are not this project's code (tests/mesh/bridge_peer.py,
// healthy, slow or sending wrong bytes) found through a real PeerDirectory,
// and this project's peer server (MeshPresence) serving what was downloaded.
// Every manager here has a QAbstractItemModelTester watching its list model.
#include "download_manager_fixture.h"
#include "test_main.h"

using namespace dmfix;

class TestDownloadManager : public QObject {
    Q_OBJECT

    std::unique_ptr<Sandbox> box;
    fs::path src, home, models;
    std::map<std::string, std::string> sha; // model id -> sha256

    void makeModel(const std::string& id, std::uint64_t size, std::uint32_t seed)
    {
        fs::create_directories(src);
        writeRandomFile(src / (id + ".gguf"), size, seed);
        sha[id] = hashOf(src / (id + ".gguf"));
    }
    bool ask(PeerDirectory& directory, const QStringList& peers)
    {
        for (const QString& p : peers)
            if (!directory.addPeer(p, atmo::PeerOrigin::Manual))
                return false;
        return waitFor([&] { return !directory.busy(); }, 20000);
    }
    fs::path landed(const std::string& id) const { return models / (id + ".gguf"); }
    void verifyLanded(const std::string& id)
    {
        QCOMPARE(hashOf(landed(id)), sha[id]);
        QVERIFY(fs::exists(models / (id + ".json")));
        QVERIFY(!fs::exists(atmo::DownloadJournal::partPath(landed(id))));
        QVERIFY(!fs::exists(atmo::DownloadJournal::journalPath(landed(id))));
    }

private slots:
    void init()
    {
        box = std::make_unique<Sandbox>();
        src = box->path() / "src";
        home = box->path() / "home";
        models = home / "models";
        sha.clear();
    }

    void highItemsRunOneAfterTheOther()
    {
        makeModel("alpha", 3 * 1024 * 1024, 1);
        makeModel("bravo", 3 * 1024 * 1024 + 17, 2);
        BridgeProcess bridge(src, "slow=4000000");
        QVERIFY(bridge.ok());
        PeerDirectory directory;
        QVERIFY(ask(directory, {bridge.url()}));
        Station st(home, &directory);
        auto cache = std::make_shared<atmo::HashCache>(fs::path());
        st.manager->setHashCache(cache);

        const quint64 a = st.manager->addModel(*mergedFor(directory, "alpha"));
        const quint64 b = st.manager->addModel(*mergedFor(directory, "bravo"));
        QCOMPARE(st.state(a), TransferState::Active);
        QCOMPARE(st.state(b), TransferState::Queued); // the High slot is taken
        QVERIFY(st.manager->download(a));
        QVERIFY(!st.manager->download(b));
        QCOMPARE(st.role(b, DownloadListModel::StateRole).value<atmo::TransferState>(), atmo::TransferState::Queued);
        QCOMPARE(st.role(b, DownloadListModel::PeersRole).toStringList(), QStringList{bridge.url()});
        // Adding the same model again is the same item.
        QCOMPARE(st.manager->addModel(*mergedFor(directory, "alpha")), a);
        QCOMPARE(st.manager->count(), 2);

        QVERIFY(st.waitState(a, TransferState::Done));
        QVERIFY(st.waitState(b, TransferState::Done));
        QVERIFY(!st.twoAtOneLevel);
        // bravo started only once alpha was done.
        QVERIFY(st.firstEvent(a, TransferState::Done) >= 0);
        QVERIFY(st.firstEvent(a, TransferState::Done) < st.firstEvent(b, TransferState::Active));
        verifyLanded("alpha");
        verifyLanded("bravo");
        QCOMPARE(st.item(a).path, QString::fromStdString(landed("alpha").string()));
        // The hash the download verified is in the library's cache: the
        // rescan that follows does not read the file again.
        struct stat s {};
        QCOMPARE(::stat(landed("alpha").c_str(), &s), 0);
        QCOMPARE(cache->wholeHash(fs::canonical(landed("alpha")), s.st_size,
                                  std::int64_t(s.st_mtim.tv_sec) * 1'000'000'000 + s.st_mtim.tv_nsec),
                 std::optional<std::string>(sha["alpha"]));
        QCOMPARE(st.role(a, ModelRole::Path).toString(), st.item(a).path);
        QCOMPARE(st.role(a, DownloadListModel::PercentRole).toDouble(), 100.0);
        QCOMPARE(st.role(a, DownloadListModel::BytesDoneRole).toULongLong(), 3ull * 1024 * 1024);
        QCOMPARE(st.role(a, ModelRole::Status).value<ItemStatus>(), ItemStatus::Ok);
        QVERIFY(!st.role(a, DownloadListModel::CanPauseRole).toBool());
        QVERIFY(!st.role(a, DownloadListModel::CanRetryRole).toBool());
        QCOMPARE(st.resets.count(), 0);
        QCOMPARE(st.inserted.count(), 2);
        QVERIFY(st.changed.count() > 0);
        QVERIFY(st.finished.count() >= 2);
    }

    void normalAndLowRunBesideHigh_clearKeepsUnfinished()
    {
        makeModel("user-pick", 2 * 1024 * 1024, 3);
        makeModel("sync-1", 2 * 1024 * 1024, 4);
        makeModel("sync-2", 1024 * 1024, 5);
        makeModel("prefetch", 1024 * 1024, 6);
        makeModel("later", 1024 * 1024, 7);
        BridgeProcess bridge(src, "slow=3000000");
        QVERIFY(bridge.ok());
        PeerDirectory directory;
        QVERIFY(ask(directory, {bridge.url()}));
        Station st(home, &directory);

        const quint64 n1 = st.manager->addModel(*mergedFor(directory, "sync-1"), Priority::Normal);
        const quint64 n2 = st.manager->addModel(*mergedFor(directory, "sync-2"), Priority::Normal);
        const quint64 h = st.manager->addModel(*mergedFor(directory, "user-pick"), Priority::High);
        const quint64 l = st.manager->addModel(*mergedFor(directory, "prefetch"), Priority::Low);
        const quint64 later = st.manager->addModel(*mergedFor(directory, "later"), Priority::Low);
        // A user's click starts at once while a background sync runs.
        QCOMPARE(st.state(h), TransferState::Active);
        QCOMPARE(st.state(n1), TransferState::Active);
        QCOMPARE(st.state(l), TransferState::Active);
        QCOMPARE(st.state(n2), TransferState::Queued);
        QCOMPARE(st.state(later), TransferState::Queued);
        QCOMPARE(st.role(h, DownloadListModel::PriorityRole).toString(), QString("high"));
        st.manager->pause(later); // a queued item can be paused too; it stays listed
        QCOMPARE(st.state(later), TransferState::Paused);
        QVERIFY(st.role(later, DownloadListModel::CanResumeRole).toBool());

        for (quint64 id : {h, n1, n2, l})
            QVERIFY(st.waitState(id, TransferState::Done));
        QVERIFY(!st.twoAtOneLevel);
        QCOMPARE(st.state(later), TransferState::Paused);
        for (const char* id : {"user-pick", "sync-1", "sync-2", "prefetch"})
            verifyLanded(id);

        st.manager->clearFinished();
        QCOMPARE(st.manager->count(), 1);
        QCOMPARE(st.removed.count(), 4); // one row at a time
        for (const auto& args : st.removed)
            QCOMPARE(args.at(1).toInt(), args.at(2).toInt());
        QCOMPARE(st.manager->item(0).id, later);
        QCOMPARE(st.resets.count(), 0);
    }

    void pauseFreesSlotResumeCompletes()
    {
        makeModel("big", 12 * 1024 * 1024, 8);
        makeModel("small", 1024 * 1024, 9);
        BridgeProcess bridge(src, "slow=4000000");
        QVERIFY(bridge.ok());
        PeerDirectory directory;
        QVERIFY(ask(directory, {bridge.url()}));
        Station st(home, &directory);

        const quint64 big = st.manager->addModel(*mergedFor(directory, "big"));
        const quint64 small = st.manager->addModel(*mergedFor(directory, "small"));
        QCOMPARE(st.state(small), TransferState::Queued);
        QVERIFY(waitFor([&] { return journalHasChunk(landed("big")); }, 60000));
        QVERIFY(st.role(big, DownloadListModel::CanPauseRole).toBool());

        st.manager->pause(big);
        QCOMPARE(st.state(big), TransferState::Paused);
        QCOMPARE(st.state(small), TransferState::Active); // the slot went to the next one
        QVERIFY(!st.manager->download(big));
        QVERIFY(fs::exists(atmo::DownloadJournal::partPath(landed("big"))));
        QVERIFY(fs::exists(atmo::DownloadJournal::journalPath(landed("big"))));
        QVERIFY(!fs::exists(landed("big")));
        QVERIFY(st.item(big).progress.bytesDownloaded >= 4ull * 1024 * 1024);
        QCOMPARE(st.role(big, DownloadListModel::RateRole).toDouble(), 0.0);
        QVERIFY(!st.role(big, DownloadListModel::TimeLeftRole).isValid());
        QCOMPARE(st.role(big, DownloadListModel::StateTextRole).toString(), QString("Paused"));

        st.manager->resume(big);
        QVERIFY(st.state(big) == TransferState::Queued || st.state(big) == TransferState::Active);
        QVERIFY(st.waitState(small, TransferState::Done));
        QVERIFY(st.waitState(big, TransferState::Done));
        QVERIFY(!st.twoAtOneLevel);
        verifyLanded("big");
        verifyLanded("small");
        // big was reported queued again after its pause, and ran after small.
        const auto& seq = st.states[big];
        QVERIFY(std::find(seq.begin(), seq.end(), TransferState::Paused) != seq.end());
        QVERIFY(st.firstEvent(small, TransferState::Done) < st.firstEvent(big, TransferState::Done));
    }

    void cancelRemovesPartialData()
    {
        makeModel("doomed", 12 * 1024 * 1024, 10);
        makeModel("parked", 12 * 1024 * 1024, 11);
        BridgeProcess bridge(src, "slow=4000000");
        QVERIFY(bridge.ok());
        PeerDirectory directory;
        QVERIFY(ask(directory, {bridge.url()}));
        Station st(home, &directory);

        // Running, then cancelled.
        const quint64 doomed = st.manager->addModel(*mergedFor(directory, "doomed"));
        QVERIFY(waitFor([&] { return journalHasChunk(landed("doomed")); }, 60000));
        st.finished.clear();
        st.manager->cancel(doomed);
        QCOMPARE(st.state(doomed), TransferState::Cancelled);
        // Removed in the background, once the commits still running are done.
        QVERIFY(waitFor([&] {
            return !fs::exists(atmo::DownloadJournal::partPath(landed("doomed"))) &&
                   !fs::exists(atmo::DownloadJournal::journalPath(landed("doomed")));
        }, 30000));
        QVERIFY(!fs::exists(landed("doomed")));
        QCOMPARE(st.item(doomed).progress.bytesDownloaded, std::uint64_t(0));
        QCOMPARE(st.finished.count(), 1);
        QCOMPARE(st.finished.first().at(1).toBool(), false);
        QVERIFY(st.role(doomed, DownloadListModel::CanRetryRole).toBool());
        QVERIFY(!st.role(doomed, DownloadListModel::CanCancelRole).toBool());

        // Paused with data on disk, then cancelled.
        const quint64 parked = st.manager->addModel(*mergedFor(directory, "parked"));
        QVERIFY(waitFor([&] { return journalHasChunk(landed("parked")); }, 60000));
        st.manager->pause(parked);
        QVERIFY(fs::exists(atmo::DownloadJournal::partPath(landed("parked"))));
        st.manager->cancel(parked);
        QCOMPARE(st.state(parked), TransferState::Cancelled);
        // Removed once the pause's journal closed in the background.
        QVERIFY(waitFor([&] {
            return !fs::exists(atmo::DownloadJournal::partPath(landed("parked"))) &&
                   !fs::exists(atmo::DownloadJournal::journalPath(landed("parked")));
        }, 30000));

        // Asking for a cancelled model again starts that item again from scratch.
        QCOMPARE(st.manager->addModel(*mergedFor(directory, "doomed")), doomed);
        QCOMPARE(st.state(doomed), TransferState::Active);
        QCOMPARE(st.manager->count(), 2);
        QVERIFY(st.waitState(doomed, TransferState::Done));
        verifyLanded("doomed");
    }

    void capsReachEachTransferAndChangeAtOnce()
    {
        makeModel("tiny", 1024 * 1024, 12);              // small: < 10 MB
        makeModel("medium", 10'500'000, 13);             // medium: 10-500 MB
        BridgeProcess bridge(src);
        QVERIFY(bridge.ok());
        PeerDirectory directory;
        QVERIFY(ask(directory, {bridge.url()}));
        Station st(home, &directory);
        QCOMPARE(st.manager->caps(), atmo::BandwidthCaps::lanDefaults());

        const atmo::BandwidthCaps caps{300'000, 200'000, 100'000};
        st.manager->setCaps(caps);
        const quint64 tiny = st.manager->addModel(*mergedFor(directory, "tiny"), Priority::High);
        const quint64 medium = st.manager->addModel(*mergedFor(directory, "medium"), Priority::Normal);
        QVERIFY(st.manager->download(tiny) && st.manager->download(medium));
        QCOMPARE(st.manager->download(tiny)->rateLimit(), std::uint64_t(300'000));
        QCOMPARE(st.manager->download(medium)->rateLimit(), std::uint64_t(200'000));

        // Running transfers take new caps at once.
        st.manager->setCaps({50'000, 0, 0});
        QCOMPARE(st.manager->download(tiny)->rateLimit(), std::uint64_t(50'000));
        QCOMPARE(st.manager->download(medium)->rateLimit(), std::uint64_t(0));
        st.manager->setCaps(atmo::BandwidthCaps::lanDefaults());
        QCOMPARE(st.manager->download(tiny)->rateLimit(), std::uint64_t(0));

        QVERIFY(st.waitState(tiny, TransferState::Done));
        QVERIFY(st.waitState(medium, TransferState::Done));
        verifyLanded("tiny");
        verifyLanded("medium");
    }

    void failedErrorReachesRowAndRetryAsksDirectory()
    {
        makeModel("defects", 3 * 1024 * 1024, 14);
        BridgeProcess bad(src, "wrong-bytes");
        BridgeProcess good(src);
        QVERIFY(bad.ok() && good.ok());
        PeerDirectory directory;
        QVERIFY(ask(directory, {bad.url()}));
        Station st(home, &directory);

        const quint64 id = st.manager->addModel(*mergedFor(directory, "defects"));
        QVERIFY(st.waitState(id, TransferState::Failed));
        const QString error = st.item(id).error;
        // MeshDownload's own words, naming the peer that sent the bad bytes.
        QVERIFY2(error.startsWith("defects: ") && error.contains(bad.url()) && error.contains("SHA-256"),
                 qPrintable(error));
        QVERIFY(!error.contains('\n'));
        // The window's line is a sentence chosen by the failure's kind (and
        // translated); the English line stays its detail.
        QCOMPARE(st.item(id).errorNote.kind, DownloadNote::Kind::PeersSentBadData);
        QCOMPARE(st.role(id, DownloadListModel::ErrorRole).toString(),
                 QString("Data for defects from %1 did not match its checksum; nothing of it was kept.").arg(bad.url()));
        QCOMPARE(st.role(id, DownloadListModel::ErrorDetailRole).toString(), error);
        QVERIFY(st.role(id, Qt::ToolTipRole).toString().contains(error));
        QCOMPARE(st.role(id, DownloadListModel::StateRole).value<atmo::TransferState>(), atmo::TransferState::Failed);
        QCOMPARE(st.role(id, ModelRole::Status).value<ItemStatus>(), ItemStatus::Failed);
        QVERIFY(st.role(id, DownloadListModel::CanRetryRole).toBool());
        QVERIFY(!st.role(id, DownloadListModel::CanResumeRole).toBool());
        QVERIFY(!fs::exists(landed("defects")));

        // The mesh changed: the bad peer is gone, a good one has the model.
        directory.removePeer(bad.url());
        QVERIFY(ask(directory, {good.url()}));
        st.manager->retry(id);
        QCOMPARE(st.state(id), TransferState::Active);
        QCOMPARE(st.item(id).peers, QStringList{good.url()});
        QVERIFY(st.item(id).error.isEmpty());
        QVERIFY(st.waitState(id, TransferState::Done));
        verifyLanded("defects");
        QVERIFY(st.role(id, DownloadListModel::ErrorRole).toString().isEmpty());
        QVERIFY(st.item(id).errorNote.isEmpty());
    }

    void badEntryFailsWithReason()
    {
        PeerDirectory directory;
        Station st(home, &directory);
        atmo::MergedEntry m;
        m.entry.modelId = "../../etc/passwd";
        m.entry.format = "gguf";
        m.entry.sizeBytes = 10;
        m.entry.sha256 = std::string(64, 'a');
        const quint64 id = st.manager->addModel(m);
        QCOMPARE(st.state(id), TransferState::Failed);
        QCOMPARE(st.item(id).error, QString("\"../../etc/passwd\" is not a valid model id"));

        m.entry.modelId = "no-peers";
        const quint64 lonely = st.manager->addModel(m);
        QCOMPARE(st.state(lonely), TransferState::Failed);
        QCOMPARE(st.item(lonely).error, QString("no-peers: no peer has this model"));
        QVERIFY(!fs::exists(home / "etc"));

        QSignalSpy refused(st.manager.get(), &DownloadManager::refused);
        st.manager->pause(lonely);
        QCOMPARE(refused.count(), 1);
        QCOMPARE(refused.first().at(1).toString(), QString("no-peers: cannot be paused while failed"));
        QCOMPARE(st.state(lonely), TransferState::Failed);
        st.manager->resume(987654);
        QCOMPARE(refused.count(), 2);
        QCOMPARE(refused.last().at(1).toString(), QString("download 987654: no such download"));
    }

    void alreadyHereIsNotDownloadedAgain()
    {
        makeModel("known", 2 * 1024 * 1024, 15);
        makeModel("stale", 2 * 1024 * 1024, 16);
        std::optional<atmo::MergedEntry> known, stale;
        PeerDirectory directory;
        {
            BridgeProcess bridge(src);
            QVERIFY(bridge.ok());
            QVERIFY(ask(directory, {bridge.url()}));
            known = mergedFor(directory, "known");
            stale = mergedFor(directory, "stale");
        } // the bridge is gone: whatever is Done below was not downloaded
        QVERIFY(known && stale);
        fs::create_directories(models);
        fs::copy_file(src / "known.gguf", landed("known"));
        QVERIFY(atmo::writeFileAtomic(models / "known.json", atmo::catalogEntryToJson(known->entry)));

        // The hash cache knows the file: Done at once, without reading it.
        {
            Station st(home, &directory);
            auto cache = std::make_shared<atmo::HashCache>(fs::path());
            struct stat s {};
            QCOMPARE(::stat(landed("known").c_str(), &s), 0);
            cache->storeWhole(fs::canonical(landed("known")), s.st_size,
                              std::int64_t(s.st_mtim.tv_sec) * 1'000'000'000 + s.st_mtim.tv_nsec, sha["known"]);
            st.manager->setHashCache(cache);
            const quint64 id = st.manager->addModel(*known);
            QCOMPARE(st.state(id), TransferState::Done);
            QVERIFY(st.item(id).alreadyHad);
            QVERIFY(!st.manager->download(id));
            QCOMPARE(st.role(id, DownloadListModel::StateTextRole).toString(), QString("Already in the library"));
            QVERIFY(st.finished.wait(5000)); // reported after the caller has the id
            QCOMPARE(st.finished.first().at(0).toULongLong(), id);
            QCOMPARE(st.finished.first().at(1).toBool(), true);
            QCOMPARE(st.manager->addModel(*known), id); // listed once
            QCOMPARE(st.manager->count(), 1);
        }
        // The library scan found it (any root): Done at once too.
        {
            Station st(home, &directory);
            atmo::LocalModel local{known->entry, landed("known")};
            st.manager->setLibrary({local});
            const quint64 id = st.manager->addModel(*known);
            QCOMPARE(st.state(id), TransferState::Done);
            QCOMPARE(st.item(id).path, QString::fromStdString(landed("known").string()));
        }
        // Nobody knows the file: it is hashed when its turn comes, found
        // good, and kept; the .json a library needs is written beside it.
        fs::remove(models / "known.json");
        {
            Station st(home, &directory);
            auto cache = std::make_shared<atmo::HashCache>(fs::path());
            st.manager->setHashCache(cache);
            QSignalSpy library(st.manager.get(), &DownloadManager::libraryChanged);
            const quint64 id = st.manager->addModel(*known);
            // Active while the file is hashed; on a slow run (seen under
            // TSan) the check may already be over when addModel returns.
            QVERIFY(st.state(id) == TransferState::Active || st.state(id) == TransferState::Done);
            QVERIFY(st.waitState(id, TransferState::Done, 30000));
            QVERIFY(st.item(id).alreadyHad);
            QVERIFY(fs::exists(models / "known.json"));
            QCOMPARE(library.count(), 1);
            struct stat s {};
            QCOMPARE(::stat(landed("known").c_str(), &s), 0);
            QCOMPARE(cache->wholeHash(fs::canonical(landed("known")), s.st_size,
                                      std::int64_t(s.st_mtim.tv_sec) * 1'000'000'000 + s.st_mtim.tv_nsec),
                     std::optional<std::string>(sha["known"]));
        }
        // Other bytes of the right size under the final name: a download
        // is needed (and fails here, since its only peer is gone).
        writeRandomFile(landed("stale"), 2 * 1024 * 1024, 99);
        {
            Station st(home, &directory);
            const quint64 id = st.manager->addModel(*stale);
            QVERIFY(st.waitState(id, TransferState::Failed, 30000));
            QVERIFY2(st.item(id).error.startsWith("stale: "), qPrintable(st.item(id).error));
            QVERIFY(!st.item(id).alreadyHad);
        }
    }

    // "Is this model already here?" has one answer (core/mesh/model_presence.h)
    // for the CLI and the window. A home reached through a symlink: what
    // `model pull` hashed and cached, the window's "In library" (libraryFile)
    // and the download manager see as here without hashing (the CLI once
    // cached it under the link's path, the window looked up the real one,
    // and "In library" asked only the scan). A scanned model whose file has
    // changed since is here for neither (the window once took it by its id
    // and SHA-256 alone).
    void cliAndWindowAgreeOnWhatIsHere()
    {
        makeModel("agree", 2 * 1024 * 1024, 21);
        BridgeProcess bridge(src);
        QVERIFY(bridge.ok());
        PeerDirectory directory;
        QVERIFY(ask(directory, {bridge.url()}));
        const auto agree = mergedFor(directory, "agree");
        QVERIFY(agree);
        const fs::path realHome = box->path() / "real-home", linkHome = box->path() / "link-home";
        fs::create_directories(realHome / "models");
        fs::create_directory_symlink(realHome, linkHome);
        const fs::path file = linkHome / "models" / "agree.gguf";
        fs::copy_file(src / "agree.gguf", file); // copied in by hand: nobody has hashed it

        auto r = runCli({"model", "pull", "agree", "--from", bridge.url(), "--json"}, linkHome);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(QJsonDocument::fromJson(r.out.toUtf8()).object()["already_present"].toBool(), qPrintable(r.out));
        {
            Station st(linkHome, &directory);
            st.manager->setHashCache(std::make_shared<atmo::HashCache>(linkHome / "cache" / "model-hashes.json"));
            const fs::path here = st.manager->libraryFile(agree->entry);
            QVERIFY2(!here.empty() && fs::equivalent(here, file), here.c_str());
            const quint64 id = st.manager->addModel(*agree);
            QCOMPARE(st.state(id), TransferState::Done); // at once: not hashed again
            QVERIFY(st.item(id).alreadyHad);
        }

        // The scan found it, then the file changed: here for neither.
        {
            std::ofstream(file, std::ios::app) << "more";
            Station st(linkHome, &directory);
            st.manager->setHashCache(std::make_shared<atmo::HashCache>(linkHome / "cache" / "model-hashes.json"));
            st.manager->setLibrary({atmo::LocalModel{agree->entry, fs::canonical(file)}});
            QVERIFY(st.manager->libraryFile(agree->entry).empty());
        }
        r = runCli({"model", "pull", "agree", "--from", bridge.url(), "--json"}, linkHome);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(!QJsonDocument::fromJson(r.out.toUtf8()).object()["already_present"].toBool(), qPrintable(r.out));
        QCOMPARE(hashOf(file), sha["agree"]); // fetched again, whole
    }

    void destructorPausesAndJournalStays()
    {
        makeModel("resumable", 12 * 1024 * 1024, 17);
        BridgeProcess bridge(src, "slow=4000000");
        QVERIFY(bridge.ok());
        PeerDirectory directory;
        QVERIFY(ask(directory, {bridge.url()}));
        {
            Station st(home, &directory);
            st.manager->addModel(*mergedFor(directory, "resumable"));
            QVERIFY(waitFor([&] { return journalHasChunk(landed("resumable")); }, 60000));
            st.manager.reset();
            QVERIFY(st.model.rowCount() == 1); // the model outlives its manager quietly
            QVERIFY(!st.model.data(st.model.index(0, 0)).isValid());
        }
        QVERIFY(fs::exists(atmo::DownloadJournal::partPath(landed("resumable"))));
        QVERIFY(fs::exists(atmo::DownloadJournal::journalPath(landed("resumable"))));
        QVERIFY(!fs::exists(landed("resumable")));

        Station again(home, &directory);
        const quint64 id = again.manager->addModel(*mergedFor(directory, "resumable"));
        QVERIFY(again.manager->download(id));
        QVERIFY(again.waitState(id, TransferState::Done));
        verifyLanded("resumable");
    }

    void landedModelIsServedByTheStation()
    {
        makeModel("served", 3 * 1024 * 1024, 18);
        BridgeProcess bridge(src);
        QVERIFY(bridge.ok());
        MeshPresence presence{atmo::StationHome(home)};
        DownloadManager downloads(atmo::StationHome(home), &presence.directory());
        presence.attachDownloads(&downloads);
        QSignalSpy scanned(&presence, &MeshPresence::libraryScanned);
        MeshPresence::Options options;
        options.bind = "127.0.0.1";
        options.port = 0;
        options.mdns = false;
        options.peers = {bridge.url()};
        options.roots = {{atmo::LibraryRootKind::Downloads, models}};
        presence.start(options);
        QVERIFY(scanned.wait(20000));
        QCOMPARE(scanned.last().at(0).toInt(), 0);
        QVERIFY(waitFor([&] { return !presence.directory().busy() && mergedFor(presence.directory(), "served"); },
                        20000));

        const quint64 id = downloads.addModel(*mergedFor(presence.directory(), "served"));
        QVERIFY(waitFor([&] { return downloads.find(id)->state == TransferState::Done; }, 60000));
        verifyLanded("served");
        // The rescan it asked for puts the model on the server.
        QVERIFY(waitFor([&] { return !scanned.isEmpty() && scanned.last().at(0).toInt() == 1; }, 20000));
        QCOMPARE(presence.server().modelCount(), std::size_t(1));

        // Another station sees it in this one's catalog, with its hash.
        PeerDirectory other;
        QVERIFY(ask(other, {QStringLiteral("http://127.0.0.1:%1").arg(presence.server().port())}));
        const auto offered = mergedFor(other, "served");
        QVERIFY(offered);
        QCOMPARE(offered->entry.sha256, sha["served"]);

        // And the library now knows it: adding it again downloads nothing.
        const quint64 again = downloads.addModel(*mergedFor(presence.directory(), "served"));
        QCOMPARE(downloads.find(again)->state, TransferState::Done);
        QVERIFY(!downloads.download(again));
        presence.attachDownloads(nullptr);
    }

    void capsInSettings()
    {
        const QString ini = QString::fromStdString((box->path() / "caps.ini").string());
        {
            Settings settings(ini);
            QCOMPARE(settings.downloadCaps(), atmo::BandwidthCaps::lanDefaults());
            settings.setDownloadCaps(atmo::BandwidthCaps::relayPreset());
            settings.sync();
        }
        {
            Settings settings(ini);
            QCOMPARE(settings.downloadCaps(), atmo::BandwidthCaps::relayPreset());
            QSettings raw(ini, QSettings::IniFormat);
            QCOMPARE(raw.value("mesh/capMedium").toULongLong(), 625'000ull);
            raw.setValue("mesh/capSmall", "fast");
            raw.setValue("mesh/capMedium", "-5");
            raw.setValue("mesh/capLarge", " 1000 ");
            raw.sync();
        }
        Settings settings(ini);
        QCOMPARE(settings.downloadCaps(), (atmo::BandwidthCaps{0, 0, 1000}));
    }
};

ATMO_TEST_GUILESS_MAIN(TestDownloadManager)
#include "tst_app_download_manager.moc"
