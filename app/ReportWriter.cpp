#include "app/ReportWriter.h"

#include <QDateTime>
#include <QFileInfo>
#include <QLocale>
#include <QSaveFile>

#include "app/CustodyModel.h"
#include "app/Format.h"
#include "app/PathConversion.h"
#include "app/TierReason.h"
#include "app/Verdict.h"

namespace {
QString esc(const QString& s) { return s.toHtmlEscaped(); }
QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }
} // namespace

ReportWriter::ReportWriter(const atmo::VerifyReport& report, const DeviceFit& fit) : report_(report), fit_(fit) {}

ReportWriter::OutputFormat ReportWriter::formatFor(const QString& file)
{
    const QString suffix = QFileInfo(file).suffix().toLower();
    return suffix == QLatin1String("html") || suffix == QLatin1String("htm") ? OutputFormat::Html : OutputFormat::Text;
}

QString ReportWriter::text() const
{
    const Verdict v = Verdict::of(report_, &fit_);
    QString out;
    auto line = [&out](const QString& s = {}) { out += s + QLatin1Char('\n'); };
    line(tr("Atmosphere package verification report"));
    line(tr("Generated: %1").arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate)));
    line(tr("File: %1").arg(fromFsPath(report_.file)));
    line(tr("Archive size: %1").arg(::Format::bytes(report_.archiveBytes)));
    line();
    line(tr("VERDICT: %1").arg(v.headline));
    line(v.detail);
    if (!v.technical.isEmpty())
        line(tr("Details: %1").arg(v.technical));
    line();
    if (report_.manifest) {
        const auto& m = *report_.manifest;
        line(tr("Package: %1 (%2), version %3").arg(QString::fromStdString(m.name), QString::fromStdString(m.id),
                                                    QString::fromStdString(m.version)));
        line(tr("Created: %1 by %2").arg(QString::fromStdString(m.created), QString::fromStdString(m.createdBy)));
        line(tr("Manifest SHA-256: %1").arg(QString::fromStdString(report_.manifestSha256)));
        line();
    }
    line(tr("Signatures:"));
    for (const auto& s : report_.signatures) {
        line(tr("  %1: %2, key %3, %4").arg(::Format::signatureRole(s.role), ::Format::signatureState(s.state),
                                           s.keyId.empty() ? QStringLiteral("—") : QString::fromStdString(s.keyId),
                                           s.trusted ? tr("trusted as “%1”").arg(QString::fromStdString(s.trustedName))
                                                     : tr("not trusted")));
        if (!s.trustedComment.empty())
            line(tr("    trusted comment: %1").arg(QString::fromStdString(s.trustedComment)));
        if (!s.message.empty())
            line(QStringLiteral("    ") + QString::fromStdString(s.message));
    }
    line();
    line(tr("Chain of custody:"));
    if (report_.custody.empty())
        line(tr("  (no entries)"));
    for (const auto& c : report_.custody)
        line(QStringLiteral("  %1  %2  %3  %4  %5")
                 .arg(QString::fromStdString(c.entry.time), QString::fromStdString(c.entry.station),
                      ::Format::custodyAction(c.entry.action), QString::fromStdString(c.entry.keyId),
                      CustodyModel::stateText(c)));
    line();
    if (fit_.known) {
        line(tr("Device fit:"));
        line(tr("  Tier of this machine: %1 (%2)").arg(::Format::tier(fit_.tier.tier)).arg(TierReason::text(fit_.tier)));
        line(tr("  Space needed: %1, free: %2").arg(::Format::bytes(fit_.bytesNeeded), fit_.freeText()));
        line(tr("  Installed version: %1")
                 .arg(fit_.installedVersion.isEmpty() ? tr("none") : fit_.installedVersion));
        line();
    }
    line(tr("Files (%n):", nullptr, static_cast<int>(report_.files.size())));
    for (const auto& f : report_.files) {
        line(QStringLiteral("  [%1] %2  %3  %4").arg(::Format::fileState(f.state), QString::fromStdString(f.path),
                                                     ::Format::bytes(f.size), tr("tiers %1").arg(::Format::tiers(f.tiers))));
        line(tr("      expected %1").arg(QString::fromStdString(f.expectedSha256)));
        if (!f.computedSha256.empty())
            line(tr("      computed %1").arg(QString::fromStdString(f.computedSha256)));
        if (!f.message.empty())
            line(QStringLiteral("      ") + QString::fromStdString(f.message));
    }
    return out;
}

