// The verification and install `package import` runs, shared with
// `package sync`, which must install a downloaded package exactly the way an
// imported one is installed.
#pragma once

#include <QString>

#include <filesystem>
#include <optional>

#include "CliContext.h"

namespace cli {

struct ImportChoices {
    std::filesystem::path root;     // install root
    std::optional<int> tier;        // nullopt: decided from the hardware
    bool allowDowngrade = false;
};

// Verifies FILE against the station's trust store and installs it; prints
// the outcome (human or --json) and returns the exit code.
int runImport(const Context& ctx, const QString& file, const ImportChoices& choices);

} // namespace cli
