// The Build list's status column as a technician sees it: each stored
// package says whether it was verified, failed its check, was installed, or
// changed since it was checked; a check or an install in Import & Verify
// shows in the list without a restart, and the selection stays where it was.
#include <QHeaderView>
#include <QTableView>
#include <QTest>

#include "app/ModelRoles.h"
#include "app/StationContext.h"
#include "core/package/package_store.h"
#include "core/package/package_writer.h"
#include "core/package/station_home.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/BuildView.h"
#include "ui/ImportVerifyView.h"

using namespace testutil;

namespace {
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }
}

class TestGuiBuildStatus : public QObject {
    Q_OBJECT
    Sandbox box_;
    atmo::SecretKey mesh_ = makeKey();
    fs::path good_, tampered_;
    std::unique_ptr<StationContext> context_;

    fs::path home() const { return box_ / "home"; }

    // The status cell of the row showing `file`, through the view's own model
    // (sorting and icon proxies included).
    static QModelIndex statusOf(BuildView& view, const fs::path& file)
    {
        const QAbstractItemModel* shown = view.table()->model();
        for (int row = 0; row < shown->rowCount(); ++row)
            if (shown->index(row, 0).data(ModelRole::Path).toString() == q(fs::weakly_canonical(file)))
                return shown->index(row, StoredPackageModel::StatusColumn);
        return {};
    }

    static QString statusText(BuildView& view, const fs::path& file)
    {
        return statusOf(view, file).data().toString();
    }

    static ItemStatus statusIcon(BuildView& view, const fs::path& file)
    {
        return statusOf(view, file).data(ModelRole::Status).value<ItemStatus>();
    }

    void check(ImportVerifyView& view, const fs::path& file)
    {
        view.openPackage(q(file));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), 30000);
    }

private slots:
    void initTestCase()
    {
        qputenv("ATMOSPHERE_HOME", home().string().c_str());
        writeFile(home() / "tiers.yaml", "tiers:\n"
                                         "  - {tier: 2, min_ram_gib: 0, min_cores: 1, gpu: false}\n"
                                         "  - {tier: 3, min_ram_gib: 1048576, min_cores: 65536, gpu: true}\n");
        trustKey(home(), mesh_, atmo::TrustRole::Mesh, "Plant mesh");
        makeMission(box_ / "mission");
        atmo::CreateOptions options;
        options.missionDir = box_ / "mission";
        options.version = "1.1";
        options.outputDir = box_ / "out";
        options.meshKey = mesh_;
        auto created = atmo::createPackage(options, nullptr, atmo::CancelToken());
        QVERIFY2(created, created ? "" : created.message().c_str());
        good_ = created->file;
        // One byte of one model changed inside the archive.
        auto entries = readTarEntries(good_);
        for (auto& e : entries)
            if (e.path == "models/tinyyolo-defects-1.3.onnx")
                e.data[1000] ^= 0x5a;
        tampered_ = box_ / "out/production-inspection-v1.2.atmo";
        writeTarEntries(tampered_, entries);

        atmo::PackageStore store(atmo::StationHome(home()).storeIndex());
        for (const auto& [file, version] : {std::pair{good_, "1.1"}, std::pair{tampered_, "1.2"}}) {
            atmo::StoredPackage p;
            p.id = "production-inspection";
            p.version = version;
            p.file = file;
            p.bytes = fs::file_size(file);
            QVERIFY(store.add(p).ok());
        }
        context_ = std::make_unique<StationContext>(q(box_ / "settings.ini"));
        context_->settings().setInstallRoot(q(box_ / "root"));
    }

    void cleanupTestCase() { context_.reset(); }

    void eachPackageSaysWhatHappenedToIt()
    {
        BuildView build(*context_);
        build.resize(1100, 500);
        build.show();
        QVERIFY(QTest::qWaitForWindowExposed(&build));
        QCOMPARE(build.table()->model()->headerData(StoredPackageModel::StatusColumn, Qt::Horizontal).toString(),
                 QString("Status"));
        QCOMPARE(statusText(build, good_), QString("Not verified yet"));
        QCOMPARE(statusIcon(build, good_), ItemStatus::Pending);
        QCOMPARE(statusText(build, tampered_), QString("Not verified yet"));

        // The technician has the good package selected in the list.
        build.table()->selectRow(statusOf(build, good_).row());

        // Checked in Import & Verify while the list is on screen: it follows.
        ImportVerifyView verify(*context_);
        check(verify, good_);
        QVERIFY(verify.report() && verify.report()->ok);
        QTRY_COMPARE(statusText(build, good_), QString("Verified"));
        QCOMPARE(statusIcon(build, good_), ItemStatus::Ok);
        QVERIFY2(statusOf(build, good_).data(Qt::ToolTipRole).toString().startsWith("Verified "),
                 qPrintable(statusOf(build, good_).data(Qt::ToolTipRole).toString()));
        const QModelIndexList selected = build.table()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().data(ModelRole::Path).toString(), q(fs::weakly_canonical(good_)));

        check(verify, tampered_);
        QVERIFY(verify.report() && !verify.report()->ok);
        QTRY_COMPARE(statusText(build, tampered_), QString("Failed its check"));
        QCOMPARE(statusIcon(build, tampered_), ItemStatus::Failed);

        // Installed from the same view: the list says so, and sorts it last
        // (furthest along) when sorted by status.
        verify.openPackage(q(good_));
        QTRY_VERIFY_WITH_TIMEOUT(!verify.isBusy(), 30000);
        verify.startInstall(false);
        QTRY_VERIFY_WITH_TIMEOUT(!verify.isBusy(), 30000);
        QTRY_COMPARE(statusText(build, good_), QString("Installed"));
        QVERIFY(statusOf(build, good_).data(Qt::ToolTipRole).toString().contains("Installed "));
        build.table()->sortByColumn(StoredPackageModel::StatusColumn, Qt::AscendingOrder);
        QCOMPARE(statusOf(build, tampered_).row(), 0);
        QCOMPARE(statusOf(build, good_).row(), 1);
        build.hide();

        // The file replaced after its check: shown again, the list warns.
        {
            std::string bytes = readFile(good_);
            bytes += "trailing bytes";
            writeFile(good_, bytes);
        }
        build.show();
        QCOMPARE(statusText(build, good_), QString("Changed since verified"));
        QCOMPARE(statusIcon(build, good_), ItemStatus::Warning);
        QVERIFY(statusOf(build, good_).data(Qt::ToolTipRole).toString().contains("verify it again"));
    }
};

ATMO_TEST_MAIN(TestGuiBuildStatus)
#include "tst_gui_build_status.moc"
