// The station's SVG icons from resources/ (":/icons/<name>.svg"), rendered
// by Qt Svg at any device pixel ratio.
#pragma once

#include <QIcon>
#include <QString>

class Icons {
public:
    static void init();                                 // registers the compiled-in resources
    static QIcon get(const QString& name);
    static QIcon forStatus(const QString& statusKey);   // ModelRole::Status keywords
    static QIcon application();
};
