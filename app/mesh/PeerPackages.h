// The signed packages other stations offer: GET /v1/packages of every peer in
// the PeerDirectory, merged by package id and version. A file variant (the
// full package, tier N) is offered by the peers that list it with the same
// size and SHA-256; a peer listing other bytes under the same name is left
// out of that file's sources and named in conflicts. Model bridges have no
// /v1/packages (404): they are skipped quietly.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <vector>

#include "app/mesh/MeshDownload.h"
#include "core/mesh/package_offers.h"

class PeerDirectory;
class QNetworkAccessManager;
class QNetworkReply;

struct PeerPackageFile {
    atmo::PackageFileOffer file;
    std::vector<DownloadSource> sources; // peers offering these exact bytes, the directory's best first
    QStringList conflicts;               // endpoints listing other bytes for this file
};

struct PeerPackage {
    atmo::PackageOffer offer;            // id, version, name, created, tiers (from the first peer)
    std::vector<PeerPackageFile> files;  // full first, then tiers ascending
    std::vector<PeerPackageFile> deltas; // newest base first, then full first, then tiers

    const PeerPackageFile* full() const;
    const PeerPackageFile* tier(int n) const;
    const PeerPackageFile* file(std::optional<int> tier) const; // full() or tier(n)
    // The merged delta offer for one listed delta (same base and tier).
    const PeerPackageFile* delta(const atmo::PackageFileOffer& offered) const;
    // The delta some peer offers that goes onto the installed version (its
    // version and the SHA-256 of its manifest.yaml, atmo::deltaFits) for the
    // variant `tier`; nullptr when none does.
    const PeerPackageFile* deltaOnto(std::string_view installedVersion, std::string_view installedManifestSha256,
                                     std::optional<int> tier) const;
    QString title() const;               // "Production inspection 1.3" (id when no name)
};

class PeerPackages : public QObject {
    Q_OBJECT
public:
    explicit PeerPackages(PeerDirectory* directory, QObject* parent = nullptr);

    void refresh();                       // asks every known peer again
    bool busy() const { return inFlight_ > 0; }
    const std::vector<PeerPackage>& packages() const { return packages_; }
    const PeerPackage* find(const QString& id, const QString& version) const;
    // Peers that could not be asked, with why: "http://…: Connection refused".
    QStringList errors() const;

    // What MeshDownload needs for one file: its URL path, size, SHA-256 and
    // the name it gets ("{id}-v{version}[-tier{N}].atmo", a delta's
    // "{id}-v{version}-from-v{base}[-tier{N}].atmo"), keyed so two variants
    // never share a journal.
    static DownloadSpec specFor(const PeerPackage& package, const PeerPackageFile& file);

signals:
    void changed();
    void idle();

private:
    void onReply(const QString& endpoint, const QString& nodeKey, QNetworkReply* reply);
    void rebuild();

    PeerDirectory* directory_;
    QNetworkAccessManager* net_;
    int inFlight_ = 0;
    // endpoint → what it offered (kept until it answers again or leaves)
    std::map<QString, std::vector<atmo::PackageOffer>> byPeer_;
    std::map<QString, QString> nodeKeys_;
    std::map<QString, QString> errors_;
    std::vector<PeerPackage> packages_;
};
