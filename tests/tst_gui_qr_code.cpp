// The invite's QR code must be readable by a camera's decoder: each image is
// read back with zbarimg (zbar-tools, a real QR reader) and must give the
// exact text, case included. Both the code's own image and what the widget
// paints on screen are read.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "test_main.h"
#include "ui/QrCode.h"
#include "ui/QrCodeWidget.h"

namespace {

// An invite-sized link: base64url of a JSON invite runs to several hundred
// characters, upper and lower case and '-' '_'.
QByteArray inviteSizedLink()
{
    QByteArray payload;
    const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < 700; ++i)
        payload += alphabet.at((i * 37 + 11) % alphabet.size());
    return "atmosphere://join?invite=" + payload;
}

} // namespace

class TstGuiQrCode : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    // What zbarimg reads in the image; fails the test when it cannot run.
    QByteArray decode(const QImage& image, const QString& name)
    {
        const QString file = dir_.filePath(name);
        if (!image.save(file, "PNG"))
            return "(not saved)";
        QProcess zbar;
        zbar.start("zbarimg", {"--raw", "-q", "-Sdisable", "-Sqrcode.enable", file});
        if (!zbar.waitForFinished(30000))
            return "(zbarimg did not run: " + zbar.errorString().toUtf8() + ")";
        QByteArray out = zbar.readAllStandardOutput();
        if (out.endsWith('\n'))
            out.chop(1);
        return out;
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void codeReadsBackExactly()
    {
        const QByteArray link = inviteSizedLink();
        QrCode code(link);
        QVERIFY2(!code.isNull(), qPrintable(code.error()));
        const QImage img = code.image(6);
        QCOMPARE(img.width(), code.modules() * 6);
        // The quiet zone is white on every side.
        for (int i = 0; i < QrCode::kQuietZoneModules * 6; ++i) {
            QCOMPARE(img.pixelColor(i, img.height() / 2), QColor(Qt::white));
            QCOMPARE(img.pixelColor(img.width() / 2, img.height() - 1 - i), QColor(Qt::white));
        }
        QCOMPARE(decode(img, "code.png"), link);
    }

    void widgetPaintsAReadableCode()
    {
        const QByteArray link = inviteSizedLink();
        QrCodeWidget w;
        w.setText(link);
        w.resize(420, 300); // not square: the code is centred in whole pixels per module
        const QImage shot = w.grab().toImage();
        QCOMPARE(decode(shot, "widget.png"), link);
        QVERIFY(w.toolTip().isEmpty());
    }

    void tooLongSaysSo()
    {
        QrCode code(QByteArray(5000, 'a'));
        QVERIFY(code.isNull());
        QVERIFY2(code.error().contains("too long"), qPrintable(code.error()));
        QrCodeWidget w;
        w.setText(QByteArray(5000, 'a'));
        QCOMPARE(w.toolTip(), code.error());
    }
};

ATMO_TEST_MAIN(TstGuiQrCode)
#include "tst_gui_qr_code.moc"
