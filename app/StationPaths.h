// Where the station keeps its data, resolved the same way as the core's
// atmo::StationHome::defaultRoot(): $ATMOSPHERE_HOME if set, otherwise
// QStandardPaths::GenericDataLocation + "/atmosphere" (which honours
// $XDG_DATA_HOME and falls back to ~/.local/share/atmosphere). The generic
// location is used instead of AppDataLocation on purpose: the CLI and the
// window must share one home, and AppDataLocation would add the
// organisation and application names.
#pragma once

#include <QString>

#include "core/station_home.h"

class StationPaths {
public:
    static QString homeDir();
    static atmo::StationHome home();
    static QString trustDir();
    static QString keysDir();
    static QString packagesDir();        // default output folder for built packages
    static QString defaultInstallRoot();
    static QString storeIndex();

    static std::filesystem::path toPath(const QString& path);
    static QString fromPath(const std::filesystem::path& path);
};
