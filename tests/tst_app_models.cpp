// The QtCore item models behind the station's views: each passes
// QAbstractItemModelTester while it is filled and edited the way the views
// do it, and shows the data the views rely on.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QLocale>
#include <QTest>

#include "app/CustodyModel.h"
#include "app/Format.h"
#include "app/FileCheckFilterModel.h"
#include "app/FileCheckModel.h"
#include "app/MissionContentsModel.h"
#include "app/ModelRoles.h"
#include "app/ProgressMeter.h"
#include "core/base/fs_util.h"
#include "app/SignatureModel.h"
#include "app/SigningKeyModel.h"
#include "app/StoredPackageModel.h"
#include "app/TrustedKeyModel.h"
#include "app/VersionSuggestion.h"
#include "core/package/mission.h"
#include "core/package/package_store.h"
#include "core/package/trust_store.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {
atmo::FileCheck check(const std::string& path, atmo::FileState state, std::uint64_t size = 10)
{
    atmo::FileCheck f;
    f.path = path;
    f.state = state;
    f.size = size;
    f.kind = path.starts_with("models/") ? atmo::ContentKind::Model : atmo::ContentKind::Config;
    f.expectedSha256 = std::string(64, 'a');
    f.computedSha256 = state == atmo::FileState::Failed ? std::string(64, 'b') : std::string(64, 'a');
    return f;
}
} // namespace

