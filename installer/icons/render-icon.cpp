// Renders the application's SVG icon to a square PNG of one size, for the
// hicolor icon theme (installer/CMakeLists.txt runs it at build time):
//   atmo-render-icon ICON.svg SIZE OUT.png
// Qt Svg draws it, as the window draws the same icon at run time.
#include <QDir>
#include <QFileInfo>
#include <QCoreApplication>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char** argv)
{
    // Painting on a QImage needs no display, nor a QGuiApplication.
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    bool sizeOk = false;
    const int size = args.size() == 4 ? args[2].toInt(&sizeOk) : 0;
    if (!sizeOk || size < 1 || size > 4096) {
        std::fprintf(stderr, "usage: atmo-render-icon ICON.svg SIZE OUT.png (SIZE 1 to 4096)\n");
        return 2;
    }
    QSvgRenderer svg(args[1]);
    if (!svg.isValid()) {
        std::fprintf(stderr, "atmo-render-icon: %s: not a readable SVG image\n", qPrintable(args[1]));
        return 1;
    }
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        svg.render(&painter, QRectF(0, 0, size, size));
    }
    QDir().mkpath(QFileInfo(args[3]).absolutePath());
    QSaveFile out(args[3]);
    if (!out.open(QIODevice::WriteOnly) || !image.save(&out, "PNG") || !out.commit()) {
        std::fprintf(stderr, "atmo-render-icon: %s: cannot write: %s\n", qPrintable(args[3]), qPrintable(out.errorString()));
        return 1;
    }
    return 0;
}
