// The Keys view: generate a key (password-protected), trust it, export its
// public key for devices, import another key and remove trust.
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include "app/StationContext.h"
#include "core/package/trust_store.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/KeysView.h"

using namespace testutil;

namespace {
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }
}

class TestGuiKeys : public QObject {
    Q_OBJECT
    Sandbox box_;

private slots:
    void initTestCase() { qputenv("ATMOSPHERE_HOME", (box_ / "home").string().c_str()); }

    void generateTrustExportRemove()
    {
        StationContext context(q(box_ / "settings.ini"));
        KeysView view(context);
        view.show();
        QCOMPARE(view.signingModel()->rowCount(), 0);
        QCOMPARE(view.trustedModel()->rowCount(), 0);
        // Empty tables say what to do instead.
        QVERIFY(view.signingEmptyLabel()->isVisible());
        QVERIFY(!view.signingTable()->isVisible());
        QVERIFY2(view.signingEmptyLabel()->text().contains("Generate a key to start signing"),
                 qPrintable(view.signingEmptyLabel()->text()));
        QVERIFY(view.trustedEmptyLabel()->isVisible());

        KeyJob* job = view.startGenerate("plant-mesh", QString("pw"), atmo::TrustRole::Mesh);
        QSignalSpy done(job, &Job::finished);
        QVERIFY(done.wait(30000));
        QVERIFY2(done.at(0).at(0).toBool(), qPrintable(view.statusLabel()->text()));
        QCOMPARE(view.signingModel()->rowCount(), 1);
        QVERIFY(view.signingTable()->isVisible());
        QVERIFY(!view.signingEmptyLabel()->isVisible());
        QVERIFY(view.trustedTable()->isVisible());
        QCOMPARE(view.signingModel()->key(0).name, QString("plant-mesh"));
        QVERIFY(view.signingModel()->key(0).encrypted);
        QCOMPARE(view.trustedModel()->rowCount(), 1);
        QCOMPARE(view.trustedModel()->key(0).role, atmo::TrustRole::Mesh);
        const QString keyId = view.signingModel()->key(0).keyId;
        QCOMPARE(QString::fromStdString(view.trustedModel()->key(0).keyId()), keyId);
        QVERIFY(view.statusLabel()->text().contains(keyId));

        // Export for devices: the stock minisign public key format.
        QString error;
        QVERIFY2(view.exportPublicKey(0, q(box_ / "export/plant-mesh.pub"), &error), qPrintable(error));
        auto exported = atmo::PublicKey::load(box_ / "export/plant-mesh.pub");
        QVERIFY(exported.ok());
        QCOMPARE(QString::fromStdString(exported->keyId()), keyId);

        // Import someone else's public key as founder.
        const auto other = makeKey();
        testutil::writeFile(box_ / "other.pub", other.publicKey().fileText("other"));
        QVERIFY(view.trustPublicKey(q(box_ / "other.pub"), atmo::TrustRole::Founder, "Founder X", &error));
        QCOMPARE(view.trustedModel()->rowCount(), 2);
        testutil::writeFile(box_ / "notes.pub", "a shopping list, not a key\n");
        QVERIFY(!view.trustPublicKey(q(box_ / "notes.pub"), atmo::TrustRole::Founder, "bad", &error));
        QCOMPARE(error, QString("notes.pub is not a minisign public key.")); // in the window's words
        QVERIFY(!view.trustPublicKey(q(box_ / "nowhere.pub"), atmo::TrustRole::Founder, "bad", &error));
        QCOMPARE(error, QString("nowhere.pub was not found."));

        // Remove trust from the founder key.
        int founderRow = -1;
        for (int r = 0; r < view.trustedModel()->rowCount(); ++r)
            if (view.trustedModel()->key(r).role == atmo::TrustRole::Founder)
                founderRow = r;
        QVERIFY(founderRow >= 0);
        QVERIFY(view.removeTrust(founderRow, &error));
        QCOMPARE(view.trustedModel()->rowCount(), 1);
        QVERIFY(!atmo::TrustStore(box_ / "home/trust").find(other.keyId()));

        // Generating the same name again is refused and changes nothing.
        KeyJob* again = view.startGenerate("plant-mesh", std::nullopt, std::nullopt);
        QSignalSpy againDone(again, &Job::finished);
        QVERIFY(againDone.wait(30000));
        QVERIFY(!againDone.at(0).at(0).toBool());
        QCOMPARE(view.signingModel()->rowCount(), 1);
    }
};

ATMO_TEST_MAIN(TestGuiKeys)
#include "tst_gui_keys.moc"
