// The desktop integration files: the launcher starts the real binary with
// the icon that ships in resources/, declares the .atmo MIME type that the
// MIME file defines, and the AppStream metadata validates. Launcher and
// metadata are named after the AppStream id (io.atmosphere.station), which
// is also the name the window gives the desktop (setDesktopFileName), so
// software centres and Wayland compositors tie the three together.
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

#include "test_main.h"

class TestDesktopEntry : public QObject {
    Q_OBJECT
    QString dir(const QString& rel) { return QString::fromLocal8Bit(qgetenv("ATMO_SOURCE_DIR")) + "/" + rel; }

private slots:
    void launcherMatchesTheProgram()
    {
        QFile f(dir("installer/io.atmosphere.station.desktop"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY(text.startsWith("[Desktop Entry]\n"));
        QVERIFY(text.contains("\nType=Application\n"));
        QVERIFY(text.contains("\nExec=atmosphere-station %f\n"));
        QVERIFY(text.contains("\nIcon=atmosphere-station\n"));
        QVERIFY(text.contains("MimeType=application/x-atmosphere-package;"));
        QVERIFY(QFile::exists(dir("resources/icons/atmosphere-station.svg")));
        QFile mime(dir("installer/atmosphere-station.xml"));
        QVERIFY(mime.open(QIODevice::ReadOnly));
        const QByteArray m = mime.readAll();
        QVERIFY(m.contains("type=\"application/x-atmosphere-package\""));
        QVERIFY(m.contains("pattern=\"*.atmo\""));
    }

    void appstreamMetadataValidates()
    {
        const QString tool = QStandardPaths::findExecutable("appstreamcli");
        if (tool.isEmpty())
            QSKIP("appstreamcli is not installed");
        QProcess p;
        p.start(tool, {"validate", "--no-net", dir("installer/io.atmosphere.station.metainfo.xml")});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardOutput().constData());
        QFile f(dir("installer/io.atmosphere.station.metainfo.xml"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray meta = f.readAll();
        QVERIFY(meta.contains("<id>io.atmosphere.station</id>"));
        QVERIFY(meta.contains("<launchable type=\"desktop-id\">io.atmosphere.station.desktop</launchable>"));
    }

    void launcherValidates()
    {
        const QString tool = QStandardPaths::findExecutable("desktop-file-validate");
        if (tool.isEmpty())
            QSKIP("desktop-file-validate is not installed (package desktop-file-utils)");
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(tool, {dir("installer/io.atmosphere.station.desktop")});
        QVERIFY(p.waitForFinished(60000));
        const QByteArray out = p.readAll();
        QVERIFY2(p.exitCode() == 0 && out.trimmed().isEmpty(), out.constData());
    }
};

ATMO_TEST_GUILESS_MAIN(TestDesktopEntry)
#include "tst_desktop_entry.moc"
