#include "app/mesh/PeerPackages.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerReply.h"
#include "app/QtStrings.h"
#include "core/package/manifest.h"

const PeerPackageFile* PeerPackage::full() const
{
    for (const auto& f : files)
        if (!f.file.tier)
            return &f;
    return nullptr;
}

const PeerPackageFile* PeerPackage::tier(int n) const
{
    for (const auto& f : files)
        if (f.file.tier == n)
            return &f;
    return nullptr;
}

const PeerPackageFile* PeerPackage::file(std::optional<int> n) const { return n ? tier(*n) : full(); }

const PeerPackageFile* PeerPackage::delta(const atmo::PackageFileOffer& offered) const
{
    for (const auto& d : deltas)
        if (d.file.deltaFrom == offered.deltaFrom && d.file.tier == offered.tier)
            return &d;
    return nullptr;
}

const PeerPackageFile* PeerPackage::deltaOnto(std::string_view installedVersion,
                                              std::string_view installedManifestSha256, std::optional<int> tier) const
{
    for (const auto& d : deltas)
        if (!d.sources.empty() && atmo::deltaFits(d.file, installedVersion, installedManifestSha256, tier))
            return &d;
    return nullptr;
}

QString PeerPackage::title() const
{
    return (offer.name.empty() ? q(offer.id) : q(offer.name)) + " " + q(offer.version);
}

PeerPackages::PeerPackages(PeerDirectory* directory, QObject* parent)
    : QObject(parent), directory_(directory), net_(new QNetworkAccessManager(this))
{
    net_->setProxy(QNetworkProxy::NoProxy);
    // A peer that leaves takes its offers with it.
    connect(directory_, &PeerDirectory::peerRemoved, this, [this](int) {
        std::vector<QString> gone;
        for (const auto& [endpoint, offers] : byPeer_)
            if (directory_->rowOf(endpoint) < 0)
                gone.push_back(endpoint);
        for (const auto& endpoint : gone) {
            byPeer_.erase(endpoint);
            errors_.erase(endpoint);
        }
        if (!gone.empty())
            rebuild();
    });
}

void PeerPackages::refresh()
{
    for (int row = 0; row < directory_->peerCount(); ++row) {
        const PeerState& peer = directory_->peer(row);
        if (!peer.reachable)
            continue;
        QNetworkReply* reply = peerreply::get(*net_, QUrl(peer.endpoint + "/v1/packages"),
                                              {peerreply::kPackageListBytes, peerreply::kDeadlineMs});
        ++inFlight_;
        const QString endpoint = peer.endpoint, nodeKey = peer.catalogKey();
        connect(reply, &QNetworkReply::finished, this, [this, endpoint, nodeKey, reply] { onReply(endpoint, nodeKey, reply); });
    }
    if (inFlight_ == 0)
        emit idle();
}

void PeerPackages::onReply(const QString& endpoint, const QString& nodeKey, QNetworkReply* reply)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 404) {
        // A model bridge: it offers models, not packages.
        byPeer_.erase(endpoint);
        errors_.erase(endpoint);
    } else if (const QString problem = peerreply::problem(reply); !problem.isEmpty()) {
        errors_[endpoint] = endpoint + ": /v1/packages: " + problem;
    } else {
        const QByteArray body = peerreply::body(reply);
        auto listing = atmo::parsePackageListing(std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
        if (!listing) {
            errors_[endpoint] = endpoint + ": " + q(listing.message());
        } else {
            errors_.erase(endpoint);
            if (!listing->skipped.empty())
                errors_[endpoint] = endpoint + ": " + q(listing->skipped.front()) +
                                    (listing->skipped.size() > 1 ? QStringLiteral(" (and %1 more)").arg(listing->skipped.size() - 1)
                                                                 : QString());
            byPeer_[endpoint] = std::move(listing->packages);
            nodeKeys_[endpoint] = nodeKey;
        }
    }
    rebuild();
    if (--inFlight_ == 0)
        emit idle();
}

