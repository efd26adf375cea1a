// The station's name in the Settings dialog: shown from the station home,
// the default (host name) as the placeholder, kept in <home>/station/name
// where `atmosphere serve` reads it; a name that cannot be a node name is
// refused with the reason, nothing written.
#include <QLabel>
#include <QLineEdit>
#include <QTest>

#include "app/Settings.h"
#include "core/package/station_home.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/SettingsDialog.h"

using namespace testutil;

class TestGuiSettings : public QObject {
    Q_OBJECT
    Sandbox box_;

private slots:
    // The dialog works in the home it is given, not in $ATMOSPHERE_HOME.
    void initTestCase() { qputenv("ATMOSPHERE_HOME", (box_ / "elsewhere").string().c_str()); }

    void stationNameIsKeptInTheHome()
    {
        Settings settings(QString::fromStdString((box_ / "settings.ini").string()));
        atmo::StationHome home(box_ / "home");
        const std::string nodeId = *home.nodeId();
        {
            SettingsDialog dialog(settings, home);
            QCOMPARE(dialog.nameEdit()->text(), QString());
            QCOMPARE(dialog.nameEdit()->placeholderText(),
                     QString::fromStdString(atmo::StationHome::defaultNodeName(nodeId)));
            QVERIFY(!dialog.nameEdit()->accessibleName().isEmpty());
            dialog.nameEdit()->setText("  gateway-01 ");
            dialog.accept();
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
            QVERIFY(dialog.meshChanged()); // the mesh restarts under the new name
        }
        QCOMPARE(readFile(box_ / "home/station/name"), std::string("gateway-01\n"));
        QCOMPARE(home.nodeName(nodeId), std::string("gateway-01"));
        {
            SettingsDialog dialog(settings, home);
            QCOMPARE(dialog.nameEdit()->text(), QString("gateway-01"));
            dialog.accept();
            QVERIFY(!dialog.meshChanged());
        }
        {
            SettingsDialog dialog(settings, home);
            dialog.nameEdit()->setText(QString(70, 'x'));
            dialog.accept();
            QCOMPARE(dialog.result(), int(QDialog::Rejected)); // still open
            bool told = false;
            for (QLabel* label : dialog.findChildren<QLabel*>())
                told = told || (label->isVisibleTo(&dialog) && label->text().contains("63 bytes"));
            QVERIFY(told);
            QCOMPARE(readFile(box_ / "home/station/name"), std::string("gateway-01\n"));
            dialog.nameEdit()->clear(); // back to the default
            dialog.accept();
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
        }
        QVERIFY(!fs::exists(box_ / "home/station/name"));
        QCOMPARE(home.nodeName(nodeId), atmo::StationHome::defaultNodeName(nodeId));
        QVERIFY(!fs::exists(box_ / "elsewhere"));
    }
};

ATMO_TEST_MAIN(TestGuiSettings)
#include "tst_gui_settings.moc"
