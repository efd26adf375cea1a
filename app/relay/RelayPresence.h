// The window's membership of a mesh on the mesh's relay. The membership the
// station remembers (<home>/station/relay.json, the one `atmosphere mesh
// join|register` writes and `atmosphere serve` stays joined with) is joined
// when the window starts and kept while it runs (RelayClient: ping,
// reconnect with backoff). A new membership is tried on a link of its own
// first: only once the relay took the station in is it remembered, this
// station's mesh id set to it, and the old link closed; a refusal or an
// unreachable relay changes nothing. leave() forgets it. When another
// program of this home (`atmosphere serve`, same node id) takes the link
// over, the window leaves it to that program instead of taking it back.
//
// While joined, the station is a node of the mesh like any other: its
// models are gossiped and sent on request (RelayModelServer, fed by the
// library scan through setModels()), and the catalogs other nodes gossip
// reach the peer directory (relayCatalog(); relayPeerLeft() and
// relayLinkDown() take them away again), from where downloads use those
// nodes through client().
//
// The Mesh view shows statusText() and the nodes on the relay as they come
// and go (changed()). The reasons the network gives stay in the relay
// client's words (English, one line naming the relay).
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

#include "app/relay/RelayClient.h"
#include "app/relay/RelayModelServer.h"
#include "core/base/result.h"
#include "core/package/station_home.h"
#include "core/relay/relay_membership.h"

class RelayPresence : public QObject {
    Q_OBJECT
public:
    explicit RelayPresence(atmo::StationHome home, QObject* parent = nullptr);
    ~RelayPresence() override;

    // Joins the remembered membership, if there is one; a file that cannot be
    // used is reported in statusText().
    void start();
    // Tries `membership` (see above); joinFinished() says how it went.
    void join(const atmo::RelayMembership& membership);
    bool joining() const { return candidate_ != nullptr; }
    void cancelJoin();
    // Forgets the membership (the token goes with the file) and closes the link.
    atmo::Status leave();

    const std::optional<atmo::RelayMembership>& membership() const { return membership_; }
    RelayClient::State state() const;
    // The relay's endpoint ("ws://host:port/relay/mesh"), "" when no member.
    QString relayUrl() const;
    // As the relay calls the mesh, else its id.
    QString meshName() const;
    QList<RelayClient::Peer> peers() const;
    // One line for the Mesh view, in the user's language.
    QString statusText() const;
    bool statusIsProblem() const;
    // The link in use (null when no member): downloads from nodes on the
    // relay go through it. clientChanged() when it is replaced.
    RelayClient* client() const { return client_.get(); }
    QString nodeId() const { return nodeId_; }
    // What this station offers on the relay, and its HTTP endpoint for the
    // catalog's transfer_endpoints ("" when not serving).
    void setModels(std::vector<atmo::LocalModel> models, const QString& httpEndpoint);
    // The bandwidth caps for what this station sends through the relay.
    void setCaps(const atmo::RelayCaps& caps);
    const RelayModelServer* modelServer() const { return server_.get(); }

    // For tests: connection timings of the links made from here on.
    void setTimings(int joinTimeoutMs, int backoffMinMs, int backoffMaxMs);

signals:
    void changed();
    void joinFinished(bool ok, const QString& message);
    void clientChanged(RelayClient* client);
    void relayCatalog(const QString& fromNodeId, const QByteArray& payload);
    void relayPeerLeft(const QString& nodeId);
    void relayLinkDown(); // every node heard on the relay is gone from here

private:
    std::unique_ptr<RelayClient> makeClient(const atmo::RelayMembership& membership, QString* error);
    void adopt(std::unique_ptr<RelayClient> client);
    void finishJoin(bool ok, const QString& message);
    void makeServer();

    const atmo::StationHome home_;
    std::optional<atmo::RelayMembership> membership_;
    QString loadError_; // the remembered membership could not be used
    std::unique_ptr<RelayClient> client_;
    std::unique_ptr<RelayClient> candidate_;
    atmo::RelayMembership candidateMembership_;
    std::unique_ptr<RelayModelServer> server_; // declared after client_: destroyed first
    std::vector<atmo::LocalModel> models_;
    QString httpEndpoint_;
    QString nodeId_;
    atmo::RelayCaps caps_ = atmo::RelayCaps::protocolDefaults();
    int joinTimeoutMs_ = 20000;
    int backoffMinMs_ = 1000;
    int backoffMaxMs_ = 60000;
};
