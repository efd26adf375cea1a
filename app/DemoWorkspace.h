// A small, self-contained workspace for demonstrations and the
// --screenshot mode: a station home with a trusted mesh-authority key, a
// mission source directory, a package built from it and a tampered copy.
// Everything lives under one folder the caller chooses.
#pragma once

#include <QCoreApplication>
#include <QString>

class DemoWorkspace {
    Q_DECLARE_TR_FUNCTIONS(DemoWorkspace)
public:
    QString root;
    QString homeDir;
    QString missionDir;
    QString meshKeyFile;      // unencrypted, demo only
    QString founderKeyFile;   // password "demo"
    QString outputDir;
    QString goodPackage;
    QString tamperedPackage;

    // Writes the mission and keys; builds the packages when buildPackages.
    // The station home is dir/home, or givenHome when given. Returns "" on
    // success, else the reason.
    QString create(const QString& dir, bool buildPackages = true, const QString& givenHome = {});

    static void writeMission(const QString& missionDir);
};
