// The distribution packages this station offers to peers (GET /v1/packages
// and the files under it): the entries of its package store whose files still
// exist, grouped by id and version, each with what a peer wants before it
// downloads: name and tiers from the manifest, the manifest and signature
// bytes (served from memory), and per .atmo file its size and SHA-256.
//
// Delta packages in the store are offered beside the version they update to
// (Package::deltas), each with the base version and the SHA-256 of the base's
// signed manifest, so a peer takes one only when that base is what it has
// installed. A version held only as deltas is listed with no manifest of its
// own (the delta's manifest describes a change, not the package).
//
// Everything that touches the disk runs on Qt's global thread pool: reading
// the store index, the first entries of each archive (cached by path, size
// and mtime), and hashing (cached in the core HashCache, so gigabytes are read
// once per change, not once per request). Results come back on this object's
// thread. Requests that arrive while a refresh runs share the next one.
//
// The server lists only the station's own store (packages it built or
// imported after verifying them); the manifest is parsed here without its
// signature being checked again. A peer that downloads verifies everything
// itself, and nothing parsed here decides anything but what is listed.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/cancel_token.h"

namespace atmo {
class HashCache;
}
struct PackageMetaCache;

class ServedPackages : public QObject {
    Q_OBJECT
public:
    struct Variant {
        std::optional<int> tier; // nullopt: the full package
        std::string path;        // never sent to peers
        std::uint64_t size = 0;
        std::string sha256;      // empty unless asked for with hashes
        std::string deltaFrom;   // a delta: the base version; empty otherwise
        std::string baseManifestSha256; // a delta: its base's manifest.yaml
    };
    struct Package {
        std::string id;
        std::string version;
        std::string name;
        std::string created;
        std::vector<int> tiers;
        QByteArray manifest;     // manifest.yaml, exactly as signed; empty when only deltas are held
        QByteArray signature;    // manifest.yaml.minisig
        std::vector<Variant> variants; // full first, then tiers ascending
        std::vector<Variant> deltas;   // newest base first, then full first, then tiers
        const Variant* variant(std::optional<int> tier) const;
        const Variant* delta(const std::string& from, std::optional<int> tier) const;
    };
    using Snapshot = std::shared_ptr<const std::vector<Package>>;
    using Callback = std::function<void(const Snapshot&)>;

    explicit ServedPackages(QObject* parent = nullptr);
    ~ServedPackages() override;

    // indexFile empty: no packages. The cache also stores model hashes; it is
    // shared with whoever else uses it and thread-safe.
    void setStore(const QString& indexFile, std::shared_ptr<atmo::HashCache> cache);

    // Calls done on this object's thread, unless context is gone by then.
    void fetch(bool withHashes, QObject* context, Callback done);

private:
    struct Waiter {
        QPointer<QObject> context;
        Callback done;
    };
    void startJob(int kind);

    QString indexFile_;
    std::shared_ptr<atmo::HashCache> cache_;
    std::shared_ptr<PackageMetaCache> meta_; // what was read from each archive, by path
    atmo::CancelToken cancel_;
    bool running_[2] = {false, false};
    std::vector<Waiter> waiting_[2];
};
