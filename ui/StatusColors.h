// The colour of error text, in one place. A fixed dark red (#b3261e) is
// readable on a light window but nearly black-on-black on a dark theme, so
// the red comes from the window's palette: that red on light windows, a
// light red (#f2b8b5) on dark ones, whichever contrasts more with the
// window colour (at least 4.5:1 on light and dark themes,
// tests/tst_gui_status_colors).
#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

namespace StatusColors {

// A red for error text readable on `palette`'s window colour (the
// application's palette when none is given).
QColor error(const QPalette& palette);
QColor error();

// "color:<error()>" for setStyleSheet, with font-weight:bold when asked.
QString errorStyle(bool bold = false);

// The fill of a "bad" banner that carries white text, on any theme.
QColor errorFill();

// An amber for warnings (a peer problem, something to fix that does not stop
// the work), readable on `palette`'s window colour like error().
QColor warning(const QPalette& palette);
QColor warning();
QString warningStyle();

// The green of a finished progress bar and of a "verified" mark (#1e7b34).
QColor success();

} // namespace StatusColors
