// Error text takes its red from the palette (ui/StatusColors.h): the fixed
// #b3261e the views used was unreadable on a dark theme.
#include <QApplication>
#include <QLabel>
#include <QtTest>

#include <cmath>

#include "test_main.h"
#include "ui/StatusColors.h"

namespace {

// WCAG 2 relative luminance and contrast ratio.
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

QPalette windowPalette(const QColor& window)
{
    QPalette p;
    p.setColor(QPalette::Window, window);
    return p;
}

} // namespace

class StatusColorsTest : public QObject {
    Q_OBJECT
private slots:
    void readableOnLightAndDarkWindows_data()
    {
        QTest::addColumn<QColor>("window");
        QTest::newRow("white") << QColor(Qt::white);
        QTest::newRow("Fusion light") << QColor(0xef, 0xef, 0xef);
        QTest::newRow("Breeze light") << QColor(0xef, 0xf0, 0xf1);
        QTest::newRow("Breeze dark") << QColor(0x31, 0x36, 0x3b);
        QTest::newRow("Fusion dark") << QColor(0x35, 0x35, 0x35);
        QTest::newRow("Adwaita dark") << QColor(0x24, 0x24, 0x24);
        QTest::newRow("black") << QColor(Qt::black);
        // Mid greys (#5a5a5a to #c0c0c0) leave no red 4.5:1 from them; no
        // theme we know uses one for its windows.
    }

    void readableOnLightAndDarkWindows()
    {
        QFETCH(QColor, window);
        const QColor red = StatusColors::error(windowPalette(window));
        QVERIFY2(contrast(red, window) >= 4.5,
                 qPrintable(QString("%1 on %2: %3:1").arg(red.name(), window.name()).arg(contrast(red, window))));
        QVERIFY(red.red() > red.green() && red.red() > red.blue()); // still a red
        // The warning amber (peer problems, the Mesh view's warning line) too.
        const QColor amber = StatusColors::warning(windowPalette(window));
        QVERIFY2(contrast(amber, window) >= 4.5,
                 qPrintable(QString("%1 on %2: %3:1").arg(amber.name(), window.name()).arg(contrast(amber, window))));
        QVERIFY(amber.red() > amber.green() && amber.green() > amber.blue()); // still an amber
    }

    void theOldFixedRedFailedOnDark()
    {
        // What the check above guards against.
        QVERIFY(contrast(QColor(0xb3, 0x26, 0x1e), QColor(0x31, 0x36, 0x3b)) < 4.5);
        QVERIFY(contrast(QColor(0x8a, 0x53, 0x00), QColor(0x31, 0x36, 0x3b)) < 4.5); // the old fixed amber
        QCOMPARE(StatusColors::error(windowPalette(Qt::white)), QColor(0xb3, 0x26, 0x1e));
    }

    void styleFollowsTheApplicationPalette()
    {
        const QPalette saved = QApplication::palette();
        QApplication::setPalette(windowPalette(QColor(0x24, 0x24, 0x24)));
        const QString dark = StatusColors::errorStyle(true);
        QApplication::setPalette(windowPalette(Qt::white));
        const QString light = StatusColors::errorStyle();
        QApplication::setPalette(saved);
        QCOMPARE(light, QStringLiteral("color:#b3261e"));
        QVERIFY(dark.startsWith("color:#") && dark.endsWith(";font-weight:bold"));
        QVERIFY(dark != light + ";font-weight:bold");
        QLabel label;
        label.setStyleSheet(dark); // a valid style sheet: Qt warns otherwise
        label.ensurePolished();
    }
};

ATMO_TEST_MAIN(StatusColorsTest)
#include "tst_gui_status_colors.moc"
