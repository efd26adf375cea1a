// What the views share, built once by main() (the composition root) or by a
// test: the station home, the job runner, the settings and the language in
// use. Views take a reference and never reach for globals.
#pragma once

#include <QString>

#include <memory>

#include "app/JobRunner.h"
#include "app/LanguageManager.h"
#include "app/Settings.h"
#include "core/package/station_home.h"

class StationContext {
public:
    // The standard home (atmo::StationHome::standard(): $ATMOSPHERE_HOME, or
    // the XDG data, config and cache folders). settingsFile empty: the
    // application's QSettings.
    explicit StationContext(const QString& settingsFile = {});
    // The given home (the window's --home, resolved by the core's rule).
    explicit StationContext(atmo::StationHome home, const QString& settingsFile = {});
    ~StationContext();

    JobRunner& runner() { return *runner_; }
    Settings& settings() { return *settings_; }
    LanguageManager& language() { return language_; }

    // The station home and its places as the views use them.
    const atmo::StationHome& home() const { return home_; }
    QString homeDir() const;
    QString trustDir() const;
    QString keysDir() const;
    QString storeIndex() const;
    QString tiersFile() const;

private:
    atmo::StationHome home_;
    std::unique_ptr<Settings> settings_;
    std::unique_ptr<JobRunner> runner_;
    LanguageManager language_;
};
