// core/ must stay Qt-free: no file there may include a Qt header.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include "test_main.h"

// A normal string literal: moc's tokenizer trips over a raw string holding a quote.
static const char* const kQtIncludePattern = "^\\s*#\\s*include\\s*[<\"](Q[A-Za-z]+|Qt[A-Za-z]*/)";

class CoreQtFree : public QObject {
    Q_OBJECT
private slots:
    void noQtIncludes()
    {
        const QString core = qEnvironmentVariable("ATMO_SOURCE_DIR") + "/core";
        QVERIFY2(QFileInfo(core).isDir(), qPrintable(core + " not found"));
        const QRegularExpression qtInclude(kQtIncludePattern,
                                           QRegularExpression::MultilineOption);
        int files = 0;
        QStringList offenders;
        QDirIterator it(core, {"*.h", "*.cpp"}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            ++files;
            if (qtInclude.match(QString::fromUtf8(f.readAll())).hasMatch())
                offenders << path;
        }
        QVERIFY2(files > 10, "too few core files found; is ATMO_SOURCE_DIR right?");
        QVERIFY2(offenders.isEmpty(), qPrintable("Qt includes in core: " + offenders.join(", ")));
    }

    void detectorWorks()
    {
        // The pattern must catch what it is meant to catch.
        const QRegularExpression qtInclude(kQtIncludePattern,
                                           QRegularExpression::MultilineOption);
        QVERIFY(qtInclude.match("#include <QString>").hasMatch());
        QVERIFY(qtInclude.match("  #  include \"QtCore/qglobal.h\"").hasMatch());
        QVERIFY(!qtInclude.match("#include <string>").hasMatch());
        QVERIFY(!qtInclude.match("// #include <QString> is forbidden").hasMatch());
    }
};

ATMO_TEST_GUILESS_MAIN(CoreQtFree)
#include "tst_core_qt_free.moc"
