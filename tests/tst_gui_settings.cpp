// The station's name in the Settings dialog: shown from the station home,
// the default (host name) as the placeholder, kept in <home>/station/name
// where `atmosphere serve` reads it; a name that cannot be a node name is
// refused with the reason, nothing written. The caps for what the station
// sends through the mesh's relay: the protocol's by default, changed, off.
#include <QCheckBox>
#include <QDoubleSpinBox>
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

    void relaySendCaps()
    {
        Settings settings(QString::fromStdString((box_ / "relay.ini").string()));
        atmo::StationHome home(box_ / "home");
        const atmo::RelayCaps defaults = settings.relaySendCaps();
        QVERIFY(defaults.enabled);
        QCOMPARE(defaults.mediumBitsPerSecond, std::uint64_t(5'000'000));
        QCOMPARE(defaults.largeBitsPerSecond, std::uint64_t(2'000'000));
        {
            SettingsDialog dialog(settings, home);
            QVERIFY(dialog.relayCapsBox()->isChecked());
            QCOMPARE(dialog.relayCapBox(0)->value(), 5.0);
            QCOMPARE(dialog.relayCapBox(1)->value(), 2.0);
            dialog.accept();
            QVERIFY(!dialog.relayCapsChanged());
        }
        {
            SettingsDialog dialog(settings, home);
            dialog.relayCapBox(0)->setValue(8.5);
            dialog.relayCapBox(1)->setValue(3);
            dialog.accept();
            QVERIFY(dialog.relayCapsChanged());
        }
        QCOMPARE(settings.relaySendCaps().mediumBitsPerSecond, std::uint64_t(8'500'000));
        QCOMPARE(settings.relaySendCaps().largeBitsPerSecond, std::uint64_t(3'000'000));
        {
            SettingsDialog dialog(settings, home);
            dialog.relayCapsBox()->setChecked(false);
            QVERIFY(!dialog.relayCapBox(0)->isEnabled());
            dialog.accept();
            QVERIFY(dialog.relayCapsChanged());
        }
        QVERIFY(!settings.relaySendCaps().enabled);
        QCOMPARE(atmo::relayRateFor(settings.relaySendCaps(), 100'000'000), std::uint64_t(0)); // off: unlimited
    }
};

ATMO_TEST_MAIN(TestGuiSettings)
#include "tst_gui_settings.moc"
