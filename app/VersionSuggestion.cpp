#include "app/VersionSuggestion.h"

#include <QDir>
#include <QRegularExpression>

#include "app/PathConversion.h"
#include "core/package/manifest.h"
#include "core/package/package_store.h"

QString VersionSuggestion::bump(const QString& version)
{
    static const QRegularExpression numeric(QStringLiteral("^(\\d+(?:\\.\\d+)*)"));
    const auto m = numeric.match(version);
    if (!m.hasMatch())
        return QStringLiteral("1.0");
    QStringList parts = m.captured(1).split(QLatin1Char('.'));
    if (parts.size() == 1)
        parts << QStringLiteral("0");
    bool ok = false;
    const qulonglong last = parts.last().toULongLong(&ok);
    parts.last() = QString::number(ok ? last + 1 : 1);
    return parts.join(QLatin1Char('.'));
}

QString VersionSuggestion::latestIn(const QString& packageId, const QString& storeIndex, const QString& outputDir)
{
    std::string best;
    const atmo::PackageStore store(toFsPath(storeIndex));
    if (auto v = store.latestVersion(packageId.toStdString()))
        best = *v;
    // <id>-v<version>.atmo or <id>-v<version>-tier<N>.atmo
    const QRegularExpression name(QStringLiteral("^%1-v(.+?)(?:-tier\\d+)?\\.atmo$")
                                      .arg(QRegularExpression::escape(packageId)));
    const QStringList files = QDir(outputDir).entryList({QStringLiteral("*.atmo")}, QDir::Files);
    for (const QString& f : files) {
        const auto m = name.match(f);
        if (!m.hasMatch())
            continue;
        const std::string v = m.captured(1).toStdString();
        if (atmo::isValidVersion(v) && (best.empty() || atmo::compareVersions(v, best) > 0))
            best = v;
    }
    return QString::fromStdString(best);
}

QString VersionSuggestion::next(const QString& packageId, const QString& storeIndex, const QString& outputDir)
{
    const QString latest = latestIn(packageId, storeIndex, outputDir);
    return latest.isEmpty() ? QStringLiteral("1.0") : bump(latest);
}
