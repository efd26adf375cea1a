#include "ui/ScreenshotRenderer.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QThread>

#include "app/DemoWorkspace.h"
#include "ui/BuildPage.h"
#include "ui/BuildView.h"
#include "ui/ContentsPage.h"
#include "ui/ImportVerifyView.h"
#include "ui/KeysView.h"
#include "ui/MainWindow.h"
#include "ui/MissionPage.h"
#include "ui/PackageWizard.h"
#include "ui/ProgressPanel.h"
#include "ui/SettingsDialog.h"
#include "ui/SigningPage.h"
#include "ui/TiersPage.h"

#include "app/Settings.h"

ScreenshotRenderer::ScreenshotRenderer(MainWindow& window, const DemoWorkspace& demo, QString dir)
    : window_(window), demo_(demo), dir_(std::move(dir))
{
}

bool ScreenshotRenderer::waitFor(const std::function<bool()>& predicate, int msecs)
{
    QElapsedTimer t;
    t.start();
    while (!predicate()) {
        if (t.elapsed() > msecs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

bool ScreenshotRenderer::fail(const QString& message)
{
    error_ = message;
    return false;
}

bool ScreenshotRenderer::shoot(QWidget* widget, const QString& name)
{
    // Let layouts, fonts and icons settle.
    waitFor([] { return false; }, 150);
    const QString file = dir_ + QLatin1Char('/') + name + QStringLiteral(".png");
    if (!widget->grab().save(file))
        return fail(tr("Cannot write %1").arg(file));
    written_ << file;
    return true;
}

bool ScreenshotRenderer::renderWizard()
{
    window_.showView(MainWindow::BuildViewIndex);
    PackageWizard* wizard = window_.buildView()->openWizard();
    wizard->missionPage()->dirEdit()->setText(demo_.missionDir);
    if (!waitFor([&] { return wizard->missionPage()->isComplete(); }, 10000))
        return fail(tr("The mission page did not accept the demo mission"));
    if (!shoot(wizard, QStringLiteral("02-wizard-mission")))
        return false;
    wizard->next();
    if (!waitFor([&] { return wizard->contentsPage()->isComplete(); }, 10000))
        return fail(tr("The contents page did not finish reading"));
    if (!shoot(wizard, QStringLiteral("03-wizard-contents")))
        return false;
    wizard->next();
    if (QCheckBox* tier1 = wizard->tiersPage()->tierBox(1))
        tier1->setChecked(true);
    if (!shoot(wizard, QStringLiteral("04-wizard-tiers")))
        return false;
    wizard->next();
    wizard->signingPage()->selectKey(wizard->signingPage()->meshCombo(), demo_.meshKeyFile);
    wizard->signingPage()->founderBox()->setChecked(true);
    wizard->signingPage()->selectKey(wizard->signingPage()->founderCombo(), demo_.founderKeyFile);
    wizard->signingPage()->setPasswordProvider([](const QString&, const QString&) { return QStringLiteral("demo"); });
    if (!shoot(wizard, QStringLiteral("05-wizard-signing")))
        return false;
    wizard->next();
    BuildPage* build = wizard->buildPage();
    waitFor([&] { return build->progressPanel()->isVisible() && !build->progressPanel()->speedText().isEmpty(); }, 3000);
    if (build->isBuilding() && !shoot(wizard, QStringLiteral("06-wizard-building")))
        return false;
    if (!waitFor([&] { return !build->isBuilding(); }, 120000))
        return fail(tr("The build did not finish"));
    if (!build->succeeded())
        return fail(tr("The build failed: %1").arg(build->statusLabel()->text()));
    if (!shoot(wizard, QStringLiteral("07-wizard-built")))
        return false;
    wizard->accept();
    return true;
}

bool ScreenshotRenderer::renderImport()
{
    ImportVerifyView* view = window_.importView();
    window_.showView(MainWindow::ImportViewIndex);
    view->failuresOnlyBox()->setChecked(false);
    if (!shoot(&window_, QStringLiteral("08-import-empty")))
        return false;
    window_.openPackage(demo_.goodPackage);
    if (!waitFor([&] { return !view->isBusy(); }, 60000))
        return fail(tr("Verification did not finish"));
    if (!shoot(&window_, QStringLiteral("09-import-good")))
        return false;
    window_.openPackage(demo_.tamperedPackage);
    if (!waitFor([&] { return !view->isBusy(); }, 60000))
        return fail(tr("Verification did not finish"));
    if (!shoot(&window_, QStringLiteral("10-import-tampered")))
        return false;
    view->failuresOnlyBox()->setChecked(true);
    if (!shoot(&window_, QStringLiteral("11-import-tampered-failures")))
        return false;
    view->failuresOnlyBox()->setChecked(false);
    return true;
}

int ScreenshotRenderer::run()
{
    QDir().mkpath(dir_);
    window_.resize(1200, 800);
    window_.show();
    window_.showView(MainWindow::BuildViewIndex);
    bool ok = shoot(&window_, QStringLiteral("01-build")) && renderWizard();
    if (ok) {
        window_.buildView()->reload();
        ok = shoot(&window_, QStringLiteral("01-build-with-packages")) && renderImport();
    }
    if (ok) {
        window_.showView(MainWindow::KeysViewIndex);
        ok = shoot(&window_, QStringLiteral("12-keys"));
    }
    if (ok) {
        Settings settings(dir_ + QStringLiteral("/.settings.ini"));
        SettingsDialog dialog(settings, &window_);
        dialog.show();
        ok = shoot(&dialog, QStringLiteral("13-settings"));
        dialog.close();
        QFile::remove(dir_ + QStringLiteral("/.settings.ini"));
    }
    return ok ? 0 : 1;
}
