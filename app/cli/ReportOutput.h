// Printing a VerifyReport for people (a verdict line first) and as JSON.
#pragma once

#include <QJsonObject>

#include "CliContext.h"
#include "core/package_verifier.h"

namespace cli {

QJsonObject reportJson(const atmo::VerifyReport& report);
void printReport(const Context& ctx, const atmo::VerifyReport& report);

} // namespace cli
