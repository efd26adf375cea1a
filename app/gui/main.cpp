// atmosphere-station: the composition root of the desktop application.
//   atmosphere-station [PACKAGE.atmo]      open the window (and a package)
//   atmosphere-station --screenshot DIR    render every view on a demo
//                                          workspace to DIR/*.png and exit
//   --lang CODE                            use this language for this run
//   --home DIR                             the station home (default:
//                                          $ATMOSPHERE_HOME, else the XDG data
//                                          folder; the CLI's rule)
//   --help, --version                      answered with no display needed
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTemporaryDir>

#include <cstdio>

#include "app/DemoWorkspace.h"
#include "app/PathConversion.h"
#include "app/StationContext.h"
#include "core/package/station_home.h"
#include "ui/Icons.h"
#include "ui/MainWindow.h"
#include "ui/ScreenshotRenderer.h"

namespace {

struct Options {
    QCommandLineOption screenshot{QStringLiteral("screenshot"),
                                  QStringLiteral("Render every view on a demo workspace to DIR and exit."),
                                  QStringLiteral("DIR")};
    QCommandLineOption lang{QStringLiteral("lang"), QStringLiteral("Language for this run (en, de)."),
                            QStringLiteral("CODE")};
    QCommandLineOption home{QStringLiteral("home"),
                            QStringLiteral("Station home directory (default: $ATMOSPHERE_HOME or the user's data dir)."),
                            QStringLiteral("DIR")};

    void addTo(QCommandLineParser& parser) const
    {
        parser.setApplicationDescription(QStringLiteral("Builds, verifies and installs signed Atmosphere packages."));
        parser.addOption(screenshot);
        parser.addOption(lang);
        parser.addOption(home);
        parser.addPositionalArgument(QStringLiteral("package"), QStringLiteral("A .atmo package to open."),
                                     QStringLiteral("[PACKAGE.atmo]"));
    }
};

// --help and --version answer before any window system is touched, so they
// work over ssh, in a package's checks and on a server with no display.
int answeredWithoutDisplay(int argc, char** argv)
{
    bool help = false, version = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "--")
            break;
        help = help || a == "--help" || a == "-h" || a == "--help-all";
        version = version || a == "--version" || a == "-v";
    }
    if (version && !help) {
        std::printf("atmosphere-station %s\n", ATMO_VERSION);
        return 0;
    }
    if (!help)
        return -1;
    QCommandLineParser parser;
    Options().addTo(parser);
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help and exit.")});
    parser.addOption({{QStringLiteral("v"), QStringLiteral("version")}, QStringLiteral("Show the version and exit.")});
    parser.addOption({QStringLiteral("platform"),
                      QStringLiteral("Qt's window system plugin (xcb, wayland, offscreen); see Qt's documentation "
                                     "for its other options."),
                      QStringLiteral("NAME")});
    QString text = parser.helpText();
    text.replace(0, text.indexOf(QLatin1Char('\n')), QStringLiteral("Usage: atmosphere-station [options] [PACKAGE.atmo]"));
    std::printf("%s", qPrintable(text));
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (const int rc = answeredWithoutDisplay(argc, argv); rc >= 0)
        return rc;
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Atmosphere"));
    QApplication::setApplicationName(QStringLiteral("atmosphere-station"));
    QApplication::setApplicationDisplayName(QStringLiteral("Atmosphere Station"));
    QApplication::setApplicationVersion(QStringLiteral(ATMO_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.atmosphere.station"));
    Icons::init();
    QApplication::setWindowIcon(Icons::application());

    QCommandLineParser parser;
    const Options options;
    options.addTo(parser);
    parser.process(app);
    const QCommandLineOption& screenshot = options.screenshot;
    const QCommandLineOption& lang = options.lang;
    const QCommandLineOption& home = options.home;

    // The home by the core's rule, as the CLI resolves it: --home, else the
    // standard one (XDG data, config and cache folders).
    const auto resolved = atmo::StationHome::resolve(parser.isSet(home) ? std::optional(parser.value(home).toStdString())
                                                                        : std::nullopt);
    if (!resolved) {
        std::fprintf(stderr, "atmosphere-station: %s\n", resolved.message().c_str());
        return 2;
    }
    atmo::StationHome stationHome = *resolved;
    const std::filesystem::path root = stationHome.root();

    // The screenshot mode works in a throw-away home (or the --home given)
    // and settings file so it never touches the user's keys, trust store or
    // preferences.
    QTemporaryDir scratch;
    DemoWorkspace demo;
    QString settingsFile;
    if (parser.isSet(screenshot)) {
        const QString error = demo.create(scratch.path(), true, parser.isSet(home) ? fromFsPath(root) : QString());
        if (!error.isEmpty()) {
            std::fprintf(stderr, "atmosphere-station: demo workspace: %s\n", qPrintable(error));
            return 1;
        }
        stationHome = atmo::StationHome(toFsPath(demo.homeDir));
        settingsFile = scratch.path() + QStringLiteral("/settings.ini");
    } else {
        for (const std::string& line : stationHome.moveToStandardPlaces())
            std::fprintf(stderr, "atmosphere-station: note: %s\n", line.c_str());
        if (auto ready = stationHome.ensure(); !ready) {
            std::fprintf(stderr, "atmosphere-station: %s\n", ready.message().c_str());
            return 1;
        }
    }

    StationContext context(stationHome, settingsFile);
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
    window.startRelay(); // stay joined to the mesh on the relay, if this station is in one
    if (!parser.positionalArguments().isEmpty())
        window.openPackage(parser.positionalArguments().constFirst());
    return app.exec();
}
