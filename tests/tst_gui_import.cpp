// Import & Verify as a technician uses it: open a good, a tampered and a
// foreign-signed package and read the verdict, the per-file statuses and the
// signature rows; install, refuse a downgrade unless confirmed; save the
// report; drop a package on the window.
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QTimer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

#include "app/ModelRoles.h"
#include "app/StationContext.h"
#include "core/package/minisign.h"
#include "core/package/installer.h"
#include "core/package/package_writer.h"
#include "core/package/trust_store.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/DeviceFitPanel.h"
#include "ui/ImportVerifyView.h"
#include "ui/MainWindow.h"
#include "ui/VerdictBanner.h"

using namespace testutil;

namespace {
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }
}

class TestGuiImport : public QObject {
    Q_OBJECT
    Sandbox box_;
    atmo::SecretKey mesh_ = makeKey();
    atmo::SecretKey founder_ = makeKey();
    fs::path good_, tampered_, foreign_, older_;
    std::unique_ptr<StationContext> context_;

    fs::path build(const std::string& version, const atmo::SecretKey& key, const fs::path& out)
    {
        atmo::CreateOptions options;
        options.missionDir = box_ / "mission";
        options.version = version;
        options.outputDir = out;
        options.meshKey = key;
        options.founderKey = founder_;
        fs::create_directories(out);
        auto created = atmo::createPackage(options, nullptr, atmo::CancelToken());
        if (!created)
            qFatal("%s", created.message().c_str());
        return created->file;
    }

    void open(ImportVerifyView& view, const fs::path& file)
    {
        view.openPackage(q(file));
        QVERIFY(view.isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), 30000);
    }

