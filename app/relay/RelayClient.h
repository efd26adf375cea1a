// The station's membership of a mesh on its WebSocket relay (PROTOCOL.md
// "The relay"): connects, says who it is (register_mesh as founder, join
// with a token as member), keeps the live peer list, sends and receives
// broadcast and direct messages, and stays joined: a JSON ping every
// pingIntervalMs (the relay's own idle sweep counts frames, not WebSocket
// pings), a missing pong is a dead link, and a lost link is retried with
// exponential backoff and jitter (1 s ... 60 s).
//
// Founder mode sends register_mesh on every connection, not `join` without a
// token: registering again is allowed for the same founder node, and a relay
// that restarted (it keeps meshes in memory) would otherwise take the founder
// into an unregistered mesh, open to anyone, while refusing every member's
// token with "Mesh not registered". The registering connection is in the
// mesh at once (mesh_registered, then joined and peers).
//
// When it does not retry:
// - Refused: the relay refused who we are in a way retrying cannot fix (an
//   expired, foreign, replayed or forged token, another founder's mesh,
//   core's classifyRelayRefusal()). The relay's own words are in stateMessage().
// - Replaced: another connection of this node id took our place (another
//   copy of the station on this home, or `atmosphere mesh status` while
//   `atmosphere serve` runs). The newest connection wins; the replaced one
//   waits replacedRetryMs before it takes the link back, doubling the wait
//   each time it is replaced again (at most 30 min), so two long-lived
//   copies alternate slowly instead of kicking each other in a storm, and a
//   short-lived second copy costs the first one a minute. 0: stay replaced.
//
// Every stateMessage() is one line naming the relay URL.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <optional>

class QWebSocket;

namespace atmo {
struct RelayFrame;
}

class RelayClient : public QObject {
    Q_OBJECT
public:
    enum class State {
        Stopped,    // not started, or stop()ped
        Connecting, // opening the WebSocket and saying who we are
        Joined,     // in the mesh: peers, messages
        Backoff,    // the link dropped or could not be made; retrying after a pause
        Refused,    // the relay refused us for good (see above); stopped
        Replaced,   // another connection of this node took our place (see above)
    };
    Q_ENUM(State)

    struct Founder {
        QByteArray meshPublicKey;  // base64 of the raw 32-byte Ed25519 mesh key
        QByteArray founderProof;   // base64 Ed25519 signature over the UTF-8 mesh id
        QByteArray nodePublicKey;  // base64 of the key that made the proof; empty: the mesh key did
        QString meshName;
    };

    struct Config {
        QUrl relayUrl;             // ws:// or wss://, with or without the /relay/{mesh_id} path (endpointFor())
        QString meshId;
        QString nodeId;
        QString name;              // this node's name
        QStringList capabilities;
        std::optional<Founder> founder; // founder mode; else member mode:
        QByteArray tokenJson;      // the join token object; empty: no token (an open mesh, a founder rejoining)
        int pingIntervalMs = 20000;
        int pongTimeoutMs = 15000;    // no pong this long after a ping: the link is dead
        int joinTimeoutMs = 20000;    // connecting and being answered
        int backoffMinMs = 1000;
        int backoffMaxMs = 60000;
        int replacedRetryMs = 60000;  // 0: stay Replaced
        qint64 maxFrameBytes = 0;     // 0: atmo::kMaxRelayFrameBytes (16 MiB), both directions
    };

    struct Peer {
        QString nodeId;
        QString name;
        QStringList capabilities;
        bool isFounder = false;
    };

    // The WebSocket URL for a mesh on a relay: "ws://host:port" (or with a
    // path prefix) gets "/relay/{mesh_id}" appended; a URL that already ends
    // in /relay/{id} must name this mesh. Anything but ws/wss, a missing
    // host, a query or a fragment is refused with *error set (one line).
    static QUrl endpointFor(const QUrl& relayUrl, const QString& meshId, QString* error);

    explicit RelayClient(QObject* parent = nullptr);
    ~RelayClient() override;

    // Starts (or restarts with a new config). False with *error for a bad
    // config (URL, ids, token not an object); the client stays Stopped.
    bool start(const Config& config, QString* error = nullptr);
    void stop();

    State state() const { return state_; }
    QString stateMessage() const { return message_; } // the last state's one line
    QUrl url() const { return url_; }               // the endpoint in use
    QString meshName() const { return meshName_; }  // as the relay calls it ("" before joined)
    int nodeCount() const { return nodeCount_; }    // nodes in the mesh, us included (0 before joined)
    QList<Peer> peers() const { return peers_; }    // the others, in the relay's order, then by arrival
    std::optional<Peer> peer(const QString& nodeId) const;

    // Sends when Joined; false with *error otherwise, for a payload that is
    // not one JSON object, or a frame larger than the bound.
    bool sendBroadcast(const QByteArray& payloadJson, QString* error = nullptr);
    bool sendDirect(const QString& nodeId, const QByteArray& payloadJson, QString* error = nullptr);

signals:
    void stateChanged(RelayClient::State state, const QString& message);
    void peersChanged();                              // after any change below, and on a full list
    void peerJoined(const RelayClient::Peer& peer);
    void peerLeft(const QString& nodeId);
    void message(const QString& fromNodeId, const QByteArray& payloadJson);
    void peerNotFound(const QString& nodeId);         // the relay's answer to a direct message
    void relayError(const QString& message);          // another error frame while joined (one line)
    void frameIgnored(const QString& reason);         // a frame that failed to parse (one line)
    void pong(qint64 roundTripMs);

private:
    void connectNow();
    void onConnected();
    void onText(const QString& text);
    void onFrame(const atmo::RelayFrame& frame);
    void onEnded();
    void enterJoined();
    void setState(State state, const QString& message);
    void retryAfter(int ms, State state, const QString& message);
    void dropLink(const QString& why);
    bool sendFrame(const std::string& frame, QString* error);
    void resetSession();
    int nextBackoffMs();
    QString line(const QString& what) const;

    Config config_;
    QUrl url_;
    QPointer<QWebSocket> socket_;
    State state_ = State::Stopped;
    QString message_;
    QString meshName_;
    int nodeCount_ = 0;
    QList<Peer> peers_;
    QString refusalCode_;       // the error frame that came before a 1008 close
    QString refusalMessage_;
    bool refusedFrame_ = false;
    QString dropReason_;        // why we closed the link ourselves
    int attempt_ = 0;           // failed attempts since the last join
    int replacedCount_ = 0;     // consecutive replacements
    QTimer pingTimer_;
    QTimer pongDeadline_;
    QTimer joinDeadline_;
    QTimer retryTimer_;
    QElapsedTimer pingSent_;
    QElapsedTimer joinedFor_;
};

Q_DECLARE_METATYPE(RelayClient::Peer)
