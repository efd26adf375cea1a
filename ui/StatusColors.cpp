#include "ui/StatusColors.h"

#include <QGuiApplication>

#include <algorithm>
#include <cmath>

namespace {

const QColor kRedOnLight(0xb3, 0x26, 0x1e);
const QColor kRedOnDark(0xf2, 0xb8, 0xb5);
const QColor kAmberOnLight(0x8a, 0x53, 0x00);
const QColor kAmberOnDark(0xf5, 0xc2, 0x6b);

// WCAG 2 relative luminance.
double luminance(const QColor& c)
{
    auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

namespace StatusColors {

QColor error(const QPalette& palette)
{
    // Whichever red stands out more from the window: the dark one on light
    // themes, the light one on dark themes.
    const QColor window = palette.color(QPalette::Window);
    return contrast(kRedOnDark, window) > contrast(kRedOnLight, window) ? kRedOnDark : kRedOnLight;
}

QColor error() { return error(QGuiApplication::palette()); }

QString errorStyle(bool bold)
{
    return QStringLiteral("color:%1%2").arg(error().name(), bold ? QStringLiteral(";font-weight:bold") : QString());
}

QColor warning(const QPalette& palette)
{
    const QColor window = palette.color(QPalette::Window);
    return contrast(kAmberOnDark, window) > contrast(kAmberOnLight, window) ? kAmberOnDark : kAmberOnLight;
}

QColor warning() { return warning(QGuiApplication::palette()); }

QString warningStyle() { return QStringLiteral("color:%1").arg(warning().name()); }

QColor errorFill() { return kRedOnLight; }

QColor success() { return QColor(0x1e, 0x7b, 0x34); }

} // namespace StatusColors