void PeerPackages::rebuild()
{
    // Peers in the directory's order of preference: reliability, then latency.
    std::vector<QString> order;
    for (const auto& [endpoint, offers] : byPeer_)
        order.push_back(endpoint);
    const auto& catalog = directory_->catalog();
    std::stable_sort(order.begin(), order.end(), [&](const QString& a, const QString& b) {
        const std::string ka = nodeKeys_[a].toStdString(), kb = nodeKeys_[b].toStdString();
        return atmo::rankedBefore(ka, catalog.quality(ka), kb, catalog.quality(kb));
    });

    std::vector<PeerPackage> merged;
    for (const QString& endpoint : order) {
        for (const auto& offer : byPeer_[endpoint]) {
            auto it = std::find_if(merged.begin(), merged.end(), [&](const PeerPackage& p) {
                return p.offer.id == offer.id && p.offer.version == offer.version;
            });
            if (it == merged.end()) {
                PeerPackage p;
                p.offer = offer;
                merged.push_back(std::move(p));
                it = std::prev(merged.end());
            }
            auto add = [&](std::vector<PeerPackageFile>& into, const atmo::PackageFileOffer& file) {
                auto f = std::find_if(into.begin(), into.end(), [&](const PeerPackageFile& x) {
                    return x.file.tier == file.tier && x.file.deltaFrom == file.deltaFrom;
                });
                if (f == into.end()) {
                    into.push_back({file, {}, {}});
                    f = std::prev(into.end());
                }
                // The first (best) peer's bytes define the file; others with
                // other bytes under the same name are conflicts, not sources.
                // A delta onto another base build is other bytes too.
                if (f->file.sha256 == file.sha256 && f->file.sizeBytes == file.sizeBytes &&
                    f->file.baseManifestSha256 == file.baseManifestSha256)
                    f->sources.push_back({endpoint, nodeKeys_[endpoint]});
                else
                    f->conflicts.append(endpoint);
            };
            for (const auto& file : offer.files)
                add(it->files, file);
            for (const auto& delta : offer.deltas)
                add(it->deltas, delta);
            // The first peer that lists the version with a manifest of its
            // own names it (one holding only deltas has none).
            if (it->offer.manifestUrl.empty() && !offer.manifestUrl.empty()) {
                it->offer.manifestUrl = offer.manifestUrl;
                it->offer.signatureUrl = offer.signatureUrl;
            }
        }
    }
    auto byTier = [](const PeerPackageFile& a, const PeerPackageFile& b) {
        return a.file.tier.value_or(0) < b.file.tier.value_or(0);
    };
    for (auto& p : merged) {
        std::sort(p.files.begin(), p.files.end(), byTier);
        std::sort(p.deltas.begin(), p.deltas.end(), byTier);
        std::stable_sort(p.deltas.begin(), p.deltas.end(), [](const PeerPackageFile& a, const PeerPackageFile& b) {
            return atmo::compareVersions(a.file.deltaFrom, b.file.deltaFrom) > 0;
        });
    }
    std::sort(merged.begin(), merged.end(), [](const PeerPackage& a, const PeerPackage& b) {
        if (a.offer.id != b.offer.id)
            return a.offer.id < b.offer.id;
        return atmo::compareVersions(a.offer.version, b.offer.version) > 0; // newest first
    });
    packages_ = std::move(merged);
    emit changed();
}

const PeerPackage* PeerPackages::find(const QString& id, const QString& version) const
{
    for (const auto& p : packages_)
        if (q(p.offer.id) == id && q(p.offer.version) == version)
            return &p;
    return nullptr;
}

QStringList PeerPackages::errors() const
{
    QStringList out;
    for (const auto& [endpoint, error] : errors_)
        out.append(error);
    return out;
}

DownloadSpec PeerPackages::specFor(const PeerPackage& package, const PeerPackageFile& file)
{
    DownloadSpec spec;
    const std::string name = file.file.isDelta() ? atmo::deltaPackageFileName(package.offer.id, file.file.deltaFrom,
                                                                               package.offer.version, file.file.tier)
                                                 : atmo::packageFileName(package.offer.id, package.offer.version,
                                                                         file.file.tier);
    // Versions may hold '+', which file names here do not.
    spec.key = name.substr(0, name.size() - std::string_view(".atmo").size());
    std::replace(spec.key.begin(), spec.key.end(), '+', '_');
    spec.sizeBytes = file.file.sizeBytes;
    spec.sha256 = file.file.sha256;
    spec.urlPath = q(file.file.url);
    spec.fileName = spec.key + ".atmo";
    return spec;
}
