// MeshDownload's side of the mesh's relay: the link its relay sources use,
// asking them again when it is back, and giving up on them when it stays
// down (MeshDownload.h, app/relay/RelayRangeFetch.h).
#include "app/mesh/MeshDownload.h"

#include "app/QtStrings.h"

void MeshDownload::setRelay(RelayClient* relay, const QString& ownNodeId)
{
    disconnect(relayState_);
    relay_ = relay;
    ownNodeId_ = ownNodeId;
    if (relay)
        // Nodes waiting for the link are asked again, from what the journal has.
        relayState_ = connect(relay, &RelayClient::stateChanged, this, [this](RelayClient::State state) {
            if (state == RelayClient::State::Joined && state_ == State::Running)
                schedule();
        });
}

// Nodes through the relay wait while our link is down (schedule()); after
// relayLinkWaitMs without it they are dropped, and the download goes on
// with the others or fails naming why.
bool MeshDownload::giveUpOnRelayLink()
{
    std::vector<std::string> waiting;
    if (relay_ && relay_->state() != RelayClient::State::Joined)
        for (const auto& p : plan_->peers())
            if (p.state == atmo::PeerState::Usable && DownloadSource::isRelayKey(q(p.peer)))
                waiting.push_back(p.peer);
    if (waiting.empty()) {
        relayDown_.invalidate();
        return false;
    }
    if (!relayDown_.isValid())
        relayDown_.start();
    if (relayDown_.elapsed() < options_.relayLinkWaitMs)
        return false;
    const QString why = QStringLiteral("the mesh's relay could not be reached for %1 s: %2")
                            .arg(options_.relayLinkWaitMs / 1000)
                            .arg(relay_->stateMessage());
    for (const auto& peer : waiting) {
        dropPeer(q(peer), atmo::ChunkFailure::Dropped, why);
        plan_->failed(peer, 0, atmo::ChunkFailure::Dropped, s(why));
    }
    relayDown_.invalidate();
    return true;
}
