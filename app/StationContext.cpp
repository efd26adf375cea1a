#include "app/StationContext.h"

StationContext::StationContext(const QString& settingsFile)
    : settings_(settingsFile.isEmpty() ? std::make_unique<Settings>() : std::make_unique<Settings>(settingsFile)),
      runner_(std::make_unique<JobRunner>())
{
}

StationContext::~StationContext()
{
    runner_->cancelAll();
    runner_->waitForDone();
}
