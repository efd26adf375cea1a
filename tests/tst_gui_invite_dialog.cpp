// The window's Invite dialog: an invite is signed only with the mesh key the
// station holds, its link parses and verifies against the mesh key with the
// core's own checks, its QR code (on screen and saved) reads back with
// zbarimg to the same link, and a bad form says what is wrong.
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QComboBox>
#include <QRadioButton>
#include <QLabel>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>

#include "core/package/station_home.h"
#include "core/relay/invite.h"
#include "test_main.h"
#include "ui/InviteDialog.h"
#include "ui/QrCodeWidget.h"

namespace {

QByteArray zbar(const QString& png)
{
    QProcess p;
    p.start("zbarimg", {"--raw", "-q", "-Sdisable", "-Sqrcode.enable", png});
    if (!p.waitForFinished(30000))
        return "(zbarimg did not run: " + p.errorString().toUtf8() + ")";
    QByteArray out = p.readAllStandardOutput();
    if (out.endsWith('\n'))
        out.chop(1);
    return out;
}

std::int64_t now()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

class TstGuiInviteDialog : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void withoutMeshKeyNothingIsSigned()
    {
        atmo::StationHome home((dir_.path() + "/nokey").toStdString());
        QVERIFY(home.ensure().ok());
        InviteDialog d(home, {"local:10.0.0.5:14345"});
        QVERIFY(!d.createInvite());
        QVERIFY2(d.errorLabel()->text().contains("atmosphere"), qPrintable(d.errorLabel()->text()));
        QVERIFY(!d.errorLabel()->isHidden());
        QVERIFY(!d.invite());
        QVERIFY(d.qrCode()->isHidden());
        QString why;
        QVERIFY(!d.saveInvite(dir_.filePath("none.json"), &why));
        QVERIFY(!QFile::exists(dir_.filePath("none.json")));
    }

    void inviteVerifiesAndItsQrCodeReadsBack()
    {
        atmo::StationHome home((dir_.path() + "/founder").toStdString());
        QVERIFY(home.ensure().ok());
        QVERIFY(home.setMeshId("depot-7").ok());
        QVERIFY(home.setMeshName("depot-7", "Depot 7").ok());
        auto meshKey = home.createMeshKey("depot-7");
        QVERIFY2(meshKey.ok(), meshKey.ok() ? "" : meshKey.error().message.c_str());

        InviteDialog d(home, {"local:10.0.0.5:14345"});
        d.endpointsEdit()->appendPlainText("relay:wss://relay.example.org:8765");
        d.lifetimeCombo()->setCurrentIndex(d.lifetimeCombo()->findData(7 * 24 * 3600));
        d.resize(560, 720);
        QVERIFY2(d.createInvite(), qPrintable(d.errorLabel()->text()));

        const QString link = d.link();
        QVERIFY(link.startsWith("atmosphere://join?invite="));
        QCOMPARE(d.linkEdit()->text(), link);
        auto parsed = atmo::parseInvite(link.toStdString());
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        QCOMPARE(parsed->meshName, std::string("Depot 7"));
        QCOMPARE(parsed->token.meshId, std::string("depot-7"));
        QVERIFY(!parsed->token.nodeId); // any device
        QCOMPARE(parsed->token.expiresAt - parsed->token.issuedAt, std::int64_t(7 * 24 * 3600));
        QCOMPARE(parsed->endpoints, (std::vector<std::string>{"local:10.0.0.5:14345",
                                                              "relay:wss://relay.example.org:8765"}));
        QCOMPARE(parsed->meshPublicKey, meshKey->publicKeyBase64());
        QCOMPARE(parsed->token.issuerId, *home.nodeId());
        const atmo::Status checked = atmo::checkInvite(*parsed, now(), "0123456789abcdef");
        QVERIFY2(checked.ok(), checked.ok() ? "" : checked.error().message.c_str());

        // On screen, and saved.
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        const QString shot = dir_.filePath("dialog-qr.png");
        QVERIFY(d.qrCode()->grab().save(shot));
        QCOMPARE(zbar(shot), link.toUtf8());
        const QString saved = dir_.filePath("invite.png");
        QVERIFY(d.saveQrCode(saved));
        QCOMPARE(zbar(saved), link.toUtf8());
        const QString json = dir_.filePath("invite.json");
        QVERIFY(d.saveInvite(json));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto fromFile = atmo::parseInviteJson(f.readAll().trimmed().toStdString());
        QVERIFY(fromFile.ok());
        QCOMPARE(fromFile->token.signature, parsed->token.signature);
    }

    void boundToOneDeviceAndBadForms()
    {
        atmo::StationHome home((dir_.path() + "/founder").toStdString());
        InviteDialog d(home, {});
        // No endpoint: a device could not find the mesh.
        QVERIFY(!d.createInvite());
        QVERIFY2(d.errorLabel()->text().contains("endpoint"), qPrintable(d.errorLabel()->text()));
        d.endpointsEdit()->setPlainText("local:10.0.0.5:14345");
        // A node id that is not one.
        d.findChildren<QRadioButton*>().at(1)->setChecked(true);
        QVERIFY(d.nodeIdEdit()->isEnabled());
        d.nodeIdEdit()->setText("two words"); // a node id has no white space
        QVERIFY(!d.createInvite());
        QVERIFY(!d.errorLabel()->text().isEmpty());
        QVERIFY(!d.invite());
        d.nodeIdEdit()->setText("0123456789abcdef");
        QVERIFY2(d.createInvite(), qPrintable(d.errorLabel()->text()));
        QVERIFY(d.errorLabel()->isHidden());
        auto parsed = atmo::parseInvite(d.link().toStdString());
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->token.nodeId.value_or(""), std::string("0123456789abcdef"));
        QVERIFY(atmo::checkInvite(*parsed, now(), "0123456789abcdef").ok());
        QVERIFY(!atmo::checkInvite(*parsed, now(), "fedcba9876543210").ok()); // bound to the other device
        QVERIFY2(d.expiryLabel()->text().contains("0123456789abcdef"), qPrintable(d.expiryLabel()->text()));
    }
};

ATMO_TEST_MAIN(TstGuiInviteDialog)
#include "tst_gui_invite_dialog.moc"
