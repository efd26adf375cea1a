#include "app/StationContext.h"

#include "app/PathConversion.h"

StationContext::StationContext(const QString& settingsFile)
    : StationContext(atmo::StationHome::standard(), settingsFile)
{
}

StationContext::StationContext(atmo::StationHome home, const QString& settingsFile)
    : home_(std::move(home)),
      settings_(settingsFile.isEmpty() ? std::make_unique<Settings>() : std::make_unique<Settings>(settingsFile)),
      runner_(std::make_unique<JobRunner>())
{
    settings_->setHomeDefaults(home_);
}

StationContext::~StationContext()
{
    runner_->cancelAll();
    runner_->waitForDone();
}

QString StationContext::homeDir() const { return fromFsPath(home_.root()); }

QString StationContext::trustDir() const { return fromFsPath(home_.trustDir()); }

QString StationContext::keysDir() const { return fromFsPath(home_.keysDir()); }

QString StationContext::storeIndex() const { return fromFsPath(home_.storeIndex()); }

QString StationContext::tiersFile() const { return fromFsPath(home_.tiersFile()); }
