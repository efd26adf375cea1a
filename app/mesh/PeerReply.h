// Bounds on a small request to a peer (JSON: /health, catalogs, /v1/peers,
// package listings, chunk lists): a size cap and an overall deadline.
//
// Why both, and why not QNetworkRequest::setTransferTimeout alone: that timer
// only measures silence, so a peer sending one byte every two seconds kept a
// request (and `models`, `model pull`) alive forever; and a body is read
// whole into memory, so a peer sending an endless answer took the memory.
// The deadline counts from the request, headers included, whatever arrives;
// the cap aborts as soon as the announced Content-Length or the bytes
// received pass it. Redirects are not followed (the mesh does not use them,
// and one must not send the station to another host): a 3xx is an error.
//
// After a bounded reply finished, problem() says why it failed in a few words
// ("no complete answer within 10 s", "answered more than 64 KiB",
// "HTTP 500 from /health", the network error), or "" when it is a 200 whose
// body is body().
#pragma once

#include <QByteArray>
#include <QNetworkRequest>
#include <QString>

class QNetworkAccessManager;
class QNetworkReply;

namespace peerreply {

struct Limits {
    qint64 maxBytes = 1 << 20; // the body's cap
    int deadlineMs = 10000;    // from the request to the reply's end
};

// The caps used for each kind of request (chunk lists are sized per file).
inline constexpr qint64 kHealthBytes = 64 << 10;
inline constexpr qint64 kCatalogBytes = 32 << 20;   // 10,000 entries are ~5 MiB
inline constexpr qint64 kPeerListBytes = 1 << 20;   // 256 peers are ~64 KiB
inline constexpr qint64 kPackageListBytes = 16 << 20;
inline constexpr int kDeadlineMs = 10000;

// A GET with the station's user agent, no redirects, and `limits` watched.
QNetworkReply* get(QNetworkAccessManager& net, const QUrl& url, const Limits& limits);
// Adds the limits to a reply already sent (its parent owns the watch).
void watch(QNetworkReply* reply, const Limits& limits);

QString problem(QNetworkReply* reply);
// The whole body of a finished reply, never more than its cap.
QByteArray body(QNetworkReply* reply);

} // namespace peerreply
