// A mission problem in the window's language, chosen by its kind
// (atmo::MissionProblem::Kind) with what it is about; core's English
// message stays the detail (the row's tooltip) and the CLI's line.
#pragma once

#include <QCoreApplication>
#include <QString>

#include "core/package/mission.h"

class MissionNote {
    Q_DECLARE_TR_FUNCTIONS(MissionNote)
public:
    // What is wrong with the file the problem names (its path is shown beside).
    static QString text(const atmo::MissionProblem& problem);
};
