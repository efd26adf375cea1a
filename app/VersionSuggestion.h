// The version the builder suggests: the one after the newest package of this
// id that the station built (its package store), else the one after the
// newest *.atmo of that id in the output folder, else "1.0".
#pragma once

#include <QString>

class VersionSuggestion {
public:
    static QString next(const QString& packageId, const QString& storeIndex, const QString& outputDir);
    // "1.3" -> "1.4", "2.0.9" -> "2.0.10", "1.3-rc1" -> "1.4"; invalid -> "1.0".
    static QString bump(const QString& version);
    static QString latestIn(const QString& packageId, const QString& storeIndex, const QString& outputDir);
};
