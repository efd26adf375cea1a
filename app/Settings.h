// The window's persistent settings over QSettings: one typed accessor per
// key so keys are spelled once. Passwords are never stored.
#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

#include <memory>

#include "core/transfer/relay_caps.h"
#include "core/package/station_home.h"
#include "core/transfer/transfer_queue.h"

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
    // The defaults that live in the station home: <home>/packages for
    // outputDir(), <home>/installed for installRoot(); without a home both
    // default to "".
    void setHomeDefaults(const atmo::StationHome& home);

    QString outputDir() const;                     // default: <home>/packages
    void setOutputDir(const QString& dir);
    QString installRoot() const;                   // default: <home>/installed
    void setInstallRoot(const QString& dir);
    QString lastOpenDir() const;
    void setLastOpenDir(const QString& dir);
    QString meshKeyFile() const;
    void setMeshKeyFile(const QString& file);
    QString founderKeyFile() const;
    void setFounderKeyFile(const QString& file);
    bool failuresOnly() const;
    void setFailuresOnly(bool on);

    // The mesh: serve this station's models and packages, on which address
    // and port, advertised over mDNS or not, and the peers added by hand.
    bool meshServe() const;                        // default true
    void setMeshServe(bool on);
    int meshPort() const;                          // default 14345
    void setMeshPort(int port);
    QString meshBind() const;                      // "" = every address
    void setMeshBind(const QString& address);
    bool meshMdns() const;                         // default true
    void setMeshMdns(bool on);
    QStringList meshPeers() const;
    void setMeshPeers(const QStringList& endpoints);
    // Download bandwidth caps per size class (PROTOCOL.md: < 10 MB, 10-500 MB,
    // > 500 MB), bytes per second each; 0 = uncapped, the LAN default.
    // Keys mesh/capSmall, mesh/capMedium, mesh/capLarge; a value that is not
    // a whole number of bytes reads as uncapped.
    atmo::BandwidthCaps downloadCaps() const;
    void setDownloadCaps(const atmo::BandwidthCaps& caps);
    // What this station sends through the mesh's relay (PROTOCOL.md: under
    // 10 MB unthrottled, 10-500 MB and over 500 MB capped): on or off, and
    // the two caps in bits per second. Keys relay/capsOn, relay/capMediumBps,
    // relay/capLargeBps; the protocol's values (5 and 2 Mbit/s) by default,
    // and for a value that is not a positive whole number.
    atmo::RelayCaps relaySendCaps() const;
    void setRelaySendCaps(const atmo::RelayCaps& caps);

    void sync();

private:
    std::unique_ptr<QSettings> s_;
    QString defaultOutputDir_;
    QString defaultInstallRoot_;
};
