#include "app/mesh/PeerOutcomes.h"

#include <QStringList>

#include <string>

#include "app/mesh/PeerDirectory.h"

void PeerOutcomes::setDirectory(PeerDirectory* directory) { directory_ = directory; }

void PeerOutcomes::clear()
{
    problems_.clear();
    failed_.clear();
}

QString PeerOutcomes::keyOf(const QString& peer) const
{
    for (const auto& [endpoint, key] : peers_)
        if (endpoint == peer)
            return key;
    return {};
}

void PeerOutcomes::failed(const QString& peer)
{
    if (!failed_.insert(peer).second)
        return;
    if (const QString key = keyOf(peer); directory_ && !key.isEmpty())
        directory_->recordTransfer(key, false);
}

void PeerOutcomes::succeeded(const QString& peer)
{
    if (failed_.count(peer))
        return;
    if (const QString key = keyOf(peer); directory_ && !key.isEmpty())
        directory_->recordTransfer(key, true);
}

QString PeerOutcomes::problemOf(const QString& peer) const
{
    const auto it = problems_.find(peer);
    return it == problems_.end() ? QString() : it->second;
}

QString PeerOutcomes::summary() const
{
    QStringList parts;
    for (const auto& [endpoint, key] : peers_)
        if (auto it = problems_.find(endpoint); it != problems_.end())
            parts << "peer " + endpoint + ": " + it->second;
    return parts.join("; ");
}

std::vector<QString> PeerOutcomes::settleRound(const std::vector<atmo::PeerStats>& peers, bool fileVerified)
{
    std::vector<QString> out;
    for (const auto& p : peers) {
        const QString peer = QString::fromStdString(p.peer);
        if (p.state != atmo::PeerState::Usable) {
            failed(peer);
            out.push_back(peer);
        } else if (fileVerified && p.chunksSupplied > 0) {
            succeeded(peer);
        }
    }
    return out;
}

QString PeerOutcomes::noPeerLeft(const QString& id, const std::vector<QString>& convicted,
                                 const std::vector<QString>& suspects, const std::string& actualSha256,
                                 const QString& fallback) const
{
    if (convicted.size() == 1 && problems_.size() == 1 && suspects.empty())
        return id + ": peer " + convicted.front() + ": " + problemOf(convicted.front()) +
               (actualSha256.empty() ? QString() : " (got " + QString::fromStdString(actualSha256.substr(0, 16)) + "…)");
    QStringList parts;
    if (const QString problems = summary(); !problems.isEmpty())
        parts << problems;
    if (!suspects.empty()) {
        QStringList names;
        for (const auto& p : suspects)
            names << p;
        parts << "the file did not match the catalog's SHA-256 with bytes from " +
                     QString(suspects.size() == 1 ? "peer " : "peers ") + names.join(", ");
    }
    if (parts.isEmpty())
        parts << fallback;
    return id + ": no usable peer left: " + parts.join("; ");
}
