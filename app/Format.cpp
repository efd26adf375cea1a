#include "app/Format.h"

#include <QDateTime>
#include <QLocale>

#include "core/base/fs_util.h"

QString Format::bytes(std::uint64_t bytes)
{
    // The CLI's scale and rounding (atmo::scaleBytes), in the locale's digits.
    const atmo::ScaledBytes s = atmo::scaleBytes(bytes);
    if (s.unit[0] == 'B') // "57 bytes", in the locale's words (Qt's own)
        return QLocale().formattedDataSize(static_cast<qint64>(bytes), 0, QLocale::DataSizeIecFormat);
    return QStringLiteral("%1 %2").arg(QLocale().toString(s.value, 'f', 1), QLatin1String(s.unit));
}

QString Format::speed(double bytesPerSecond)
{
    if (bytesPerSecond <= 0)
        return {};
    return tr("%1/s").arg(bytes(static_cast<std::uint64_t>(bytesPerSecond)));
}

QString Format::duration(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return tr("%n second(s)", nullptr, static_cast<int>(seconds));
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QString Format::tier(int tier)
{
    return QString::fromStdString(atmo::tierName(tier));
}

QString Format::tiers(const std::vector<int>& tiers)
{
    if (tiers.empty())
        return tr("all");
    QStringList parts;
    for (int t : tiers)
        parts << tier(t);
    return parts.join(QStringLiteral(", "));
}

QString Format::kind(atmo::ContentKind kind)
{
    switch (kind) {
    case atmo::ContentKind::Config: return tr("Config");
    case atmo::ContentKind::Model: return tr("Model");
    case atmo::ContentKind::Agent: return tr("Agent");
    case atmo::ContentKind::Tool: return tr("Tool");
    case atmo::ContentKind::Knowledge: return tr("Knowledge");
    }
    return {};
}

QString Format::kindPlural(atmo::ContentKind kind)
{
    switch (kind) {
    case atmo::ContentKind::Config: return tr("Configuration");
    case atmo::ContentKind::Model: return tr("Models");
    case atmo::ContentKind::Agent: return tr("Agents");
    case atmo::ContentKind::Tool: return tr("Tools");
    case atmo::ContentKind::Knowledge: return tr("Knowledge");
    }
    return {};
}

QString Format::shortHash(const std::string& hex)
{
    if (hex.empty())
        return QStringLiteral("—");
    if (hex.size() <= 14)
        return QString::fromStdString(hex);
    return QString::fromStdString(hex.substr(0, 8)) + QStringLiteral("…") +
           QString::fromStdString(hex.substr(hex.size() - 4));
}

QString Format::fileState(atmo::FileState state)
{
    switch (state) {
    case atmo::FileState::Pending: return tr("Checking");
    case atmo::FileState::Ok: return tr("Intact");
    case atmo::FileState::Failed: return tr("Failed");
    case atmo::FileState::Missing: return tr("Missing");
    case atmo::FileState::NotInArchive: return tr("Not in this export");
    }
    return {};
}

QString Format::signatureState(atmo::SignatureState state)
{
    switch (state) {
    case atmo::SignatureState::Valid: return tr("Valid");
    case atmo::SignatureState::Invalid: return tr("Invalid");
    case atmo::SignatureState::Missing: return tr("Missing");
    case atmo::SignatureState::Untrusted: return tr("Untrusted key");
    }
    return {};
}

QString Format::signatureRole(const std::string& role)
{
    if (role == atmo::kRoleMesh)
        return tr("Mesh authority");
    if (role == atmo::kRoleFounder)
        return tr("Founder");
    return QString::fromStdString(role);
}

QString Format::trustRole(atmo::TrustRole role)
{
    switch (role) {
    case atmo::TrustRole::Mesh: return tr("Mesh authority");
    case atmo::TrustRole::Founder: return tr("Founder");
    case atmo::TrustRole::Station: return tr("Station");
    }
    return {};
}

QString Format::custodyAction(const std::string& action)
{
    if (action == "created")
        return tr("Created");
    if (action == "exported")
        return tr("Exported");
    if (action == "transferred")
        return tr("Transferred");
    return QString::fromStdString(action);
}

QString Format::custodyDetail(const std::string& detail)
{
    if (detail == "full package")
        return tr("full package");
    std::string_view d = detail;
    if (d.rfind("delta from ", 0) == 0) {
        d.remove_prefix(11);
        const auto comma = d.find(", ");
        const QString base = QString::fromUtf8(d.substr(0, comma).data(), int(d.substr(0, comma).size()));
        if (comma == std::string_view::npos)
            return tr("delta update from %1").arg(base);
        if (const auto t = atmo::parseTierName(d.substr(comma + 2)))
            return tr("delta update from %1, %2").arg(base, tier(*t));
        return QString::fromStdString(detail);
    }
    if (d.rfind("tier ", 0) == 0)
        d.remove_prefix(5);
    if (const auto t = atmo::parseTierName(d))
        return tr("%1 export").arg(tier(*t));
    return QString::fromStdString(detail);
}

QString Format::deltaBase(const atmo::DeltaBaseCheck& c, const QString& target)
{
    const QString base = QString::fromStdString(c.baseVersion);
    const QString have = QString::fromStdString(c.installedVersion);
    switch (c.state) {
    case atmo::DeltaBaseState::Matches: return tr("Version %1 is installed as this update was made from it").arg(base);
    case atmo::DeltaBaseState::NotInstalled:
        return tr("Needs version %1 installed; nothing of this package is installed here — use the full %2 package")
            .arg(base, target);
    case atmo::DeltaBaseState::OtherVersion:
        return tr("Needs version %1 installed; this machine has %2 — use the full %3 package").arg(base, have, target);
    case atmo::DeltaBaseState::OtherBuild:
        return tr("Needs version %1 as it was signed; the installed %1 is another build of it — use the full %2 "
                  "package")
            .arg(base, target);
    case atmo::DeltaBaseState::AlreadyInstalled: return tr("Version %1 is already installed").arg(target);
    }
    return {};
}

QString Format::phase(atmo::Phase phase)
{
    switch (phase) {
    case atmo::Phase::None: return tr("Working");
    case atmo::Phase::Scanning: return tr("Scanning");
    case atmo::Phase::Hashing: return tr("Hashing");
    case atmo::Phase::Checking: return tr("Checking");
    case atmo::Phase::Downloading: return tr("Downloading");
    case atmo::Phase::Verifying: return tr("Verifying");
    case atmo::Phase::Writing: return tr("Writing");
    case atmo::Phase::Syncing: return tr("Flushing to the drive");
    case atmo::Phase::ReadingBack: return tr("Reading back");
    case atmo::Phase::Installing: return tr("Installing");
    }
    return tr("Working");
}

QString Format::timestamp(const std::string& iso)
{
    const QDateTime t = QDateTime::fromString(QString::fromStdString(iso), Qt::ISODate);
    if (!t.isValid())
        return QString::fromStdString(iso);
    return dateTime(t);
}

QString Format::dateTime(const QDateTime& when)
{
    // The locale's short form, with the whole year: "12/1/2026 3:49 PM",
    // "01.12.2026 15:49" — never a two-digit year.
    const QLocale locale;
    QString format = locale.dateTimeFormat(QLocale::ShortFormat);
    if (!format.contains(QStringLiteral("yyyy")))
        format.replace(QStringLiteral("yy"), QStringLiteral("yyyy"));
    return locale.toString(when.toLocalTime(), format);
}

QString Format::timeLeft(qint64 seconds)
{
    if (seconds < 0)
        return {};
    // The last seconds are estimates of a rate that is ending (the final
    // flush, the read-back): a count that sits at "1 second" says nothing.
    if (seconds <= 2)
        return tr("almost done");
    return tr("%1 left").arg(duration(seconds));
}
