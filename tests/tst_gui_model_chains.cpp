// The model chains the views show, proxies included: StatusIconProxy (the
// icons and failure colour on every table), the sorting proxy of the Build
// view and the filters under them, each level under QAbstractItemModelTester
// while the source is filled and changed the way the views change it.
// (tst_app_models and tst_app_mesh test the QtCore models alone.)
#include <QAbstractItemModelTester>
#include <QColor>
#include <QIcon>
#include <QSortFilterProxyModel>
#include <QtTest>

#include <memory>
#include <vector>

#include "app/FileCheckFilterModel.h"
#include "app/FileCheckModel.h"
#include "app/MissionContentsModel.h"
#include "app/ModelRoles.h"
#include "app/SignatureModel.h"
#include "app/StoredPackageModel.h"
#include "app/mesh/CatalogFilterModel.h"
#include "app/mesh/MeshCatalogModel.h"
#include "core/package/mission.h"
#include "core/package/package_store.h"
#include "core/package/trust_store.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/StatusIconProxy.h"

using namespace testutil;

namespace {

using Mode = QAbstractItemModelTester::FailureReportingMode;

// A tester on each model of a chain, source first.
struct Testers {
    std::vector<std::unique_ptr<QAbstractItemModelTester>> all;
    void watch(QAbstractItemModel* m) { all.push_back(std::make_unique<QAbstractItemModelTester>(m, Mode::QtTest)); }
};

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

atmo::MergedEntry merged(const std::string& id, const std::string& type, std::uint64_t size,
                         std::vector<std::string> peers = {"a"})
{
    atmo::MergedEntry m;
    m.entry.modelId = id;
    m.entry.name = id;
    m.entry.type = type;
    m.entry.format = type == "llm" ? "gguf" : "onnx";
    m.entry.sizeBytes = size;
    m.entry.sha256 = std::string(64, 'a');
    m.entry.version = "1";
    m.entry.capabilities = {type == "llm" ? "chat" : "detection"};
    m.peers = std::move(peers);
    return m;
}

int rowOfText(const QAbstractItemModel& m, int column, const QString& text)
{
    for (int r = 0; r < m.rowCount(); ++r)
        if (m.index(r, column).data().toString() == text)
            return r;
    return -1;
}

} // namespace

