// Where core meets Qt: core's text is UTF-8 in std::string, Qt's is QString.
// The two conversions every app/ file used to define for itself.
#pragma once

#include <QString>

#include <string>
#include <string_view>

inline QString q(std::string_view utf8)
{
    return QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size()));
}

inline std::string s(const QString& text) { return text.toStdString(); }