QString ReportWriter::html() const
{
    const Verdict v = Verdict::of(report_, &fit_);
    const bool good = v.kind == Verdict::Kind::Good;
    QString h;
    h += QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title>\n")
             .arg(esc(tr("Atmosphere package verification report")));
    h += QStringLiteral("<style>body{font-family:sans-serif;margin:2em;color:#222}"
                        ".verdict{padding:1em;border-radius:6px;color:#fff;font-size:1.4em}"
                        ".good{background:#1e7b34}.bad{background:#b3261e}"
                        "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;"
                        "padding:.25em .6em;text-align:left;font-size:.9em}th{background:#f0f0f0}"
                        "code{font-size:.85em}</style></head><body>\n");
    h += QStringLiteral("<h1>%1</h1>\n").arg(esc(tr("Atmosphere package verification report")));
    h += QStringLiteral("<p>%1<br>%2</p>\n")
             .arg(esc(tr("File: %1").arg(fromFsPath(report_.file))),
                  esc(tr("Generated: %1").arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate))));
    h += QStringLiteral("<div class=\"verdict %1\"><b>%2</b><br>%3%4</div>\n")
             .arg(good ? QStringLiteral("good") : QStringLiteral("bad"), esc(v.headline), esc(v.detail),
                  v.technical.isEmpty() ? QString()
                                        : QStringLiteral("<br><small>%1</small>").arg(esc(tr("Details: %1").arg(v.technical))));
    if (report_.manifest) {
        const auto& m = *report_.manifest;
        h += QStringLiteral("<h2>%1</h2><p>%2<br>%3<br>%4</p>\n")
                 .arg(esc(tr("Package")),
                      esc(tr("Package: %1 (%2), version %3")
                              .arg(QString::fromStdString(m.name), QString::fromStdString(m.id),
                                   QString::fromStdString(m.version))),
                      esc(tr("Created: %1 by %2").arg(QString::fromStdString(m.created), QString::fromStdString(m.createdBy))),
                      esc(tr("Manifest SHA-256: %1").arg(QString::fromStdString(report_.manifestSha256))));
    }
    h += QStringLiteral("<h2>%1</h2><table><tr><th>%2</th><th>%3</th><th>%4</th><th>%5</th><th>%6</th></tr>\n")
             .arg(esc(tr("Signatures")), esc(tr("Role")), esc(tr("Signature")), esc(tr("Key ID")), esc(tr("Trust")),
                  esc(tr("Trusted comment")));
    for (const auto& s : report_.signatures)
        h += QStringLiteral("<tr><td>%1</td><td>%2</td><td><code>%3</code></td><td>%4</td><td>%5</td></tr>\n")
                 .arg(esc(::Format::signatureRole(s.role)), esc(::Format::signatureState(s.state)), esc(s.keyId),
                      esc(s.trusted ? tr("trusted as “%1”").arg(QString::fromStdString(s.trustedName)) : tr("not trusted")),
                      esc(s.state == atmo::SignatureState::Valid ? s.trustedComment : s.message));
    h += QStringLiteral("</table>\n<h2>%1</h2>\n").arg(esc(tr("Chain of custody")));
    if (report_.custody.empty()) {
        h += QStringLiteral("<p>%1</p>\n").arg(esc(tr("(no entries)")));
    } else {
        h += QStringLiteral("<table><tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th><th>%5</th></tr>\n")
                 .arg(esc(tr("When")), esc(tr("Station")), esc(tr("What")), esc(tr("Key ID")), esc(tr("Check")));
        for (const auto& c : report_.custody)
            h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td><code>%4</code></td><td>%5</td></tr>\n")
                     .arg(esc(c.entry.time), esc(c.entry.station), esc(::Format::custodyAction(c.entry.action)),
                          esc(c.entry.keyId), esc(CustodyModel::stateText(c)));
        h += QStringLiteral("</table>\n");
    }
    if (fit_.known) {
        h += QStringLiteral("<h2>%1</h2><p>%2<br>%3<br>%4</p>\n")
                 .arg(esc(tr("Device fit")),
                      esc(tr("  Tier of this machine: %1 (%2)").arg(::Format::tier(fit_.tier.tier)).arg(TierReason::text(fit_.tier)).trimmed()),
                      esc(tr("  Space needed: %1, free: %2").arg(::Format::bytes(fit_.bytesNeeded), fit_.freeText()).trimmed()),
                      esc(tr("  Installed version: %1").arg(fit_.installedVersion.isEmpty() ? tr("none") : fit_.installedVersion).trimmed()));
    }
    h += QStringLiteral("<h2>%1</h2><table><tr><th>%2</th><th>%3</th><th>%4</th><th>%5</th><th>%6</th><th>%7</th></tr>\n")
             .arg(esc(tr("Files")), esc(tr("Status")), esc(tr("File")), esc(tr("Size")), esc(tr("Tiers")),
                  esc(tr("Expected SHA-256")), esc(tr("Computed SHA-256")));
    for (const auto& f : report_.files)
        h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td><code>%5</code></td><td><code>%6</code></td></tr>\n")
                 .arg(esc(::Format::fileState(f.state) + (f.message.empty() ? QString() : QStringLiteral(": ") + QString::fromStdString(f.message))),
                      esc(f.path), esc(::Format::bytes(f.size)), esc(::Format::tiers(f.tiers)), esc(f.expectedSha256),
                      esc(f.computedSha256));
    h += QStringLiteral("</table>\n</body></html>\n");
    return h;
}

bool ReportWriter::save(const QString& file, QString* error) const
{
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error)
            *error = out.errorString();
        return false;
    }
    out.write((formatFor(file) == OutputFormat::Html ? html() : text()).toUtf8());
    if (!out.commit()) {
        if (error)
            *error = out.errorString();
        return false;
    }
    return true;
}
