// The station's window: a sidebar (Build, Import & Verify, Keys) over a
// stack of views, menus with shortcuts for the main actions, drag and drop
// of .atmo files, progress in the title bar, geometry kept across runs.
#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;
class BuildView;
class ImportVerifyView;
class KeysView;
class StationContext;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum View { BuildViewIndex, ImportViewIndex, KeysViewIndex, ViewCount };

    explicit MainWindow(StationContext& context, QWidget* parent = nullptr);

    void showView(View view);
    View currentView() const;
    void openPackage(const QString& file);  // switches to Import & Verify

    BuildView* buildView() const { return build_; }
    ImportVerifyView* importView() const { return import_; }
    KeysView* keysView() const { return keys_; }
    QListWidget* sidebar() const { return sidebar_; }

    static bool isPackageUrl(const QUrl& url);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void setProgressTitle(const QString& text);
    void showSettings();
    void showAbout();

    StationContext& context_;
    QListWidget* sidebar_;
    QStackedWidget* stack_;
    BuildView* build_;
    ImportVerifyView* import_;
    KeysView* keys_;
};
