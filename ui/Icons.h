// The station's SVG icons from resources/ (":/icons/<name>.svg"), rendered
// by Qt Svg at any device pixel ratio.
#pragma once

#include <QIcon>
#include <QString>

#include "app/ModelRoles.h"

class Icons {
public:
    static void init();                                 // registers the compiled-in resources
    static QIcon get(const QString& name);
    static QIcon forStatus(ItemStatus status);          // what ModelRole::Status holds
    static QIcon application();
};
