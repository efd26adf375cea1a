// --screenshot DIR: drives the real window through each view and every
// wizard page on a demo workspace and saves each as a PNG, so the look can
// be reviewed (clipped text, empty space, unreadable states) without a person
// clicking through it. Works under Xvfb and the offscreen platform.
//
// USB Export shows the drives this machine really has. Only when
// ATMOSPHERE_DRIVES_ROOT points at a stand-in /sys tree (tests/fake_sysfs.h
// describes one; its mount points are plain folders) does it also tick
// them and write the demo package: a screenshot never writes to real drives.
//
// Mesh shows a real peer: a second peer server in this process, on loopback,
// serving a few demo model files from the demo workspace; the window's own
// server runs on a free port without mDNS.
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <functional>

class MainWindow;
class QWidget;
class StationContext;
class DemoWorkspace;

class ScreenshotRenderer {
    Q_DECLARE_TR_FUNCTIONS(ScreenshotRenderer)
public:
    ScreenshotRenderer(MainWindow& window, const DemoWorkspace& demo, QString dir);

    // Returns 0 when every picture was written.
    int run();
    QStringList written() const { return written_; }
    QString error() const { return error_; }

    static bool waitFor(const std::function<bool()>& predicate, int msecs);

    // Called with each view just before it is saved (tests read what it shows).
    using Inspector = std::function<void(const QString& name, QWidget* widget)>;
    void setInspector(Inspector inspector) { inspector_ = std::move(inspector); }

private:
    bool shoot(QWidget* widget, const QString& name);
    bool fail(const QString& message);
    bool renderWizard();
    bool renderImport();
    bool renderUsbExport();
    bool renderMesh();
    bool renderInvite();

    MainWindow& window_;
    const DemoWorkspace& demo_;
    QString dir_;
    QStringList written_;
    QString error_;
    Inspector inspector_;
};