class TestAppModels : public QObject {
    Q_OBJECT
private slots:
    void fileChecksAppendInBatches()
    {
        FileCheckModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        std::vector<atmo::FileCheck> batch;
        for (int i = 0; i < 50; ++i)
            batch.push_back(check("config/f" + std::to_string(i) + ".yaml", atmo::FileState::Ok));
        model.apply(batch);
        QCOMPARE(model.rowCount(), 50);
        QCOMPARE(inserted.count(), 1); // one insertion for the whole batch
        // Updates to rows 3,4,5 and 9 come as two spans; a new row in the same batch is one insertion.
        model.apply({check("config/f3.yaml", atmo::FileState::Failed), check("config/f4.yaml", atmo::FileState::Failed),
                     check("config/f5.yaml", atmo::FileState::Failed), check("config/f9.yaml", atmo::FileState::Missing),
                     check("models/new-1.0.onnx", atmo::FileState::Ok)});
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 3);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 5);
        QCOMPARE(changed.at(1).at(0).toModelIndex().row(), 9);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(model.rowCount(), 51);
        QCOMPARE(model.failureCount(), 4);
        QCOMPARE(model.index(3, FileCheckModel::StatusColumn).data(ModelRole::Status).value<ItemStatus>(), ItemStatus::Failed);
        QCOMPARE(model.index(9, FileCheckModel::StatusColumn).data(ModelRole::Status).value<ItemStatus>(), ItemStatus::Missing);
        QCOMPARE(model.index(0, FileCheckModel::PathColumn).data().toString(), QString("config/f0.yaml"));
        QVERIFY(model.index(3, FileCheckModel::ExpectedColumn).data().toString().contains(QChar(0x2026)));
        QCOMPARE(model.rowOf("models/new-1.0.onnx"), 50);
        // A file the check never reached reads "Not checked" once it ended.
        model.apply({check("tools/late-1.0.yaml", atmo::FileState::Pending)});
        const int late = model.rowOf("tools/late-1.0.yaml");
        QCOMPARE(model.index(late, FileCheckModel::StatusColumn).data().toString(), QString("Waiting"));
        model.setChecking(false);
        QCOMPARE(model.index(late, FileCheckModel::StatusColumn).data().toString(), QString("Not checked"));
        QCOMPARE(model.index(late, FileCheckModel::StatusColumn).data(ModelRole::Status).value<ItemStatus>(), ItemStatus::Skipped);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    // Every file is listed, waiting, once the signatures are known; the one
    // being hashed says how far it is; a later report replaces the row.
    void everyFileListedAndTheOneBeingHashedShowsItsProgress()
    {
        FileCheckModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply({check("config/a.yaml", atmo::FileState::Ok)}); // reported before the listing arrived
        model.addPending({check("config/a.yaml", atmo::FileState::Pending), check("models/big.gguf", atmo::FileState::Pending, 1000),
                          check("tools/t.yaml", atmo::FileState::Pending)});
        QCOMPARE(model.rowCount(), 3);
        auto status = [&](const char* path) {
            return model.index(model.rowOf(path), FileCheckModel::StatusColumn).data().toString();
        };
        QCOMPARE(status("config/a.yaml"), QString("Intact")); // a known row stays as reported
        QCOMPARE(status("models/big.gguf"), QString("Waiting"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setActive("models/big.gguf", 420, 1000);
        QCOMPARE(model.activeRow(), model.rowOf("models/big.gguf"));
        QCOMPARE(status("models/big.gguf"), QString("Checking… 42 %"));
        QCOMPARE(status("tools/t.yaml"), QString("Waiting"));
        QCOMPARE(changed.count(), 1);
        model.setActive("tools/t.yaml", 0, 10); // the old row and the new one change
        QCOMPARE(changed.count(), 3);
        QCOMPARE(status("models/big.gguf"), QString("Waiting"));
        model.apply({check("models/big.gguf", atmo::FileState::Ok, 1000)});
        QCOMPARE(status("models/big.gguf"), QString("Intact"));
        model.setActive({}, 0, 0);
        QCOMPARE(model.activeRow(), -1);
        model.setChecking(false);
        QCOMPARE(status("tools/t.yaml"), QString("Not checked"));
    }

    void failureFilterShowsOnlyFailures()
    {
        FileCheckModel model;
        FileCheckFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply({check("a", atmo::FileState::Ok), check("b", atmo::FileState::Failed),
                     check("c", atmo::FileState::NotInArchive), check("d", atmo::FileState::Missing)});
        QCOMPARE(filter.rowCount(), 4);
        filter.setFailuresOnly(true);
        QCOMPARE(filter.rowCount(), 2);
        QCOMPARE(filter.index(0, FileCheckModel::PathColumn).data().toString(), QString("b"));
        QCOMPARE(filter.index(1, FileCheckModel::PathColumn).data().toString(), QString("d"));
        // Rows arriving while filtered are filtered too.
        model.apply({check("e", atmo::FileState::Ok), check("f", atmo::FileState::Failed)});
        QCOMPARE(filter.rowCount(), 3);
        // Sorting by size uses the raw value, not the text.
        filter.setFailuresOnly(false);
        model.apply({check("big", atmo::FileState::Ok, 2'000'000'000), check("small", atmo::FileState::Ok, 900)});
        filter.sort(FileCheckModel::SizeColumn, Qt::DescendingOrder);
        QCOMPARE(filter.index(0, FileCheckModel::PathColumn).data().toString(), QString("big"));
    }

    void signatureRows()
    {
        SignatureModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        atmo::SignatureCheck mesh;
        mesh.role = atmo::kRoleMesh;
        mesh.state = atmo::SignatureState::Valid;
        mesh.keyId = "0123456789ABCDEF";
        mesh.trusted = true;
        mesh.trustedName = "Plant authority";
        mesh.trustedComment = "timestamp:1";
        atmo::SignatureCheck founder;
        founder.role = atmo::kRoleFounder;
        founder.state = atmo::SignatureState::Missing;
        model.setSignatures({mesh, founder});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, SignatureModel::RoleColumn).data().toString(), QString("Mesh authority"));
        QCOMPARE(model.index(0, SignatureModel::StateColumn).data().toString(), QString("Valid"));
        QVERIFY(model.index(0, SignatureModel::TrustColumn).data().toString().contains("Plant authority"));
        // The trusted comment, elided in its column, is whole in its tooltip.
        QCOMPARE(model.index(0, SignatureModel::CommentColumn).data(Qt::ToolTipRole).toString(), QString("timestamp:1"));
        QCOMPARE(model.index(0, SignatureModel::StateColumn).data(ModelRole::Status).value<ItemStatus>(), ItemStatus::Ok);
        QCOMPARE(model.index(1, SignatureModel::StateColumn).data(ModelRole::Status).value<ItemStatus>(), ItemStatus::Skipped);
        mesh.state = atmo::SignatureState::Invalid;
        model.setSignatures({mesh});
        QCOMPARE(model.index(0, SignatureModel::StateColumn).data(ModelRole::Status).value<ItemStatus>(), ItemStatus::Failed);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void custodyRows()
    {
        CustodyModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        atmo::CustodyCheck a;
        a.entry.station = "bench-1";
        a.entry.action = "created";
        a.entry.time = "2026-11-21T16:00:00Z";
        a.entry.keyId = "AAAABBBBCCCCDDDD";
        a.valid = true;
        a.trusted = false;
        atmo::CustodyCheck b = a;
        b.entry.action = "exported";
        b.entry.detail = "tier 1 to /media/usb0";
        b.trusted = true;
        b.trustedName = "Bench";
        model.setEntries({a, b});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, CustodyModel::StationColumn).data().toString(), QString("bench-1"));
        QCOMPARE(model.index(0, CustodyModel::StateColumn).data(ModelRole::Status).value<ItemStatus>(), ItemStatus::Warning);
        QVERIFY(model.index(1, CustodyModel::ActionColumn).data().toString().contains("/media/usb0"));
        QCOMPARE(model.index(1, CustodyModel::StateColumn).data(ModelRole::Status).value<ItemStatus>(), ItemStatus::Ok);
        // What core writes as the detail is shown in the window's words
        // (translated): both spellings of a tier, and the full package.
        b.entry.detail = "tier_2";
        atmo::CustodyCheck c = a;
        c.entry.detail = "tier 1";
        atmo::CustodyCheck d = a;
        d.entry.detail = "full package";
        model.setEntries({b, c, d});
        QCOMPARE(model.index(0, CustodyModel::ActionColumn).data().toString(), QString("Exported (tier_2 export)"));
        QCOMPARE(model.index(1, CustodyModel::ActionColumn).data().toString(), QString("Created (tier_1 export)"));
        QCOMPARE(model.index(2, CustodyModel::ActionColumn).data().toString(), QString("Created (full package)"));
        QCOMPARE(Format::custodyDetail("to /media/usb0"), QString("to /media/usb0"));
        QCOMPARE(Format::custodyDetail("delta from 1.3"), QString("delta update from 1.3"));
        QCOMPARE(Format::custodyDetail("delta from 1.3, tier_1"), QString("delta update from 1.3, tier_1"));
    }

    void missionContentsWithTierCheckboxes()
    {
        Sandbox box;
        makeMission(box / "m");
        testutil::writeFile(box / "m/models/unversioned.onnx", "x");
        auto mission = atmo::scanMission(box / "m");
        QVERIFY2(mission.ok(), mission.ok() ? "" : mission.message().c_str());
        MissionContentsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy edited(&model, &MissionContentsModel::tiersEdited);
        model.setMission(mission.value());
        QVERIFY(model.hasProblems());
        // The problem comes first, inline, naming the file.
        QCOMPARE(model.index(0, MissionContentsModel::FileColumn).data().toString(), QString("models/unversioned.onnx"));
        QVERIFY(model.index(0, MissionContentsModel::DetailColumn).data().toString().contains("version"));
        QCOMPARE(model.columnCount(), MissionContentsModel::FirstTierColumn + 2);
        const int llama = model.rowOf("models/llama-edge-2.0.gguf");
        QVERIFY(llama > 0);
        const int t1 = model.tierColumn(1), t2 = model.tierColumn(2);
        QCOMPARE(model.index(llama, t1).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QCOMPARE(model.index(llama, t2).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QVERIFY(model.flags(model.index(llama, t1)) & Qt::ItemIsUserCheckable);
        QVERIFY(model.setData(model.index(llama, t1), Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(edited.count(), 1);
        QCOMPARE(model.index(llama, t1).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QVERIFY(model.setData(model.index(llama, t2), Qt::Unchecked, Qt::CheckStateRole));
        // The last tier cannot be unticked: a model must be in some tier.
        QVERIFY(!model.setData(model.index(llama, t1), Qt::Unchecked, Qt::CheckStateRole));
        const int agent = model.rowOf("agents/inspector-1.0.yaml");
        QVERIFY(!(model.flags(model.index(agent, t1)) & Qt::ItemIsUserCheckable));
        QVERIFY(!model.setData(model.index(agent, t1), Qt::Unchecked, Qt::CheckStateRole));
        // The edit reaches the mission that is written back.
        const auto& files = model.mission().files;
        const auto it = std::find_if(files.begin(), files.end(),
                                     [](const atmo::MissionFile& f) { return f.entry.path == "models/llama-edge-2.0.gguf"; });
        QCOMPARE(it->entry.tiers, std::vector<int>{1});
        QCOMPARE(model.index(model.rowOf("knowledge/defects.chunks.jsonl"), MissionContentsModel::DetailColumn).data().toString(),
                 QString("3 chunk(s)"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void trustedAndSigningKeys()
    {
        Sandbox box;
        const auto mesh = makeKey(), founder = makeKey();
        trustKey(box.path(), mesh, atmo::TrustRole::Mesh, "Mesh A");
        trustKey(box.path(), founder, atmo::TrustRole::Founder, "Founder B");
        TrustedKeyModel trusted;
        QAbstractItemModelTester t1(&trusted, QAbstractItemModelTester::FailureReportingMode::QtTest);
        trusted.reload(atmo::TrustStore(box / "trust"));
        QCOMPARE(trusted.rowCount(), 2);
        QStringList ids;
        for (int r = 0; r < 2; ++r)
            ids << trusted.index(r, TrustedKeyModel::KeyIdColumn).data().toString();
        QVERIFY(ids.contains(QString::fromStdString(mesh.keyId())));
        QVERIFY(ids.contains(QString::fromStdString(founder.keyId())));

        QVERIFY(atmo::writeKeyPair(box / "keys", "plain", mesh, std::nullopt).ok());
        QVERIFY(atmo::writeKeyPair(box / "keys", "locked", founder, std::string("pw")).ok());
        SigningKeyModel signing;
        QAbstractItemModelTester t2(&signing, QAbstractItemModelTester::FailureReportingMode::QtTest);
        signing.reload(QString::fromStdString((box / "keys").string()));
        QCOMPARE(signing.rowCount(), 2);
        QCOMPARE(signing.key(0).name, QString("locked"));
        QVERIFY(signing.key(0).encrypted);
        QCOMPARE(signing.key(1).keyId, QString::fromStdString(mesh.keyId()));
        QVERIFY(!signing.key(1).encrypted);
        QCOMPARE(signing.rowOfFile(QString::fromStdString((box / "keys/plain.key").string())), 1);
    }

    void storedPackagesNewestFirst()
    {
        Sandbox box;
        testutil::writeFile(box / "a.atmo", "a");
        testutil::writeFile(box / "b.atmo", "b");
        atmo::PackageStore store(box / "store.json");
        QVERIFY(store.add({"demo", "1.0", std::nullopt, box / "a.atmo", 1, "2026-01-01T00:00:00Z", {}, {}}).ok());
        QVERIFY(store.add({"demo", "1.1", 2, box / "b.atmo", 2, "2026-02-01T00:00:00Z", {}, {}}).ok());
        StoredPackageModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reload(store);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, StoredPackageModel::VersionColumn).data().toString(), QString("1.1"));
        QCOMPARE(model.index(0, StoredPackageModel::ContentColumn).data().toString(), QString("tier_2 export"));
        QCOMPARE(model.index(1, StoredPackageModel::ContentColumn).data().toString(), QString("Full package"));
        // A delta update says which version it updates.
        testutil::writeFile(box / "c.atmo", "c");
        QVERIFY(store.add({"demo", "1.2", std::nullopt, box / "c.atmo", 3, "2026-03-01T00:00:00Z", "1.1", {}}).ok());
        model.reload(store);
        QCOMPARE(model.index(0, StoredPackageModel::ContentColumn).data().toString(), QString("Delta update from 1.1"));
        QCOMPARE(VersionSuggestion::next("demo", QString::fromStdString((box / "store.json").string()), QString()),
                 QString("1.3"));
    }

    void versionBump()
    {
        QCOMPARE(VersionSuggestion::bump("1.3"), QString("1.4"));
        QCOMPARE(VersionSuggestion::bump("2.0.9"), QString("2.0.10"));
        QCOMPARE(VersionSuggestion::bump("1.3-rc1"), QString("1.4"));
        QCOMPARE(VersionSuggestion::bump("7"), QString("7.1"));
        QCOMPARE(VersionSuggestion::bump("x"), QString("1.0"));
    }

    void progressSpeedAndTimeLeft()
    {
        ProgressMeter meter;
        JobProgress p = meter.sample(atmo::Phase::Hashing, 0, 1000, "a", 0);
        QCOMPARE(p.bytesPerSecond, 0.0);
        QCOMPARE(p.secondsLeft, qint64(-1));
        p = meter.sample(atmo::Phase::Hashing, 100, 1000, "a", 1000);
        QCOMPARE(p.bytesPerSecond, 100.0);
        QCOMPARE(p.secondsLeft, qint64(9));
        QCOMPARE(p.percent(), 10);
        // A new phase restarts the measurement.
        p = meter.sample(atmo::Phase::Writing, 10, 1000, "b", 1100);
        QCOMPARE(p.bytesPerSecond, 0.0);
    }

    // One scale and one rounding for sizes, the CLI's and the window's; a
    // whole year in dates; no countdown that sits at one second.
    void sizesDatesAndTimeLeft()
    {
        const QLocale before;
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        const std::uint64_t MiB = 1 << 20;
        QCOMPARE(Format::bytes(57), QString("57 bytes"));
        QCOMPARE(Format::bytes(999), QString("999 bytes"));
        QCOMPARE(Format::bytes(1000), QString("1.0 KiB"));
        QCOMPARE(Format::bytes(15 * MiB + MiB / 2), QString("15.5 MiB"));
        QCOMPARE(Format::bytes(999 * MiB), QString("999.0 MiB"));
        // 1008 and 1009 MiB, once "1,008.0 MiB" and "1,009.0 MiB": GiB now.
        QCOMPARE(Format::bytes(1008 * MiB), QString("1.0 GiB"));
        QCOMPARE(Format::bytes(1009 * MiB), QString("1.0 GiB"));
        QCOMPARE(Format::bytes(5ull << 30), QString("5.0 GiB"));
        for (std::uint64_t n : std::initializer_list<std::uint64_t>{1500, 1008 * MiB, std::uint64_t(3) << 40, 999949})
            QCOMPARE(Format::bytes(n), QString::fromStdString(atmo::humanBytes(n)));
        QCOMPARE(atmo::humanBytes(57), std::string("57 B"));
        QCOMPARE(atmo::humanBytes(1008 * MiB), std::string("1.0 GiB"));
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QCOMPARE(Format::bytes(1536), QString("1,5 KiB"));

        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        const QDateTime when(QDate(2026, 12, 1), QTime(15, 49), Qt::LocalTime);
        QVERIFY2(Format::dateTime(when).contains("2026"), qPrintable(Format::dateTime(when)));
        QVERIFY(!Format::dateTime(when).contains("/26 "));
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QCOMPARE(Format::dateTime(when), QString("01.12.2026 15:49"));
        QLocale::setDefault(before);

        QCOMPARE(Format::timeLeft(-1), QString());
        QCOMPARE(Format::timeLeft(1), QString("almost done"));
        QCOMPARE(Format::timeLeft(2), QString("almost done"));
        QVERIFY(Format::timeLeft(3).contains("3"));
        QVERIFY(Format::timeLeft(125).contains("2 min 5 s"));
    }
};

ATMO_TEST_GUILESS_MAIN(TestAppModels)
#include "tst_app_models.moc"
