// The window's persistent settings over QSettings: one typed accessor per
// key so keys are spelled once. Passwords are never stored.
#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>

#include <memory>

class Settings {
public:
    Settings();                                    // the application's QSettings
    explicit Settings(const QString& iniFile);     // a given file (tests)

    QString language() const;                      // "" = follow the system locale
    void setLanguage(const QString& code);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    int currentView() const;
    void setCurrentView(int index);

    QString lastMissionDir() const;
    void setLastMissionDir(const QString& dir);
    QString outputDir() const;                     // default: StationPaths::packagesDir()
    void setOutputDir(const QString& dir);
    QString installRoot() const;                   // default: StationPaths::defaultInstallRoot()
    void setInstallRoot(const QString& dir);
    QString lastOpenDir() const;
    void setLastOpenDir(const QString& dir);
    QString meshKeyFile() const;
    void setMeshKeyFile(const QString& file);
    QString founderKeyFile() const;
    void setFounderKeyFile(const QString& file);
    bool failuresOnly() const;
    void setFailuresOnly(bool on);

    void sync();

private:
    std::unique_ptr<QSettings> s_;
};