private slots:
    void initTestCase()
    {
        qputenv("ATMOSPHERE_HOME", (box_ / "home").string().c_str());
        // Every machine is tier_2 here, a tier the test packages cover: the
        // install cases run on any machine instead of skipping on a big one.
        writeFile(box_ / "home/tiers.yaml", "tiers:\n"
                                             "  - {tier: 2, min_ram_gib: 0, min_cores: 1, gpu: false}\n"
                                             "  - {tier: 3, min_ram_gib: 1048576, min_cores: 65536, gpu: true}\n");
        trustKey(box_ / "home", mesh_, atmo::TrustRole::Mesh, "Plant mesh");
        trustKey(box_ / "home", founder_, atmo::TrustRole::Founder, "Founder");
        makeMission(box_ / "mission");
        good_ = build("1.1", mesh_, box_ / "out");
        older_ = build("1.0", mesh_, box_ / "out");
        foreign_ = build("1.1", makeKey(), box_ / "foreign");
        // One byte of one model changed inside the archive.
        auto entries = readTarEntries(good_);
        for (auto& e : entries)
            if (e.path == "models/tinyyolo-defects-1.3.onnx")
                e.data[1000] ^= 0x5a;
        tampered_ = box_ / "tampered.atmo";
        writeTarEntries(tampered_, entries);
        context_ = std::make_unique<StationContext>(q(box_ / "settings.ini"));
        context_->settings().setInstallRoot(q(box_ / "root"));
    }

    void cleanupTestCase() { context_.reset(); }

    // A package carrying its mission's requirements: the machine's tier and
    // why, in tier names, by those requirements (set far above any machine).
    void deviceFitShowsWhyByTheRequirements()
    {
        auto entries = readTarEntries(good_);
        std::vector<RawEntry> kept;
        for (auto& e : entries) {
            if (e.path == atmo::kCustodyName)
                continue; // it names the original manifest's hash
            if (e.path == atmo::kManifestName)
                e.data.replace(e.data.find("\ncontents:\n"), 11,
                               "\n  requirements:\n    tier_2: {min_ram_gb: 1000000}\ncontents:\n");
            kept.push_back(e);
        }
        const std::string manifest = kept.front().data;
        for (auto& e : kept)
            if (e.path == atmo::kMeshSignatureName)
                e.data = atmo::signMessage(mesh_, manifest, "with requirements").fileText();
            else if (e.path == atmo::kFounderSignatureName)
                e.data = atmo::signMessage(founder_, manifest, "with requirements").fileText();
        const fs::path file = box_ / "requirements.atmo";
        writeTarEntries(file, kept);

        ImportVerifyView view(*context_);
        open(view, file);
        QCOMPARE(view.banner()->verdict().kind, Verdict::Kind::Good);
        QCOMPARE(view.deviceFit().tier.tier, 1);
        QVERIFY2(view.fitPanel()->tierText().startsWith("tier_1"), qPrintable(view.fitPanel()->tierText()));
        QVERIFY2(view.fitPanel()->reasonText().startsWith("tier_1: no requirements; tier_2 needs 976.6 TiB RAM ("),
                 qPrintable(view.fitPanel()->reasonText()));
    }

    // A <home>/tiers.yaml that does not load: the CLI fails on it, so the
    // window says the same one line where it shows the tier, decides no tier
    // by the defaults, and offers no install (it once used the defaults in
    // silence).
    void aBadTiersFileIsShownNotReplacedByDefaults()
    {
        const fs::path tiers = box_ / "home" / "tiers.yaml";
        // The home's good tiers.yaml (initTestCase) comes back afterwards:
        // the later install cases rely on it.
        struct Restore {
            fs::path file;
            std::string before;
            ~Restore() { writeFile(file, before); }
        } restore{tiers, readFile(tiers)};
        writeFile(tiers, "tier_2: [this is not a threshold\n");
        const auto cli = runCli({"package", "verify", q(good_)}, box_ / "home");
        QVERIFY2(cli.exitCode != 0, qPrintable(cli.out + cli.err));
        const QString reason = cli.err.trimmed().section(QStringLiteral("atmosphere: "), 1);
        QVERIFY2(reason.contains("tiers.yaml"), qPrintable(cli.err));

        ImportVerifyView view(*context_);
        open(view, good_);
        QCOMPARE(view.banner()->verdict().kind, Verdict::Kind::Good); // the package itself is fine
        QCOMPARE(view.deviceFit().policyError, reason);
        // Said in the window's words, core's line as the tooltip.
        const QString said("The tier thresholds in tiers.yaml cannot be used: fix or remove the file.");
        QCOMPARE(view.fitPanel()->tierText(), QString("Unknown: %1").arg(said));
        QVERIFY(!view.deviceFit().installable());
        QVERIFY(!view.installButton()->isEnabled());
        QCOMPARE(view.installButton()->toolTip(), said);
    }

    void goodPackageIsGenuineAndIntact()
    {
        ImportVerifyView view(*context_);
        // Every file is listed at once, waiting, as soon as the signatures
        // are known, not appended one by one as each is done.
        QSignalSpy inserted(view.fileModel(), &QAbstractItemModel::rowsInserted);
        open(view, good_);
        QVERIFY(!inserted.isEmpty());
        QCOMPARE(inserted.first().at(2).toInt() - inserted.first().at(1).toInt() + 1, 7);
        QCOMPARE(view.fileModel()->activeRow(), -1); // nothing is being hashed any more
        QCOMPARE(view.banner()->verdict().kind, Verdict::Kind::Good);
        QCOMPARE(view.banner()->headline(), QString("Genuine and intact — ready to install"));
        FileCheckModel* files = view.fileModel();
        QCOMPARE(files->rowCount(), 7);
        for (int r = 0; r < files->rowCount(); ++r)
            QCOMPARE(files->index(r, FileCheckModel::StatusColumn).data(ModelRole::Status).value<ItemStatus>(), ItemStatus::Ok);
        QVERIFY(files->rowOf("models/llama-edge-2.0.gguf") >= 0);
        SignatureModel* sigs = view.signatureModel();
        QCOMPARE(sigs->rowCount(), 2);
        QCOMPARE(sigs->index(0, SignatureModel::RoleColumn).data().toString(), QString("Mesh authority"));
        QCOMPARE(sigs->index(0, SignatureModel::StateColumn).data().toString(), QString("Valid"));
        QCOMPARE(sigs->index(0, SignatureModel::KeyIdColumn).data().toString(), QString::fromStdString(mesh_.keyId()));
        QVERIFY(sigs->index(0, SignatureModel::TrustColumn).data().toString().contains("Plant mesh"));
        QCOMPARE(sigs->index(1, SignatureModel::RoleColumn).data().toString(), QString("Founder"));
        QCOMPARE(sigs->index(1, SignatureModel::StateColumn).data().toString(), QString("Valid"));
        QCOMPARE(view.installButton()->isEnabled(), view.deviceFit().installable());
    }

    // A long install folder reads from its start (it was cut on the left).
    void theInstallFolderShowsItsStart()
    {
        const QString deep = q(box_ / "root") + "/plants/line-4/inspection/devices/edge-box-17/atmosphere/root";
        context_->settings().setInstallRoot(deep);
        ImportVerifyView view(*context_);
        view.resize(900, 700);
        view.show();
        QLineEdit* edit = view.installRootEdit();
        QCOMPARE(edit->text(), deep);
        QCOMPARE(edit->cursorPosition(), 0);
        QCOMPARE(edit->toolTip(), deep);
        QVERIFY(edit->width() >= 300);
        context_->settings().setInstallRoot(q(box_ / "root"));
    }

    void tamperedPackageSaysDoNotInstall()
    {
        ImportVerifyView view(*context_);
        open(view, tampered_);
        QCOMPARE(view.banner()->verdict().kind, Verdict::Kind::Bad);
        QCOMPARE(view.banner()->headline(), QString("Do not install"));
        QVERIFY(view.banner()->verdict().detail.contains("models/tinyyolo-defects-1.3.onnx"));
        FileCheckModel* files = view.fileModel();
        const int bad = files->rowOf("models/tinyyolo-defects-1.3.onnx");
        QVERIFY(bad >= 0);
        QCOMPARE(files->file(bad).state, atmo::FileState::Failed);
        QVERIFY(files->file(bad).computedSha256 != files->file(bad).expectedSha256);
        QCOMPARE(files->failureCount(), 1);
        // The others are intact, or not reached: files are hashed in
        // parallel and the check stops at the first failure.
        for (const char* p : {"config/llamafarm.yaml", "config/mission.yaml"}) {
            const atmo::FileState state = files->file(files->rowOf(p)).state;
            QVERIFY2(state == atmo::FileState::Ok || state == atmo::FileState::Pending, p);
        }
        // The signatures themselves are fine: the manifest was not touched.
        QCOMPARE(view.signatureModel()->index(0, SignatureModel::StateColumn).data().toString(), QString("Valid"));
        view.failuresOnlyBox()->setChecked(true);
        QCOMPARE(view.fileFilter()->rowCount(), 1);
        QCOMPARE(view.fileFilter()->index(0, FileCheckModel::PathColumn).data().toString(),
                 QString("models/tinyyolo-defects-1.3.onnx"));
        view.failuresOnlyBox()->setChecked(false);
        QVERIFY(!view.installButton()->isEnabled());
    }

    // A second package opened in the same view: nothing of the first one's
    // results (files, fit, summary, install) stands under the new banner.
    void openingAnotherPackageClearsTheFirstsResults()
    {
        ImportVerifyView view(*context_);
        open(view, good_);
        QVERIFY(view.summaryLabel()->text().contains("intact"));
        QVERIFY(view.fitPanel()->tierText() != QString("—"));
        view.openPackage(QString::fromStdString(tampered_.string()));
        QCOMPARE(view.banner()->verdict().kind, Verdict::Kind::Checking);
        QCOMPARE(view.fileModel()->rowCount(), 0);
        QCOMPARE(view.signatureModel()->rowCount(), 0);
        QCOMPARE(view.summaryLabel()->text(), QString("Checking the files…"));
        QCOMPARE(view.fitPanel()->tierText(), QString("—"));
        QCOMPARE(view.fitPanel()->versionText(), QString("—"));
        QVERIFY(!view.deviceFit().installable());
        QVERIFY(!view.installButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), 30000);
        QCOMPARE(view.banner()->verdict().kind, Verdict::Kind::Bad);
    }

    void foreignSignatureIsNotTrusted()
    {
        ImportVerifyView view(*context_);
        open(view, foreign_);
        QCOMPARE(view.banner()->verdict().kind, Verdict::Kind::Bad);
        const QString state = view.signatureModel()->index(0, SignatureModel::StateColumn).data().toString();
        QVERIFY2(state == "Untrusted key" || state == "Invalid", qPrintable(state));
        QCOMPARE(view.signatureModel()->index(0, SignatureModel::TrustColumn).data().toString(), QString("Not trusted"));
        QVERIFY(!view.installButton()->isEnabled());
    }

    void installAndRefuseDowngradeUnlessConfirmed()
    {
        ImportVerifyView view(*context_);
        open(view, good_);
        QCOMPARE(view.deviceFit().tier.tier, 2);
        QVERIFY(view.deviceFit().packageCoversTier);
        QSignalSpy installed(&view, &ImportVerifyView::installFinished);
        view.startInstall(false);
        QVERIFY(installed.wait(30000));
        QVERIFY2(installed.at(0).at(0).toBool(), qPrintable(view.installStatus()->text()));
        QVERIFY(view.installStatus()->text().contains("Installed version 1.1"));
        QCOMPARE(view.deviceFit().installedVersion, QString("1.1"));

        open(view, older_);
        QCOMPARE(view.banner()->verdict().kind, Verdict::Kind::Good);
        QVERIFY(view.deviceFit().downgrade);
        view.startInstall(false);
        QVERIFY(installed.wait(30000));
        QVERIFY(!installed.at(1).at(0).toBool());
        QVERIFY(view.installStatus()->text().startsWith("Not installed"));
        QCOMPARE(view.deviceFit().installedVersion, QString("1.1"));
        // The confirmation dialog: cancelling it installs nothing.
        auto answer = [](bool confirm) {
            QTimer::singleShot(0, [confirm] {
                auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
                QVERIFY(box);
                QVERIFY(box->text().contains("not newer"));
                if (!confirm) {
                    box->reject();
                    return;
                }
                for (QAbstractButton* b : box->buttons())
                    if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                        b->click();
            });
        };
        answer(false);
        view.requestInstall();
        QVERIFY(!view.isBusy());
        QCOMPARE(installed.count(), 2);
        answer(true); // the confirmed override
        view.requestInstall();
        QVERIFY(installed.wait(30000));
        QVERIFY2(installed.at(2).at(0).toBool(), qPrintable(view.installStatus()->text()));
        QCOMPARE(view.deviceFit().installedVersion, QString("1.0"));
    }

    // A delta update: the panel says what it updates and checks the base
    // in a row of its own; Install is offered only once the base is there.
    void deltaUpdateShowsItsBaseAndInstallsOntoIt()
    {
        const fs::path root = box_ / "delta-root";
        context_->settings().setInstallRoot(q(root));
        fs::copy(box_ / "mission", box_ / "mission-2.1", fs::copy_options::recursive);
        writeRandomFile(box_ / "mission-2.1/models/llama-edge-2.0.gguf", 700 * 1024, 77);
        const fs::path base = build("2.0", mesh_, box_ / "delta-out");
        atmo::TrustStore trust(box_ / "home/trust");
        atmo::CreateOptions options;
        options.missionDir = box_ / "mission-2.1";
        options.version = "2.1";
        options.outputDir = box_ / "delta-out";
        options.meshKey = mesh_;
        options.deltaFrom = base;
        options.trust = &trust;
        auto delta = atmo::createPackage(options, nullptr, atmo::CancelToken());
        QVERIFY(delta.ok());

        ImportVerifyView view(*context_);
        view.reloadSettings();
        open(view, delta->file);
        QCOMPARE(view.banner()->verdict().kind, Verdict::Kind::Good); // genuine, only not for here yet
        QCOMPARE(view.banner()->verdict().headline, QString("Genuine and intact — needs version 2.0 installed first"));
        QCOMPARE(view.fitPanel()->updateText(),
                 QString("Delta update 2.0 → 2.1: only what changed; the rest comes from the installed version"));
        const QString missing =
            "Needs version 2.0 installed; nothing of this package is installed here — use the full 2.1 package";
        QCOMPARE(view.fitPanel()->baseText(), missing);
        QVERIFY(!view.installButton()->isEnabled());
        QCOMPARE(view.installButton()->toolTip(), missing);

        atmo::InstallOptions io;
        io.root = root;
        io.trust = &trust;
        io.tier = 2;
        QVERIFY(atmo::installPackage(base, io, nullptr, atmo::CancelToken()).report.ok);
        view.reloadSettings();
        QCOMPARE(view.fitPanel()->baseText(), QString("Version 2.0 is installed as this update was made from it"));
        QCOMPARE(view.banner()->verdict().headline, QString("Genuine and intact — ready to install"));
        QVERIFY(view.installButton()->isEnabled());
        QSignalSpy installed(&view, &ImportVerifyView::installFinished);
        view.startInstall(false);
        QVERIFY(installed.wait(30000));
        QVERIFY2(installed.at(0).at(0).toBool(), qPrintable(view.installStatus()->text()));
        QCOMPARE(view.deviceFit().installedVersion, QString("2.1"));
        QCOMPARE(readFile(root / "production-inspection/2.1/models/llama-edge-2.0.gguf"),
                 readFile(box_ / "mission-2.1/models/llama-edge-2.0.gguf"));
        QCOMPARE(view.fitPanel()->baseText(), QString("Version 2.1 is already installed"));
        context_->settings().setInstallRoot(q(box_ / "root"));

        // A full package has no such rows.
        open(view, good_);
        QCOMPARE(view.fitPanel()->updateText(), QString());
        QCOMPARE(view.fitPanel()->baseText(), QString());
    }

    void reportIsSavedAsTextAndHtml()
    {
        ImportVerifyView view(*context_);
        QVERIFY(!view.saveReport(q(box_ / "none.txt")));
        open(view, tampered_);
        QVERIFY(view.saveReport(q(box_ / "r.txt")));
        QVERIFY(view.saveReport(q(box_ / "r.html")));
        const std::string text = testutil::readFile(box_ / "r.txt");
        QVERIFY(text.find("VERDICT: Do not install") != std::string::npos);
        QVERIFY(text.find("[Failed] models/tinyyolo-defects-1.3.onnx") != std::string::npos);
        QVERIFY(testutil::readFile(box_ / "r.html").find("verdict bad") != std::string::npos);
    }

    void droppingAPackageOpensIt()
    {
        MainWindow window(*context_);
        window.showView(MainWindow::KeysViewIndex);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(q(good_))});
        QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QCOMPARE(window.currentView(), MainWindow::ImportViewIndex);
        QCOMPARE(window.importView()->packageFile(), q(fs::canonical(good_)));
        QTRY_VERIFY_WITH_TIMEOUT(!window.importView()->isBusy(), 30000);
        QCOMPARE(window.importView()->banner()->verdict().kind, Verdict::Kind::Good);

        // Anything but a .atmo is refused.
        QMimeData other;
        other.setUrls({QUrl::fromLocalFile(q(box_ / "r.txt"))});
        QDragEnterEvent refuse(QPoint(50, 50), Qt::CopyAction, &other, Qt::LeftButton, Qt::NoModifier);
        refuse.setAccepted(false);
        QApplication::sendEvent(&window, &refuse);
        QVERIFY(!refuse.isAccepted());
    }
};

ATMO_TEST_MAIN(TestGuiImport)
#include "tst_gui_import.moc"
