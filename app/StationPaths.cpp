#include "app/StationPaths.h"

#include <QDir>
#include <QStandardPaths>

QString StationPaths::homeDir()
{
    const QByteArray env = qgetenv("ATMOSPHERE_HOME");
    if (!env.isEmpty())
        return QDir::cleanPath(QString::fromLocal8Bit(env));
    QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return QDir::cleanPath(base + QStringLiteral("/atmosphere"));
}

atmo::StationHome StationPaths::home() { return atmo::StationHome(toPath(homeDir())); }

QString StationPaths::trustDir() { return fromPath(home().trustDir()); }

QString StationPaths::keysDir() { return fromPath(home().keysDir()); }

QString StationPaths::packagesDir() { return homeDir() + QStringLiteral("/packages"); }

QString StationPaths::defaultInstallRoot() { return fromPath(home().defaultInstallRoot()); }

QString StationPaths::storeIndex() { return fromPath(home().storeIndex()); }

std::filesystem::path StationPaths::toPath(const QString& path)
{
    return std::filesystem::path(path.toStdString());
}

QString StationPaths::fromPath(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }
