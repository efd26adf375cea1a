#include "ui/StatusColors.h"

#include <QGuiApplication>

namespace {

const QColor kRedOnLight(0xb3, 0x26, 0x1e);
const QColor kRedOnDark(0xf2, 0xb8, 0xb5);

} // namespace

namespace StatusColors {

QColor error(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightnessF() < 0.5 ? kRedOnDark : kRedOnLight;
}

QColor error() { return error(QGuiApplication::palette()); }

QString errorStyle(bool bold)
{
    return QStringLiteral("color:%1%2").arg(error().name(), bold ? QStringLiteral(";font-weight:bold") : QString());
}

QColor errorFill() { return kRedOnLight; }

} // namespace StatusColors
