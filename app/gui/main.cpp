// atmosphere-station: the composition root of the desktop application.
//   atmosphere-station [PACKAGE.atmo]      open the window (and a package)
//   atmosphere-station --screenshot DIR    render every view on a demo
//                                          workspace to DIR/*.png and exit
//   --lang CODE                            use this language for this run
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTemporaryDir>

#include <cstdio>

#include "app/DemoWorkspace.h"
#include "app/StationContext.h"
#include "ui/Icons.h"
#include "ui/MainWindow.h"
#include "ui/ScreenshotRenderer.h"

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Atmosphere"));
    QApplication::setApplicationName(QStringLiteral("atmosphere-station"));
    QApplication::setApplicationDisplayName(QStringLiteral("Atmosphere Station"));
    QApplication::setApplicationVersion(QStringLiteral(ATMO_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("atmosphere-station"));
    Icons::init();
    QApplication::setWindowIcon(Icons::application());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Builds, verifies and installs signed Atmosphere packages."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Render every view on a demo workspace to DIR and exit."),
                                  QStringLiteral("DIR"));
    QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("Language for this run (en, de)."),
                            QStringLiteral("CODE"));
    parser.addOption(screenshot);
    parser.addOption(lang);
    parser.addPositionalArgument(QStringLiteral("package"), QStringLiteral("A .atmo package to open."));
    parser.process(app);

    // The screenshot mode works in a throw-away home and settings file so it
    // never touches the user's keys, trust store or preferences.
    QTemporaryDir scratch;
    DemoWorkspace demo;
    QString settingsFile;
    if (parser.isSet(screenshot)) {
        const QString error = demo.create(scratch.path());
        if (!error.isEmpty()) {
            std::fprintf(stderr, "atmosphere-station: demo workspace: %s\n", qPrintable(error));
            return 1;
        }
        qputenv("ATMOSPHERE_HOME", QFile::encodeName(demo.homeDir));
        settingsFile = scratch.path() + QStringLiteral("/settings.ini");
    }

    StationContext context(settingsFile);
    if (parser.isSet(screenshot))
        context.settings().setOutputDir(demo.outputDir);
    context.language().apply(parser.isSet(lang) ? parser.value(lang) : context.settings().language());

    MainWindow window(context);
    if (parser.isSet(screenshot)) {
        ScreenshotRenderer renderer(window, demo, QDir(parser.value(screenshot)).absolutePath());
        const int rc = renderer.run();
        for (const QString& f : renderer.written())
            std::printf("%s\n", qPrintable(f));
        if (rc != 0)
            std::fprintf(stderr, "atmosphere-station: screenshot: %s\n", qPrintable(renderer.error()));
        return rc;
    }
    window.show();
    window.startMesh(); // serve, advertise and browse as the settings say
    if (!parser.positionalArguments().isEmpty())
        window.openPackage(parser.positionalArguments().constFirst());
    return app.exec();
}