class TestGuiModelChains : public QObject {
    Q_OBJECT
private slots:
    // The Verify view: file checks -> failures filter -> icons.
    void fileChecksFilterAndIcons()
    {
        FileCheckModel files;
        FileCheckFilterModel filter;
        StatusIconProxy icons;
        filter.setSourceModel(&files);
        icons.setSourceModel(&filter);
        Testers t;
        t.watch(&files);
        t.watch(&filter);
        t.watch(&icons);
        std::vector<atmo::FileCheck> batch;
        for (int i = 0; i < 40; ++i)
            batch.push_back(check("config/f" + std::to_string(i) + ".yaml", atmo::FileState::Pending));
        files.apply(batch);
        files.apply({check("config/f3.yaml", atmo::FileState::Failed), check("config/f4.yaml", atmo::FileState::Ok),
                     check("config/f9.yaml", atmo::FileState::Missing),
                     check("models/big-1.0.onnx", atmo::FileState::Ok, 2'000'000'000)});
        filter.sort(FileCheckModel::SizeColumn, Qt::DescendingOrder);
        QCOMPARE(icons.rowCount(), 41);
        QCOMPARE(icons.index(0, FileCheckModel::PathColumn).data().toString(), QString("models/big-1.0.onnx"));
        filter.setFailuresOnly(true);
        QCOMPARE(icons.rowCount(), 2);
        // A failure has its icon and the failure colour; the proxy adds them.
        const int failed = rowOfText(icons, FileCheckModel::PathColumn, "config/f3.yaml");
        QVERIFY(failed >= 0);
        const QModelIndex status = icons.index(failed, FileCheckModel::StatusColumn);
        QVERIFY(!qvariant_cast<QIcon>(status.data(Qt::DecorationRole)).isNull());
        QVERIFY(status.data(Qt::ForegroundRole).canConvert<QColor>());
        QVERIFY(!filter.index(failed, FileCheckModel::StatusColumn).data(Qt::ForegroundRole).isValid());
        files.apply({check("config/f40.yaml", atmo::FileState::Failed)});
        QCOMPARE(icons.rowCount(), 3);
        filter.setFailuresOnly(false);
        files.setChecking(false);
        QCOMPARE(icons.rowCount(), 42);
        files.clear();
        QCOMPARE(icons.rowCount(), 0);
    }

    // The Build view: stored packages -> sort by the raw value -> icons.
    void storedPackagesSortedWithIcons()
    {
        Sandbox box;
        writeFile(box / "a.atmo", "a");
        writeFile(box / "b.atmo", "bb");
        writeFile(box / "c.atmo", "ccc");
        atmo::PackageStore store(box / "store.json");
        QVERIFY(store.add({"demo", "1.0", std::nullopt, box / "a.atmo", 1, "2026-01-01T00:00:00Z", {}, {}}).ok());
        QVERIFY(store.add({"demo", "1.1", 2, box / "b.atmo", 2, "2026-02-01T00:00:00Z", {}, {}}).ok());
        StoredPackageModel packages;
        QSortFilterProxyModel sort;
        sort.setSourceModel(&packages);
        sort.setSortRole(ModelRole::Sort);
        StatusIconProxy icons;
        icons.setSourceModel(&sort);
        Testers t;
        t.watch(&packages);
        t.watch(&sort);
        t.watch(&icons);
        packages.reload(store);
        sort.sort(StoredPackageModel::SizeColumn, Qt::AscendingOrder);
        QCOMPARE(icons.rowCount(), 2);
        QCOMPARE(icons.index(0, StoredPackageModel::VersionColumn).data().toString(), QString("1.0"));
        QVERIFY(store.add({"other", "3.0", std::nullopt, box / "c.atmo", 3, "2026-03-01T00:00:00Z", {}, {}}).ok());
        packages.reload(store);
        QCOMPARE(icons.rowCount(), 3);
        QCOMPARE(icons.index(2, StoredPackageModel::VersionColumn).data().toString(), QString("3.0"));
        packages.reload(atmo::PackageStore(box / "empty.json"));
        QCOMPARE(icons.rowCount(), 0);
    }

    // The wizard's contents page: tier checkboxes ticked through the proxy.
    void missionContentsEditedThroughIcons()
    {
        Sandbox box;
        makeMission(box / "m");
        writeFile(box / "m/models/unversioned.onnx", "x");
        auto mission = atmo::scanMission(box / "m");
        QVERIFY2(mission.ok(), mission.ok() ? "" : mission.message().c_str());
        MissionContentsModel contents;
        StatusIconProxy icons;
        icons.setSourceModel(&contents);
        Testers t;
        t.watch(&contents);
        t.watch(&icons);
        contents.setMission(mission.value());
        const int llama = contents.rowOf("models/llama-edge-2.0.gguf");
        QVERIFY(llama > 0);
        const QModelIndex t1 = icons.index(llama, contents.tierColumn(1));
        QVERIFY(icons.flags(t1) & Qt::ItemIsUserCheckable);
        QVERIFY(icons.setData(t1, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(contents.index(llama, contents.tierColumn(1)).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        // The problem row (a model without a version) shows its icon and colour.
        const QModelIndex kind = icons.index(0, MissionContentsModel::KindColumn);
        QVERIFY(!qvariant_cast<QIcon>(kind.data(Qt::DecorationRole)).isNull());
        QVERIFY(kind.data(Qt::ForegroundRole).canConvert<QColor>());
        contents.setMission(mission.value());
        contents.clear();
        QCOMPARE(icons.rowCount(), 0);
    }

    // The Mesh view: merged catalog -> search/type filter -> icons, while
    // merges add, change and remove models.
    void meshCatalogFilteredWithIcons()
    {
        MeshCatalogModel catalog;
        CatalogFilterModel filter;
        StatusIconProxy icons;
        filter.setSourceModel(&catalog);
        icons.setSourceModel(&filter);
        Testers t;
        t.watch(&catalog);
        t.watch(&filter);
        t.watch(&icons);
        catalog.setEntries({merged("defects", "vision", 5'000'000), merged("edge-llm", "llm", 4'000'000'000),
                            merged("tiny-llm", "llm", 700'000'000, {"a", "b"})});
        filter.sort(MeshCatalogModel::SizeColumn, Qt::AscendingOrder);
        QCOMPARE(icons.rowCount(), 3);
        atmo::CatalogFilter llm;
        llm.type = "llm";
        filter.setFilter(llm);
        QCOMPARE(icons.rowCount(), 2);
        QCOMPARE(icons.index(0, 0).data(MeshCatalogModel::ModelIdRole).toString(), QString("tiny-llm"));
        // A new merge: one goes, one changes, one arrives, while filtered.
        catalog.setEntries({merged("defects", "vision", 5'000'000), merged("edge-llm", "llm", 4'000'000'000, {"b"}),
                            merged("huge-llm", "llm", 9'000'000'000)});
        QCOMPARE(icons.rowCount(), 2);
        atmo::CatalogFilter search;
        search.search = "huge";
        filter.setFilter(search);
        QCOMPARE(icons.rowCount(), 1);
        filter.setFilter({});
        QCOMPARE(icons.rowCount(), 3);
        catalog.setEntries({});
        QCOMPARE(icons.rowCount(), 0);
    }

    // The Verify view's signatures, replaced as packages are opened.
    void signaturesWithIcons()
    {
        SignatureModel signatures;
        StatusIconProxy icons;
        icons.setSourceModel(&signatures);
        Testers t;
        t.watch(&signatures);
        t.watch(&icons);
        atmo::SignatureCheck mesh;
        mesh.role = atmo::kRoleMesh;
        mesh.state = atmo::SignatureState::Invalid;
        mesh.keyId = "0123456789ABCDEF";
        atmo::SignatureCheck founder;
        founder.role = atmo::kRoleFounder;
        founder.state = atmo::SignatureState::Missing;
        signatures.setSignatures({mesh, founder});
        const QModelIndex state = icons.index(0, SignatureModel::StateColumn);
        QVERIFY(!qvariant_cast<QIcon>(state.data(Qt::DecorationRole)).isNull());
        QVERIFY(state.data(Qt::ForegroundRole).canConvert<QColor>());
        mesh.state = atmo::SignatureState::Valid;
        signatures.setSignatures({mesh});
        QCOMPARE(icons.rowCount(), 1);
        QVERIFY(!icons.index(0, SignatureModel::StateColumn).data(Qt::ForegroundRole).isValid());
        signatures.clear();
        QCOMPARE(icons.rowCount(), 0);
    }
};

ATMO_TEST_MAIN(TestGuiModelChains)
#include "tst_gui_model_chains.moc"
