// Qt's and the standard library's paths, converted in one place: a QString
// path to a std::filesystem::path for the core, and back for the views.
#pragma once

#include <QString>

#include <filesystem>

inline std::filesystem::path toFsPath(const QString& path) { return std::filesystem::path(path.toStdString()); }

inline QString fromFsPath(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }
