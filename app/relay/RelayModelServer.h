// This node's models on the mesh's relay (PROTOCOL.md "The relay"): the
// catalog gossip and the sending side of `websocket_chunked` transfers.
//
// Gossip: the node's model_catalog message (transfer_endpoints.websocket
// true) as a relay `broadcast` when the link joins, when a peer joins (so a
// newcomer learns it at once instead of within 5 minutes), when the models
// change, and every gossipIntervalMs (the protocol's 5 minutes, within the
// catalog's 300 s TTL).
//
// Transfers: every model_request addressed to this node starts a
// core ChunkedSender (flow control, resends, cancel after 3 failed resends)
// whose payloads go back as `direct` messages to the requester. A request
// whose request id is already running from the same requester replaces it:
// the requester asks again after a reconnect, from what it has, and an old
// sender would go on sending what is already there. One timer serves every
// transfer, armed at the earliest of their deadlines (an ack timeout, or
// the bandwidth cap's next slot).
//
// Bandwidth: each transfer is paced by a RateLimiter at the rate
// core/transfer/relay_caps.h gives for its model's size (the protocol's caps
// unless the owner sets others). The pacing holds chunk payloads back here;
// the sender's window (2 chunks) bounds what waits.
//
// When the link drops, or the requester leaves the mesh or is not on the
// relay, its transfers end here without a word (nothing can reach it): the
// requester asks again, from its bitmap, when it can. At most maxTransfers
// run at once, at most maxTransfersPerPeer for one requester; a request
// beyond them is cancelled with network_error and a message saying so, and
// the requester may ask again later. A transfer whose every chunk was
// acknowledged holds its slot until the requester's
// model_transfer_complete, 15 minutes at most (10 s when there was nothing
// to send); a request asked again keeps its bandwidth cap's state.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/mesh/model_library.h"
#include "core/transfer/chunked_sender.h"
#include "core/transfer/relay_caps.h"

class RelayClient;

class RelayModelServer : public QObject {
    Q_OBJECT
public:
    struct Options {
        int gossipIntervalMs = 5 * 60 * 1000;
        std::int64_t ttlSeconds = 300;
        int maxTransfers = 4;
        int maxTransfersPerPeer = 2; // so one node cannot take every slot
        atmo::RelayCaps caps = atmo::RelayCaps::protocolDefaults();
        atmo::ChunkedSenderOptions sender; // nodeId is filled from the identity
    };

    struct Identity {
        QString nodeId;
        QString name;
        QString httpEndpoint; // transfer_endpoints.http; empty when none reachable is known
    };

    RelayModelServer(RelayClient* relay, const Identity& identity, const Options& options, QObject* parent = nullptr);
    ~RelayModelServer() override;

    // The models served; gossiped at once when the link is up. Transfers
    // already running go on with the file they opened.
    void setModels(std::vector<atmo::LocalModel> models);

    // The caps for transfers that start from now on (running ones keep theirs).
    void setCaps(const atmo::RelayCaps& caps) { options_.caps = caps; }
    const atmo::RelayCaps& caps() const { return options_.caps; }

    int activeTransfers() const { return int(transfers_.size()); }
    // The model_catalog payload this node gossips (tests, and `--json`).
    QByteArray catalogPayload() const;

signals:
    void transferStarted(const QString& requestId, const QString& modelId, const QString& peerNodeId);
    // completed: the requester reported a verified file; else why it ended (one line).
    void transferEnded(const QString& requestId, const QString& modelId, const QString& peerNodeId, bool completed,
                       const QString& message);

private:
    struct Transfer;
    void onMessage(const QString& from, const QByteArray& payload);
    void onRequest(const QString& from, const atmo::ModelRequest& request);
    void gossip();
    void queue(Transfer& t, std::vector<std::string> payloads);
    void pump(Transfer& t, atmo::SteadyTime now);
    void endIfFinished(const std::string& key);
    void dropPeer(const QString& nodeId, const QString& why);
    void dropAll(const QString& why);
    void onTimer();
    void arm();

    RelayClient* relay_;
    Identity identity_;
    Options options_;
    std::map<std::string, atmo::LocalModel> models_;
    std::map<std::string, std::unique_ptr<Transfer>> transfers_; // by requester + request id
    QTimer timer_;
    QTimer gossipTimer_;
};
