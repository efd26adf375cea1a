// The station as a mesh member: ties the peer server, mDNS and the peer
// directory together. It advertises the server's port as `_atmosphere._tcp`
// (TXT node_id, mesh_id, capabilities), browses for other peers and hands
// them to the directory, and keeps the server's /v1/peers in step with the
// directory. The owner configures the server and sets its models; the
// `atmosphere serve` command and the window both use this class.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include "app/mesh/MdnsService.h"

class PeerDirectory;
class PeerServer;

class MeshNode : public QObject {
    Q_OBJECT
public:
    MeshNode(PeerServer& server, PeerDirectory& directory, QObject* parent = nullptr);
    ~MeshNode() override;

    struct Identity {
        QString nodeId;
        QString name;       // node name, the mDNS instance name; "": atmosphere-{first 8 of node id}
        QString meshId;
        QStringList capabilities{QStringLiteral("models"), QStringLiteral("packages")};
    };

    // Starts mDNS (advertising when the server listens, and browsing) unless
    // useMdns is false. Without avahi-daemon it returns false and mdnsError()
    // says why; the server and manually added peers work regardless.
    bool start(const Identity& identity, bool useMdns);
    // Re-advertises after the server's port changed or it was switched off.
    void serverChanged();

    // Peers that answer are remembered in this file (core/mesh/remembered_peers.h),
    // saved a few seconds after a change; "" (the default): not remembered.
    void setRememberedPeersFile(const QString& file) { rememberedFile_ = file; }
    // The remembered peers into the directory: those added by hand as added
    // by hand, the others as remembered, each with when it last answered.
    void listRememberedPeers();
    // A peer added by hand, remembered at once (a crash does not lose it).
    // False, with why, when it cannot be saved.
    bool rememberByHand(const QString& endpoint, QString* error = nullptr);
    // Forgets a peer added by hand or remembered: out of the file and out
    // of the directory. A peer mDNS shows now is listed again by mDNS.
    bool forget(const QString& endpoint, QString* error = nullptr);

    bool mdnsActive() const { return mdns_.running(); }
    QString mdnsError() const { return mdnsError_; }
    QString advertisedName() const { return advertised_; }

signals:
    void statusChanged();

private:
    void syncPeers();
    void rememberPeers();

    PeerServer& server_;
    PeerDirectory& directory_;
    MdnsService mdns_;
    Identity identity_;
    QString mdnsError_;
    QString advertised_;
    bool advertising_ = false;
    QString rememberedFile_;
    QTimer rememberTimer_;
};
