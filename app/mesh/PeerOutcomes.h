// What went wrong with which peer during one MeshDownload, and what of it
// goes into the directory's ranking (PeerDirectory::recordTransfer): a
// failure at most once per peer and download (it dropped out, or was proven
// to have sent wrong bytes), a success for each peer that supplied part of
// the verified file and never failed. Keeps each peer's last problem for the
// one line a download that failed ends with.
#pragma once

#include <QPointer>
#include <QString>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/transfer/range_plan.h"

class PeerDirectory;

class PeerOutcomes {
public:
    // The download's peers, best ranked first, with their directory keys
    // ("" when the directory does not know the peer: nothing is recorded).
    void setPeers(std::vector<std::pair<QString, QString>> endpointsAndKeys) { peers_ = std::move(endpointsAndKeys); }
    void setDirectory(PeerDirectory* directory);
    void clear();

    void problem(const QString& peer, const QString& detail) { problems_[peer] = detail; }
    void failed(const QString& peer);
    void succeeded(const QString& peer);
    // A round's plan is done with: its dropped and bad peers failed; when
    // the file verified, those that supplied part of it succeeded. Returns
    // the dropped and bad ones.
    std::vector<QString> settleRound(const std::vector<atmo::PeerStats>& peers, bool fileVerified);

    std::size_t problemCount() const { return problems_.size(); }
    QString problemOf(const QString& peer) const;
    // "peer A: detail; peer B: detail", best ranked first; "" when none.
    QString summary() const;
    // The one line of a download no peer is left for: the peer that sent
    // wrong bytes when that is all that went wrong, else every problem.
    QString noPeerLeft(const QString& id, const std::vector<QString>& convicted, const std::vector<QString>& suspects,
                       const std::string& actualSha256, const QString& fallback) const;

private:
    QString keyOf(const QString& peer) const;

    std::vector<std::pair<QString, QString>> peers_;
    QPointer<PeerDirectory> directory_;
    std::map<QString, QString> problems_;
    std::set<QString> failed_;
};
