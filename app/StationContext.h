// What the views share, built once by main() (the composition root) or by a
// test: the job runner, the settings and the language in use. Views take a
// reference and never reach for globals.
#pragma once

#include <QString>

#include <memory>

#include "app/JobRunner.h"
#include "app/LanguageManager.h"
#include "app/Settings.h"

class StationContext {
public:
    // settingsFile empty: the application's QSettings.
    explicit StationContext(const QString& settingsFile = {});
    ~StationContext();

    JobRunner& runner() { return *runner_; }
    Settings& settings() { return *settings_; }
    LanguageManager& language() { return language_; }

private:
    std::unique_ptr<Settings> settings_;
    std::unique_ptr<JobRunner> runner_;
    LanguageManager language_;
};
